"""How a started job moves on: work done at a rate on the database's clock.

When a job is due (the clock has passed the moment its current item completes) or is asked
about, :func:`tick` brings it up to the present: the work that fits in the time since it last
moved is done, items complete in order and log their lines at the time they completed,
injected faults and stop requests take effect, and the end of the work completes the job
(reference §5 transitions). Between two item completions a job's progress is a straight line
on its clock, so it is computed when asked rather than stored on every call; :func:`tick`
saves the moment the job next needs work, which is how a call finds the few due jobs among
many. Nothing runs in the background, so with the ``manual`` clock a test decides exactly
what a job has done.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump import logfile, model, staging, unload
from airflow_datapump.testing._datapump.apply import apply
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.ddltext import script
from airflow_datapump.testing._datapump.model import COMPLETED, EXECUTING, STOP_PENDING, STOPPED, Job
from airflow_datapump.testing._datapump.plan_export import METADATA_COST
from airflow_datapump.testing._dumpfile import DumpFileError

DEFAULT_RATE = 10 * 1024 * 1024  # bytes of work per second of the database's clock
RUNNING = (EXECUTING, STOP_PENDING)


def cost(job: Job, item: dict[str, Any]) -> float:
    if item["kind"] != "TABLE_DATA":
        return float(METADATA_COST)
    return float(item["bytes"]) * _scale(job)


def _scale(job: Job) -> float:
    data = sum(i["bytes"] for i in job.plan if i["kind"] == "TABLE_DATA")
    return job.size / data if job.size and data else 1.0


def total_work(job: Job) -> float:
    return sum(cost(job, i) for i in job.plan)


def reported_total(job: Job) -> int:
    return job.size if job.size else sum(i["bytes"] for i in job.plan if i["kind"] == "TABLE_DATA")


def bytes_processed(job: Job) -> int:
    """Data bytes done: finished data items plus the share of the one in progress."""
    position, done = 0.0, 0.0
    for item in job.plan:
        step = cost(job, item)
        if item["kind"] == "TABLE_DATA":
            done += max(0.0, min(step, job.done_bytes - position))
        position += step
    return int(done)


def percent(job: Job) -> int:
    """percent_done: data bytes against the estimate (reference §2.15); 0 or 100 without data."""
    total = reported_total(job)
    if total <= 0:
        return 100 if job.state == COMPLETED else 0
    return min(100, 100 * bytes_processed(job) // total)


def database_rate(ctx: WorkContext) -> float:
    return float(ctx.database.store.setting("job_rate", str(DEFAULT_RATE)) or DEFAULT_RATE)


def rate(ctx: WorkContext, job: Job) -> float:
    return job.rate or database_rate(ctx)


def tick(ctx: WorkContext, job: Job) -> None:
    if job.state in RUNNING:
        _advance(ctx, job)
        unload.grow(job, job.done_bytes)
    if job.state == COMPLETED and job.param("KEEP_MASTER") != 1 and not model.attached_sids(ctx.db, job):
        model.remove(ctx.db, job)
        return
    if _exists(ctx, job):
        save(ctx, job)


def save(ctx: WorkContext, job: Job) -> None:
    """Store the job with the moment it next needs work, so calls until then pass it by."""
    model.save(ctx.db, job, *_due(ctx, job))


def _due(ctx: WorkContext, job: Job) -> tuple[str | None, float | None]:
    """When the job next needs a tick, and at which database rate that was worked out.

    A stop request or a pending fatal fault takes effect at the next look, so such a job is
    always due (None); so is one that is not running, which nothing selects by ``due``.
    """
    if job.state != EXECUTING or (job.fault and job.fault["kind"] == "fatal"):
        return None, None
    event = next_event(ctx, job)
    due = event.isoformat() if event is not None else "9999-12-31T00:00:00"
    return due, None if job.rate else database_rate(ctx)


def _exists(ctx: WorkContext, job: Job) -> bool:
    return (
        ctx.db.execute("SELECT 1 FROM jobs WHERE owner = ? AND name = ?", (job.owner, job.name)).fetchone()
        is not None
    )


def _advance(ctx: WorkContext, job: Job) -> None:
    speed = rate(ctx, job)
    since = dt.datetime.fromisoformat(job.running_since or ctx.now.isoformat())
    started_at = job.done_bytes
    reach = min(total_work(job), job.done_bytes + max(0.0, (ctx.now - since).total_seconds()) * speed)
    position = 0.0
    for item in job.plan:
        position += cost(job, item)
        if item["done"] or position > reach:
            if not item["done"]:
                break
            continue
        moment = since + dt.timedelta(seconds=(position - job.done_bytes) / speed) if speed else ctx.now
        apply(ctx, job, item, moment)
        item["done"] = True
        if _interrupted(ctx, job, moment, position):
            return
    job.done_bytes = reach
    job.running_since = ctx.now.isoformat()
    _update_longops(ctx, job)
    if job.fault and job.fault["kind"] == "fatal" and percent(job) >= job.fault["at_percent"]:
        fail(ctx, job, ctx.now, job.fault["lines"])
    elif job.state == STOP_PENDING:
        stop(ctx, job, ctx.now)
    elif reach >= total_work(job):
        remaining = max(0.0, total_work(job) - started_at)
        complete(ctx, job, since + dt.timedelta(seconds=remaining / speed) if speed else ctx.now)


def _interrupted(ctx: WorkContext, job: Job, moment: dt.datetime, position: float) -> bool:
    """A fatal fault or a graceful stop takes effect at an item boundary."""
    job.done_bytes = position
    job.running_since = moment.isoformat()
    fault = job.fault
    if fault and fault["kind"] == "fatal" and percent(job) >= fault["at_percent"]:
        fail(ctx, job, moment, fault["lines"])
        return True
    if job.state == STOP_PENDING:
        stop(ctx, job, moment)
        return True
    return False


def next_event(ctx: WorkContext, job: Job) -> dt.datetime | None:
    """When the job next changes: its current item completes (None if it is not running)."""
    if job.state not in RUNNING:
        return None
    speed = rate(ctx, job)
    if speed <= 0:
        return None
    position = 0.0
    for item in job.plan:
        position += cost(job, item)
        if not item["done"] and position > job.done_bytes:
            break
    since = dt.datetime.fromisoformat(job.running_since or ctx.now.isoformat())
    return since + dt.timedelta(seconds=max(0.0, position - job.done_bytes) / speed)


def fail(ctx: WorkContext, job: Job, moment: dt.datetime, lines: list[str]) -> None:
    # Logged, but not counted: "completed with N error(s)" counts non-fatal object errors (§5.1).
    logfile.error(ctx.db, job, moment, *lines, counted=False)
    logfile.finish(ctx.db, job, moment, "stopped due to fatal error")
    job.fault = None  # it struck; a restart goes on from here
    job.state, job.term_reason, job.finished_at = STOPPED, 4, moment.isoformat()


def stop(ctx: WorkContext, job: Job, moment: dt.datetime) -> None:
    from airflow_datapump.testing._datapump.common import reading  # common imports this module

    keep = (job.stop_requested or {}).get("keep_master", True)
    if keep or reading(ctx.db, "KILL_FINAL_LINE") == "WRITTEN":
        logfile.finish(ctx.db, job, moment, "stopped by user request")
    job.state, job.term_reason, job.finished_at = STOPPED, 3, moment.isoformat()
    if not keep:
        unload.killed(ctx, job)
        model.remove(ctx.db, job)


def complete(ctx: WorkContext, job: Job, moment: dt.datetime) -> None:
    try:
        if unload.writes_dump(job):
            unload.finish(ctx, job, moment)
        if job.operation == "SQL_FILE":
            _write_sql_file(ctx, job)
    except DumpFileError as error:
        fail(ctx, job, moment, list(error.lines))
        return
    if job.fault and job.fault["kind"] == "errors":
        for group in job.fault["errors"]:
            logfile.error(ctx.db, job, moment, *group)
    logfile.finish(ctx.db, job, moment, "completed")
    staging.drop(ctx.db, job)  # written to the dump file, or loaded: no longer needed
    job.state, job.finished_at = COMPLETED, moment.isoformat()
    job.term_reason = 1 if job.error_count == 0 else 2


def _folder(ctx: WorkContext, directory: str) -> Path:
    found = catalog.directory(ctx.db, directory)
    assert found is not None
    return Path(found.path)


def _write_sql_file(ctx: WorkContext, job: Job) -> None:
    for spec in job.files:
        if spec["type"] == model.FILE_SQL:
            (_folder(ctx, spec["directory"]) / spec["name"]).write_text(
                script(job.plan, job.owner), encoding="utf-8"
            )


def _update_longops(ctx: WorkContext, job: Job) -> None:
    """V$SESSION_LONGOPS: megabytes done out of the estimate (reference §6.1)."""
    sofar, total = bytes_processed(job) // 1048576, reported_total(job) // 1048576
    message = f"{job.name}: {job.operation} : {sofar} out of {total} MB done"
    now = ctx.now.isoformat()
    ctx.db.execute("DELETE FROM longops WHERE username = ? AND opname = ?", (job.owner, job.name))
    ctx.db.execute(
        "INSERT INTO longops (username, opname, target_desc, sofar, totalwork, units, message, start_time, "
        "last_update_time) "
        "VALUES (?, ?, ?, ?, ?, 'MB', ?, ?, ?)",
        (job.owner, job.name, job.operation, sofar, total, message, job.start_time, now),
    )
