"""Sandbox throughput for simple GETs over loopback (the sandbox must not limit jiracfg).

    .venv/bin/python benchmarks/sandbox_throughput.py [--seconds 5] [--threads 8]

Prints requests per second for a few read endpoints, with the server in its own process.
"""

from __future__ import annotations

import argparse
import threading
import time

import httpx

from benchmarks._sandbox import sandbox_process

PATHS = [
    "/rest/api/3/serverInfo",
    "/rest/api/3/issuetype",
    "/rest/api/3/status",
    "/rest/api/3/project/search",
    "/rest/api/3/field",
]


def hammer(url: str, path: str, seconds: float, threads: int) -> int:
    """GET ``path`` from ``threads`` keep-alive clients for ``seconds``; the number answered 200
    (the loop is bounded in time and stops at the first other answer)."""
    done = [0] * threads
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        with httpx.Client(base_url=url, auth=("admin@example.com", "sandbox")) as http:
            while time.monotonic() < stop and http.get(path).status_code == 200:
                done[slot] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", default="demo")
    args = parser.parse_args()
    with sandbox_process("--seed", args.seed) as url:
        print(
            f"sandbox ({args.seed}) at {url}; {args.threads} client threads, "
            f"{args.seconds:g} s per endpoint"
        )
        for path in PATHS:
            count = hammer(url, path, args.seconds, args.threads)
            print(f"  GET {path:32} {count / args.seconds:8.0f} req/s ({count} requests)")


if __name__ == "__main__":
    main()
