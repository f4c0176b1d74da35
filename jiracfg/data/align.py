"""Which live comment, worklog or attachment of an issue is which item of its file.

Items are matched, in this order: by identity (a comment or worklog by its origin author and
creation time, which a restored one keeps in its ``jiracfg.origin`` property; an attachment by file
name, size and type, since Jira gives no hash of its body), then by equal content (an item added
in git has no origin yet). Items of the file left unmatched are created; live items left unmatched
are not in the repo: deleted only with ``--prune`` (the plan counts them either way).

Plan compares each file item with its match (so an edit is an edit, whatever the positions); apply
matches again against what it reads, so a rerun after a lost answer or a ``kill -9`` finds what
was already written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiracfg.model import canonical_json

LISTS = ("comments", "worklogs", "attachments")
Item = dict[str, Any]


@dataclass(frozen=True)
class Alignment:
    matches: list[int | None]  # for each file item, the index of its live item (None: create)
    extras: list[int]  # live items no file item matches


def identity(name: str, item: Item) -> tuple[Any, ...] | None:
    if name == "attachments":
        return (item.get("filename"), int(item.get("size") or 0), item.get("mime"))
    origin = item.get("origin") or {}
    return (origin.get("author"), origin.get("created")) if origin.get("created") else None


def content(item: Item) -> str:
    return canonical_json({k: v for k, v in item.items() if k not in ("origin", "sha256")})


def align(name: str, wanted: list[Item], live: list[Item]) -> Alignment:
    matches: list[int | None] = [None] * len(wanted)
    used: set[int] = set()
    for key in (lambda i: identity(name, i), content):
        free: dict[Any, list[int]] = {}
        for j, item in enumerate(live):
            if j not in used:
                free.setdefault(key(item), []).append(j)
        for i, item in enumerate(wanted):
            found = free.get(key(item)) if matches[i] is None and key(item) is not None else None
            if found:
                j = found.pop(0)
                matches[i] = j
                used.add(j)
    return Alignment(matches, [j for j in range(len(live)) if j not in used])


def aligned_live(live: Item, wanted: Item, prune: bool) -> tuple[Item, dict[str, int]]:
    """``live`` with each list in the file's order (an empty item where the file's has no live
    match yet, live items not in the repo at the end with ``prune``, else left out), and how
    many live items each list has that the repo has not."""
    out, extras = dict(live), {}
    for name in LISTS:
        have, want = list(live.get(name) or []), list(wanted.get(name) or [])
        found = align(name, want, have)
        shown = [have[j] if j is not None else {} for j in found.matches]
        shown += [have[j] for j in found.extras] if prune else []
        if found.extras:
            extras[name] = len(found.extras)
        if shown:
            out[name] = shown
        else:
            out.pop(name, None)
    return out, extras
