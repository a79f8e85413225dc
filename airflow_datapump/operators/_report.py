"""How a task ends once its job has: the rest of the job's log, then success or failure.

The event (from the trigger, the sync wait, or a previous try's finished job) already says
how the job ended; what is decided here is whether that is a success for this task (an error
count passes only when every code is in ``allowed_errors``) and which log lines the task log
has not had yet. Kept apart from the operator, whose part is finding and waiting for the job.
"""

from __future__ import annotations

import re
from typing import Any

from airflow_datapump.core import cloud
from airflow_datapump.core.status import disallowed_codes, error_codes
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatapumpError, JobFailedError
from airflow_datapump.hooks.datapump import DatapumpHook


def show_rest_of_log(log: Any, job: JobRef, hook: DatapumpHook, shown: int, tail_lines: int | None) -> None:
    """What the wait has not already put in the task log: the rest of the Data Pump log.

    The trigger (or the sync wait) streams the log as it goes, up to ``shown``; printing
    the whole log again at the end would show every line twice. ``tail_lines`` keeps only
    the last lines of what is left (none for 0).
    """
    if job.log_file is None or job.log_directory is None:
        return
    try:
        text, _ = hook.read_file(job.log_directory, job.log_file, position=shown)
    except DatapumpError as error:
        log.warning("Could not read the Data Pump log: %s", error)
        return
    lines = cloud.redacted_uri(text).splitlines()  # a URI dump file's PAR token: not shown
    if tail_lines is not None:
        lines = lines[-tail_lines:] if tail_lines else []
    if lines:
        log.info("Data Pump log of %s.%s:\n%s", job.owner, job.job_name, "\n".join(lines))


def check_outcome(job: JobRef, event: dict[str, Any], allowed_errors: tuple[str, ...]) -> None:
    """Raise JobFailedError unless the job succeeded, or completed with allowed errors only.

    A job without a log file has an error count but no codes to check: it fails, saying so.
    """
    lines = tuple(event.get("error_lines", []))
    if event.get("status") != "success":
        raise JobFailedError(
            f"Data Pump job {job.owner}.{job.job_name} {event.get('outcome')}",
            job_name=job.job_name,
            owner=job.owner,
            lines=lines,
        )
    codes = error_codes(event.get("error_lines", []))
    disallowed = disallowed_codes(event.get("error_lines", []), allowed_errors)
    if event.get("error_count") and not codes and job.log_file is None:
        disallowed = ["their codes (the job wrote no log file to read them from)"]
    if event.get("error_count") and disallowed:
        advice = "".join(_advice(code, lines) for code in disallowed if code in ADVICE)
        if event.get("previous_try"):
            advice += _not_run_again(job)
        raise JobFailedError(
            f"Data Pump job {job.owner}.{job.job_name} completed with {event['error_count']} error(s): "
            f"{', '.join(disallowed)} not in allowed_errors{advice}",
            job_name=job.job_name,
            owner=job.owner,
            lines=lines,
        )


# Codes whose lines alone do not say what went wrong or what to change, and that allowing would
# pass a job that did not do its work.
ADVICE = {
    "ORA-39120": "TABLE_EXISTS_ACTION=TRUNCATE cannot truncate a table that enabled foreign keys "
    "refer to, so it kept its old rows and the dump's were skipped (a child truncated beside it "
    "may then fail to load and stay empty); use TABLE_EXISTS_ACTION=REPLACE, or disable those "
    "foreign keys before the import and enable them after. Allowing ORA-39120 would pass a "
    "refresh that did not happen",
}
_NAMED = 5  # tables named in an error; the task log has every line
_TABLE = re.compile(r'Table ("[^"]+"\."[^"]+")')


def _advice(code: str, lines: tuple[str, ...]) -> str:
    """``. ORA-39120 ("S"."T", ...): what it means and what to change``."""
    tables = list(dict.fromkeys(t for line in lines if code in line for t in _TABLE.findall(line)))
    more = f" and {len(tables) - _NAMED} more" if len(tables) > _NAMED else ""
    about = f" ({', '.join(tables[:_NAMED])}{more})" if tables else ""
    return f". {code}{about}: {ADVICE[code]}"


def _not_run_again(job: JobRef) -> str:
    """A retry or a cleared task judges a job its run already finished; it never runs it twice
    on its own (an APPEND import would load its rows twice). Say how to run it again."""
    where = f"{job.log_directory}:{job.log_file}" if job.log_file else "its log"
    return (
        f". This is an earlier try's job, judged again and not run again: to run it again (after "
        f"changing what failed), delete its log {where} and clear the task, or start a new DAG run"
    )


def started(context: Any) -> str | None:
    """When the task instance started, for the summary; None outside a task run."""
    ti = context.get("ti") if hasattr(context, "get") else None
    start_date = getattr(ti, "start_date", None)
    return start_date.isoformat() if start_date else None
