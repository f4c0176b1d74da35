"""webhook: admin webhooks (``/rest/webhooks/1.0/webhook``).

Spec: ``{name, url, events: [sorted], jql?, exclude_body?: true, enabled?: false,
secret?: {env: VAR}}``; the JQL names custom fields (see ``_jql``).

The secret is never in YAML, plans or logs: ``secret`` names the environment variable that holds
it, and create/update read the variable (refusing, naming it, when it is unset). Jira returns
neither a webhook's secret nor whether it has one, so ``secret`` is write-only: fetch never
reports it, plans never diff it, and it is sent with every create and update of the webhook.
Export therefore cannot write it; add ``secret: {env: JIRACFG_WEBHOOK_SECRET_<SLUG>}``
(``secret_variable``) by hand, and every later export keeps that line (``repo.write`` keeps the
write-only fields a file holds). Jira keeps a secret when an update omits it, so removing
``secret`` from YAML leaves it set.

Webhook names are not unique in Jira: the second and later webhooks (by id) sharing a name get the
key ``alias: "<name> (<n>)"``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.client import keep_secret
from jiracfg.errors import ConfigError
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    SortKey,
    by_text,
    drop_empty,
)
from jiracfg.kinds._jql import FieldNames, needs_fields
from jiracfg.kinds.filter import jql_order_refs, site_jql
from jiracfg.model import Address, Resource, Spec

PATH = "/rest/webhooks/1.0/webhook"
FILTER = "issue-related-events-section"


def secret_variable(name: str) -> str:
    """The conventional variable for a webhook's secret: ``JIRACFG_WEBHOOK_SECRET_<SLUG>``."""
    slug = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")
    return f"JIRACFG_WEBHOOK_SECRET_{slug or 'WEBHOOK'}"


def hook_id(hook: dict[str, Any]) -> str:
    return str(hook["self"]).rstrip("/").rsplit("/", 1)[-1]


class WebhookKind(Kind):
    name = "webhook"
    folder = "webhooks"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"events": by_text}
    depends_on = ("custom_field",)
    write_only = ("secret",)
    jql_fields = ("jql",)

    def order_refs(self, spec: Spec) -> Iterable[Address]:
        """A webhook is written after the custom fields, filters and sprints its JQL names."""
        return jql_order_refs(str(spec.get("jql") or ""))

    def serial_group(self, spec: Spec) -> str | None:
        # namesakes are keyed by age (id order): created one at a time, in plan order
        return f"webhooks named {str(spec['name']).casefold()}"

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        hooks = sorted(ctx.client.get(PATH), key=lambda h: int(hook_id(h)))
        jqls = [(h.get("filters") or {}).get(FILTER) or "" for h in hooks]
        keys = {str(r.id): r.address.key for r in ctx.live.of_kind("custom_field") if r.id}
        fields = FieldNames.read(ctx.client, keys) if any(needs_fields(j) for j in jqls) else None
        seen: dict[str, int] = {}
        for hook, jql in zip(hooks, jqls, strict=True):
            spec = self.spec_of(hook, fields.to_names(jql) if fields else jql)
            seen[hook["name"].casefold()] = count = seen.get(hook["name"].casefold(), 0) + 1
            if count > 1:
                spec["alias"] = f"{hook['name']} ({count})"
            yield self.resource(spec, id=hook_id(hook), duplicate_name=count > 1)

    def spec_of(self, hook: dict[str, Any], jql: str) -> Spec:
        return drop_empty(
            {
                "name": hook["name"],
                "url": hook["url"],
                "events": sorted(hook.get("events") or []),
                "jql": jql.strip(),
                "exclude_body": hook.get("excludeBody") is True or None,
                "enabled": False if hook.get("enabled") is False else None,
            }
        )

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        return hook_id(ctx.client.post(PATH, self.body(ctx, spec)))

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        ctx.client.put(f"{PATH}/{live.id}", self.body(ctx, spec))

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"{PATH}/{live.id}")

    def body(self, ctx: ApplyContext, spec: Spec) -> dict[str, Any]:
        """Jira's PUT replaces the whole webhook, so every write sends every field."""
        jql = site_jql(ctx, str(spec.get("jql") or ""), f"webhook {self.key(spec)!r}")
        body: dict[str, Any] = {
            "name": spec["name"],
            "url": spec["url"],
            "events": list(spec.get("events") or []),
            "filters": {FILTER: jql},
            "excludeBody": bool(spec.get("exclude_body")),
            "enabled": spec.get("enabled", True),
        }
        if spec.get("secret"):
            body["secret"] = read_secret(self.key(spec), str(spec["secret"]["env"]))
        return body


def read_secret(webhook: str, variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise ConfigError(
            f"webhook {webhook!r}: the environment variable {variable} holding its secret is "
            "not set",
            hint=f"export {variable}=<the webhook secret> before apply, or remove `secret:`",
        )
    return keep_secret(value)


KIND = WebhookKind()
