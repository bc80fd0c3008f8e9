"""The message family as a whole: registered, documented, quiet on good traffic."""

import re

from rules.message.build import SEED

from dhcpcheck.capture.source import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.rules import registry
from dhcpcheck.rules.base import Finding, MessageRule, Scope
from dhcpcheck.rules.message import RULES


def test_codes_and_names_are_unique_and_in_range() -> None:
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(re.fullmatch(r"DHC1\d\d", code) for code in codes)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)


def test_every_rule_is_registered_at_message_scope() -> None:
    for rule in RULES:
        assert registry.lookup(rule.code) is rule
        assert registry.lookup(rule.name) is rule
        assert isinstance(rule, MessageRule) and rule.scope is Scope.MESSAGE


def test_every_manual_has_its_sections_and_an_rfc_link() -> None:
    for rule in RULES:
        assert rule.doc.startswith(f"{rule.name}: "), rule.name
        for heading in ("What it checks", "Why", "Failing example", "Settings"):
            assert f"\n{heading}\n" in rule.doc, (rule.name, heading)
        assert "https://www.rfc-editor.org/rfc/rfc" in rule.doc, rule.name
        for setting in rule.settings:
            assert f"    {setting} (" in rule.doc, (rule.name, setting)


def test_the_seed_dora_gives_no_message_finding() -> None:
    config = load_config(None, select=["DHC1"])
    events = Analysis(config, str(SEED)).run(read_frames(str(SEED)))
    assert [event for event in events if isinstance(event, Finding)] == []
