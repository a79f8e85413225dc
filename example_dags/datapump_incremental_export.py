"""Incremental refresh: each run exports only the rows changed in its data interval and appends them.

The high-watermark pattern of ingestion tools, with Data Pump: the export's QUERY is templated
on ``data_interval_start``/``end`` (here on HR.EMPLOYEES.HIRE_DATE; in real life a
last-modified column), so every yearly run moves exactly its interval's rows, and a rerun of
a run exports the same rows. The dump file is pulled to the target over the link
``PROD_LINK`` and its rows are appended to the copy in HR_INC (a schema that must exist).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_datapump.operators import CopyDumpFilesOperator, ExportOperator, ImportOperator

DUMP = "emp_{{ data_interval_start | ds_nodash }}_%U.dmp"
WINDOW = (
    "WHERE hire_date >= TO_DATE('{{ data_interval_start.strftime('%Y-%m-%d %H:%M:%S') }}', "
    "'YYYY-MM-DD HH24:MI:SS') "
    "AND hire_date < TO_DATE('{{ data_interval_end.strftime('%Y-%m-%d %H:%M:%S') }}', "
    "'YYYY-MM-DD HH24:MI:SS')"
)

with DAG(
    dag_id="datapump_incremental_export",
    schedule="@yearly",
    start_date=pendulum.datetime(2015, 1, 1, tz="UTC"),
    catchup=False,
    tags=["datapump", "example"],
) as dag:
    export_changes = ExportOperator(
        task_id="export_changes",
        oracle_conn_id="oracle_source",
        mode="TABLE",
        tables=["HR.EMPLOYEES"],
        query={"HR.EMPLOYEES": WINDOW},
        dump_files=[DUMP],
        reuse_dump_files=True,  # a rerun of the same interval exports it again
    )
    copy_changes = CopyDumpFilesOperator(
        task_id="copy_changes",
        source_conn_id="oracle_source",
        destination_conn_id="oracle_target",
        link="PROD_LINK",
        dump_files=[DUMP],
        delete_source=True,
    )
    append_changes = ImportOperator(
        task_id="append_changes",
        oracle_conn_id="oracle_target",
        mode="TABLE",
        tables=["HR.EMPLOYEES"],
        dump_files=[DUMP],
        remap_schemas={"HR": "HR_INC"},
        parameters={"TABLE_EXISTS_ACTION": "APPEND"},
        allowed_errors=["ORA-39152"],  # "table exists, data will be appended": what we asked for
        delete_dump_files=True,
    )
    export_changes >> copy_changes >> append_changes
