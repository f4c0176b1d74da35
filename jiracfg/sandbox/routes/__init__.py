"""Explicit registry of the sandbox's route areas; each module exposes ROUTES and seed_empty()."""

from __future__ import annotations

from types import ModuleType

from jiracfg.sandbox import tasks
from jiracfg.sandbox.routes import core, issuetypes, screens

AREAS: list[ModuleType] = [
    core,
    issuetypes,
    screens,
]

TASK_ROUTES = tasks.ROUTES
