"""The config repo on disk: YAML files per object, file names, and git refs."""

from __future__ import annotations

from jiracfg.repo import sites
from jiracfg.repo.git import describe, load_desired_at_ref, load_settings_at_ref
from jiracfg.repo.load import load_desired, load_settings
from jiracfg.repo.write import WriteReport, write_snapshot

__all__ = [
    "WriteReport",
    "describe",
    "load_desired",
    "load_desired_at_ref",
    "load_settings",
    "load_settings_at_ref",
    "sites",
    "write_snapshot",
]
