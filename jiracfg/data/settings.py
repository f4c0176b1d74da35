"""The ``data:`` section of ``jiracfg.yaml``: which projects' issues the repo manages, and where
attachment bodies are stored.

```yaml
data:
  projects: [ENG, OPS]        # or "*": every project on the site
  blobs: blobs                # a folder in the repo (default), or s3://bucket/prefix
  s3_endpoint: http://...     # optional: an S3-compatible server other than AWS
  users: users.yaml           # optional: {old email or account id: new email or account id}
```

Without the section the repo is configuration only, exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_BLOBS = "blobs"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["projects"],
    "properties": {
        "projects": {
            "oneOf": [
                {"const": "*"},
                {"type": "array", "items": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"}},
            ]
        },
        "blobs": {"type": "string", "minLength": 1},
        "s3_endpoint": {"type": "string", "minLength": 1},
        "users": {"type": "string", "minLength": 1},
    },
}


@dataclass(frozen=True)
class DataSettings:
    projects: tuple[str, ...] | None  # None: every project
    blobs: str = DEFAULT_BLOBS
    s3_endpoint: str | None = None
    users: dict[str, str] = field(default_factory=dict)

    def manages(self, project_key: str) -> bool:
        return self.projects is None or project_key in self.projects


def data_settings(settings: dict[str, Any], root: Path | None = None) -> DataSettings | None:
    """The repo's data settings, or None for a configuration-only repo."""
    data = settings.get("data")
    if not isinstance(data, dict):
        return None
    projects = data.get("projects")
    return DataSettings(
        None if projects == "*" else tuple(sorted(projects or [])),
        str(data.get("blobs") or DEFAULT_BLOBS),
        data.get("s3_endpoint"),
        _users(root, data.get("users")),
    )


def _users(root: Path | None, name: str | None) -> dict[str, str]:
    """The users map (old site's email or account id -> the target's), if one is named."""
    if not name or root is None:
        return {}
    from jiracfg.repo.yamlio import plain, read

    mapping = plain(read(root / name, name)) or {}
    return {str(k): str(v) for k, v in mapping.items()}
