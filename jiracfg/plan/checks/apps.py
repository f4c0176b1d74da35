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
