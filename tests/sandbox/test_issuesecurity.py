"""Issue security schemes, levels, members and project associations, validated against the
spec."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, create_project

LEVELS = [
    {
        "name": "Staff",
        "description": "Staff only",
        "isDefault": True,
        "members": [{"type": "group", "parameter": "jira-users"}, {"type": "reporter"}],
    },
    {"name": "Leads", "members": [{"type": "projectlead"}]},
]


def create(api: Api, name: str = "Confidential", levels: Any = None) -> str:
    body = {
        "name": name,
        "description": "Sensitive",
        "levels": LEVELS if levels is None else levels,
    }
    return str(api.checked("POST", "/issuesecurityschemes", 201, json=body)["id"])


def levels(api: Api, scheme_id: str) -> dict[str, dict[str, Any]]:
    found = api.checked("GET", "/issuesecurityschemes/level", 200, params={"schemeId": scheme_id})
    return {lv["name"]: lv for lv in found["values"]}


def members(api: Api, scheme_id: str) -> list[tuple[str, str]]:
    found = api.checked(
        "GET", "/issuesecurityschemes/level/member", 200, params={"schemeId": scheme_id}
    )
    return sorted((m["holder"]["type"], m["holder"].get("parameter", "")) for m in found["values"])


def test_create_with_levels_members_and_default(api: Api) -> None:
    scheme_id = create(api)
    scheme = api.checked("GET", f"/issuesecurityschemes/{scheme_id}", 200)
    found = levels(api, scheme_id)
    assert scheme["defaultSecurityLevelId"] == int(found["Staff"]["id"])
    assert found["Staff"]["isDefault"] and not found["Leads"]["isDefault"]
    assert members(api, scheme_id) == [
        ("group", "jira-users"),
        ("projectLead", ""),
        ("reporter", ""),
    ]
    listed = api.checked("GET", "/issuesecurityschemes", 200)["issueSecuritySchemes"]
    assert [s["name"] for s in listed] == ["Confidential"]
    api.error("POST", "/issuesecurityschemes", 400, json={"name": "confidential"})
    bad = [{"name": "X", "members": [{"type": "nobody"}]}]
    api.error("POST", "/issuesecurityschemes", 400, json={"name": "Other", "levels": bad})


def test_levels_and_members_change(api: Api) -> None:
    scheme_id = create(api)
    path = f"/issuesecurityschemes/{scheme_id}"
    api.checked("PUT", path, 204, json={"name": "Secret", "description": ""})
    api.checked("PUT", f"{path}/level", 204, json={"levels": [{"name": "Public"}]})
    api.error("PUT", f"{path}/level", 400, json={"levels": [{"name": "public"}]})
    found = levels(api, scheme_id)
    staff, public = found["Staff"]["id"], found["Public"]["id"]
    api.checked(
        "PUT", f"{path}/level/{public}/member", 204, json={"members": [{"type": "assignee"}]}
    )
    api.error("PUT", f"{path}/level/{public}/member", 400, json={"members": [{"type": "assignee"}]})
    body = {"defaultValues": [{"issueSecuritySchemeId": scheme_id, "defaultLevelId": public}]}
    api.checked("PUT", "/issuesecurityschemes/level/default", 204, json=body)
    assert levels(api, scheme_id)["Public"]["isDefault"]
    listed = api.checked(
        "GET", "/issuesecurityschemes/level/member", 200, params={"levelId": staff}
    )
    reporter = next(m for m in listed["values"] if m["holder"]["type"] == "reporter")
    api.checked("DELETE", f"{path}/level/{staff}/member/{reporter['id']}", 204)
    response = api.call("DELETE", f"{path}/level/{staff}")
    assert response.status_code == 303 and "/task/" in response.headers["Location"]
    assert set(levels(api, scheme_id)) == {"Leads", "Public"}


def test_a_scheme_a_project_uses_is_not_deleted(api: Api) -> None:
    scheme_id = create(api)
    project_id = create_project(api, "ENG", issueSecurityScheme=int(scheme_id))
    mapping = api.checked(
        "GET", "/issuesecurityschemes/project", 200, params={"projectId": project_id}
    )
    assert mapping["values"] == [{"issueSecuritySchemeId": scheme_id, "projectId": project_id}]
    body = api.error("DELETE", f"/issuesecurityschemes/{scheme_id}", 400)
    assert "projects are associated" in body["errorMessages"][0]
    response = api.call(
        "PUT", "/issuesecurityschemes/project", json={"projectId": project_id, "schemeId": None}
    )
    assert response.status_code == 303
    api.checked("DELETE", f"/issuesecurityschemes/{scheme_id}", 204)
    api.error("GET", f"/issuesecurityschemes/{scheme_id}", 404)
