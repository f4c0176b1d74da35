"""jiracfg: put a whole Jira Cloud instance under git. Restore Jira, not only Jira data."""

from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.errors import JiracfgError
from jiracfg.model import Address, Resource, Snapshot

__all__ = ["Address", "JiraClient", "JiracfgError", "Resource", "Snapshot", "__version__"]

__version__ = "0.1.0"
