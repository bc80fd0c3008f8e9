"""Rules on one exchange: replies against requests, timing, delivery."""

from dhcpcheck.rules.base import Rule

RULES: tuple[Rule, ...] = ()
