"""Run a graph of tasks on a bounded pool: each as soon as the tasks it waits on are done.

Tasks are numbered in a fixed order (a plan's order). Ready tasks start by the longest chain of
tasks that wait on them, one after another (the critical path: a long chain started late ends the
run late, while short tasks fill the gaps), then lowest number first. A task that fails stops
every task that waits on it, directly or not (they are *skipped*); the rest still run. Outcomes
are reported in task order, each as soon as every earlier task has ended, so what a caller prints
does not depend on timing. Work runs in a copy of the caller's context (``contextvars``), so a
context variable set by the caller or by the task is seen by its requests.
"""

from __future__ import annotations

import contextvars
import heapq
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    index: int
    error: BaseException | None = None  # the task raised this
    skipped: bool = False  # never run: a task it waits on failed or was skipped


Work = Callable[[int], None]
Report = Callable[[Outcome], None]
Capacity = Callable[[], int]


class Graph:
    """One run over ``waits_on`` (for each task, the tasks that must be done before it)."""

    def __init__(self, waits_on: list[set[int]], work: Work, report: Report) -> None:
        self.pending = [set(w) for w in waits_on]
        self.dependents: list[list[int]] = [[] for _ in waits_on]
        for task, firsts in enumerate(waits_on):
            for first in sorted(firsts):
                self.dependents[first].append(task)
        self.work, self.report = work, report
        self.height = chain_heights(self.dependents)
        self.ready = [(-self.height[i], i) for i, w in enumerate(self.pending) if not w]
        heapq.heapify(self.ready)
        self.ended: dict[int, Outcome] = {}
        self.reported = 0

    def run(self, workers: int, capacity: Capacity | None = None) -> None:
        """``workers`` threads at most; ``capacity``: how many tasks may run now (at most
        ``workers``), asked again each time a task ends."""
        running: dict[Future[None], int] = {}
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="apply") as pool:
            while self.ready or running:
                room = min(workers, capacity() if capacity else workers)
                while self.ready and len(running) < max(1, room):
                    _, task = heapq.heappop(self.ready)
                    context = contextvars.copy_context()
                    running[pool.submit(context.run, self.work, task)] = task
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=running.__getitem__):
                    self._end(Outcome(running.pop(future), future.exception()))
                self._flush()

    def _end(self, outcome: Outcome) -> None:
        self.ended[outcome.index] = outcome
        if outcome.error is not None:
            self._skip_dependents(outcome.index)
            return
        for task in self.dependents[outcome.index]:
            self.pending[task].discard(outcome.index)
            if not self.pending[task] and task not in self.ended:
                heapq.heappush(self.ready, (-self.height[task], task))

    def _skip_dependents(self, failed: int) -> None:
        stack = list(self.dependents[failed])
        while stack:
            task = stack.pop()
            if task not in self.ended:
                self.ended[task] = Outcome(task, skipped=True)
                stack += self.dependents[task]

    def _flush(self) -> None:
        """Report every ended task whose predecessors in task order have all been reported."""
        while self.reported in self.ended:
            self.report(self.ended[self.reported])
            self.reported += 1


def chain_heights(dependents: list[list[int]]) -> list[int]:
    """For each task, the most tasks in a chain that starts with it and goes on through tasks
    waiting on the one before (a task alone: 1). An edge that closes a cycle is not followed."""
    height = [0] * len(dependents)
    for root in range(len(dependents)):
        stack, path = [(root, False)], set()
        while stack:
            task, expanded = stack.pop()
            if expanded:
                path.discard(task)
                height[task] = 1 + max(
                    (height[d] for d in dependents[task] if d not in path), default=0
                )
            elif not height[task] and task not in path:
                path.add(task)
                stack += [(task, True), *((d, False) for d in dependents[task])]
    return height


def run_graph(
    waits_on: list[set[int]],
    work: Work,
    report: Report,
    workers: int,
    capacity: Capacity | None = None,
) -> None:
    """Run ``work(i)`` for every task ``i`` (see the module docstring); ``report`` is called in
    the caller's thread, once per task, in task order; see ``Graph.run`` for the bounds."""
    graph = Graph(waits_on, work, report)
    graph.run(workers, capacity)
    for task in range(len(waits_on)):  # waiting in a cycle (a plan with cycles is refused)
        graph.ended.setdefault(task, Outcome(task, skipped=True))
    graph._flush()
