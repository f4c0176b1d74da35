"""An app adapter and its verify probes (see ``jiracfg.apps``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.model import Spec
from jiracfg.verify.model import Result

Observe = Callable[[JiraClient, Spec], Any]
Judge = Callable[[Spec, Any], list[Result]]


@dataclass(frozen=True)
class Probe:
    """One named verify probe: ``observe`` gathers (I/O), ``judge`` answers (pure)."""

    name: str
    observe: Observe
    judge: Judge
    writes: bool = False  # acts on the site: only with --deep, leaving it as it was


@dataclass(frozen=True)
class Adapter:
    app: str  # the app key, as UPM lists it
    probes: tuple[Probe, ...] = ()
