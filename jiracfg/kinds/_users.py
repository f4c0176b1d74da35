"""Users by email: Jira names users by account id, the config repo by email address.

A user whose email Jira hides (privacy settings, app users) is written as its account id, and an
account id is accepted wherever an email is.
"""

from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError

PAGE = 1000  # the most /users/search returns at once


class Users:
    """Every user of the site, read once (``/users/search`` pages through all of them)."""

    def __init__(self, client: JiraClient) -> None:
        self.emails: dict[str, str] = {}
        start = 0
        while True:
            batch = client.get("/users/search", {"startAt": start, "maxResults": PAGE})
            for user in batch:
                self.emails[str(user["accountId"])] = str(user.get("emailAddress") or "")
            if len(batch) < PAGE:
                break
            start += len(batch)
        self.accounts = {e.casefold(): a for a, e in self.emails.items() if e}

    def email(self, account_id: str) -> str:
        return self.emails.get(account_id) or account_id

    def account(self, email: str) -> str:
        found = self.accounts.get(email.casefold())
        if found is None and email not in self.emails:
            raise UnresolvedReferenceError(
                f"no Jira user has the email address {email!r}",
                hint="invite the user to the site, or fix the email address in the config repo")
        return found or email
