"""Field configurations (items) and field configuration schemes (mappings, projects).

Not yet implemented: a stub so the area registry is complete while the area is being built.
See the contract in jiracfg/sandbox/routes/__init__.py.
"""

from __future__ import annotations

from starlette.routing import Route

from jiracfg.sandbox.store import Store

ROUTES: list[Route] = []


def seed_empty(db: Store) -> None:
    """Built-in objects of a new site (none yet)."""
