"""Attachment bodies, content-addressed: stored once under their sha256, streamed both ways.

``FolderStore`` (the default) keeps ``<folder>/<ab>/<sha256>`` in the config repo; export adds a
``.gitattributes`` line so Git LFS can hold them. ``S3Store`` keeps ``<prefix>/<ab>/<sha256>`` in
an S3-compatible bucket (``blobs: s3://bucket/prefix`` in jiracfg.yaml). A body passes through a
temporary file on its way in (its hash names it), never through memory whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

from jiracfg.errors import ConfigError

CHUNK = 1 << 20
LFS_LINE = "{folder}/** filter=lfs diff=lfs merge=lfs -text"


class BlobStore(Protocol):
    def has(self, sha256: str) -> bool: ...

    def put(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Store a body read chunk by chunk; return its sha256 and size."""
        ...

    def open(self, sha256: str) -> Any:
        """A context manager giving a binary file object of the body."""
        ...


def _spooled(chunks: Iterable[bytes], folder: Path | None = None) -> tuple[Path, str, int]:
    digest, size = hashlib.sha256(), 0
    handle, name = tempfile.mkstemp(prefix=".blob-", dir=folder)
    with os.fdopen(handle, "wb") as out:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return Path(name), digest.hexdigest(), size


def blob_key(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


class FolderStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path:
        return self.folder / blob_key(sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        self.folder.mkdir(parents=True, exist_ok=True)
        temp, sha, size = _spooled(chunks, self.folder)
        target = self.path(sha)
        if target.exists():
            temp.unlink()
        else:
            target.parent.mkdir(exist_ok=True)
            os.replace(temp, target)
        return sha, size

    @contextmanager
    def open(self, sha256: str) -> Iterator[IO[bytes]]:
        if not self.has(sha256):
            raise ConfigError(
                f"attachment body {sha256} is missing from {self.folder}",
                hint="export again, or fetch the blobs (git lfs pull)",
            )
        with self.path(sha256).open("rb") as body:
            yield body


class S3Store:
    def __init__(self, url: str, endpoint: str | None = None) -> None:
        parts = urlsplit(url)
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.s3 = _s3_client(endpoint)

    def key(self, sha256: str) -> str:
        return f"{self.prefix}/{blob_key(sha256)}" if self.prefix else blob_key(sha256)

    def has(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.s3.head_object(Bucket=self.bucket, Key=self.key(sha256))
            return True
        except ClientError:
            return False

    def put(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        temp, sha, size = _spooled(chunks)
        try:
            if not self.has(sha):
                with temp.open("rb") as body:
                    self.s3.upload_fileobj(body, self.bucket, self.key(sha))
        finally:
            temp.unlink()
        return sha, size

    @contextmanager
    def open(self, sha256: str) -> Iterator[IO[bytes]]:
        with tempfile.TemporaryFile() as body:
            self.s3.download_fileobj(self.bucket, self.key(sha256), body)
            body.seek(0)
            yield body


def _s3_client(endpoint: str | None) -> Any:
    try:
        import boto3
    except ImportError:  # pragma: no cover - boto3 ships with jiracfg's s3 extra
        raise ConfigError(
            "an s3:// blob store needs boto3", hint="pip install 'jiracfg[s3]'"
        ) from None
    return boto3.client("s3", endpoint_url=endpoint or os.environ.get("JIRACFG_S3_ENDPOINT"))


def open_store(root: Path, location: str, endpoint: str | None = None) -> BlobStore:
    if location.startswith("s3://"):
        return S3Store(location, endpoint)
    return FolderStore(root / location)


def ensure_lfs_line(root: Path, folder: str) -> None:
    """Add the Git LFS line for the blob folder to ``.gitattributes`` (once)."""
    if folder.startswith("s3://"):
        return
    path = root / ".gitattributes"
    line = LFS_LINE.format(folder=folder.strip("/"))
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if line not in text.splitlines():
        path.write_text(text + ("" if not text or text.endswith("\n") else "\n") + line + "\n")


def copy_into(store: BlobStore, sha256: str, out: IO[bytes]) -> None:
    with store.open(sha256) as body:
        shutil.copyfileobj(body, out, CHUNK)
