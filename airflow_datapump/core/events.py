"""The one event a trigger yields and the summary a task pushes to XCom, as plain JSON.

Resuming after a deferral runs in a fresh process, so everything ``execute_complete`` needs
travels in the event: the job reference, how it ended, its error lines and where its log
was read up to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from airflow_datapump.core.status import JobStatus, LogOutcome, Verdict
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import JobResult, kept_error_lines

_STATUS = {Verdict.SUCCEEDED: "success", Verdict.FAILED: "failed", Verdict.STOPPED: "stopped"}
# A table's or partition's line: ``. . exported "HR"."EMP"  8.125 KB  107 rows``, with
# ``:"PART"`` after a partition's table, no size where nothing was unloaded (network import), and
# ``107 out of 110 rows`` where an import skipped rows (DATA_OPTIONS=SKIP_CONSTRAINT_ERRORS; the
# form is unconfirmed, docs/emulator.md): the first figure is what was loaded.
_ROWS = re.compile(
    r'\. \. (?:exported|imported) "([^"]+)"\."([^"]+)"(?::"([^"]+)")?(?:\s+([\d.]+) ([KMGT])B)?'
    r"\s+(\d+)(?: out of \d+)? rows"
)
_UNIT = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def event_from_result(job: JobRef, result: JobResult) -> dict[str, Any]:
    """The event of a job a wait saw end."""
    return finished_event(
        job,
        status=_STATUS.get(result.verdict, "failed"),
        state=result.status.state.value,
        outcome=result.outcome,
        lines=result.log_lines,
        log_position=result.status.log_position,
    )


def finished_event(
    job: JobRef,
    *,
    status: str,
    state: str,
    outcome: LogOutcome,
    lines: tuple[str, ...] | list[str],
    log_position: int,
) -> dict[str, Any]:
    """The event of a job that ended, its errors, rows and bytes read from its log ``lines``:
    the same whether a wait saw it end or a retry found it already completed."""
    return {
        "status": status,
        "job": job.to_dict(),
        "state": state,
        "outcome": outcome.outcome.value,
        "error_count": outcome.error_count,
        "error_lines": kept_error_lines(lines),  # every code, however many lines repeat one
        "final_line": outcome.line,
        "log_position": log_position,
        "rows": rows_moved(lines),
        "bytes": bytes_moved(lines),
    }


def rows_moved(lines: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Rows per table from the ``. . exported/imported`` lines of a log, its partitions summed:
    the rows written or loaded, not counting rows an import rejected."""
    rows: dict[str, int] = {}
    for (schema, table, _), (_, count) in _table_lines(lines).items():
        rows[f"{schema}.{table}"] = rows.get(f"{schema}.{table}", 0) + count
    return rows


def bytes_moved(lines: tuple[str, ...] | list[str]) -> int | None:
    """The data bytes the ``. . exported/imported`` lines of a log report, to the precision
    they print (three decimals of a KB, MB ...); None when no line has a size.

    This alone is a summary's ``bytes``, so that runs compare: a status's bytes_processed
    counts something else, only a running job's status carries it (its last poll is from
    before the end, and a job that ends before the first poll has none), so a fallback to it
    would give one task's runs different measures by timing. A job without a log file, a
    network import and a metadata-only job report None.
    """
    sizes = [size for size, _ in _table_lines(lines).values() if size is not None]
    return round(sum(sizes)) if sizes else None


def _table_lines(lines: tuple[str, ...] | list[str]) -> dict[tuple[str, str, str], tuple[float | None, int]]:
    """Size and rows per table or partition; a line printed again (a restarted job) replaces
    the earlier one."""
    found: dict[tuple[str, str, str], tuple[float | None, int]] = {}
    for line in lines:
        if (m := _ROWS.search(line)) is not None:
            size = float(m.group(4)) * _UNIT[m.group(5)] if m.group(4) else None
            found[(m.group(1), m.group(2), m.group(3) or "")] = (size, int(m.group(6)))
    return found


def unseen(lines: tuple[str, ...] | list[str], start: int, shown: int) -> list[str]:
    """The lines of a log chunk read from byte ``start`` that end after byte ``shown``.

    A trigger rebuilt after a triggerer restart reads the log from where its kwargs say, which
    may be before what its previous incarnation already showed: those lines are not shown
    twice, yet they still count for the outcome, rows and errors.
    """
    if start >= shown:
        return list(lines)
    fresh, end = [], start
    for line in lines:
        end += len(line.encode()) + 1
        if end > shown:
            fresh.append(line)
    return fresh


@dataclass
class ProgressNotes:
    """A progress line only when the state or the percentage changed, not on every poll."""

    last: tuple[str, int | None, str | None] | None = None

    def note(self, status: JobStatus) -> str | None:
        """With the object a worker is on, when the status names one: for a job without a log
        file (NOLOGFILE=YES) these lines are all the task log has of its progress."""
        work = _work(status)
        key = (status.state.value, status.percent_done, work)
        if status.percent_done is None or key == self.last:
            return None
        self.last = key
        line = f"Job {status.owner}.{status.job_name}: {status.state.value}, {status.percent_done}% done"
        return f"{line}, {work}" if work else line


def _work(status: JobStatus) -> str | None:
    for worker in status.workers:
        if worker.object_type and worker.name:
            where = f"{worker.schema}.{worker.name}" if worker.schema else worker.name
            return f"{worker.object_type} {where}"
    return None


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
