"""``jiracfg verify`` on a site rebuilt from the commit (the demo into a fresh sandbox): it passes,
and each promise broken on purpose by hand on the rebuilt site fails the matching check with
evidence naming the object."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.kinds.app_property import secret_variable
from jiracfg.sandbox.routes.apps import DEMO_APPS
from jiracfg.verify import audit
from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, commit
from tests.e2e.test_verify import bad, client_of, verify

WEBHOOKS = "/rest/webhooks/1.0/webhook"


@pytest.fixture
def rebuilt(
    exported_demo: Jiracfg, start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> Jiracfg:
    """The demo's export (with its apps' properties) applied to a fresh site; the hand changes
    below come right after the apply, so no clock tolerance may hide them."""
    for app in DEMO_APPS:
        monkeypatch.setenv(secret_variable(app["key"]), app["sharedSecret"])
    exported_demo("export")
    commit(exported_demo.repo, "export with the apps")
    target = exported_demo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    monkeypatch.setattr(audit, "TOLERANCE_MS", 0)
    return target


def field_id(client: JiraClient, name: str) -> str:
    fields = client.paged("/field/search", {"type": "custom"})
    return str(next(f["id"] for f in fields if f["name"] == name))


def test_the_rebuilt_site_passes_every_check(rebuilt: Jiracfg) -> None:
    report = verify(rebuilt, "--ref", "HEAD", expect=0)
    assert bad(report) == {}
    passed = {r["check"] for r in report["results"] if r["status"] == "pass"}
    assert {"audit", "dropdown_options", "webhooks", "workflow_transitions"} <= passed


def test_a_setting_changed_by_hand_shows_in_the_audit_log(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    field = field_id(client, "Affected Services")
    client.put(f"/field/{field}", {"description": "changed by hand"})
    [evidence] = bad(verify(rebuilt, "--ref", "HEAD", expect=1))["audit"]
    assert evidence.startswith("CUSTOM_FIELD 'Affected Services': Custom field updated (fields)")
    assert "by 557058:admin at " in evidence
    assert evidence.endswith(
        "which no write of the restore explains:"
        " description: 'Services an issue touches' -> 'changed by hand'"
    )


def test_a_removed_option_fails_naming_its_context(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    field = field_id(client, "Affected Services")
    context = next(iter(client.paged(f"/field/{field}/context")))["id"]
    options = client.paged(f"/field/{field}/context/{context}/option")
    api = next(o for o in options if o["value"] == "API")
    client.delete(f"/field/{field}/context/{context}/option/{api['id']}")
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    assert (
        "field_context/Affected Services/All services: options: missing on the site ['API']"
        in (failed["dropdown_options"])
    )
    assert failed["audit"][0].startswith("CUSTOM_FIELD 'Affected Services': Custom field updated")


def test_a_webhook_disabled_by_hand_fails_naming_it(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    hook: dict[str, Any] = next(h for h in client.get(WEBHOOKS) if h["name"] == "Deploy bot")
    hook_id = str(hook["self"]).rsplit("/", 1)[-1]
    keep = ("name", "url", "events", "filters", "excludeBody")
    client.put(f"{WEBHOOKS}/{hook_id}", {**{k: hook[k] for k in keep}, "enabled": False})
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    assert failed["webhooks"] == ["webhook/Deploy bot: enabled: site False, commit True"]
    assert failed["audit"][0].startswith("WEBHOOK 'Deploy bot': Webhook updated (system)")
