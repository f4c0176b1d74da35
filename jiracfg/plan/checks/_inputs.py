"""What every check sees."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from jiracfg.model import Address, Snapshot
from jiracfg.plan.model import Action, Change

UNCOUNTED = -1  # a fact Jira could not answer (the JQL was refused)


@dataclass(frozen=True)
class Inputs:
    desired: Snapshot
    live: Snapshot
    changes: list[Change]
    settings: dict[str, Any] = field(default_factory=dict)  # jiracfg.yaml
    prune: bool = False
    facts: dict[str, int] = field(default_factory=dict)  # see jiracfg.plan.facts
    cycles: list[str] = field(default_factory=list)

    def of(self, action: Action) -> list[Change]:
        return [c for c in self.changes if c.action is action]

    def change_of(self, live_address: Address) -> Change | None:
        """The (first) change to the live object at ``live_address``, if any: checks ask it per
        live object, so it is looked up in an index made once, not by a scan of the changes."""
        return self._by_live_address.get(live_address)

    @cached_property
    def _by_live_address(self) -> dict[Address, Change]:
        found: dict[Address, Change] = {}
        for change in self.changes:
            found.setdefault(change.live_address, change)
        return found

    def is_protected(self, address: Address) -> bool:
        live = self.live.get(address)
        if live is not None and live.protected:
            return True
        globs = self.settings.get("protected") or []
        return any(fnmatch.fnmatchcase(str(address), str(g)) for g in globs)

    def count(self, jql: str) -> int:
        return self.facts.get(jql, 0)

    def origin(self, address: Address) -> str:
        """``file:line`` of the desired object at ``address`` ("" when unknown)."""
        found = self.desired.get(address)
        return str(found.origin) if found is not None and found.origin else ""

    def origin_of(self, address: Address, value: str) -> str:
        """``file:line`` where ``value`` first appears in the desired object ("" when unknown)."""
        found = self.desired.get(address)
        return str(found.origin.at(value)) if found is not None and found.origin else ""


def issues(count: int) -> str:
    return "an unknown number of issues" if count == UNCOUNTED else f"{count} issue(s)"


def jql_value(value: str) -> str:
    """A JQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
