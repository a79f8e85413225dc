"""Which job is this task run's, and who may stop it: the operators' side of core/stamp.py.

A job is adopted only when the start mark in its log names this task run; a job that is
running for another run (or whose log cannot say) fails the task with a JobExistsError that
says whose it is. A retry that takes over a running job says so in the job's log (a claim),
and a kill checks the log first, so clearing a deferred task never kills the job the new try
has just taken over (README "Clearing a task").
"""

from __future__ import annotations

import time
from typing import Any

from airflow_datapump.core import stamp
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.status import JobState
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import JobExistsError, JobNotFoundError
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


def check_ours(job: JobRef, state: JobState, read: tuple[str, int] | None, run: RunStamp) -> None:
    """Raise JobExistsError unless the job's log says this task run started it."""
    start = stamp.started_by(read[0].splitlines()) if read else None
    if start is not None and start.run == run:
        return
    where = f"{job.log_directory}/{job.log_file}"
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
