"""Converge an issue's comments, worklogs and attachments with its file.

The live items are read and matched with the file's (``align``): a matched comment or worklog is
edited where it differs (body, visibility, started, time spent, its own properties; its author
stays), an unmatched file item is created (a comment or worklog with its original author and
times in its own ``jiracfg.origin`` property, in the same request), and live items the repo does
not have are deleted only with ``--prune``. After a lost or failed answer the list is read again
and a create that did commit is not repeated; a rerun after a ``kill -9`` matches what was written.
"""

from __future__ import annotations

import contextlib
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.align import Item, align
from jiracfg.data.blobs import BlobStore
from jiracfg.data.body import origin_property
from jiracfg.data.catalog import Catalog
from jiracfg.data.issue import ORIGIN_PROPERTY, Spec, _in_time_order
from jiracfg.data.issue import _comment as comment_item
from jiracfg.data.issue import _worklog as worklog_item
from jiracfg.errors import JiraApiError, LostResponseError, NotFoundError

ATTEMPTS = 3
QUIET = {"notifyUsers": "false"}
LEAVE = {"adjustEstimate": "leave", **QUIET}  # worklogs keep the file's estimate
Counter = Any  # fill.Summary (count(part))


class Lists:
    def __init__(
        self, client: JiraClient, catalog: Catalog, store: BlobStore, summary: Counter
    ) -> None:
        self.client, self.catalog, self.store, self.summary = client, catalog, store, summary

    def converge(
        self, part: str, base: str, spec: Spec, new: bool, *, prune: bool = False
    ) -> list[str] | None:
        """Converge the issue's ``part``; its ids on the site after it, in time order (the id
        map's, from the list read and what the writes returned), None when a create's answer was
        lost (its id never came back)."""
        wanted = list(spec.get(part) or [])
        raws = [] if new else self.read(part, base)
        found = align(part, wanted, [self.item(part, r) for r in raws])
        count = len(raws)
        made: list[dict[str, Any]] | None = []
        for item, index in zip(wanted, found.matches, strict=True):
            if index is not None:
                self.edit(part, base, raws[index], item)
                continue
            posted = self.create(part, base, item, count)
            made = None if made is None or posted is None else made + posted
            count += 1
            self.summary.count(part)
        for index in found.extras if prune else []:
            self.delete(part, base, raws[index])
        gone = set(found.extras) if prune else set()
        kept = [r for i, r in enumerate(raws) if i not in gone]
        return None if made is None else [str(i["id"]) for i in _in_time_order(kept + made)]

    # -- reading ---------------------------------------------------------------------------------
    def read(self, part: str, base: str) -> list[dict[str, Any]]:
        if part == "attachments":
            found = self.client.get(base, {"fields": "attachment"}).get("fields") or {}
            return list(found.get("attachment") or [])
        params: dict[str, Any] = {"expand": "properties", "maxResults": 100}
        if part == "comments":
            params["orderBy"] = "created"
        path = f"{base}/{part[:-1]}"
        return list(self.client.paged(path, params, key=part))

    def item(self, part: str, raw: dict[str, Any]) -> Item:
        """A live item as the issue file would hold it (origin included)."""
        if part == "comments":
            return comment_item(raw, self.catalog)
        if part == "worklogs":
            return worklog_item(raw, self.catalog)
        return {
            "filename": raw.get("filename"),
            "size": raw.get("size"),
            "mime": raw.get("mimeType"),
        }

    # -- writing ---------------------------------------------------------------------------------
    def edit(self, part: str, base: str, raw: dict[str, Any], item: Item) -> None:
        if part == "attachments":
            return  # the same file name, size and type: nothing REST could change
        path, params = _item_path(part, base, raw), LEAVE if part == "worklogs" else QUIET
        wanted = _fields(part, item)
        have = _fields(part, self.item(part, raw))
        if {k: have.get(k) for k in wanted} != wanted:
            self.client.put(path, wanted, params)
        where = f"/comment/{raw['id']}" if part == "comments" else path  # Jira's own paths
        self._properties(f"{where}/properties", raw, item)

    def _properties(self, path: str, raw: dict[str, Any], item: Item) -> None:
        """The item's own properties (jiracfg's origin property is left as it is)."""
        have = {str(p["key"]): p.get("value") for p in raw.get("properties") or []}
        have.pop(ORIGIN_PROPERTY, None)
        wanted = item.get("properties") or {}
        for key in sorted(wanted):
            if have.get(key) != wanted[key] or key not in have:
                self.client.put(f"{path}/{key}", wanted[key])
        for key in sorted(set(have) - set(wanted)):
            with contextlib.suppress(NotFoundError):
                self.client.delete(f"{path}/{key}")

    def create(self, part: str, base: str, item: Item, count: int) -> list[dict[str, Any]] | None:
        """Create ``item``; after a lost or failed answer, only again if it did not commit (the
        list holds no more than the ``count`` items it held before). What Jira answered (a list
        of one), None when the create was found committed after a lost answer."""
        for attempt in range(ATTEMPTS):
            try:
                return self._post(part, base, item)
            except JiraApiError as exc:
                if not maybe_committed(exc) or attempt == ATTEMPTS - 1:
                    raise
                if len(self.read(part, base)) > count:
                    return None
        return None

    def _post(self, part: str, base: str, item: Item) -> list[dict[str, Any]]:
        if part == "attachments":
            with self.store.open(str(item["sha256"])) as body:
                found = self.client.upload(
                    f"{base}/attachments", str(item["filename"]), body, item.get("mime")
                )
            return list(found or [])
        body = {**_fields(part, item), "properties": _properties(item)}
        params = LEAVE if part == "worklogs" else {}
        return [self.client.post(f"{base}/{part[:-1]}", drop_none(body), params)]

    def delete(self, part: str, base: str, raw: dict[str, Any]) -> None:
        path = _item_path(part, base, raw)
        with contextlib.suppress(NotFoundError):  # gone already: a retried delete's lost answer
            self.client.delete(path, LEAVE if part == "worklogs" else {})


def _item_path(part: str, base: str, raw: dict[str, Any]) -> str:
    if part == "attachments":
        return f"/attachment/{raw['id']}"
    return f"{base}/{part[:-1]}/{raw['id']}"


def _fields(part: str, item: Item) -> dict[str, Any]:
    """What REST sets on a comment or worklog (the request body's names)."""
    if part == "comments":
        found = {"body": item.get("body"), "visibility": item.get("visibility")}
    else:
        found = {
            "started": item.get("started"),
            "timeSpentSeconds": item.get("time_spent_seconds"),
            "comment": item.get("comment"),
            "visibility": item.get("visibility"),
        }
    return drop_none(found)


def _properties(item: Item) -> list[dict[str, Any]] | None:
    own = [{"key": k, "value": v} for k, v in sorted((item.get("properties") or {}).items())]
    origin = origin_property(item["origin"]) if item.get("origin") else []
    return (origin + own) or None


def drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def maybe_committed(exc: JiraApiError) -> bool:
    return isinstance(exc, LostResponseError) or exc.status >= 500


__all__ = ["Lists", "drop_none", "maybe_committed"]
