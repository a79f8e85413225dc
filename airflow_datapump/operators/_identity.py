"""Which job is this task run's, and who may stop it: the operators' side of core/stamp.py.

A job is adopted only when the start mark in its log names this task run; a job that is
running for another run (or whose log cannot say) fails the task with a JobExistsError that
says whose it is. A retry that takes over a running job says so in the job's log (a claim),
and a kill checks the log first, so clearing a deferred task never kills the job the new try
has just taken over (README "Clearing a task").
"""

from __future__ import annotations

import re
import time
from typing import Any

from airflow_datapump.core import stamp
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.status import JobState, Outcome, read_outcome
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatabaseCallError, JobExistsError, JobNotFoundError
from airflow_datapump.hooks import _sets
from airflow_datapump.hooks.datapump import DatapumpHook

# How long a try whose claim came too late waits for the clearing try's kill to land before
# it stops the job itself: longer than Airflow's [triggerer] on_kill_timeout (30 s).
STOP_WAIT_SECONDS = 120.0


def run_of(operator: Any, context: Any) -> RunStamp:
    ti = context.get("ti") if hasattr(context, "get") else None
    index = getattr(ti, "map_index", -1)
    return RunStamp(
        str(operator.dag_id),
        str(operator.task_id),
        str(context.get("run_id", "")),
        -1 if index is None else int(index),
    )


def try_of(context: Any) -> int | None:
    ti = context.get("ti") if hasattr(context, "get") else None
    number = getattr(ti, "try_number", None)
    return int(number) if isinstance(number, int) else None


def from_an_earlier_try(event: dict[str, Any] | None, context: Any) -> bool:
    """Whether a trigger event was sent to an earlier try of the task than the one resuming.

    The trigger names the try that deferred; an Airflow without apache/airflow#56731 (3.0.6
    is one) resumes a retry with the event that ended the failed try (apache/airflow#56704).
    An event naming no try (a trigger serialized by an older release) is taken as this try's.
    """
    sent = (event or {}).get("try_number")
    current = try_of(context)
    return isinstance(sent, int) and current is not None and sent < current


def check_ours(job: JobRef, state: JobState, read: tuple[str, int] | None, run: RunStamp) -> None:
    """Raise JobExistsError unless the job's log says this task run started it."""
    start = stamp.started_by(read[0].splitlines()) if read else None
    if start is not None and start.run == run:
        return
    where = f"{job.log_directory}:{job.log_file}"  # as LOGFILE=dir:file writes it
    if start is not None and start.run is not None:
        whose = f"it was started by {start.run.describe()}"
    elif read is not None:
        whose = f"its log {where} does not say which task run started it"
    else:
        whose = f"it has no readable log ({where}) to say which task run started it"
    raise JobExistsError(
        f"Job {job.owner}.{job.job_name} is {state.value} but is not this task run's "
        f"({run.describe()}): {whose}. Give each task run its own job_name (the default does), "
        "or let that job end first",
        job_name=job.job_name,
        owner=job.owner,
    )


def claim(
    log: Any, job: JobRef, hook: DatapumpHook, run: RunStamp, try_number: int | None, poll: float
) -> bool:
    """Take over this run's running job; False when it has ended or is being stopped.

    False means: decide again once the job has stopped (a clear's kill came first).
    """
    mark = stamp.new_mark("claim", run, try_number)
    try:
        if hook.mark(job, mark):
            log.info(
                "Job %s.%s is already running for this task run; waiting for it", job.owner, job.job_name
            )
            return True
    except JobNotFoundError:
        return False  # it ended between the two looks
    log.warning(
        "An earlier try is stopping job %s.%s (the task was cleared); waiting for it to stop, "
        "then this try starts afresh",
        job.owner,
        job.job_name,
    )
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = hook.find_job(job.job_name, job.owner)
        if found is None or not (found.state.is_active or found.state is JobState.IDLING):
            return False
        time.sleep(max(poll, 1.0))
    hook.kill(job.job_name, job.owner)  # the earlier try's kill never landed: finish it
    return False


def may_stop(hook: DatapumpHook, job: JobRef, run: RunStamp | None, try_number: int | None) -> bool:
    """Whether a kill of this try may stop the job: not when a later try has taken it over."""
    if try_number is None or not job.log_file:
        return True  # nothing to tell tries apart by
    try:
        return hook.mark(job, stamp.new_mark("kill", run, try_number))
    except JobNotFoundError:
        return False  # already gone


def leftover_owner(
    hook: DatapumpHook,
    job: JobRef,
    directory: str,
    members: list[str],
    run: RunStamp,
    log_lines: list[str] | None = None,
) -> str | None:
    """None when ``members`` are what this run's own job left unfinished; else whose they are.

    A file name proves nothing (another run, another job or a user may have made a file of
    that name), so the files must say it: every member's dump header names this job and one
    export (one GUID), and the job's log, which outlives it, was started by this task run
    (its start mark), shows the job started writing (the ``Starting`` line Oracle logs as it
    creates the dump files) and did not succeed. An export refuses to create a file that
    exists, so a job that started under this run's mark made the files its header names.
    ``log_lines``: the job's log, when the caller has just read it (else it is read here).
    """
    guids: set[str | None] = set()
    for member in members:
        try:
            guid, name, _ = _sets.header(hook, directory, member)
        except DatabaseCallError as error:
            return f"{member} cannot be read as a dump file ({error.code})"
        if guid is None:
            return f"{member} is not a Data Pump dump file"
        if name != job.job_name:
            return f"{member} was written by the Data Pump job {name or '(unnamed)'}"
        guids.add(guid)
    if len(guids) > 1:
        return f"the files {', '.join(members)} come from different exports"
    lines = log_lines
    if lines is None:
        read = hook.read_job_log(job)
        lines = read[0].splitlines() if read else []
    start = stamp.started_by(lines)
    if start is None or start.run != run:
        whose = start.run.describe() if start is not None and start.run else "no task run it names"
        return f"they were written by job {job.job_name} of {whose}, not this task run ({run.describe()})"
    started = re.compile(rf'Starting "[^"]+"\."{re.escape(job.job_name)}"')
    if not any(started.search(line) for line in lines):
        return f"the log of job {job.job_name} does not show that it started writing them"
    if read_outcome(lines, job.job_name).outcome in (Outcome.SUCCEEDED, Outcome.COMPLETED_WITH_ERRORS):
        return f"job {job.job_name} of this task run completed them"
    return None
