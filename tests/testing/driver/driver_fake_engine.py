"""A tiny dict-backed engine for testing the driver alone.

It answers statements registered by the tests with fixed callables; it knows no SQL. Every
call is recorded so tests can count round trips (local calls are recorded separately).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._driver import (
    ColumnDescription,
    ConnectRequest,
    EngineError,
    SessionUpdate,
    StatementResult,
)

Handler = Callable[[dict[str, v.Bind] | list[v.Bind]], StatementResult]

STATUS_TYPE = v.ObjectType("SYS", "KU$_STATUS", (("JOB_NAME", v.VARCHAR2), ("PERCENT_DONE", v.NUMBER)))
STATUS_LIST = v.CollectionType("SYS", "KU$_STATUS_LIST", STATUS_TYPE, v.CollectionKind.NESTED_TABLE)
NUMBER_LIST = v.CollectionType("SCOTT", "NUM_LIST", v.NUMBER, v.CollectionKind.VARRAY, 10)


class OtherOracleError(Exception):
    """Shaped like the PL/SQL engine's own error class (duck-typed by the driver)."""

    def __init__(self, code: int, prefix: str, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.code, self.prefix, self.message, self.offset = code, prefix, message, offset


@dataclass
class FakeSession:
    number: int
    request: ConnectRequest
    updates: list[SessionUpdate] = field(default_factory=list)
    closed: bool = False


class FakeEngine:
    """Answers registered statements; counts calls per method."""

    def __init__(self) -> None:
        self.users = {("ORCLPDB1", "SCOTT"): "tiger", ("FREEPDB1", "SYSTEM"): "manager"}
        self.handlers: dict[str, Handler] = {}
        self.calls: list[tuple[str, object]] = []
        self.local_calls: list[str] = []
        self.sessions: list[FakeSession] = []
        self.types: dict[str, v.ObjectType | v.CollectionType] = {
            "SYS.KU$_STATUS": STATUS_TYPE,
            "SYS.KU$_STATUS_LIST": STATUS_LIST,
            "NUM_LIST": NUMBER_LIST,
        }
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    # helpers for tests
    def count(self, method: str) -> int:
        return sum(1 for name, _ in self.calls if name == method)

    @property
    def round_trips(self) -> int:
        return len(self.calls)

    def on(self, statement: str, handler: Handler) -> None:
        self.handlers[statement] = handler

    def _record(self, name: str, detail: object = None) -> None:
        with self._lock:
            self.calls.append((name, detail))
            self.threads.add(threading.current_thread().name)

    # Engine protocol
    def connect(self, request: ConnectRequest) -> FakeSession:
        self._record("connect", request)
        if self.users.get((request.service_name, (request.user or "").upper())) != request.password:
            raise EngineError(1017, "ORA", "ORA-01017: invalid credential or not authorized; logon denied")
        session = FakeSession(len(self.sessions), request)
        self.sessions.append(session)
        return session

    def execute(
        self,
        session: FakeSession,
        statement: str,
        binds: dict[str, v.Bind] | list[v.Bind],
        *,
        kind_hint: str | None = None,
    ) -> StatementResult:
        self._record("execute", (statement, binds, kind_hint))
        if statement.startswith("raise "):
            _, prefix, code, text = statement.split(" ", 3)
            raise EngineError(int(code), prefix, f"{prefix}-{code}: {text}")
        if statement.startswith("other "):
            raise OtherOracleError(6550, "ORA", "ORA-06550: line 1, column 7:\nPLS-00201: x")
        handler = self.handlers.get(statement)
        if handler is None:
            raise EngineError(900, "ORA", "ORA-00900: invalid SQL statement")
        return handler(binds)

    def executemany(
        self,
        session: FakeSession,
        statement: str,
        bind_rows: list[dict[str, v.Bind]] | list[list[v.Bind]],
    ) -> StatementResult:
        self._record("executemany", (statement, bind_rows))
        return StatementResult(rowcount=len(bind_rows), transaction_in_progress=True)

    def fetch_round_trip(self, session: FakeSession) -> None:
        self._record("fetch")

    def lob_round_trip(self, session: FakeSession, operation: str) -> None:
        self._record("lob", operation)

    def commit(self, session: FakeSession) -> None:
        self._record("commit")

    def rollback(self, session: FakeSession) -> None:
        self._record("rollback")

    def ping(self, session: FakeSession) -> None:
        self._record("ping")

    def cancel(self, session: FakeSession) -> None:
        self._record("cancel")

    def close(self, session: FakeSession) -> None:
        self._record("close")
        session.closed = True

    def get_type(self, session: FakeSession, name: str) -> v.ObjectType | v.CollectionType:
        self._record("get_type", name)
        try:
            return self.types[name.upper()]
        except KeyError:
            raise EngineError(4043, "ORA", f"ORA-04043: object {name.upper()} does not exist") from None

    def session_update(self, session: FakeSession, update: SessionUpdate) -> None:
        self.local_calls.append("session_update")
        session.updates.append(update)

    def server_version(self, session: FakeSession) -> str:
        self.local_calls.append("server_version")
        return "19.3.0.0.0"


def number_rows(count: int) -> Handler:
    """A query of one NUMBER column returning 0.5, 1, 2 ... (the first is fractional)."""

    def handler(binds: dict[str, v.Bind] | list[v.Bind]) -> StatementResult:
        rows: list[tuple[v.Value, ...]] = [
            (Decimal("0.5") if i == 0 else Decimal(i), f"row{i}") for i in range(count)
        ]
        columns = [
            ColumnDescription("N", v.NUMBER),
            ColumnDescription("NAME", v.ScalarType(v.TypeKind.VARCHAR2, "VARCHAR2", size=20)),
        ]
        return StatementResult(columns=columns, rows=rows, is_query=True)

    return handler
