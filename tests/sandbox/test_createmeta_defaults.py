"""Create metadata of option fields: the options of the context that applies, and its default."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api
from tests.sandbox.test_issue_data import Site


@pytest.fixture
def site(api: Api, sandbox: SandboxServer) -> Site:
    return Site(api, sandbox)


def menu(api: Api, site: Site, field: str) -> dict[str, Any]:
    types = api.checked("GET", "/issue/createmeta/ENG/issuetypes", 200)["issueTypes"]
    task = next(t["id"] for t in types if t["name"] == "Task")
    fields = api.checked("GET", f"/issue/createmeta/ENG/issuetypes/{task}", 200)["fields"]
    found: dict[str, Any] = next(f for f in fields if f["fieldId"] == field)
    return found


def test_an_option_fields_default_is_its_contexts(site: Site, api: Api) -> None:
    field = site.field("select", {"Red": [], "Blue": []})
    before = menu(api, site, field)
    assert [o["value"] for o in before["allowedValues"]] == ["Red", "Blue"]
    assert "defaultValue" not in before and before["hasDefaultValue"] is False
    context = api.checked("GET", f"/field/{field}/context", 200)["values"][0]["id"]
    blue = before["allowedValues"][1]
    default = {"contextId": context, "optionId": blue["id"], "type": "option.single"}
    api.checked(
        "PUT", f"/field/{field}/context/defaultValue", 204, json={"defaultValues": [default]}
    )
    after = menu(api, site, field)
    assert after["hasDefaultValue"] is True and after["defaultValue"] == blue


def test_a_cascading_default_names_its_child(site: Site, api: Api) -> None:
    field = site.field("cascadingselect", {"Europe": ["Germany", "France"]})
    europe = menu(api, site, field)["allowedValues"][0]
    context = api.checked("GET", f"/field/{field}/context", 200)["values"][0]["id"]
    france = europe["children"][1]
    default = {
        "contextId": context,
        "optionId": europe["id"],
        "cascadingOptionId": france["id"],
        "type": "option.cascading",
    }
    api.checked(
        "PUT", f"/field/{field}/context/defaultValue", 204, json={"defaultValues": [default]}
    )
    got = menu(api, site, field)["defaultValue"]
    assert (got["value"], got["child"]["value"]) == ("Europe", "France")
