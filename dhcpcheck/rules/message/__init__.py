"""Rules on single messages: encoding, RFC 2131/2132 fields and options."""

from dhcpcheck.rules.base import Rule

RULES: tuple[Rule, ...] = ()
