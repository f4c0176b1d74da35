"""Run the sandbox: in the foreground (``jiracfg sandbox serve``) or in a thread (tests, demo)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

import uvicorn

from jiracfg.sandbox.app import create_app
from jiracfg.sandbox.faults import FaultConfig
from jiracfg.sandbox.ratelimit import RateBudget
from jiracfg.sandbox.routes.core import ADMIN
from jiracfg.sandbox.seed import seed
from jiracfg.sandbox.store import Store

EMAIL = ADMIN["emailAddress"]
TOKEN = ADMIN["token"]


@dataclass
class SandboxOptions:
    db: str = ":memory:"
    host: str = "127.0.0.1"
    port: int = 0
    seed: str = "empty"
    scale: float = 1.0
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    fault_seed: int = 0
    retry_after: int = 1
    rate_limit: float = 0.0  # cost budget per rate_window seconds (0: no rate limiter)
    rate_window: float = 1.0


def open_store(options: SandboxOptions) -> Store:
    store = Store(options.db)
    seed(store, options.seed, options.scale)
    return store


def faults_of(options: SandboxOptions) -> FaultConfig | None:
    if not options.latency_ms and not options.fault_rate:
        return None
    return FaultConfig(
        options.latency_ms, options.fault_rate, options.fault_seed, options.retry_after
    )


def rate_of(options: SandboxOptions) -> RateBudget | None:
    if not options.rate_limit:
        return None
    return RateBudget(options.rate_limit, options.rate_window)


class SandboxServer:
    """A sandbox on a loopback port in a background thread; a context manager."""

    def __init__(self, store: Store, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        self.store = store
        self.faults = faults_of(self.options)
        self.rate = rate_of(self.options)
        self.app = create_app(store, self.faults, self.rate)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle stalls
        self.sock.bind((self.options.host, self.options.port))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{self.options.host}:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def email(self) -> str:
        return EMAIL

    @property
    def token(self) -> str:
        return TOKEN

    def start(self) -> SandboxServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("sandbox server did not start")
            time.sleep(0.01)
        return self

    def stop(self, wait: bool = True) -> None:
        """Ask the server to exit (uvicorn closes the socket and connections as it does); with
        ``wait``, also wait until it has (about 0.2 s: uvicorn's tick and shutdown pause)."""
        self.server.should_exit = True
        if not self.thread.is_alive():
            self.sock.close()
        elif wait:
            self.thread.join(timeout=10)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def banner(url: str) -> str:
    return f"Jira sandbox at {url} ({EMAIL} / token: {TOKEN})"


def serve_forever(options: SandboxOptions) -> None:
    store = open_store(options)
    server = SandboxServer(store, options)
    server.sock.listen(2048)  # connections made as soon as the banner shows wait in the backlog
    print(banner(server.url), flush=True)
    server.server.run(sockets=[server.sock])


@contextmanager
def serve_in_child(*options: str) -> Iterator[str]:
    """``jiracfg sandbox serve --port 0 OPTIONS`` in a child process (its own GIL, as a user runs
    it); yields the banner line it printed, and stops it afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "jiracfg", "sandbox", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
