"""The definition calls that shape a job's content: METADATA_FILTER, DATA_FILTER,
METADATA_REMAP, METADATA_TRANSFORM, SET_PARAMETER and SET_PARALLEL (reference §2.5-§2.10).

Apart from OPEN and ADD_FILE (``api_define``) because these only check a value against the
rules table and record it on the job; none of them creates anything. Values are checked when
the call is made, as Oracle does (§11.6).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from airflow_datapump.testing._datapump import model, remap, rules, secrets
from airflow_datapump.testing._datapump.common import (
    Failer,
    Impl,
    WorkContext,
    error,
    number,
    reading,
    remaps_unprivileged,
    resolve,
    session_of,
    work,
)
from airflow_datapump.testing._datapump.model import DEFINING, EXECUTING, IDLING, Job
from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.packages import CallContext
from airflow_datapump.testing._values import LobValue, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend


class Options:
    """The calls that record a job's filters, remaps, transforms and parameters."""

    backend: Backend

    def metadata_filter(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "METADATA_FILTER")
            fail = Failer("METADATA_FILTER", session, handle)
            name, value = str(args["NAME"] or "").upper(), _text(args["VALUE"])
            path = args["OBJECT_PATH"] if args["OBJECT_PATH"] is not None else args["OBJECT_TYPE"]
            if job.state != DEFINING:
                raise fail(39004)
            if name not in rules.METADATA_FILTERS:
                raise fail(39001, ora_line(39036, name))
            if value is None:
                raise fail(39001, f"A value must be given for filter {name}")
            if name in rules.PATH_FILTERS and path is not None:
                raise fail(39001, f"The object_path argument is not allowed with filter {name}")
            if name in ("EXCLUDE_TABLES", "VIEWS_AS_TABLES"):
                raise fail(39002, f"Filter {name} is not emulated")
            try:
                w.matches("X", value, is_list=name.endswith("_LIST"))
            except OracleError as bad:
                raise fail(39001, *bad.lines) from None
            if name in rules.PATH_FILTERS and not _names_an_object_path(w, job, value, name):
                raise fail(39001, ora_line(39041, name))
            job.metadata_filters.append(
                {"name": name, "value": value, "object_path": None if path is None else str(path).upper()}
            )
            model.save(w.db, job)
        return None

    def data_filter(self, value_type: str) -> Impl:
        def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
            session = session_of(ctx)
            with work(self.backend, session) as w:
                handle, job = resolve(w, session, args["HANDLE"], "DATA_FILTER")
                fail = Failer("DATA_FILTER", session, handle)
                name = str(args["NAME"] or "").upper()
                table, schema = args["TABLE_NAME"], args["SCHEMA_NAME"]
                if job.state != DEFINING:
                    raise fail(39004)
                if name not in rules.DATA_FILTERS:
                    raise fail(39001, f"Invalid data filter name: {name}")
                if rules.DATA_FILTERS[name] != value_type:
                    raise fail(39005, f"Data filter {name} takes a {rules.DATA_FILTERS[name]} value")
                if schema is not None and table is None:
                    raise fail(39001, "schema_name requires table_name")
                if job.mode == "TRANSPORTABLE":
                    raise fail(39002, "Data filters are not supported for transportable jobs")
                value = args["VALUE"]
                _check_data_filter(job, name, value, fail)
                entry = {
                    "name": name,
                    "value": _text(value) if value_type == "TEXT" else float(_text(value) or 0),
                    "table": table,
                    "schema": schema,
                }
                if any(
                    (f["name"], f["table"], f["schema"]) == (name, table, schema) for f in job.data_filters
                ):
                    raise fail(39001, ora_line(39035, name))
                job.data_filters.append(entry)
                model.save(w.db, job)
            return None

        return impl

    def metadata_remap(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "METADATA_REMAP")
            fail = Failer("METADATA_REMAP", session, handle)
            name, old, new = str(args["NAME"] or "").upper(), args["OLD_VALUE"], args["VALUE"]
            if job.state != DEFINING:
                raise fail(39004)
            if job.operation == "EXPORT":
                raise fail(39002, "Remaps are valid for IMPORT and SQL_FILE jobs only")
            if name not in rules.REMAPS:
                raise fail(39001, ora_line(39045, name))
            if old is None or new is None:
                raise fail(39001, "old_value and value must be given")
            if any(r["name"] == name and r["old_value"] == old for r in job.remaps):
                raise fail(39001, ora_line(39046, name))
            if reading(w.db, "REMAP_PRIVILEGES") == "METADATA_REMAP" and remaps_unprivileged(
                w.db, session.user, name, str(new)
            ):
                raise fail(31631)
            job.remaps.append(
                {"name": name, "old_value": str(old), "value": str(new), "object_type": args["OBJECT_TYPE"]}
            )
            model.save(w.db, job)
        return None

    def data_remap(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """Record a COLUMN_FUNCTION remap; the function must exist now, taking one value and
        returning one (its types are checked against the column when the rows move)."""
        session = session_of(ctx)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "DATA_REMAP")
            fail = Failer("DATA_REMAP", session, handle)
            name = str(args["NAME"] or "").upper()
            table, column, function = (
                _text(args["TABLE_NAME"]),
                _text(args["COLUMN"]),
                _text(args["FUNCTION"]),
            )
            schema = str(args["SCHEMA"]) if args["SCHEMA"] is not None else job.owner
            if job.state != DEFINING:
                raise fail(39004)
            if name != "COLUMN_FUNCTION":
                raise fail(39001, f"Invalid remap name: {name}")
            if job.operation == "SQL_FILE":
                raise fail(39002, "Data remaps are valid for EXPORT and IMPORT jobs only")
            if table is None or column is None:
                raise fail(39001, "table_name, column and function must be given")
            key = (schema, table)
            if sum((r["schema"], r["table"]) == key for r in job.data_remaps) >= 10:
                raise fail(39001, "At most 10 columns of one table can be remapped")
            if function is None or not remap.function_exists(ctx.runtime, function):
                raise fail(39001, ora_line(39232, function))
            job.data_remaps.append({"schema": schema, "table": table, "column": column, "function": function})
            model.save(w.db, job)
        return None

    def metadata_transform(self, value_type: str) -> Impl:
        def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
            session = session_of(ctx)
            with work(self.backend, session) as w:
                handle, job = resolve(w, session, args["HANDLE"], "METADATA_TRANSFORM")
                fail = Failer("METADATA_TRANSFORM", session, handle)
                name, value = str(args["NAME"] or "").upper(), args["VALUE"]
                if job.state != DEFINING:
                    raise fail(39004)
                if job.operation == "EXPORT":
                    raise fail(39002, "Transforms are valid for IMPORT and SQL_FILE jobs only")
                if job.mode == "TRANSPORTABLE":
                    raise fail(39002, ora_line(39205))
                if name not in rules.TRANSFORMS:
                    raise fail(39001, ora_line(39042, name))
                kind, allowed = rules.TRANSFORMS[name]
                if kind != value_type:
                    raise fail(39005, f"Transform {name} takes a {kind} value")
                text = _text(value)
                if allowed is not None and (text or "").upper() not in allowed:
                    raise fail(39001, ora_line(39207, text, name))
                job.transforms.append({"name": name, "value": text, "object_type": args["OBJECT_TYPE"]})
                model.save(w.db, job)
            return None

        return impl

    def set_parameter(self, value_type: str) -> Impl:
        def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
            session = session_of(ctx)
            with work(self.backend, session) as w:
                handle, job = resolve(w, session, args["HANDLE"], "SET_PARAMETER")
                fail = Failer("SET_PARAMETER", session, handle)
                name, value = str(args["NAME"] or "").upper(), args["VALUE"]
                if job.state != DEFINING:
                    raise fail(39004)
                if name not in rules.PARAMETERS:
                    raise fail(39001, f"Invalid parameter name: {name}")
                kind, operations, allowed = rules.PARAMETERS[name]
                if kind != value_type:
                    raise fail(39005, f"Parameter {name} takes a {kind} value")
                if not rules.applies(operations, job.operation, job.is_network):
                    raise fail(39002, ora_line(39208, name, job.operation))
                self._store_parameter(w, job, name, value, allowed, fail)
                model.save(w.db, job)
            return None

        return impl

    def _store_parameter(
        self,
        w: WorkContext,
        job: Job,
        name: str,
        value: Value,
        allowed: tuple[str, ...] | None,
        fail: Failer,
    ) -> None:
        text = _text(value)
        if text is None:
            raise fail(39001, f"A value must be given for parameter {name}")
        if allowed is not None and text.upper() not in allowed:
            raise fail(39001, ora_line(39207, text, name))
        if name == "DATA_OPTIONS" and int(text) & ~rules.DATA_OPTION_BITS:
            raise fail(39001, ora_line(39207, text, name))
        other = {"FLASHBACK_SCN": "FLASHBACK_TIME", "FLASHBACK_TIME": "FLASHBACK_SCN"}.get(name)
        if other and job.param(other) is not None:
            raise fail(39005, ora_line(39050, name, other))
        if name == "FLASHBACK_TIME":
            try:
                w.query(f"SELECT {text} FROM DUAL")
            except OracleError as bad:
                raise fail(39001, *bad.lines) from None
        if name == "ENCRYPTION_PASSWORD":
            secrets.keep(job, text)
            return
        stored: object = (
            int(text)
            if value is not None and not isinstance(value, str)
            else text.upper()
            if allowed
            else text
        )
        if name == "TABLESPACE_DATAFILE":
            job.params.setdefault(name, []).append(stored)
        else:
            job.params[name] = [stored]

    def set_parallel(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "SET_PARALLEL")
            degree = number(args["DEGREE"])
            if job.state not in (DEFINING, IDLING, EXECUTING):
                raise error(39004, "SET_PARALLEL", session=session, handle=handle)
            if degree is None or degree < 1:
                raise error(
                    39001,
                    "SET_PARALLEL",
                    [f"Invalid degree of parallelism: {degree}"],
                    session=session,
                    handle=handle,
                )
            job.degree = degree
            model.save(w.db, job)
        return None


def _check_data_filter(job: Job, name: str, value: Value, fail: Failer) -> None:
    if name == "INCLUDE_ROWS" and _text(value) not in ("0", "1"):
        raise fail(39001, ora_line(39207, _text(value), "INCLUDE_ROWS"))
    if name == "SAMPLE":
        if job.operation != "EXPORT":
            raise fail(39002, "SAMPLE is valid for export jobs only")
        if value is None or not 0 < float(_text(value) or 0) <= 100:
            raise fail(39001, ora_line(39207, _text(value), "SAMPLE"))
    if name == "PARTITION_EXPR" and job.is_network:
        raise fail(39002, "PARTITION_EXPR is not supported over a network link")


def _text(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, LobValue):
        return value.data if isinstance(value.data, str) else value.data.decode()
    return str(value)


# The view whose OBJECT_PATH values a mode's path filters are checked against (Utilities guide,
# EXCLUDE: DATABASE_ for full mode, SCHEMA_ for schema mode, TABLE_ for table and tablespace).
_PATH_VIEWS = {"FULL": "DATABASE_EXPORT_OBJECTS", "SCHEMA": "SCHEMA_EXPORT_OBJECTS"}
_PATH_VIEWS |= {"TABLE": "TABLE_EXPORT_OBJECTS", "TABLESPACE": "TABLE_EXPORT_OBJECTS"}


def _names_an_object_path(w: WorkContext, job: Job, value: str, name: str) -> bool:
    """ORA-39041: a path filter that identifies no object type of the job's mode (a misspelled
    ``STATISTIC``) is refused. The emulator lists only part of Oracle's paths, so it refuses only
    filters matching none of them; one matching every path is not refused here (docs/emulator.md)."""
    view = _PATH_VIEWS.get(job.mode)
    if view is None:
        return True  # transportable jobs: no documented view to check against
    return w.matches_any(view, "OBJECT_PATH", value, is_list=name.endswith("_LIST"))
