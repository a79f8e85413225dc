"""What an export moves, decided and read when the job starts.

The emulator copies committed rows aside at START_JOB (:mod:`.staging`), so an export is
consistent as of its start
whether or not FLASHBACK_SCN/TIME is given (Oracle reads as of the given SCN; a known
difference, documented). Work is measured in bytes: each table's data is estimated as the
size of its segment (the "BLOCKS" estimate, from the storage model), and each metadata
object costs 8 KB of work without counting toward ``total_bytes`` (percent_done covers data
only, reference §2.15).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from airflow_datapump.testing._backend import catalog, storage
from airflow_datapump.testing._backend.codec import encode_row, encode_type
from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._datapump import dependents, logfile, remap, staging
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._datapump.selection import Candidate, accepts, named_in_lists
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line

# Oracle's order of object types (docs/emulator.md "Object paths and their order").
_ORDER = (
    "USER", "SYSTEM_GRANT", "ROLE_GRANT", "DEFAULT_ROLE", "TABLESPACE_QUOTA", "PROCACT_SCHEMA",
    "TABLE", "TABLE_DATA", "OBJECT_GRANT", "INDEX", "CONSTRAINT", "INDEX_STATISTICS",
    "REF_CONSTRAINT", "TABLE_STATISTICS", "MARKER",
)  # fmt: skip
# The order a 19c export unloads in (docs/emulator.md "What each kind of job logs"): the
# statistics first, the other metadata, then the rows; TABLE_DATA's line opens the job.
_ORDER_19C = (
    "INDEX_STATISTICS", "TABLE_STATISTICS", "MARKER", "USER", "SYSTEM_GRANT", "ROLE_GRANT",
    "DEFAULT_ROLE", "TABLESPACE_QUOTA", "PROCACT_SCHEMA", "TABLE", "OBJECT_GRANT", "INDEX",
    "CONSTRAINT", "REF_CONSTRAINT", "TABLE_DATA",
)  # fmt: skip
METADATA_COST = 8192
_PREFIX = {
    "FULL": "DATABASE_EXPORT/SCHEMA/",
    "SCHEMA": "SCHEMA_EXPORT/",
    "TABLE": "TABLE_EXPORT/",
    "TABLESPACE": "TABLE_EXPORT/",
}
# Where the statistics marker sits: under the job's root, or under TABLE in a table export.
_MARKER_PREFIX = {
    "FULL": "DATABASE_EXPORT/",
    "TABLE": "TABLE_EXPORT/TABLE/",
    "TABLESPACE": "TABLE_EXPORT/TABLE/",
}
_RELATIVE = {
    "USER": "USER",
    "SYSTEM_GRANT": "SYSTEM_GRANT",
    "ROLE_GRANT": "ROLE_GRANT",
    "TABLESPACE_QUOTA": "TABLESPACE_QUOTA",
    "TABLE": "TABLE/TABLE",
    "TABLE_DATA": "TABLE/TABLE_DATA",
    "OBJECT_GRANT": "TABLE/GRANT/OWNER_GRANT/OBJECT_GRANT",
    "DEFAULT_ROLE": "DEFAULT_ROLE",
    "PROCACT_SCHEMA": "PRE_SCHEMA/PROCACT_SCHEMA",
    "INDEX": "TABLE/INDEX/INDEX",
    "CONSTRAINT": "TABLE/CONSTRAINT/CONSTRAINT",
    "REF_CONSTRAINT": "TABLE/CONSTRAINT/REF_CONSTRAINT",
    "INDEX_STATISTICS": "TABLE/INDEX/STATISTICS/INDEX_STATISTICS",
    "TABLE_STATISTICS": "TABLE/STATISTICS/TABLE_STATISTICS",
    "MARKER": "STATISTICS/MARKER",
}


def import_rank(item: dict[str, Any]) -> int:
    """An item's place in import order, the order a dump file holds its objects in."""
    return _ORDER.index(item["kind"])


def unload_order(items: list[dict[str, Any]], layout: str) -> list[dict[str, Any]]:
    """The export's items in the order it processes (and logs) them under a LOG_LAYOUT
    reading: 12.1's is import order; 19c's puts the rows after all the metadata."""
    if layout == "12.1":
        return items
    return sorted(items, key=lambda item: _ORDER_19C.index(item["kind"]))


def privileged(db: Any, user: str, role: str) -> bool:
    return bool(catalog.has_privilege(db, user, role))


def source_database(ctx: WorkContext, job: Job) -> Database:
    """The database an export or network import reads: local, or across the job's link."""
    if job.remote_link is None:
        return ctx.database
    row = ctx.db.execute(
        "SELECT service FROM db_links WHERE name = ? AND owner IN (?, 'PUBLIC') ORDER BY owner = 'PUBLIC'",
        (job.remote_link, job.owner),
    ).fetchone()
    if row is None:
        raise ora(2019)
    from airflow_datapump.testing._backend.logon import service_of

    return ctx.backend.database(service_of(row[0]))


def build(ctx: WorkContext, job: Job) -> list[dict[str, Any]]:
    """The export's work items, in the order Data Pump processes object types."""
    source = source_database(ctx, job)
    with source.store.read() as db:
        schemas = _schemas(ctx, job, db)
        require_privileges(ctx, job, schemas)
        items: list[dict[str, Any]] = []
        for schema in schemas:
            items.extend(_schema_items(ctx, job, db, schema, source.service))
    # The statistics' closing marker, one for the job [U]: only path filters name it.
    path_filters = [f for f in job.metadata_filters if f["name"].startswith(("INCLUDE_PATH", "EXCLUDE_PATH"))]
    if any(i["kind"].endswith("_STATISTICS") for i in items) and accepts(
        ctx, path_filters, Candidate("MARKER", job.owner, "MARKER")
    ):
        items.append(
            _item("MARKER", job.owner, "MARKER", _MARKER_PREFIX.get(job.mode, "SCHEMA_EXPORT/"), ddl={})
        )
    items.sort(key=import_rank)  # one object type after another
    found = {item["name"] for item in items if item["kind"] == "TABLE"}
    for missing in sorted(set(named_in_lists(job.metadata_filters, "NAME")) - found):
        logfile.error(
            ctx.db,
            job,
            ctx.now,
            ora_line(39166, missing),
        )
    if not items:
        logfile.error(ctx.db, job, ctx.now, ora_line(31655))
    return items


def _schemas(ctx: WorkContext, job: Job, db: Any) -> list[str]:
    if job.mode == "FULL":
        return [u for (u,) in db.execute("SELECT name FROM users WHERE oracle_maintained = 0 ORDER BY name")]
    has_schema_filter = any(f["name"].startswith("SCHEMA_") for f in job.metadata_filters)
    if not has_schema_filter:
        if job.mode == "TABLESPACE":
            return [
                u
                for (u,) in db.execute(
                    "SELECT DISTINCT owner FROM tables WHERE kind = 'TABLE' ORDER BY owner"
                )
            ]
        return [job.owner]
    users = [u for (u,) in db.execute("SELECT name FROM users ORDER BY name")]
    chosen = [
        u
        for u in users
        if all(
            ctx.matches(u, f["value"], is_list=f["name"].endswith("_LIST"))
            for f in job.metadata_filters
            if f["name"].startswith("SCHEMA_")
        )
    ]
    for missing in sorted(set(named_in_lists(job.metadata_filters, "SCHEMA")) - set(users)):
        logfile.error(ctx.db, job, ctx.now, ora_line(39165, missing))
    return chosen


def require_privileges(ctx: WorkContext, job: Job, schemas: list[str]) -> None:
    others = [s for s in schemas if s != job.owner]
    if others and not privileged(ctx.db, job.owner, "EXP_FULL_DATABASE"):
        raise ora(31631)


def _schema_items(ctx: WorkContext, job: Job, db: Any, schema: str, service: str) -> list[dict[str, Any]]:
    prefix = _PREFIX.get(job.mode, "SCHEMA_EXPORT/")
    items: list[dict[str, Any]] = []
    exporter_privileged = privileged(ctx.db, job.owner, "EXP_FULL_DATABASE")
    if (
        job.mode in ("SCHEMA", "FULL")
        and exporter_privileged
        and accepts(ctx, job.metadata_filters, Candidate("USER", schema, schema))
    ):
        items.append(_item("USER", schema, schema, prefix, ddl=_user_ddl(db, schema)))
    if job.mode in ("SCHEMA", "FULL") and exporter_privileged:
        for kind, ddl in _user_objects(db, schema, {"database": service, "scn": job.scn or 0}):
            if accepts(ctx, job.metadata_filters, Candidate(kind, schema, schema)):
                items.append(_item(kind, schema, schema, prefix, ddl=ddl))
    for table in catalog.tables_of(db, schema):
        if table.kind != "TABLE":
            continue
        tablespace = storage.tablespace_of(db, table)
        if not accepts(ctx, job.metadata_filters, Candidate("TABLE", schema, table.name, tablespace)):
            continue
        items.append(_item("TABLE", schema, table.name, prefix, ddl=_table_ddl(db, table, tablespace)))
        found = [*dependents.of_table(db, table, tablespace), *dependents.statistics_of(db, table)]
        for kind, own_name, ddl in found:
            if accepts(ctx, job.metadata_filters, Candidate(kind, schema, table.name, tablespace, own_name)):
                items.append(_item(kind, schema, table.name, prefix, ddl=ddl))
        if accepts(ctx, job.metadata_filters, Candidate("TABLE_DATA", schema, table.name, tablespace)):
            data = _table_data(ctx, job, db, table)
            if data is not None:
                items.append(_item("TABLE_DATA", schema, table.name, prefix, **data))
        for grantee, privilege in db.execute(
            "SELECT grantee, privilege FROM obj_privs WHERE owner = ? AND object = ? ORDER BY 1, 2",
            (schema, table.name),
        ).fetchall():
            if accepts(ctx, job.metadata_filters, Candidate("OBJECT_GRANT", schema, table.name, tablespace)):
                items.append(
                    _item(
                        "OBJECT_GRANT",
                        schema,
                        table.name,
                        prefix,
                        ddl={"grantee": grantee, "privilege": privilege},
                    )
                )
    return items


def _item(kind: str, schema: str, name: str, prefix: str, **extra: Any) -> dict[str, Any]:
    relative = _RELATIVE[kind]
    if kind == "PROCACT_SCHEMA" and prefix.startswith("DATABASE_EXPORT"):
        relative = "PROCACT_SCHEMA"  # a full export has it right under SCHEMA
    item = {"kind": kind, "schema": schema, "name": name, "path": prefix + relative, "done": False}
    item.setdefault("bytes", 0)
    item.update(extra)
    return item


def _user_ddl(db: Any, schema: str) -> dict[str, Any]:
    password, tablespace = db.execute(
        "SELECT password, default_tablespace FROM users WHERE name = ?", (schema,)
    ).fetchone()
    return {"password": password, "default_tablespace": tablespace}


def _user_objects(db: Any, schema: str, procact: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The objects that go with a user, each its own object type as in Oracle's schema
    export (SYSTEM_GRANT, ROLE_GRANT, DEFAULT_ROLE, TABLESPACE_QUOTA): only those the user
    holds; and the schema's procedural actions (PROCACT_SCHEMA, the ``procact`` given: which
    database and SCN the export read), written with the user."""
    granted = [
        p for (p,) in db.execute("SELECT privilege FROM sys_privs WHERE grantee = ? ORDER BY 1", (schema,))
    ]
    privileges = [p for p in granted if not catalog.role_exists(db, p)]
    roles = [p for p in granted if catalog.role_exists(db, p)]
    quotas = [
        [ts, size]
        for ts, size in db.execute(
            "SELECT tablespace, max_bytes FROM ts_quotas WHERE username = ? ORDER BY 1", (schema,)
        )
    ]
    if privileges:
        yield "SYSTEM_GRANT", {"privileges": privileges}
    if roles:
        yield "ROLE_GRANT", {"privileges": roles}
        yield "DEFAULT_ROLE", {}  # ALTER USER ... DEFAULT ROLE ALL: every role granted is default
    if quotas:
        yield "TABLESPACE_QUOTA", {"quotas": quotas}
    yield "PROCACT_SCHEMA", procact


def _table_ddl(db: Any, table: catalog.TableDef, tablespace: str) -> dict[str, Any]:
    # DBMS_METADATA gives a table with a segment its STORAGE clause (the extents Oracle's
    # AUTOALLOCATE picks); one still deferred has none to give.
    has_segment = storage.segment_bytes(
        db, table.owner, table.name, *storage.table_data(db, table.owner, table.name)
    )
    return {
        "tablespace": tablespace,
        "segment_creation": "IMMEDIATE" if has_segment else "DEFERRED",
        "storage": {"initial": storage.allocated(0), "next": 1024**2} if has_segment else None,
        "columns": [
            {
                "name": c.name,
                "type": encode_type(c.type),  # type: ignore[arg-type]
                "not_null": c.not_null,
                **_not_null_constraint(c),
            }  # keys and checks are CONSTRAINT and REF_CONSTRAINT objects of their own
            for c in table.columns
        ],
    }


def _not_null_constraint(column: ColumnDef) -> dict[str, Any]:
    """What the table's DDL says of a column's NOT NULL constraint beyond ``not_null``: the
    name written for it (a SYS_C name is the database's own, and an import makes its own), and
    that it is disabled."""
    found: dict[str, Any] = {}
    name = column.not_null_name
    if name is not None and not name.startswith("SYS_C"):
        found["not_null_name"] = name
    if name is not None and not column.not_null:
        found["not_null_disabled"] = True
    return found


def _table_data(ctx: WorkContext, job: Job, db: Any, table: catalog.TableDef) -> dict[str, Any] | None:
    """Stage the table's rows for the job (see :mod:`.staging`) and describe them."""
    filters = _data_filters_for(job, table.owner, table.name)
    if int(filters.get("INCLUDE_ROWS", 1)) == 0:
        return None
    rows_id = f"{table.owner}.{table.name}"
    try:
        texts = _selected_rows(ctx, job, db, table, filters)
        if job.data_remaps:
            texts = _remapped(ctx, job, db, table, texts)
    except OracleError as error:
        logfile.error(
            ctx.db,
            job,
            ctx.now,
            ora_line(31693, f'"{table.owner}"."{table.name}"'),
            *error.lines,
        )
        return None
    if texts is None:  # the common case: one copy inside the store
        count, chars = staging.copy_table(ctx.db, job, rows_id, table.owner, table.name)
    else:
        count, chars = staging.stage(ctx.db, job, rows_id, texts)
    size = staging.json_size(count, chars)
    return {
        "bytes": _estimate(db, table, filters),
        "size": size,
        "columns": [c.name for c in table.columns],
        "row_count": count,
        "rows_id": rows_id,
    }


def _selected_rows(
    ctx: WorkContext, job: Job, db: Any, table: catalog.TableDef, filters: dict[str, Any]
) -> Iterable[str] | None:
    """The rows a SUBQUERY or SAMPLE leaves, or None for all of them (copied inside the store)."""
    texts: Iterable[str] | None = None
    if "SUBQUERY" in filters:
        found = ctx.query(
            f'SELECT * FROM "{table.owner}"."{table.name}" {filters["SUBQUERY"]}',
            database=source_database(ctx, job),
        )
        texts = (encode_row(row) for row in found)
    elif db is not ctx.db or "SAMPLE" in filters:
        texts = _stored_rows(db, table)
    if "SAMPLE" in filters:
        texts = _sample(texts or (), Decimal(str(filters["SAMPLE"])), table.name)
    return texts


def _stored_rows(db: Any, table: catalog.TableDef) -> Iterator[str]:
    return (data for (data,) in db.execute(
        "SELECT data FROM rows WHERE owner = ? AND table_name = ? ORDER BY rid", (table.owner, table.name)
    ))  # fmt: skip


def _remapped(
    ctx: WorkContext, job: Job, db: Any, table: catalog.TableDef, texts: Iterable[str] | None
) -> Iterable[str] | None:
    """The rows with DATA_REMAP's functions applied (all of them computed before staging)."""
    apply = remap.for_table(ctx, job, table)
    if apply is None:
        return texts
    if texts is None:
        texts = _stored_rows(db, table)
    return [json.dumps(apply(json.loads(text))) for text in texts]


def _estimate(db: Any, table: catalog.TableDef, filters: dict[str, Any]) -> int:
    """ESTIMATE=BLOCKS: the blocks of the table's segment (none before its first row), scaled
    by SAMPLE; a SUBQUERY does not change it (Utilities guide, ESTIMATE)."""
    rows, size = storage.table_data(db, table.owner, table.name)
    estimate = storage.allocated(size) if rows else 0
    if "SAMPLE" in filters:
        estimate = int(estimate * float(filters["SAMPLE"]) / 100)
    return estimate


def _sample(rows: Iterable[str], percent: Decimal, salt: str) -> Iterator[str]:
    """A repeatable sample: a row is kept when its hash falls under the percentage."""
    return (
        row
        for index, row in enumerate(rows)
        if zlib.crc32(f"{salt}:{index}".encode()) % 10000 < percent * 100
    )


def _data_filters_for(job: Job, schema: str, table: str) -> dict[str, Any]:
    """Job-wide filters, overridden by ones for this table (reference §2.5)."""
    chosen: dict[str, Any] = {}
    for specific in (False, True):
        for f in job.data_filters:
            applies = f["table"] is not None and f["table"] == table and f["schema"] in (None, schema)
            if (f["table"] is None) != specific and (not specific or applies):
                chosen[f["name"]] = f["value"]
    return chosen
