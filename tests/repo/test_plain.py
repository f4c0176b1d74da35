"""Specs read from YAML hold plain Python values: a plan compares them with fetched specs, and a
ruamel number type would show as a change ("column: 0 -> 0")."""

from __future__ import annotations

from pathlib import Path

from jiracfg.plan.diff import field_changes
from jiracfg.repo.yamlio import plain, read


def test_numbers_read_from_yaml_are_plain(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("position: {column: 0, row: 1}\nsize: 0.0\nflag: true\n", encoding="utf-8")
    spec = plain(read(path, "d.yaml"))
    assert [type(v) for v in spec["position"].values()] == [int, int]
    assert (type(spec["size"]), type(spec["flag"])) == (float, bool)
    live = {"position": {"column": 0, "row": 1}, "size": 0.0, "flag": True, "x": 1}
    assert [c.path for c in field_changes(live, {**spec, "x": 2})] == ["x"]
