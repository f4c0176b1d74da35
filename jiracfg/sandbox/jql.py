"""JQL for the sandbox: parse a query, resolve names through the other areas, match issue docs.

Supported: clauses on ``project``, ``issuetype`` (``type``), ``status``, ``priority``,
``resolution`` (``Unresolved``), ``labels`` and custom fields (``cf[10010]``, ``customfield_10010``
or the field's name, quoted when it has spaces); operators ``=``, ``!=``, ``IN``, ``NOT IN``,
``IS [NOT] EMPTY`` (``NULL``), and ``<``, ``>``, ``<=``, ``>=`` on number and date fields (custom
number, date and date-time fields, ``created``, ``updated``; dates as ``yyyy-MM-dd``,
``yyyy/MM/dd`` with an optional ``HH:mm``, or a period from now such as ``-5d`` or ``4w 2d``);
``AND``, ``OR``, ``NOT``, parentheses; ``ORDER BY`` with ``ASC`` / ``DESC``. As in Jira, ``!=``
and ``NOT IN`` never match an empty field. Every problem is an
``ApiError(400)`` with Jira's message.

Issue docs (see ``routes/issues.py``) carry ``projectId``, ``issueTypeId``, ``statusId``,
``priorityId``, ``resolutionId``, ``labels``, ``created``, ``updated``, ``key``, ``num`` and custom
field values in ``fields`` (an option id, a list of them, ``{"id", "child"}`` for cascading
selects, or a plain value).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from jiracfg.sandbox.http import ApiError, peer
from jiracfg.sandbox.store import Doc, Store

OPERATORS = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'"
RESERVED = {"and", "or", "not", "in", "is", "order", "by", "empty", "null", "asc", "desc"}
TOKEN = re.compile(
    r"\s*(?:(?P<str>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?P<op>!=|<=|>=|!~|[=<>~(),])"
    r"|(?P<word>[^\s=!<>~(),\"']+))"
)
UNRESOLVED = "unresolved"
OPTION_TYPES = ("select", "multiselect", "cascadingselect", "radiobuttons", "multicheckboxes")
SYSTEM = {
    "project": "projectId",
    "issuetype": "issueTypeId",
    "type": "issueTypeId",
    "status": "statusId",
    "priority": "priorityId",
    "resolution": "resolutionId",
    "labels": "labels",
}
CATALOGS = {
    "issueTypeId": "issuetype",
    "statusId": "status",
    "priorityId": "priority",
    "resolutionId": "resolution",
}
SORTABLE = {
    "key": "key",
    "issuekey": "key",
    "id": "id",
    "created": "created",
    "updated": "updated",
    "summary": "summary",
    **SYSTEM,
}

Match = Callable[[Doc], bool]


def jql_error(message: str) -> ApiError:
    return ApiError(400, message)


# -- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # "str" | "op" | "word" | "end"
    text: str
    pos: int  # 1-based character

    @property
    def value(self) -> str:
        if self.kind != "str":
            return self.text
        return re.sub(r"\\(.)", r"\1", self.text[1:-1])

    def word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


def tokenize(text: str) -> list[Token]:
    tokens, at = [], 0
    while text[at:].strip():
        found = TOKEN.match(text, at)
        start = len(text) - len(text[at:].lstrip())
        if found is None or found.lastgroup is None:
            rest = text[start + 1 :].split()[0] if text[start + 1 :].split() else ""
            raise syntax(f"The quoted string '{rest}' has not been completed.", start + 1)
        tokens.append(Token(found.lastgroup, found.group(found.lastgroup), start + 1))
        at = found.end()
    return [*tokens, Token("end", "", len(text) + 1)]


def syntax(message: str, pos: int | None = None) -> ApiError:
    where = f" (line 1, character {pos})" if pos is not None else ""
    return jql_error(f"Error in the JQL Query: {message}{where}")


# -- syntax tree -------------------------------------------------------------------------------
@dataclass
class Clause:
    name: str
    op: str  # "=", "!=", "in", "not in", "is", "is not", or an unsupported operator
    values: list[str] = field(default_factory=list)  # empty for EMPTY


@dataclass
class Group:
    kind: str  # "and" | "or" | "not"
    items: list[Node]


Node = Clause | Group


@dataclass
class Query:
    where: Node | None
    order: list[tuple[str, bool]]  # (field name, descending)


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.at = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        self.at += 1
        return self.tokens[self.at - 1]

    def parse(self) -> Query:
        where = None if self.tok.word("order") or self.tok.kind == "end" else self.or_()
        order = self.order_by() if self.tok.word("order") else []
        if self.tok.kind != "end":
            raise syntax(f"Expecting either 'OR' or 'AND' but got '{self.tok.text}'.", self.tok.pos)
        return Query(where, order)

    def or_(self) -> Node:
        items = [self.and_()]
        while self.tok.word("or"):
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else Group("or", items)

    def and_(self) -> Node:
        items = [self.not_()]
        while self.tok.word("and"):
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else Group("and", items)

    def not_(self) -> Node:
        if self.tok.word("not"):
            self.take()
            return Group("not", [self.not_()])
        if self.tok.text == "(" and self.tok.kind == "op":
            self.take()
            inner = self.or_()
            self.expect(")")
            return inner
        return self.clause()

    def expect(self, text: str) -> None:
        if self.tok.kind == "end":
            raise syntax(f"Expecting '{text}' before the end of the query.")
        if self.tok.text != text:
            raise syntax(f"Expecting '{text}' but got '{self.tok.text}'.", self.tok.pos)
        self.take()

    def field_name(self) -> str:
        tok = self.take()
        if tok.kind == "end":
            raise syntax("Expecting a field name before the end of the query.")
        if tok.kind == "op" or tok.word(*RESERVED):
            raise syntax(f"Expecting a field name but got '{tok.text}'.", tok.pos)
        return tok.value

    def clause(self) -> Clause:
        name = self.field_name()
        op = self.operator()
        if op in ("is", "is not"):
            if not self.tok.word("empty", "null"):
                raise syntax(f"Expecting 'EMPTY' but got '{self.tok.text}'.", self.tok.pos)
            self.take()
            return Clause(name, op)
        return Clause(name, op, self.operand(op))

    def operator(self) -> str:
        tok = self.take()
        if tok.kind == "op" and tok.text not in "(),":
            return tok.text
        if tok.word("is") and self.tok.word("not"):
            self.take()
            return "is not"
        if tok.word("in", "is"):
            return tok.text.lower()
        if tok.word("not") and self.tok.word("in"):
            self.take()
            return "not in"
        if tok.kind == "end":
            raise syntax(
                f"Expecting operator before the end of the query. The valid operators "
                f"are {OPERATORS}."
            )
        raise syntax(
            f"Expecting operator but got '{tok.text}'. The valid operators are {OPERATORS}.",
            tok.pos,
        )

    def operand(self, op: str) -> list[str]:
        if op in ("in", "not in"):
            self.expect("(")
            values = [self.value()]
            while self.tok.text == ",":
                self.take()
                values.append(self.value())
            self.expect(")")
            return values
        return [self.value()]

    def value(self) -> str:
        tok = self.take()
        if tok.kind == "end":
            raise syntax("Expecting either a value, list or function before the end of the query.")
        if tok.kind == "op" or tok.word(*RESERVED):
            raise syntax(
                f"Expecting either a value, list or function but got '{tok.text}'. You "
                f"must surround '{tok.text}' in quotation marks to use it as a value.",
                tok.pos,
            )
        return tok.value

    def order_by(self) -> list[tuple[str, bool]]:
        self.take()
        if not self.tok.word("by"):
            raise syntax(f"Expecting 'by' but got '{self.tok.text}'.", self.tok.pos)
        self.take()
        order = [self.sort_key()]
        while self.tok.text == ",":
            self.take()
            order.append(self.sort_key())
        return order

    def sort_key(self) -> tuple[str, bool]:
        name = self.field_name()
        if self.tok.word("asc", "desc"):
            return name, self.take().text.lower() == "desc"
        return name, False


def parse(text: str) -> Query:
    return Parser(text).parse()


# -- names -------------------------------------------------------------------------------------
def call(module: str, name: str, default: Any, *args: Any) -> Any:
    """``module.name(*args)`` through the contract, or ``default`` while that area is a stub."""
    fn = peer(module, name)
    return default if fn is None else fn(*args)


def project_ref(db: Store, raw: str) -> Doc | None:
    """A project by key (any case), id or name."""
    found = call("projects", "project_by_key_or_id", None, db, raw)
    if found is None and raw.upper() != raw:
        found = call("projects", "project_by_key_or_id", None, db, raw.upper())
    if found is None:
        by_name = [
            p
            for p in call("projects", "all_projects", [], db)
            if p["name"].casefold() == raw.casefold()
        ]
        found = by_name[0] if by_name else None
    return None if found is None else dict(found)


def all_issue_types(db: Store) -> list[Doc]:
    return list(call("issuetypes", "all_issue_types", [], db))


def named(docs: list[Doc], raw: str) -> list[str]:
    """Ids of the docs whose name (case-insensitive) or id is ``raw``."""
    return [d["id"] for d in docs if d["name"].casefold() == raw.casefold() or d["id"] == raw]


def catalog(db: Store, name: str) -> list[Doc]:
    """Every status / priority / resolution / issue type, for name lookups."""
    if name == "status":
        return list(call("statuses", "all_statuses", [], db))
    if name == "priority":
        return list(call("basics", "all_priorities", [], db))
    if name == "resolution":
        return list(call("basics", "all_resolutions", [], db))
    return all_issue_types(db)


def custom_fields(db: Store, name: str) -> list[Doc]:
    """The custom fields a clause name means (``cf[10010]``, ``customfield_10010`` or a name)."""
    number = re.fullmatch(r"cf\[(\d+)\]|customfield_(\d+)", name.strip(), re.IGNORECASE)
    if number:
        found = call("fields", "get_field", None, db, f"customfield_{number[1] or number[2]}")
        return [] if found is None else [found]
    return [
        f
        for f in call("fields", "all_fields", [], db)
        if f.get("custom") and f["name"].casefold() == name.casefold()
    ]


def is_option_field(doc: Doc) -> bool:
    custom = str((doc.get("schema") or {}).get("custom", ""))
    return custom.rsplit(":", 1)[-1] in OPTION_TYPES


def field_options(db: Store, field_id: str) -> list[Doc]:
    return list(call("fields", "field_options", [], db, field_id))


# -- compiling ---------------------------------------------------------------------------------
@dataclass
class Compiled:
    match: Match
    projects: set[str] | None  # every match is in one of these projects (None: any project)
    order: list[tuple[Callable[[Doc], Any], bool]]


def compile_query(db: Store, text: str, *, bounded: bool = True) -> Compiled:
    """Parse and resolve ``text``; ``bounded`` refuses a query without a search restriction."""
    query = parse(text or "")
    if query.where is None and bounded:
        raise jql_error(
            "Unbounded JQL queries are not allowed here. Please add a search "
            "restriction to your query."
        )
    if query.where is None:
        return Compiled(lambda _: True, None, sort_keys(db, query.order))
    match, projects = compile_node(db, query.where)
    return Compiled(match, projects, sort_keys(db, query.order))


def compile_node(db: Store, node: Node) -> tuple[Match, set[str] | None]:
    if isinstance(node, Clause):
        return compile_clause(db, node)
    parts = [compile_node(db, item) for item in node.items]
    matches = [m for m, _ in parts]
    if node.kind == "not":
        return (lambda d: not matches[0](d)), None
    if node.kind == "and":
        bounds = [p for _, p in parts if p is not None]
        return (lambda d: all(m(d) for m in matches)), (
            set.intersection(*bounds) if bounds else None
        )
    every = [p for _, p in parts if p is not None]
    union = set().union(*every) if len(every) == len(parts) else None
    return (lambda d: any(m(d) for m in matches)), union


def compile_clause(db: Store, clause: Clause) -> tuple[Match, set[str] | None]:
    ranged = ranged_field(db, clause.name)
    if ranged is not None and clause.op in COMPARE:
        return compare_match(clause, *ranged), None
    if clause.op in ("<", ">", "<=", ">="):
        raise jql_error(
            f"The operator '{clause.op}' is not supported by the '{clause.name}' field."
        )
    getter, resolve = clause_field(db, clause.name)
    if clause.op not in ("=", "!=", "in", "not in", "is", "is not"):
        raise jql_error(
            f"The operator '{clause.op}' is not supported by the '{clause.name}' field."
        )
    wanted = {v for raw in clause.values for v in resolve(raw)}
    match = operator_match(clause.op, getter, wanted)
    bound = wanted if clause.name.lower() == "project" and clause.op in ("=", "in") else None
    return match, bound


def operator_match(op: str, getter: Callable[[Doc], set[str]], wanted: set[str]) -> Match:
    if op == "is":
        return lambda d: not getter(d)
    if op == "is not":
        return lambda d: bool(getter(d))
    if op in ("=", "in"):
        return lambda d: bool(getter(d) & wanted)
    return lambda d: bool(getter(d)) and not getter(d) & wanted


Resolve = Callable[[str], set[str]]

# -- ordered values: numbers and dates ---------------------------------------------------------
COMPARE = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}
COMPARE.update({"=": operator.eq, "!=": operator.ne})
DATES = {"created": "created", "createddate": "created", "updated": "updated"}
DATES["updateddate"] = "updated"
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
PERIOD = re.compile(r"([+-]?)((?:\s*\d+[wdhm])+)")
UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
Ranged = tuple[Callable[[Doc], Any], Callable[[str], Any]]


def ranged_field(db: Store, name: str) -> Ranged | None:
    """How to read and parse an ordered field (number or date), or None for other fields."""
    if name.lower() in DATES:
        attr = DATES[name.lower()]
        return (lambda d: stored_date(d.get(attr))), lambda raw: jql_date(name, raw)
    if name.lower() in SYSTEM:
        return None
    fields = custom_fields(db, name)
    kinds = {str((f.get("schema") or {}).get("type")) for f in fields}
    numbers = kinds == {"number"}
    if not fields or not (numbers or kinds <= {"date", "datetime"}):
        return None
    read: Callable[[Any], Any] = stored_number if numbers else stored_date
    ids = [f["id"] for f in fields]

    def value(doc: Doc) -> Any:
        return next((read(v) for v in custom_values(doc, ids) if read(v) is not None), None)

    return value, lambda raw: jql_number(name, raw) if numbers else jql_date(name, raw)


def custom_values(doc: Doc, field_ids: list[str]) -> list[Any]:
    return [(doc.get("fields") or {}).get(f) for f in field_ids]


def compare_match(clause: Clause, read: Callable[[Doc], Any], parse: Callable[[str], Any]) -> Match:
    """An ordered comparison; an empty field never matches (as ``!=`` in Jira)."""
    wanted, compare = parse(clause.values[0]), COMPARE[clause.op]
    return lambda d: (value := read(d)) is not None and bool(compare(value, wanted))


def stored_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def stored_date(value: Any) -> datetime | None:
    """A stored date (``yyyy-MM-dd``) or date-time (``...T10:00:00.000+0000``), in UTC."""
    if not isinstance(value, str) or not value:
        return None
    for form in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, form)
        except ValueError:
            continue
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def jql_number(name: str, raw: str) -> float:
    number = stored_number(raw)
    if number is None:
        raise jql_error(f"The value '{raw}' is not a valid number for the field '{name}'.")
    return number


def jql_date(name: str, raw: str) -> datetime:
    """A JQL date: an absolute date (time optional) or a period from now (``-5d``, ``4w 2d``)."""
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), form).replace(tzinfo=UTC)
        except ValueError:
            continue
    period = PERIOD.fullmatch(raw.strip())
    if period is None:
        raise jql_error(
            f"Date value '{raw}' for field '{name}' is invalid. Valid formats include: "
            "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
            "format e.g. '-5d', '4w 2d'."
        )
    parts = re.findall(r"(\d+)([wdhm])", period[2])
    delta = timedelta(**{UNITS[u]: int(n) for n, u in parts})
    return datetime.now(UTC) + (-delta if period[1] == "-" else delta)


def clause_field(db: Store, name: str) -> tuple[Callable[[Doc], set[str]], Resolve]:
    """How to read a clause's field from an issue, and how to turn a value into stored ids."""
    attr = SYSTEM.get(name.lower())
    if name.lower() in ("key", "issuekey"):  # a key names one issue (any case)
        return (lambda d: {str(d.get("key"))}), (lambda raw: {raw.upper()})
    if attr == "labels":
        return (lambda d: set(d.get("labels") or [])), (lambda raw: {raw})
    if attr is not None:
        return system_getter(attr), system_resolver(db, name)
    fields = custom_fields(db, name)
    if not fields:
        raise jql_error(f"Field '{name}' does not exist or you do not have permission to view it.")
    ids = [f["id"] for f in fields]
    return custom_getter(ids), custom_resolver(db, name, fields)


def system_getter(attr: str) -> Callable[[Doc], set[str]]:
    return lambda d: set() if d.get(attr) in (None, "") else {str(d[attr])}


def system_resolver(db: Store, name: str) -> Resolve:
    kind = SYSTEM[name.lower()]

    def resolve(raw: str) -> set[str]:
        if kind == "resolutionId" and raw.casefold() == UNRESOLVED:
            return set()
        if kind == "projectId":
            project = project_ref(db, raw)
            ids = [] if project is None else [str(project["id"])]
        else:
            ids = named(catalog(db, CATALOGS[kind]), raw)
        if not ids:
            raise jql_error(f"The value '{raw}' does not exist for the field '{name}'.")
        return set(ids)

    return resolve


def stored_ids(value: Any) -> set[str]:
    if value in (None, "", []):
        return set()
    if isinstance(value, list):
        return {str(v) for v in value}
    if isinstance(value, dict):
        return {str(v) for v in (value.get("id"), value.get("child")) if v is not None}
    return {str(value)}


def custom_getter(field_ids: list[str]) -> Callable[[Doc], set[str]]:
    return lambda d: set().union(*[stored_ids((d.get("fields") or {}).get(f)) for f in field_ids])


def custom_resolver(db: Store, name: str, fields: list[Doc]) -> Resolve:
    option_fields = [f for f in fields if is_option_field(f)]
    options = [o for f in option_fields for o in field_options(db, f["id"])]

    def resolve(raw: str) -> set[str]:
        if not option_fields:
            return {raw}
        ids = {
            str(o["id"])
            for o in options
            if str(o["value"]).casefold() == raw.casefold() or str(o["id"]) == raw
        }
        if not ids:
            raise jql_error(f"The option '{raw}' for field '{name}' does not exist.")
        return ids

    return resolve


# -- ordering ----------------------------------------------------------------------------------
def sort_keys(db: Store, order: list[tuple[str, bool]]) -> list[tuple[Callable[[Doc], Any], bool]]:
    keys = []
    for name, descending in order:
        attr = SORTABLE.get(name.lower())
        if attr is None:
            fields = custom_fields(db, name)
            if not fields:
                raise jql_error(
                    f"Field '{name}' does not exist or you do not have permission to view it."
                )
            attr = f"fields.{fields[0]['id']}"
        keys.append((sort_value(attr), descending))
    return keys


def sort_value(attr: str) -> Callable[[Doc], Any]:
    """A key that orders numbers numerically, text case-insensitively and empty values last."""

    def key(doc: Doc) -> Any:
        if attr == "key":
            return (0, str(doc["key"]).rsplit("-", 1)[0], int(doc["num"]))
        value = (
            (doc.get("fields") or {}).get(attr[7:]) if attr.startswith("fields.") else doc.get(attr)
        )
        if value in (None, "", []):
            return (1, "", 0)
        text = str(value)
        return (0, "", int(text)) if text.isdigit() else (0, text.casefold(), 0)

    return key


def ordered(docs: list[Doc], order: list[tuple[Callable[[Doc], Any], bool]]) -> list[Doc]:
    """``docs`` in ``order``; without one, newest first (Jira's ``ORDER BY created DESC``)."""
    docs = sorted(docs, key=lambda d: int(d["id"]), reverse=True)
    for key, descending in reversed(order):
        docs = sorted(docs, key=key, reverse=descending)
    return docs
