"""What an issue's search result leaves out, read with as few requests as Jira allows.

Each request is made only when the search result says there is something to read: comments and
worklogs (with their properties) when the issue has any, watchers when it is watched, the
changelog when the search result's page of it is not all, attachment bodies not already in the
blob store. Remote links and the issue's property keys have no count in the search result, so they
are always read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.blobs import BlobStore
from jiracfg.data.issue import ORIGIN_PROPERTY, Extras, Spec, drop_empty

UserName = Callable[[Any], "str | None"]


@dataclass
class Fetched:
    extras: Extras = field(default_factory=Extras)
    downloaded: int = 0


def extras_of(
    client: JiraClient, raw: Spec, store: BlobStore | None, old: list[Spec], user_name: UserName
) -> Fetched:
    """The issue's extras; attachment bodies go to ``store`` (None: not read, no sha256)."""
    f, issue = raw.get("fields") or {}, str(raw["id"])
    out = Fetched(Extras(user_name=user_name))
    ex = out.extras
    if _count(f.get("comment"), "comments"):
        ex.comments = list(_paged(client, f"/issue/{issue}/comment", "comments", 100))
    if _count(f.get("worklog"), "worklogs"):
        ex.worklogs = list(_paged(client, f"/issue/{issue}/worklog", "worklogs", 5000))
    if int((f.get("watches") or {}).get("watchCount") or 0):
        ex.watchers = list(client.get(f"/issue/{issue}/watchers").get("watchers") or [])
    ex.remote_links = list(client.get(f"/issue/{issue}/remotelink") or [])
    ex.properties = _properties(client, issue, raw.get("properties") or {})
    ex.changelog = _changelog(client, issue, raw.get("changelog") or {})
    ex.attachments, out.downloaded = _attachments(client, f, ex, store, old)
    return out


def _count(block: Any, key: str) -> int:
    if not isinstance(block, dict):
        return 0
    return int(block.get("total") or len(block.get(key) or []))


def _paged(client: JiraClient, path: str, key: str, size: int) -> Any:
    params = {"expand": "properties", "maxResults": size}
    if key == "comments":
        params["orderBy"] = "created"
    return client.paged(path, params, key=key)


def _properties(client: JiraClient, issue: str, found: dict[str, Any]) -> dict[str, Any]:
    keys = [str(k["key"]) for k in client.get(f"/issue/{issue}/properties").get("keys") or []]
    out = {k: found[k] for k in keys if k in found}
    rest = [k for k in keys if k not in out]
    for key in rest:
        out[key] = client.get(f"/issue/{issue}/properties/{key}").get("value")
    return out


def _changelog(client: JiraClient, issue: str, block: dict[str, Any]) -> list[dict[str, Any]]:
    histories = list(block.get("histories") or [])
    if int(block.get("total") or 0) <= len(histories):
        return histories
    return list(client.paged(f"/issue/{issue}/changelog", {"maxResults": 100}))


def _attached(f: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(f.get("attachment") or [])
    return sorted(found, key=lambda a: (str(a.get("created", "")), int(str(a.get("id") or 0))))


def _attachments(
    client: JiraClient, f: dict[str, Any], ex: Extras, store: BlobStore | None, old: list[Spec]
) -> tuple[list[Spec], int]:
    raws = _attached(f)
    origins = [_attachment_origin(a, ex.user_name) for a in raws]
    stored = ex.properties.get(ORIGIN_PROPERTY)
    kept = stored.get("attachments") if isinstance(stored, dict) else None
    if isinstance(kept, list) and len(kept) == len(raws):
        origins = kept  # a restored issue: the original authors and times
    out, downloaded = [], 0
    for index, (raw, origin) in enumerate(zip(raws, origins, strict=True)):
        if store is None:
            out.append(_attachment(raw, None, origin))
            continue
        sha = _known(raw, origin, store, old[index] if index < len(old) else {})
        if sha is None:
            with client.download(f"/attachment/content/{raw['id']}") as chunks:
                sha, _ = store.put(chunks)
            downloaded += 1
        out.append(_attachment(raw, sha, origin))
    return out, downloaded


def _attachment_origin(raw: Spec, user_name: UserName) -> Spec:
    return drop_empty({"author": user_name(raw.get("author")), "created": raw.get("created")})


def _attachment(raw: Spec, sha: str | None, origin: Spec) -> Spec:
    spec = {
        "filename": raw.get("filename"),
        "sha256": sha,
        "size": int(raw.get("size") or 0),
        "mime": raw.get("mimeType"),
        "origin": origin,
    }
    return {k: v for k, v in spec.items() if v is not None}


def _known(raw: Spec, origin: Spec, store: BlobStore, old: Spec) -> str | None:
    """The sha256 the issue file lists for the attachment at this position, when it is the same
    attachment (file name, size, creation time, and the Jira id the previous export recorded,
    where it did: a body replaced under the same name and size has a new id) and its body is
    stored."""
    if old.get("id") is not None and str(old["id"]) != str(raw.get("id")):
        return None
    same = (old.get("filename"), old.get("size")) == (raw.get("filename"), raw.get("size"))
    created = (old.get("origin") or {}).get("created")
    sha = old.get("sha256")
    if same and sha and created == origin.get("created") and store.has(str(sha)):
        return str(sha)
    return None
