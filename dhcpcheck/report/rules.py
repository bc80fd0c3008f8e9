"""How rules are shown: the `rules` table, `explain` manuals, the docs page.

All three read the registry's declarations; nothing here is written by hand
per rule, so the docs cannot drift from the code.
"""

import inspect
from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dhcpcheck.rules.base import Rule


def rule_table(console: Console, rules: Iterable[Rule]) -> None:
    """One row per rule: code, name, scope, default severity, summary."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("code", "name", "scope", "severity"):
        table.add_column(column, no_wrap=True)
    table.add_column("summary", overflow="fold")
    for rule in rules:
        table.add_row(
            rule.code, rule.name, rule.scope, str(rule.severity), rule.summary
        )
    console.print(table)


def rule_records(rules: Iterable[Rule]) -> list[dict[str, object]]:
    """The rules as JSON-ready dicts, settings with their defaults."""
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "scope": str(rule.scope),
            "severity": str(rule.severity),
            "summary": rule.summary,
            "settings": {
                name: {
                    "kind": str(setting.kind),
                    "default": setting.default,
                    "help": setting.help,
                }
                for name, setting in rule.settings.items()
            },
        }
        for rule in rules
    ]


def manual(console: Console, rule: Rule) -> None:
    """A rule's manual: its declaration, then its docstring and settings."""
    title = Text(f"{rule.code} {rule.name}", style="bold")
    title.append(f"  ({rule.scope}, default {rule.severity})", style="dim")
    console.print(title)
    console.print(Text(rule.summary))
    console.print()
    console.print(Text(inspect.cleandoc(rule.doc)))
    if rule.settings:
        console.print()
        console.print(Text("Settings", style="bold"))
        for name, setting in rule.settings.items():
            console.print(
                Text(f"  {name} ({setting.kind}, default {setting.default!r}): ")
                + Text(setting.help)
            )


def markdown(rules: Iterable[Rule]) -> str:
    """The docs page listing every rule, with each manual in full."""
    rules = list(rules)
    lines = [
        "# dhcpcheck rules",
        "",
        "Generated from the rule registry by `python -m dhcpcheck.report.rules`;",
        "do not edit by hand. `dhcpcheck explain NAME` prints the same manual.",
        "",
        "| code | name | scope | severity | summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r.code} | [{r.name}](#{r.code.lower()}-{r.name}) | {r.scope} "
        f"| {r.severity} | {r.summary} |"
        for r in rules
    ]
    for rule in rules:
        lines += ["", f"## {rule.code} {rule.name}", ""]
        lines += [f"Scope: {rule.scope}. Default severity: {rule.severity}.", ""]
        lines += [inspect.cleandoc(rule.doc)]
        if rule.settings:
            lines += [
                "",
                "| setting | kind | default | meaning |",
                "| --- | --- | --- | --- |",
            ]
            lines += [
                f"| `{name}` | {s.kind} | `{s.default!r}` | {s.help} |"
                for name, s in rule.settings.items()
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from dhcpcheck.rules.registry import ALL

    print(markdown(ALL), end="")
