"""Name conditions: the ``IN ('EMP','DEPT')`` / ``LIKE 'EMP%'`` part of a filter.

Users write them as expdp does (``INCLUDE=TABLE:"IN ('EMP','DEPT')"``), so this module
parses that small language strictly into an operator and literal values, and renders it back
only through :func:`~airflow_datapump.core.names.quote_literal`. Text that is not exactly an
operator followed by string literals is refused, so no SQL of the user's reaches Data Pump.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from airflow_datapump.core.names import (
    DELIMITERS_RULE,
    encoded_length,
    has_delimiter,
    literal_list,
    quote_literal,
)
from airflow_datapump.exceptions import SpecError

LIST_OPERATORS = ("IN", "NOT IN")
SINGLE_OPERATORS = ("LIKE", "NOT LIKE", "=", "!=")
OPERATORS = LIST_OPERATORS + SINGLE_OPERATORS

_OPERATOR = re.compile(r"\s*(NOT\s+IN|IN|NOT\s+LIKE|LIKE|=|!=|<>)\s*", re.IGNORECASE)
_LITERAL = re.compile(r"'((?:[^']|'')*)'")
_ALLOWED = "an operator (IN, NOT IN, LIKE, NOT LIKE, =, !=) followed by quoted names"


@dataclass(frozen=True)
class Condition:
    """An operator and the literal values it compares names with."""

    operator: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.operator not in OPERATORS:
            raise SpecError("operator", self.operator, "one of " + ", ".join(OPERATORS))
        single = self.operator in SINGLE_OPERATORS
        if not self.values or (single and len(self.values) != 1):
            expected = "exactly one value" if single else "at least one value"
            raise SpecError("values", list(self.values), f"{self.operator} takes {expected}")
        for value in self.values:
            if not isinstance(value, str) or "\x00" in value or not value:
                raise SpecError("values", value, "non-empty strings without NUL characters")
            if encoded_length(value) is None:
                raise SpecError("values", value, "text that can be written as UTF-8")
            if has_delimiter(value):
                raise SpecError("values", value, DELIMITERS_RULE)

    def render(self) -> str:
        """The SQL fragment Data Pump appends to its own condition."""
        if self.operator in LIST_OPERATORS:
            return f"{self.operator} ({literal_list(self.values)})"
        return f"{self.operator} {quote_literal(self.values[0])}"

    @classmethod
    def parse(cls, text: str, field: str) -> Condition:
        """Read ``IN ('A','B')``, ``LIKE 'A%'``, ``= 'A'`` (optionally in double quotes)."""
        body = text.strip()
        if len(body) >= 2 and body[0] == '"' and body[-1] == '"':
            body = body[1:-1]
        match = _OPERATOR.match(body)
        if not match:
            raise SpecError(field, text, _ALLOWED)
        operator = " ".join(match.group(1).upper().split()).replace("<>", "!=")
        rest = body[match.end() :]
        values = _parse_literals(rest, operator in LIST_OPERATORS)
        if values is None:
            raise SpecError(field, text, _ALLOWED)
        try:
            return cls(operator, values)
        except SpecError as error:
            raise SpecError(field, text, error.allowed) from None


def _parse_literals(text: str, as_list: bool) -> tuple[str, ...] | None:
    """Parse ``'a'`` or ``('a', 'b')``; None when anything else is there."""
    rest = text.strip()
    if as_list:
        if not (rest.startswith("(") and rest.endswith(")")):
            return None
        rest = rest[1:-1]
    values: list[str] = []
    position = 0
    while True:
        while position < len(rest) and rest[position].isspace():
            position += 1
        match = _LITERAL.match(rest, position)
        if not match:
            return None
        values.append(match.group(1).replace("''", "'"))
        position = match.end()
        while position < len(rest) and rest[position].isspace():
            position += 1
        if position == len(rest):
            return tuple(values)
        if not as_list or rest[position] != ",":
            return None
        position += 1
