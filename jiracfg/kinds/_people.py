"""Users, groups and principals by name.

The config repo names users by email address and groups by name; Jira wants account ids and group
ids. A user whose email Jira hides (privacy settings, app users) is written as its account id, and
an account id is accepted wherever an email is. Principals are ``prefix:name`` strings:
``user:ann@example.com``, ``group:jira-users``, ``role:Developers``, ``user_field:Approver``.

Used by every kind that names users or groups: project, project role, permission scheme and
notification scheme.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, FetchContext
from jiracfg.model import Address

USERS_PAGE = 1000  # the most /users/search returns at once
KIND_OF = {"role": "project_role", "user_field": "custom_field", "group_field": "custom_field"}


class Directory:
    """Users and groups of one instance, each read once on first use.

    Applying makes a new one per write (groups may have been created since) that shares the users
    of the apply (``for_apply``); fetching shares one per fetch (``Directory.of``), so an export
    reads the users and the groups once.
    """

    def __init__(self, client: JiraClient, users: Directory | None = None) -> None:
        self.client = client
        self._groups: dict[str, str] | None = None  # group id -> name
        self._emails: dict[str, str] | None = None  # account id -> email ("" when hidden)
        self._accounts: dict[str, str] = {}  # casefolded email -> account id
        self._users = users  # a directory whose users this one reuses (``for_apply``)
        self._lock = threading.Lock()

    @classmethod
    def of(cls, ctx: FetchContext) -> Directory:
        """The directory shared by every kind of one fetch."""
        with _SHARED_LOCK:
            found = _SHARED.get(ctx)
            if found is None:
                found = _SHARED[ctx] = cls(ctx.client)
            return found

    def groups(self) -> dict[str, str]:
        with self._lock:
            if self._groups is None:
                self._groups = {
                    str(g["groupId"]): str(g["name"]) for g in self.client.paged("/group/bulk")
                }
            return self._groups

    def group_name(self, group_id: str) -> str:
        return self.groups().get(group_id, group_id)

    def group_id(self, name: str) -> str:
        found = [i for i, n in self.groups().items() if n.casefold() == name.casefold()]
        if not found:
            raise UnresolvedReferenceError(
                f"group {name!r} does not exist in the target instance",
                hint="create the group or fix the name",
            )
        return found[0]

    def emails(self) -> dict[str, str]:
        """Every user's email by account id (``/users/search`` pages through all of them)."""
        if self._emails is None and self._users is not None:
            self._emails, self._accounts = self._users.emails(), self._users._accounts
        with self._lock:
            if self._emails is None:
                self._load_users()
            assert self._emails is not None
            return self._emails

    def _load_users(self) -> None:
        emails = {str(u["accountId"]): str(u.get("emailAddress") or "") for u in self._all_users()}
        self._accounts = {e.casefold(): a for a, e in emails.items() if e}
        self._emails = emails

    def _all_users(self) -> Iterator[dict[str, Any]]:
        start = 0
        while True:
            batch = self.client.get("/users/search", {"startAt": start, "maxResults": USERS_PAGE})
            yield from batch
            if len(batch) < USERS_PAGE:
                return
            start += len(batch)

    def email(self, account_id: str) -> str:
        return self.emails().get(account_id) or account_id

    def account_id(self, email: str) -> str:
        emails = self.emails()
        found = self._accounts.get(email.casefold())
        if found is None and email not in emails:
            raise UnresolvedReferenceError(
                f"user {email!r} does not exist in the target instance",
                hint="invite the user or fix the email",
            )
        return found or email


_SHARED: weakref.WeakKeyDictionary[FetchContext, Directory] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def for_apply(ctx: ApplyContext) -> Directory:
    """The directory for one change of an apply: the users are read once per apply and shared
    (an apply creates none); groups are read by each change (an apply may create groups)."""
    with _SHARED_LOCK:
        users = ctx.shared.setdefault("directory", Directory(ctx.client))
    assert isinstance(users, Directory)
    return Directory(ctx.client, users)


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
    """Addresses of the groups, roles and custom fields that ``prefix:name`` strings name."""
    for text in texts:
        prefix, _, name = text.partition(":")
        if prefix == "group" and name:
            yield Address("group", name)
        elif prefix in KIND_OF and name:
            yield Address(KIND_OF[prefix], name)
