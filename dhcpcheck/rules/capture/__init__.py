"""Rules on the whole capture: servers, address conflicts, floods."""

from dhcpcheck.rules.base import Rule

RULES: tuple[Rule, ...] = ()
