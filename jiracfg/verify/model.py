"""What verify's checks read (``Inputs``, gathered before they run) and what they answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jiracfg.model import Snapshot, Spec
from jiracfg.plan.model import Plan
from jiracfg.verify.probes import ProbeFacts

FORMAT_VERSION = 1

# (project key, issue type name, status name) -> issues
Counts = dict[tuple[str, str, str], int]
# (project key, issue type name, field name) -> {"options": [...], "default": ...} (create metadata)
Menus = dict[tuple[str, str, str], dict[str, Any]]


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    CANNOT = "cannot"


@dataclass(frozen=True)
class Result:
    """One answer of one check: ``subject`` names the object (an address, or the check itself),
    ``evidence`` says what was seen (a fail) or why it cannot be checked here (a cannot)."""

    check: str
    status: Status
    subject: str
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "status": str(self.status),
            "subject": self.subject,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class IssueCounts:
    """Issues per project, type and status: in the repo's issue files, and on the site (JQL
    approximate counts) for the same triples plus each managed project's total."""

    repo: Counts
    site: Counts
    repo_totals: dict[str, int]
    site_totals: dict[str, int]


@dataclass(frozen=True)
class AuditFacts:
    """The applies of the verified commit to the site (journal lines, oldest first), and the
    site's audit records since the first began (None when the log can't be read: ``unreadable``
    says why)."""

    journal: str
    applies: list[dict[str, Any]]
    records: list[dict[str, Any]] | None
    unreadable: str = ""
    # applies of other commits to the site: their writes explain records too (an earlier commit's
    # rebuild ending within the clock tolerance of the verified commit's first apply)
    others: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class LinkFacts:
    """Issue links and parents (``"Blocks MKT-5"``, ``"parent MKT-7"``) by issue key: in the
    repo's issue files, and on the site with every issue named by its key in the repo."""

    repo: dict[str, set[str]]
    site: dict[str, set[str]]


@dataclass(frozen=True)
class AppObservation:
    """What one probe of an app adapter saw (``jiracfg.apps``), gathered before the checks run:
    ``judge`` answers from it (pure); ``error`` says why observing failed, ``refused`` why Jira
    would not let the caller observe (a 403)."""

    probe: str
    spec: Spec  # the app's file at the commit
    judge: Callable[[Spec, Any], list[Result]]
    seen: Any = None
    error: str = ""
    refused: str = ""  # Jira's 403: the caller may not read it (not an administrator)


@dataclass(frozen=True)
class Inputs:
    desired: Snapshot
    live: Snapshot
    plan: Plan
    apps_enabled: dict[str, bool] = field(default_factory=dict)
    issues: IssueCounts | None = None
    audit: AuditFacts | None = None
    probes: ProbeFacts | None = None  # with --deep
    menus: Menus | None = None  # what create metadata offers
    links: LinkFacts | None = None
    app_probes: list[AppObservation] = field(default_factory=list)


def fail(check: str, subject: str, evidence: str) -> Result:
    return Result(check, Status.FAIL, subject, evidence)


def cannot(check: str, subject: str, reason: str) -> Result:
    return Result(check, Status.CANNOT, subject, reason)


def passed(check: str, subject: str, evidence: str = "") -> Result:
    return Result(check, Status.PASS, subject, evidence)
