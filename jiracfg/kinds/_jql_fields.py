"""JQL field names: custom fields by name or alias in YAML, ``cf[N]`` on the site.

- ``to_site(jql, numbers)``: a field named by a repo custom field's name or alias (quoted or not,
  any case) becomes ``cf[N]``; other fields pass through.
- ``from_site(jql, names)``: ``cf[N]`` and ``customfield_N`` become the field's repo key (its
  name, or its alias when the name is shared), quoted when it is not a plain word.
- ``problems(jql, known)``: syntax errors and unknown field names, with a "did you mean".
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._jql_lex import CUSTOM, JqlSyntaxError, Token, lex, name_of, quote, spelled
from jiracfg.kinds._jql_parse import fields_of, replace
from jiracfg.kinds._jql_tables import OWN_CLAUSES, SYSTEM_FIELDS


def respelled(jql: str) -> str:
    """``jql`` with each quoted field name spelled as export writes it (bare when it is a plain
    word), so quoting alone never shows as a change; JQL that does not parse is left to validate."""
    try:
        return replace(jql, lambda t: spelled(name_of(t)) if t.kind == "string" else None)
    except JqlSyntaxError:
        return jql


def to_site(jql: str, numbers: Mapping[str, str]) -> str:
    """``numbers``: casefolded repo field key (name or alias) -> the site's custom id ``N``."""
    if not jql.strip():
        return jql
    return replace(jql, lambda t: _numbered(_number(numbers, name_of(t).casefold())))


def _number(numbers: Mapping[str, str], name: str) -> str | None:
    return None if name in OWN_CLAUSES else numbers.get(name)


def _numbered(number: str | None) -> str | None:
    return None if number is None else f"cf[{number}]"


def from_site(jql: str, names: Mapping[str, str]) -> str:
    """``names``: the site's custom id ``N`` -> the field's repo key (its alias when shared)."""
    if not jql.strip():
        return jql
    return replace(jql, lambda t: _named(t, names))


def _named(token: Token, names: Mapping[str, str]) -> str | None:
    found = CUSTOM.fullmatch(token.text) if token.kind == "word" else None
    name = names.get(found.group(1) or found.group(2)) if found else None
    return None if name is None else spelled(name)


def problems(jql: str, known: Iterable[str]) -> list[str]:
    """Why ``jql`` is wrong: a syntax error, or each field that is neither a system field nor in
    ``known`` (repo custom field names and aliases), with the closest known name."""
    if not jql.strip():
        return []
    try:
        tokens = fields_of(jql)
    except JqlSyntaxError as exc:
        return [f"the JQL does not parse: {exc}"]
    names = sorted(set(known))
    folded = {n.casefold() for n in names} | SYSTEM_FIELDS
    return [_unknown(name_of(t), names) for t in tokens if not _known(name_of(t), folded)]


def _known(name: str, folded: set[str]) -> bool:
    lowered = name.casefold()
    return lowered in folded or lowered.startswith("issue.property")


def _unknown(name: str, names: list[str]) -> str:
    if CUSTOM.fullmatch(name):
        return (
            f"the JQL names the field {name!r} by the site's own id (another site numbers it "
            "differently, or not at all); name it by its name or alias"
        )
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    guess = f"; did you mean {close[0]!r}?" if close else ""
    return f"the JQL names the field {name!r}, which is not a system field nor in the repo{guess}"


class FieldNames:
    """The site's field names (``GET /field``), for rewriting JQL both ways; ``keys`` maps a
    live ``customfield_N`` to its repo key (the alias when the name is shared)."""

    def __init__(self, fields: list[dict[str, Any]], keys: Mapping[str, str] | None = None) -> None:
        custom = [f for f in fields if f.get("custom") and (f.get("schema") or {}).get("customId")]
        self.names = _names(custom, Counter(str(f["name"]).casefold() for f in fields), keys)
        self.numbers: dict[str, list[str]] = {}
        for f in custom:
            number = str(f["schema"]["customId"])
            self.numbers.setdefault(str(f["name"]).casefold(), []).append(number)
        for number, key in self.names.items():
            self.numbers[key.casefold()] = [number]

    @classmethod
    def read(cls, client: JiraClient, keys: Mapping[str, str] | None = None) -> FieldNames:
        return cls(list(client.get("/field")), keys)

    def to_names(self, jql: str) -> str:
        return from_site(jql, self.names)

    def to_ids(self, jql: str, where: str) -> str:
        for token in fields_of(jql):
            numbers = self.numbers.get(name_of(token).casefold(), [])
            if len(numbers) > 1:
                raise UnresolvedReferenceError(
                    f"{where}: JQL field {token.text} names {len(numbers)} custom fields on the "
                    "target",
                    hint="give the field an alias in the repo, or rename one of those fields",
                )
        unique = {name: found[0] for name, found in self.numbers.items() if len(found) == 1}
        return to_site(jql, unique)


def _names(
    custom: list[dict[str, Any]], counts: Counter[str], keys: Mapping[str, str] | None
) -> dict[str, str]:
    """Custom id ``N`` -> repo key: the name of a field no other field shares, else from
    ``keys`` (by ``customfield_N``)."""
    names = {
        str(f["schema"]["customId"]): str(f["name"])
        for f in custom
        if counts[str(f["name"]).casefold()] == 1
    }
    for field_id, key in (keys or {}).items():
        if found := CUSTOM.fullmatch(field_id):
            names[found.group(2) or found.group(1)] = key
    return names


def normal(jql: str) -> str:
    """``jql`` with each quoted field name that is a plain word unquoted (``"Estimate" > 3`` ->
    ``Estimate > 3``), as ``from_site`` spells fields, so a hand-written JQL and the exported one
    compare equal; JQL that does not parse is left as it is."""
    try:
        return replace(jql, _unquoted)
    except JqlSyntaxError:
        return jql


def _unquoted(token: Token) -> str | None:
    if token.kind != "string" or CUSTOM.fullmatch(name_of(token)):
        return None
    spelling = spelled(name_of(token))
    return spelling if spelling != quote(name_of(token)) else None


def clause_values(jql: str, field: str) -> list[str]:
    """The values that ``field = v`` and ``field IN (v, ...)`` clauses of ``jql`` name (unquoted;
    functions left out); [] when ``jql`` does not parse."""
    try:
        starts = {t.start for t in fields_of(jql) if name_of(t).casefold() == field.casefold()}
    except JqlSyntaxError:
        return []
    tokens = lex(jql)
    found: list[str] = []
    for at, token in enumerate(tokens):
        if token.start in starts and at + 1 < len(tokens):
            found += _values_after(tokens, at + 1)
    return found


def _values_after(tokens: list[Token], at: int) -> list[str]:
    if tokens[at].text == "=" and at + 1 < len(tokens):
        following = tokens[at + 2].text if at + 2 < len(tokens) else ""
        return [] if following == "(" else [name_of(tokens[at + 1])]
    if tokens[at].folded != "in" or at + 1 >= len(tokens) or tokens[at + 1].text != "(":
        return []
    values = []
    for token in tokens[at + 2 :]:
        if token.text == ")":
            break
        if token.kind in ("word", "string"):
            values.append(name_of(token))
    return values


def custom_names(jql: str) -> list[str]:
    """The fields ``jql`` names that are not system fields (its custom fields, by name or alias);
    [] when it does not parse."""
    try:
        tokens = fields_of(jql)
    except JqlSyntaxError:
        return []
    names = [name_of(t) for t in tokens]
    return [n for n in names if not _known(n, set(SYSTEM_FIELDS)) and not CUSTOM.fullmatch(n)]


def needs_fields(jql: str) -> bool:
    return bool(jql.strip())
