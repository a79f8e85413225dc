"""The storage views of Oracle's Database Reference: tablespaces, data files, quotas, segments.

Only views Oracle has are defined (there is no ALL_SEGMENTS or USER_DATA_FILES, so those
names give ORA-00942 as in Oracle). Columns are a documented subset, in the documented order.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from airflow_datapump.testing._backend import storage
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.views import Row, register_view, text
from airflow_datapump.testing._values import NUMBER

_MB = 1024**2
_MAX_EXTENTS = Decimal(2147483645)  # MAX_EXTENTS and MAX_SIZE (in blocks) of a locally managed tablespace

_TABLESPACE_COLUMNS = [
    ("TABLESPACE_NAME", text(30)),
    ("BLOCK_SIZE", NUMBER),
    ("INITIAL_EXTENT", NUMBER),
    ("NEXT_EXTENT", NUMBER),
    ("MIN_EXTENTS", NUMBER),
    ("MAX_EXTENTS", NUMBER),
    ("MAX_SIZE", NUMBER),
    ("PCT_INCREASE", NUMBER),
    ("MIN_EXTLEN", NUMBER),
    ("STATUS", text(9)),
    ("CONTENTS", text(21)),
    ("LOGGING", text(9)),
    ("FORCE_LOGGING", text(3)),
    ("EXTENT_MANAGEMENT", text(10)),
    ("ALLOCATION_TYPE", text(9)),
    ("SEGMENT_SPACE_MANAGEMENT", text(6)),
    ("RETENTION", text(11)),
    ("BIGFILE", text(3)),
    ("ENCRYPTED", text(3)),
]


def _yes(flag: object) -> str:
    return "YES" if flag else "NO"


def _tablespaces(db: sqlite3.Connection) -> list[Row]:
    rows = db.execute("SELECT name, contents, bigfile, status FROM ts ORDER BY name").fetchall()
    result: list[Row] = []
    for name, contents, bigfile, status in rows:
        temporary, undo = contents == "TEMPORARY", contents == "UNDO"
        result.append(
            (
                name,
                Decimal(storage.BLOCK_SIZE),
                Decimal(_MB if temporary else 65536),
                Decimal(_MB) if temporary else None,
                Decimal(1),
                None if temporary else _MAX_EXTENTS,
                _MAX_EXTENTS,
                Decimal(0) if temporary else None,
                Decimal(_MB if temporary else 65536),
                status,
                contents,
                "NOLOGGING" if temporary else "LOGGING",
                "NO",
                "LOCAL",
                "UNIFORM" if temporary else "SYSTEM",
                "AUTO" if contents == "PERMANENT" else "MANUAL",
                "NOGUARANTEE" if undo else "NOT APPLY",
                _yes(bigfile),
                "NO",
            )
        )
    return result


@register_view("DBA_TABLESPACES", _TABLESPACE_COLUMNS, catalog_role=True)
def _dba_tablespaces(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _tablespaces(db)


@register_view("USER_TABLESPACES", _TABLESPACE_COLUMNS, catalog_role=False)
def _user_tablespaces(session: Session, db: sqlite3.Connection) -> list[Row]:
    """The tablespaces the user may use; the Reference says USER_TABLESPACES "describes the
    tablespaces accessible to the current user"; a quota or UNLIMITED TABLESPACE gives access."""
    from airflow_datapump.testing._backend import catalog

    unlimited = catalog.has_privilege(db, session.user, "UNLIMITED TABLESPACE")
    found = db.execute("SELECT tablespace FROM ts_quotas WHERE username = ?", (session.user,))
    quotas = {ts for (ts,) in found}
    return [r for r in _tablespaces(db) if unlimited or r[0] in quotas]


_FILE_COLUMNS = [
    ("FILE_NAME", text(513)),
    ("FILE_ID", NUMBER),
    ("TABLESPACE_NAME", text(30)),
    ("BYTES", NUMBER),
    ("BLOCKS", NUMBER),
    ("STATUS", text(9)),
    ("RELATIVE_FNO", NUMBER),
    ("AUTOEXTENSIBLE", text(3)),
    ("MAXBYTES", NUMBER),
    ("MAXBLOCKS", NUMBER),
    ("INCREMENT_BY", NUMBER),
    ("USER_BYTES", NUMBER),
    ("USER_BLOCKS", NUMBER),
]


def _files(db: sqlite3.Connection, temporary: bool) -> list[Row]:
    rows = db.execute(
        "SELECT f.file_name, f.file_id, f.tablespace, f.bytes, f.autoextensible, f.maxbytes, f.increment_by "
        "FROM ts_files f JOIN ts t ON t.name = f.tablespace WHERE (t.contents = 'TEMPORARY') = ? "
        "ORDER BY f.file_id",
        (int(temporary),),
    ).fetchall()
    block = storage.BLOCK_SIZE
    status = "ONLINE" if temporary else "AVAILABLE"
    return [
        (
            name,
            Decimal(file_id),
            tablespace,
            Decimal(size),
            Decimal(size // block),
            status,
            Decimal(file_id),
            _yes(auto),
            Decimal(maxbytes),
            Decimal(maxbytes // block),
            Decimal(increment),
            Decimal(max(size - _MB, 0)),  # the file header and space bitmap take 1 MB
            Decimal(max(size - _MB, 0) // block),
        )
        for name, file_id, tablespace, size, auto, maxbytes, increment in rows
    ]


@register_view("DBA_DATA_FILES", _FILE_COLUMNS, catalog_role=True)
def _dba_data_files(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _files(db, temporary=False)


@register_view("DBA_TEMP_FILES", _FILE_COLUMNS, catalog_role=True)
def _dba_temp_files(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _files(db, temporary=True)


_QUOTA_COLUMNS = [
    ("TABLESPACE_NAME", text(30)),
    ("USERNAME", text()),
    ("BYTES", NUMBER),
    ("MAX_BYTES", NUMBER),
    ("BLOCKS", NUMBER),
    ("MAX_BLOCKS", NUMBER),
    ("DROPPED", text(3)),
]


def _quotas(db: sqlite3.Connection, user: str | None) -> list[Row]:
    rows = db.execute("SELECT tablespace, username, max_bytes FROM ts_quotas ORDER BY 1, 2").fetchall()
    result: list[Row] = []
    for tablespace, username, max_bytes in rows:
        if user is not None and username != user:
            continue
        used = storage.used_bytes(db, username, tablespace)
        limit = Decimal(max_bytes)
        blocks = limit if max_bytes == storage.UNLIMITED else Decimal(max_bytes // storage.BLOCK_SIZE)
        result.append(
            (tablespace, username, Decimal(used), limit, Decimal(used // storage.BLOCK_SIZE), blocks, "NO")
        )
    return result


@register_view("DBA_TS_QUOTAS", _QUOTA_COLUMNS, catalog_role=True)
def _dba_ts_quotas(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _quotas(db, None)


@register_view("USER_TS_QUOTAS", [c for c in _QUOTA_COLUMNS if c[0] != "USERNAME"], catalog_role=False)
def _user_ts_quotas(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [r[:1] + r[2:] for r in _quotas(db, session.user)]


_SEGMENT_COLUMNS = [
    ("OWNER", text()),
    ("SEGMENT_NAME", text()),
    ("PARTITION_NAME", text()),
    ("SEGMENT_TYPE", text(18)),
    ("SEGMENT_SUBTYPE", text(10)),
    ("TABLESPACE_NAME", text(30)),
    ("HEADER_FILE", NUMBER),
    ("HEADER_BLOCK", NUMBER),
    ("BYTES", NUMBER),
    ("BLOCKS", NUMBER),
    ("EXTENTS", NUMBER),
    ("INITIAL_EXTENT", NUMBER),
    ("NEXT_EXTENT", NUMBER),
    ("MIN_EXTENTS", NUMBER),
    ("MAX_EXTENTS", NUMBER),
    ("MAX_SIZE", NUMBER),
    ("PCT_INCREASE", NUMBER),
    ("RELATIVE_FNO", NUMBER),
    ("BUFFER_POOL", text(7)),
]
_USER_SEGMENT_HIDDEN = ("OWNER", "HEADER_FILE", "HEADER_BLOCK", "RELATIVE_FNO")


def _segments(db: sqlite3.Connection, owner: str | None) -> list[Row]:
    found = db.execute("SELECT tablespace, MIN(file_id) FROM ts_files GROUP BY tablespace")
    first_file = dict(found.fetchall())
    result: list[Row] = []
    for number, seg in enumerate(storage.segments(db, owner)):
        file_id = Decimal(first_file.get(seg.tablespace, 0))
        subtype = "SECUREFILE" if seg.kind.startswith("LOB") else "ASSM"
        result.append(
            (
                seg.owner,
                seg.name,
                None,
                seg.kind,
                subtype,
                seg.tablespace,
                file_id,
                Decimal(128 + 8 * number),  # a distinct header block per segment
                Decimal(seg.bytes),
                Decimal(seg.blocks),
                Decimal(seg.extents),
                Decimal(65536),
                Decimal(_MB),
                Decimal(1),
                _MAX_EXTENTS,
                _MAX_EXTENTS,
                None,
                file_id,
                "DEFAULT",
            )
        )
    return result


@register_view("DBA_SEGMENTS", _SEGMENT_COLUMNS, catalog_role=True)
def _dba_segments(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _segments(db, None)


@register_view(
    "USER_SEGMENTS", [c for c in _SEGMENT_COLUMNS if c[0] not in _USER_SEGMENT_HIDDEN], catalog_role=False
)
def _user_segments(session: Session, db: sqlite3.Connection) -> list[Row]:
    keep = [i for i, c in enumerate(_SEGMENT_COLUMNS) if c[0] not in _USER_SEGMENT_HIDDEN]
    return [tuple(r[i] for i in keep) for r in _segments(db, session.user)]
