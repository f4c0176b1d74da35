"""Read the desired state from a config repo folder, collecting every problem with file:line.

Checks, in order: YAML files where no kind reads them (the repo root, a kind folder's subfolders),
YAML syntax (bounded, see ``yamlio``), JSON Schema (per kind), what each kind knows Jira refuses
(``Kind.flaws``), keys and ``Kind.unique`` fields clashing within a kind (ignoring case and Unicode
normalization), and (``check_refs``) references that resolve to the repo or to the builtins every
site has; JQL that parses and names only system fields and the repo's custom fields
(also for plan and apply). Nested kinds (e.g. a custom field's contexts) are split out of their
parent's file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from jiracfg.data.layout import FOLDER as DATA_FOLDER
from jiracfg.data.settings import SCHEMA as DATA_SCHEMA
from jiracfg.errors import ConfigError, ValidationFailed
from jiracfg.kinds import REGISTRY, Kind
from jiracfg.kinds._base import Flaw, fold
from jiracfg.kinds._jql import BY_KEY, value_problems
from jiracfg.kinds._jql import problems as jql_problems
from jiracfg.model import Address, Origin, Resource, Snapshot, former_keys
from jiracfg.repo.sites import NO_SITE, Site, substitute
from jiracfg.repo.yamlio import line_of, plain, read, scalar_lines

SETTINGS_FILE = "jiracfg.yaml"
JQL_HINT = (
    "name custom fields (name or alias), filters (key) and sprints (<board>/<sprint>) as the repo "
    "does, users by email; quote names with spaces"
)


@dataclass
class Loaded:
    resources: list[Resource]
    errors: list[ConfigError]
    site: Site = NO_SITE


def top_kinds() -> list[Kind]:
    return [k for k in REGISTRY.values() if k.parent is None]


def children_of(kind: Kind) -> list[Kind]:
    return [k for k in REGISTRY.values() if k.parent == kind.name]


def load_desired(
    root: Path, *, check_refs: bool = True, label: str = "", site: Site = NO_SITE
) -> Snapshot:
    """Every object in the config repo at ``root`` (as it is for ``site``: its variables
    substituted, its skipped files left out); raises ValidationFailed listing all errors."""
    loaded = Loaded([], [], site)
    loaded.errors += _unknown_folders(root, label) + _stray_files(root, label)
    for kind in top_kinds():
        for path in sorted((root / kind.folder).glob("*.y*ml")):
            if not site.skips(path.relative_to(root).as_posix()):
                _load_file(kind, path, f"{label}{path.relative_to(root)}", loaded)
    loaded.errors += _duplicates(loaded.resources)
    snapshot = Snapshot(loaded.resources)
    if check_refs:
        loaded.errors += _dangling(snapshot, _failed_kinds(loaded.errors, label))
        loaded.errors += _repo_flaws(snapshot)
    loaded.errors += _flaws(loaded.resources) + _unique_fields(loaded.resources)
    loaded.errors += _jql_errors(snapshot)
    if loaded.errors:
        raise ValidationFailed(sorted(loaded.errors, key=lambda e: (e.file, e.line)))
    return snapshot


def _unknown_folders(root: Path, label: str) -> list[ConfigError]:
    known = {k.folder for k in top_kinds()} | {DATA_FOLDER}  # data/rank.yaml: the data layer's
    return (
        [
            ConfigError(
                f"unknown folder {p.name!r}: no kind of object lives there",
                file=label + p.name,
                hint=f"use one of: {', '.join(sorted(known))}",
            )
            for p in sorted(root.iterdir())
            if p.is_dir()
            and not p.name.startswith(".")
            and p.name not in known
            and any(p.glob("*.y*ml"))
        ]
        if root.is_dir()
        else []
    )


def _stray_files(root: Path, label: str) -> list[ConfigError]:
    """YAML files no kind reads: at the root (but jiracfg.yaml) or below a kind's folder."""
    if not root.is_dir():
        return []
    found = [p for p in root.glob("*.y*ml") if p.name != SETTINGS_FILE]
    for kind in top_kinds():
        found += [p for p in (root / kind.folder).glob("*/**/*.y*ml")]
    return [
        ConfigError(
            "jiracfg reads no YAML file here, so this one would be ignored",
            file=label + str(p.relative_to(root)),
            hint="put each object's file directly in its kind's folder (e.g. statuses/), or move "
            "other YAML into a folder whose name starts with a dot",
        )
        for p in sorted(found)
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]


def _load_file(kind: Kind, path: Path, label: str, loaded: Loaded) -> None:
    try:
        data = read(path, label)
    except ConfigError as exc:
        loaded.errors.append(exc)
        return
    substituted = substitute(data, loaded.site, label)
    loaded.errors += substituted
    if substituted:
        return
    if not isinstance(data, dict):
        loaded.errors.append(
            ConfigError(
                f"expected a mapping of {kind.name} fields",
                file=label,
                line=1,
                hint="start the file with `name: ...`",
            )
        )
        return
    parent_errors = _schema_errors(kind, _without_children(kind, data), data, [], label)
    loaded.errors += parent_errors
    if not parent_errors:
        spec = plain(_without_children(kind, data))
        values = tuple(pair for pair in scalar_lines(data, skip=set(data) - set(spec)))
        loaded.resources.append(_resource(kind, spec, Origin(label, 1, values)))
        for child in children_of(kind):
            _load_children(kind, child, spec, data, label, loaded)


def _without_children(kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    nested = {c.parent_field for c in children_of(kind)}
    return {k: v for k, v in data.items() if k not in nested}


def _load_children(
    parent: Kind, child: Kind, spec: dict[str, Any], data: Any, label: str, loaded: Loaded
) -> None:
    items = data.get(child.parent_field) or []
    if not isinstance(items, list):
        line = line_of(data, [child.parent_field])
        loaded.errors.append(
            ConfigError(f"{child.parent_field} must be a list", file=label, line=line)
        )
        return
    for index, item in enumerate(items):
        body = {
            child.parent_key_field: parent.key(spec),
            **(dict(item) if isinstance(item, dict) else {"": item}),
        }
        errors = _schema_errors(child, body, data, [child.parent_field, index], label)
        loaded.errors += errors
        if not errors:
            line = line_of(data, [child.parent_field, index])
            origin = Origin(label, line, tuple(scalar_lines(item)))
            loaded.resources.append(
                _resource(child, _follow_rename(child, spec, plain(body)), origin)
            )


def _follow_rename(child: Kind, parent: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """A nested object moves with its renamed parent (its key includes the parent's)."""
    olds = former_keys(parent)
    if not olds or "renamed_from" in body:
        return body
    return {**body, "renamed_from": [child.key({**body, child.parent_key_field: o}) for o in olds]}


def _schema_errors(
    kind: Kind, body: dict[str, Any], data: Any, prefix: list[Any], label: str
) -> list[ConfigError]:
    validator = jsonschema.Draft202012Validator(kind.schema())
    return [
        ConfigError(
            f"{kind.name}: {'.'.join(map(str, e.absolute_path)) or 'file'}: {e.message}",
            file=label,
            line=line_of(data, prefix + error_path(e)),
            hint=f"see .jiracfg/schemas/{kind.name}.json for the allowed fields",
        )
        for e in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.path)))
    ]


def error_path(error: jsonschema.ValidationError) -> list[Any]:
    """Where an error points: its path, or for an unexpected key, that key's own line."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = sorted(k for k in error.instance if k not in allowed)
        path += extra[:1]
    return path


def _resource(kind: Kind, spec: dict[str, Any], origin: Origin) -> Resource:
    return Resource(Address(kind.name, kind.key(spec)), kind.canonical(spec), {}, origin)


def _duplicates(resources: list[Resource]) -> list[ConfigError]:
    seen: dict[tuple[str, str], Resource] = {}
    errors = []
    for resource in resources:
        folded = (resource.address.kind, fold(resource.address.key))
        first = seen.setdefault(folded, resource)
        if first is not resource:
            where = first.origin
            errors.append(
                ConfigError(
                    f"{resource.address.kind} {resource.address.key!r} is also defined at {where}"
                    " (names are unique, ignoring case and Unicode normalization)",
                    file=_file(resource),
                    line=_line(resource),
                    hint="rename one of them, or give custom fields with the same name an `alias:`",
                )
            )
    return errors


def _flaws(resources: list[Resource]) -> list[ConfigError]:
    return [
        _flaw_error(r, flaw) for r in resources for flaw in REGISTRY[r.address.kind].flaws(r.spec)
    ]


def _repo_flaws(snapshot: Snapshot) -> list[ConfigError]:
    """What an object names inside another object of the repo that it does not have."""
    return [
        _flaw_error(r, flaw)
        for r in snapshot
        for flaw in REGISTRY[r.address.kind].repo_flaws(r.spec, snapshot)
    ]


def _flaw_error(r: Resource, flaw: Flaw) -> ConfigError:
    return ConfigError(
        f"{r.address}: {flaw.message}",
        file=_file(r),
        line=r.origin.at(flaw.at).line if r.origin else 0,
        hint=flaw.hint,
    )


def _unique_fields(resources: list[Resource]) -> list[ConfigError]:
    """Two objects of a kind sharing a field Jira keeps unique (two projects named Support)."""
    seen: dict[tuple[str, str, str], Resource] = {}
    errors = []
    for r in resources:
        for name in REGISTRY[r.address.kind].unique:
            value = str(r.spec.get(name, ""))
            first = seen.setdefault((r.address.kind, name, fold(value)), r)
            if first is not r:
                errors.append(
                    ConfigError(
                        f"{r.address} has the {name} {value!r} of {first.address} "
                        f"({first.origin}); Jira keeps it unique, ignoring case",
                        file=_file(r),
                        line=r.origin.at(value).line if r.origin else 0,
                        hint=f"give one of them another {name}",
                    )
                )
    return errors


def _failed_kinds(errors: list[ConfigError], label: str) -> set[str]:
    """Kinds with a file that failed to load: references to them are not reported again (the
    name may well be in the broken file)."""
    folders = {e.file.removeprefix(label).split("/")[0] for e in errors}
    found = {k.name for k in top_kinds() if k.folder in folders}
    return found | {c.name for k in top_kinds() if k.name in found for c in children_of(k)}


def _dangling(snapshot: Snapshot, failed: set[str]) -> list[ConfigError]:
    errors = []
    for resource in snapshot:
        for ref in REGISTRY[resource.address.kind].refs(resource.spec):
            if ref in snapshot or ref.kind in failed or ref.key in REGISTRY[ref.kind].builtin_keys:
                continue
            errors.append(
                ConfigError(
                    f"{resource.address} refers to {ref.kind} {ref.key!r}, which is not in the "
                    "config repo",
                    file=_file(resource),
                    line=resource.origin.at(ref.key).line if resource.origin else 0,
                    hint=_did_you_mean(snapshot, ref)
                    or f"add a {REGISTRY[ref.kind].folder}/ file for it, or fix the name",
                )
            )
    return errors


def _jql_errors(snapshot: Snapshot) -> list[ConfigError]:
    """JQL that does not parse, names a field that is neither a system field nor a custom field
    of the repo (by name or alias), names an object by a site's id, or names a filter or sprint
    the repo does not have."""
    known = [n for r in snapshot.of_kind("custom_field") for n in (r.spec["name"], r.address.key)]
    keys = {kind: [r.address.key for r in snapshot.of_kind(kind)] for kind in BY_KEY}
    return [
        ConfigError(f"{resource.address}: {why}", file=_file(resource), line=line, hint=JQL_HINT)
        for resource in snapshot
        for field in REGISTRY[resource.address.kind].jql_fields
        for why, line in _jql_problems(resource, field, known, keys)
    ]


def _jql_problems(
    resource: Resource, field: str, known: list[str], keys: dict[str, list[str]]
) -> list[tuple[str, int]]:
    jql = str(resource.spec.get(field) or "")
    line = resource.origin.at(jql).line if resource.origin else 0
    whys = jql_problems(jql, known)
    return [(why, line) for why in whys or value_problems(jql, keys)]


def _did_you_mean(snapshot: Snapshot, ref: Address) -> str:
    names = [r.address.key for r in snapshot.of_kind(ref.kind)]
    names += sorted(REGISTRY[ref.kind].builtin_keys)
    close = difflib.get_close_matches(ref.key, names, n=1, cutoff=0.6)
    folded = [n for n in names if n.casefold() == ref.key.casefold()]
    guess = (folded or close or [""])[0]
    return f"did you mean {guess!r}?" if guess else ""


def _file(resource: Resource) -> str:
    return resource.origin.file if resource.origin else ""


def _line(resource: Resource) -> int:
    return resource.origin.line if resource.origin else 0


def load_settings(root: Path, label: str = "") -> dict[str, Any]:
    """The optional ``jiracfg.yaml``: ``protected`` globs, ``status_mappings``,
    ``unmanaged.ignore`` globs and ``data``."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return {}
    data = read(path, label + SETTINGS_FILE) or {}
    validator = jsonschema.Draft202012Validator(SETTINGS_SCHEMA)
    errors = [
        ConfigError(
            f"{'.'.join(map(str, e.absolute_path)) or 'file'}: {e.message}",
            file=label + SETTINGS_FILE,
            line=line_of(data, error_path(e)),
            hint="see the README section on jiracfg.yaml",
        )
        for e in validator.iter_errors(plain(data))
    ]
    if errors:
        raise ValidationFailed(errors)
    settings: dict[str, Any] = plain(data)
    return settings


SETTINGS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "data": DATA_SCHEMA,
        "protected": {"type": "array", "items": {"type": "string"}},
        "unmanaged": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"ignore": {"type": "array", "items": {"type": "string"}}},
        },
        "sites": {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Za-z0-9_-]+$"},
            "additionalProperties": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    "url": {"type": "string", "pattern": "^https?://"},
                    "vars": {
                        "type": "object",
                        "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                        "additionalProperties": {"type": ["string", "number", "boolean"]},
                    },
                    "skip": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "allow_data_loss": {"type": "array", "items": {"type": "string", "pattern": "^[a-z_]+/."}},
        "status_mappings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["project", "from", "to"],
                "properties": {
                    k: {"type": "string"} for k in ("project", "issue_type", "from", "to")
                },
            },
        },
    },
}
