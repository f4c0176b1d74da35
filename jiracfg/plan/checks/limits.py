"""Changes Jira has no REST call for are refused before any write, not half-way through apply."""

from __future__ import annotations

from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Problem


def project_type_unchanged(inputs: Inputs) -> list[Problem]:
    return [
        Problem(
            "error",
            "project_type_unchanged",
            f"{c.address}: Jira can't change a project's type over REST "
            f"({c.before['type']} -> {c.after['type']})",
            "change it in Jira (Project settings > Details), or keep "
            f"type: {c.before['type']} in the config repo",
            str(c.address),
        )
        for c in inputs.of(Action.UPDATE) + inputs.of(Action.REPLACE)
        if c.address.kind == "project"
        and c.before
        and c.after
        and c.before.get("type") != c.after.get("type")
    ]


def workflows_not_renamed(inputs: Inputs) -> list[Problem]:
    return [
        Problem(
            "error",
            "workflows_not_renamed",
            f"{c.address}: Jira has no REST call to rename workflow {c.renamed_from!r}",
            f"rename it in Jira's workflow editor first, or keep the name {c.renamed_from!r}",
            str(c.address),
        )
        for c in inputs.of(Action.UPDATE) + inputs.of(Action.REPLACE)
        if c.address.kind == "workflow" and c.renamed_from
    ]


def default_scheme_has_every_issue_type(inputs: Inputs) -> list[Problem]:
    """Jira puts every issue type in the default issue type scheme and refuses to take one out."""
    types = {r.address.key for r in inputs.desired.of_kind("issue_type")}
    types |= {r.address.key for r in inputs.live.of_kind("issue_type") if r.readonly}
    problems = []
    for scheme in inputs.desired.of_kind("issue_type_scheme"):
        live = inputs.live.get(scheme.address)
        missing = sorted(types - set(scheme.spec.get("issue_types") or []))
        if live is not None and live.protected and missing:
            problems.append(
                Problem(
                    "error",
                    "default_scheme_has_every_issue_type",
                    f"{scheme.address} must list every issue type; missing: {', '.join(missing)}",
                    f"add {', '.join(missing)} to its issue_types (Jira adds new types there "
                    "itself)",
                    str(scheme.address),
                )
            )
    return problems
