"""Options of a custom field context: read them nested, and make them match a desired list with
few calls (one bulk update, one bulk create per level, one move per displaced run, a replacement
task and a delete per removed option, which is all Jira offers).

Live options: ``[{id, value, disabled, children: [...]}]``; desired: ``[{value, renamed_from?,
replaces?: [values], disabled?, children?: [{value, renamed_from?, disabled?}]}]``. Options are
identified by value: a desired option matches the live one with the same value (ignoring case, as
Jira's uniqueness does), else the live one its ``renamed_from`` names, which is renamed in place
(issues holding it keep it, under the new value). Live options left over are removed; the issues
holding one that a desired option ``replaces`` get that option first. Unmatched options are never
paired up by position: that would silently change the value of every issue holding them.
"""

from __future__ import annotations

import bisect
from typing import Any

from jiracfg.client import JiraClient

Option = dict[str, Any]
Pair = tuple[Option | None, Option | None]  # (live, desired)
CHUNK = 1000  # options per create/update request (Jira's cap)


def nest(flat: list[Option]) -> list[Option]:
    """Jira's flat option list (parents first, then cascading options) as a nested list."""
    tops = [
        {
            "id": str(o["id"]),
            "value": o["value"],
            "disabled": bool(o.get("disabled")),
            "children": [],
        }
        for o in flat
        if not o.get("optionId")
    ]
    by_id = {t["id"]: t for t in tops}
    for option in flat:
        if option.get("optionId"):
            by_id[str(option["optionId"])]["children"].append(
                {
                    "id": str(option["id"]),
                    "value": option["value"],
                    "disabled": bool(option.get("disabled")),
                }
            )
    return tops


def spec_options(live: list[Option]) -> list[Option]:
    """The spec form: values, ``disabled`` only when set, ``children`` only when present."""
    out = []
    for option in live:
        item: Option = {"value": option["value"]}
        if option.get("disabled"):
            item["disabled"] = True
        if option.get("children"):
            item["children"] = spec_options(option["children"])
        out.append(item)
    return out


PLANNER_KEYS = ("renamed_from", "replaces")


def as_applied(want: list[Option]) -> list[Option]:
    """Desired options without the keys that only say how to get there."""
    out = []
    for option in want:
        item = {k: v for k, v in option.items() if k not in PLANNER_KEYS}
        if option.get("children"):
            item["children"] = as_applied(option["children"])
        out.append(item)
    return out


def with_declarations(old: list[Any], read: list[Option]) -> list[Option]:
    """Options read from the site (spec form) with the ``renamed_from`` and ``replaces`` a file
    declared on the option of the same value (children too), for export: the site keeps no memory
    of them, and a site that has not applied them yet still needs them."""
    declared = {str(o.get("value")).casefold(): o for o in old if isinstance(o, dict)}
    out = []
    for option in read:
        was = declared.get(str(option["value"]).casefold(), {})
        item: Option = {"value": option["value"]}
        item.update({k: was[k] for k in PLANNER_KEYS if k in was})
        item.update({k: v for k, v in option.items() if k != "value"})
        if option.get("children"):
            item["children"] = with_declarations(was.get("children") or [], option["children"])
        out.append(item)
    return out


def pair(live: list[Option], want: list[Option]) -> list[Pair]:
    """Desired options with their live match (or None), then the live options left over."""
    free = {o["value"].casefold(): o for o in live}
    matched = [free.pop(w["value"].casefold(), None) for w in want]
    matched = [
        m if m is not None or not w.get("renamed_from") else free.pop(_folded(w), None)
        for m, w in zip(matched, want, strict=True)
    ]
    spare = [o for o in live if o["value"].casefold() in free]
    return [*zip(matched, want, strict=True), *((o, None) for o in spare)]


def _folded(option: Option) -> str:
    return str(option["renamed_from"]).casefold()


def replacements(want: list[Option]) -> dict[str, Option]:
    """Folded value of a live option -> the desired option that ``replaces`` it."""
    return {str(v).casefold(): w for w in want for v in w.get("replaces") or []}


def sync(client: JiraClient, path: str, live: list[Option], want: list[Option]) -> None:
    """Make the options at ``path`` (``/field/{id}/context/{id}/option``) equal ``want``."""
    tops = pair(live, want)
    kids = {
        id(w): pair((lv or {}).get("children", []), w.get("children", []))
        for lv, w in tops
        if w is not None
    }
    takers = replacements(want)
    gone = [lv for lv, w in tops if lv is not None and w is None]
    replaced = [lv for lv in gone if lv["value"].casefold() in takers]
    removed = [lv for lv in gone if lv["value"].casefold() not in takers]
    every = [*tops, *(p for ps in kids.values() for p in ps)]
    dropped_kids = [lv for lv, w in every[len(tops) :] if lv is not None and w is None]
    for option in [*dropped_kids, *(k for t in removed for k in t["children"]), *removed]:
        client.delete(f"{path}/{option['id']}")  # cascading options before their parents
    changed = [
        c
        for lv, w in every
        if lv is not None and w is not None
        for c in [changes(lv, w)]
        if c is not None
    ]
    for start in range(0, len(changed), CHUNK):
        client.put(path, {"options": changed[start : start + CHUNK]})
    top_ids = ids_after_create(client, path, tops, None)
    for option in replaced:  # issues holding it get its taker first (Jira's async task)
        taker = top_ids[id(takers[option["value"].casefold()])]
        client.delete(f"{path}/{option['id']}/issue", params={"replaceWith": taker})
        for child in [*option["children"], option]:
            client.delete(f"{path}/{child['id']}")
    for lv, w in [(lv, w) for lv, w in tops if w is not None]:
        ids = ids_after_create(client, path, kids[id(w)], top_ids[id(w)])
        reorder(client, path, (lv or {}).get("children", []), kids[id(w)], ids)
    reorder(client, path, live, tops, top_ids)


def changes(live: Option, want: Option) -> Option | None:
    body: Option = {}
    if live["value"] != want["value"]:
        body["value"] = want["value"]
    if live["disabled"] != bool(want.get("disabled")):
        body["disabled"] = bool(want.get("disabled"))
    return {"id": live["id"], **body} if body else None


def ids_after_create(
    client: JiraClient, path: str, pairs: list[Pair], parent: str | None
) -> dict[int, str]:
    """Create the desired options without a live match; ids of every desired option."""
    new = [w for lv, w in pairs if lv is None and w is not None]
    made: list[str] = []
    for start in range(0, len(new), CHUNK):
        items = [
            {
                "value": w["value"],
                "disabled": bool(w.get("disabled")),
                **({"optionId": parent} if parent else {}),
            }
            for w in new[start : start + CHUNK]
        ]
        made += [str(o["id"]) for o in client.post(path, {"options": items})["options"]]
    created = iter(made)
    return {
        id(w): (lv["id"] if lv is not None else next(created)) for lv, w in pairs if w is not None
    }


def reorder(
    client: JiraClient, path: str, live: list[Option], pairs: list[Pair], ids: dict[int, str]
) -> None:
    """Move runs of displaced options after their desired predecessor (``live``: the siblings'
    order before the sync, which appended the new ones)."""
    desired = [ids[id(w)] for _, w in pairs if w is not None]
    kept = set(desired)
    current = [o["id"] for o in live if o["id"] in kept]
    current += [ids[id(w)] for lv, w in pairs if lv is None and w is not None]
    keep = in_order(current, desired)
    run: list[str] = []
    for index, option_id in enumerate([*desired, None]):
        if option_id is not None and option_id not in keep:
            run.append(option_id)
            continue
        if run:
            before = index - len(run) - 1
            where = {"after": desired[before]} if before >= 0 else {"position": "First"}
            client.put(f"{path}/move", {"customFieldOptionIds": run, **where})
            run = []


def in_order(current: list[str], desired: list[str]) -> set[str]:
    """The largest set of ``current`` ids already in ``desired`` order (O(n log n))."""
    rank = {option_id: i for i, option_id in enumerate(desired)}
    ranks = [rank[c] for c in current]
    tails: list[int] = []  # tails[k]: smallest last rank of an increasing run of length k+1
    tail_at: list[int] = []  # index in ranks of that tail
    previous: list[int] = []
    for i, value in enumerate(ranks):
        k = bisect.bisect_left(tails, value)
        previous.append(tail_at[k - 1] if k else -1)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
    keep, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(current[i])
        i = previous[i]
    return keep
