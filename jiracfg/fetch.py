"""Read the live instance: every selected kind, dependencies first, independent kinds
concurrently."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from jiracfg.client import JiraClient
from jiracfg.kinds import REGISTRY, FetchContext, kind_order
from jiracfg.kinds._jql_values import NAMED_KINDS, SiteNames
from jiracfg.model import Resource, Snapshot

Progress = Callable[[str, int], None]  # (kind name, objects fetched) after each kind


def fetch_live(
    client: JiraClient, kinds: list[str] | None = None, progress: Progress | None = None
) -> Snapshot:
    """The live snapshot of ``kinds`` (all by default) and of every kind they depend on; the
    kinds JQL values are named after are read too when a kind has JQL (left out of the
    snapshot unless asked for: a ``status = 3`` is written ``status = Done`` either way)."""
    ctx = FetchContext(client)
    order = kind_order(kinds)
    naming = naming_kinds(order)
    for layer in layers(kind_order([*order, *naming])):
        # each kind on a thread of its own: they mostly wait, and the client's pool stays free
        # for their requests (the client bounds the requests in flight)
        with ThreadPoolExecutor(max_workers=len(layer), thread_name_prefix="kind") as pool:
            found = list(pool.map(lambda k: fetch_kind(ctx, k), layer))
        for name, resources in zip(layer, found, strict=True):
            for resource in resources:
                ctx.add(resource)
            if progress:
                progress(name, len(resources))
    _name_jql_values(ctx)
    return Snapshot(r for r in ctx.live if r.address.kind in order) if naming else ctx.live


def naming_kinds(order: list[str]) -> list[str]:
    """The kinds JQL names objects of (statuses, sprints...) that ``order`` lacks, when one of
    its kinds has JQL."""
    if not any(REGISTRY[k].jql_fields for k in order):
        return []
    return sorted(k for k in NAMED_KINDS if k in REGISTRY and k not in order)


def _name_jql_values(ctx: FetchContext) -> None:
    """JQL values naming objects by id (``filter = 10001``) written by their repo names, once
    every kind is read (a filter's JQL may name a sprint, read after it: see ``_jql_values``)."""
    names = SiteNames(ctx)
    for resource in list(ctx.live):
        kind = REGISTRY.get(resource.address.kind)
        named = names.resource(resource, kind.jql_fields) if kind is not None else resource
        if named is not resource:
            ctx.add(named)


def fetch_kind(ctx: FetchContext, name: str) -> list[Resource]:
    """Every live object of one kind, its unordered lists in canonical order."""
    kind = REGISTRY[name]
    return [replace(r, spec=kind.canonical(r.spec)) for r in kind.fetch(ctx)]


def layers(order: list[str]) -> list[list[str]]:
    """Group kinds so that each group depends only on earlier groups."""
    depth: dict[str, int] = {}
    for name in order:
        deps = [depth[d] for d in REGISTRY[name].depends_on if d in depth]
        depth[name] = 1 + max(deps, default=-1)
    levels = max(depth.values(), default=-1) + 1
    return [sorted(n for n in order if depth[n] == level) for level in range(levels)]
