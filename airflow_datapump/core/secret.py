"""A value that must never be printed: Data Pump's encryption password.

The prior art upper-cased this password, logged it and wrote it to a file on the server. Here
it lives in a :class:`Secret` whose ``repr`` and ``str`` are masked, which serialises as a
redaction marker, and whose clear text is reachable only through :meth:`Secret.reveal`, called
at the moment the value is bound to a database call.
"""

from __future__ import annotations

import hmac

from airflow_datapump.core.names import DELIMITERS_RULE, encoded_length, has_delimiter
from airflow_datapump.exceptions import SpecError

MASK = "***"


class Secret:
    """A string kept out of logs, reprs, JSON and error messages."""

    __slots__ = ("_field", "_value")

    def __init__(self, value: str | None, *, field: str = "encryption_password") -> None:
        if value is not None and (not isinstance(value, str) or not value or encoded_length(value) is None):
            # The value itself is never echoed back, even when it is wrong.
            raise SpecError(field, MASK, "a non-empty string")
        if value is not None and has_delimiter(value):
            raise SpecError(field, MASK, DELIMITERS_RULE)
        self._value = value
        self._field = field

    @classmethod
    def redacted(cls, *, field: str = "encryption_password") -> Secret:
        """The stand-in a serialised spec holds instead of the clear text."""
        return cls(None, field=field)

    @property
    def is_redacted(self) -> bool:
        return self._value is None

    def reveal(self) -> str:
        """Return the clear text, for binding to a database call and nothing else."""
        if self._value is None:
            raise SpecError(
                self._field,
                MASK,
                "the secret was removed when the job spec was serialised; supply it again",
            )
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        if self._value is None or other._value is None:
            return self._value is other._value
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(Secret)

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> tuple[object, ...]:
        # A pickle may be written to disk, so it carries the redaction marker, not the value.
        return (Secret.redacted, (), {"_field": self._field})

    def __setstate__(self, state: dict[str, str]) -> None:
        self._field = state["_field"]
