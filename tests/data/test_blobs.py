"""The blob store: a content-addressed folder, and an S3 bucket on moto's real server (HTTP over
loopback, started here; never a mock)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiracfg.data.blobs import FolderStore, S3Store, ensure_lfs_line, open_store
from tests.moto_s3 import s3_server

BODY = b"attachment body \x00\x01" * 1000


def chunks(data: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_folder_store_is_content_addressed(tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "blobs")
    sha, size = store.put(chunks(BODY))
    assert sha == hashlib.sha256(BODY).hexdigest() and size == len(BODY)
    assert store.path(sha) == tmp_path / "blobs" / sha[:2] / sha
    assert store.put(chunks(BODY)) == (sha, size)  # stored once
    assert [p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [sha]
    with store.open(sha) as body:
        assert body.read() == BODY


def test_missing_blob_says_how_to_get_it(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    with pytest.raises(Exception, match="git lfs pull"), store.open("0" * 64):
        pass


def test_lfs_line_written_once(tmp_path: Path) -> None:
    (tmp_path / ".gitattributes").write_text("*.png binary")
    ensure_lfs_line(tmp_path, "blobs")
    ensure_lfs_line(tmp_path, "blobs")
    lines = (tmp_path / ".gitattributes").read_text().splitlines()
    assert lines == ["*.png binary", "blobs/** filter=lfs diff=lfs merge=lfs -text"]


@pytest.fixture
def s3_url() -> Iterator[str]:
    with s3_server("jira-blobs") as url:
        yield url


def test_s3_store_on_a_real_s3_server(s3_url: str, tmp_path: Path) -> None:
    import boto3

    store = open_store(tmp_path, "s3://jira-blobs/acme", s3_url)
    assert isinstance(store, S3Store)
    sha, size = store.put(chunks(BODY))
    assert (sha, size) == (hashlib.sha256(BODY).hexdigest(), len(BODY))
    assert store.has(sha) and not store.has("f" * 64)
    listed = boto3.client("s3", endpoint_url=s3_url).list_objects_v2(Bucket="jira-blobs")
    assert [o["Key"] for o in listed["Contents"]] == [f"acme/{sha[:2]}/{sha}"]
    with store.open(sha) as body:
        assert body.read() == BODY
    assert not list(tmp_path.iterdir())  # nothing left behind locally
