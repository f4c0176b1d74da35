"""Rank strings shaped like Jira's LexoRank (``0|hzzzzn:``): any two issues can take a new rank
between them, so ranking never renumbers the others.

A rank is ``0|`` + a core of letters ``a``-``z`` + ``:``. Cores compare as base-26 fractions, which
for these strings is plain string order (``:`` sorts below every letter), so ``ORDER BY Rank``
sorts the stored strings. A new issue takes a rank after every other (a counter); a core never
ends in ``a``, so there is always room between two ranks.
"""

from __future__ import annotations

from jiracfg.sandbox.store import Doc, Store

FIELD = "customfield_10019"
WIDTH = 6


def wrap(core: str) -> str:
    return f"0|{core}:"


def core_of(rank: str) -> str:
    return rank[2:-1]


def last(db: Store) -> str:
    """A rank after every rank given so far."""
    number = db.next_id("issue_rank", 1)
    digits = []
    for _ in range(WIDTH):
        number, digit = divmod(number, 26)
        digits.append(chr(97 + digit))
    return wrap("".join(reversed(digits)) + "n")


def between(low: str | None, high: str | None) -> str:
    """A core strictly between the cores ``low`` and ``high`` (None: unbounded)."""
    low = low or ""
    out: list[str] = []
    bounded, index = high is not None, 0
    while True:
        a = ord(low[index]) - 97 if index < len(low) else 0
        b = (ord(high[index]) - 97 if index < len(high) else 0) if bounded and high else 26
        if b - a > 1:
            out.append(chr(97 + (a + b) // 2))
            return "".join(out)
        out.append(chr(97 + a))
        bounded = bounded and b == a
        index += 1


def neighbour(db: Store, rank: str, moved: set[str], after: bool) -> str | None:
    """The rank next to ``rank`` (after or before it) of an issue that does not move."""
    sign, order = (">", "ASC") if after else ("<", "DESC")
    sql = (
        f"SELECT id, json_extract(body, '$.fields.{FIELD}') AS r FROM docs WHERE coll='issue' "
        f"AND r IS NOT NULL AND r {sign} ? ORDER BY r {order} LIMIT ?"
    )
    with db.lock:
        rows = db.db.execute(sql, (rank, len(moved) + 1)).fetchall()
    return next((str(r[1]) for r in rows if str(r[0]) not in moved), None)


def around(db: Store, anchor: Doc, moved: set[str], before: bool, count: int) -> list[str]:
    """``count`` increasing ranks right before (or after) the anchor issue's rank."""
    mine = str((anchor.get("fields") or {}).get(FIELD) or last(db))
    other = neighbour(db, mine, moved, after=not before)
    low, high = (other, mine) if before else (mine, other)
    low_core = core_of(low) if low else None
    high_core = core_of(high) if high else None
    ranks: list[str] = []
    for _ in range(count):
        low_core = between(low_core, high_core)
        ranks.append(wrap(low_core))
    return ranks
