"""verify's renderers, from ``report()``: text (terminal), Markdown (a pull request or an
incident ticket), JSON (versioned: ``format_version``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MARK = {"pass": "ok", "fail": "FAIL", "cannot": "cannot"}
ICON = {"pass": "✅", "fail": "❌", "cannot": "⚠️"}


def text(report: dict[str, Any]) -> str:
    lines = [f"{MARK[r['status']]:>6}  {r['check']}: {_line(r)}" for r in report["results"]]
    return "\n".join([*lines, "", _summary(report)]) + "\n"


def markdown(report: dict[str, Any]) -> str:
    source = report["source"]
    head = [f"### jiracfg verify: {_summary(report)}", ""]
    head += [f"Site `{source.get('site', '?')}`, commit `{source.get('commit', '?')}`", ""]
    rows = ["| | Check | Object | Evidence |", "|---|---|---|---|"]
    rows += [
        f"| {ICON[r['status']]} | {r['check']} | `{r['subject']}` | {_cell(r['evidence'])} |"
        for r in report["results"]
    ]
    return "\n".join(head + rows) + "\n"


def json_out(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _line(result: dict[str, Any]) -> str:
    return f"{result['subject']}" + (f": {result['evidence']}" if result["evidence"] else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _summary(report: dict[str, Any]) -> str:
    s = report["summary"]
    return f"{s['pass']} passed, {s['fail']} failed, {s['cannot']} cannot be checked here"


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "text": text,
    "markdown": markdown,
    "json": json_out,
}
