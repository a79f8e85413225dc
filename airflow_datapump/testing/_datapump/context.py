"""What job work needs at hand: the database, an open store transaction, the time, SQL.

Filter expressions and SUBQUERY clauses are SQL that Data Pump appends to its own queries
(reference §2.4, §2.5), so the emulator runs them through its SQL engine too, as SYS in a
session of its own that sees only committed data.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._backend.runtime import SessionRuntime
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._plsql import engine as language
from airflow_datapump.testing._values import Bind, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend


@dataclass
class WorkContext:
    backend: Backend
    database: Database
    db: sqlite3.Connection
    now: dt.datetime

    def query(
        self, text: str, binds: dict[str, Value] | None = None, *, database: Database | None = None
    ) -> list[tuple[Value, ...]]:
        """Run a query as SYS on this (or another) database and return its rows."""
        target = database or self.database
        session = Session(target, 0, 0, "SYS", "SYS", sysdba=True, backend=self.backend)
        bound = {name: Bind(value) for name, value in (binds or {}).items()}
        return language.execute(text, bound, SessionRuntime(self.backend, session)).rows

    def matches(self, value: str, condition: str, *, is_list: bool) -> bool:
        """Whether ``value`` satisfies a filter: ``IN (<list>)`` or the expression itself."""
        text = f"SELECT 1 FROM DUAL WHERE :V {_filter_text(condition, is_list)}"
        return bool(self.query(text, {"V": value}))

    def matches_any(self, view: str, column: str, condition: str, *, is_list: bool) -> bool:
        """Whether some row of ``view`` (a fixed name, not user text) has a ``column`` value
        satisfying a filter: one statement for the whole view rather than one per row."""
        text = f"SELECT 1 FROM {view} WHERE {column} {_filter_text(condition, is_list)}"
        return bool(self.query(text))


def _filter_text(condition: str, is_list: bool) -> str:
    """A filter's condition as a WHERE clause's tail: ``IN (<list>)`` or the expression itself."""
    return f"IN ({condition})" if is_list else condition
