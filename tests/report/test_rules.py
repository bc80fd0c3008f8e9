"""The rules table, manuals and the generated docs page."""

from io import StringIO
from pathlib import Path

from rich.console import Console

from dhcpcheck.report.rules import manual, markdown, rule_records, rule_table
from dhcpcheck.rules.registry import ALL, lookup

DOCS = Path(__file__).parents[2] / "docs" / "rules.md"


def plain(width: int = 100) -> tuple[Console, StringIO]:
    out = StringIO()
    return Console(file=out, width=width, color_system=None), out


def test_docs_page_is_generated_from_the_registry() -> None:
    assert DOCS.read_text() == markdown(ALL), (
        "docs/rules.md is stale: python -m dhcpcheck.report.rules > docs/rules.md"
    )


def test_table_lists_every_rule() -> None:
    console, out = plain()
    rule_table(console, ALL)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["code", "name", "scope", "severity", "summary"]
    assert [line.split()[0] for line in lines[1:] if line[:3] == "DHC"] == [
        rule.code for rule in ALL
    ]


def test_manual_shows_declaration_doc_and_settings() -> None:
    rule = lookup("slow-offer")
    console, out = plain()
    manual(console, rule)
    text = out.getvalue()
    assert text.startswith("DHC214 slow-offer  (transaction, default warning)\n")
    assert "https://www.rfc-editor.org/rfc/rfc2131#section-4.1" in text
    assert "  threshold (number, default 4.0): " in text


def test_records_carry_settings_with_defaults() -> None:
    (record,) = [r for r in rule_records(ALL) if r["name"] == "slow-offer"]
    assert record["settings"] == {
        "threshold": {
            "kind": "number",
            "default": 4.0,
            "help": "seconds from the first DISCOVER to the first OFFER",
        }
    }


def test_readme_lists_every_rule() -> None:
    readme = " ".join((DOCS.parents[1] / "README.md").read_text().split())
    missing = [r.name for r in ALL if f"{r.name} ({r.code})" not in readme]
    assert missing == [], "README.md's rule list misses these"
    assert f"checks **{len(ALL)} rules**" in readme
