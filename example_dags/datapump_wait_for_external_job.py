"""Wait for a Data Pump job started outside Airflow (a DBA's nightly expdp, say).

Trigger it with ``{"job_name": "...", "job_owner": "..."}`` as run configuration. The sensor
defers: the triggerer watches the job, and the task succeeds when the job completes (one that
completed with errors only when ``allowed_errors`` lists every code its log shows). A job
that has already left the job list is judged by its log, ``<JOB_NAME>.log`` in
``log_directory``: a name alone does not prove a job completed (README, JobSensor), and a
log left by a run of the same job long before this one does not count.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_datapump.sensors import JobSensor

with DAG(
    dag_id="datapump_wait_for_external_job",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    params={"job_name": "EXP_NIGHTLY", "job_owner": "SYSTEM", "log_directory": "DATA_PUMP_DIR"},
    tags=["datapump", "example"],
) as dag:
    JobSensor(
        task_id="wait_for_export",
        oracle_conn_id="oracle_source",
        job_name="{{ params.job_name }}",
        job_owner="{{ params.job_owner }}",
        log_directory="{{ params.log_directory }}",
        # Triggered by hand, often just after the job it names ended: a log whose final line is
        # at most twelve hours older than the run still counts (README, JobSensor, not_before).
        not_before="{{ (dag_run.run_after - macros.timedelta(hours=12)).isoformat() }}",
        deferrable=True,
        poke_interval=60,
        timeout=6 * 3600,
    )
