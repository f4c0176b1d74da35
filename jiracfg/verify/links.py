"""links: when jiracfg.yaml manages data, every issue link and parent of the repo's issue files
is on the site, across projects too, between the issues the repo's keys map to (a restored issue
is known by the key in its ``jiracfg.origin`` property)."""

from __future__ import annotations

from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "links"


def check(inputs: Inputs) -> list[Result]:
    found = inputs.links
    if found is None:
        return [cannot(NAME, "issues", "jiracfg.yaml has no data: section (no issues managed)")]
    results = [
        fail(NAME, f"issue/{key}", "not on the site: " + ", ".join(sorted(missing)))
        for key, wanted in sorted(found.repo.items())
        if (missing := wanted - found.site.get(key, set()))
    ]
    if results:
        return results
    count = sum(len(r) for r in found.repo.values())
    return [passed(NAME, "issues", f"{count} links and parents of {len(found.repo)} issues")]
