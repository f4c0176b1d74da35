"""JQL tokens: ``lex`` splits JQL into tokens with their offsets (strings with escaped quotes,
words, operators, parentheses, commas), and the spelling of names (``quote``, ``spelled``).

Part of the JQL reader (see ``_jql``): ``_jql_parse`` reads clauses from these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
