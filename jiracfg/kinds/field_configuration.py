"""field_configuration: which fields are hidden or required, their help text and renderer.

Spec: ``{name, description?, fields: {field name: {hidden?, required?, description?, renderer?}}}``
with only the fields whose item differs from Jira's default for it (visible, optional but for
Summary and Issue Type, no description, the wiki renderer for text fields), so files stay small and
a new site exports without noise. ``renderer`` is ``text-renderer`` (plain text) where a text field
does not use the default wiki renderer. Fields are ``custom_field`` keys (system fields by name).
The Default Field Configuration is protected: its fields are managed, but Jira refuses to rename,
re-describe or delete it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.errors import ConfigError
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    drop_empty,
    refs_to,
    with_key,
)
from jiracfg.model import Address, Resource, Spec

LOCKED = ("summary", "issuetype")  # required in every configuration
PAGE = 1000
Item = dict[str, Any]


class FieldConfigurationKind(Kind):
    name = "field_configuration"
    folder = "field-configurations"
    audited = True
    depends_on = ("custom_field",)
    in_use_by = ("field_configuration_scheme",)

    def refs(self, spec: Spec) -> Iterable[Address]:
        return refs_to("custom_field", spec.get("fields", {}))

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return self._read(ctx, list(ctx.client.paged("/fieldconfiguration")))

    def fetch_one(self, ctx: FetchContext, spec: Spec) -> Resource | None:
        """Jira's ``query`` matches names (and descriptions) in part."""
        found = ctx.client.paged("/fieldconfiguration", {"query": spec["name"]})
        return with_key(
            self._read(ctx, [c for c in found if c["name"] == spec["name"]]), spec["name"]
        )

    def _read(self, ctx: FetchContext, configs: list[dict[str, Any]]) -> list[Resource]:
        items = ctx.client.map(lambda c: read_items(ctx, str(c["id"])), configs)
        return [self._normalize(ctx, c, i) for c, i in zip(configs, items, strict=True)]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any], items: list[Item]) -> Resource:
        fields = {
            ctx.name_of("custom_field", i["id"]): setting
            for i in items
            if (setting := non_default(i))
        }
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "fields": dict(sorted(fields.items())),
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if doc.get("isDefault"):
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {"name": spec["name"], "description": spec.get("description", "")}
        new_id = str(ctx.client.post("/fieldconfiguration", body)["id"])
        sync_items(ctx, new_id, spec.get("fields", {}))
        return new_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        details = [f for f in ("name", "description") if spec.get(f) != live.spec.get(f)]
        if details and live.protected:
            raise ConfigError(
                f"{live.address}: Jira refuses to change the {details[0]} of the "
                "default field configuration",
                hint="change only its fields",
            )
        if details:
            ctx.client.put(
                f"/fieldconfiguration/{live.id}",
                {"name": spec["name"], "description": spec.get("description", "")},
            )
        sync_items(ctx, str(live.id), spec.get("fields", {}))  # fresh: a field may be new

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/fieldconfiguration/{live.id}")


def read_items(ctx: FetchContext | ApplyContext, config_id: str) -> list[Item]:
    return list(ctx.client.paged(f"/fieldconfiguration/{config_id}/fields", page_size=PAGE))


def non_default(item: Item) -> Item:
    """The settings of a Jira item that differ from the field's default, as the spec says them."""
    return drop_empty(
        {
            "hidden": True if item.get("isHidden") else None,
            "required": bool(item.get("isRequired"))
            if (bool(item.get("isRequired")) != (item["id"] in LOCKED))
            else None,
            "description": item.get("description"),
            "renderer": "text-renderer" if item.get("renderer") == "text-renderer" else None,
        }
    )


def sync_items(ctx: ApplyContext, config_id: str, fields: dict[str, Item]) -> None:
    """One bulk write of every item whose settings differ from ``fields`` (items read fresh)."""
    wanted = {ctx.id_of("custom_field", name): setting for name, setting in fields.items()}
    changes = [
        change
        for item in read_items(ctx, config_id)
        if (change := item_change(item, wanted.get(item["id"], {})))
    ]
    if changes:
        ctx.client.put(
            f"/fieldconfiguration/{config_id}/fields", {"fieldConfigurationItems": changes}
        )


def item_change(item: Item, want: Item) -> Item | None:
    """The Jira item that gives ``item`` the settings ``want`` (None when it has them)."""
    if non_default(item) == want:
        return None
    change = {
        "id": item["id"],
        "isHidden": bool(want.get("hidden")),
        "isRequired": bool(want.get("required", item["id"] in LOCKED)),
        "description": want.get("description", ""),
    }
    if want.get("renderer") or item.get("renderer") == "text-renderer":
        change["renderer"] = want.get("renderer", "wiki-renderer")
    return change


KIND = FieldConfigurationKind()
