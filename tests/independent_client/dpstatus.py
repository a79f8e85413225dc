"""Following a job with DBMS_DATAPUMP.GET_STATUS, as the PL/SQL Packages reference describes.

The mask asks for work-in-progress lines, errors and the job status; the loop ends on the
job state (never on percent done, which the reference says covers data only), then the
client detaches. The status arrives through an OUT bind of the ku$_Status1020 object type
and is read as python-oracledb DbObjects: JOB_STATUS.PERCENT_DONE and STATE, and the WIP and
ERROR log entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import oracledb

KU_STATUS_WIP = 1
KU_STATUS_JOB_STATUS = 4
KU_STATUS_JOB_ERROR = 8
MASK = KU_STATUS_WIP + KU_STATUS_JOB_STATUS + KU_STATUS_JOB_ERROR
FINAL_STATES = ("COMPLETED", "STOPPED", "NOT RUNNING")

GET_STATUS = """
begin
  dbms_datapump.get_status(:handle, :mask, :timeout, :job_state, :status);
end;
"""
STATUS_TYPE = "SYS.KU$_STATUS1020"


@dataclass
class LogLine:
    """One ku$_LogLine: ``number`` is the ORA error number, None for an informational line."""

    number: int | None
    text: str


@dataclass
class Progress:
    """What the status calls told the client, in the order they told it."""

    state: str = "UNDEFINED"
    percent_done: list[int] = field(default_factory=list)
    wip: list[LogLine] = field(default_factory=list)
    errors: list[LogLine] = field(default_factory=list)


def _lines(entry: oracledb.DbObject | None) -> list[LogLine]:
    """A ku$_LogEntry (a table of ku$_LogLine) as LogLines; NULL when nothing was asked or said."""
    if entry is None:
        return []
    return [
        LogLine(None if line.ERRORNUMBER is None else int(line.ERRORNUMBER), str(line.LOGTEXT or ""))
        for line in entry.aslist()
    ]


def poll(
    cursor: oracledb.Cursor, handle: int, progress: Progress, *, timeout: int = 5, mask: int = MASK
) -> bool:
    """One GET_STATUS call; adds what it returned to ``progress``; True once the job has ended.

    The status comes back as a ku$_Status1020 object: the procedure overload is picked by
    the type of the OUT bind, so naming the version keeps the attribute list fixed.
    """
    status = cursor.var(cursor.connection.gettype(STATUS_TYPE))
    job_state = cursor.var(str, 30)
    cursor.execute(GET_STATUS, handle=handle, mask=mask, timeout=timeout, job_state=job_state, status=status)
    progress.state = job_state.getvalue() or progress.state
    found = status.getvalue()
    if found is None:
        return progress.state in FINAL_STATES
    if found.JOB_STATUS is not None:
        if found.JOB_STATUS.PERCENT_DONE is not None:
            progress.percent_done.append(int(found.JOB_STATUS.PERCENT_DONE))
        progress.state = found.JOB_STATUS.STATE or progress.state
    progress.wip += _lines(found.WIP)
    progress.errors += _lines(found.ERROR)
    return progress.state in FINAL_STATES


def follow(cursor: oracledb.Cursor, handle: int, *, max_polls: int = 500) -> Progress:
    """Poll until the job ends; a job still running after ``max_polls`` calls is an error."""
    progress = Progress()
    for _ in range(max_polls):
        if poll(cursor, handle, progress):
            return progress
    raise RuntimeError(f"job still {progress.state} after {max_polls} status calls")


def errors_after_failed_call(cursor: oracledb.Cursor, handle: int) -> list[LogLine]:
    """The reference's advice when a definition call raises: GET_STATUS(handle, JOB_ERROR, 0)."""
    progress = Progress()
    poll(cursor, handle, progress, timeout=0, mask=KU_STATUS_JOB_ERROR)
    return progress.errors
