"""The JSON Schemas users' editors read: one per kind (and the issue file's), with nested kinds
embedded in their parent's schema (a custom field's ``contexts`` are typed as field contexts,
options and defaults included), and ``jiracfg.json`` for ``jiracfg.yaml``.

Export writes them into every config repo (``.jiracfg/schemas/``); the top-level ``schemas/``
folder of this repository holds the same files for links (``python -m jiracfg.repo.schemas
schemas`` rewrites it; a test keeps it current).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from jiracfg.kinds import REGISTRY, Kind
from jiracfg.kinds._base import load_schema
from jiracfg.repo.load import SETTINGS_SCHEMA, children_of

SETTINGS_NAME = "jiracfg"  # jiracfg.json, the schema of jiracfg.yaml


def editor_schema(kind: Kind) -> dict[str, Any]:
    """``kind``'s schema with each nested kind's schema as the items of its list field (the
    nested kind's ``$defs`` move to the root, prefixed with its name, so ``$ref`` resolves)."""
    schema = kind.schema()
    for child in children_of(kind):
        properties = dict(schema.get("properties", {}))
        described = properties.get(child.parent_field, {})
        nested, defs = _nested(child)
        properties[child.parent_field] = {
            **{k: v for k, v in described.items() if k != "items"},
            "type": "array",
            "items": nested,
        }
        schema = {**schema, "properties": properties}
        if defs:
            schema["$defs"] = {**schema.get("$defs", {}), **defs}
    return schema


def _nested(child: Kind) -> tuple[dict[str, Any], dict[str, Any]]:
    """The child's schema as written inside its parent's file (without the parent's key), and
    its definitions renamed for the parent's root."""
    schema = _renamed_refs(child.schema(), child.name)
    key = child.parent_key_field
    properties = {k: v for k, v in schema.get("properties", {}).items() if k != key}
    required = [r for r in schema.get("required", []) if r != key]
    skip = ("$schema", "$id", "title", "$defs")
    nested = {k: v for k, v in schema.items() if k not in skip}
    defs = {f"{child.name}.{k}": v for k, v in schema.get("$defs", {}).items()}
    return {**nested, "properties": properties, "required": required}, defs


def _renamed_refs(value: Any, prefix: str) -> Any:
    if isinstance(value, dict):
        return {
            k: (
                v.replace("#/$defs/", f"#/$defs/{prefix}.")
                if k == "$ref"
                else _renamed_refs(v, prefix)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_renamed_refs(v, prefix) for v in value]
    return value


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name to schema: every kind's editor schema and ``jiracfg.json``."""
    found = {f"{name}.json": editor_schema(kind) for name, kind in sorted(REGISTRY.items())}
    found["issue.json"] = load_schema("issue")  # the data layer's issue files
    settings = {"$schema": "https://json-schema.org/draft/2020-12/schema", **SETTINGS_SCHEMA}
    return {**found, f"{SETTINGS_NAME}.json": {"title": "jiracfg.yaml", **settings}}


def text_of(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[str]:
    """Write every schema into ``folder``; the names of the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, schema in all_schemas().items():
        target, text = folder / name, text_of(schema)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


if __name__ == "__main__":
    for written in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(f"wrote {written}")
