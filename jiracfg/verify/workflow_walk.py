"""workflow_walk (``--deep``): a probe issue did every transition of every workflow in use,
conditions and validators passing with the values it supplied, and arrived at its target; every
probe was deleted after."""

from __future__ import annotations

from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "workflow_walk"


def check(inputs: Inputs) -> list[Result]:
    facts = inputs.probes
    if facts is None:
        return []
    results = [
        fail(NAME, f"workflow/{s.workflow} transition {s.transition}", s.problem)
        if s.problem
        else cannot(NAME, f"workflow/{s.workflow} transition {s.transition}", s.cannot)
        for s in facts.steps
        if s.problem or s.cannot
    ]
    results += [
        fail(NAME, f"issue/{k}", "the probe issue could not be deleted") for k in facts.left
    ]
    if results:
        return results
    walked = sorted({s.workflow for s in facts.steps})
    evidence = f"{len(facts.steps)} transitions of {len(walked)} workflows walked"
    return [passed(NAME, "workflows", f"{evidence}: {', '.join(walked)}")]
