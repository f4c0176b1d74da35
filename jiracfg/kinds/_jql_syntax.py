"""A small JQL syntax check, so a JQL Jira could not parse is refused by ``validate``.

It knows JQL's shape, not the site: clauses (``field op value``, ``IS [NOT] EMPTY``, ``[NOT] IN
(list)``, ``WAS``/``CHANGED`` with their predicates), ``AND``/``OR``/``NOT``/``!``, parentheses,
function calls and ``ORDER BY``. It errs on the side of accepting: what it refuses, Jira refuses.
Replaceable by a full tokenizer (``jql_error`` is the only entry point).
"""

from __future__ import annotations

from jiracfg.kinds._jql import SYMBOL_OPERATORS, TOKEN

PREDICATES = {"after", "before", "on", "during", "by", "from", "to"}
KEYWORDS = {"and", "or", "not", "order", "by", "in", "is", "was", "changed", "empty", "null"}


class _Refused(Exception):
    pass


class _Parser:
    def __init__(self, jql: str) -> None:
        self.tokens = TOKEN.findall(jql)
        self.at = 0

    def peek(self, ahead: int = 0) -> str:
        index = self.at + ahead
        return self.tokens[index].lower() if index < len(self.tokens) else ""

    def take(self, *expected: str) -> str:
        token = self.peek()
        if expected and token not in expected:
            self.fail(" or ".join(repr(e) for e in expected))
        self.at += 1
        return token

    def skip(self, word: str) -> bool:
        """Take the next token if it is ``word``."""
        if self.peek() != word:
            return False
        self.at += 1
        return True

    def fail(self, expected: str) -> None:
        found = repr(self.tokens[self.at]) if self.at < len(self.tokens) else "the end"
        raise _Refused(f"expected {expected}, found {found}")

    def query(self) -> None:
        if self.peek() not in ("", "order"):
            self.either()
        if self.skip("order"):
            self.take("by")
            self.sort_key()
            while self.skip(","):
                self.sort_key()
        if self.peek():
            self.fail("AND, OR, ORDER BY or the end")

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
            self.fail("an operator (=, !=, ~, <, >, IN, IS, WAS, CHANGED)")

    def history(self, op: str) -> None:
        self.take()
        if op == "was":
            self.skip("not")
            self.skip("in")
            self.value()
        while self.peek() in PREDICATES:
            self.take()
            self.value()

    def field(self) -> None:
        token = self.peek()
        if not token or token in KEYWORDS or not _word(token):
            self.fail("a field")
        self.take()

    def value(self) -> None:
        token = self.peek()
        if self.skip("("):
            self.value()
            while self.skip(","):
                self.value()
            self.take(")")
        elif token in ("empty", "null") or (_word(token) and token not in KEYWORDS):
            self.take()
            if self.skip("("):  # a function call: name(args...)
                while self.peek() not in (")", ""):
                    self.take()
                self.take(")")
        else:
            self.fail("a value")


def _word(token: str) -> bool:
    return bool(token) and token not in ("(", ")", ",") and token not in SYMBOL_OPERATORS


def jql_error(jql: str) -> str:
    """Why ``jql`` can't parse ("" when it can, or when it is empty)."""
    try:
        _Parser(jql).query()
    except _Refused as exc:
        return str(exc)
    return ""
