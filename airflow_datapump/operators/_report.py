"""How a task ends once its job has: the rest of the job's log, then success or failure.

The event (from the trigger, the sync wait, or a previous try's finished job) already says
how the job ended; what is decided here is whether that is a success for this task (an error
count passes only when every code is in ``allowed_errors``) and which log lines the task log
has not had yet. Kept apart from the operator, whose part is finding and waiting for the job.
"""

from __future__ import annotations

from typing import Any

from airflow_datapump.core import cloud
from airflow_datapump.core.status import advice_for, disallowed_codes, error_codes
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatapumpError, JobFailedError
from airflow_datapump.hooks.datapump import DatapumpHook


def show_rest_of_log(
    log: Any, job: JobRef, hook: DatapumpHook, shown: int, tail_lines: int | None, text: str | None = None
) -> None:
    """What the wait has not already put in the task log: the rest of the Data Pump log.

    The trigger (or the sync wait) streams the log as it goes, up to ``shown``; printing
    the whole log again at the end would show every line twice. ``tail_lines`` keeps only
    the last lines of what is left (none for 0, so nothing is read). ``text`` is that rest
    when the caller has just read it (a previous try's finished job, whose whole log told
    how it ended): a log can be large, and reading it twice costs as much again.
    """
    if job.log_file is None or job.log_directory is None or tail_lines == 0:
        return
    if text is None:
        try:
            text, _ = hook.read_file(job.log_directory, job.log_file, position=shown)
        except DatapumpError as error:
            log.warning("Could not read the Data Pump log: %s", error)
            return
    lines = cloud.redacted_uri(text).splitlines()  # a URI dump file's PAR token: not shown
    if tail_lines is not None:
        lines = lines[-tail_lines:]
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
        advice = advice_for(disallowed, lines)
        if event.get("previous_try"):
            advice += _not_run_again(job)
        raise JobFailedError(
            f"Data Pump job {job.owner}.{job.job_name} completed with {event['error_count']} error(s): "
            f"{', '.join(disallowed)} not in allowed_errors{advice}",
            job_name=job.job_name,
            owner=job.owner,
            lines=lines,
        )


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
