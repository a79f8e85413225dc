"""Import of the objects that follow a user or a table: DEFAULT_ROLE, PROCACT_SCHEMA, and a
table's INDEX, CONSTRAINT and REF_CONSTRAINT objects, created after its rows are loaded.

Each is its own statement and fails on its own as Oracle logs it: ORA-39083 naming the
object (``REF_CONSTRAINT:"S"."FK"``), the statement's errors, then the failing statement;
the job goes on and completes with errors. A table that was not created here (skipped,
failed, or kept by TABLE_EXISTS_ACTION APPEND or TRUNCATE) has its dependents skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow_datapump.testing._backend import catalog, constraints, statistics, storage
from airflow_datapump.testing._datapump import logfile
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.ddltext import (
    constraint_sql,
    default_role_sql,
    index_sql,
    procact_schema_sql,
    ref_constraint_sql,
)
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line


def default_role(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    """Every role the user holds is a default role in the emulator: nothing to change."""
    name = item["name"]
    if not catalog.user_exists(ctx.db, name):
        error = ora_line(1918, name)
        logfile.failed_to_create(
            ctx.db, job, moment, f'DEFAULT_ROLE:"{name}"', [error], default_role_sql(name)
        )


def procact_schema(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    """Replication's instantiation SCN is not modelled; the block needs its schema to exist."""
    name = item["name"]
    if not catalog.user_exists(ctx.db, name):
        errors = [
            ora_line(31625, name),
            ora_line(1435),
        ]
        sql = procact_schema_sql(item["ddl"].get("database", ""), int(item["ddl"].get("scn", 0)))
        logfile.failed_to_create(ctx.db, job, moment, "PROCACT_SCHEMA", errors, sql)


def dependent(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    """An INDEX, CONSTRAINT or REF_CONSTRAINT: created after the rows so that a key or foreign
    key is validated against them, failing on its own as Oracle's ALTER TABLE would."""
    schema, table, ddl, kind = item["schema"], item["name"], item["ddl"], item["kind"]
    if [schema, table] in job.skipped or [schema, table] in job.kept_tables:
        return
    if kind == "INDEX":
        what, sql = f'INDEX:"{ddl["index_schema"]}"."{ddl["index"]}"', index_sql(schema, table, ddl)
    else:
        render = constraint_sql if kind == "CONSTRAINT" else ref_constraint_sql
        what, sql = f'{kind}:"{schema}"."{ddl["constraint"]}"', render(schema, table, ddl)
    try:
        _create(ctx, schema, table, kind, ddl)
    except OracleError as error:
        logfile.failed_to_create(ctx.db, job, moment, what, error.message.splitlines()[:2], sql)


def restore_statistics(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    """Statistics are restored for a table this job created and for indexes that exist."""
    schema, table, ddl = item["schema"], item["name"], item["ddl"]
    if [schema, table] in job.skipped or [schema, table] in job.kept_tables:
        return
    if item["kind"] == "TABLE_STATISTICS":
        if catalog.table(ctx.db, schema, table) is not None:
            statistics.store(ctx.db, schema, table, "TABLE", ddl["stats"])
        return
    definition = catalog.table(ctx.db, schema, table)
    if definition is not None and any(
        (owner, name) == (ddl["index_schema"], ddl["index"])
        for owner, name, _ in statistics.indexes(ctx.db, definition)
    ):
        statistics.store(ctx.db, ddl["index_schema"], ddl["index"], "INDEX", ddl["stats"])


def marker(ctx: WorkContext, job: Job, item: dict[str, Any], moment: dt.datetime) -> None:
    """The end of the statistics: nothing to create."""


def _create(ctx: WorkContext, schema: str, table: str, kind: str, ddl: dict[str, Any]) -> None:
    db = ctx.db
    if kind == "INDEX":
        if catalog.table(db, schema, table) is None:
            raise ora(942)
        owner = ddl["index_schema"]
        tablespace = ddl.get("tablespace") or storage.default_tablespace(db, owner)
        storage.require(db, tablespace)
        unique = bool(ddl.get("unique"))
        index = catalog.IndexDef(
            owner, ddl["index"], schema, table, tuple(ddl["columns"]), tablespace, unique
        )
        if unique:
            constraints.add_unique_index(db, index)
        else:
            catalog.create_index(db, index)
        return
    # The dump's DDL names the constraint under "constraint" and leaves a REF_CONSTRAINT's kind out.
    constraint = catalog.decode_constraint(
        {**ddl, "name": ddl["constraint"], "kind": ddl.get("kind", "FOREIGN KEY")}
    )
    constraints.add(db, schema, table, constraint, validate=constraint.validated)


__all__ = ["default_role", "dependent", "marker", "procact_schema", "restore_statistics"]
