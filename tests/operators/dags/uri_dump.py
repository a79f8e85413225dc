"""A DAG that exports to object storage dump files through a pre-authenticated request URI and
imports them again, with Data Pump's own URI dump files (ADD_FILE filetype 5, CREDENTIAL).

Loaded by tests/operators/test_uri_dump.py as the DAG processor would load it; the URI comes
from a Variable the test puts in the environment.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_datapump.operators import ExportOperator, ImportOperator

FILES = ["{{ var.value.dump_par_uri }}/hr%U.dmp"]

with DAG("uri_dump", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC")) as dag:
    export = ExportOperator(
        task_id="export", schemas=["HR"], credential="OCI_CRED", dump_files=FILES, deferrable=True
    )
    load = ImportOperator(
        task_id="import",
        schemas=["HR"],
        remap_schemas={"HR": "HR2"},
        credential="OCI_CRED",
        dump_files=FILES,
    )
    export >> load
