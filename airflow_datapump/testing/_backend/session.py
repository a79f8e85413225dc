"""One logon: who is connected, their settings, their open transaction, their package state.

Sessions live in the process that opened them (handles and open files cannot cross a process
boundary, as in Oracle) and are also recorded in the store, so DBA_DATAPUMP_SESSIONS and
ATTACHED_SESSIONS count them from any process. A session whose process has died is purged
the next time anyone looks, which is how a killed worker's DEFINING job disappears.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._values import Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.quotas import SpaceCheck

TableKey = tuple[str, str]


@dataclass
class Statement:
    """One statement in progress: where its changes start in the journal, and the checks
    Oracle makes when it ends (keyed so a row changed twice is checked once)."""

    mark: int
    checks: dict[Hashable, Callable[[], None]] = field(default_factory=dict)
    # What row changes of the statement share while it runs (an index of a child table's
    # foreign keys, built once for all the parent rows one DELETE removes).
    memo: dict[Hashable, object] = field(default_factory=dict)


@dataclass
class Transaction:
    """Changes a session has made but not committed, per table.

    Inserted rows get negative ids until commit; ``updates`` and ``deletes`` refer to the ids
    of committed rows (or pending inserts, which are then changed in place). ``keys`` maps
    each table's unique keys to the pending inserts holding them, so a check is one look-up
    (more than one holder only while a statement is in progress: keys are checked at its end).

    Statement-level atomicity (Concepts, "Statement-Level Atomicity"): while statements are
    open, every change records in ``journal`` how to undo it, so a statement that fails leaves
    none of its changes and the transaction's earlier ones stay. A statement may contain others
    (a PL/SQL block the client sends, and the SQL it runs); each has its own mark.

    Savepoints (SQL Language Reference, SAVEPOINT) are marks in the same journal, so while one
    is set the journal outlives the statements and ROLLBACK TO undoes back to its mark.
    """

    inserts: dict[TableKey, dict[int, tuple[Value, ...]]] = field(default_factory=dict)
    updates: dict[TableKey, dict[int, tuple[Value, ...]]] = field(default_factory=dict)
    deletes: dict[TableKey, set[int]] = field(default_factory=dict)
    keys: dict[tuple[TableKey, str], dict[str, set[int]]] = field(default_factory=dict)
    next_id: int = -1
    # Each table's quota check, made once per transaction (tables.StoredTable._check_space).
    space: dict[TableKey, SpaceCheck] = field(default_factory=dict)
    journal: list[Callable[[], None]] = field(default_factory=list)  # how to undo each change, oldest first
    statements: list[Statement] = field(default_factory=list)
    savepoints: list[tuple[str, int]] = field(default_factory=list)  # (name, journal mark), oldest first

    @property
    def active(self) -> bool:
        return any(self.inserts.values()) or any(self.updates.values()) or any(self.deletes.values())

    def successor(self) -> Transaction:
        """The empty transaction a COMMIT or ROLLBACK leaves, inside the statements still open
        (a PL/SQL block that commits): a later failure undoes only what follows the commit."""
        return Transaction(statements=[Statement(0) for _ in self.statements])

    def record(self, undo: Callable[[], None]) -> None:
        """Note how to undo a change just made, if a statement or savepoint may need it."""
        if self.statements or self.savepoints:
            self.journal.append(undo)

    def defer(self, check_id: Hashable, check: Callable[[], None]) -> None:
        """Run ``check`` when the innermost open statement ends, or now if none is open."""
        if self.statements:
            self.statements[-1].checks.setdefault(check_id, check)
        else:
            check()

    def memo(self) -> dict[Hashable, object]:
        """The innermost open statement's memo (see :class:`Statement`)."""
        return self.statements[-1].memo

    def begin(self) -> None:
        self.statements.append(Statement(len(self.journal)))

    def end(self) -> None:
        """The innermost statement ran to its end: make its deferred checks; if one fails
        the statement's changes are undone before the error goes on."""
        statement = self.statements[-1]
        try:
            for check in list(statement.checks.values()):
                check()
        except BaseException:
            self.fail()
            raise
        self.statements.pop()
        self._trim()

    def fail(self) -> None:
        """The innermost statement failed: undo its changes, newest first."""
        self._undo_to(self.statements.pop().mark)
        self._trim()

    def savepoint(self, name: str) -> None:
        """Mark a savepoint here; a name used before moves from its old place."""
        self.savepoints = [entry for entry in self.savepoints if entry[0] != name]
        self.savepoints.append((name, len(self.journal)))

    def rollback_to(self, name: str) -> None:
        """Undo every change since savepoint ``name``, newest first, and erase the savepoints
        marked after it; it stays. ORA-01086 if the transaction has no such savepoint."""
        found = [i for i, entry in enumerate(self.savepoints) if entry[0] == name]
        if not found:
            raise ora(1086, name)
        del self.savepoints[found[0] + 1 :]
        mark = self.savepoints[-1][1]
        self._undo_to(mark)
        for statement in self.statements:  # the statement rolling back began after the mark
            statement.mark = min(statement.mark, mark)

    def _undo_to(self, mark: int) -> None:
        """Undo the journal's changes after ``mark``, newest first."""
        while len(self.journal) > mark:
            self.journal.pop()()
        self.space.clear()  # recounted from the pending rows when next needed

    def _trim(self) -> None:
        """Drop the journal once no statement or savepoint can need it."""
        if not self.statements and not self.savepoints:
            self.journal.clear()


@dataclass(eq=False)
class Session:
    """A connected session; compared and hashed by identity, as packages key state on it."""

    database: Database
    sid: int
    serial: int
    user: str
    current_schema: str
    sysdba: bool = False
    transaction: Transaction = field(default_factory=Transaction)
    call_timeout_ms: int = 0
    autocommit: bool = False
    attributes: dict[str, str | None] = field(default_factory=dict)
    state: dict[str, object] = field(default_factory=dict)
    closed: bool = False
    killed: bool = False
    backend: object = None  # the Backend that opened it, for work that needs the engine


@contextmanager
def statement(session: Session) -> Iterator[None]:
    """Run one statement atomically in the session's transaction (see :class:`Transaction`).

    The transaction is looked up again at the end: a PL/SQL block that commits leaves its
    successor, which carries the block's open statement on.
    """
    session.transaction.begin()
    try:
        yield
    except BaseException:
        session.transaction.fail()
        raise
    session.transaction.end()
