"""JQL clauses: a recursive descent parser over ``_jql_lex`` tokens that finds the tokens naming
fields and the values of clauses, and edits that replace only those tokens (every other byte is
kept as written).

Clauses: ``field op value``, ``IN``/``NOT IN``, ``IS [NOT] EMPTY``, ``WAS [NOT] [IN]`` and
``CHANGED`` with ``AFTER``/``BEFORE``/``ON``/``DURING``/``BY``/``FROM``/``TO``, functions with
arguments, ``AND``/``OR``/``NOT``/``!``, parentheses, ``ORDER BY`` with ``ASC``/``DESC``.
"""

from __future__ import annotations

from collections.abc import Callable

from jiracfg.kinds._jql_lex import (
    KEYWORDS,
    PREDICATES,
    SYMBOL_OPERATORS,
    JqlSyntaxError,
    Token,
    Value,
    lex,
    name_of,
)


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
