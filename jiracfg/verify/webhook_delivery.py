"""webhook_delivery (``--deep``): each enabled webhook of the commit subscribed to issue events
received the probes' events, signed with its secret when it has one. Deliveries are observable
only where the site shows them (the sandbox records them); elsewhere this is a cannot."""

from __future__ import annotations

from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "webhook_delivery"


def check(inputs: Inputs) -> list[Result]:
    facts = inputs.probes
    if facts is None:
        return []
    return [
        fail(NAME, f"webhook/{d.webhook}", d.problem)
        if d.problem
        else cannot(NAME, f"webhook/{d.webhook}", d.cannot)
        if d.cannot
        else passed(NAME, f"webhook/{d.webhook}", d.detail)
        for d in facts.deliveries
    ]
