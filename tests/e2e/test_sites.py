"""One config repo for two sites through the CLI: ``sites:`` in jiracfg.yaml gives each site its
URL, its ``${var.NAME}`` values and the files it skips; plan and apply use one site's values, refuse
another site's URL, and export writes the variables back instead of the values."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, commit, git

STAGING_HOOK = "https://hooks.acme.example/jira/deploy"
PRODUCTION_HOOK = "https://hooks.prod.acme.example/jira/deploy"
HOOK_FILE = "webhooks/deploy-bot.yaml"
ONLY_STAGING = "project-categories/sandbox-projects.yaml"


@pytest.fixture
def two_sites(exported_demo: Jiracfg, start_sandbox: StartSandbox) -> tuple[Jiracfg, Jiracfg]:
    """The demo export as a two-site repo: staging (the exported sandbox) and production."""
    staging = exported_demo
    production = staging.with_server(start_sandbox("demo"))
    settings = {
        "sites": {
            "staging": {"url": staging.server.url, "vars": {"deploy_hook": STAGING_HOOK}},
            "production": {
                "url": production.server.url,
                "vars": {"deploy_hook": PRODUCTION_HOOK},
                "skip": [ONLY_STAGING],
            },
        }
    }
    (staging.repo / "jiracfg.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    hook = staging.repo / HOOK_FILE
    text = hook.read_text(encoding="utf-8")
    hook.write_text(text.replace(STAGING_HOOK, "${var.deploy_hook}"), encoding="utf-8")
    (staging.repo / ONLY_STAGING).write_text("name: Sandbox projects\n", encoding="utf-8")
    staging("apply", "--auto-approve", "--site", "staging")
    commit(staging.repo, "two sites")
    return staging, production


def hook_url(run: Jiracfg) -> str:
    hooks = run.server.store.all("webhook")
    return str(next(h["url"] for h in hooks if h["name"] == "Deploy bot"))


def test_each_site_gets_its_own_values(two_sites: tuple[Jiracfg, Jiracfg]) -> None:
    staging, production = two_sites
    assert "OK" in staging("validate").output.splitlines()[0]
    assert staging.plan_changes("--site", "staging") == []
    assert production.plan_changes("--site", "production") == ["update webhook/Deploy bot"]
    production("apply", "--auto-approve", "--site", "production")
    assert production.plan_changes("--site", "production") == []
    assert (hook_url(staging), hook_url(production)) == (STAGING_HOOK, PRODUCTION_HOOK)
    assert "Sandbox projects" in {c["name"] for c in staging.server.store.all("project_category")}
    categories = {c["name"] for c in production.server.store.all("project_category")}
    assert "Sandbox projects" not in categories


def test_a_site_refuses_another_sites_url(two_sites: tuple[Jiracfg, Jiracfg]) -> None:
    staging, _ = two_sites
    result = staging("plan", "--site", "production", expect=1)
    assert f"site 'production' is {two_sites[1].server.url}" in result.output
    assert "pass --site" in staging("plan", expect=1).output


def test_export_for_a_site_writes_variables_and_keeps_skipped_files(
    two_sites: tuple[Jiracfg, Jiracfg],
) -> None:
    staging, production = two_sites
    production("apply", "--auto-approve", "--site", "production")
    for run, site in ((staging, "staging"), (production, "production")):
        run("export", "--site", site)
        assert git(run.repo, "status", "--porcelain", "--", "webhooks", ONLY_STAGING) == ""
    assert "url: ${var.deploy_hook}" in (staging.repo / HOOK_FILE).read_text()


def test_an_unknown_variable_is_an_error_at_its_line(two_sites: tuple[Jiracfg, Jiracfg]) -> None:
    staging, _ = two_sites
    path: Path = staging.repo / HOOK_FILE
    text = path.read_text().replace("${var.deploy_hook}", "${var.deploy_hok}")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "deploy_hok" in t)
    result = staging("validate", expect=1)
    assert f"{HOOK_FILE}:{line}" in result.output
    assert "unknown variable ${var.deploy_hok} for site 'production'" in result.output
