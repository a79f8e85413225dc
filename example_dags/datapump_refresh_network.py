"""Refresh in network mode: import HR from production over a database link, with no dump file.

The test database (``oracle_target``) has a link ``PROD_LINK`` to production; Data Pump reads
the source through it (NETWORK_LINK), consistent as of the submit, and writes only a log. For
shops where a link from test to production is allowed and disk for dump files is not.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_datapump.operators import ImportOperator

with DAG(
    dag_id="datapump_refresh_network",
    schedule="0 3 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    params={"source_schema": "HR", "target_schema": "HR_NET"},
    tags=["datapump", "example"],
) as dag:
    ImportOperator(
        task_id="import_over_link",
        oracle_conn_id="oracle_target",
        network_link="PROD_LINK",  # not templated: it decides what the job needs
        schemas=["{{ params.source_schema }}"],
        remap_schemas={"{{ params.source_schema }}": "{{ params.target_schema }}"},
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
        allowed_errors=["ORA-31684"],
    )
