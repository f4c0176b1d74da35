"""File names from Jira names: safe, unique, order-independent, inside the folder, round trip."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from jiracfg.errors import ConfigError
from jiracfg.repo.layout import RESERVED, SUFFIX, file_names, inside
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, StartSandbox
from tests.e2e.conftest import Jiracfg

HOSTILE = [
    "../../etc/passwd",
    "/etc/shadow",
    "..\\..\\boot.ini",
    "a/b",
    "a-b",
    "a\\b",
    "a.b",
    "a..b",
    ".hidden",
    "..",
    "...",
    ".",
    "",
    "  ",
    "-",
    "_",
    "x\x00y",
    "tab\there",
    "line\nbreak",
    "\x01\x1f\x7f",
    "bell\x07",
    "rtl\u202eexe.gpj",
    "zero\u200bwidth",
    "CON",
    "con",
    "Con ",
    "nul.txt",
    "NUL",
    "aux.yaml",
    "COM1",
    "lpt9",
    "COM\u00b9",
    "é",
    "e\u0301",
    "日本語",
    "🚀 Launch",
    "🚀",
    "Done",
    "done",
    "DONE",
    "In Review",
    "in-review",
    "in review",
    "ﬁle",
    "x" * 300,
    "x" * 301,
    "\U00020000" * 200,
    "Straße",
    "STRASSE",
    "done-e9b450",
]


def safe(name: str) -> bool:
    """A portable file name: no separators or control characters, no hidden or device name."""
    stem = name.removesuffix(SUFFIX)
    return (
        name.endswith(SUFFIX)
        and bool(stem)
        and not stem.startswith((".", "-"))
        and len(name.encode()) <= 255
        and not any(c in '/\\:*?"<>|' or unicodedata.category(c)[0] in "CZ" for c in name)
        and stem.split(".")[0].casefold() not in RESERVED
    )


def test_every_hostile_name_becomes_a_safe_unique_file_name_inside_the_folder(
    tmp_path: Path,
) -> None:
    names = file_names(HOSTILE)
    assert set(names) == set(HOSTILE)
    assert [n for n in names.values() if not safe(n)] == []
    assert len(set(names.values())) == len(HOSTILE)
    assert len({n.casefold() for n in names.values()}) == len(HOSTILE)  # case-insensitive disks
    assert all(inside(tmp_path, n).parent == tmp_path.resolve() for n in names.values())


def test_names_do_not_depend_on_the_order_keys_come_in() -> None:
    expected = file_names(HOSTILE)
    for seed in range(5):
        shuffled = HOSTILE[:]
        random.Random(seed).shuffle(shuffled)
        assert file_names(shuffled) == expected


def test_plain_names_stay_readable() -> None:
    names = file_names(["In Review", "Won't Do", "Ready for QA", "Sub-task", "日本語", "Straße"])
    assert names == {
        "In Review": "in-review.yaml",
        "Won't Do": "won-t-do.yaml",
        "Ready for QA": "ready-for-qa.yaml",
        "Sub-task": "sub-task.yaml",
        "日本語": "日本語.yaml",
        "Straße": "strasse.yaml",
    }


def test_a_clash_renames_every_party_and_nobody_else() -> None:
    names = file_names(["Done", "done", "To Do"])
    assert names["To Do"] == "to-do.yaml"
    assert names["Done"] != names["done"]
    assert all(n.startswith("done-") for n in (names["Done"], names["done"]))


def test_a_name_that_looks_like_a_hashed_name_does_not_take_another_file() -> None:
    names = file_names(["Done", "done"])
    impostor = names["Done"].removesuffix(SUFFIX)
    with_impostor = file_names(["Done", "done", impostor])
    assert len(set(with_impostor.values())) == 3


@pytest.mark.parametrize("parts", [("..", "x.yaml"), ("/etc", "passwd"), ("a", "..", "..", "b")])
def test_inside_refuses_paths_that_leave_the_root(tmp_path: Path, parts: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError, match="refusing to write outside"):
        inside(tmp_path, *parts)


def test_inside_refuses_a_folder_that_is_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "repo" / "statuses").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError):
        inside(tmp_path / "repo", "statuses")


# Names Jira accepts for statuses, issue types and screens (each unique ignoring case there).
SITE_NAMES = [
    "../escape",
    "a/b",
    "a-b",
    "a\\b",
    ".hidden",
    "x\x00y",
    "tab\there",
    "CON",
    "nul.txt",
    "é",
    "日本語",
    "🚀 Launch",
    "Q" * 60,
]
FIELD_NAMES = ["Squad", "squad", "SQUAD", "Area/Team", "Area-Team"]  # custom fields may share


def make_hostile_site(api: Api, names: list[str]) -> None:
    for name in names:
        api.checked(
            "POST",
            "/statuses",
            200,
            json={
                "scope": {"type": "GLOBAL"},
                "statuses": [{"name": name, "statusCategory": "TODO"}],
            },
        )
        api.checked("POST", "/issuetype", 201, json={"name": name, "type": "standard"})
        api.checked("POST", "/screens", 201, json={"name": name + " " + "S" * 180})
    for name in FIELD_NAMES:
        api.checked(
            "POST",
            "/field",
            201,
            json={"name": name, "type": "com.atlassian.jira.plugin.system.customfieldtypes:float"},
        )


def exported(server: SandboxServer, repo: Path, names: list[str]) -> Jiracfg:
    api = Api(server)
    make_hostile_site(api, names)
    api.http.close()
    run = Jiracfg(server, repo)
    run("export")
    return run


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_hostile_names_round_trip_through_export_validate_and_plan(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    run = exported(start_sandbox("empty"), tmp_path / "repo", SITE_NAMES)
    files = tree(run.repo)
    assert [p.name for p in tmp_path.iterdir()] == ["repo"]  # nothing written beside the repo
    assert all(safe(Path(f).name) for f in files if f.endswith(SUFFIX) and "/" in f)
    statuses = [f for f in files if f.startswith("statuses/")]
    assert len(statuses) == len(SITE_NAMES) + 7  # the seven statuses of a new site
    assert sum(f.startswith("custom-fields/") for f in files) == len(FIELD_NAMES) + 2
    run("validate")
    assert run.plan_changes() == []


def test_the_same_site_built_in_another_order_exports_the_same_files(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    first = exported(start_sandbox("empty"), tmp_path / "first", SITE_NAMES)
    second = exported(start_sandbox("empty"), tmp_path / "second", SITE_NAMES[::-1])
    one, two = tree(first.repo), tree(second.repo)
    assert sorted(one) == sorted(two)
    # the default scheme lists issue types in creation order, which Jira keeps: meaningful
    # (the id index, .jiracfg/ids/, holds each site's own ids: it differs by design)
    differing = [f for f in one if one[f] != two[f] and not f.startswith(".jiracfg/ids/")]
    assert differing == ["issue-type-schemes/default-issue-type-scheme.yaml"]
    assert one[".jiracfg/ids/config.json"] != two[".jiracfg/ids/config.json"]
