"""Attachment bodies stream between Jira and the blob store: a body many times larger than the
memory the transfer may take goes both ways through jiracfg's client over HTTP."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

from jiracfg.data.blobs import FolderStore
from tests.conftest import Api, StartSandbox, client_for, create_project

SIZE = 48 << 20  # 48 MiB
BOUND = 12 << 20  # what Python may hold at once, sandbox thread included


def test_a_large_attachment_streams_both_ways(start_sandbox: StartSandbox, tmp_path: Path) -> None:
    server = start_sandbox("empty")
    server.store.set_meta("attachment_upload_limit", str(SIZE * 2))
    api = Api(server)
    create_project(api, "ENG")
    key = api.checked(
        "POST",
        "/issue",
        201,
        json={"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "s"}},
    )["key"]
    source = tmp_path / "big.bin"
    with source.open("wb") as out:
        for n in range(SIZE >> 20):
            out.write(bytes([n % 256]) * (1 << 20))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    store = FolderStore(tmp_path / "blobs")
    client = client_for(server)
    tracemalloc.start()
    try:
        with source.open("rb") as body:
            (added,) = client.upload(f"/issue/{key}/attachments", "big.bin", body)
        with client.download(f"/attachment/content/{added['id']}") as stream:
            sha, size = store.put(stream)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        client.close()
    assert (sha, size) == (digest, SIZE)
    assert peak < BOUND, f"peak {peak >> 20} MiB"
