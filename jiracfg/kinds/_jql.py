"""JQL, read by a tokenizer, never by regular expressions: fields and values name objects as the
repo does in YAML, and as the site does (ids) on the wire.

The reader is in parts: ``_jql_lex`` (tokens, quoting), ``_jql_parse`` (clauses: the tokens naming
fields and the values of clauses, edits that replace only those), ``_jql_tables`` (system fields,
which clauses' values name objects), ``_jql_fields`` (custom fields: ``cf[N]`` <-> name or alias,
unknown fields) and this module: values that name objects (filters, sprints, users, projects,
statuses...; see ``_jql_values`` for export and apply). Only tokens in field or value position are
ever rewritten; every other byte (strings, spacing) is kept as written. The names other modules use
are importable from here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

from jiracfg.kinds._jql_fields import (
    FieldNames,
    clause_values,
    custom_names,
    from_site,
    needs_fields,
    normal,
    problems,
    respelled,
    to_site,
)
from jiracfg.kinds._jql_lex import KEYWORDS, JqlSyntaxError, Value, lex, name_of, quote
from jiracfg.kinds._jql_parse import fields_of, jql_error, replace_values, values_of
from jiracfg.kinds._jql_tables import (
    BARE_VALUE,
    BY_KEY,
    ISSUE_KEY,
    SYSTEM_FIELDS,
    VALUE_KINDS,
)

__all__ = [
    "BY_KEY",
    "SYSTEM_FIELDS",
    "VALUE_KINDS",
    "FieldNames",
    "JqlSyntaxError",
    "clause_values",
    "custom_names",
    "fields_of",
    "from_site",
    "jql_error",
    "jql_refs",
    "jql_users",
    "lex",
    "name_of",
    "needs_fields",
    "normal",
    "normal_values",
    "problems",
    "quote",
    "respelled",
    "rewrite_values",
    "to_site",
    "value_problems",
]


def spelled_value(text: str, site_id: bool = False) -> str:
    """How a value is written in JQL: bare when it is a plain word or a site's id, else quoted (a
    name of digits too: Jira reads a bare number as an id)."""
    if site_id and text.isdigit():
        return text
    return text if BARE_VALUE.fullmatch(text) and text.casefold() not in KEYWORDS else quote(text)


def named_values(jql: str) -> list[tuple[str, Value]]:
    """(kind, value) for each value of ``jql`` that names an object (a filter, sprint, user,
    project, status, issue type, priority, resolution, version or component); [] when it does not
    parse."""
    try:
        found = values_of(jql)
    except JqlSyntaxError:
        return []
    return [(VALUE_KINDS[v.field], v) for v in found if v.field in VALUE_KINDS]


def rewrite_values(jql: str, swap: Callable[[str, str], str | None], site_ids: bool = False) -> str:
    """``jql`` with each value naming an object replaced by ``swap(kind, value)`` (unquoted;
    None: kept), spelled as JQL wants it (``site_ids``: numbers are ids, written bare; else they
    are names, quoted); JQL that does not parse is kept as it is."""
    if not named_values(jql):
        return jql
    return replace_values(jql, lambda v: _swapped(v, swap, site_ids))


def _swapped(value: Value, swap: Callable[[str, str], str | None], site_ids: bool) -> str | None:
    kind = VALUE_KINDS.get(value.field)
    new = swap(kind, name_of(value.token)) if kind else None
    if new is not None and kind == "issue" and ISSUE_KEY.fullmatch(new):
        return new  # an issue key is written bare, as Jira shows it
    return None if new is None else spelled_value(new, site_ids)


def jql_users(jql: str) -> list[str]:
    """The users (by email) that ``jql`` names."""
    return [name_of(v.token) for k, v in named_values(jql) if k == "user" and "@" in v.token.text]


def jql_refs(jql: str) -> list[tuple[str, str]]:
    """(kind, repo key) of the filters and sprints ``jql`` names (written after them)."""
    return [(k, name_of(v.token)) for k, v in named_values(jql) if k in BY_KEY]


def normal_values(jql: str) -> str:
    """``jql`` with the values naming filters, sprints and users spelled as export writes them
    (``'Open bugs'`` and ``"Open bugs"`` are one filter); JQL that does not parse is kept."""
    try:
        return replace_values(jql, _respelled_value)
    except JqlSyntaxError:
        return jql


def _respelled_value(value: Value) -> str | None:
    if VALUE_KINDS.get(value.field) not in (*BY_KEY, "user"):
        return None
    return spelled_value(name_of(value.token), value.token.kind != "string")  # a bare id stays


def value_problems(jql: str, keys: Mapping[str, Iterable[str]]) -> list[str]:
    """Values naming an object by a site's id (a bare number: a quoted one is a name), and
    filters and sprints that are not in ``keys`` (their repo keys by kind), with the closest
    key."""
    problems = []
    for kind, value in named_values(jql):
        text = name_of(value.token)
        quoted = value.token.kind == "string" and kind != "issue"  # an issue key has a dash
        if kind != "user" and not quoted and text.isdigit():
            problems.append(
                f"the JQL names the {kind.replace('_', ' ')} {text} by the site's own id (another "
                f"site numbers it differently); {_how_to_name(kind)}"
            )
        elif kind in BY_KEY and text not in set(keys.get(kind, ())):
            problems.append(_unknown_value(kind, text, sorted(keys.get(kind, ()))))
    return problems


def _how_to_name(kind: str) -> str:
    if kind == "issue":
        return "name the issue by its key (ENG-12: a rebuild keeps issue keys)"
    return "name it as the repo does"


def _unknown_value(kind: str, text: str, keys: list[str]) -> str:
    by_name = [k for k in keys if k.casefold().endswith("/" + text.casefold())]
    folded = [k for k in keys if k.casefold() == text.casefold()]
    close = folded or by_name or difflib.get_close_matches(text, keys, n=1, cutoff=0.6)
    guess = f"; did you mean {close[0]!r}?" if close else ""
    how = "<board>/<sprint>" if kind == "sprint" else "its name, or its alias"
    return f"the JQL names the {kind} {text!r}, which is not in the repo (by {how}){guess}"
