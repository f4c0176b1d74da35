"""Progress on a terminal for the long reads and writes (export, plan): kinds read, objects and
requests so far and the time taken while reading (how many objects a site holds is unknown until
it is read, so no guessed ETA), then files written out of the known total, with an ETA.
Silent when stderr is not a terminal (CI, pipes): the commands print one summary line instead."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from jiracfg.client import JiraClient


class RequestsColumn(ProgressColumn):
    """Requests made so far by the client (read at each refresh)."""

    def __init__(self, client: JiraClient) -> None:
        super().__init__()
        self.client = client

    def render(self, task: Task) -> Text:
        return Text(f"{self.client.counter.requests} requests", style="dim")


class EtaColumn(TimeRemainingColumn):
    """Time remaining, only for tasks whose total is really known (``eta=True``)."""

    def render(self, task: Task) -> Text:
        return super().render(task) if task.fields.get("eta") else Text("")


class SiteProgress:
    def __init__(
        self, client: JiraClient, kinds: int, label: str, console: Console | None = None
    ) -> None:
        shown = console.is_terminal if console else sys.stderr.isatty()  # not FORCE_COLOR
        console = console or Console(stderr=True)
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            RequestsColumn(client),
            TimeElapsedColumn(),
            EtaColumn(),
            console=console,
            transient=True,
            disable=not shown,
        )
        self.objects = 0
        self.reading = self.bar.add_task(f"{label}: reading", total=kinds, unit="kinds", eta=False)
        self.writes: TaskID | None = None

    def __enter__(self) -> SiteProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, kind: str, count: int) -> None:
        """One kind read (``fetch_live``'s progress)."""
        self.objects += count
        self.bar.update(self.reading, advance=1, unit=f"kinds, {self.objects} objects")

    def written(self, done: int, total: int) -> None:
        """``done`` of ``total`` files written (``write_snapshot``'s progress)."""
        if self.writes is None:
            self.writes = self.bar.add_task("writing files", total=total, unit="files", eta=True)
        self.bar.update(self.writes, completed=done)
