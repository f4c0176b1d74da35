"""field_context: a custom field's contexts, nested under ``contexts:`` in the field's file.

Spec: ``{field, name, description?, projects?: [keys] (absent: global), issue_types?: [names]
(absent: all), options?: [{value, disabled?, children?: [{value, disabled?}]}] (Jira's order),
default?}``. The key is ``<field key>/<context name>`` (context names are unique per field only).
``default`` is an option value (select, radio buttons), a list of values (multi select,
checkboxes), ``[parent, child?]`` (cascading), text, a number, a list of labels, or a date/time
(``now`` for the current one); other defaults (users, groups, versions) are not managed.

Jira creates a global context with every new field and refuses to delete the global context or to
give it projects or issue types (CHANGE-3019): a desired global context takes over the live one,
and global contexts are ``protected``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.errors import ConfigError
from jiracfg.kinds import _field_options as options
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Flaw,
    Kind,
    SortKey,
    by_text,
    clashes,
    drop_empty,
    refs_to,
    settle,
    with_key,
)
from jiracfg.model import Address, Resource, Spec

VALUE_KEYS = {
    "textfield": "text",
    "textarea": "text",
    "readonly": "text",
    "url": "url",
    "float": "number",
    "labels": "labels",
    "datepicker": "date",
    "datetimepicker": "dateTime",
}
DEFAULT_TYPES = {
    "select": "option.single",
    "radiobuttons": "option.single",
    "multiselect": "option.multiple",
    "multicheckboxes": "option.multiple",
    "cascadingselect": "option.cascading",
    "textfield": "textfield",
    "textarea": "textarea",
    "readonlyfield": "readonly",
    "url": "url",
    "float": "float",
    "labels": "labels",
    "datepicker": "datepicker",
    "datetime": "datetimepicker",
}


NAME_LIMIT = 255
DEFAULT_NAME = "Default Configuration Scheme for "  # + the field's name: Jira's default context


class FieldContextKind(Kind):
    name = "field_context"
    folder = "custom-fields"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"projects": by_text, "issue_types": by_text}
    depends_on = ("custom_field", "project", "issue_type")
    parent = "custom_field"
    parent_field = "contexts"
    parent_key_field = "field"

    def key(self, spec: Spec) -> str:
        return f"{spec['field']}/{spec['name']}"

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        lists = [spec.get("options") or []]
        lists += [o.get("children") or [] for o in spec.get("options") or []]
        for value in (v for items in lists for v in clashes(str(o["value"]) for o in items)):
            yield Flaw(
                f"two options {value!r} (Jira refuses options that differ only in case)",
                value,
                "keep one of them, or make the values really differ",
            )
        name = str(spec["name"])
        if len(name) > NAME_LIMIT and not name.startswith(DEFAULT_NAME):
            yield Flaw(
                f"a context name is at most {NAME_LIMIT} characters ({len(name)})",
                name,
                "shorten the name (only the default context Jira names after a long field may "
                "be longer)",
            )

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield Address("custom_field", spec["field"])
        yield from refs_to("project", spec.get("projects", []))
        yield from refs_to("issue_type", spec.get("issue_types", []))

    def nested_ids(self, live: Resource) -> dict[str, str]:
        out = {}
        for option in live.meta.get("options") or []:
            out[f"option:{option['value']}"] = str(option["id"])
            for child in option.get("children") or []:
                out[f"option:{option['value']}/{child['value']}"] = str(child["id"])
        return out

    def serial_group(self, spec: Spec) -> str | None:
        # a field's contexts share its one global context (the first global create takes over the
        # one Jira made) and each project is in one context of a field at most
        return f"contexts of {spec['field']}"

    def comparable(self, live: Spec, spec: Spec) -> Spec:
        """Options without ``renamed_from`` and ``replaces``: they say how to get there."""
        if spec.get("options"):
            spec = {**spec, "options": options.as_applied(spec["options"])}
        return super().comparable(live, spec)

    def kept(self, old: Spec, body: Spec) -> Spec:
        """Also the ``renamed_from`` and ``replaces`` written on options (matched by value)."""
        out = super().kept(old, body)
        if isinstance(body.get("options"), list) and isinstance(old.get("options"), list):
            out["options"] = options.with_declarations(old["options"], body["options"])
        return out

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        fields = [f for f in ctx.live.of_kind("custom_field") if not f.readonly]
        found = ctx.client.map(lambda f: self._of_field(ctx, f), fields)
        return [r for rs in found for r in rs]

    def fetch_one(self, ctx: FetchContext, spec: Spec) -> Resource | None:
        """The contexts of the one field."""
        field = ctx.live.get(Address("custom_field", spec["field"]))
        if field is None or field.id is None:
            return None
        return with_key(self._of_field(ctx, field), self.key(spec))

    def _of_field(self, ctx: FetchContext, field: Resource) -> list[Resource]:
        path, client = f"/field/{field.id}/context", ctx.client
        contexts = list(client.paged(path))
        if not contexts:
            return []
        projects = read_mapping(
            ctx, f"{path}/projectmapping", "projectId", contexts, "isGlobalContext"
        )
        types = read_mapping(
            ctx, f"{path}/issuetypemapping", "issueTypeId", contexts, "isAnyIssueType"
        )
        defaults = {str(d["contextId"]): d for d in client.paged(f"{path}/defaultValue")}
        has_options = DEFAULT_TYPES.get(str(field.spec.get("type")), "").startswith("option")
        return [
            self._normalize(
                ctx,
                field,
                c,
                {
                    "projects": [ctx.name_of("project", p) for p in projects.get(str(c["id"]), [])],
                    "issue_types": [
                        ctx.name_of("issue_type", t) for t in types.get(str(c["id"]), [])
                    ],
                    "options": options.nest(
                        list(client.paged(f"{path}/{c['id']}/option", page_size=1000))
                    )
                    if has_options
                    else [],
                    "default": defaults.get(str(c["id"])),
                },
            )
            for c in contexts
        ]

    def _normalize(
        self, ctx: FetchContext, field: Resource, doc: dict[str, Any], parts: dict[str, Any]
    ) -> Resource:
        live_options = parts["options"]
        spec = drop_empty(
            {
                "field": field.address.key,
                "name": doc["name"],
                "description": doc.get("description"),
                "projects": sorted(parts["projects"]),
                "issue_types": sorted(parts["issue_types"]),
                "options": options.spec_options(live_options),
                "default": default_value(parts["default"], live_options),
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"]), "field_id": field.id, "options": live_options}
        if doc.get("isGlobalContext"):
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        field_id = ctx.id_of("custom_field", spec["field"])
        path = f"/field/{field_id}/context"
        if not spec.get("projects"):
            taken = ctx.client.get(path, {"isGlobalContext": "true"})["values"]
            if taken:  # Jira made one with the field: take it over
                live = self._adopted(ctx, spec["field"], field_id, taken[0])
                self.update(ctx, live, spec)
                return str(live.id)
        made = ctx.client.post(
            path,
            {
                "name": spec["name"],
                "description": spec.get("description", ""),
                "projectIds": [ctx.id_of("project", p) for p in spec.get("projects", [])],
                "issueTypeIds": [ctx.id_of("issue_type", t) for t in spec.get("issue_types", [])],
            },
        )
        context_id = str(made["id"])
        sync_values(ctx, field_id, context_id, [], spec, None)
        return context_id

    def _adopted(
        self, ctx: ApplyContext, field_key: str, field_id: str, doc: dict[str, Any]
    ) -> Resource:
        """The global context as it is: as the plan read it; as Jira makes it for a field this
        apply created (no options, no default); else read."""
        known = [r for r in ctx.live.of_kind(self.name) if r.id == str(doc["id"])]
        if known:
            return known[0]
        if Address("custom_field", field_key) in ctx.created:
            spec = {"field": field_key, "name": doc["name"], "description": doc.get("description")}
            meta = {"id": str(doc["id"]), "field_id": field_id, "options": [], "protected": True}
            return self.resource(drop_empty(spec), **meta)
        fetch_ctx = ctx.fetching()
        field = Resource(
            Address("custom_field", field_key),
            {"type": field_type(ctx, field_id)},
            {"id": field_id},
        )
        return next(r for r in self._of_field(fetch_ctx, field) if r.id == str(doc["id"]))

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        field_id = str(live.meta["field_id"])
        path = f"/field/{field_id}/context/{live.id}"
        details = {
            k: spec.get(k, "")
            for k in ("name", "description")
            if spec.get(k, "") != live.spec.get(k, "")
        }
        if details:
            ctx.client.put(path, details)
        sync_members(ctx, path, live, spec, "projects", "project")
        sync_members(ctx, path, live, spec, "issue_types", "issue_type")
        sync_values(ctx, field_id, str(live.id), live.meta.get("options", []), spec, live.spec)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/field/{live.meta['field_id']}/context/{live.id}")


def read_mapping(
    ctx: FetchContext, path: str, key: str, contexts: list[dict[str, Any]], unmapped: str
) -> dict[str, list[str]]:
    """Context id -> mapped project or issue type ids; not read when every context says
    ``unmapped`` (global, any issue type): there is nothing to map then."""
    if all(c.get(unmapped) for c in contexts):
        return {}
    return mapping(ctx.client.paged(path), key)


def mapping(rows: Iterable[dict[str, Any]], key: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in rows:
        if row.get(key) is not None:
            found.setdefault(str(row["contextId"]), []).append(str(row[key]))
    return found


def field_type(ctx: ApplyContext, field_id: str) -> str:
    known = [f for f in ctx.live.of_kind("custom_field") if f.id == field_id]
    if known and known[0].spec.get("type"):
        return str(known[0].spec["type"])
    found = ctx.client.get("/field/search", {"id": field_id, "type": "custom"})["values"]
    return str(found[0]["schema"].get("custom", "")).rsplit(":", 1)[-1] if found else ""


def sync_members(
    ctx: ApplyContext, path: str, live: Resource, spec: Spec, field: str, kind: str
) -> None:
    """Add and remove projects or issue types (a global context gets neither: CHANGE-3019)."""
    have, want = set(live.spec.get(field, [])), set(spec.get(field, []))
    body_key, segment = (
        ("projectIds", "project") if kind == "project" else ("issueTypeIds", "issuetype")
    )
    if want - have and live.protected:
        raise ConfigError(
            f"{live.address}: Jira can't give the global context {field}",
            hint="add a new context for them instead",
        )
    if have - want:
        ids = [ctx.id_of(kind, k) for k in sorted(have - want)]
        ctx.client.post(f"{path}/{segment}/remove", {body_key: ids})
    if want - have:
        ctx.client.put(
            f"{path}/{segment}", {body_key: [ctx.id_of(kind, k) for k in sorted(want - have)]}
        )


def sync_values(
    ctx: ApplyContext,
    field_id: str,
    context_id: str,
    live_options: list[Any],
    spec: Spec,
    before: Spec | None,
) -> None:
    """Options, then the default (it names options by value)."""
    path = f"/field/{field_id}/context/{context_id}/option"
    if spec.get("options", []) != (before or {}).get("options", []):
        sync_options(ctx, path, live_options, spec.get("options", []))
    if spec.get("default") != (before or {}).get("default"):
        kind = field_type(ctx, field_id)
        fresh = (
            options.nest(list(ctx.client.paged(path)))
            if "option" in DEFAULT_TYPES.get(kind, "")
            else []
        )
        body = default_body(DEFAULT_TYPES.get(kind, ""), spec.get("default"), fresh)
        ctx.client.put(
            f"/field/{field_id}/context/defaultValue",
            {"defaultValues": [{**body, "contextId": context_id}]},
        )


def sync_options(ctx: ApplyContext, path: str, live: list[Any], want: list[Any]) -> None:
    """``options.sync``; after a passing fault, from the context's options read again."""
    known = [live]

    def reread() -> bool:
        known[0] = options.nest(list(ctx.client.paged(path, page_size=1000)))
        return False  # synced again from there

    settle(lambda: options.sync(ctx.client, path, known[0], want), reread)


def default_value(raw: dict[str, Any] | None, live: list[Any]) -> Any:
    """A default as the spec holds it (option ids to values)."""
    if not raw:
        return None
    values = {o["id"]: o["value"] for o in live}
    values.update({k["id"]: k["value"] for o in live for k in o["children"]})
    kind = raw["type"]
    if kind == "option.single":
        return values.get(str(raw["optionId"]))
    if kind == "option.multiple":
        return [values.get(str(i)) for i in raw["optionIds"]]
    if kind == "option.cascading":
        return [values.get(str(raw[k])) for k in ("optionId", "cascadingOptionId") if raw.get(k)]
    if raw.get("useCurrent"):
        return "now"
    return raw.get(VALUE_KEYS.get(kind, ""))


def default_body(kind: str, value: Any, live: list[Any]) -> dict[str, Any]:
    """The ``defaultValues`` item for a spec default (None clears it)."""
    if kind.startswith("option."):
        chosen = value if isinstance(value, list) else [] if value is None else [value]
        if kind == "option.multiple":
            return {"type": kind, "optionIds": [option_id(live, v)["id"] for v in chosen]}
        body: dict[str, Any] = {
            "type": kind,
            "optionId": option_id(live, chosen[0])["id"] if chosen else None,
        }
        if kind == "option.cascading" and len(chosen) > 1:
            body["cascadingOptionId"] = option_id(
                option_id(live, chosen[0])["children"], chosen[1]
            )["id"]
        return body
    if value == "now" and kind in ("datepicker", "datetimepicker"):
        return {"type": kind, "useCurrent": True}
    if kind not in VALUE_KEYS:
        raise ConfigError(
            f"jiracfg can't set a default for a {kind or 'this'} field",
            hint="remove `default:` from the context",
        )
    return {"type": kind, VALUE_KEYS[kind]: value}


def option_id(live: list[Any], value: Any) -> dict[str, Any]:
    """The live option with ``value`` (ConfigError when the default names no option)."""
    found = next((o for o in live if o["value"] == value), None)
    if found is None:
        raise ConfigError(
            f"the default {value!r} is not one of the context's options",
            hint="use an option value (for cascading fields: [parent, child])",
        )
    return dict(found)


KIND = FieldContextKind()
