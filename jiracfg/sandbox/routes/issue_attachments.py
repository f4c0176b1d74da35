"""Attachments: upload (``POST /issue/{key}/attachments``, multipart field ``file``, one
attachment per part; refused with 403 without ``X-Atlassian-Token: no-check``, 413 above the
site's upload limit), metadata (``GET /attachment/{id}``), the bytes (``GET
/attachment/content/{id}``: 303 to the media URL as on Jira Cloud, or the bytes with
``redirect=false``), delete, and the site's settings (``GET /attachment/meta``).

Collection ``issue_attachment`` (parent: issue id) ``{id, issueId, filename, author, created,
size, mimeType, sha256}``; the bytes sit in the store's ``blobs`` table, written and served in
1 MiB chunks. The upload limit is the store meta ``attachment_upload_limit`` (bytes; default
1 GiB). Adding and deleting one is recorded in the changelog (field ``Attachment``).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterator
from typing import IO, Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from jiracfg.sandbox.http import ApiError, base, no_content, ok, route, store
from jiracfg.sandbox.routes._issue_beans import user_details
from jiracfg.sandbox.routes._issue_history import add_history, now, touch
from jiracfg.sandbox.routes._workflow_rules import demand
from jiracfg.sandbox.routes.issues import ISSUES, find_issue
from jiracfg.sandbox.store import BLOB_CHUNK, Doc, Store

ATTACHMENTS = "issue_attachment"
DEFAULT_LIMIT = 1 << 30
XSRF = "XSRF check failed"


def upload_limit(db: Store) -> int:
    return int(db.get_meta("attachment_upload_limit") or DEFAULT_LIMIT)


def attachment_bean(request: Request, doc: Doc) -> dict[str, Any]:
    url = base(request)
    return {
        "self": f"{url}/rest/api/3/attachment/{doc['id']}",
        "id": doc["id"],
        "filename": doc["filename"],
        "author": user_details(store(request), url, doc["author"]),
        "created": doc["created"],
        "size": doc["size"],
        "mimeType": doc["mimeType"],
        "content": f"{url}/rest/api/3/attachment/content/{doc['id']}",
    }


def attachment_field(request: Request, issue: Doc) -> list[dict[str, Any]]:
    """``fields.attachment`` of an issue bean."""
    return [attachment_bean(request, d) for d in store(request).all(ATTACHMENTS, issue["id"])]


def too_large(db: Store) -> ApiError:
    limit = upload_limit(db)
    return ApiError(413, f"The file is too large: the maximum attachment size is {limit} bytes.")


def chunks(file: IO[bytes], digest: Any) -> Iterator[bytes]:
    file.seek(0)
    while chunk := file.read(BLOB_CHUNK):
        digest.update(chunk)
        yield chunk


def file_size(upload: UploadFile) -> int:
    upload.file.seek(0, 2)
    size = upload.file.tell()
    upload.file.seek(0)
    return size


def store_upload(db: Store, issue: Doc, upload: UploadFile, author: str) -> Doc:
    size = file_size(upload)
    if size > upload_limit(db):
        raise too_large(db)
    name = upload.filename or "attachment"
    doc: Doc = {
        "issueId": issue["id"],
        "filename": name,
        "author": author,
        "created": now(),
        "size": size,
        "mimeType": upload.content_type
        or mimetypes.guess_type(name)[0]
        or "application/octet-stream",
    }
    digest = hashlib.sha256()
    with db.tx():
        db.insert(ATTACHMENTS, doc, parent=issue["id"])
        db.put_blob(doc["id"], size, chunks(upload.file, digest))
        doc["sha256"] = digest.hexdigest()
        db.put(ATTACHMENTS, doc)
        add_history(db, issue["id"], author, [history_item(None, doc)])
    return doc


def forget_issue(db: Store, issue_id: str) -> None:
    """An issue is deleted: drop its attachments' bytes."""
    for doc in db.all(ATTACHMENTS, issue_id):
        db.delete_blob(doc["id"])


def history_item(old: Doc | None, new: Doc | None) -> Doc:
    return {
        "field": "Attachment",
        "fieldtype": "jira",
        "fieldId": "attachment",
        "from": old and old["id"],
        "fromString": old and old["filename"],
        "to": new and new["id"],
        "toString": new and new["filename"],
    }


@route("/rest/api/3/issue/{key}/attachments", "POST")
async def add_attachments(request: Request) -> Response:
    db = store(request)
    if request.headers.get("x-atlassian-token", "").lower() != "no-check":
        raise ApiError(403, XSRF)
    issue = find_issue(db, request.path_params["key"])
    message = "You do not have permission to create attachments for this issue."
    demand(db, issue, "CREATE_ATTACHMENTS", request.state.account_id, 403, message)
    if int(request.headers.get("content-length") or 0) > upload_limit(db) + 64 * 1024:
        raise too_large(db)
    form = await request.form(max_part_size=1 << 20)
    try:
        uploads = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
        if not uploads:
            raise ApiError(
                400, "No attachments were provided in the request (multipart field 'file')."
            )
        docs = [store_upload(db, issue, u, request.state.account_id) for u in uploads]
    finally:
        await form.close()
    issue["updated"] = now()
    db.put(ISSUES, issue)
    return ok([attachment_bean(request, d) for d in docs])


def find_attachment(db: Store, raw: str) -> Doc:
    doc = db.get(ATTACHMENTS, raw)
    if doc is None:
        raise ApiError(404, f"The attachment with id '{raw}' does not exist.")
    return doc


@route("/rest/api/3/attachment/meta")
async def attachment_settings(request: Request) -> Response:
    return ok({"enabled": True, "uploadLimit": upload_limit(store(request))})


@route("/rest/api/3/attachment/{id}")
async def get_attachment(request: Request) -> Response:
    doc = find_attachment(store(request), request.path_params["id"])
    bean = attachment_bean(request, doc)
    return ok({**bean, "id": int(doc["id"]), "properties": {}})


@route("/rest/api/3/attachment/{id}", "DELETE")
async def delete_attachment(request: Request) -> Response:
    db = store(request)
    doc = find_attachment(db, request.path_params["id"])
    with db.tx():
        db.delete(ATTACHMENTS, doc["id"])
        db.delete_blob(doc["id"])
        add_history(db, doc["issueId"], request.state.account_id, [history_item(doc, None)])
        touch(db, doc["issueId"])
    return no_content()


@route("/rest/api/3/attachment/content/{id}")
async def attachment_content(request: Request) -> Response:
    db = store(request)
    doc = find_attachment(db, request.path_params["id"])
    if request.query_params.get("redirect", "true").lower() != "false":
        return RedirectResponse(f"{base(request)}/sandbox-media/file/{doc['id']}/binary", 303)
    return stream(db, doc)


@route("/sandbox-media/file/{id}/binary")
async def media(request: Request) -> Response:
    """Where the content URL redirects (Jira Cloud serves attachments from its media service)."""
    db = store(request)
    return stream(db, find_attachment(db, request.path_params["id"]))


def stream(db: Store, doc: Doc) -> Response:
    return StreamingResponse(
        iterate(db.read_blob(doc["id"])),
        media_type=doc["mimeType"],
        headers={
            "Content-Length": str(doc["size"]),
            "Content-Disposition": f'attachment; filename="{doc["filename"]}"',
        },
    )


async def iterate(chunks: Iterator[bytes]) -> Any:
    for chunk in chunks:
        yield chunk


ROUTES = [
    add_attachments,
    attachment_settings,
    get_attachment,
    delete_attachment,
    attachment_content,
    media,
]


def seed_empty(db: Store) -> None:
    """A new site has no attachments."""
