"""Starting, stopping, attaching to and waiting for jobs (reference §2.3, §2.11-§2.16, §5)."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import TYPE_CHECKING, Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump import logfile, model, plan_export, plan_import, progress, unload
from airflow_datapump.testing._datapump.common import (
    Decimal,
    Failer,
    drop_handle,
    error,
    new_handle,
    number,
    reading,
    remaps_unprivileged,
    resolve,
    session_of,
    work,
)
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import (
    COMPLETED,
    DEFINING,
    EXECUTING,
    IDLING,
    STOP_PENDING,
    STOPPED,
    Job,
)
from airflow_datapump.testing._dumpfile import DumpFileError
from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.packages import CallContext
from airflow_datapump.testing._values import Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend
    from airflow_datapump.testing._backend.session import Session


class Control:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def start_job(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "START_JOB")
            fail = Failer("START_JOB", session, handle)
            if job.state not in (DEFINING, IDLING):
                raise fail(39004)
            if number(args["ABORT_STEP"]):
                raise fail(39001, "abort_step is for Oracle's testing only and must be 0")
            if job.owner != session.user:
                raise fail(31631)
            if job.state == DEFINING and _remap_refused_at_start(w, job):
                raise fail(31631)
            if job.state == IDLING:
                _restart(w, job, bool(number(args["SKIP_CURRENT"])))
            else:
                self._first_start(w, job, fail)
            progress.save(w, job)
        return None

    def _first_start(self, w: WorkContext, job: Job, fail: Failer) -> None:
        needs_files = not (job.is_network and job.operation != "EXPORT") and job.param("ESTIMATE_ONLY") != 1
        if needs_files and not job.dump_files:
            raise fail(39004, "No dump file was added to the job")
        if job.operation == "SQL_FILE" and not any(f["type"] == model.FILE_SQL for f in job.files):
            raise fail(39004, "No SQL file was added to the SQL_FILE job")
        if reading(w.db, "FILE_CHECKS") == "START_JOB":
            from airflow_datapump.testing._datapump.api_define import check_dump_file

            for spec in job.dump_files:
                check_dump_file(w, job, spec, fail)
        action, data_only = job.param("TABLE_EXISTS_ACTION"), job.param("INCLUDE_METADATA") == 0
        if data_only and action in ("SKIP", "REPLACE"):
            raise fail(
                39002,
                ora_line(39137, action),
            )
        try:
            logfile.open_held(w.db, job)
            logfile.start(w.db, job, w.now)
        except OSError:
            raise fail(39002, *logfile.CANNOT_OPEN) from None
        try:
            job.plan = plan_export.build(w, job) if job.operation == "EXPORT" else plan_import.build(w, job)
        except plan_import.PlanError as bad:
            raise fail(bad.code if bad.code in (39001, 39002) else 39001, *bad.lines) from None
        except OracleError as bad:
            raise fail(bad.code if bad.code == 31631 else 39002, *bad.lines) from None
        if job.operation == "EXPORT":
            job.plan = plan_export.unload_order(job.plan, reading(w.db, "LOG_LAYOUT"))
        if data_only:
            job.plan = [i for i in job.plan if i["kind"] == "TABLE_DATA"]
        if job.operation == "SQL_FILE":
            job.plan = [i for i in job.plan if i["kind"] != "TABLE_DATA"]  # it writes DDL only
        _open_dump_files(w, job, fail)
        job.fault = _take_job_fault(w)
        job.total_bytes = progress.reported_total(job)
        job.state, job.phase, job.creator_sid = EXECUTING, 1, None
        job.start_time = job.running_since = w.now.isoformat()
        job.scn = job.param("FLASHBACK_SCN") or w.database.current_scn()
        _start_lines(w, job)
        progress.tick(w, job)

    def stop_job(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            _, job = resolve(w, session, args["HANDLE"], "STOP_JOB")
            number_ = number(args["HANDLE"]) or 0
            keep = number(args["KEEP_MASTER"])
            if job.state in (DEFINING, COMPLETED, model.COMPLETING):
                drop_handle(w, session, number_, job)  # behaves like DETACH (§2.12)
                return None
            keep_master = keep != 0 if keep is not None else job.mode != "TRANSPORTABLE"
            if job.state == IDLING and reading(w.db, "STOP_IDLING") == "DETACHES":
                drop_handle(w, session, number_, job)  # §2.12: behaves like DETACH
                return None
            if job.state == IDLING:
                job.state = STOPPED
                drop_handle(w, session, number_, job)
                if not keep_master:
                    unload.killed(w, job)  # its unfinished dump files, by the reading
                model.remove(w.db, job) if not keep_master else model.save(w.db, job)
                return None
            job.stop_requested = {"immediate": bool(number(args["IMMEDIATE"])), "keep_master": keep_master}
            if job.stop_requested["immediate"]:
                progress.stop(w, job, w.now)
            else:
                job.state = STOP_PENDING
                progress.tick(w, job)
            drop_handle(w, session, number_, None)
            if model.load(w.db, job.owner, job.name) is not None:
                model.save(w.db, job)
        return None

    def attach(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        owner = str(args["JOB_OWNER"] or session.user)
        with work(self.backend, session) as w:
            job = self._find(w, session, owner, args["JOB_NAME"])
            if owner != session.user and not (
                catalog.has_privilege(w.db, session.user, "EXP_FULL_DATABASE")
                or catalog.has_privilege(w.db, session.user, "IMP_FULL_DATABASE")
            ):
                raise error(31631, "ATTACH", session=session)
            if (
                owner != session.user
                and job.state == STOPPED
                and reading(w.db, "OTHER_OWNER_STOPPED") == "REFUSED"
            ):
                raise error(31631, "ATTACH", session=session)  # "unless it is already running"
            if reading(w.db, "SECOND_ATTACH") == "REFUSED" and any(
                h.owner == job.owner and h.name == job.name for h in model.handles(session.state).values()
            ):
                raise error(39002, "ATTACH", ["This session is already attached to the job"], session=session)
            if job.state == STOPPED:
                job.state = IDLING  # attaching restarts the master process (§2.3)
            model.save(w.db, job)
            return Decimal(new_handle(w, session, job))

    def _find(self, w: WorkContext, session: Session, owner: str, name: Value) -> Job:
        if name is None:
            jobs = [j for j in model.load_all(w.db) if j.owner == owner]
            if len(jobs) != 1:
                raise error(31626, "ATTACH", session=session)
            job = jobs[0]
        else:
            found = model.load(w.db, owner, str(name))
            if found is None:
                raise error(31626, "ATTACH", session=session)
            job = found
        if job.state == DEFINING and job.creator_sid != session.sid:
            raise error(31626, "ATTACH", session=session)  # only its creator sees a DEFINING job
        kept = job.state == COMPLETED and job.param("KEEP_MASTER") == 1
        if kept and reading(w.db, "KEPT_COMPLETED") == "NO_SUCH_JOB":
            raise error(31626, "ATTACH", session=session)  # completed, as §2.3 says of any
        return job

    def detach(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            _, job = resolve(w, session, args["HANDLE"], "DETACH")
            drop_handle(w, session, number(args["HANDLE"]) or 0, job)
        return None

    def wait_for_job(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """Block until the job completes or stops, moving the manual clock as needed (§2.14)."""
        session = session_of(ctx)
        while True:
            with work(self.backend, session) as w:
                _, job = resolve(w, session, args["HANDLE"], "WAIT_FOR_JOB")
                if job.state in (COMPLETED, STOPPED):
                    args["JOB_STATE"] = job.state
                    drop_handle(w, session, number(args["HANDLE"]) or 0, job)
                    return None
                event = progress.next_event(w, job)
            _wait_until(session, event)

    def log_entry(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        session = session_of(ctx)
        with work(self.backend, session) as w:
            _, job = resolve(w, session, args["HANDLE"], "LOG_ENTRY")
            message = str(args["MESSAGE"] or "")
            logfile.write(w.db, job, w.now, message, file_only=bool(number(args["LOG_FILE_ONLY"])))
            model.save(w.db, job)
        return None

    def not_emulated(self, name: str) -> Any:
        def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
            raise error(39002, name, [f"DBMS_DATAPUMP.{name} is not emulated"], session=session_of(ctx))

        return impl


def _restart(w: WorkContext, job: Job, skip_current: bool) -> None:
    if skip_current and job.operation == "IMPORT":
        pending = [i for i in job.plan if not i["done"]]
        if pending:
            pending[0]["done"] = True  # skip the object that stopped the job (§2.11)
    job.restart_count += 1
    job.state, job.stop_requested = EXECUTING, None
    job.running_since = w.now.isoformat()
    logfile.start(w.db, job, w.now)


def _open_dump_files(w: WorkContext, job: Job, fail: Failer) -> None:
    """An export creates its first dump files as it starts (unload.py): one that exists now
    (made since ADD_FILE looked) is refused with the ADD_FILE check's lines."""
    if not unload.writes_dump(job):
        return
    try:
        unload.begin(w, job, w.now)
    except DumpFileError as bad:
        raise fail(39001, *(line for line in bad.lines if not line.startswith("ORA-39001"))) from None


def _start_lines(w: WorkContext, job: Job) -> None:
    """The estimate phase: exports and network imports estimate the data they will move; a job
    without data (INCLUDE_ROWS=0 for the whole job) skips it. An ESTIMATE_ONLY job logs one
    ".  estimated" line per table and then does nothing else (Utilities guide, ESTIMATE_ONLY).
    Under the 19C reading of LOG_LAYOUT an export writes the estimate only when ESTIMATE or
    ESTIMATE_ONLY asks for it, and opens with TABLE_DATA's line (its rows come last)."""
    moves_data = job.operation == "EXPORT" or job.is_network
    no_rows = any(
        f["name"] == "INCLUDE_ROWS" and f["table"] is None and not int(f["value"]) for f in job.data_filters
    )
    if not moves_data or no_rows:
        return
    data = [i for i in job.plan if i["kind"] == "TABLE_DATA"]
    layout_19c = job.operation == "EXPORT" and reading(w.db, "LOG_LAYOUT") == "19C"
    if layout_19c and job.param("ESTIMATE") is None and job.param("ESTIMATE_ONLY") != 1:
        if data:
            logfile.write(w.db, job, w.now, f"Processing object type {data[0]['path']}")
        return
    method = job.param("ESTIMATE") or "BLOCKS"
    logfile.write(w.db, job, w.now, f"Estimate in progress using {method} method...")
    if data and (layout_19c or job.param("ESTIMATE_ONLY") == 1):
        logfile.write(w.db, job, w.now, f"Processing object type {data[0]['path']}")
    if job.param("ESTIMATE_ONLY") == 1:
        for item in data:
            qualified = (
                f'"{item["source_schema"] if "source_schema" in item else item["schema"]}"."{item["name"]}"'
            )
            size = logfile.size_text(int(item["bytes"])).replace(".000 ", " ")
            logfile.write(w.db, job, w.now, f".  estimated {qualified:<48} {size:>12}")
        job.plan = []  # nothing is unloaded
    total = job.total_bytes // 1024
    logfile.write(w.db, job, w.now, f"Total estimation using {method} method: {total} KB")


def _take_job_fault(w: WorkContext) -> dict[str, Any] | None:
    row = w.db.execute("SELECT value FROM settings WHERE key = 'job_faults'").fetchone()
    pending = json.loads(row[0] if row else "[]")
    if not pending:
        return None
    fault = pending.pop(0)
    w.db.execute("INSERT OR REPLACE INTO settings VALUES ('job_faults', ?)", (json.dumps(pending),))
    return dict(fault)


def _wait_until(session: Session, event: dt.datetime | None) -> None:
    database = session.database
    if database.store.setting("clock_mode") == "manual":
        if event is None:
            raise error(
                39004, "WAIT_FOR_JOB", ["The job cannot progress: its work rate is zero"], session=session
            )
        gap = (event - database.now()).total_seconds()
        database.advance(max(gap, 0.0) + 1e-6)
    else:
        time.sleep(0.05)


def _remap_refused_at_start(w: WorkContext, job: Job) -> bool:
    """Under the START_JOB reading of REMAP_PRIVILEGES, START_JOB refuses what METADATA_REMAP let by."""
    if reading(w.db, "REMAP_PRIVILEGES") != "START_JOB":
        return False
    return any(remaps_unprivileged(w.db, job.owner, r["name"], r["value"]) for r in job.remaps)
