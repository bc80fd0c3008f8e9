"""The registry: lookups, and the declarations every rule must make."""

import re

import pytest

from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Scope

FAMILY_DIGIT = {
    Scope.MESSAGE: "1",
    Scope.TRANSACTION: "2",
    Scope.CLIENT: "3",
    Scope.CAPTURE: "4",
}


def test_lookup_by_code_or_name_and_a_clear_miss() -> None:
    for rule in registry.ALL:
        assert registry.lookup(rule.code) is rule
        assert registry.lookup(rule.name.upper()) is rule
    with pytest.raises(registry.UnknownRule, match='no such rule: "DHC999"'):
        registry.lookup("DHC999")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    assert len(registry.BY_CODE) == len(registry.ALL)
    assert len(registry.BY_NAME) == len(registry.ALL)
    for rule in registry.ALL:
        assert re.fullmatch(r"DHC\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.code[3] == FAMILY_DIGIT[rule.scope], rule.code


@pytest.mark.parametrize("rule", registry.ALL, ids=lambda rule: rule.name)
def test_every_rule_documents_itself(rule: registry.Rule) -> None:
    assert rule.summary and not rule.summary.endswith(".")
    assert len(rule.doc.split()) > 30, "the docstring is the rule's manual"
    assert "rfc" in rule.doc.lower() or "operational" in rule.doc.lower()
    for name, setting in rule.settings.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert setting.help
