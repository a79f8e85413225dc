"""Tablespaces, their data files, users' quotas, and the segments that tables occupy.

Oracle keeps every table, index and LOB in a segment that lives in one tablespace, and
clients read DBA_SEGMENTS to learn where a schema's data is (for example, to choose the
REMAP_TABLESPACE pairs of an import). So that the answers are Oracle's, this module keeps:

- tablespaces with their contents (PERMANENT, TEMPORARY, UNDO), block size and data files
  (size, AUTOEXTEND, MAXSIZE), as CREATE TABLESPACE makes them (SQL Language Reference);
- quotas per user and tablespace (``QUOTA n ON ts``), for DBA_TS_QUOTAS;
- segments, derived from what is stored: a table's segment appears with its first row, as
  deferred segment creation (the default since 11.2, Database Administrator's Guide,
  "Understanding Deferred Segment Creation") gives, and is as large as its data rounded up
  to whole extents; each primary or unique key has an index segment, each LOB column a
  LOBSEGMENT and a LOBINDEX, in the table's tablespace. Deleting rows frees no extents
  (Oracle releases them only on TRUNCATE, DROP, MOVE or SHRINK SPACE), so before a commit
  deletes or rewrites rows the segment's size is kept in ``segment_extents``; TRUNCATE
  (DROP STORAGE, its default) keeps the initial extent only.

Every statement that names a tablespace checks it here first (:func:`require`), so a
missing one gives ORA-00959 as in Oracle.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._plsql.ddl import FileSpec
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._values import TypeKind

BLOCK_SIZE = 8192
DATABASE_DEFAULT = "USERS"  # the default permanent tablespace (DATABASE_PROPERTIES)
UNLIMITED = -1  # DBA_TS_QUOTAS.MAX_BYTES for UNLIMITED (Database Reference)
MAX_SMALLFILE_BLOCKS = 4194302  # a smallfile data file's limit in blocks (Database Reference)

SCHEMA = """
CREATE TABLE IF NOT EXISTS ts (
    name TEXT PRIMARY KEY, contents TEXT NOT NULL, bigfile INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'ONLINE');
CREATE TABLE IF NOT EXISTS ts_files (
    file_id INTEGER PRIMARY KEY AUTOINCREMENT, tablespace TEXT NOT NULL, file_name TEXT NOT NULL,
    bytes INTEGER NOT NULL, autoextensible INTEGER NOT NULL, maxbytes INTEGER NOT NULL,
    increment_by INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ts_quotas (
    username TEXT NOT NULL, tablespace TEXT NOT NULL, max_bytes INTEGER NOT NULL,
    PRIMARY KEY (username, tablespace));
CREATE TABLE IF NOT EXISTS user_ts (username TEXT PRIMARY KEY, temporary_tablespace TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segment_extents (
    owner TEXT NOT NULL, table_name TEXT NOT NULL, bytes INTEGER NOT NULL,
    PRIMARY KEY (owner, table_name))
"""

# What a new 19c database has (Database Installation Guide, "Tablespaces and Data Files"):
# name, contents, initial size in MB.
STANDARD = (
    ("SYSTEM", "PERMANENT", 900),
    ("SYSAUX", "PERMANENT", 600),
    ("UNDOTBS1", "UNDO", 100),
    ("TEMP", "TEMPORARY", 32),
    ("USERS", "PERMANENT", 5),
)


@dataclass(frozen=True)
class Segment:
    owner: str
    name: str
    kind: str  # TABLE, INDEX, LOBSEGMENT, LOBINDEX (DBA_SEGMENTS.SEGMENT_TYPE)
    tablespace: str
    bytes: int

    @property
    def blocks(self) -> int:
        return self.bytes // BLOCK_SIZE

    @property
    def extents(self) -> int:
        return extent_count(self.bytes)


def bootstrap(db: sqlite3.Connection, folder: Path) -> None:
    """Create the storage tables and the tablespaces every new database has."""
    for statement in SCHEMA.split(";"):
        db.execute(statement)
    for name, contents, megabytes in STANDARD:
        suffix = "temp01.dbf" if contents == "TEMPORARY" else f"{name.lower()}01.dbf"
        size = megabytes * 1024**2
        add_tablespace(
            db, name, contents, [FileSpec(str(folder / "oradata" / suffix), size, autoextend=True)]
        )
    for user in catalog.ORACLE_MAINTAINED:
        db.execute("INSERT OR IGNORE INTO user_ts VALUES (?, 'TEMP')", (user,))


# -- tablespaces ------------------------------------------------------------------------


def contents_of(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT contents FROM ts WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def require(db: sqlite3.Connection, name: str, *, temporary: bool = False) -> None:
    """Check a tablespace named by a statement: it exists, and is of the right kind.

    Codes from Database Error Messages: ORA-00959 for a missing one, ORA-12910 for a
    temporary one given as a default tablespace, ORA-12911 for a permanent one given as a
    temporary tablespace.
    """
    contents = contents_of(db, name)
    if contents is None:
        raise ora(959, name)
    if temporary and contents != "TEMPORARY":
        raise ora(12911)
    if not temporary and contents == "TEMPORARY":
        raise ora(12910)


def add_tablespace(
    db: sqlite3.Connection, name: str, contents: str, files: list[FileSpec], *, bigfile: bool = False
) -> None:
    """CREATE [BIGFILE] [TEMPORARY | UNDO] TABLESPACE with its DATAFILE/TEMPFILE clauses."""
    if contents_of(db, name) is not None:
        raise ora(1543, name)
    if bigfile and len(files) > 1:
        raise ora(32774, name)
    for spec in files:
        _check_file(db, spec, bigfile)
    db.execute("INSERT INTO ts (name, contents, bigfile) VALUES (?, ?, ?)", (name, contents, int(bigfile)))
    for spec in files:
        assert spec.name is not None
        assert spec.size is not None
        limit = MAX_SMALLFILE_BLOCKS * BLOCK_SIZE if spec.maxsize is None else spec.maxsize
        db.execute(
            "INSERT INTO ts_files (tablespace, file_name, bytes, autoextensible, maxbytes, increment_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                name,
                spec.name,
                spec.size,
                int(spec.autoextend),
                limit if spec.autoextend else 0,
                (spec.next or BLOCK_SIZE) // BLOCK_SIZE if spec.autoextend else 0,
            ),
        )


def _check_file(db: sqlite3.Connection, spec: FileSpec, bigfile: bool) -> None:
    if spec.name is None:
        # Without Oracle Managed Files a file name is required (SQL Language Reference,
        # file_specification); the emulator does not set DB_CREATE_FILE_DEST.
        raise ora(2236)
    if spec.size is None:
        raise ora(1119, spec.name)
    if db.execute("SELECT 1 FROM ts_files WHERE file_name = ?", (spec.name,)).fetchone():
        raise ora(1537, spec.name)
    limit = MAX_SMALLFILE_BLOCKS * BLOCK_SIZE
    if not bigfile and (spec.size > limit or (spec.maxsize or 0) > limit):
        blocks = max(spec.size, spec.maxsize or 0) // BLOCK_SIZE
        raise ora(1144, blocks, 4194303)


def drop_tablespace(db: sqlite3.Connection, name: str, *, including_contents: bool) -> None:
    """DROP TABLESPACE: refused while segments live there unless INCLUDING CONTENTS.

    The database's defaults cannot be dropped (ORA-12919 for the default permanent one,
    ORA-12906 for the default temporary one, ORA-30013 for the undo tablespace in use); users
    whose default it was fall back to the database default, USERS (SQL Language Reference).
    """
    contents = contents_of(db, name)
    if contents is None:
        raise ora(959, name)
    if name in ("SYSTEM", "SYSAUX", DATABASE_DEFAULT):
        raise ora(12919)
    if name == "TEMP":
        raise ora(12906)
    if contents == "UNDO":
        raise ora(30013, name)
    owned = [t for t in catalog.tables_of(db) if tablespace_of(db, t) == name]
    if owned and not including_contents:
        raise ora(1549)
    for table in owned:
        catalog.drop_table(db, table.owner, table.name)
    db.execute(
        "UPDATE users SET default_tablespace = ? WHERE default_tablespace = ?", (DATABASE_DEFAULT, name)
    )
    db.execute("UPDATE user_ts SET temporary_tablespace = 'TEMP' WHERE temporary_tablespace = ?", (name,))
    for statement in (
        "DELETE FROM ts WHERE name = ?",
        "DELETE FROM ts_files WHERE tablespace = ?",
        "DELETE FROM ts_quotas WHERE tablespace = ?",
    ):
        db.execute(statement, (name,))


def set_quota(db: sqlite3.Connection, user: str, tablespace: str, size: int | None) -> None:
    """QUOTA n ON ts (``size`` None: UNLIMITED). QUOTA 0 removes the row (Database Reference)."""
    require(db, tablespace)
    if size == 0:
        db.execute("DELETE FROM ts_quotas WHERE username = ? AND tablespace = ?", (user, tablespace))
        return
    db.execute(
        "INSERT OR REPLACE INTO ts_quotas VALUES (?, ?, ?)",
        (user, tablespace, UNLIMITED if size is None else size),
    )


def set_temporary(db: sqlite3.Connection, user: str, tablespace: str | None) -> None:
    if tablespace is not None:
        require(db, tablespace, temporary=True)
    db.execute("INSERT OR REPLACE INTO user_ts VALUES (?, ?)", (user, tablespace or "TEMP"))


def forget_user(db: sqlite3.Connection, user: str) -> None:
    db.execute("DELETE FROM ts_quotas WHERE username = ?", (user,))
    db.execute("DELETE FROM user_ts WHERE username = ?", (user,))


def default_tablespace(db: sqlite3.Connection, user: str) -> str:
    row = db.execute("SELECT default_tablespace FROM users WHERE name = ?", (user,)).fetchone()
    return str(row[0]) if row and row[0] else DATABASE_DEFAULT


def tablespace_of(db: sqlite3.Connection, table: catalog.TableDef) -> str:
    """Where a table's segments are: its TABLESPACE clause, else its owner's default."""
    return table.tablespace or default_tablespace(db, table.owner)


# -- segments ---------------------------------------------------------------------------


def extent_count(size: int) -> int:
    """Extents of a locally managed AUTOALLOCATE tablespace: 64 KB ones for the first 1 MB,
    then 1 MB ones up to 64 MB, then 8 MB ones (the sizes Oracle picks; see docs/emulator.md)."""
    kb64, mb1, mb8 = 64 * 1024, 1024**2, 8 * 1024**2
    if size <= mb1:
        return max(1, -(-size // kb64))
    if size <= 64 * mb1:
        return 16 + -(-(size - mb1) // mb1)
    return 16 + 63 + -(-(size - 64 * mb1) // mb8)


def allocated(size: int) -> int:
    """Bytes allocated to hold ``size`` bytes: whole extents (see :func:`extent_count`)."""
    kb64, mb1, mb8 = 64 * 1024, 1024**2, 8 * 1024**2
    if size <= mb1:
        return max(kb64, -(-size // kb64) * kb64)
    if size <= 64 * mb1:
        return mb1 + -(-(size - mb1) // mb1) * mb1
    return 64 * mb1 + -(-(size - 64 * mb1) // mb8) * mb8


def table_data(db: sqlite3.Connection, owner: str, name: str) -> tuple[int, int]:
    """(rows, bytes of row data) of a stored table, committed rows only."""
    count, size = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM rows WHERE owner = ? AND table_name = ?",
        (owner, name),
    ).fetchone()
    return int(count), int(size)


def constraint_index_name(table: str, name: str | None) -> str:
    """A key's index is named after its constraint; an unnamed one gets a SYS_C name."""
    return name or f"SYS_C00{zlib.crc32(table.encode()) % 10000:04d}"


def kept_extents(db: sqlite3.Connection, owner: str, name: str) -> int | None:
    """The bytes a table's segment keeps after rows left it, if any ever did."""
    row = db.execute(
        "SELECT bytes FROM segment_extents WHERE owner = ? AND table_name = ?", (owner, name)
    ).fetchone()
    return None if row is None else int(row[0])


def segment_bytes(db: sqlite3.Connection, owner: str, name: str, rows: int, size: int) -> int:
    """A table's segment size given its (rows, bytes of data): 0 while it has no segment."""
    kept = kept_extents(db, owner, name)
    if rows == 0 and kept is None:
        return 0  # deferred segment creation: no segment before the first row
    return max(allocated(size) if rows else 0, kept or 0)


def keep_extents(db: sqlite3.Connection, owner: str, name: str) -> None:
    """Before rows are deleted or rewritten: the segment keeps the extents it has."""
    rows, size = table_data(db, owner, name)
    current = segment_bytes(db, owner, name, rows, size)
    if current:
        db.execute("INSERT OR REPLACE INTO segment_extents VALUES (?, ?, ?)", (owner, name, current))


def truncated(db: sqlite3.Connection, owner: str, name: str) -> None:
    """TRUNCATE (DROP STORAGE, the default) keeps a segment's initial extent only
    (SQL Language Reference, TRUNCATE TABLE); call before the rows go."""
    rows, size = table_data(db, owner, name)
    if segment_bytes(db, owner, name, rows, size):
        db.execute("INSERT OR REPLACE INTO segment_extents VALUES (?, ?, ?)", (owner, name, allocated(0)))


def segments(db: sqlite3.Connection, owner: str | None = None) -> list[Segment]:
    """Every segment (of ``owner``'s objects), in owner, name order."""
    found: list[Segment] = []
    for table in catalog.tables_of(db, owner):
        rows, size = table_data(db, table.owner, table.name)
        table_bytes = segment_bytes(db, table.owner, table.name, rows, size)
        if not table_bytes:
            continue
        tablespace = tablespace_of(db, table)
        found.append(Segment(table.owner, table.name, "TABLE", tablespace, table_bytes))
        for index_name, width in table_keys(table):
            found.append(Segment(table.owner, index_name, "INDEX", tablespace, _index_bytes(rows, width)))
        for made in catalog.indexes_of(db, table.owner, table.name):  # CREATE INDEX, in its tablespace
            index_bytes = _index_bytes(rows, _key_width(table, made.columns))
            found.append(Segment(made.owner, made.name, "INDEX", made.tablespace, index_bytes))
        table_id = object_id(db, table.owner, table.name)
        for position, column in enumerate(table.columns, start=1):
            if column.type.kind in (TypeKind.CLOB, TypeKind.BLOB):
                lob = lob_segment_name(table_id, position)
                found.append(Segment(table.owner, lob, "LOBSEGMENT", tablespace, allocated(0)))
                index = lob.replace("SYS_LOB", "SYS_IL", 1)
                found.append(Segment(table.owner, index, "LOBINDEX", tablespace, allocated(0)))
    return sorted(found, key=lambda s: (s.owner, s.name))


def lob_segment_name(table_id: int, position: int) -> str:
    """A LOB's system-generated segment name, SYS_LOB<object id>C<column>$$ (its index is
    SYS_IL...), as DBA_LOBS shows them."""
    return f"SYS_LOB{table_id:010d}C{position:05d}$$"


def table_key_kinds(table: catalog.TableDef) -> list[tuple[str, str]]:
    """(constraint name, DBA_CONSTRAINTS type P or U) of each primary and unique key; each
    key's index has the constraint's name."""
    return [
        (constraint_index_name(table.name, k.name), "P" if k.kind == "PRIMARY KEY" else "U")
        for k in table.constraints
        if k.kind in ("PRIMARY KEY", "UNIQUE")
    ]


def table_keys(table: catalog.TableDef) -> list[tuple[str, int]]:
    """(index name, key width in bytes) of each key index of a table (a disabled key has none)."""
    return [
        (constraint_index_name(table.name, k.name), _key_width(table, k.columns))
        for k in table.constraints
        if k.kind in ("PRIMARY KEY", "UNIQUE") and k.enabled
    ]


def _key_width(table: catalog.TableDef, columns: Iterable[str]) -> int:
    """Bytes of one key over these columns: each column's declared size, else 22 (a NUMBER's)."""
    widths = {c.name: (getattr(c.type, "size", None) or 22) for c in table.columns}
    return sum(widths.get(c, 22) for c in columns)


def _index_bytes(rows: int, width: int) -> int:
    """An index segment's size: per row, the key plus a 10-byte rowid."""
    return allocated(rows * (width + 10))


def object_id(db: sqlite3.Connection, owner: str, name: str) -> int:
    """DBA_OBJECTS.OBJECT_ID of a table (stable while the table exists)."""
    row = db.execute("SELECT rowid FROM tables WHERE owner = ? AND name = ?", (owner, name)).fetchone()
    return 70000 + int(row[0]) if row else 0


def used_bytes(db: sqlite3.Connection, owner: str, tablespace: str) -> int:
    """DBA_TS_QUOTAS.BYTES: what a user's segments take in a tablespace."""
    return sum(s.bytes for s in segments(db, owner) if s.tablespace == tablespace)
