"""What a deferrable ExportOperator costs the worker, counted on the emulated clock.

    python benchmarks/operator_costs.py

prints a Markdown table. The worker slot is held while submitting and while finishing, never
while Data Pump works: its seconds and round trips must not grow with the job's length. The
triggerer does the waiting: one round trip per poll, over one pooled session whose connect
and close are the only other round trips. Seconds are the emulated database's, which
moves only when the benchmark moves it, so they count what the design holds, not how fast
this machine is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from types import SimpleNamespace
from typing import Any

from _home import airflow_home

os.environ["AIRFLOW_HOME"] = airflow_home()
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

from hook_costs import Measure, table

from airflow_datapump._compat import TaskDeferred
from airflow_datapump.hooks import _pool
from airflow_datapump.operators import ExportOperator
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from airflow_datapump.triggers.datapump import JobTrigger

RATE = 1_000_000  # bytes per emulated second
POLLS = 20  # status polls the triggerer makes over the job's life


def _clock(db: DatabaseHandle) -> dt.datetime:
    (now,) = db.execute("SELECT SYSTIMESTAMP FROM dual")[0]
    assert isinstance(now, dt.datetime)
    return now


def _trips(db: DatabaseHandle) -> int:
    return db.counters().get("round_trips", 0)


def _context(run_id: str) -> dict[str, Any]:
    return {"ti": SimpleNamespace(map_index=-1, try_number=1, start_date=None), "run_id": run_id}


async def _trigger(db: DatabaseHandle, trigger: JobTrigger, seconds: int) -> tuple[dict[str, Any], int]:
    """Run the trigger to its event while the clock moves the job along; count its polls."""
    polls = 0
    original = trigger._hook

    def counting_hook() -> Any:
        hook = original()
        status = hook.async_status

        async def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal polls
            polls += 1
            db.advance(seconds / POLLS)  # time passes between two polls
            return await status(*args, **kwargs)

        hook.async_status = counted  # type: ignore[method-assign]
        return hook

    trigger._hook = counting_hook  # type: ignore[method-assign]
    async for event in trigger.run():
        await _pool.close_pools()
        return event.payload, polls
    raise AssertionError("the trigger ended without an event")


def _deferrable_export(db: DatabaseHandle, minutes: int) -> tuple[float, int, int, int]:
    """Worker-slot seconds, worker round trips, triggerer round trips beyond one per poll,
    sessions the triggerer opened."""
    seconds = minutes * 60
    op = ExportOperator(
        task_id=f"export_{minutes}",
        oracle_conn_id="bench",
        schemas=["HR"],
        job_name=f"BENCH_EXPORT_{minutes}",
        reuse_dump_files=True,
        deferrable=True,
        poll_interval=0.001,  # more than 0, as every wait must be; the emulated clock is moved
    )
    context = _context(f"bench_{minutes}")
    trips, start = _trips(db), _clock(db)
    try:
        op.execute(context)
        raise AssertionError("a deferrable export must defer")
    except TaskDeferred as deferred:
        trigger = deferred.trigger
    held = (_clock(db) - start).total_seconds()
    worker_trips = _trips(db) - trips
    assert isinstance(trigger, JobTrigger)
    db.set_job_speed("SYSTEM", f"BENCH_EXPORT_{minutes}", rate=RATE, size=seconds * RATE)

    trips, sessions = _trips(db), db.counters().get("sessions_opened", 0)
    event, polls = asyncio.run(_trigger(db, trigger, seconds))
    trigger_extra = _trips(db) - trips - polls
    trigger_sessions = db.counters().get("sessions_opened", 0) - sessions

    trips, start = _trips(db), _clock(db)
    summary = op.execute_complete(context, event)
    assert summary["outcome"] == "successfully completed", summary
    held += (_clock(db) - start).total_seconds()
    worker_trips += _trips(db) - trips
    return held, worker_trips, trigger_extra, trigger_sessions


def measure() -> list[Measure]:
    results: list[Measure] = []
    with emulated_oracle() as oracle:
        os.environ["AIRFLOW_CONN_BENCH"] = oracle.connection_uri("BENCH")
        db = oracle.database("BENCH")
        db.load_sample_hr()
        for minutes in (10, 100):
            held, worker_trips, extra, sessions = _deferrable_export(db, minutes)
            job = f"{minutes}-minute job"
            results += [
                Measure(f"worker-slot seconds, deferrable export, {job}", held, "0"),
                Measure(f"worker round trips, deferrable export, {job}", worker_trips, "same for any length"),
                Measure(f"triggerer round trips beyond one per poll, {job}", extra, "2 (connect, close)"),
                Measure(f"triggerer sessions opened, {job}", sessions, "1"),
            ]
    return results


if __name__ == "__main__":
    print(table(measure()))
