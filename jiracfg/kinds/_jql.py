"""JQL, read by a tokenizer: custom fields by name or alias in YAML, ``cf[N]`` on the site.

``lex`` splits JQL into tokens with their offsets (strings with escaped quotes, words, operators,
parentheses, commas); ``parse`` reads clauses (``field op value``, ``IN``/``NOT IN``, ``IS [NOT]
EMPTY``, ``WAS [NOT] [IN]`` and ``CHANGED`` with ``AFTER``/``BEFORE``/``ON``/``DURING``/``BY``/
``FROM``/``TO``, functions with arguments, ``AND``/``OR``/``NOT``/``!``, parentheses, ``ORDER BY``
with ``ASC``/``DESC``) and returns the tokens that name fields. Only those tokens are ever
rewritten; every other byte (values, strings, spacing) is kept as written.

- ``to_site(jql, numbers)``: a field named by a repo custom field's name or alias (quoted or not,
  any case) becomes ``cf[N]``; other fields pass through.
- ``from_site(jql, names)``: ``cf[N]`` and ``customfield_N`` become the field's repo key (its
  name, or its alias when the name is shared), quoted when it is not a plain word.
- ``problems(jql, known)``: syntax errors and unknown field names, with a "did you mean".
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError

LEXEME = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?)'
    r"|(?P<op>!=|!~|>=|<=|[=~<>!])"
    r"|(?P<punct>[(),])"
    r"|(?P<word>[^\s=~<>!(),\"']+)"
    r"|(?P<space>\s+)"
)
SYMBOL_OPERATORS = {"=", "!=", "~", "!~", ">", ">=", "<", "<="}
PREDICATES = {"after", "before", "on", "during", "by", "from", "to"}
KEYWORDS = {"and", "or", "not", "order", "by", "in", "is", "was", "changed", "empty", "null"}
CUSTOM = re.compile(r"(?:cf\[(\d+)\]|customfield_(\d+))", re.IGNORECASE)
PLAIN = re.compile(r"[A-Za-z_][\w.]*")
SYSTEM_FIELDS = frozenset(
    [
        "affectedversion",
        "approvals",
        "assignee",
        "attachments",
        "category",
        "comment",
        "component",
        "created",
        "createddate",
        "creator",
        "description",
        "due",
        "duedate",
        "environment",
        "epiclink",
        "filter",
        "fixversion",
        "hierarchylevel",
        "id",
        "issue",
        "issuekey",
        "issuelink",
        "issuetype",
        "key",
        "labels",
        "lastviewed",
        "level",
        "originalestimate",
        "parent",
        "parentproject",
        "priority",
        "project",
        "projecttype",
        "reporter",
        "remainingestimate",
        "request",  # filter's aliases: request, savedFilter, searchRequest
        "request-channel-type",
        "savedfilter",
        "searchrequest",
        "resolution",
        "resolutiondate",
        "resolved",
        "sla",
        "sprint",
        "status",
        "statuscategory",
        "statuscategorychangeddate",
        "summary",
        "text",
        "timeoriginalestimate",
        "timespent",
        "timeestimate",
        "type",
        "updated",
        "updateddate",
        "voter",
        "votes",
        "watcher",
        "watchers",
        "worklogauthor",
        "worklogcomment",
        "worklogdate",
        "workratio",
        "rank",
    ]
) | {"epic link", "epic name", "parent link", "team", "flagged"}


@dataclass(frozen=True)
class Token:
    kind: str  # string, op, punct, word
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def folded(self) -> str:
        return self.text.casefold()


@dataclass(frozen=True)
class Value:
    """A value of a clause: ``field`` is its clause's field name (casefolded, unquoted), or
    ``"by"`` for the user after ``BY`` in ``WAS``/``CHANGED``; functions and ``EMPTY`` are not
    values."""

    field: str
    token: Token


class JqlSyntaxError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at character {offset + 1})")
        self.offset = offset


def lex(jql: str) -> list[Token]:
    """The tokens of ``jql`` without the spaces between them."""
    tokens = []
    for match in LEXEME.finditer(jql):
        kind = str(match.lastgroup)
        if kind == "string" and (len(match.group()) < 2 or match.group()[-1] != match.group()[0]):
            raise JqlSyntaxError("a string is not closed", match.start())
        if kind != "space":
            tokens.append(Token(kind, match.group(), match.start()))
    return tokens


def name_of(token: Token) -> str:
    """The field name a token spells: a quoted name without its quotes and escapes."""
    if token.kind == "string":
        return re.sub(r"\\(.)", r"\1", token.text[1:-1])
    return token.text


def quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def spelled(name: str) -> str:
    """How a field name is written in JQL: bare when it is a plain word, else quoted."""
    plain = PLAIN.fullmatch(name) and name.casefold() not in KEYWORDS
    return name if plain else quote(name)


class _Parser:
    """Recursive descent over the tokens; collects the tokens in field position."""

    def __init__(self, jql: str) -> None:
        self.tokens = lex(jql)
        self.at = 0
        self.end = len(jql)
        self.fields: list[Token] = []
        self.values: list[Value] = []
        self.current = ""  # the field of the clause being read

    def peek(self, ahead: int = 0) -> str:
        index = self.at + ahead
        token = self.tokens[index] if index < len(self.tokens) else None
        return "" if token is None else token.folded if token.kind != "string" else "\0string"

    def take(self, *expected: str) -> Token:
        if expected and self.peek() not in expected:
            self.fail(" or ".join(repr(e) for e in expected))
        self.at += 1
        return self.tokens[self.at - 1]

    def skip(self, word: str) -> bool:
        if self.peek() != word:
            return False
        self.at += 1
        return True

    def fail(self, expected: str) -> None:
        if self.at < len(self.tokens):
            token = self.tokens[self.at]
            raise JqlSyntaxError(f"expected {expected}, found {token.text!r}", token.start)
        raise JqlSyntaxError(f"expected {expected}, found the end", self.end)

    def query(self) -> list[Token]:
        if self.peek() not in ("", "order"):
            self.either()
        if self.skip("order"):
            self.take("by")
            self.sort_key()
            while self.skip(","):
                self.sort_key()
        if self.peek():
            self.fail("AND, OR, ORDER BY or the end")
        return self.fields

    def sort_key(self) -> None:
        self.field()
        if self.peek() in ("asc", "desc"):
            self.take()

    def either(self) -> None:
        self.both()
        while self.skip("or"):
            self.both()

    def both(self) -> None:
        self.negated()
        while self.skip("and"):
            self.negated()

    def negated(self) -> None:
        if self.skip("not") or self.skip("!"):
            self.negated()
        elif self.skip("("):
            self.either()
            self.take(")")
        else:
            self.clause()

    def clause(self) -> None:
        self.field()
        self.current = name_of(self.fields[-1]).casefold()
        op = self.peek()
        if op in SYMBOL_OPERATORS:
            self.take()
            self.value()
        elif self.skip("is"):
            self.skip("not")
            self.take("empty", "null")
        elif op == "in" or (op == "not" and self.peek(1) == "in"):
            self.skip("not")
            self.take("in")
            self.value()
        elif op in ("was", "changed"):
            self.history(op)
        else:
            self.fail("an operator (=, !=, ~, !~, <, >, <=, >=, IN, IS, WAS, CHANGED)")

    def history(self, op: str) -> None:
        self.take()
        if op == "was":
            self.skip("not")
            self.skip("in")
            self.value()
        while self.peek() in PREDICATES:
            predicate = self.take().folded
            field = {"by": "by", "from": self.current, "to": self.current}.get(predicate, "")
            self.value(field)

    def field(self) -> None:
        token = self.peek()
        if not token or token in KEYWORDS or not _operand(token):
            self.fail("a field")
        self.fields.append(self.take())

    def value(self, field: str | None = None) -> None:
        field = self.current if field is None else field
        if self.skip("("):
            self.value(field)
            while self.skip(","):
                self.value(field)
            self.take(")")
        elif self.peek() in ("empty", "null"):
            self.take()
        elif _operand(self.peek()) and self.peek() not in KEYWORDS:
            token = self.take()
            if self.skip("("):  # a function call: name(args...)
                self.arguments()
            elif field:
                self.values.append(Value(field, token))
        else:
            self.fail("a value")

    def arguments(self) -> None:
        while self.peek() != ")":
            if not self.peek():
                self.fail("')'")
            self.take()
        self.take(")")


def _operand(token: str) -> bool:
    return bool(token) and token not in ("(", ")", ",", "!") and token not in SYMBOL_OPERATORS


def fields_of(jql: str) -> list[Token]:
    """The tokens naming fields (raises JqlSyntaxError when ``jql`` doesn't parse)."""
    return _Parser(jql).query()


def values_of(jql: str) -> list[Value]:
    """The values of ``jql``'s clauses, with their fields (raises JqlSyntaxError)."""
    parser = _Parser(jql)
    parser.query()
    return parser.values


def jql_error(jql: str) -> str:
    """Why ``jql`` can't parse ("" when it can, or when it is empty)."""
    try:
        fields_of(jql)
    except JqlSyntaxError as exc:
        return str(exc)
    return ""


def replace(jql: str, swap: Callable[[Token], str | None]) -> str:
    """``jql`` with each field token that ``swap`` maps replaced; every other byte kept."""
    return edited(jql, [(t, swap(t)) for t in fields_of(jql)])


def replace_values(jql: str, swap: Callable[[Value], str | None]) -> str:
    """``jql`` with each value that ``swap`` maps replaced; every other byte kept."""
    return edited(jql, [(v.token, swap(v)) for v in values_of(jql)])


def edited(jql: str, edits: list[tuple[Token, str | None]]) -> str:
    out, end = [], 0
    for token, new in sorted(edits, key=lambda e: e[0].start):
        if new is not None:
            out += [jql[end : token.start], new]
            end = token.end
    return "".join([*out, jql[end:]])


def respelled(jql: str) -> str:
    """``jql`` with each quoted field name spelled as export writes it (bare when it is a plain
    word), so quoting alone never shows as a change; JQL that does not parse is left to validate."""
    try:
        return replace(jql, lambda t: spelled(name_of(t)) if t.kind == "string" else None)
    except JqlSyntaxError:
        return jql


# custom fields of Jira Software with a JQL name of their own (``sprint = 42`` is not rewritten
# to ``cf[10020]``: its values stay readable as sprints)
OWN_CLAUSES = frozenset(["sprint", "rank"])


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
        counts = Counter(str(f["name"]).casefold() for f in fields)
        custom = [f for f in fields if f.get("custom") and (f.get("schema") or {}).get("customId")]
        self.names = {
            str(f["schema"]["customId"]): str(f["name"])
            for f in custom
            if counts[str(f["name"]).casefold()] == 1
        }
        for field_id, key in (keys or {}).items():
            if found := CUSTOM.fullmatch(field_id):
                self.names[found.group(2) or found.group(1)] = key
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


# -- values that name objects (see ``_jql_values`` for export and apply) --------------------------
FILTER_FIELDS = ("filter", "request", "savedfilter", "searchrequest")
ISSUE_FIELDS = ("parent", "issue", "issuekey", "key", "id")  # by key in YAML; Jira takes both
ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]*-\d+")
USER_FIELDS = ("assignee", "reporter", "creator", "watcher", "watchers", "voter", "worklogauthor")
VALUE_KINDS: dict[str, str] = {
    **dict.fromkeys(FILTER_FIELDS, "filter"),
    **dict.fromkeys((*USER_FIELDS, "by"), "user"),
    "sprint": "sprint",
    "project": "project",
    "status": "status",
    "issuetype": "issue_type",
    "type": "issue_type",
    "priority": "priority",
    "resolution": "resolution",
    "fixversion": "version",
    "affectedversion": "version",
    "component": "component",
    **dict.fromkeys(ISSUE_FIELDS, "issue"),
}
BY_KEY = ("filter", "sprint")  # named by their repo key in YAML, written as the target's ids
BARE_VALUE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
