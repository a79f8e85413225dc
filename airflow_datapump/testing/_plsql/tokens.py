"""A cursor over tokens with the accept/expect helpers every parser module shares."""

from __future__ import annotations

from airflow_datapump.testing._plsql.lexer import Token
from airflow_datapump.testing._plsql.nodes import Pos

# Words that can never be identifiers in an expression: they end it instead.
RESERVED = frozenset(
    """ALL ALTER AND ANY AS ASC BEGIN BETWEEN BY CASE CHECK CLUSTER CONNECT CREATE CURSOR
    DECLARE DEFAULT DELETE DESC DISTINCT DROP ELSE ELSIF END EXCEPTION EXISTS FETCH FOR FROM
    FUNCTION GOTO GRANT GROUP HAVING IF IN INSERT INTERSECT INTO IS LIKE LOCK
    LOOP MINUS NOT NULL OF ON OR ORDER PROCEDURE REVOKE SELECT SET START TABLE THEN TO UNION
    UNIQUE UPDATE USING VALUES VIEW WHEN WHERE WHILE WITH""".split()
)


class ParseError(Exception):
    """Text that does not parse.

    ``sql_code`` is the ORA error a top-level SQL statement reports for it; inside PL/SQL the
    engine reports PLS-00103 with ``expected`` instead.
    """

    def __init__(self, token: Token, expected: tuple[str, ...], sql_code: int = 933) -> None:
        super().__init__(f"unexpected {token.text!r} at {token.line}:{token.col}")
        self.token = token
        self.expected = expected
        self.sql_code = sql_code


class Tokens:
    """Tokens of one statement and a read position."""

    def __init__(self, tokens: list[Token], text: str) -> None:
        self.toks = tokens
        self.i = 0
        self.text = text

    @property
    def cur(self) -> Token:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    @property
    def pos(self) -> Pos:
        return (self.cur.line, self.cur.col)

    def next(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "EOF":
            self.i += 1
        return tok

    def error(self, *expected: str, sql_code: int = 933) -> ParseError:
        return ParseError(self.cur, expected, sql_code)

    def at_kw(self, *words: str) -> bool:
        return self.cur.is_kw(*words)

    def accept_kw(self, *words: str) -> bool:
        if self.cur.is_kw(*words):
            self.i += 1
            return True
        return False

    def expect_kw(self, word: str, sql_code: int = 933) -> Token:
        if not self.cur.is_kw(word):
            raise self.error(word.lower(), sql_code=sql_code)
        return self.next()

    def at_op(self, *ops: str) -> bool:
        return self.cur.is_op(*ops)

    def accept_op(self, *ops: str) -> bool:
        if self.cur.is_op(*ops):
            self.i += 1
            return True
        return False

    def expect_op(self, op: str, sql_code: int = 933) -> Token:
        if not self.cur.is_op(op):
            code = {")": 907, "(": 906}.get(op, sql_code)
            raise self.error(op, sql_code=code)
        return self.next()

    def at_ident(self) -> bool:
        tok = self.cur
        return tok.kind == "QID" or (tok.kind == "ID" and tok.value not in RESERVED)

    def ident(self, what: str = "an identifier", sql_code: int = 904) -> str:
        """An identifier (quoted ones keep their case); reserved words are refused."""
        if not self.at_ident():
            raise self.error(what, sql_code=sql_code)
        return str(self.next().value)

    def any_word(self) -> str:
        """An identifier or keyword, for places where reserved words are still names."""
        if self.cur.kind not in ("ID", "QID"):
            raise self.error("an identifier", sql_code=904)
        return str(self.next().value)

    def int_literal(self) -> int:
        tok = self.cur
        if tok.kind != "NUM":
            raise self.error("an integer", sql_code=936)
        self.next()
        return int(tok.value)

    def string_literal(self) -> str:
        tok = self.cur
        if tok.kind != "STR":
            raise self.error("a string literal", sql_code=1756 if tok.kind == "EOF" else 905)
        self.next()
        return str(tok.value)

    def span_text(self, start: int, end: int) -> str:
        """Source text between token ``start`` (inclusive) and ``end`` (exclusive)."""
        if end <= start:
            return ""
        return self.text[self.toks[start].start : self.toks[end - 1].end]
