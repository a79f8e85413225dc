"""What JobTriggers ask of the triggerer's supervisor per poll: the record of the log shown.

    python benchmarks/triggerer_requests.py [--triggers 200] [--polls 40]

prints a Markdown table. A trigger that has a task instance records in that task instance's
XCom how far it has shown its job's log (triggers/_shown.py), so that a rebuilt trigger does
not show it again. Each XCom read or write of a trigger is a request to the triggerer's
supervisor, which answers its triggers' requests one at a time on one thread, each an HTTP
round trip to Airflow's API server: every write delays every other trigger's requests (its
connection lookups included). The triggers and their XCom calls are the provider's and
Airflow's own (the task SDK's ``XCom.aget_one`` and ``aset``); the supervisor is a stand-in
that counts the requests it is sent and keeps the values; the driver is triggerer_scale's
stand-in, whose every status reply carries one new log line, so every poll moves the log
(the worst case: a job that logs all the time). The triggers poll every 0.05 s with the
record's save interval scaled by the same factor as 30 s polls to it, so they save at the
polls they would at 30 s. Counted, not timed: the figures do not depend on how busy the
machine is.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from _home import airflow_home

os.environ["AIRFLOW_HOME"] = airflow_home()
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

from airflow.sdk.execution_time import task_runner
from airflow.sdk.execution_time.comms import GetXCom, SetXCom, XComResult
from hook_costs import Measure, table
from triggerer_scale import FirstDelays, Pool, record_status_reply, stand_ins, until

from airflow_datapump.hooks import _pool
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger

LINE = "Processing object type SCHEMA_EXPORT/TABLE/TABLE_DATA\n"  # one new line per poll
AT_SCALE = (1000, 30.0)  # triggers and poll interval the per-second figure is given for


class Supervisor:
    """The triggerer's supervisor as a trigger's XCom calls reach it: counts each request."""

    def __init__(self) -> None:
        self.requests: collections.Counter[str] = collections.Counter()
        self.values: dict[tuple[Any, ...], Any] = {}

    def send(self, msg: Any) -> Any:
        """Count every request; keep and answer the XCom ones (the others need no answer here:
        Airflow 3.0's ``MaskSecret``, sent when a connection is built, is one)."""
        self.requests[type(msg).__name__] += 1
        if not isinstance(msg, SetXCom | GetXCom):
            return None
        where = (msg.key, msg.dag_id, msg.task_id, msg.run_id, msg.map_index)
        if isinstance(msg, SetXCom):
            self.values[where] = msg.value
            return None
        return XComResult(key=msg.key, value=self.values.get(where))

    async def asend(self, msg: Any) -> Any:
        return self.send(msg)

    def total(self) -> int:
        return sum(self.requests.values())


@contextmanager
def supervised() -> Iterator[Supervisor]:
    """The task SDK's XCom calls go to a stand-in supervisor for as long as the block runs."""
    supervisor = Supervisor()
    setattr(task_runner, "SUPERVISOR_COMMS", supervisor)  # noqa: B010 - declared, never set here
    try:
        yield supervisor
    finally:
        delattr(task_runner, "SUPERVISOR_COMMS")


def polls_made(pool: Pool) -> int:
    return sum(len(times) for times in pool.polls.values())


async def scenario(n: int, polls: int, poll: float, reply: dict[str, Any]) -> list[Measure]:
    quiet = logging.getLogger("triggerer_requests.trigger")  # the triggers' task logs: dropped
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    job = reply.pop("job")
    reply["log_text"] = LINE
    # The recorded reply's log length is that of the log it came from; a log that grows by a
    # line per poll is always longer than what was read of it (a shorter one was replaced).
    reply["log_length"] = 10**12
    as_at_scale = _shown.SAVE_EVERY * poll / AT_SCALE[1]  # as many polls between saves as at 30 s
    with (
        supervised() as supervisor,
        stand_ins(reply, 0.001, [0], FirstDelays()) as pools,
        patch.object(_shown, "SAVE_EVERY", as_at_scale),
    ):
        triggers = []
        for i in range(n):
            trigger = JobTrigger(
                oracle_conn_id="bench", job={**job, "job_name": f"J{i}"}, poll_interval=poll, try_number=1
            )
            trigger.task_instance = SimpleNamespace(
                dag_id="bench", task_id=f"t{i}", run_id="r", map_index=-1, try_number=1
            )
            trigger._log = quiet  # Airflow's LoggingMixin keeps its logger there
            _shown.start({"ti": trigger.task_instance}, trigger)  # as the task does before deferring
            triggers.append(trigger)
        supervisor.requests.clear()
        tasks = [asyncio.create_task(anext(t.run())) for t in triggers]
        await until(lambda: bool(pools) and len(pools[0].first_polls) == n, poll)
        pool = pools[0]
        starting, requests, before = supervisor.requests["GetXCom"], supervisor.total(), polls_made(pool)
        await until(lambda: all(len(times) > polls for times in pool.polls.values()), poll)
        window, requests = polls_made(pool) - before, supervisor.total() - requests
        writes = supervisor.requests.copy()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        at_cancel = supervisor.requests["SetXCom"] - writes["SetXCom"]
        await _pool.close_pools()
    per_poll = requests / max(window, 1)
    kept = int(_shown._xcom() is not None)  # without async XCom nothing is recorded, nor asked
    triggers_at_scale, poll_at_scale = AT_SCALE
    return [
        Measure("log lines per poll (every poll moves the log)", 1, "-"),
        Measure("record kept (this Airflow's XCom has aget_one and aset)", kept, "-"),
        Measure("supervisor requests per trigger start (reading the record)", round(starting / n, 2), "1"),
        Measure(
            "supervisor requests per poll in steady state",
            round(per_poll, 3),
            f"<= {poll_at_scale / _shown.SAVE_EVERY:.2g} and a little (a save per {_shown.SAVE_EVERY:g} s)",
        ),
        Measure(
            f"supervisor requests per second, {triggers_at_scale:,} triggers at {poll_at_scale:g} s polls",
            round(per_poll * triggers_at_scale / poll_at_scale, 1),
            f"<= {triggers_at_scale / _shown.SAVE_EVERY:.2g} and a little",
        ),
        Measure(
            "supervisor requests per trigger when all are cancelled (the last save)",
            round(at_cancel / n, 2),
            "<= 1 (none when nothing is new since a save)",
        ),
    ]


def measure(triggers: int = 200, polls: int = 40, poll_interval: float = 0.05) -> list[Measure]:
    reply = record_status_reply()
    return asyncio.run(scenario(triggers, polls, poll_interval, reply))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triggers", type=int, default=200)
    parser.add_argument("--polls", type=int, default=40)
    args = parser.parse_args()
    print(table(measure(args.triggers, args.polls)))
