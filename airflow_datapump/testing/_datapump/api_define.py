"""OPEN and the calls that define a job before it starts (reference §2.1-§2.10).

Values are checked when the call is made, as Oracle does (§11.6), and the definition calls
work only while the job is DEFINING (ORA-39004 after), except SET_PARALLEL and ADD_FILE for
an export's dump files (§1).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump import common, locations, logfile, model, rules
from airflow_datapump.testing._datapump.api_options import Options
from airflow_datapump.testing._datapump.common import (
    Failer,
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
from airflow_datapump.testing._plsql.errors import ora_line
from airflow_datapump.testing._plsql.packages import CallContext
from airflow_datapump.testing._values import Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend

_VERSION = re.compile(r"\d+(\.\d+){0,4}\Z")
_SUBSTITUTION = re.compile(r"%(.?)", re.DOTALL)


class Define(Options):
    """OPEN and ADD_FILE: the calls that create a job and give it files; the rest of the
    definition calls come from :class:`Options`."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def open(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        operation, mode = str(args["OPERATION"] or "").upper(), str(args["JOB_MODE"] or "").upper()
        if operation not in rules.OPERATIONS:
            raise error(
                39001,
                "OPEN",
                [ora_line(39001), ora_line(39019, operation)],
                session=session,
            )
        if not mode and operation == "EXPORT":
            detail = ora_line(31665)
            raise error(39001, "OPEN", [detail], session=session)
        if mode not in rules.MODES:
            # A defaulted import mode is not emulated: Oracle derives it, and the emulator
            # refuses rather than guess how (docs/emulator.md).
            raise error(39001, "OPEN", [f"Invalid job mode: {mode or 'NULL'}"], session=session)
        version = str(args["VERSION"] or "COMPATIBLE").upper()
        if version not in ("COMPATIBLE", "LATEST") and not _VERSION.match(version):
            raise error(39001, "OPEN", [f"Invalid version: {version}"], session=session)
        if _VERSION.match(version) and tuple(int(p) for p in version.split(".")[:2]) < (9, 2):
            raise error(39001, "OPEN", [ora_line(39023, version)], session=session)  # before 9.2
        with work(self.backend, session) as w:
            if mode == "FULL" and not catalog.has_privilege(
                w.db, session.user, "EXP_FULL_DATABASE" if operation == "EXPORT" else "IMP_FULL_DATABASE"
            ):
                raise error(31631, "OPEN", [ora_line(39161)], session=session)
            link = args["REMOTE_LINK"]
            if link is not None and not _link_exists(w.db, session.user, str(link).upper()):
                raise error(
                    39001,
                    "OPEN",
                    [ora_line(2019)],
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
                    ora_line(31633, sess.user, name),
                    ora_line(955),
                ],
                session=sess,
            )
        if not catalog.has_privilege(db, sess.user, "CREATE TABLE"):
            raise error(
                31631,
                "OPEN",
                [
                    ora_line(31633, sess.user, name),
                    ora_line(1031),
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
            # A running export takes more dump files (§2.1); a URI one too [U: not documented].
            running_export = (
                job.operation == "EXPORT"
                and job.state in (EXECUTING, IDLING)
                and kind in (model.FILE_DUMP, model.FILE_URI)
            )
            if job.state != DEFINING and not running_export:
                raise fail(39004)
            name, directory = args["FILENAME"], args["DIRECTORY"]
            if name is None:
                raise fail(39001, ora_line(39144))
            if kind != model.FILE_URI and ("/" in str(name) or "\\" in str(name)):
                raise fail(39001, ora_line(39088))
            if directory is None:
                raise fail(39001, ora_line(39145))
            if kind == model.FILE_URI:
                refused = locations.uri_refusal(w, str(directory), str(name))
                if refused:
                    raise fail(39001, *refused)
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
                # opened (and overwritten) when added, or at START_JOB: see docs/emulator.md
                try:
                    logfile.create(w.db, job, defining=job.state == model.DEFINING)
                except OSError:
                    raise fail(39002, *logfile.CANNOT_OPEN) from None
            model.save(w.db, job)
        return None

    def _check_file(
        self, w: WorkContext, session: object, job: Job, spec: dict[str, Any], fail: Failer
    ) -> None:
        sess = session_of_any(session)
        kind, name, directory = spec["type"], str(spec["name"]), str(spec["directory"])
        read_only = kind == model.FILE_DUMP and job.operation != "EXPORT"
        privilege = "READ" if read_only else "WRITE"
        if kind != model.FILE_URI and not (
            catalog.directory(w.db, directory) is not None
            and catalog.directory_access(w.db, sess.user, directory, privilege)
        ):
            raise fail(39001, ora_line(39087, directory))
        if kind not in (model.FILE_DUMP, model.FILE_URI):
            if _SUBSTITUTION.search(name):
                raise fail(39001, ora_line(39124, name))
            return
        if job.is_network and job.operation != "EXPORT":
            raise fail(39002, "Dump files cannot be added to a network import")
        if job.param("ESTIMATE_ONLY") == 1:
            raise fail(39002, "Dump files cannot be added to an ESTIMATE_ONLY job")
        base = name.rsplit("/", 1)[-1] if kind == model.FILE_URI else name  # the object's name
        if any(v.upper() not in ("U", "L") for v in _SUBSTITUTION.findall(base)):
            raise fail(39001, ora_line(39124, name))
        try:
            parse_filesize(spec["filesize"])
        except DumpFileError as bad:
            raise fail(39001, *bad.lines) from None
        if reading(w.db, "FILE_CHECKS") == "ADD_FILE":
            check_dump_file(w, job, spec, fail)


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
    folder, name = locations.file_place(w, spec)
    first = folder / (expand_name(name, 1) if _SUBSTITUTION.search(name) else name)
    if job.operation == "EXPORT":
        if first.exists() and spec["reuse"] != 1:
            raise fail(
                39001,
                ora_line(39000),
                ora_line(31641, first),
                ora_line(27038),
            )
        return
    try:
        read_member(first)
    except DumpFileError as bad:
        raise fail(39001, *bad.lines) from None
