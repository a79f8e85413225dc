"""What JobTriggers cost the triggerer's event loop with the real driver, over Oracle Net.

    python benchmarks/trigger_loop_stalls.py [--triggers 200] [--poll-interval 2] [--connects 20]

prints a Markdown table. Unlike triggerer_scale.py (a stand-in driver, to reach 1,000
triggers), everything here is real: python-oracledb's async thin driver and its pool, the
provider's hook and trigger, the emulator's Oracle Net server (in this process, on loopback).
It looks at the three places a trigger could stall the loop:

- the import of the trigger's class, which Airflow's triggerer makes on its event loop
  (measured in a fresh interpreter with the triggerer's modules loaded, as the triggerer has
  them), against the import the trigger now makes in a thread on its first run;
- a new session: ``connect_async`` runs the O5LOGON exchange on the loop, including the
  client's PBKDF2 key derivations (4,096 iterations, the count the server sends);
- polls through the pool, with N triggers started at once as after a triggerer restart.

A stall is the loop thread's own CPU time inside one 10 ms heartbeat (triggerer_scale's
LoopWatch): the emulator's threads share this process and would inflate wall-clock lateness,
which is shown too, for this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from _home import airflow_home

os.environ["AIRFLOW_HOME"] = airflow_home()
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

import oracledb
from hook_costs import Measure, table
from triggerer_scale import LoopWatch, running_export

from airflow_datapump.hooks import _pool, _runner
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import EmulatedOracle, emulated_oracle
from airflow_datapump.triggers.datapump import JobTrigger

# Seconds cancelled triggers, then the pools' closing, get to end: a cancelled poll waits for
# its round trip (milliseconds, hook's grace at most), so only a hang reaches this.
CANCEL_BOUND = 60.0

# In a fresh interpreter set up as ``airflow triggerer`` is before its loop starts: its modules
# imported, and the providers' configuration loaded (its ``@providers_configuration_loaded``,
# which imports every provider's package, this one's Airflow-free core included; Airflow 3.3
# does that already when its configuration is first read, 3.0 only there). Then the import
# Airflow makes on the loop (import_string, the same as importing the module), then the one a
# trigger makes in a thread, with a 1 ms heartbeat on the loop meanwhile: its worst lateness is
# what the thread's hold on the interpreter's lock costs the loop (wall clock: the loop is
# waiting, not working).
_IMPORTS = """
import asyncio, importlib, sys, time
import airflow.jobs.triggerer_job_runner
from airflow.providers_manager import ProvidersManager
ProvidersManager().initialize_providers_configuration()
cpu = time.thread_time()
module = importlib.import_module("airflow_datapump.triggers.datapump")
on_loop = time.thread_time() - cpu
from airflow_datapump.triggers import _offloop

async def main():
    worst = 0.0
    importing = asyncio.create_task(_offloop.imported(module.RUNTIME_MODULES))
    while not importing.done():
        due = time.monotonic() + 0.001
        await asyncio.sleep(0.001)
        worst = max(worst, time.monotonic() - due)
    await importing
    return worst

cpu = time.process_time()
worst = asyncio.run(main())
print(on_loop, time.process_time() - cpu, worst)
"""


def import_costs() -> tuple[float, float, float]:
    """CPU seconds of the import Airflow makes on the loop and of the one made in a thread, and
    the loop's worst lateness (wall clock) while the thread imports."""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    on_loop, in_thread, late = done.stdout.split()[-3:]
    return float(on_loop), float(in_thread), float(late)


async def connect_costs(oracle: EmulatedOracle, connects: int) -> list[float]:
    """Loop-thread CPU seconds of each new session, connects made one after another."""
    costs = []
    for _ in range(connects):
        cpu = time.thread_time()
        connection = await oracledb.connect_async(user="system", password="oracle", dsn=oracle.dsn("BENCH"))
        costs.append(time.thread_time() - cpu)
        await connection.close()
    return costs


async def poll_costs(oracle: EmulatedOracle, job: dict[str, Any], polls: int) -> tuple[float, float]:
    """Median loop-thread CPU seconds of one status poll: through the pool, and on a new session."""
    from airflow_datapump.core import calls
    from airflow_datapump.core.submission import JobRef

    ref, hook = JobRef.from_dict(job), DatapumpHook(oracle_conn_id="bench")
    await hook.async_status(ref)  # warm-up: the pool and its first session
    pooled, fresh = [], []
    call = calls.status(ref.job_name, ref.owner, log_file=ref.log_file, log_directory=ref.log_directory)
    for _ in range(polls):
        cpu = time.thread_time()
        await hook.async_status(ref)
        pooled.append(time.thread_time() - cpu)
        cpu = time.thread_time()
        connection = await oracledb.connect_async(user="system", password="oracle", dsn=oracle.dsn("BENCH"))
        await _runner.arun(connection, call)
        await connection.close()
        fresh.append(time.thread_time() - cpu)
    await _pool.close_pools()
    return statistics.median(pooled), statistics.median(fresh)


class Counted:
    """Counts the hook's async status polls, around the hook's own method."""

    def __init__(self) -> None:
        self.polls = 0
        self._status = DatapumpHook.async_status

    def __enter__(self) -> Counted:
        counted = self

        async def async_status(hook: DatapumpHook, *args: Any, **kwargs: Any) -> Any:
            counted.polls += 1
            return await counted._status(hook, *args, **kwargs)

        DatapumpHook.async_status = async_status  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        DatapumpHook.async_status = self._status  # type: ignore[method-assign]


async def triggers_on_one_loop(job: dict[str, Any], n: int, poll: float) -> dict[str, float]:
    """N JobTriggers on one running export, all started at once, for three intervals."""
    watch, logger = LoopWatch(), logging.getLogger("trigger_loop_stalls.trigger")
    loop_errors: list[dict[str, Any]] = []  # e.g. a connection closed by a protocol's fatal error
    asyncio.get_running_loop().set_exception_handler(lambda _loop, context: loop_errors.append(context))
    logger.propagate = False  # the progress lines are not the point here
    watcher = asyncio.create_task(watch.run())
    with Counted() as counted:
        triggers = [JobTrigger(oracle_conn_id="bench", job=job, poll_interval=poll) for _ in range(n)]
        for trigger in triggers:
            trigger._log = logger  # Airflow's LoggingMixin keeps its logger there
        watch.reset()
        tasks = [asyncio.create_task(anext(t.run())) for t in triggers]
        await asyncio.sleep(poll)
        start_wall, start_cpu, _ = watch.reset()
        pools = list(_pool._POOLS.get(asyncio.get_running_loop(), {}).values())
        opened = sum(pool.opened for pool in pools)
        polls, cpu = counted.polls, time.process_time()
        await asyncio.sleep(2 * poll)
        polls, cpu = counted.polls - polls, time.process_time() - cpu
        steady_wall, steady_cpu, _ = watch.reset()
        sessions = sum(pool.opened for pool in pools)
        running = await cancelled(tasks)
    watcher.cancel()
    return {
        "running": running,
        "loop_errors": len(loop_errors),
        "start_cpu": start_cpu,
        "steady_cpu": steady_cpu,
        "wall": max(start_wall, steady_wall),
        "polls": polls,
        "sessions": sessions,
        "new_sessions": sessions - opened,  # idle ones close after 120 s: none in this window
        "cpu_per_poll": cpu / max(polls, 1),
    }


async def cancelled(tasks: list[asyncio.Task[Any]]) -> int:
    """Cancel the triggers as Airflow does; how many have not ended within a generous bound.

    Bounded, so the benchmark reports a cancellation that never completes (a driver whose
    reply met a cancelled wait left triggers polling on) instead of hanging on it.
    """
    for task in tasks:
        task.cancel()
    _, running = await asyncio.wait(tasks, timeout=CANCEL_BOUND)
    await asyncio.wait_for(_pool.close_pools(), timeout=CANCEL_BOUND)
    return len(running)


def measure(triggers: int = 200, poll_interval: float = 2.0, connects: int = 20) -> list[Measure]:
    on_loop, in_thread, late = import_costs()
    with emulated_oracle() as oracle:
        hook, ref = running_export(oracle, "stalls.dmp")
        hook.close()
        job = ref.to_dict()
        connect = asyncio.run(connect_costs(oracle, connects))
        pooled, fresh = asyncio.run(poll_costs(oracle, job, connects))
        run = asyncio.run(triggers_on_one_loop(job, triggers, poll_interval))
    ms, n = 1000, triggers
    rows = [
        ("import Airflow makes on the event loop, ms CPU", round(on_loop * ms, 1), "< 100"),
        ("(what it was: the import now made in a thread), ms CPU", round(in_thread * ms, 1), "-"),
        ("loop's worst lateness while the thread imports, ms (wall clock)", round(late * ms, 1), "< 100"),
        (
            "new session (connect_async), median ms CPU on the loop",
            round(statistics.median(connect) * ms, 1),
            "-",
        ),
        ("new session (connect_async), worst ms CPU on the loop", round(max(connect) * ms, 1), "< 100"),
        ("status poll through the pool, median ms CPU on the loop", round(pooled * ms, 2), "-"),
        ("status poll on a new session, median ms CPU on the loop", round(fresh * ms, 2), "-"),
        (f"{n} triggers: longest stall while all start, ms CPU", round(run["start_cpu"] * ms, 1), "< 100"),
        (f"{n} triggers: longest stall in steady state, ms CPU", round(run["steady_cpu"] * ms, 1), "< 100"),
        ("(the same, wall clock, server in this process), ms", round(run["wall"] * ms), "-"),
        ("polls in two intervals", run["polls"], f"{2 * n}"),
        ("sessions the pool holds", run["sessions"], "the demand, not one per trigger"),
        ("new sessions in steady state", run["new_sessions"], "0"),
        ("triggers still running after their cancellation", run["running"], "0"),
        ("errors the event loop reported", run["loop_errors"], "0"),
        (
            "CPU per poll (driver, hook, and the server in this process), ms",
            round(run["cpu_per_poll"] * ms, 2),
            "-",
        ),
    ]
    return [Measure(*row) for row in rows]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triggers", type=int, default=200)
    parser.add_argument("--poll-interval", type=float, default=2.0)
    parser.add_argument("--connects", type=int, default=20)
    args = parser.parse_args()
    print(table(measure(args.triggers, args.poll_interval, args.connects)))
