"""A DAG that moves a dump file set with DBMS_CLOUD through a pre-authenticated request URI.

Loaded by tests/operators/test_par_uri.py as the DAG processor would load it; the URI comes
from a Variable the test puts in the environment (the way the operator's docstring advises),
the upload deletes the originals, and the download declares the set's Asset, so its event is searched too.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_datapump.assets import dump_set_asset
from airflow_datapump.operators import DbmsCloudTransferOperator

URI = "{{ var.value.dump_par_uri }}"

COMMON = {"object_uri": URI, "credential_name": None, "dump_files": ["par_%U.dmp"]}

with DAG("par_uri", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC")) as dag:
    up = DbmsCloudTransferOperator(task_id="upload", direction="upload", delete_source=True, **COMMON)
    down = DbmsCloudTransferOperator(
        task_id="download",
        direction="download",
        outlets=[dump_set_asset("localhost:1521/FREEPDB1", "DATA_PUMP_DIR", "par_%U.dmp")],
        **COMMON,
    )
    up >> down
