"""One logon: who is connected, their settings, their open transaction, their package state.

Sessions live in the process that opened them (handles and open files cannot cross a process
boundary, as in Oracle) and are also recorded in the store, so DBA_DATAPUMP_SESSIONS and
ATTACHED_SESSIONS count them from any process. A session whose process has died is purged
the next time anyone looks, which is how a killed worker's DEFINING job disappears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._values import Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.quotas import SpaceCheck

TableKey = tuple[str, str]


@dataclass
class Transaction:
    """Changes a session has made but not committed, per table.

    Inserted rows get negative ids until commit; ``updates`` and ``deletes`` refer to the ids
    of committed rows (or pending inserts, which are then changed in place). ``keys`` maps
    each table's unique keys to the pending insert holding them, so a check is one look-up.
    """

    inserts: dict[TableKey, dict[int, tuple[Value, ...]]] = field(default_factory=dict)
    updates: dict[TableKey, dict[int, tuple[Value, ...]]] = field(default_factory=dict)
    deletes: dict[TableKey, set[int]] = field(default_factory=dict)
    keys: dict[tuple[TableKey, str], dict[str, int]] = field(default_factory=dict)
    next_id: int = -1
    # Each table's quota check, made once per transaction (tables.StoredTable._check_space).
    space: dict[TableKey, SpaceCheck] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return any(self.inserts.values()) or any(self.updates.values()) or any(self.deletes.values())

    def forget(self, key: TableKey) -> None:
        for changes in (self.inserts, self.updates, self.deletes):
            changes.pop(key, None)
        self.space.pop(key, None)
        for index in [k for k in self.keys if k[0] == key]:
            del self.keys[index]


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
