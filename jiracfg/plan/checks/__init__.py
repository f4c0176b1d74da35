"""Pre-apply checks: small named functions ``(Inputs) -> list[Problem]`` that never raise.

An error stops the plan before any write, and always carries a hint. ``CHECKS`` is the explicit
registry; ``QUERIES`` lists functions that name the facts the checks need (JQL counts, users,
groups), gathered before the checks run (see ``jiracfg.plan.facts``) so the checks themselves stay
pure. A problem about an object read from a file names that file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from jiracfg.model import Address
from jiracfg.plan.checks import (
    agile,
    apps,
    identity,
    implicit,
    in_use,
    issue_types,
    limits,
    names,
    owners,
    people,
    replaces,
    safety,
    scheme_use,
    settings,
    usage,
    values,
    workflows,
)
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Problem

Check = Callable[[Inputs], list[Problem]]
Queries = Callable[[Inputs], set[str]]

CHECKS: dict[str, Check] = {
    "deletes_only_with_prune": safety.deletes_only_with_prune,
    "protected_objects_not_deleted": safety.protected_objects_not_deleted,
    "references_resolve": safety.references_resolve,
    "no_ambiguous_names": safety.no_ambiguous_names,
    "reference_cycles": safety.reference_cycles,
    "referenced_users_exist": people.referenced_users_exist,
    "referenced_groups_exist": people.referenced_groups_exist,
    "project_type_unchanged": limits.project_type_unchanged,
    "workflows_not_renamed": limits.workflows_not_renamed,
    "renames_are_safe": identity.renames_are_safe,
    "renamed_objects_not_both_live": identity.renamed_objects_not_both_live,
    "transition_ids_unique": identity.transition_ids_unique,
    "default_scheme_has_every_issue_type": limits.default_scheme_has_every_issue_type,
    "stranded_statuses_need_mapping": workflows.stranded_statuses_need_mapping,
    "rules_name_no_deleted_objects": workflows.rules_name_no_deleted_objects,
    "used_objects_keep_a_replacement": usage.used_objects_keep_a_replacement,
    "replaced_objects_have_no_issues": replaces.replaced_objects_have_no_issues,
    "schemes_in_use_not_deleted": scheme_use.schemes_in_use_not_deleted,
    "priority_schemes_have_a_default": scheme_use.priority_schemes_have_a_default,
    "issue_priorities_stay_available": scheme_use.issue_priorities_stay_available,
    "secrets_are_set": settings.secrets_are_set,
    "status_mappings_name_statuses": settings.status_mappings_name_statuses,
    "status_mappings_fit": settings.status_mappings_fit,
    "unique_names_free_on_site": names.unique_names_free_on_site,
    "used_objects_not_deleted": in_use.used_objects_not_deleted,
    "issue_types_kept_while_used": issue_types.issue_types_kept_while_used,
    "values_lost_only_when_allowed": values.values_lost_only_when_allowed,
    "new_fields_get_a_global_context": implicit.new_fields_get_a_global_context,
    "names_unique_per_owner": owners.names_unique_per_owner,
    "apps_installed_and_readable": apps.apps_installed_and_readable,
    "time_tracking_provider_listed": apps.time_tracking_provider_listed,
    "board_columns_match": agile.board_columns_match,
    "boards_not_renamed": agile.boards_not_renamed,
    "replaced_boards_have_no_sprints": agile.replaced_boards_have_no_sprints,
    "sprint_states_move_forward": agile.sprint_states_move_forward,
    "sprints_on_scrum_boards": agile.sprints_on_scrum_boards,
}

QUERIES: list[Queries] = [
    workflows.queries,
    usage.queries,
    people.queries,
    replaces.queries,
    scheme_use.queries,
    settings.queries,
    issue_types.queries,
    values.queries,
]


def run_checks(inputs: Inputs) -> list[Problem]:
    problems: list[Problem] = []
    for name, check in CHECKS.items():
        try:
            problems += check(inputs)
        except Exception as exc:  # a check must never take the plan down silently
            problems.append(
                Problem(
                    "error",
                    name,
                    f"check failed: {exc!r}",
                    "this is a bug in jiracfg; please report it",
                )
            )
    return [_located(inputs, p) for p in problems]


def _located(inputs: Inputs, problem: Problem) -> Problem:
    """``problem`` with the file and line of its desired object in front of the message."""
    try:
        where = inputs.origin(Address.parse(problem.address))
    except ValueError:
        return problem
    if not where or problem.message.startswith(where.rsplit(":", 1)[0] + ":"):
        return problem  # no file, or the check named the exact line already
    return replace(problem, message=f"{where}: {problem.message}")


def needed_queries(inputs: Inputs) -> set[str]:
    return set().union(*(q(inputs) for q in QUERIES))


__all__ = ["CHECKS", "Inputs", "needed_queries", "run_checks"]
