"""Tablespace quotas, enforced: whether a segment's owner may allocate the extents its
rows need (SQL Language Reference, CREATE USER QUOTA; Database Error Messages ORA-01950 and
ORA-01536).

Apart from ``storage`` because that module answers what is stored and where; this one
decides whether more may be stored, for the SQL engine's inserts and an import's loads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from airflow_datapump.testing._backend import catalog, storage
from airflow_datapump.testing._plsql.errors import ora


def quota_of(db: sqlite3.Connection, user: str, tablespace: str) -> int | None:
    """Bytes ``user`` may allocate in ``tablespace``: None for no limit (UNLIMITED TABLESPACE,
    or QUOTA UNLIMITED), 0 for no quota at all (SQL Language Reference, CREATE USER QUOTA)."""
    if catalog.has_privilege(db, user, "UNLIMITED TABLESPACE"):
        return None
    row = db.execute(
        "SELECT max_bytes FROM ts_quotas WHERE username = ? AND tablespace = ?", (user, tablespace)
    ).fetchone()
    if row is None:
        return 0
    return None if row[0] == storage.UNLIMITED else int(row[0])


class SpaceCheck:
    """Whether rows added to a table fit its owner's quota, checked as each row arrives.

    Space is charged to the segment's owner, whoever inserts (Database Error Messages,
    ORA-01536: "the segment owner"). Only allocating a new extent needs quota: rows that fit
    the segment's extents always go in. A new extent with no quota on the tablespace gives
    ORA-01950, one beyond the quota ORA-01536. Owners without a limit pay nothing per row.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        table: catalog.TableDef,
        reread: Callable[[str, str], int | None] | None = None,
    ) -> None:
        """``reread(owner, tablespace)`` gives the quota now, read again before each new
        extent, so an ALTER USER QUOTA made meanwhile counts as it does in Oracle."""
        self._owner = table.owner
        self._reread = reread
        self._tablespace = storage.tablespace_of(db, table)
        self._limit = quota_of(db, table.owner, self._tablespace)
        self._stored = 0
        self._segment = 0
        self._others = 0
        if self._limit is not None:
            rows, self._stored = storage.table_data(db, table.owner, table.name)
            self._segment = storage.segment_bytes(db, table.owner, table.name, rows, self._stored)
            used = storage.used_bytes(db, table.owner, self._tablespace)
            self._others = used - self._segment
        self._pending = 0

    @property
    def limited(self) -> bool:
        return self._limit is not None

    def pending(self, row_bytes: int) -> None:
        """Count rows the transaction added before this check was made."""
        self._pending += row_bytes

    def add(self, row_bytes: int) -> None:
        """Charge one more row, refusing it if its extent may not be allocated."""
        if self._limit is None:
            return
        need = storage.allocated(self._stored + self._pending + row_bytes)
        if need > self._segment:
            if self._reread is not None:
                self._limit = self._reread(self._owner, self._tablespace)
                if self._limit is None:
                    self._pending += row_bytes
                    return
            if self._limit == 0:
                raise ora(1950, self._tablespace)
            if self._others + need > self._limit:
                raise ora(1536, self._tablespace)
            self._segment = need  # the extent is the transaction's now
        self._pending += row_bytes
