"""The jiracfg error hierarchy. Every error a user can see derives from JiracfgError::

JiracfgError                      exit code 1; ``str()`` says what, where and how to fix (hint)
├── ConfigError                   the config repo is wrong (YAML, schema, references, duplicates)
│   └── ValidationFailed          several ConfigErrors found by ``validate``; carries them all
├── ConnectionSettingsError       missing/unsafe --url/--email/--token
├── JiraApiError                  Jira answered with an error (status, errorMessages, errors)
│   ├── NotFoundError             404
│   ├── ConflictError             409
│   └── RateLimitedError          429 after every retry
├── TaskFailedError               an async task ended FAILED/CANCELLED/DEAD
├── PlanError                     a plan cannot be made or applied (problems, stale saved plan)
│   └── StalePlanError            live objects changed since the saved plan was made
└── UnresolvedReferenceError      a name in the desired state has no object in the target
"""

from __future__ import annotations

from typing import Any


class JiracfgError(Exception):
    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ConfigError(JiracfgError):
    def __init__(self, message: str, *, file: str = "", line: int = 0, hint: str = "") -> None:
        self.file = file
        self.line = line
        self.detail = message  # the message without the file and line
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}", hint=hint)


class ValidationFailed(JiracfgError):
    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors) + f"\n{len(errors)} error(s)")


class ConnectionSettingsError(JiracfgError):
    pass


class JiraApiError(JiracfgError):
    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.body = body
        super().__init__(f"Jira refused {method} {path}: {status} {describe_error_body(body)}")


class NotFoundError(JiraApiError):
    pass


class LostResponseError(JiraApiError):
    """The request was sent but no answer came back (status 0): a write may have committed."""

    hint = "run the same command again: jiracfg finds what was already created"


def passing(exc: JiraApiError) -> bool:
    """A 5xx or a lost response: the same request may well succeed again (and a write so
    answered may have been made)."""
    return exc.status >= 500 or isinstance(exc, LostResponseError)


class ConflictError(JiraApiError):
    pass


class RateLimitedError(JiraApiError):
    hint = "Jira kept rate-limiting; lower --parallelism or retry later"


class TaskFailedError(JiracfgError):
    pass


class PlanError(JiracfgError):
    pass


class StalePlanError(PlanError):
    hint = "run `jiracfg plan --out FILE` again and review the new plan"


class UnresolvedReferenceError(JiracfgError):
    pass


def describe_error_body(body: Any) -> str:
    """Render Jira's ErrorCollection ``{"errorMessages": [...], "errors": {...}}`` on one line."""
    if not isinstance(body, dict):
        return str(body)[:300]
    parts = [str(m) for m in body.get("errorMessages") or []]
    errors = body.get("errors") or {}
    if isinstance(errors, list):  # a bulk create's per-item errors
        return "; ".join(
            f"item {e.get('failedElementNumber')}: {describe_error_body(e.get('elementErrors'))}"
            for e in errors
            if isinstance(e, dict)
        )[:2000]
    parts += [f"{k}: {v}" for k, v in sorted(errors.items())]
    if "message" in body:
        parts.append(str(body["message"]))
    return "; ".join(parts) or str(body)[:300]
