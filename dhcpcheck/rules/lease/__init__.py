"""Rules on a client's leases: T1/T2, renewal and rebinding behaviour."""

from dhcpcheck.rules.base import Rule
from dhcpcheck.rules.lease import (
    decline,
    expired,
    nak_loop,
    rebind_timing,
    renew_timing,
    timer_order,
    timer_ratio,
)

RULES: tuple[Rule, ...] = (
    timer_order.RULE,
    timer_ratio.RULE,
    renew_timing.RULE,
    rebind_timing.RULE,
    expired.RULE,
    nak_loop.RULE,
    decline.RULE,
)
