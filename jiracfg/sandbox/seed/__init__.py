"""Seeds: ``empty`` (a brand-new Jira Cloud site), ``fresh`` (a brand-new site in the demo
company's organisation: empty, but with its users and its apps installed, the rebuild target),
``demo`` (a small company), ``large`` (enterprise).

``empty`` writes each area's built-in objects straight into the store (system objects cannot be
created over REST). ``demo`` and ``large`` then build content through the sandbox's own REST API, in
process, so they obey every constraint the routes enforce.
"""

from __future__ import annotations

import importlib

from jiracfg.sandbox.routes import AREAS
from jiracfg.sandbox.store import Store

SEEDS = ("empty", "fresh", "demo", "large")


def seed(store: Store, name: str, scale: float = 1.0) -> None:
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r}; choose one of {', '.join(SEEDS)}")
    if store.get_meta("seed") is not None:
        return  # a persisted --db file keeps what it holds
    with store.tx():
        for area in AREAS:
            area.seed_empty(store)
    if name in ("demo", "fresh"):
        demo = importlib.import_module("jiracfg.sandbox.seed.demo")
        (demo.seed_demo if name == "demo" else demo.seed_fresh)(store)
    elif name == "large":
        importlib.import_module("jiracfg.sandbox.seed.large").seed_large(store, scale)
    store.set_meta("seed", name)
