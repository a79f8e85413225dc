"""Carrying out one work item: log an export's progress, or change the target on import.

Import follows the documented TABLE_EXISTS_ACTION rules (reference §2.9): SKIP leaves the
table (ORA-39151), APPEND adds rows (ORA-39152), TRUNCATE empties it first (ORA-39153), and
REPLACE drops and re-creates it. Each of those messages, ORA-31684 for an existing user,
ORA-39083 for an object that failed to create and ORA-31693 for table data that failed to
load count as errors in "completed with N error(s)" (§5.1).
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from airflow_datapump.testing._backend import catalog, storage, tables
from airflow_datapump.testing._backend.codec import decode_row, decode_type, decode_value
from airflow_datapump.testing._datapump import logfile
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.ddltext import table_sql, user_sql
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._plsql.ddl import ColumnDef, TableConstraint
from airflow_datapump.testing._values import Value

SKIP_CONST_ERR = 1


def apply(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    if not any(i["done"] and i["path"] == item["path"] for i in job.plan):
        logfile.write(ctx.db, job, moment, f"Processing object type {item['path']}")
    if job.operation == "EXPORT":
        if item["kind"] == "TABLE_DATA":
            _data_line(ctx, job, moment, "exported", item, len(item["rows"]))
        return
    if job.operation == "IMPORT":
        {"USER": _user, "TABLE": _table, "TABLE_DATA": _data, "OBJECT_GRANT": _grant}[item["kind"]](
            ctx, job, item, moment
        )


def _data_line(
    ctx: WorkContext, job: Job, moment: dt.datetime, verb: str, item: dict[str, Any], rows: int
) -> None:
    qualified = f'"{item["schema"]}"."{item["name"]}"'
    if job.is_network and verb == "imported":  # rows come over the link: no unloaded size to show
        logfile.write(ctx.db, job, moment, f". . {verb} {qualified:<48} {rows:>7} rows")
        return
    size = logfile.size_text(int(item.get("size", 0)))
    logfile.write(ctx.db, job, moment, f". . {verb} {qualified:<48} {size:>12} {rows:>7} rows")


def _failed(ctx: WorkContext, job: Job, moment: dt.datetime, what: str, error: str, sql: str) -> None:
    logfile.error(
        ctx.db,
        job,
        moment,
        f"ORA-39083: Object type {what} failed to create with error:",
        error,
        "",
        "Failing sql is:",
        sql,
    )


def _user(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, name, ddl = ctx.db, item["name"], item["ddl"]
    missing = _missing_tablespace(db, ddl.get("default_tablespace"))
    if catalog.user_exists(db, name):
        logfile.error(db, job, moment, f'ORA-31684: Object type USER:"{name}" already exists')
    elif not catalog.has_privilege(db, job.owner, "IMP_FULL_DATABASE"):
        _failed(ctx, job, moment, f'USER:"{name}"', "ORA-01031: insufficient privileges", user_sql(name, ddl))
    elif missing:
        _failed(ctx, job, moment, f'USER:"{name}"', missing, user_sql(name, ddl))
    else:
        db.execute(
            "INSERT INTO users (name, password, default_tablespace, created) VALUES (?, ?, ?, ?)",
            (name, ddl.get("password"), ddl.get("default_tablespace") or "USERS", moment.isoformat()),
        )
        for privilege in ddl.get("privileges", []):
            db.execute("INSERT OR IGNORE INTO sys_privs VALUES (?, ?, 0)", (name, privilege))


def _missing_tablespace(db: Any, name: str | None) -> str | None:
    """The ORA-00959 line a CREATE naming a missing tablespace fails with, if it does."""
    if name and storage.contents_of(db, name) is None:
        return f"ORA-00959: tablespace '{name}' does not exist"
    return None


def _skipped(job: Job) -> list[list[str]]:
    return job.skipped


def _table(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, schema, name, ddl = ctx.db, item["schema"], item["name"], item["ddl"]
    qualified = f'"{schema}"."{name}"'
    if not catalog.user_exists(db, schema):
        _failed(
            ctx,
            job,
            moment,
            f"TABLE:{qualified}",
            f"ORA-01918: user '{schema}' does not exist",
            table_sql(schema, name, ddl),
        )
        _skipped(job).append([schema, name])
        return
    action = job.param("TABLE_EXISTS_ACTION") or "SKIP"
    exists = catalog.table(db, schema, name) is not None
    missing = _missing_tablespace(db, ddl.get("tablespace"))
    if missing and not (exists and action != "REPLACE"):
        _failed(ctx, job, moment, f"TABLE:{qualified}", missing, table_sql(schema, name, ddl))
        _skipped(job).append([schema, name])
        return
    if exists:
        if action == "SKIP":
            logfile.error(
                db,
                job,
                moment,
                f"ORA-39151: Table {qualified} exists. All dependent metadata and data will be skipped "
                "due to table_exists_action of skip",
            )
            _skipped(job).append([schema, name])
            return
        if action == "APPEND":
            logfile.error(
                db,
                job,
                moment,
                f"ORA-39152: Table {qualified} exists. Data will be appended to existing table but all "
                "dependent metadata will be skipped due to table_exists_action of append",
            )
            return
        if action == "TRUNCATE":
            db.execute("DELETE FROM rows WHERE owner = ? AND table_name = ?", (schema, name))
            logfile.error(
                db,
                job,
                moment,
                f"ORA-39153: Table {qualified} exists and has been truncated. Data will be loaded but all "
                "dependent metadata will be skipped due to table_exists_action of truncate",
            )
            return
        catalog.drop_table(db, schema, name)  # REPLACE
    columns = tuple(
        ColumnDef(c["name"], decode_type(c["type"]), None, c["not_null"], c["primary_key"], c["unique"])
        for c in ddl["columns"]
    )
    constraints = tuple(
        TableConstraint(k["name"], k["kind"], tuple(k["columns"])) for k in ddl["constraints"]
    )
    tablespace = ddl.get("tablespace") or storage.default_tablespace(db, schema)
    catalog.create_table(
        db,
        catalog.TableDef(schema, name, "TABLE", tablespace, columns, constraints),
        moment.isoformat(),
    )


def _data(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, schema, name = ctx.db, item["schema"], item["name"]
    if [schema, name] in _skipped(job):
        return
    qualified = f'"{schema}"."{name}"'
    head = (
        f"ORA-31693: Table data object {qualified} failed to load/unload and is being skipped due to error:"
    )
    target = catalog.table(db, schema, name)
    if target is None:
        logfile.error(db, job, moment, head, "ORA-00942: table or view does not exist")
        return
    positions = {c.name: i for i, c in enumerate(target.columns)}
    missing = [c for c in item["columns"] if c not in positions]
    if missing:
        logfile.error(db, job, moment, head, f'ORA-00904: "{missing[0]}": invalid identifier')
        return
    rows = [_target_row(target, positions, item["columns"], row) for row in item["rows"]]
    loaded, problem = _insertable(db, target, rows, int(job.param("DATA_OPTIONS") or 0) & SKIP_CONST_ERR)
    if problem and not loaded and len(rows) > 0 and not int(job.param("DATA_OPTIONS") or 0) & SKIP_CONST_ERR:
        logfile.error(db, job, moment, head, problem)
        return
    tables.insert_rows(db, schema, name, loaded)
    if problem:
        _data_line(ctx, job, moment, "imported", item, len(loaded))
        logfile.error(
            db,
            job,
            moment,
            f"{len(rows) - len(loaded)} row(s) were rejected with the following error:",
            problem,
        )
    else:
        _data_line(ctx, job, moment, "imported", item, len(loaded))


def _target_row(
    target: catalog.TableDef, positions: dict[str, int], columns: list[str], row: list[Any]
) -> tuple[Value, ...]:
    values: list[Value] = [None] * len(target.columns)
    for column, raw in zip(columns, row, strict=True):
        values[positions[column]] = decode_value(raw)
    return tuple(values)


def _insertable(
    db: Any, target: catalog.TableDef, rows: list[tuple[Value, ...]], skip_errors: int
) -> tuple[list[tuple[Value, ...]], str | None]:
    """The rows that may go in, and the first constraint error; all or nothing unless skipping."""
    keys = [[i] for i, c in enumerate(target.columns) if c.primary_key or c.unique]
    names = [c.name for c in target.columns]
    keys += [
        [names.index(col) for col in k.columns]
        for k in target.constraints
        if k.kind in ("PRIMARY KEY", "UNIQUE")
    ]
    existing = [
        decode_row(d)
        for (d,) in db.execute(
            "SELECT data FROM rows WHERE owner = ? AND table_name = ?", (target.owner, target.name)
        )
    ]
    seen = [{tuple(r[p] for p in key) for r in existing} for key in keys]
    good, problem = [], None
    for row in rows:
        error = _row_error(target, row, keys, seen)
        if error is None:
            good.append(row)
            for key, known in zip(keys, seen, strict=True):
                known.add(tuple(row[p] for p in key))
        else:
            problem = problem or error
            if not skip_errors:
                return [], problem
    return good, problem


def _row_error(
    target: catalog.TableDef,
    row: tuple[Value, ...],
    keys: list[list[int]],
    seen: list[set[tuple[Value, ...]]],
) -> str | None:
    for column, value in zip(target.columns, row, strict=True):
        if value is None and (column.not_null or column.primary_key):
            return f'ORA-01400: cannot insert NULL into ("{target.owner}"."{target.name}"."{column.name}")'
    for key, known in zip(keys, seen, strict=True):
        values = tuple(row[p] for p in key)
        if any(v is not None for v in values) and values in known:
            label = f"SYS_C00{zlib.crc32(target.name.encode()) % 10000:04d}"
            return f"ORA-00001: unique constraint ({target.owner}.{label}) violated"
    return None


def _grant(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, grantee = ctx.db, item["ddl"]["grantee"]
    if grantee != "PUBLIC" and not (catalog.user_exists(db, grantee) or catalog.role_exists(db, grantee)):
        sql = f'GRANT {item["ddl"]["privilege"]} ON "{item["schema"]}"."{item["name"]}" TO "{grantee}"'
        _failed(ctx, job, moment, "OBJECT_GRANT", f"ORA-01917: user or role '{grantee}' does not exist", sql)
        return
    db.execute(
        "INSERT OR IGNORE INTO obj_privs VALUES (?, ?, ?, ?)",
        (item["schema"], item["name"], grantee, item["ddl"]["privilege"]),
    )
