"""Nightly schema refresh: export HR from production, copy the dump, import it as HR_TEST.

Connections (type ``oracle``): ``oracle_source`` (production) and ``oracle_target`` (test).
The target database has a database link ``PROD_LINK`` to production, used to pull the dump
files with DBMS_FILE_TRANSFER. Both waits are deferred: no worker slot is held while Data
Pump works. The copied dump files are deleted from the target after a successful import.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, task

from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator, ImportOperator

DUMP = "hr_{{ ds_nodash }}_%U.dmp"

with DAG(
    dag_id="datapump_schema_refresh",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["datapump", "example"],
) as dag:
    export_hr = ExportOperator(
        task_id="export_hr",
        oracle_conn_id="oracle_source",
        schemas=["HR"],
        dump_files=[DUMP],
        reuse_dump_files=True,
        parallel=2,
        exclude=["STATISTICS"],
        deferrable=True,
    )

    @task
    def copy_dump(exported: dict[str, object]) -> list[str]:
        """Pull every member of the dump file set to the target over PROD_LINK."""
        source = DatapumpHook(oracle_conn_id="oracle_source")
        directory = str(exported["dump_directory"])
        members = [m for t in exported["dump_files"] for m in source.dump_file_members(directory, t)]  # type: ignore[attr-defined]
        source.close()
        target = DatapumpHook(oracle_conn_id="oracle_target")
        for member in members:
            target.delete_file("DATA_PUMP_DIR", member)  # yesterday's copy, if any
        target.copy_files(
            members,
            link="PROD_LINK",
            direction="get",
            source_directory=directory,
            destination_directory="DATA_PUMP_DIR",
        )
        target.close()
        return members

    import_hr_test = ImportOperator(
        task_id="import_hr_test",
        oracle_conn_id="oracle_target",
        dump_files=[DUMP],
        schemas=["HR"],
        remap_schemas={"HR": "HR_TEST"},
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
        allowed_errors=["ORA-31684"],  # HR_TEST already exists after the first night
        delete_dump_files=True,
        deferrable=True,
    )

    copy_dump(export_hr.output) >> import_hr_test
