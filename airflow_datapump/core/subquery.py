"""The guard on a SUBQUERY data filter (expdp's QUERY): SQL by design, one clause only.

A SUBQUERY is the user's own WHERE or ORDER BY clause, which Data Pump appends to the query
it runs for a table, so it cannot be quoted the way names are. What the guard can promise is
narrower: the text is one clause, with no ``;`` that ends a statement and no ``--`` or ``/*``
that comments out the rest, so a templated value cannot bring a second statement along.
Whoever sets the clause can still read what the job's owner can read; that is what QUERY is.

To tell a ``;`` in the clause from one inside quotes, the guard reads the text the way
Oracle's SQL lexer does (SQL Language Reference, "Literals" and "Database Object Naming
Rules"): string literals ``'...'`` with ``''`` for a quote, national literals ``N'...'``,
alternative-quoting literals ``q'[...]'`` (``[]``, ``{}``, ``<>``, ``()`` pair up; any other
character closes itself) and their ``NQ'...'`` form, and double-quoted names. A q-quote or
``N`` is only a prefix at the start of a word; ``abq'x'`` is the name ``abq`` and a literal.
Whether a non-ASCII letter belongs to a word depends on the database character set, so a
word with one that ends in ``q`` or ``n`` right before a quote has two readings and is refused.
"""

from __future__ import annotations

from airflow_datapump.exceptions import SpecError

ALLOWED = "a clause without ; or comments, and with closed string literals and quoted names"

_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$#")
_PAIRS = {"[": "]", "{": "}", "<": ">", "(": ")"}
_NOT_DELIMITERS = frozenset(" \t\r\n'")


def check_clause(text: str, field: str) -> None:
    """Raise :class:`SpecError` when ``text`` holds ``;`` or a comment outside its quotes,
    or a quote that is never closed."""
    position = 0
    while position < len(text):
        char = text[position]
        if char == ";" or text.startswith(("--", "/*"), position):
            raise SpecError(field, text, ALLOWED)
        if char == "'":
            position = _after_literal(text, position + 1, field)
        elif char == '"':
            end = text.find('"', position + 1)
            if end < 0:
                raise SpecError(field, text, ALLOWED)
            position = end + 1
        elif _in_word(char):
            position = _after_word(text, position, field)
        else:
            position += 1


def _after_word(text: str, start: int, field: str) -> int:
    """Skip a word; a word ``q``, ``nq`` or ``n`` right before a quote prefixes a literal."""
    end = start
    while end < len(text) and _in_word(text[end]):
        end += 1
    if end < len(text) and text[end] == "'":
        prefix = text[start:end].upper()
        if prefix in ("Q", "NQ"):
            return _after_q_literal(text, end + 1, field)
        if prefix == "N":
            return _after_literal(text, end + 1, field)
        if not prefix.isascii() and prefix.endswith(("Q", "N")):
            raise SpecError(field, text, ALLOWED)  # read two ways, see the module docstring
    return end


def _in_word(char: str) -> bool:
    return char in _WORD or (not char.isascii() and char.isalnum())


def _after_literal(text: str, position: int, field: str) -> int:
    """Skip the body of ``'...'`` (``''`` is a quote inside it); ``position`` follows the quote."""
    while True:
        end = text.find("'", position)
        if end < 0:
            raise SpecError(field, text, ALLOWED)
        if text.startswith("''", end):
            position = end + 2
            continue
        return end + 1


def _after_q_literal(text: str, position: int, field: str) -> int:
    """Skip ``[...]'`` of ``q'[...]'``: it ends at the closing delimiter followed by a quote."""
    if position >= len(text) or text[position] in _NOT_DELIMITERS:
        raise SpecError(field, text, ALLOWED)
    closing = _PAIRS.get(text[position], text[position]) + "'"
    end = text.find(closing, position + 1)
    if end < 0:
        raise SpecError(field, text, ALLOWED)
    return end + 2
