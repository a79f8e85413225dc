"""What an import or SQL_FILE job does, decided when the job starts.

A file-based import reads the dump file set (through :mod:`..._dumpfile`), staging its rows
for the job (:mod:`.staging`); a network import reads the source database across the job's
link as an export would (reference §8). Filters
select by the objects' names in the source; remaps then rename them (§2.6) and transforms
adjust their DDL (§2.7).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump import locations, plan_export, secrets, staging
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._datapump.selection import Candidate, accepts
from airflow_datapump.testing._dumpfile import DumpFileError, expand_templates, read_dump_set
from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line


class PlanError(Exception):
    """A start-time failure: the API call raises ``code`` with these Data Pump lines."""

    def __init__(self, code: int, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else str(code))
        self.code = code
        self.lines = lines


def dump_paths(ctx: WorkContext, job: Job) -> list[Path]:
    paths: list[Path] = []
    for spec in job.dump_files:
        folder, name = locations.file_place(ctx, spec)  # a directory, or the object store
        paths.extend(expand_templates(folder, [name]))
    return paths


def source_items(ctx: WorkContext, job: Job) -> list[dict[str, Any]]:
    if job.is_network:
        return plan_export.build(ctx, job)
    wanted = job.operation == "IMPORT" and _include_rows(job)

    def stage(index: int, texts: Iterator[str]) -> None:
        staging.stage(ctx.db, job, str(index), texts)

    try:
        contents = read_dump_set(
            dump_paths(ctx, job),
            password=secrets.reveal(job),
            db_version=ctx.database.version,
            rows=stage if wanted else None,
        )
    except DumpFileError as error:
        raise PlanError(error.code, list(error.lines)) from None
    items = [copy.deepcopy(obj) for obj in contents.objects]
    for index, item in enumerate(items):
        if "row_count" in item:
            item["rows_id"] = str(index)
    return [i for i in items if accepts(ctx, job.metadata_filters, _candidate(i))]


def _candidate(item: dict[str, Any]) -> Candidate:
    ddl = item.get("ddl") or {}
    own = ddl.get("index") or ddl.get("constraint")  # an index's or a constraint's own name
    return Candidate(item["kind"], item["schema"], item["name"], _tablespace(item), own)


def build(ctx: WorkContext, job: Job) -> list[dict[str, Any]]:
    items = source_items(ctx, job)
    include_rows = _include_rows(job)
    if any(f["name"] == "SUBQUERY" for f in job.data_filters) and not job.is_network:
        raise PlanError(39002, [ora_line(39002), "SUBQUERY data filters on a file import are not emulated"])
    planned = []
    for item in items:
        if item["kind"] == "TABLE_DATA" and not include_rows:
            continue
        item["done"] = False
        planned.append(_remap(job, item))
    targets = {i["schema"] for i in planned}
    if any(t != job.owner for t in targets) and not catalog.has_privilege(
        ctx.db, job.owner, "IMP_FULL_DATABASE"
    ):
        raise ora(31631)
    return planned


USER_OBJECTS = ("USER", "SYSTEM_GRANT", "ROLE_GRANT", "DEFAULT_ROLE", "TABLESPACE_QUOTA", "PROCACT_SCHEMA")


def _include_rows(job: Job) -> bool:
    return all(
        int(f["value"]) != 0 for f in job.data_filters if f["name"] == "INCLUDE_ROWS" and f["table"] is None
    )


def _tablespace(item: dict[str, Any]) -> str | None:
    ddl = item.get("ddl") or {}
    return ddl.get("tablespace") if item["kind"] == "TABLE" else None


def _remapped(job: Job, kind: str, old: str) -> str:
    for remap in job.remaps:
        if remap["name"] == kind and remap["old_value"] == old:
            return str(remap["value"])
    return old


def _remap(job: Job, item: dict[str, Any]) -> dict[str, Any]:
    source_schema = item["schema"]
    item["source_schema"], item["source_name"] = source_schema, item["name"]
    item["schema"] = _remapped(job, "REMAP_SCHEMA", source_schema)
    if item["kind"] in USER_OBJECTS:
        item["name"] = item["schema"]
        ddl = item.setdefault("ddl", {})
        if item["kind"] == "USER":
            ddl["default_tablespace"] = _remapped(
                job, "REMAP_TABLESPACE", ddl.get("default_tablespace") or "USERS"
            )
        # TABLESPACE_QUOTA objects name tablespaces: their DDL is remapped too.
        ddl["quotas"] = [[_remapped(job, "REMAP_TABLESPACE", ts), size] for ts, size in ddl.get("quotas", [])]
        return item
    qualified = _remapped(job, "REMAP_TABLE", f"{source_schema}.{item['name']}")
    item["name"] = (
        _remapped(job, "REMAP_TABLE", item["name"])
        if qualified == f"{source_schema}.{item['name']}"
        else qualified
    )
    if item["kind"] in ("INDEX", "CONSTRAINT", "REF_CONSTRAINT", "INDEX_STATISTICS"):
        _remap_dependent(job, item["ddl"])
    if item["kind"] == "TABLE":
        ddl = item["ddl"]
        if ddl.get("tablespace"):
            ddl["tablespace"] = _remapped(job, "REMAP_TABLESPACE", ddl["tablespace"])
        if _turned_off(job, "SEGMENT_ATTRIBUTES"):
            # the target's default tablespace and storage apply (§2.7)
            ddl["tablespace"] = ddl["segment_creation"] = ddl["storage"] = None
        elif _turned_off(job, "STORAGE"):
            ddl["storage"] = None
    return item


def _remap_dependent(job: Job, ddl: dict[str, Any]) -> None:
    """An index's owner, a key index's tablespace and a foreign key's parent follow the remaps."""
    if "index_schema" in ddl:
        ddl["index_schema"] = _remapped(job, "REMAP_SCHEMA", ddl["index_schema"])
    if ddl.get("tablespace"):
        ddl["tablespace"] = _remapped(job, "REMAP_TABLESPACE", ddl["tablespace"])
        if _turned_off(job, "SEGMENT_ATTRIBUTES"):
            ddl["tablespace"] = None  # the owner's default tablespace applies (§2.7)
    if ddl.get("references"):
        schema, parent, columns = ddl["references"]
        ddl["references"] = [
            _remapped(job, "REMAP_SCHEMA", schema),
            _remapped(job, "REMAP_TABLE", parent),
            columns,
        ]


def _turned_off(job: Job, transform: str) -> bool:
    """METADATA_TRANSFORM(h, transform, 0) given for every object type or for tables."""
    return any(
        t["name"] == transform
        and int(t["value"]) == 0
        and (t.get("object_type") or "TABLE").upper() == "TABLE"
        for t in job.transforms
    )


__all__ = ["OracleError", "PlanError", "build", "dump_paths"]
