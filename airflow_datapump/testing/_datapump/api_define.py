"""OPEN and the calls that define a job before it starts (reference §2.1-§2.10).

Values are checked when the call is made, as Oracle does (§11.6), and the definition calls
work only while the job is DEFINING (ORA-39004 after), except SET_PARALLEL and ADD_FILE for
an export's dump files (§1).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump import common, logfile, model, rules, secrets
from airflow_datapump.testing._datapump.common import (
    Failer,
    Impl,
    Session,
    WorkContext,
    error,
    number,
    reading,
    resolve,
    session_of,
    work,
)
from airflow_datapump.testing._datapump.model import DEFINING, EXECUTING, IDLING, Job
from airflow_datapump.testing._dumpfile import (
    DumpFileError,
    expand_name,
    new_guid,
    parse_filesize,
    read_member,
)
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import CallContext
from airflow_datapump.testing._values import LobValue, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend

_VERSION = re.compile(r"\d+(\.\d+){0,4}\Z")
_SUBSTITUTION = re.compile(r"%(.?)", re.DOTALL)


class Define:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def open(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        operation, mode = str(args["OPERATION"] or "").upper(), str(args["JOB_MODE"] or "").upper()
        if operation not in rules.OPERATIONS:
            raise error(
                39001,
                "OPEN",
                ["ORA-39001: invalid argument value", f"ORA-39019: invalid operation type {operation}"],
                session=session,
            )
        if not mode and operation == "EXPORT":
            detail = "ORA-31665: mode can only be defaulted for IMPORT and SQL_FILE operations"
            raise error(39001, "OPEN", [detail], session=session)
        if mode not in rules.MODES:
            # A defaulted import mode is not emulated: Oracle derives it, and the emulator
            # refuses rather than guess how (docs/emulator.md).
            raise error(39001, "OPEN", [f"Invalid job mode: {mode or 'NULL'}"], session=session)
        version = str(args["VERSION"] or "COMPATIBLE").upper()
        if version not in ("COMPATIBLE", "LATEST") and not _VERSION.match(version):
            raise error(39001, "OPEN", [f"Invalid version: {version}"], session=session)
        with work(self.backend, session) as w:
            if mode == "FULL" and not catalog.has_privilege(
                w.db, session.user, "EXP_FULL_DATABASE" if operation == "EXPORT" else "IMP_FULL_DATABASE"
            ):
                raise error(
                    31631, "OPEN", ["ORA-39161: Full database jobs require privileges"], session=session
                )
            link = args["REMOTE_LINK"]
            if link is not None and not _link_exists(w.db, session.user, str(link).upper()):
                raise error(
                    39001,
                    "OPEN",
                    ["ORA-02019: connection description for remote database not found"],
                    session=session,
                )
            name = self._job_name(w.db, session, args["JOB_NAME"], operation, mode)
            job = Job(
                session.user,
                name,
                operation,
                mode,
                None if link is None else str(link).upper(),
                version,
                new_guid(),
                creator_sid=session.sid,
            )
            model.create_master_table(w.db, job, w.now.isoformat())
            model.save(w.db, job)
            # Counted for tests: two jobs run one after the other under one name look like one.
            w.database.store.bump("jobs_opened")
            return Decimal(common.new_handle(w, session, job))

    def _job_name(self, db: object, session: object, given: Value, operation: str, mode: str) -> str:
        import sqlite3

        assert isinstance(db, sqlite3.Connection)
        sess = session_of_any(session)
        if given is None:
            for n in range(1, 100):
                candidate = f"SYS_{operation}_{mode}_{n:02d}"
                if catalog.table(db, sess.user, candidate) is None:
                    return candidate
            raise error(31626, "OPEN", session=sess)  # 99 leftovers (reference §1, [P])
        name = str(given)
        if len(name.encode()) > 128:
            raise error(39001, "OPEN", [f"Job name is longer than 128 bytes: {name[:40]}..."], session=sess)
        if model.load(db, sess.user, name) is not None:
            raise error(31634, "OPEN", session=sess)
        if catalog.table(db, sess.user, name) is not None:
            raise error(
                31634,
                "OPEN",
                [
                    f'ORA-31633: unable to create master table "{sess.user}.{name}"',
                    "ORA-00955: name is already used by an existing object",
                ],
                session=sess,
            )
        if not catalog.has_privilege(db, sess.user, "CREATE TABLE"):
            raise error(
                31631,
                "OPEN",
                [
                    f'ORA-31633: unable to create master table "{sess.user}.{name}"',
                    "ORA-01031: insufficient privileges",
                ],
                session=sess,
            )
        return name

    # -- files ------------------------------------------------------------------------------

    def add_file(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "ADD_FILE")
            kind = number(args["FILETYPE"]) or model.FILE_DUMP
            fail = Failer("ADD_FILE", session, handle)
            if kind not in (1, 2, 3, 4, 5):
                raise fail(39001, f"Invalid file type: {kind}")
            if kind == model.FILE_URI:
                raise fail(
                    39002, "Dump files in object storage (KU$_FILE_TYPE_URIDUMP_FILE) are not emulated"
                )
            running_export = (
                job.operation == "EXPORT" and job.state in (EXECUTING, IDLING) and kind == model.FILE_DUMP
            )
            if job.state != DEFINING and not running_export:
                raise fail(39004)
            name, directory = args["FILENAME"], args["DIRECTORY"]
            if name is None:
                raise fail(39001, "ORA-39144: file name parameter must be specified and non-null")
            if "/" in str(name) or "\\" in str(name):
                raise fail(39001, "ORA-39088: file name cannot contain a path specification")
            if directory is None:
                raise fail(39001, "ORA-39145: directory object parameter must be specified and non-null")
            spec = {
                "name": str(name),
                "directory": str(directory),
                "filesize": args["FILESIZE"],
                "reuse": number(args["REUSEFILE"]),
                "type": kind,
            }
            self._check_file(w, session, job, spec, fail)
            job.files.append(spec)
            if kind == model.FILE_LOG:
                logfile.create(w.db, job)  # opened (and overwritten) when added, see docs/emulator.md
            model.save(w.db, job)
        return None

    def _check_file(
        self, w: WorkContext, session: object, job: Job, spec: dict[str, Any], fail: Failer
    ) -> None:
        sess = session_of_any(session)
        kind, name, directory = spec["type"], str(spec["name"]), str(spec["directory"])
        read_only = kind == model.FILE_DUMP and job.operation != "EXPORT"
        found = catalog.directory(w.db, directory)
        privilege = "READ" if read_only else "WRITE"
        if found is None or not catalog.directory_access(w.db, sess.user, directory, privilege):
            raise fail(39001, f"ORA-39087: directory name {directory} is invalid")
        if kind != model.FILE_DUMP:
            if _SUBSTITUTION.search(name):
                raise fail(39001, f'ORA-39124: invalid substitution variable in file name "{name}"')
            return
        if job.is_network and job.operation != "EXPORT":
            raise fail(39002, "Dump files cannot be added to a network import")
        if job.param("ESTIMATE_ONLY") == 1:
            raise fail(39002, "Dump files cannot be added to an ESTIMATE_ONLY job")
        if any(v.upper() not in ("U", "L") for v in _SUBSTITUTION.findall(name)):
            raise fail(39001, f'ORA-39124: invalid substitution variable in file name "{name}"')
        try:
            parse_filesize(spec["filesize"])
        except DumpFileError as bad:
            raise fail(39001, *bad.lines) from None
        if reading(w.db, "FILE_CHECKS") == "ADD_FILE":
            check_dump_file(w, job, spec, fail)

    # -- filters, remaps, transforms, parameters --------------------------------------------

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
                raise fail(39001, f"ORA-39036: invalid metadata filter name {name}")
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
                    raise fail(39001, f"ORA-39035: Data filter {name} has already been specified.")
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
                raise fail(39001, f"ORA-39045: invalid metadata remap name {name}")
            if old is None or new is None:
                raise fail(39001, "old_value and value must be given")
            if any(r["name"] == name and r["old_value"] == old for r in job.remaps):
                raise fail(39001, f"ORA-39046: Metadata remap {name} has already been specified.")
            if (
                name == "REMAP_SCHEMA"
                and str(new) != session.user
                and not catalog.has_privilege(w.db, session.user, "IMP_FULL_DATABASE")
            ):
                raise fail(31631)
            job.remaps.append(
                {"name": name, "old_value": str(old), "value": str(new), "object_type": args["OBJECT_TYPE"]}
            )
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
                    raise fail(39002, "ORA-39205: Transforms are not supported in transportable jobs.")
                if name not in rules.TRANSFORMS:
                    raise fail(39001, f"ORA-39042: invalid transform name {name}")
                kind, allowed = rules.TRANSFORMS[name]
                if kind != value_type:
                    raise fail(39005, f"Transform {name} takes a {kind} value")
                text = _text(value)
                if allowed is not None and (text or "").upper() not in allowed:
                    raise fail(39001, f"ORA-39207: Value {text} for parameter {name} is invalid.")
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
                    raise fail(39002, f"ORA-39208: Parameter {name} is invalid for {job.operation} jobs.")
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
            raise fail(39001, f"ORA-39207: Value {text} for parameter {name} is invalid.")
        if name == "DATA_OPTIONS" and int(text) & ~rules.DATA_OPTION_BITS:
            raise fail(39001, f"ORA-39207: Value {text} for parameter {name} is invalid.")
        other = {"FLASHBACK_SCN": "FLASHBACK_TIME", "FLASHBACK_TIME": "FLASHBACK_SCN"}.get(name)
        if other and job.param(other) is not None:
            raise fail(39005, f"ORA-39050: parameter {name} is incompatible with parameter {other}")
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
        raise fail(39001, f"ORA-39207: Value {_text(value)} for parameter INCLUDE_ROWS is invalid.")
    if name == "SAMPLE":
        if job.operation != "EXPORT":
            raise fail(39002, "SAMPLE is valid for export jobs only")
        if value is None or not 0 < float(_text(value) or 0) <= 100:
            raise fail(39001, f"ORA-39207: Value {_text(value)} for parameter SAMPLE is invalid.")
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


def _link_exists(db: object, user: str, link: str) -> bool:
    import sqlite3

    assert isinstance(db, sqlite3.Connection)
    row = db.execute(
        "SELECT 1 FROM db_links WHERE name = ? AND owner IN (?, 'PUBLIC')", (link, user)
    ).fetchone()
    return row is not None


def session_of_any(session: object) -> Session:
    assert isinstance(session, Session)
    return session


def check_dump_file(w: WorkContext, job: Job, spec: dict[str, Any], fail: Failer) -> None:
    """An export's dump file must not exist (unless reused); an import's must be a dump file.
    ADD_FILE or START_JOB checks it, by the FILE_CHECKS reading."""
    found = catalog.directory(w.db, str(spec["directory"]))
    assert found is not None  # ADD_FILE checked the directory
    name = str(spec["name"])
    first = Path(found.path) / (expand_name(name, 1) if _SUBSTITUTION.search(name) else name)
    if job.operation == "EXPORT":
        if first.exists() and spec["reuse"] != 1:
            raise fail(
                39001,
                "ORA-39000: bad dump file specification",
                f'ORA-31641: unable to create dump file "{first}"',
                "ORA-27038: created file already exists",
            )
        return
    try:
        read_member(first)
    except DumpFileError as bad:
        raise fail(39001, *bad.lines) from None
