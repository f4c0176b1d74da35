"""The graph runner behind the concurrent apply: order, parallelism, failures (no network)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from jiracfg.schedule import Outcome, chain_heights, run_graph


def run(waits_on: list[set[int]], fail: set[int] = frozenset(), workers: int = 4) -> list[str]:
    """Run tasks that sleep a little; the reported outcomes as text, in report order."""
    reported: list[str] = []

    def work(task: int) -> None:
        time.sleep(0.02 * (len(waits_on) - task))  # later tasks end first, if let
        if task in fail:
            raise RuntimeError(f"task {task}")

    def report(outcome: Outcome) -> None:
        state = "skipped" if outcome.skipped else "failed" if outcome.error else "done"
        reported.append(f"{outcome.index} {state}")

    run_graph(waits_on, work, report, workers)
    return reported


def test_outcomes_are_reported_in_task_order_whatever_ends_first() -> None:
    assert run([set(), set(), set(), set()]) == ["0 done", "1 done", "2 done", "3 done"]


def busy_work(seconds: float) -> tuple[Callable[[int], None], list[int]]:
    """A task that sleeps ``seconds``, and the most tasks seen running at once (``peak[0]``)."""
    lock, running, peak = threading.Lock(), [0], [0]

    def work(_: int) -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(seconds)
        with lock:
            running[0] -= 1

    return work, peak


def test_independent_tasks_run_at_the_same_time_within_the_worker_bound() -> None:
    work, peak = busy_work(0.05)
    start = time.monotonic()
    run_graph([set() for _ in range(8)], work, lambda _: None, workers=4)
    assert peak[0] == 4 and time.monotonic() - start < 0.05 * 8 / 2


def test_a_task_starts_only_after_the_tasks_it_waits_on() -> None:
    ended: list[int] = []
    run_graph([set(), {0}, {1}], lambda task: ended.append(task), lambda _: None, workers=4)
    assert ended == [0, 1, 2]


def test_a_failure_skips_what_waits_on_it_and_the_rest_finish() -> None:
    # 1 fails; 2 waits on 1, 3 on 2 (skipped, transitively); 0 and 4 are independent
    outcomes = run([set(), set(), {1}, {2}, {0}], fail={1})
    assert outcomes == ["0 done", "1 failed", "2 skipped", "3 skipped", "4 done"]


@pytest.mark.parametrize("workers", [1, 3])
def test_tasks_caught_in_a_cycle_are_skipped_not_waited_for(workers: int) -> None:
    assert run([set(), {2}, {1}], workers=workers) == ["0 done", "1 skipped", "2 skipped"]


def test_the_longest_chain_starts_first_then_plan_order() -> None:
    # 2 -> 3 -> 4 is a chain: started late it would end the run late; 0 and 1 fill the gaps
    started: list[int] = []
    run_graph([set(), set(), set(), {2}, {3}], started.append, lambda _: None, workers=1)
    assert started == [2, 3, 0, 1, 4]


def test_chain_heights_count_the_longest_chain_and_stop_at_cycles() -> None:
    # 0 -> 1 -> 3 and 0 -> 2 -> 3 (a diamond); 4 -> 5 -> 4 (a cycle)
    assert chain_heights([[1, 2], [3], [3], [], [5], [4]]) == [3, 2, 2, 1, 2, 1]


def test_capacity_bounds_the_tasks_running_now_below_the_workers() -> None:
    """The applier's capacity follows the client's limit (4 changes per request slot now), not
    the pool's size (4 per slot at the ceiling)."""
    work, peak = busy_work(0.03)
    run_graph([set() for _ in range(8)], work, lambda _: None, workers=8, capacity=lambda: 2)
    assert peak[0] == 2
