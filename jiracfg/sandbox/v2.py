"""``/rest/api/2``: Jira Cloud's other current REST version, served by the ``/rest/api/3`` routes.

Both versions have the same operations; they differ in rich text (Atlassian's "Version 2 and
version 3 of the REST API": v2 takes and returns plain strings, wiki markup in Jira, where v3 uses
the Atlassian Document Format). This middleware rewrites a v2 request to v3 and its answer back:

- request: the rich-text values of issue create/edit/bulk (``fields`` and ``update`` ``set`` of
  ``description``, ``environment`` and multi-line text custom fields), a comment's ``body``, a
  worklog's ``comment``, and a transition's comment, from a string to a document of paragraphs;
- response: every ADF document becomes its plain text (one line per block), and links to
  ``/rest/api/3/`` point at ``/rest/api/2/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiracfg.sandbox.http import peer
from jiracfg.sandbox.store import Store

V2, V3 = "/rest/api/2/", "/rest/api/3/"
ISSUE_WRITE = re.compile(r"^/rest/api/3/issue(/bulk|/[^/]+|/[^/]+/transitions)?$")
COMMENT = re.compile(r"^/rest/api/3/issue/[^/]+/comment(/[^/]+)?$")
WORKLOG = re.compile(r"^/rest/api/3/issue/[^/]+/worklog(/[^/]+)?$")
LINK = re.compile(r'("https?://[^"/]+)' + re.escape(V3))  # a link in a JSON string
RICH_SYSTEM = ("description", "environment")
TEXTAREA = "com.atlassian.jira.plugin.system.customfieldtypes:textarea"


def to_adf(text: str) -> dict[str, Any]:
    """A plain string as an ADF document: one paragraph per line."""
    blocks = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []}
        for line in text.split("\n")
    ]
    return {"type": "doc", "version": 1, "content": blocks if text else []}


def is_adf(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "doc" and "content" in value


def to_text(node: Any) -> str:
    """An ADF document's plain text: the text of each block, one block per line."""
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return str(node.get("text", ""))
    if node.get("type") == "hardBreak":
        return "\n"
    parts = [to_text(child) for child in node.get("content") or []]
    joint = "\n" if node.get("type") in ("doc", "bulletList", "orderedList", "listItem") else ""
    return joint.join(parts)


def plain(value: Any) -> Any:
    """``value`` (a decoded response) with every ADF document replaced by its text."""
    if is_adf(value):
        return to_text(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def rich_fields(db: Store) -> Callable[[str], bool]:
    """Whether an issue field takes rich text (v3: ADF) on this site."""
    get_field = peer("fields", "get_field")

    def rich(name: str) -> bool:
        if name in RICH_SYSTEM:
            return True
        found = get_field(db, name) if get_field and name.startswith("customfield_") else None
        return found is not None and (found.get("schema") or {}).get("custom") == TEXTAREA

    return rich


def adf_fields(fields: Any, rich: Callable[[str], bool]) -> Any:
    if not isinstance(fields, dict):
        return fields
    return {k: to_adf(v) if isinstance(v, str) and rich(k) else v for k, v in fields.items()}


def adf_update(update: Any, rich: Callable[[str], bool]) -> Any:
    """``update``'s ``set`` operations on rich fields, and added comments, as ADF."""
    if not isinstance(update, dict):
        return update
    out = {}
    for name, operations in update.items():
        ops = operations if isinstance(operations, list) else []
        out[name] = [adf_operation(name, op, rich) for op in ops] if ops else operations
    return out


def adf_operation(name: str, op: Any, rich: Callable[[str], bool]) -> Any:
    if not isinstance(op, dict):
        return op
    if name == "comment" and isinstance(op.get("add"), dict):
        return {**op, "add": adf_keys(op["add"], "body")}
    if rich(name) and isinstance(op.get("set"), str):
        return {**op, "set": to_adf(op["set"])}
    return op


def adf_keys(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: to_adf(v) if k in keys and isinstance(v, str) else v for k, v in data.items()}


def adf_issue(data: dict[str, Any], rich: Callable[[str], bool]) -> dict[str, Any]:
    out = dict(data)
    if "fields" in out:
        out["fields"] = adf_fields(out["fields"], rich)
    if "update" in out:
        out["update"] = adf_update(out["update"], rich)
    if isinstance(out.get("issueUpdates"), list):
        out["issueUpdates"] = [
            adf_issue(i, rich) if isinstance(i, dict) else i for i in out["issueUpdates"]
        ]
    return out


def v3_body(path: str, data: Any, db: Store) -> Any:
    """A v2 request body as the v3 route reads it."""
    if not isinstance(data, dict):
        return data
    if COMMENT.match(path):
        return adf_keys(data, "body")
    if WORKLOG.match(path):
        return adf_keys(data, "comment")
    if ISSUE_WRITE.match(path):
        return adf_issue(data, rich_fields(db))
    return data


class V2Middleware:
    """Serve ``/rest/api/2/...`` with the ``/rest/api/3/...`` routes (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(V2):
            await self.app(scope, receive, send)
            return
        v3 = V3 + path[len(V2) :]
        scope = {**scope, "path": v3, "raw_path": v3.encode()}
        raw = await read_body(receive)
        body = rewritten_request(raw, v3, scope["app"].state.store)
        await self.app(scope, replay(body, receive), V2Send(send))


def rewritten_request(raw: bytes, path: str, db: Store) -> bytes:
    if not raw:
        return raw
    try:
        data = json.loads(raw)
    except ValueError:
        return raw  # the route answers its parse error
    return json.dumps(v3_body(path, data, db)).encode()


async def read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


class V2Send:
    """Buffers a JSON answer and sends it in v2's terms (plain text, ``/rest/api/2`` links)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            await self.flush()

    async def flush(self) -> None:
        assert self.start is not None
        body = v2_answer(b"".join(self.chunks), dict(self.start.get("headers", [])))
        headers = [(k, v) for k, v in self.start.get("headers", []) if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


def v2_answer(body: bytes, headers: dict[bytes, bytes]) -> bytes:
    if not body or b"json" not in headers.get(b"content-type", b""):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    text = json.dumps(plain(data), separators=(",", ":"))
    return LINK.sub(r"\1" + V2, text).encode()
