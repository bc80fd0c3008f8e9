"""Rules on single messages: encoding, RFC 2131/2132 fields and options.

Each runs on every message as it is read, so each looks at one `Seen` and
nothing else; what needs the request beside the reply is a transaction rule.
"""

from dhcpcheck.rules.base import Rule
from dhcpcheck.rules.message import (
    bad_hlen,
    bad_magic_cookie,
    bad_option_length,
    bad_udp_checksum,
    chaddr_source_mismatch,
    classless_route_no_default,
    client_message_fields,
    duplicate_option,
    invalid_option_value,
    mask_after_router,
    missing_end_option,
    op_type_mismatch,
    option_truncated,
    server_message_fields,
    subnet_inconsistent,
    text_trailing_nul,
    too_many_hops,
    truncated_message,
)

RULES: tuple[Rule, ...] = (
    truncated_message.RULE,
    bad_magic_cookie.RULE,
    option_truncated.RULE,
    missing_end_option.RULE,
    bad_option_length.RULE,
    duplicate_option.RULE,
    invalid_option_value.RULE,
    text_trailing_nul.RULE,
    bad_udp_checksum.RULE,
    op_type_mismatch.RULE,
    bad_hlen.RULE,
    too_many_hops.RULE,
    chaddr_source_mismatch.RULE,
    server_message_fields.RULE,
    client_message_fields.RULE,
    mask_after_router.RULE,
    classless_route_no_default.RULE,
    subnet_inconsistent.RULE,
)
