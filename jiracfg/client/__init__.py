"""JiraClient: one sync, thread-safe client for Jira Cloud's REST APIs.

Auth is HTTP Basic (email + API token). The token is kept out of ``repr``, logs, errors and
tracebacks (httpx's auth object holds it; error messages show method, path and Jira's error body
only, with the token and every secret handed to ``keep_secret`` (webhook secrets, app shared
secrets) replaced by ``<redacted>``, as a proxy may echo a request). Credentials written into the
URL (``https://user:TOKEN@host``) are dropped from it, never sent nor shown. Credentials are refused
over plain http to any host that is not loopback.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import ipaddress
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx

from jiracfg.client.limit import AdaptiveLimit
from jiracfg.client.transport import Counter, RetryTransport
from jiracfg.errors import (
    ConflictError,
    ConnectionSettingsError,
    JiraApiError,
    LostResponseError,
    NotFoundError,
    RateLimitedError,
    TaskFailedError,
)

__all__ = ["CEILING", "START", "Counter", "JiraClient", "Params", "keep_secret", "redact"]

Params = Mapping[str, Any]
T = TypeVar("T")
R = TypeVar("R")
API = "/rest/api/3"
START = 8  # requests in flight at first, without --parallelism
# ... and at most: Jira Cloud served about 50 concurrent requests per client before its
# cost-based limits (JRACLOUD-69262); the adaptive limit finds the real figure below it
CEILING = 50
PAGE_SIZE = 1000  # asked of every PageBean: Jira lowers it to the endpoint's own cap and says so
RETRY_BASE_DELAY = 0.2  # seconds before a first retry, doubling (jittered) with each further one
TASK_ENDED = frozenset({"COMPLETE", "FAILED", "CANCELLED", "CANCEL_REQUESTED", "DEAD"})


class JiraClient:
    def __init__(
        self,
        url: str,
        email: str,
        token: str,
        *,
        concurrency: int | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        retry_base_delay: float | None = None,
    ) -> None:
        """``concurrency``: the most requests in flight (``--parallelism``), where the adaptive
        limit starts; by default it starts at START and may grow to CEILING while Jira answers."""
        url = without_credentials(url)
        check_safe_url(url)
        self.url = url.rstrip("/")
        self.concurrency = concurrency or CEILING  # the ceiling; threads and connections
        self.limit = AdaptiveLimit(self.concurrency, concurrency or START)
        self.counter = Counter()
        inner = transport or httpx.HTTPTransport(
            limits=httpx.Limits(
                max_connections=self.concurrency, max_keepalive_connections=self.concurrency
            )
        )
        retry = RetryTransport(
            inner,
            counter=self.counter,
            limit=self.limit,
            base_delay=RETRY_BASE_DELAY if retry_base_delay is None else retry_base_delay,
        )
        self._http = httpx.Client(
            base_url=self.url,
            auth=httpx.BasicAuth(email, token),
            transport=retry,
            timeout=timeout,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(
            max_workers=self.concurrency, thread_name_prefix="jiracfg", initializer=self._in_pool
        )

    def __repr__(self) -> str:
        return f"JiraClient({self.url!r})"

    @classmethod
    def from_env(
        cls,
        url: str | None = None,
        email: str | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> JiraClient:
        url = url or os.environ.get("JIRA_URL")
        email = email or os.environ.get("JIRA_EMAIL")
        token = token or os.environ.get("JIRA_API_TOKEN")
        missing = [
            n
            for n, v in (("JIRA_URL", url), ("JIRA_EMAIL", email), ("JIRA_API_TOKEN", token))
            if not v
        ]
        if missing:
            raise ConnectionSettingsError(
                f"missing connection settings: {', '.join(missing)}",
                hint="pass --url/--email/--token or set JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN",
            )
        assert url and email and token
        return cls(url, email, token, **kwargs)

    def close(self) -> None:
        self._pool.shutdown(wait=False)
        self._http.close()

    # -- raw requests ---------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        ok: tuple[int, ...] = (),
        auth: httpx.Auth | None = None,
    ) -> httpx.Response:
        """Send one request; raise JiraApiError for 4xx/5xx unless the status is in ``ok``.

        ``auth`` replaces Basic auth for this request (a Connect app's JWT, for app properties).
        """
        full = path if path.startswith("/rest/") else API + path
        try:
            response = self._http.request(
                method,
                full,
                params=_params(params),
                json=json,
                auth=httpx.USE_CLIENT_DEFAULT if auth is None else auth,
            )
        except httpx.ConnectError as exc:
            raise _connect_error(self.url, exc) from None
        except httpx.TransportError as exc:  # sent, but no answer: a write may have committed
            answer = f"no response ({type(exc).__name__})"
            raise LostResponseError(method, full, 0, answer) from None
        if response.status_code >= 400 and response.status_code not in ok:
            raise _api_error(method, full, response)
        return response

    def get(self, path: str, params: Params | None = None) -> Any:
        return _body(self.request("GET", path, params=params))

    def post(self, path: str, json: Any = None, params: Params | None = None) -> Any:
        return self._write("POST", path, json, params)

    def put(self, path: str, json: Any = None, params: Params | None = None) -> Any:
        return self._write("PUT", path, json, params)

    def delete(self, path: str, params: Params | None = None, json: Any = None) -> Any:
        return self._write("DELETE", path, json, params)

    def _write(self, method: str, path: str, json: Any, params: Params | None) -> Any:
        response = self.request(method, path, params=params, json=json)
        if response.status_code == 303:
            return self.wait_task(response.headers["Location"])
        return _body(response)

    # -- bodies ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def download(self, path: str) -> Iterator[Iterator[bytes]]:
        """Stream a body (an attachment's content), following Jira's redirect to its media
        store; the chunks are read as they arrive, never the whole body at once."""
        full = path if path.startswith("/rest/") else API + path
        with self._http.stream("GET", full, follow_redirects=True) as response:
            if response.status_code >= 400:
                response.read()
                raise _api_error("GET", full, response)
            yield response.iter_bytes(1 << 20)

    def upload(self, path: str, filename: str, body: Any, mime: str | None = None) -> Any:
        """A multipart ``file`` upload (attachments: ``X-Atlassian-Token: no-check``), streamed
        from the binary file object ``body``."""
        full = path if path.startswith("/rest/") else API + path
        try:
            response = self._http.post(
                full,
                files={"file": (filename, body, mime or "application/octet-stream")},
                headers={"X-Atlassian-Token": "no-check"},
            )
        except httpx.TransportError as exc:  # sent, but no answer: it may have committed
            raise LostResponseError(
                "POST", full, 0, f"no response ({type(exc).__name__})"
            ) from None
        if response.status_code >= 400:
            raise _api_error("POST", full, response)
        return _body(response)

    # -- async tasks ----------------------------------------------------------------------------
    def wait_task(self, location: str, timeout: float = 600.0) -> Any:
        """Poll ``/rest/api/3/task/{id}`` until it ends; return its ``result``."""
        task = self.poll_task(urlsplit(location).path, timeout)
        if task.get("status") != "COMPLETE":
            raise TaskFailedError(
                f"Jira task {task.get('id')} {task['status']}: {task.get('message')}"
            )
        return task.get("result")

    def poll_task(self, path: str, timeout: float = 600.0) -> dict[str, Any]:
        """Poll an async task (``/task/{id}``, ``/bulk/queue/{taskId}``) until it ends; return its
        last state (COMPLETE, FAILED, CANCELLED, CANCEL_REQUESTED or DEAD)."""
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            task: dict[str, Any] = self.get(path)
            if task.get("status") in TASK_ENDED:
                return task
            if time.monotonic() > deadline:
                raise TaskFailedError(
                    f"Jira task {path} still {task.get('status')} after {timeout}s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 2.0)

    # -- paging ---------------------------------------------------------------------------------
    def paged(
        self,
        path: str,
        params: Params | None = None,
        *,
        key: str = "values",
        page_size: int | None = None,
        size_param: str = "maxResults",
    ) -> Iterator[Any]:
        """Iterate a PageBean (``startAt``/``maxResults``/``isLast``/``values``).

        Pages are as big as the endpoint allows (``page_size``, else the size in ``params``, else
        PAGE_SIZE, which Jira clamps). The first page reveals the server's effective page size and
        total; with a total, the remaining pages are fetched concurrently.
        """
        base = {size_param: PAGE_SIZE, **(params or {})}
        if page_size:
            base[size_param] = page_size
        first = self.get(path, {**base, "startAt": 0})
        yield from first.get(key, [])
        for page in self._rest_pages(path, base, first, key, size_param):
            yield from page

    def _rest_pages(
        self, path: str, base: dict[str, Any], first: Any, key: str, size_param: str
    ) -> Iterator[list[Any]]:
        got = len(first.get(key, []))
        if first.get("isLast", got == 0) or got == 0:
            return
        size = int(first.get("maxResults") or got) or got
        total = first.get("total")
        if isinstance(total, int):
            starts = list(range(size, total, size))
            yield from self.map(
                lambda s: self.get(path, {**base, "startAt": s}).get(key, []), starts
            )
            return
        start = size
        while True:
            page = self.get(path, {**base, "startAt": start})
            items = page.get(key, [])
            yield items
            if page.get("isLast", not items) or not items:
                return
            start += len(items)

    def cursor(self, path: str, params: Params | None = None, *, key: str) -> Iterator[Any]:
        """Iterate cursor-paged usage endpoints: ``{key: {values, nextPageToken}}``."""
        token: str | None = None
        while True:
            body = self.get(path, {**(params or {}), **({"nextPageToken": token} if token else {})})
            block = body.get(key) or {}
            yield from block.get("values", [])
            token = block.get("nextPageToken")
            if not token:
                return

    # -- concurrency ----------------------------------------------------------------------------
    def map(self, fn: Callable[[T], R], items: list[T]) -> list[R]:
        """Run ``fn`` over ``items`` on the bounded pool, keeping order.

        Called from one of the pool's own threads, it runs inline: a worker waiting on the pool
        would hold a slot the queued work needs (fewer requests in flight, or a deadlock).
        """
        if len(items) <= 1 or getattr(self._local, "in_pool", False):
            return [fn(i) for i in items]
        # each item in a copy of the caller's context (context variables reach the requests)
        futures = [self._pool.submit(contextvars.copy_context().run, fn, i) for i in items]
        return [f.result() for f in futures]

    def _in_pool(self) -> None:
        self._local.in_pool = True


def _params(params: Params | None) -> list[tuple[str, Any]] | None:
    """Jira repeats multi-value keys (``id=1&id=2``); booleans are lower-case."""
    if not params:
        return None
    out: list[tuple[str, Any]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple | set) else [value]
        out += [
            (key, str(v).lower() if isinstance(v, bool) else v) for v in values if v is not None
        ]
    return out


def _body(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        if _is_html(response):
            raise _not_jira(response) from None
        return response.text


_SECRETS: set[str] = set()  # values no error may repeat (see keep_secret)
_SECRETS_LOCK = threading.Lock()


def keep_secret(value: str) -> str:
    """Register ``value`` (a secret read for a request) so errors never repeat it; returns it."""
    if len(value) >= 4:
        with _SECRETS_LOCK:
            _SECRETS.add(value)
    return value


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``<redacted>``."""
    result: str = _scrub(text, _known_secrets())
    return result


def _known_secrets() -> list[str]:
    with _SECRETS_LOCK:
        return sorted(_SECRETS, key=len, reverse=True)


def without_credentials(url: str) -> str:
    """``url`` without a ``user:password@`` part."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("Content-Type", "").lower()
    return "html" in kind or response.text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


def _not_jira(response: httpx.Response) -> ConnectionSettingsError:
    """A web page where Jira answers JSON: a login page, a proxy, or not a Jira site at all."""
    found = re.search(r"<title[^>]*>(.*?)</title>", response.text, re.I | re.S)
    title = f" titled {' '.join(found.group(1).split())[:80]!r}" if found else ""
    site = f"{response.request.url.scheme}://{response.request.url.host}"
    return ConnectionSettingsError(
        f"{site} answered {response.request.method} {response.request.url.path} with a web "
        f"page{title} (HTTP {response.status_code}), not Jira's JSON",
        hint="JIRA_URL must be the site's address, such as https://your-site.atlassian.net "
        "(no path); a proxy or single sign-on page in between must let API requests through",
    )


def _connect_error(url: str, exc: httpx.ConnectError) -> ConnectionSettingsError:
    text = str(exc)
    if "SSL" in text or "TLS" in text or "certificate" in text.lower():
        hint = (
            "the TLS handshake failed: check that the site speaks https on that address and port "
            "(http:// only for a local sandbox), and any proxy or custom certificate authority"
        )
    else:
        hint = "check --url (JIRA_URL), the network and any proxy"
    return ConnectionSettingsError(f"cannot connect to {url}: {text}", hint=hint)


def _api_error(
    method: str, path: str, response: httpx.Response
) -> JiraApiError | ConnectionSettingsError:
    """The error to raise for an error response (a web page instead of Jira's JSON is no API
    error: it says the URL or something in between is wrong)."""
    secrets = _credentials(response.request) + _known_secrets()
    try:
        body: Any = _scrub(response.json(), secrets)
    except ValueError:
        body = _scrub(response.text, secrets)[:500]
    if response.status_code < 500 and not isinstance(body, dict) and _is_html(response):
        return _not_jira(response)  # a 5xx page is a passing failure (a gateway), retried
    cls = {404: NotFoundError, 409: ConflictError, 429: RateLimitedError}.get(
        response.status_code, JiraApiError
    )
    error = cls(method, path, response.status_code, body)
    error.hint = AUTH_HINTS.get(response.status_code, error.hint)
    return error


AUTH_HINTS = {
    401: "Jira did not accept the credentials: JIRA_EMAIL must be the account's email and "
    "JIRA_API_TOKEN an API token (not the password), made at "
    "https://id.atlassian.com/manage-profile/security/api-tokens",
    403: "the account lacks a permission this needs: jiracfg's account must have the "
    "Administer Jira global permission (and be allowed to use the REST API)",
}


def _credentials(request: httpx.Request) -> list[str]:
    """What an error body must not repeat: the Authorization value and a Basic auth's token."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    found = [value]
    if scheme.lower() == "basic":
        with contextlib.suppress(ValueError):
            found.append(base64.b64decode(value).decode().partition(":")[2])
    return [s for s in found if len(s) >= 4]


def _scrub(value: Any, secrets: list[str]) -> Any:
    """``value`` with every secret replaced (a careless proxy may echo request headers)."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, "<redacted>")
        return value
    if isinstance(value, dict):
        return {_scrub(k, secrets): _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    return value


def check_safe_url(url: str) -> None:
    """Refuse to send credentials over plain http to anything but loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectionSettingsError(
            f"not a Jira URL: {url!r}", hint="use https://your-site.atlassian.net"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConnectionSettingsError(
            f"refusing to send credentials over plain http to {parts.hostname}",
            hint="use https://, or a loopback address for the sandbox",
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
