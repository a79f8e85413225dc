"""A JobSensor in reschedule mode, each poke a task run of its own (dag.test()).

The emulated clock stands still unless moved: after each poke it moves an hour, so the job
the sensor watches ends between two pokes, as a real one does between two reschedules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow.sdk import DAG

from airflow_datapump.sensors import JobSensor
from airflow_datapump.testing import DatabaseHandle

CLOCK: list[DatabaseHandle] = []  # the test puts the emulated database here


class SteppingSensor(JobSensor):
    def poke(self, context: Any) -> bool:
        try:
            return super().poke(context)
        finally:
            for database in CLOCK:
                database.advance(3600)


with DAG("datapump_rescheduled_sensor", schedule=None, start_date=dt.datetime(2026, 1, 1)) as dag:
    SteppingSensor(
        task_id="wait",
        job_name="NOLOG",
        job_owner="SYSTEM",
        mode="reschedule",
        deferrable=False,
        poke_interval=0.5,
        timeout=4,
    )
