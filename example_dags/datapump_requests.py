"""Run oracledb-datapump JSON requests sent through Airflow's REST API.

Trigger a run whose ``conf`` is the request (without its ``connection``: the DAG uses the
Airflow connection ``oracle_default``); the answer, ``{job_name, job_owner, state, detail}``,
is the ``return_value`` XCom of the ``run_request`` task. The README shows the curl calls.
"""

from __future__ import annotations

from airflow_datapump.request_dag import datapump_request_dag

dag = datapump_request_dag("datapump_request", oracle_conn_id="oracle_default")
