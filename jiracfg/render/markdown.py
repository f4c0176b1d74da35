"""The plan as a Markdown pull-request comment.

Problems come first and are never cut. A comment stays under GitHub's 65,536 characters: past
``LIMIT`` the field-level details are left out, then the rows of the change table beyond what
fits, and the comment says so and where the full plan is (the saved plan: ``jiracfg show``).
"""

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

LIMIT = 60_000  # characters; GitHub refuses comments over 65,536
UNMANAGED_SHOWN = 200  # unmanaged addresses listed in a comment (all are in the saved plan)


def render(plan: dict[str, Any], color: bool = False, limit: int = LIMIT) -> str:
    head = _head(plan)
    changes = shown_changes(plan)[0]
    rows, details = _rows(changes), _details(changes)
    full = "\n".join([*head, *rows, *details]) + "\n"
    if len(full) <= limit:
        return full
    room = limit - len("\n".join(head)) - 400
    kept = _fitting(rows, room)
    total = len(changes)
    note = (
        f"\n_This plan is too long for a comment: {total - len(kept) + 1} of {total} "
        "changes and the field-level details are left out. The full plan is the saved plan "
        "(`jiracfg show plan.json`, kept as a workflow artifact)._"
    )
    return "\n".join([*head, *kept, note]) + "\n"


def _head(plan: dict[str, Any]) -> list[str]:
    out = [f"### jiracfg plan\n\n**{summary_line(plan)}**\n"]
    if source_line(plan):
        out.append(f"_{source_line(plan)}_")
    out += [f"- {line}" for line in shown_changes(plan)[1]]
    out += [_problem(p) for p in plan["problems"]]
    unmanaged = unmanaged_lines(plan, code=True)
    if unmanaged:
        out.append(f"\n_{unmanaged[0]}_\n")
        out += [f"- {address}" for address in unmanaged[1 : UNMANAGED_SHOWN + 1]]
        if len(unmanaged) > UNMANAGED_SHOWN + 1:
            out.append(
                f"- ... and {len(unmanaged) - 1 - UNMANAGED_SHOWN} more (see the saved plan)"
            )
    return out


def _rows(changes: list[dict[str, Any]]) -> list[str]:
    if not changes:
        return []
    return ["\n| | action | object |\n|---|---|---|"] + [
        f"| `{SYMBOLS[c['action']]}` | {c['action']} | `{c['address']}` |" for c in changes
    ]


def _details(changes: list[dict[str, Any]]) -> list[str]:
    if not changes:
        return []
    out = ["\n<details><summary>Details</summary>\n\n```diff"]
    for change in changes:
        out.append(f"{_prefix(change['action'])} {change['action']} {change['address']}")
        out += [f"    {line}" for line in detail_lines(change)]
    return [*out, "```\n</details>"]


def _fitting(rows: list[str], room: int) -> list[str]:
    kept: list[str] = []
    for row in rows:
        room -= len(row) + 1
        if room < 0:
            break
        kept.append(row)
    return kept


def _prefix(action: str) -> str:
    return {"create": "+", "delete": "-", "replace": "!"}.get(action, "~")


def _problem(problem: dict[str, Any]) -> str:
    icon = ":x:" if problem["severity"] == "error" else ":warning:"
    hint = f" _Hint: {problem['hint']}_" if problem.get("hint") else ""
    return f"\n{icon} **{problem['check']}**: {problem['message']}{hint}"
