"""Hostile or broken files are refused fast, naming the file: text that is not UTF-8, alias bombs,
nesting thousands of levels deep (``validate``: exit 1, no traceback, no "Internal error")."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiracfg.cli import cli

BOMB = "name: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
FILES: dict[str, tuple[bytes, str]] = {  # case -> (content, words of the error)
    "latin-1": ("name: Café\n".encode("latin-1"), "status.yaml:1: not UTF-8 text (byte 0xe9"),
    "utf-16": ("name: Done\n".encode("utf-16"), "status.yaml:1: not UTF-8 text (byte 0xff"),
    "binary": (b"name: x\n\x00\x89PNG\r\n\x1a\n\xff\xd8", "status.yaml:2: not UTF-8 text"),
    "alias bomb": (BOMB.encode(), "over 1,000,000 values once its aliases are expanded"),
    "3,000 levels of lists": (
        ("name: " + "[" * 3000 + "]" * 3000).encode(),
        "nested deeper than 100 levels",
    ),
    "20,000 levels of mappings": (
        ("name: " + "{a: " * 20_000 + "b" + "}" * 20_000).encode(),
        "nested deeper than 100 levels",
    ),
    "3,000 indented levels": (
        "".join("  " * i + f"k{i}:\n" for i in range(3000)).encode(),
        "nested deeper than 100 levels",
    ),
    "150 levels": (("name: " + "[" * 150 + "]" * 150).encode(), "nested deeper than 100"),
}


@pytest.mark.parametrize("case", sorted(FILES))
def test_refused_fast_naming_the_file(tmp_path: Path, case: str) -> None:
    content, words = FILES[case]
    (tmp_path / "statuses").mkdir()
    (tmp_path / "statuses" / "status.yaml").write_bytes(content)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["validate", "--dir", str(tmp_path)])
    assert time.monotonic() - started < 10
    assert result.exit_code == 1 and "statuses/status.yaml" in result.output, result.output
    assert words in result.output and "hint:" in result.output
    assert "Internal error" not in result.output and "Traceback" not in result.output


def test_aliases_that_stay_small_are_fine(tmp_path: Path) -> None:
    (tmp_path / "statuses").mkdir()
    (tmp_path / "statuses" / "done.yaml").write_text(
        "name: &n Done\ncategory: DONE\ndescription: *n\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["validate", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
