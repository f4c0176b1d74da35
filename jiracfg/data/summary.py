"""The data part of an apply, in words: what was written, and what REST could not restore."""

from __future__ import annotations

from jiracfg.data.fill import Summary


def summary_text(summary: Summary) -> str:
    lines = [
        f"Issues: {summary.created} created, {summary.updated} updated, {summary.deleted} "
        f"deleted; {summary.comments} comments, {summary.worklogs} worklogs, "
        f"{summary.attachments} attachments, {summary.links} issue links written; "
        f"{summary.placeholders} placeholder(s) "
        "burned deleted issues' numbers."
    ]
    if summary.keys_changed:
        shown = ", ".join(f"{a} -> {b}" for a, b in sorted(summary.keys_changed.items())[:10])
        lines.append(f"{len(summary.keys_changed)} issue(s) could not keep their key: {shown}")
    if summary.not_restored:
        lines.append("Not settable over Jira's REST API (the original is kept as noted):")
        lines += [f"  {count:>7}  {what}" for what, count in sorted(summary.not_restored.items())]
    return "\n".join(lines)
