"""Rules on the whole capture: servers, address conflicts, floods."""

from dhcpcheck.rules.base import Rule
from dhcpcheck.rules.capture import (
    address_conflict,
    config_drift,
    discover_flood,
    expected_values,
    multiple_servers,
    tracker_overflow,
    untrusted_server,
)

RULES: tuple[Rule, ...] = (
    multiple_servers.RULE,
    untrusted_server.RULE,
    address_conflict.RULE,
    config_drift.RULE,
    discover_flood.RULE,
    expected_values.RULE,
    tracker_overflow.RULE,
)
