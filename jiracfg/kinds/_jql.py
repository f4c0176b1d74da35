"""JQL with custom fields by name: ``cf[10010] > 3`` on the site is ``"Story Points" > 3`` in YAML.

Only the clause's field position is rewritten; string values are never touched. At fetch every
``cf[N]`` whose name belongs to that one field becomes the quoted name (a name shared by several
fields keeps ``cf[N]``). At apply a quoted name in field position that names exactly one custom
field (and no system field) becomes ``cf[N]``; other names go to Jira unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError

TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|cf\[\d+\]|!=|!~|>=|<=|[=~<>(),]|[^\s=~<>!(),"\']+|\S',
    re.IGNORECASE,
)
WORD_OPERATORS = {"in", "not", "is", "was", "changed"}
SYMBOL_OPERATORS = {"=", "!=", "~", "!~", ">", ">=", "<", "<="}
CUSTOM = re.compile(r"cf\[(\d+)\]", re.IGNORECASE)


class FieldNames:
    """The site's field names (``GET /field``) for rewriting JQL both ways."""

    def __init__(self, fields: list[dict[str, Any]]) -> None:
        counts = Counter(str(f["name"]).casefold() for f in fields)
        custom = [f for f in fields if f.get("custom") and (f.get("schema") or {}).get("customId")]
        self.names = {
            str(f["schema"]["customId"]): str(f["name"])
            for f in custom
            if counts[str(f["name"]).casefold()] == 1
        }
        self.system = {str(f["name"]).casefold() for f in fields if not f.get("custom")}
        self.numbers: dict[str, list[str]] = {}
        for f in custom:
            self.numbers.setdefault(str(f["name"]).casefold(), []).append(
                str(f["schema"]["customId"])
            )

    @classmethod
    def read(cls, client: JiraClient) -> FieldNames:
        return cls(list(client.get("/field")))

    def to_names(self, jql: str) -> str:
        return "".join(self._named(t) for t in split(jql))

    def to_ids(self, jql: str, where: str) -> str:
        tokens = split(jql)
        return "".join(
            self._numbered(t, where) if field_position(tokens, i) else t
            for i, t in enumerate(tokens)
        )

    def _named(self, token: str) -> str:
        found = CUSTOM.fullmatch(token)
        name = self.names.get(found.group(1)) if found else None
        return token if name is None else quote(name)

    def _numbered(self, token: str, where: str) -> str:
        name = unquote(token).casefold()
        if not token.startswith(('"', "'")) or name in self.system:
            return token
        numbers = self.numbers.get(name, [])
        if len(numbers) > 1:
            raise UnresolvedReferenceError(
                f"{where}: JQL field {token} names {len(numbers)} custom fields on the target",
                hint="rename one of those custom fields so the name is unique",
            )
        return f"cf[{numbers[0]}]" if numbers else token


def needs_fields(jql: str) -> bool:
    return bool(CUSTOM.search(jql)) or '"' in jql or "'" in jql


def split(jql: str) -> list[str]:
    """Tokens with the whitespace between them kept, so ``"".join`` gives ``jql`` back."""
    out: list[str] = []
    end = 0
    for match in TOKEN.finditer(jql):
        out += [jql[end : match.start()], match.group()] if match.start() > end else [match.group()]
        end = match.end()
    return out + ([jql[end:]] if end < len(jql) else [])


def field_position(tokens: list[str], index: int) -> bool:
    """Whether ``tokens[index]`` is a clause's field: the next token is an operator."""
    following = [t for t in tokens[index + 1 :] if t.strip()]
    if not tokens[index].strip() or not following:
        return False
    nxt = following[0]
    return nxt in SYMBOL_OPERATORS or nxt.casefold() in WORD_OPERATORS


def quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])
