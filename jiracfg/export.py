"""Export: fetch the live site and write it as the config repo (plus the inventory file)."""

from __future__ import annotations

from pathlib import Path

from jiracfg.client import JiraClient
from jiracfg.data.export import DataReport, export_data
from jiracfg.data.settings import data_settings
from jiracfg.fetch import Progress, fetch_live
from jiracfg.inventory import inventory, skipped
from jiracfg.kinds import kind_order
from jiracfg.model import Snapshot
from jiracfg.repo import WriteReport, load_settings, write_snapshot
from jiracfg.repo.layout import inside
from jiracfg.repo.sites import NO_SITE, Site, templated
from jiracfg.repo.write import WriteProgress, to_commented
from jiracfg.repo.yamlio import dump

INVENTORY = ".jiracfg/inventory.yaml"


def export(
    client: JiraClient,
    root: Path,
    kinds: list[str] | None = None,
    progress: Progress | None = None,
    site: Site = NO_SITE,
    written: WriteProgress | None = None,
) -> WriteReport:
    """Write the live site into ``root``; for a ``site``, its variables' values are written as
    ``${var.NAME}`` and the files it skips are left alone."""
    live = fetch_live(client, kind_order(kinds) if kinds else None, progress)
    text = "# What this export does not manage yet (counts from the live site).\n" + dump(
        to_commented(inventory(client, live))
    )  # read before anything is written: an interrupt until here leaves the repo untouched
    report = write_snapshot(root, templated(live, site), kinds, site, written)
    _write_id_index(root, live, report)
    report.skipped = skipped(live)
    path = inside(root, *INVENTORY.split("/"))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        report.remember(path)
        path.write_text(text, encoding="utf-8")
    return report


def _write_id_index(root: Path, live: Snapshot, report: WriteReport) -> None:
    """The site's ids next to the repo (``jiracfg.idmap``): the YAML holds none."""
    from jiracfg.idmap import INDEX, config_ids, read, render

    path = inside(root, *INDEX.split("/"), "config.json")
    kinds = {r.address.kind for r in live}
    kept = {k: v for k, v in read(path).items() if k.split("/", 1)[0] not in kinds}
    text = render({**kept, **config_ids(live)})
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        report.remember(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def export_issues(
    client: JiraClient, root: Path, *, full: bool = False, progress: Progress | None = None
) -> DataReport | None:
    """The issues of the projects ``jiracfg.yaml`` manages (None in a configuration-only repo)."""
    settings = data_settings(load_settings(root), root)
    if settings is None:
        return None
    return export_data(client, root, settings, full=full, progress=progress)
