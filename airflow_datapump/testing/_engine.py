"""The seam between the Oracle Net server and the emulated database.

The server (``_net``) knows Oracle's network protocol and nothing about SQL or PL/SQL; the
engine knows SQL and PL/SQL and nothing about packets. They meet here, in the :class:`Engine`
protocol and the plain data classes it exchanges, all built on the value model of
:mod:`airflow_datapump.testing._values`.

Round trips. The engine counts one round trip for every call it receives, except the two
*local* methods :meth:`Engine.session_update` and :meth:`Engine.server_version`, which the
server uses to hand over what a client sent piggy-backed on another call or learnt during
logon; so the counters count the calls that crossed the wire.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from airflow_datapump.testing._values import (
    Bind,
    CollectionType,
    DataType,
    ObjectType,
    RecordType,
    Value,
)

#: What the engine returned from :meth:`Engine.connect`; the server never looks inside it.
SessionRef = Hashable

#: A hint given when the client built the statement text itself (callproc, callfunc).
StatementKind = Literal["query", "dml", "plsql", "ddl"]


@dataclass(frozen=True)
class ConnectRequest:
    """Everything a logon carries, already parsed from the many forms ``connect()`` accepts.

    ``service_name`` is the upper-cased service name or SID that chooses the emulated database
    (``via_sid`` says which one the DSN named, so the engine can word DPY-6001 or DPY-6003).
    ``mode`` is an ``oracledb.AuthMode`` value (0 for DEFAULT, 2 for SYSDBA, 4 for SYSOPER ...).
    ``thin`` is False when the application called ``oracledb.init_oracle_client()`` while the
    emulator was active. The password is left out of ``repr`` so it never reaches a log.
    """

    service_name: str
    user: str | None
    password: str | None = field(default=None, repr=False)
    mode: int = 0
    thin: bool = True
    via_sid: bool = False
    host: str | None = None
    port: int | None = None
    purity: int = 0
    program: str | None = None
    dsn: str | None = None


@dataclass(frozen=True)
class SessionUpdate:
    """Session settings changed on the client since the last engine call.

    Thin mode sends these piggy-backed on the next round trip, so the server passes them with
    :meth:`Engine.session_update` right before its next counted call, in the same thread.
    ``attributes`` uses the names ``CURRENT_SCHEMA``, ``MODULE``, ``ACTION``,
    ``CLIENT_IDENTIFIER``, ``CLIENT_INFO`` and ``DBOP``; ``None`` values clear them.
    ``call_timeout`` (milliseconds, 0 for none) and ``autocommit`` are ``None`` when unchanged.
    """

    attributes: Mapping[str, str | None] = field(default_factory=dict)
    call_timeout: int | None = None
    autocommit: bool | None = None


@dataclass(frozen=True)
class ColumnDescription:
    """One select-list column, enough to build a python-oracledb ``FetchInfo``."""

    name: str
    type: DataType
    display_size: int | None = None
    internal_size: int | None = None
    precision: int | None = None
    scale: int | None = None
    null_ok: bool = True


@dataclass
class StatementResult:
    """The outcome of one execute or executemany call.

    Queries return every row at once; the server sends them in the client's fetch batches
    and reports each further batch with :meth:`Engine.fetch_round_trip`.
    ``transaction_in_progress`` is the server's view after the call (thin mode reads it from
    the end-of-call status).
    """

    columns: list[ColumnDescription] | None = None
    rows: list[tuple[Value, ...]] = field(default_factory=list)
    rowcount: int = 0
    is_query: bool = False
    is_plsql: bool = False
    transaction_in_progress: bool = False
    # An array DML with batch errors: each failed execution's (offset, code, message).
    batch_errors: list[tuple[int, int, str]] = field(default_factory=list)


class EngineError(Exception):
    """An error the database reports, in the engine's words.

    ``message`` is the full text as Oracle sends it, possibly several lines, starting with the
    code (``"ORA-31626: job does not exist"``); ``prefix`` is ``"ORA"``, ``"PLS"`` or ``"DPY"``
    (the last for errors python-oracledb itself raises, such as DPY-4024 for a call timeout).
    """

    def __init__(
        self,
        code: int,
        prefix: str,
        message: str,
        offset: int = 0,
        *,
        isrecoverable: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.prefix = prefix
        self.message = message
        self.offset = offset
        self.isrecoverable = isrecoverable
        self.rowcount = 0
        self.transaction_in_progress: bool | None = None


@runtime_checkable
class OracleErrorLike(Protocol):
    """Any exception shaped like :class:`EngineError` (the PL/SQL engine raises its own)."""

    code: int
    prefix: str
    message: str
    offset: int
    # Rows an array DML changed before the execution that failed: they stay in the transaction,
    # and the end of the call reports their count.
    rowcount: int
    # Whether a transaction is open when the call fails (those rows opened one); None: as
    # before the call.
    transaction_in_progress: bool | None


class Engine(Protocol):
    """What the emulated database offers the Oracle Net server.

    Implementations must be thread-safe: the server runs each connection's calls on a worker
    thread of its own, so a call that blocks on disk or on a lock does not stall the other
    clients. Errors are raised as :class:`EngineError` (or any :class:`OracleErrorLike`); the
    server sends them as Oracle error replies, which the driver raises as its exceptions.
    Bind names are upper case; a positional bind list maps onto the placeholders in order: in
    SQL each occurrence of a name is its own placeholder (Oracle binds SQL by position), in
    PL/SQL one name is one placeholder, bound once. The engine writes OUT values into the
    :class:`Bind` objects it receives and sets ``Bind.assigned``.
    """

    def connect(self, request: ConnectRequest) -> SessionRef:
        """Log on; raise ORA-01017 and friends for refused logons."""
        ...

    def execute(
        self,
        session: SessionRef,
        statement: str,
        binds: dict[str, Bind] | list[Bind],
        *,
        kind_hint: StatementKind | None = None,
    ) -> StatementResult: ...

    def executemany(
        self,
        session: SessionRef,
        statement: str,
        bind_rows: list[dict[str, Bind]] | list[list[Bind]],
        *,
        batch_errors: bool = False,
    ) -> StatementResult:
        """Execute once per bind row. A failing execution stops the call (its error carries
        the count of rows changed before it) or, with ``batch_errors``, is listed in the
        result and the next one runs; either way the executions that worked stay."""
        ...

    def fetch_round_trip(self, session: SessionRef) -> None:
        """Account for one further fetch batch of the last query (rows already delivered)."""
        ...

    def lob_round_trip(self, session: SessionRef, operation: str) -> None:
        """Account for one LOB operation (``read``, ``size``, ``write``, ``trim``)."""
        ...

    def commit(self, session: SessionRef) -> None: ...

    def rollback(self, session: SessionRef) -> None: ...

    def ping(self, session: SessionRef) -> None: ...

    def cancel(self, session: SessionRef) -> None: ...

    def close(self, session: SessionRef) -> None: ...

    def get_type(self, session: SessionRef, name: str) -> ObjectType | CollectionType:
        """Describe a named type; raise the engine's error (e.g. DPY-2035) when unknown."""
        ...

    def session_update(self, session: SessionRef, update: SessionUpdate) -> None:
        """Apply piggy-backed settings; local, not a round trip of its own."""
        ...

    def server_version(self, session: SessionRef) -> str:
        """Return e.g. ``"19.3.0.0.0"``; local (learnt at logon), not a round trip."""
        ...

    def read_bfile(self, session: SessionRef, directory: str, filename: str) -> bytes | None:
        """A BFILE's bytes as the session's user may read them; None when there is no such file
        (or no directory object, or no READ on it). Local: the LOB operation asking is counted
        by :meth:`lob_round_trip`."""
        ...

    def returning_binds(self, session: SessionRef, statement: str) -> int:
        """How many of a statement's placeholders, the last ones, are the targets of a DML
        RETURNING INTO clause (clients send no values for them); 0 when it has none or does
        not parse (its execute reports why). Parses only: not a round trip."""
        ...

    def type_by_oid(self, session: SessionRef, oid: bytes) -> ObjectType | CollectionType | RecordType | None:
        """The named type with this OID, or None (how the server types an object bind)."""
        ...

    def type_identity(
        self, session: SessionRef, data_type: DataType
    ) -> tuple[str, str | None, str, bytes] | None:
        """Owner, package, name and OID of a named type; None for one the dictionary does
        not list (how the server describes an object column)."""
        ...
