"""Carrying out one work item: log an export's progress, or change the target on import.

Import follows the documented TABLE_EXISTS_ACTION rules (reference §2.9): SKIP leaves the
table (ORA-39151), APPEND adds rows (ORA-39152), TRUNCATE empties it first (ORA-39153), and
REPLACE drops and re-creates it. Each of those messages (under the COUNTED reading of
TABLE_EXISTS_LINE; under PLAIN, the default, they are text without the prefix, not counted),
ORA-31684 for an existing user, ORA-39083 for an object that failed to create and ORA-31693
for table data that failed to load count as errors in "completed with N error(s)" (§5.1).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from airflow_datapump.testing._backend import catalog, integrity, quotas, storage
from airflow_datapump.testing._backend.codec import decode_type
from airflow_datapump.testing._datapump import apply_dependents, common, logfile, remap, staging
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.ddltext import grants_sql, quota_sql, table_sql, user_sql
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._datapump.rowcheck import RowCheck
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import OracleError, message_text, ora_line

SKIP_CONST_ERR = 1


def _table_exists(db: sqlite3.Connection, job: Job, moment: dt.datetime, code: int, *args: str) -> None:
    """ORA-39151/2/3: prefixed and counted as 11.2 logs show, or plain text and not counted
    as a 12c+ log shows (docs/emulator.md, reading TABLE_EXISTS_LINE)."""
    if common.reading(db, "TABLE_EXISTS_LINE") == "PLAIN":
        logfile.write(db, job, moment, message_text(code, *args))
    else:
        logfile.error(db, job, moment, ora_line(code, *args))


def apply(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    first = not any(i["done"] and i["path"] == item["path"] for i in job.plan)
    if first and not _opened_at_start(ctx, job, item):
        logfile.write(ctx.db, job, moment, f"Processing object type {item['path']}")
    if job.operation == "EXPORT":
        if item["kind"] == "TABLE_DATA":
            _data_line(ctx, job, moment, "exported", item, item["row_count"])
        return
    if job.operation == "IMPORT":
        {
            "USER": _user,
            "SYSTEM_GRANT": _user_grants,
            "ROLE_GRANT": _user_grants,
            "TABLESPACE_QUOTA": _user_grants,
            "TABLE": _table,
            "TABLE_DATA": _data,
            "OBJECT_GRANT": _grant,
            "DEFAULT_ROLE": apply_dependents.default_role,
            "PROCACT_SCHEMA": apply_dependents.procact_schema,
            "INDEX": apply_dependents.dependent,
            "CONSTRAINT": apply_dependents.dependent,
            "REF_CONSTRAINT": apply_dependents.dependent,
            "INDEX_STATISTICS": apply_dependents.restore_statistics,
            "TABLE_STATISTICS": apply_dependents.restore_statistics,
            "MARKER": apply_dependents.marker,
        }[item["kind"]](ctx, job, item, moment)


def _opened_at_start(ctx: WorkContext, job: Job, item: dict[str, Any]) -> bool:
    """A 19c export logs TABLE_DATA's object type first, at START_JOB (see ``_start_lines``)."""
    from airflow_datapump.testing._datapump.common import reading  # common imports this module

    if job.operation != "EXPORT" or item["kind"] != "TABLE_DATA":
        return False
    return reading(ctx.db, "LOG_LAYOUT") == "19C"


def _data_line(
    ctx: WorkContext, job: Job, moment: dt.datetime, verb: str, item: dict[str, Any], rows: int,
    rejected: int = 0,
) -> None:  # fmt: skip
    """``N rows``, or ``N out of M rows`` when an import rejected some (docs/emulator.md, [U])."""
    qualified = f'"{item["schema"]}"."{item["name"]}"'
    count = f"{rows:>7} out of {rows + rejected} rows" if rejected else f"{rows:>7} rows"
    if job.is_network and verb == "imported":  # rows come over the link: no unloaded size to show
        logfile.write(ctx.db, job, moment, f". . {verb} {qualified:<48} {count}")
        return
    size = logfile.size_text(int(item.get("size", 0)))
    logfile.write(ctx.db, job, moment, f". . {verb} {qualified:<48} {size:>12} {count}")


def _failed(ctx: WorkContext, job: Job, moment: dt.datetime, what: str, error: str, sql: str) -> None:
    logfile.failed_to_create(ctx.db, job, moment, what, [error], sql)


def _user(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, name, ddl = ctx.db, item["name"], item["ddl"]
    missing = _missing_tablespace(db, ddl.get("default_tablespace"))
    if catalog.user_exists(db, name):
        logfile.error(db, job, moment, ora_line(31684, f'USER:"{name}"'))
    elif not catalog.has_privilege(db, job.owner, "IMP_FULL_DATABASE"):
        _failed(ctx, job, moment, f'USER:"{name}"', ora_line(1031), user_sql(name, ddl))
    elif missing:
        _failed(ctx, job, moment, f'USER:"{name}"', missing, user_sql(name, ddl))
    else:
        db.execute(
            "INSERT INTO users (name, password, default_tablespace, created) VALUES (?, ?, ?, ?)",
            (name, ddl.get("password"), ddl.get("default_tablespace") or "USERS", moment.isoformat()),
        )
        for privilege in ddl.get("privileges", []):
            db.execute("INSERT OR IGNORE INTO sys_privs VALUES (?, ?, 0)", (name, privilege))
        for tablespace, size in ddl.get("quotas", []):
            _quota(ctx, job, moment, name, tablespace, size)


def _user_grants(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    """SYSTEM_GRANT, ROLE_GRANT and TABLESPACE_QUOTA objects: each fails on its own (the user
    missing, a role or tablespace missing) with ORA-39083, as Oracle's DDL for them does."""
    name, kind, ddl = item["name"], item["kind"], item["ddl"]
    if not catalog.user_exists(ctx.db, name):
        error = ora_line(1918 if kind == "TABLESPACE_QUOTA" else 1917, name)
        _failed(ctx, job, moment, f'{kind}:"{name}"', error, grants_sql(name, ddl))
        return
    for privilege in ddl.get("privileges", []):
        if kind == "ROLE_GRANT" and not catalog.role_exists(ctx.db, privilege):
            error = ora_line(1919, privilege)
            _failed(
                ctx, job, moment, f'{kind}:"{name}"', error, grants_sql(name, {"privileges": [privilege]})
            )
            continue
        ctx.db.execute("INSERT OR IGNORE INTO sys_privs VALUES (?, ?, 0)", (name, privilege))
    for tablespace, size in ddl.get("quotas", []):
        _quota(ctx, job, moment, name, tablespace, size)


def _quota(ctx: WorkContext, job: Job, moment: dt.datetime, user: str, tablespace: str, size: int) -> None:
    """A TABLESPACE_QUOTA object: its ALTER USER ... QUOTA fails like any DDL when the
    tablespace is missing (ORA-39083 over ORA-00959), counting as an error, never dropped."""
    missing = _missing_tablespace(ctx.db, tablespace)
    if missing:
        _failed(ctx, job, moment, f'TABLESPACE_QUOTA:"{user}"', missing, quota_sql(user, tablespace, size))
        return
    ctx.db.execute("INSERT OR REPLACE INTO ts_quotas VALUES (?, ?, ?)", (user, tablespace, size))


def _missing_tablespace(db: Any, name: str | None) -> str | None:
    """The ORA-00959 line a CREATE naming a missing tablespace fails with, if it does."""
    if name and storage.contents_of(db, name) is None:
        return ora_line(959, name)
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
            ora_line(1918, schema),
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
            _table_exists(db, job, moment, 39151, qualified, "skip")
            _skipped(job).append([schema, name])
            return
        if action == "APPEND":
            _table_exists(db, job, moment, 39152, qualified, "append")
            job.kept_tables.append([schema, name])
            return
        if action == "TRUNCATE":
            existing = catalog.table(db, schema, name)
            assert existing is not None
            if any(not ref.self_referential() for ref in integrity.references_to(db, existing)):
                # TRUNCATE TABLE refuses a parent of enabled foreign keys (ORA-02266); Data
                # Pump reports it and skips the table's data (docs/emulator.md, Constraints).
                logfile.error(db, job, moment, ora_line(39120, qualified), ora_line(2266))
                _skipped(job).append([schema, name])
                return
            storage.truncated(db, schema, name)
            db.execute("DELETE FROM rows WHERE owner = ? AND table_name = ?", (schema, name))
            _table_exists(db, job, moment, 39153, qualified, "truncate")
            job.kept_tables.append([schema, name])
            return
        catalog.drop_table(db, schema, name)  # REPLACE
    # Keys and checks come later, as the dump's CONSTRAINT and REF_CONSTRAINT objects.
    columns = tuple(_column(db, c) for c in ddl["columns"])
    tablespace = ddl.get("tablespace") or storage.default_tablespace(db, schema)
    catalog.create_table(
        db,
        catalog.TableDef(schema, name, "TABLE", tablespace, columns, ()),
        moment.isoformat(),
    )


def _column(db: Any, column: dict[str, Any]) -> ColumnDef:
    """A column as the dump's table DDL gives it; a disabled NOT NULL constraint keeps its name
    (or gets a SYS_C one here: catalog.create_table names only the enabled ones it is given)."""
    name = column.get("not_null_name")
    if column.get("not_null_disabled") and name is None:
        name = catalog.generated_constraint_name(db)
    return ColumnDef(
        column["name"], decode_type(column["type"]), None, column["not_null"], not_null_name=name
    )


def _data(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, schema, name = ctx.db, item["schema"], item["name"]
    if [schema, name] in _skipped(job):
        return
    qualified = f'"{schema}"."{name}"'
    head = ora_line(31693, qualified)
    target = catalog.table(db, schema, name)
    if target is None:
        logfile.error(db, job, moment, head, ora_line(942))
        return
    positions = {c.name: i for i, c in enumerate(target.columns)}
    missing = [c for c in item["columns"] if c not in positions]
    if missing:
        logfile.error(db, job, moment, head, ora_line(904, f'"{missing[0]}"'))
        return
    skip = bool(int(job.param("DATA_OPTIONS") or 0) & SKIP_CONST_ERR)
    mapping = [positions[c] for c in item["columns"]]
    try:
        remapping = remap.for_table(ctx, job, target)
        loaded, rejected, problem = _load(db, job, target, item["rows_id"], mapping, skip, remapping)
    except OracleError as err:  # no space (quota) or a remap function failed: nothing is loaded
        logfile.error(db, job, moment, head, *err.message.splitlines()[:3])
        return
    if problem and not skip:
        logfile.error(db, job, moment, head, problem)  # all or nothing: nothing was loaded
        return
    _data_line(ctx, job, moment, "imported", item, loaded, rejected if problem else 0)
    if problem:
        logfile.error(db, job, moment, f"{rejected} row(s) were rejected with the following error:", problem)


def _load(
    db: sqlite3.Connection, job: Job, target: catalog.TableDef, rows_id: str, mapping: list[int],
    skip: bool, remapping: remap.RowMap | None = None,
) -> tuple[int, int, str | None]:  # fmt: skip
    """Stream the staged rows into the table: (loaded, rejected, first constraint error).

    Without SKIP_CONSTRAINT_ERRORS one bad row loads nothing, so the load runs in a
    savepoint it can roll back.
    """
    check = RowCheck(db, target)
    space = quotas.SpaceCheck(db, target)
    identity = mapping == list(range(len(target.columns)))
    db.execute("SAVEPOINT load_table")
    texts = staging.staged(db, job, rows_id)
    for text in texts:
        row = json.loads(text)
        if not identity:
            row = _placed(row, mapping, len(target.columns))
            text = json.dumps(row)
        try:
            if remapping is not None:
                row = remapping(row)
                text = json.dumps(row)
            space.add(len(text))
        except OracleError:
            texts.close()
            db.execute("ROLLBACK TO load_table")
            db.execute("RELEASE load_table")
            raise
        bad = check.add(text, row)
        if check.pending >= _BATCH or (bad and not skip):
            check.flush(skip)
        if check.problem and not skip:
            texts.close()
            break
    else:
        check.flush(skip)
    if check.problem and not skip:
        db.execute("ROLLBACK TO load_table")
        db.execute("RELEASE load_table")
        return 0, check.rejected, check.problem
    db.execute("RELEASE load_table")
    return check.loaded, check.rejected, check.problem


def _placed(row: list[Any], mapping: list[int], width: int) -> list[Any]:
    placed: list[Any] = [None] * width
    for value, position in zip(row, mapping, strict=True):
        placed[position] = value
    return placed


_BATCH = 2000


def _grant(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    db, grantee = ctx.db, item["ddl"]["grantee"]
    if grantee != "PUBLIC" and not (catalog.user_exists(db, grantee) or catalog.role_exists(db, grantee)):
        sql = f'GRANT {item["ddl"]["privilege"]} ON "{item["schema"]}"."{item["name"]}" TO "{grantee}"'
        _failed(ctx, job, moment, "OBJECT_GRANT", ora_line(1917, grantee), sql)
        return
    db.execute(
        "INSERT OR IGNORE INTO obj_privs VALUES (?, ?, ?, ?)",
        (item["schema"], item["name"], grantee, item["ddl"]["privilege"]),
    )
