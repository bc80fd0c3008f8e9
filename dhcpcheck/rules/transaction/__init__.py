"""Rules on one exchange: replies against requests, timing, delivery."""

from dhcpcheck.rules.base import Rule
from dhcpcheck.rules.transaction import (
    ack_address_mismatch,
    client_id_not_echoed,
    multiple_acks,
    nak,
    no_ack,
    no_offer,
    offer_ack_mismatch,
    offer_not_taken,
    relay_info_not_echoed,
    reply_delivery,
    reply_from_unselected_server,
    reply_to_decline_or_release,
    requested_option_missing,
    retransmission_backoff,
    slow_ack,
    slow_offer,
)

RULES: tuple[Rule, ...] = (
    no_offer.RULE,
    no_ack.RULE,
    nak.RULE,
    offer_not_taken.RULE,
    reply_from_unselected_server.RULE,
    ack_address_mismatch.RULE,
    offer_ack_mismatch.RULE,
    multiple_acks.RULE,
    reply_to_decline_or_release.RULE,
    requested_option_missing.RULE,
    client_id_not_echoed.RULE,
    relay_info_not_echoed.RULE,
    reply_delivery.RULE,
    slow_offer.RULE,
    slow_ack.RULE,
    retransmission_backoff.RULE,
)
