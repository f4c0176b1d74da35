"""The data layer: issues with their comments, worklogs, attachments, remote links, watchers and
properties, exported one file per issue and planned/applied like configuration.

Issues do not fit the configuration model (a ``Snapshot`` of every object in memory): a site has
millions of them. So data streams: export pages through JQL search and writes each issue's file as
it goes; plan reads one project's desired files and live issues at a time; apply works issue by
issue. Modules: ``settings`` (the ``data:`` section of jiracfg.yaml), ``layout`` (where issue files
live), ``blobs`` (attachment bodies, content-addressed), ``catalog`` (field names and values, both
ways), ``issue`` (Jira's issue JSON to the file's spec), ``export``, ``plan``, ``checks``,
``apply``.
"""

from __future__ import annotations
