"""Saved plans (``plan --out``): written, read back for ``apply FILE`` and ``show FILE``, and
checked to belong to the site they are applied to."""

from __future__ import annotations

import json
from pathlib import Path

from jiracfg.errors import PlanError
from jiracfg.plan.model import Plan


def save(plan: Plan, path: Path) -> None:
    text = json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def load(path: Path) -> Plan:
    """The plan in ``path``; a file that is not a jiracfg plan is a PlanError naming it."""
    try:
        return Plan.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except PlanError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PlanError(
            f"{path} is not a jiracfg plan file ({type(exc).__name__}: {exc})",
            hint="save a plan with `jiracfg plan --out FILE` and pass that file",
        ) from exc


def same_site(a: str, b: str) -> bool:
    return a.rstrip("/").casefold() == b.rstrip("/").casefold()


def check_site(plan: Plan, url: str) -> None:
    """Refuse to apply a plan made against another site."""
    made_for = plan.source.get("site", "")
    if not made_for or not same_site(made_for, url):
        raise PlanError(
            f"this plan was made for {made_for or 'an unknown site'}, not for {url}",
            hint="make a plan against this site (`jiracfg plan --out FILE`) and apply that one",
        )
