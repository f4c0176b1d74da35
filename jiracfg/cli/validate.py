"""``jiracfg validate``: offline checks of the config repo."""

from __future__ import annotations

import json
from pathlib import Path

import click

from jiracfg.cli._common import dir_option, site_option
from jiracfg.data.layout import project_files, projects_on_disk
from jiracfg.data.settings import data_settings
from jiracfg.data.validate import validate_data
from jiracfg.errors import ConfigError, JiracfgError, ValidationFailed
from jiracfg.repo import load_desired, load_settings, sites

FORMATS = ("text", "json", "github")
ISSUES = "(issues)"  # the count of issue files, beside the objects per site


@click.command("validate")
@dir_option
@site_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="json: machine-readable; github: GitHub Actions annotations on the files.",
)
def command(directory: Path, site: str | None, fmt: str) -> None:
    """Check the config repo offline: YAML syntax, schemas, references, duplicate names.

    Every error names its file and line. Exit code 1 on any error. A repo that declares
    several sites is checked for each of them (or for --site only).

    \b
    Examples:
      jiracfg validate --dir acme-jira
      jiracfg validate --format github   # annotations in a GitHub Actions log
    """
    counts, errors = _validate(directory, site)
    if fmt == "text":
        if errors:
            raise ValidationFailed(errors)
        issues = counts.pop(ISSUES, 0)
        for name, count in counts.items():
            where = f" for site {name}" if name else ""
            also = f" and {issues} issues" if issues else ""
            click.echo(f"OK: {count} objects{also} in {directory} are valid{where}.")
        return
    click.echo(_json(counts, errors) if fmt == "json" else _github(errors), nl=False)
    if errors:
        raise JiracfgError(f"{len(errors)} error(s)")


def _validate(directory: Path, site: str | None) -> tuple[dict[str, int], list[ConfigError]]:
    """Objects per site, and every error of every site (each error once)."""
    try:
        settings = load_settings(directory)
    except ValidationFailed as exc:
        return {}, exc.errors
    names: list[str | None] = [site] if site else [*sites.site_names(settings)] or [None]
    counts: dict[str, int] = {}
    errors: dict[str, ConfigError] = {}
    for name in names:
        try:
            counts[name or ""] = len(load_desired(directory, site=sites.choose(settings, name)))
        except ValidationFailed as exc:
            errors.update((str(e), e) for e in exc.errors)
        except ConfigError as exc:
            errors[str(exc)] = exc
    if data_settings(settings, directory) is not None:
        errors.update((str(e), e) for e in validate_data(directory))
        counts[ISSUES] = sum(
            1 for p in projects_on_disk(directory) for _ in project_files(directory, p)
        )
    return counts, list(errors.values())


def _json(counts: dict[str, int], errors: list[ConfigError]) -> str:
    body = {
        "valid": not errors,
        "objects": counts,
        "errors": [
            {"file": e.file, "line": e.line, "message": e.detail, "hint": e.hint} for e in errors
        ],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _github(errors: list[ConfigError]) -> str:
    """``::error file=F,line=L::message`` per error (GitHub's workflow command syntax)."""
    return "".join(
        f"::error file={_escape(e.file, True)},line={e.line or 1}::"
        f"{_escape(e.detail + (' (hint: ' + e.hint + ')' if e.hint else ''), False)}\n"
        for e in errors
    )


def _escape(text: str, property_value: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text
