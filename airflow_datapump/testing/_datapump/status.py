"""GET_STATUS and GET_DUMPFILE_INFO: what a client learns about a job and a dump file.

GET_STATUS returns a ku$_Status of the version the caller's OUT variable declares (§2.15,
§4): WIP lines and error lines written since the handle last asked (no replay before the
attach, §2.3), the job description and the job status, each only when the mask asks for
it. A NULL handle returns the error of the session's last failed OPEN or ATTACH.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump import locations, logfile, model, progress, types
from airflow_datapump.testing._datapump.common import LAST_ERROR, error, number, resolve, session_of, work
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import COMPLETED, Handle, Job
from airflow_datapump.testing._dumpfile import DumpFileError, dumpfile_info, expand_name
from airflow_datapump.testing._plsql.errors import ora_line
from airflow_datapump.testing._plsql.packages import CallContext
from airflow_datapump.testing._values import CollectionValue, ObjectType, ObjectValue, Value

DUMPFILE_TYPE_DISK = 0  # ku$_DumpFile.file_type: "0=Disk, 1=Pipe, etc." (KU$_DUMPFILE_TYPE_*)

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend

WIP, JOB_DESC, JOB_STATUS, JOB_ERROR = 1, 2, 4, 8
_ORA = re.compile(r"ORA-(\d{5})")


def _lines(texts: list[str], start: int) -> CollectionValue:
    entries: dict[int | str, Value] = {}
    for index, text in enumerate(texts, 1):
        found = _ORA.search(text[:40])
        entries[index] = ObjectValue(
            types.LOG_LINE,
            {
                "LOGLINENUMBER": Decimal(start + index),
                "ERRORNUMBER": Decimal(found.group(1)) if found else None,
                "LOGTEXT": text[:2000],
            },
        )
    return CollectionValue(types.LOG_ENTRY, entries)


def _object(object_type: ObjectType, **values: Value) -> ObjectValue:
    return ObjectValue(object_type, {name: values.get(name) for name, _ in object_type.attributes})


class Status:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def procedure(self, version: str) -> Any:
        def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
            state, status = self._status(ctx, args, version)
            args["JOB_STATE"], args["STATUS"] = state, status
            return None

        return impl

    def function(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        return self._status(ctx, args, types.NEWEST)[1]

    def _status(self, ctx: CallContext, args: dict[str, Value], version: str) -> tuple[Value, ObjectValue]:
        session = session_of(ctx)
        status_type = types.TYPES[f"KU$_STATUS{version}"]
        assert isinstance(status_type, ObjectType)
        mask = number(args["MASK"]) or 0
        if args["HANDLE"] is None:
            lines = session.state.pop(LAST_ERROR, [])
            assert isinstance(lines, list)
            errors = _lines(lines, 0) if mask & JOB_ERROR and lines else None
            return None, _object(status_type, MASK=Decimal(mask), ERROR=errors)
        self._wait(session, args, mask)
        with work(self.backend, session) as w:
            handle, job = resolve(w, session, args["HANDLE"], "GET_STATUS")
            status = self._build(w, handle, job, mask, version, status_type)
            progress.save(w, job) if model.load(w.db, job.owner, job.name) else None
            return job.state, status

    def _wait(self, session: Any, args: dict[str, Value], mask: int) -> None:
        """With a timeout, let the job run to its next message (manual clock: move it)."""
        timeout = number(args["TIMEOUT"])
        if not timeout or not mask & (WIP | JOB_ERROR):
            return
        with work(self.backend, session) as w:
            _, job = resolve(w, session, args["HANDLE"], "GET_STATUS")
            event = progress.next_event(w, job)
        if event is None or session.database.store.setting("clock_mode") != "manual":
            return
        gap = (event - session.database.now()).total_seconds()
        if timeout > 0:
            gap = min(gap, float(timeout))
        session.database.advance(max(gap, 0.0) + 1e-6)

    def _build(
        self, w: WorkContext, handle: Handle, job: Job, mask: int, version: str, status_type: ObjectType
    ) -> ObjectValue:
        values: dict[str, Value] = {"MASK": Decimal(mask)}
        if mask & WIP:
            new = job.messages[handle.wip_seen :]
            values["WIP"] = _lines(new, handle.wip_seen) if new else None
            handle.wip_seen = len(job.messages)
        if mask & JOB_ERROR:
            new = handle.pending_errors + job.errors[handle.errors_seen :]
            values["ERROR"] = _lines(new, 0) if new else None
            handle.pending_errors, handle.errors_seen = [], len(job.errors)
        if mask & JOB_DESC:
            values["JOB_DESCRIPTION"] = self._description(w, job, version)
        if mask & JOB_STATUS:
            values["JOB_STATUS"] = self._job_status(w, job, version)
        return _object(status_type, **values)

    def _job_status(self, w: WorkContext, job: Job, version: str) -> ObjectValue:
        status_type = types.TYPES[f"KU$_JOBSTATUS{version}"]
        assert isinstance(status_type, ObjectType)
        return _object(
            status_type,
            JOB_NAME=job.name,
            OPERATION=job.operation,
            JOB_MODE=job.mode,
            BYTES_PROCESSED=Decimal(progress.bytes_processed(job)),
            TOTAL_BYTES=Decimal(progress.reported_total(job)),
            PERCENT_DONE=Decimal(progress.percent(job)),
            DEGREE=Decimal(job.degree),
            ERROR_COUNT=Decimal(job.error_count),
            STATE=job.state,
            PHASE=Decimal(job.phase),
            RESTART_COUNT=Decimal(job.restart_count),
            HEARTBEAT=_heartbeat(w, job),
            WORKER_STATUS_LIST=self._workers(job, version),
            FILES=self._files(w, job),
        )

    def _workers(self, job: Job, version: str) -> CollectionValue:
        worker_type = types.TYPES[f"KU$_WORKERSTATUS{version}"]
        list_type = types.TYPES[f"KU$_WORKERSTATUSLIST{version}"]
        assert isinstance(worker_type, ObjectType)
        assert not isinstance(list_type, ObjectType)
        current = next((i for i in job.plan if not i["done"]), None)
        workers: dict[int | str, Value] = {}
        for n in range(1, job.degree + 1):
            busy = n == 1 and current is not None and job.state == "EXECUTING"
            workers[n] = _object(
                worker_type,
                WORKER_NUMBER=Decimal(n),
                PROCESS_NAME=f"DW{n - 1:02d}",
                STATE="EXECUTING" if busy else "WORK WAITING",
                SCHEMA=current["schema"] if busy and current else None,
                NAME=current["name"] if busy and current else None,
                OBJECT_TYPE=current["kind"] if busy and current else None,
                COMPLETED_OBJECTS=Decimal(sum(1 for i in job.plan if i["done"])) if n == 1 else Decimal(0),
                TOTAL_OBJECTS=Decimal(len(job.plan)) if n == 1 else Decimal(0),
                PERCENT_DONE=Decimal(progress.percent(job)) if n == 1 else Decimal(0),
                DEGREE=Decimal(job.degree),
            )
        return CollectionValue(list_type, workers)  # type: ignore[arg-type]

    def _files(self, w: WorkContext, job: Job) -> CollectionValue:
        """The dump file set (ku$_DumpFileSet, "Dump file info"): one entry per dump file, its
        fully-qualified name and its device type (0 = disk, KU$_DUMPFILE_TYPE_DISK; an export's
        URI member shows its URI with KU$_DUMPFILE_TYPE_URIDISK, 4), as the type's definition
        documents; log and SQL files are not dump files and are not listed."""
        entries: dict[int | str, Value] = {}
        # Every written member carries its shown name and device (unload's entry sets both).
        names = [(str(f["shown"]), int(f["size"]), int(f["device"])) for f in job.written]
        if not names and job.operation != "EXPORT" and job.dump_files:
            from airflow_datapump.testing._datapump.plan_import import dump_paths

            names = [(str(p), p.stat().st_size, DUMPFILE_TYPE_DISK) for p in dump_paths(w, job) if p.exists()]
        if not names:  # nothing written yet: the files as added, none of them holding bytes
            for spec in job.files:
                if spec["type"] not in (model.FILE_DUMP, model.FILE_URI):
                    continue
                folder, name = locations.file_place(w, spec)
                name = expand_name(name, 1) if "%" in name else name
                names.append((str(folder / name), 0, DUMPFILE_TYPE_DISK))
        for path, size, device in names:
            entries[len(entries) + 1] = _object(
                types.DUMP_FILE,
                FILE_NAME=path,
                FILE_TYPE=Decimal(device),
                FILE_SIZE=Decimal(size),
                FILE_BYTES_WRITTEN=Decimal(size),
            )
        return CollectionValue(types.DUMP_FILE_SET, entries)

    def _description(self, w: WorkContext, job: Job, version: str) -> ObjectValue:
        desc_type = types.TYPES[f"KU$_STATUS{version}"].attribute("JOB_DESCRIPTION")  # type: ignore[union-attr]
        assert isinstance(desc_type, ObjectType)
        log = logfile.log_path(w.db, job)
        params: dict[int | str, Value] = {}
        for name, values in sorted(job.params.items()):
            if name == "ENCRYPTION_PASSWORD":
                continue  # never shown
            for value in values:
                numeric = isinstance(value, int)
                params[len(params) + 1] = _object(
                    types.PARAM_VALUE,
                    PARAM_NAME=name,
                    PARAM_OP="SET",
                    PARAM_TYPE="NUMBER" if numeric else "VARCHAR2",
                    PARAM_LENGTH=Decimal(len(str(value))),
                    PARAM_VALUE_N=Decimal(value) if numeric else None,
                    PARAM_VALUE_T=None if numeric else str(value),
                )
        start = dt.datetime.fromisoformat(job.start_time) if job.start_time else None
        return _object(
            desc_type,
            JOB_NAME=job.name,
            GUID=bytes.fromhex(job.guid),
            OPERATION=job.operation,
            JOB_MODE=job.mode,
            REMOTE_LINK=job.remote_link,
            OWNER=job.owner,
            INSTANCE="ORCLCDB",
            DB_VERSION=w.database.version,
            CREATOR_PRIVS="EXP_FULL_DATABASE"
            if catalog.has_privilege(w.db, job.owner, "EXP_FULL_DATABASE")
            else "NONE",
            START_TIME=start,
            MAX_DEGREE=Decimal(job.degree),
            LOG_FILE=None if log is None else str(log),
            SQL_FILE=next((s["name"] for s in job.files if s["type"] == model.FILE_SQL), None),
            PARAMS=CollectionValue(types.PARAM_VALUES, params),
            PLATFORM="Linux x86 64-bit",
            GLOBAL_NAME=w.database.service,
            SCN=Decimal(job.scn) if job.scn else None,
            JOB_VERSION=w.database.version,
            CHARSET="AL32UTF8",
            NCHARSET="AL16UTF16",
            ENDIANNESS="LITTLE",
            TERM_REASON=Decimal(job.term_reason)
            if job.term_reason and job.state in (COMPLETED, "STOPPED")
            else None,
        )

    def dumpfile_info(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """GET_DUMPFILE_INFO: the header items of a file, with no job needed (§2.17)."""
        session = session_of(ctx)
        name, directory = str(args["FILENAME"] or ""), str(args["DIRECTORY"] or "")
        with session.database.store.read() as db:
            found = catalog.directory(db, directory)
            allowed = found is not None and catalog.directory_access(db, session.user, directory, "READ")
        if found is None or not allowed or "/" in name:
            raise error(
                39211,
                "GET_DUMPFILE_INFO",
                [ora_line(39087, directory)],
                session=session,
            )
        try:
            filetype, items = dumpfile_info(Path(found.path) / name)
        except DumpFileError as bad:
            raise error(39211, "GET_DUMPFILE_INFO", list(bad.lines), session=session) from None
        entries: dict[int | str, Value] = {
            i: _object(types.DUMPFILE_ITEM, ITEM_CODE=Decimal(code), VALUE=value)
            for i, (code, value) in enumerate(items, 1)
        }
        args["INFO_TABLE"] = CollectionValue(types.DUMPFILE_INFO, entries)
        args["FILETYPE"] = Decimal(filetype)
        return None


def _heartbeat(w: WorkContext, job: Job) -> Value:
    """Seconds since the job started; NULL when no master process runs. What Oracle counts is
    not published [U]: a reader can only rely on it growing while the job runs."""
    if job.start_time is None or job.state not in (model.EXECUTING, model.STOP_PENDING):
        return None
    return Decimal(int((w.now - dt.datetime.fromisoformat(job.start_time)).total_seconds()))
