"""The plan as a Markdown pull-request comment."""

from __future__ import annotations

from typing import Any

from jiracfg.render.common import (
    SYMBOLS,
    detail_lines,
    shown_changes,
    source_line,
    summary_line,
    unmanaged_lines,
)


def render(plan: dict[str, Any], color: bool = False) -> str:
    out = [f"### jiracfg plan\n\n**{summary_line(plan)}**\n"]
    if source_line(plan):
        out.append(f"_{source_line(plan)}_\n")
    changes, grouped = shown_changes(plan)
    out += [f"- {line}" for line in grouped]
    if changes:
        out.append("| | action | object |\n|---|---|---|")
        out += [f"| `{SYMBOLS[c['action']]}` | {c['action']} | `{c['address']}` |" for c in changes]
        out.append("\n<details><summary>Details</summary>\n\n```diff")
        for change in changes:
            out.append(f"{_prefix(change['action'])} {change['action']} {change['address']}")
            out += [f"    {line}" for line in detail_lines(change)]
        out.append("```\n</details>")
    out += [_problem(p) for p in plan["problems"]]
    unmanaged = unmanaged_lines(plan, code=True)
    if unmanaged:
        out.append(f"\n_{unmanaged[0]}_\n")
        out += [f"- {address}" for address in unmanaged[1:]]
    return "\n".join(out) + "\n"


def _prefix(action: str) -> str:
    return {"create": "+", "delete": "-", "replace": "!"}.get(action, "~")


def _problem(problem: dict[str, Any]) -> str:
    icon = ":x:" if problem["severity"] == "error" else ":warning:"
    hint = f" _Hint: {problem['hint']}_" if problem.get("hint") else ""
    return f"\n{icon} **{problem['check']}**: {problem['message']}{hint}"
