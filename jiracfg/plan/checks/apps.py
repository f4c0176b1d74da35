"""App properties can only be managed for apps installed on the target, as the app itself."""

from __future__ import annotations

from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Problem


def apps_installed_and_readable(inputs: Inputs) -> list[Problem]:
    problems = []
    for resource in inputs.desired.of_kind("app_property"):
        live = inputs.live.get(resource.address)
        if live is None:
            problems.append(
                Problem(
                    "error",
                    "apps_installed_and_readable",
                    f"app {resource.address.key!r} is not installed on the target site",
                    "install the app first, or remove its file from apps/",
                    str(resource.address),
                )
            )
        elif live.meta.get("unreadable"):
            variable = live.meta["unreadable"]
            problems.append(
                Problem(
                    "error",
                    "apps_installed_and_readable",
                    f"cannot read or write the properties of app {resource.address.key!r}: "
                    f"{variable} is not set",
                    f"export {variable}=<the app's sharedSecret>; only the app itself may use its "
                    "properties",
                    str(resource.address),
                )
            )
    return problems


def time_tracking_provider_listed(inputs: Inputs) -> list[Problem]:
    """A time tracking provider the site does not list (its app is not installed or not
    enabled): Jira's PUT would answer 400, so the plan stops before any write."""
    problems = []
    for resource in inputs.desired.of_kind("time_tracking"):
        live = inputs.live.get(resource.address)
        provider = resource.spec.get("provider")
        listed = live.meta.get("providers", ()) if live is not None else ()
        if live is not None and provider and provider not in listed:
            problems.append(
                Problem(
                    "error",
                    "time_tracking_provider_listed",
                    f"time tracking provider {provider!r} is not one the target site offers "
                    f"({', '.join(listed)})",
                    "install and enable the app that provides it first, or choose one of these",
                    str(resource.address),
                )
            )
    return problems
