"""Matching an issue file's comments, worklogs and attachments with the live ones."""

from __future__ import annotations

from jiracfg.data.align import align, aligned_live


def comment(text: str, created: str | None = None) -> dict[str, object]:
    origin = {"author": "ann@example.com", "created": created} if created else None
    return {"body": text, **({"origin": origin} if origin else {})}


def test_items_match_by_origin_then_by_content_and_the_rest_are_extras() -> None:
    live = [comment("a", "t1"), comment("edited in Jira", "t2"), comment("new", "t9")]
    live.append(comment("Jira only", "t5"))
    wanted = [comment("b", "t2"), comment("new"), comment("a", "t1"), comment("added in git")]
    found = align("comments", wanted, live)
    assert found.matches == [1, 2, 0, None]  # by origin, by content, by origin, to create
    assert found.extras == [3]


def test_attachments_match_by_name_size_and_type_whatever_the_order() -> None:
    a = {"filename": "a.txt", "size": 3, "mime": "text/plain", "sha256": "1"}
    b = {"filename": "b.bin", "size": 9, "mime": "application/octet-stream", "sha256": "2"}
    live = [{k: v for k, v in b.items() if k != "sha256"}, {**a, "size": 4}]
    found = align("attachments", [a, b], live)
    assert (found.matches, found.extras) == ([None, 0], [1])


def test_live_items_not_in_the_repo_are_compared_only_with_prune() -> None:
    live = {"comments": [comment("a", "t1"), comment("Jira only", "t2")]}
    wanted = {"comments": [comment("a", "t1")]}
    kept, extras = aligned_live(live, wanted, prune=False)
    assert kept["comments"] == [comment("a", "t1")] and extras == {"comments": 1}
    pruned, _ = aligned_live(live, wanted, prune=True)
    assert pruned["comments"] == live["comments"]
