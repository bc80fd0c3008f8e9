"""Rules on a client's leases: T1/T2, renewal and rebinding behaviour."""

from dhcpcheck.rules.base import Rule

RULES: tuple[Rule, ...] = ()
