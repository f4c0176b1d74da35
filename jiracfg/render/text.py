"""The terminal plan: Terraform-like, coloured when the output is a terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from jiracfg.render.common import (
    SYMBOLS,
    VERBS,
    detail_lines,
    shown_changes,
    source_line,
    summary_line,
    unmanaged_lines,
)

STYLES = {
    "create": "green",
    "update": "yellow",
    "replace": "magenta",
    "delete": "red",
    "error": "bold red",
    "warning": "yellow",
}


def render(plan: dict[str, Any], color: bool = False) -> str:
    console = Console(force_terminal=color, no_color=not color, width=200, highlight=False)
    with console.capture() as capture:
        for line in _lines(plan):
            console.print(line)
    return capture.get()


def _lines(plan: dict[str, Any]) -> list[Text]:
    lines = [Text(source_line(plan) + "\n", style="dim")] if source_line(plan) else []
    changes, grouped = shown_changes(plan)
    lines += [Text(f"  {line}", style="bold") for line in grouped]
    for change in changes:
        action = change["action"]
        head = f"  {SYMBOLS[action]} {VERBS[action]} {change['address']}"
        lines.append(Text(head, style=STYLES[action]))
        lines += [Text(f"      {d}") for d in detail_lines(change)]
    lines += _problems(plan)
    unmanaged = unmanaged_lines(plan)
    if unmanaged:
        lines.append(Text("\n" + unmanaged[0].replace("`", "")))
        lines += [Text(f"  ? {address}") for address in unmanaged[1:]]
    lines.append(Text("\n" + summary_line(plan), style="bold"))
    return lines


def _problems(plan: dict[str, Any]) -> list[Text]:
    lines: list[Text] = []
    for problem in plan["problems"]:
        severity = problem["severity"]
        lines.append(
            Text(
                f"\n{severity}: [{problem['check']}] {problem['message']}",
                style=STYLES.get(severity, ""),
            )
        )
        if problem.get("hint"):
            lines.append(Text(f"  hint: {problem['hint']}"))
    return lines
