"""Principals by name: specs say ``user:ann@example.com``, ``group:jira-users``,
``role:Developers``, ``user_field:Approver``; Jira wants account ids, group ids, role ids and field
ids.

A user without a visible email keeps its account id (``user:557058:...``): an id beats losing the
grant. Used by the permission scheme, notification scheme and project role kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, FetchContext
from jiracfg.model import Address

KIND_OF = {"role": "project_role", "user_field": "custom_field", "group_field": "custom_field"}


class Directory:
    """Users and groups of one instance, looked up on demand and cached."""

    def __init__(self, client: JiraClient) -> None:
        self.client = client
        self._groups: dict[str, str] | None = None  # group id -> name
        self._emails: dict[str, str] = {}  # account id -> email (or the id)

    def groups(self) -> dict[str, str]:
        if self._groups is None:
            self._groups = {str(g["groupId"]): str(g["name"])
                            for g in self.client.paged("/group/bulk")}
        return self._groups

    def group_name(self, group_id: str) -> str:
        return self.groups().get(group_id, group_id)

    def group_id(self, name: str) -> str:
        found = [i for i, n in self.groups().items() if n.casefold() == name.casefold()]
        if not found:
            raise UnresolvedReferenceError(f"group {name!r} does not exist in the target instance",
                                           hint="create the group or fix the name")
        return found[0]

    def load_emails(self, account_ids: Iterable[str]) -> None:
        """Look up the email of every account id not seen yet, concurrently."""
        wanted = sorted(set(account_ids) - set(self._emails))
        users = self.client.map(lambda a: self.client.get("/user", {"accountId": a}), wanted)
        for account_id, user in zip(wanted, users, strict=True):
            self._emails[account_id] = str(user.get("emailAddress") or account_id)

    def email(self, account_id: str) -> str:
        self.load_emails([account_id])
        return self._emails[account_id]

    def account_id(self, email: str) -> str:
        if "@" not in email:
            return email
        known = [a for a, e in self._emails.items() if e.casefold() == email.casefold()]
        found = known or [u["accountId"] for u in self.client.get("/user/search", {"query": email})
                          if str(u.get("emailAddress", "")).casefold() == email.casefold()]
        if not found:
            raise UnresolvedReferenceError(f"user {email!r} does not exist in the target instance",
                                           hint="invite the user or fix the email")
        self._emails[str(found[0])] = email
        return str(found[0])


def principal_name(ctx: FetchContext, people: Directory, prefix: str, jira_id: str) -> str:
    """``prefix:name`` for a principal Jira gives by id (prefix: user, group, role, *_field)."""
    if prefix == "user":
        return f"user:{people.email(jira_id)}"
    if prefix == "group":
        return f"group:{people.group_name(jira_id)}"
    return f"{prefix}:{ctx.name_of(KIND_OF[prefix], jira_id)}"


def principal_id(ctx: ApplyContext, people: Directory, prefix: str, name: str) -> str:
    """Jira's id for the principal ``prefix:name`` on the target instance."""
    if prefix == "user":
        return people.account_id(name)
    if prefix == "group":
        return people.group_id(name)
    return ctx.id_of(KIND_OF[prefix], name)


def principal_refs(texts: Iterable[str]) -> Iterator[Address]:
    """Addresses of the roles and custom fields that ``prefix:name`` strings name."""
    for text in texts:
        prefix, _, name = text.partition(":")
        if prefix in KIND_OF and name:
            yield Address(KIND_OF[prefix], name)
