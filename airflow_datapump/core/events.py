"""The one event a trigger yields and the summary a task pushes to XCom, as plain JSON.

Resuming after a deferral runs in a fresh process, so everything ``execute_complete`` needs
travels in the event: the job reference, how it ended, its error lines and where its log
was read up to.
"""

from __future__ import annotations

import re
from typing import Any

from airflow_datapump.core.status import Verdict
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import JobResult

_STATUS = {Verdict.SUCCEEDED: "success", Verdict.FAILED: "failed", Verdict.STOPPED: "stopped"}
_ROWS = re.compile(r'\. \. (?:exported|imported) "([^"]+)"\."([^"]+)"\s+([\d.]+ [KMG]B)\s+(\d+) rows')
MAX_ERROR_LINES = 100


def event_from_result(job: JobRef, result: JobResult) -> dict[str, Any]:
    outcome = result.outcome
    return {
        "status": _STATUS.get(result.verdict, "failed"),
        "job": job.to_dict(),
        "state": result.status.state.value,
        "outcome": outcome.outcome.value,
        "error_count": outcome.error_count,
        "error_lines": list(result.error_lines)[:MAX_ERROR_LINES],
        "final_line": outcome.line,
        "log_position": result.status.log_position,
        "rows": rows_moved(result.log_lines),
        "bytes": result.bytes_processed,
    }


def rows_moved(lines: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Rows per table from the ``. . exported/imported`` lines of a log."""
    return {f"{m.group(1)}.{m.group(2)}": int(m.group(4)) for line in lines if (m := _ROWS.search(line))}


def summary(event: dict[str, Any], *, started: str | None, finished: str | None) -> dict[str, Any]:
    """What a Data Pump task returns (and so pushes to XCom): small, JSON, no secrets."""
    job = event["job"]
    return {
        "job_name": job["job_name"],
        "owner": job["owner"],
        "operation": job["operation"],
        "state": event.get("state"),
        "outcome": event.get("outcome"),
        "dump_directory": job["dump_directory"],
        "dump_files": job["dump_files"],
        "log_directory": job.get("log_directory"),
        "log_file": job.get("log_file"),
        "error_count": event.get("error_count", 0),
        "error_lines": event.get("error_lines", []),
        "rows": event.get("rows", {}),
        "bytes": event.get("bytes"),
        "started": started,
        "finished": finished,
    }
