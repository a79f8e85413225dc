"""Following a job with DBMS_DATAPUMP.GET_STATUS, as the PL/SQL Packages reference describes.

The mask asks for work-in-progress lines, errors and the job status; the loop ends on the
job state (never on percent done, which the reference says covers data only), then the
client detaches. This version copies the ku$_Status attributes it needs into scalar binds
inside the block, the reference's portable path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import oracledb

KU_STATUS_WIP = 1
KU_STATUS_JOB_STATUS = 4
KU_STATUS_JOB_ERROR = 8
MASK = KU_STATUS_WIP + KU_STATUS_JOB_STATUS + KU_STATUS_JOB_ERROR
FINAL_STATES = ("COMPLETED", "STOPPED", "NOT RUNNING")
LINE_BREAK = "\n"

GET_STATUS = """
declare
  l_status ku$_Status1020;
  l_state  varchar2(30);
  procedure put(p_entry in ku$_LogEntry, p_out in out varchar2) is
  begin
    if p_entry is not null then
      for i in 1 .. p_entry.count loop
        p_out := p_out || nvl(to_char(p_entry(i).errorNumber), '-') || '|'
                       || p_entry(i).LogText || chr(10);
      end loop;
    end if;
  end;
begin
  dbms_datapump.get_status(:handle, :mask, :timeout, l_state, l_status);
  :state := l_state;
  if l_status.job_status is not null then
    :percent_done := l_status.job_status.percent_done;
    :job_state := l_status.job_status.state;
  end if;
  put(l_status.wip, :wip);
  put(l_status.error, :errors);
end;
"""


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


def _lines(text: str | None) -> list[LogLine]:
    lines = []
    for row in (text or "").split(LINE_BREAK):
        if row:
            number, _, line = row.partition("|")
            lines.append(LogLine(None if number == "-" else int(number), line))
    return lines


def poll(
    cursor: oracledb.Cursor, handle: int, progress: Progress, *, timeout: int = 5, mask: int = MASK
) -> bool:
    """One GET_STATUS call; adds what it returned to ``progress``; True once the job has ended."""
    outs = {
        "state": cursor.var(str, 30),
        "percent_done": cursor.var(int),
        "job_state": cursor.var(str, 30),
        "wip": cursor.var(str, 32767),
        "errors": cursor.var(str, 32767),
    }
    cursor.execute(GET_STATUS, handle=handle, mask=mask, timeout=timeout, **outs)
    progress.state = outs["state"].getvalue() or progress.state
    if (percent := outs["percent_done"].getvalue()) is not None:
        progress.percent_done.append(int(percent))
    progress.wip += _lines(outs["wip"].getvalue())
    progress.errors += _lines(outs["errors"].getvalue())
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
