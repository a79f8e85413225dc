"""What the server keeps per open cursor, and how a cursor's rows go out in fetch batches.

A cursor id handed to the client names one :class:`OpenCursor`: the statement, its bind
descriptions, and for a query its describe information, the engine's column types and the
rows not yet delivered (the engine computes a query's rows at execute; the client fetches
them in ``arraysize`` batches). A REF CURSOR opened by PL/SQL becomes an open cursor of its
own; a cursor the client binds IN goes back to the engine as an opened SYS_REFCURSOR.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._net import objects, replies
from airflow_datapump.testing._net import oratypes as t
from airflow_datapump.testing._net.lobs import LobTable
from airflow_datapump.testing._net.replies import Column
from airflow_datapump.testing._net.requests import FETCH_FIRST, FETCH_LAST, BindMeta
from airflow_datapump.testing._net.values import image
from airflow_datapump.testing._plsql.errors import ora_line

#: Describe information for one column: name, the engine's type, nullability.
Describer = Callable[[str, v.DataType, bool], Column]
Encoder = Callable[[v.Value], bytes]


class ColumnLike(Protocol):
    """A column as the engine describes one (ColumnDescription) or a REF CURSOR holds one."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> v.DataType: ...

    @property
    def null_ok(self) -> bool: ...


@dataclass
class Described:
    """A column in the shape the engine describes one (name, type, nullability)."""

    name: str
    type: v.DataType
    null_ok: bool = True


@dataclass
class OpenCursor:
    sql: str
    binds: list[BindMeta] = field(default_factory=list)
    columns: list[Column] | None = None
    rows: list[tuple[v.Value, ...]] = field(default_factory=list)
    delivered: int = 0
    plsql: bool = False
    defines: list[int] | None = None  # the types the client asked columns in, if it did
    ref_cursor: bool = False  # opened by PL/SQL and handed to the client as a REF CURSOR
    described: list[tuple[str, v.DataType]] = field(default_factory=list)  # the engine's columns
    kept: list[tuple[v.Value, ...]] | None = None  # a scrollable cursor's whole result

    def load(
        self,
        columns: Sequence[ColumnLike],
        rows: list[tuple[v.Value, ...]],
        describe: Describer,
        *,
        scrollable: bool = False,
    ) -> None:
        """A query's result, to be fetched from the first row on (a scrollable cursor's from
        any row, so it keeps the whole result)."""
        self.columns = [describe(c.name, c.type, c.null_ok) for c in columns]
        self.described = [(c.name, c.type) for c in columns]
        self.rows = list(rows)
        self.delivered = 0
        self.kept = list(rows) if scrollable else None

    def row_named(self, orientation: int, position: int) -> int:
        """The row a scrollable cursor's fetch starts at. The driver sends the row it wants as
        an absolute number for RELATIVE too (cursor.pyx ``_create_scroll_message`` adds the
        offset to its own position), and asks for LAST with no position."""
        if orientation == FETCH_FIRST:
            return 1
        if orientation == FETCH_LAST:
            return len(self.kept if self.kept is not None else self.rows)
        return position

    def as_ref_cursor(self) -> v.OpaqueValue:
        """This cursor bound IN: an opened SYS_REFCURSOR holding the rows not yet fetched."""
        return v.OpaqueValue(v.REF_CURSOR.name, v.CursorRows(tuple(self.described), list(self.rows)))

    def batch(self, cursor_id: int, count: int, lob_table: LobTable, *, in_transaction: bool) -> bytes:
        """Up to ``count`` rows; ORA-01403 when these are the last (nothing more to fetch)."""
        batch, self.rows = self.rows[:count], self.rows[count:]
        self.delivered += len(batch)
        more = bool(self.rows) or count == 0
        return self._reply(batch, cursor_id, more, lob_table, in_transaction)

    def scroll(
        self, cursor_id: int, first: int, count: int, lob_table: LobTable, *, in_transaction: bool
    ) -> bytes:
        """A scrollable cursor's rows from row ``first`` (1-based) on, ``count`` of them; none,
        and ORA-01403, when ``first`` lies outside the result. The row count is the number of
        the last row sent: the driver places its buffer by it (cursor.pyx _post_process_scroll)."""
        kept = self.kept if self.kept is not None else self.rows
        start = first - 1 if 1 <= first <= len(kept) else len(kept)
        batch = kept[start : start + count]
        self.rows = kept[start + len(batch) :]
        self.delivered = start + len(batch)
        more = bool(self.rows) and (bool(batch) or count == 0)
        return self._reply(batch, cursor_id, more, lob_table, in_transaction)

    def _reply(
        self,
        batch: list[tuple[v.Value, ...]],
        cursor_id: int,
        more: bool,
        lob_table: LobTable,
        in_transaction: bool,
    ) -> bytes:
        encoders = self._encoders(lob_table)
        out = b""
        if batch:
            out += replies.row_header()
            for values in batch:
                out += replies.row([encode(x) for encode, x in zip(encoders, values, strict=True)])
        error, message = (0, "") if more else (1403, ora_line(1403))
        return out + replies.call_end(
            error=error, message=message, cursor_id=cursor_id, rowcount=self.delivered,
            in_transaction=in_transaction,
        )  # fmt: skip

    def _encoders(self, lob_table: LobTable) -> list[Encoder]:
        """Per column, how its values go into ROW_DATA: objects as pickled images of their
        described type, the rest in the type the client defined the column as (or described)."""
        types = self.defines or [c.type_number for c in self.columns or []]
        encoders: list[Encoder] = []
        for index, type_number in enumerate(types):
            described = self.described[index][1] if index < len(self.described) else None
            oid = self.columns[index].type_oid if self.columns and index < len(self.columns) else None
            if type_number == t.OBJECT and isinstance(described, v.ObjectType | v.CollectionType) and oid:
                encoders.append(functools.partial(objects.column_image, data_type=described, oid=oid))
            else:
                encoders.append(functools.partial(image, type_number=type_number, lobs=lob_table))
        return encoders
