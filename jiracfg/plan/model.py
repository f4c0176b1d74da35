"""Action, Change, Problem and Plan: plain data with a versioned JSON round trip.

Renderers (text, Markdown, JSON) all draw from ``Plan.to_dict()``; a saved plan (``--out``) is that
dict as JSON, read back with ``Plan.from_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jiracfg.model import Address, Spec

FORMAT_VERSION = 2  # 2: ``source`` (site, commit, jiracfg version)


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: Any = None
    after: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Change:
    address: Address
    action: Action
    before: Spec | None = None
    after: Spec | None = None
    fields: tuple[FieldChange, ...] = ()
    renamed_from: str | None = None  # the live key of an object renamed in place
    reason: str = ""  # for display only
    # the second step of a two-step write (``jiracfg.plan.deferral``): the object exists before it
    # runs, so what references the object does not wait on it
    deferred: bool = False

    @property
    def live_address(self) -> Address:
        """Where the object is in the live instance (its old key when renamed)."""
        key = self.renamed_from or self.address.key
        return Address(self.address.kind, key)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"address": str(self.address), "action": self.action.value}
        if self.renamed_from:
            out["renamed_from"] = self.renamed_from
        out["before"], out["after"] = self.before, self.after
        out["fields"] = [f.to_dict() for f in self.fields]
        if self.reason:
            out["reason"] = self.reason
        if self.deferred:
            out["deferred"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(
            Address.parse(data["address"]),
            Action(data["action"]),
            data.get("before"),
            data.get("after"),
            tuple(FieldChange(**f) for f in data.get("fields", [])),
            data.get("renamed_from"),
            data.get("reason", ""),
            bool(data.get("deferred", False)),
        )


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" stops the plan; "warning" is shown
    check: str  # the name of the check that found it
    message: str
    hint: str = ""
    address: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "address": self.address,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Plan:
    changes: list[Change]
    fingerprints: dict[str, str] = field(default_factory=dict)  # live objects read
    problems: list[Problem] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)  # live, not in desired, not pruned
    kinds: list[str] = field(default_factory=list)  # kinds that were read
    source: dict[str, str] = field(default_factory=dict)  # site, commit, jiracfg_version
    format_version: int = FORMAT_VERSION
    ignored: list[str] = field(default_factory=list)  # unmanaged, but matching unmanaged.ignore
    # the live issues' ids the data plan read (``data.known_ids.KnownIds``), for the id map after
    # an apply; not saved with the plan (a saved plan's apply reads them)
    issue_ids: Any = field(default=None, repr=False, compare=False)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def summary(self) -> dict[str, int]:
        counts = {a.value: 0 for a in Action}
        for change in self.changes:
            counts[change.action.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "source": dict(sorted(self.source.items())),
            "summary": self.summary(),
            "changes": [c.to_dict() for c in self.changes],
            "problems": [p.to_dict() for p in self.problems],
            "unmanaged": list(self.unmanaged),
            "unmanaged_ignored": list(self.ignored),
            "kinds": list(self.kinds),
            "fingerprints": dict(sorted(self.fingerprints.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            from jiracfg.errors import PlanError

            raise PlanError(
                f"plan format {version} is not supported (expected {FORMAT_VERSION})",
                hint="make the plan again with this version of jiracfg",
            )
        return cls(
            [Change.from_dict(c) for c in data["changes"]],
            dict(data["fingerprints"]),
            [Problem(**p) for p in data.get("problems", [])],
            list(data.get("unmanaged", [])),
            list(data.get("kinds", [])),
            {str(k): str(v) for k, v in (data.get("source") or {}).items()},
            version,
            list(data.get("unmanaged_ignored", [])),
        )
