"""Every rule dhcpcheck knows, by code and by name, from an explicit list.

Rules are listed by their family packages; nothing is discovered by scanning.
"""

from dhcpcheck.rules import capture, lease, message, transaction
from dhcpcheck.rules.base import Rule

__all__ = ["ALL", "BY_CODE", "BY_NAME", "Rule", "UnknownRule", "lookup", "matching"]

ALL: tuple[Rule, ...] = (
    *message.RULES,
    *transaction.RULES,
    *lease.RULES,
    *capture.RULES,
)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL}


class UnknownRule(LookupError):
    """A rule code or name that no rule has; str() says which."""


def lookup(key: str) -> Rule:
    """The rule with this code (`DHC104`) or name (`slow-offer`)."""
    rule = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if rule is None:
        raise UnknownRule(f'no such rule: "{key}"')
    return rule


def matching(selector: str) -> list[Rule]:
    """Rules a `select`/`ignore` entry names: a code prefix (`DHC1`) or a name."""
    if selector.lower() in BY_NAME:
        return [BY_NAME[selector.lower()]]
    prefix = selector.upper()
    found = [rule for rule in ALL if rule.code.startswith(prefix)]
    if not found:
        raise UnknownRule(f'no such rule: "{selector}"')
    return found
