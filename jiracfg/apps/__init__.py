"""App adapters: what jiracfg knows of one Marketplace app beyond its properties (``apps/``).

An adapter names its app (the app key) and the probes it adds to ``jiracfg verify``. A probe is
named (its name is the check its results belong to) and comes in two halves, so the checks stay
pure like the built-in ones: ``observe(client, spec)`` reads what it needs over REST (``spec``: the
app's file at the verified commit) before the checks run, and ``judge(spec, seen)`` answers from
what was seen, with results made by ``passed``, ``fail`` (evidence naming the object) or
``cannot`` (the reason) of ``jiracfg.verify.model``. A probe that writes (``writes=True``) runs
only with ``verify --deep`` and must leave the site as it found it. What the app does where REST
cannot see it (scheduled jobs on its own servers) is a ``cannot`` with the reason, never a pass.

``ADAPTERS`` is the explicit registry (app key -> adapter); an app without an adapter is checked
by ``apps_and_settings`` only.
"""

from __future__ import annotations

from jiracfg.apps import timekeeper
from jiracfg.apps.model import Adapter, Probe

ADAPTERS: dict[str, Adapter] = {
    timekeeper.ADAPTER.app: timekeeper.ADAPTER,
}

__all__ = ["ADAPTERS", "Adapter", "Probe"]
