"""Tokens of Oracle SQL and PL/SQL text, with 1-based line and column for error messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

TokenKind = Literal["ID", "QID", "NUM", "STR", "BIND", "OP", "EOF"]

# Longest first, so that ":=" wins over ":" and "**" over "*".
_OPERATORS = (
    ":=",
    "=>",
    "..",
    "||",
    "**",
    "<=",
    ">=",
    "<>",
    "!=",
    "^=",
    "~=",
    "<<",
    ">>",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    ",",
    ";",
    ".",
    "=",
    "<",
    ">",
    "@",
    "%",
)
_Q_CLOSERS = {"[": "]", "{": "}", "<": ">", "(": ")"}
_IDENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$#")


@dataclass(frozen=True)
class Token:
    """One token; ``value`` is canonical (upper-case identifier, unescaped string, Decimal)."""

    kind: TokenKind
    value: str | Decimal
    line: int
    col: int
    start: int
    end: int

    @property
    def text(self) -> str:
        """The token as an error message names it (``"end-of-file"`` at the end)."""
        if self.kind == "EOF":
            return "end-of-file"
        if self.kind == "BIND":
            return f":{self.value}"
        return str(self.value)

    def is_kw(self, *words: str) -> bool:
        return self.kind == "ID" and self.value in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == "OP" and self.value in ops


class LexError(Exception):
    """Text that cannot be tokenised; ``code`` is the ORA error the server gives for it."""

    def __init__(self, code: int, line: int, col: int, char: str) -> None:
        super().__init__(f"lexical error {code} at {line}:{col}")
        self.code = code
        self.line = line
        self.col = col
        self.char = char


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0

    def col_of(self, pos: int) -> int:
        return pos - self.line_start + 1

    def advance_to(self, pos: int) -> None:
        """Move to ``pos``, counting the newlines passed over."""
        chunk = self.text[self.pos : pos]
        newlines = chunk.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.pos + chunk.rindex("\n") + 1
        self.pos = pos

    def skip_space_and_comments(self) -> None:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch.isspace():
                self.advance_to(self.pos + 1)
            elif text.startswith("--", self.pos):
                end = text.find("\n", self.pos)
                self.advance_to(len(text) if end < 0 else end)
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    self.advance_to(len(text))
                else:
                    self.advance_to(end + 2)
            else:
                return

    def tokens(self) -> Iterator[Token]:
        while True:
            self.skip_space_and_comments()
            if self.pos >= len(self.text):
                yield Token("EOF", "", self.line, self.col_of(self.pos), self.pos, self.pos)
                return
            line, col, start = self.line, self.col_of(self.pos), self.pos
            kind, value, end = self.scan(start)
            self.advance_to(end)
            yield Token(kind, value, line, col, start, end)

    def scan(self, pos: int) -> tuple[TokenKind, str | Decimal, int]:
        text = self.text
        ch = text[pos]
        nxt = text[pos + 1] if pos + 1 < len(text) else ""
        if ch in "qQnN" and nxt == "'":
            if ch in "nN":
                return self.string(pos + 1)
            return self.q_string(pos + 2)
        if ch in "nN" and nxt in "qQ" and text[pos + 2 : pos + 3] == "'":
            return self.q_string(pos + 3)
        if ch.isalpha():
            end = pos + 1
            while end < len(text) and text[end] in _IDENT_CHARS:
                end += 1
            return "ID", text[pos:end].upper(), end
        if ch == '"':
            end = text.find('"', pos + 1)
            if end <= pos + 1:
                raise LexError(1740 if end < 0 else 1741, self.line, self.col_of(pos), ch)
            return "QID", text[pos + 1 : end], end + 1
        if ch.isdigit() or (ch == "." and nxt.isdigit()):
            return self.number(pos)
        if ch == "'":
            return self.string(pos)
        if ch == ":" and nxt != "=":
            return self.bind(pos)
        for op in _OPERATORS:
            if text.startswith(op, pos):
                return "OP", op, pos + len(op)
        raise LexError(911, self.line, self.col_of(pos), ch)

    def number(self, pos: int) -> tuple[TokenKind, str | Decimal, int]:
        text = self.text
        end = pos
        while end < len(text) and text[end].isdigit():
            end += 1
        if end < len(text) and text[end] == "." and text[end + 1 : end + 2] != ".":
            end += 1
            while end < len(text) and text[end].isdigit():
                end += 1
        if end < len(text) and text[end] in "eE":
            exp = end + 1
            if exp < len(text) and text[exp] in "+-":
                exp += 1
            if exp < len(text) and text[exp].isdigit():
                end = exp
                while end < len(text) and text[end].isdigit():
                    end += 1
        value = Decimal(text[pos:end])
        if end < len(text) and text[end] in "fFdD":  # binary float / double suffixes
            end += 1
        return "NUM", value, end

    def string(self, pos: int) -> tuple[TokenKind, str | Decimal, int]:
        text = self.text
        parts: list[str] = []
        cur = pos + 1
        while True:
            end = text.find("'", cur)
            if end < 0:
                raise LexError(1756, self.line, self.col_of(pos), "'")
            parts.append(text[cur:end])
            if text[end + 1 : end + 2] == "'":
                parts.append("'")
                cur = end + 2
                continue
            return "STR", "".join(parts), end + 1

    def q_string(self, pos: int) -> tuple[TokenKind, str | Decimal, int]:
        """Alternative quoting ``q'[...]'``: the closing delimiter must be followed by a quote."""
        text = self.text
        if pos >= len(text) or text[pos].isspace():
            raise LexError(1756, self.line, self.col_of(pos), "'")
        opener = text[pos]
        closer = _Q_CLOSERS.get(opener, opener)
        end = text.find(closer + "'", pos + 1)
        if end < 0:
            raise LexError(1756, self.line, self.col_of(pos), "'")
        return "STR", text[pos + 1 : end], end + 2

    def bind(self, pos: int) -> tuple[TokenKind, str | Decimal, int]:
        text = self.text
        start = pos + 1
        if start < len(text) and text[start] == '"':
            end = text.find('"', start + 1)
            if end < 0:
                raise LexError(1740, self.line, self.col_of(pos), '"')
            return "BIND", text[start + 1 : end], end + 1
        end = start
        while end < len(text) and text[end] in _IDENT_CHARS:
            end += 1
        if end == start:
            raise LexError(911, self.line, self.col_of(pos), ":")
        name = text[start:end].upper()
        if name.isdigit():
            name = str(int(name))
        return "BIND", name, end


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, ending with an EOF token; raises :class:`LexError`."""
    return list(_Lexer(text).tokens())


def bind_names(text: str) -> list[str]:
    """Distinct bind placeholder names in order of first appearance (``:1`` gives ``"1"``).

    Strings and comments are skipped by the tokenizer. Text that does not tokenise yields the
    names found before the bad spot, so the driver can still bind and let ``execute`` report.
    """
    seen: dict[str, None] = {}
    try:
        for token in _Lexer(text).tokens():
            if token.kind == "BIND":
                seen.setdefault(str(token.value), None)
    except LexError:
        pass
    return list(seen)
