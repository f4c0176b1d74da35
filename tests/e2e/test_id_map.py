"""The id map every apply writes (``jiracfg.idmap``) comes from what the apply knows: the plan's
live snapshot and the ids its writes returned. It reads again only the objects it wrote whose
nested ids (options, transitions) Jira's writes do not return, and is what a full read gives."""

from __future__ import annotations

import json
import re

from jiracfg.fetch import fetch_live
from jiracfg.idmap import config_ids, map_path
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import StartSandbox, client_for
from tests.e2e.conftest import Jiracfg


def id_map(run: Jiracfg) -> dict[str, tuple[str, str]]:
    """key -> (old id, new id) of the map written for ``run``'s site."""
    lines = map_path(run.repo, run.server.url).read_text(encoding="utf-8").splitlines()
    return {m["key"]: (m["old"], m["new"]) for m in map(json.loads, lines)}


def map_requests(output: str) -> int:
    found = re.search(r"Id map \(old id -> new id\): .* \((\d+) requests\)", output)
    assert found, output
    return int(found.group(1))


def read_in_full(server: SandboxServer) -> tuple[dict[str, str], int]:
    """The site's ids as a full read finds them, and the requests that read took."""
    client = client_for(server)
    ids = config_ids(fetch_live(client))
    client.close()
    return ids, client.counter.requests


def test_an_apply_with_no_changes_reads_nothing_for_the_id_map(exported_demo: Jiracfg) -> None:
    done = exported_demo("apply", "--auto-approve")
    assert "No changes" in done.output or "no changes" in done.output.lower(), done.output
    assert map_requests(done.output) == 0
    index = json.loads((exported_demo.repo / ".jiracfg/ids/config.json").read_text())
    mapped = id_map(exported_demo)
    assert len(index) > 200 and mapped == {k: (v, v) for k, v in index.items()}


def test_a_rebuild_maps_every_id_as_a_full_read_would_with_fewer_reads(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    target = exported_demo.with_server(start_sandbox("fresh"))
    done = target("apply", "--auto-approve")
    index = json.loads((exported_demo.repo / ".jiracfg/ids/config.json").read_text())
    full, full_requests = read_in_full(target.server)
    mapped = id_map(target)
    assert set(mapped) == set(index) and all("#option:" not in k or k in full for k in index)
    assert {k: new for k, (_, new) in mapped.items()} == {k: full[k] for k in index}
    assert any("#option:" in k for k in mapped) and any("#transition:" in k for k in mapped)
    # only field contexts, workflows and dashboards (their options, transitions and gadgets)
    assert 0 < map_requests(done.output) < full_requests * 0.6
