"""``jiracfg sandbox serve``: a local Jira Cloud emulator."""

from __future__ import annotations

import click

from jiracfg.sandbox.seed import SEEDS
from jiracfg.sandbox.server import SandboxOptions, serve_forever


@click.group("sandbox")
def command() -> None:
    """A local Jira Cloud sandbox (no Jira account needed)."""


@command.command("serve")
@click.option(
    "--db",
    default=":memory:",
    show_default=True,
    help="SQLite file; persists across restarts (in memory by default).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8080, show_default=True, help="0 picks a free port.")
@click.option("--seed", type=click.Choice(SEEDS), default="empty", show_default=True)
@click.option("--scale", type=float, default=1.0, show_default=True, help="Size of the large seed.")
@click.option("--latency-ms", type=float, default=0.0, help="Added to every response.")
@click.option("--fault-rate", type=float, default=0.0, help="Share of requests that fail (0-1).")
@click.option("--fault-seed", type=int, default=0, help="Makes injected faults reproducible.")
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Cost budget per --rate-window, as Jira Cloud meters (a read costs 1, a write 2); "
    "over it: 429 with Retry-After and X-RateLimit-* headers. 0 (default): no limit.",
)
@click.option(
    "--rate-window",
    type=click.FloatRange(min=1),
    default=1.0,
    show_default=True,
    help="Seconds over which the --rate-limit budget refills.",
)
def serve(
    db: str,
    host: str,
    port: int,
    seed: str,
    scale: float,
    latency_ms: float,
    fault_rate: float,
    fault_seed: int,
    rate_limit: float,
    rate_window: float,
) -> None:
    """Run the sandbox in the foreground.

    \b
    Example:
      jiracfg sandbox serve --seed demo --port 0 --db /tmp/jira.db
    """
    serve_forever(
        SandboxOptions(
            db=db,
            host=host,
            port=port,
            seed=seed,
            scale=scale,
            latency_ms=latency_ms,
            fault_rate=fault_rate,
            fault_seed=fault_seed,
            rate_limit=rate_limit,
            rate_window=rate_window,
        )
    )
