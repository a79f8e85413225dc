"""Nightly schema refresh: export HR from production, copy the dump, import it as HR_TEST.

Connections (type ``oracle``): ``oracle_source`` (production) and ``oracle_target`` (test).
The target database has a database link ``PROD_LINK`` to production, used to pull the dump
files with DBMS_FILE_TRANSFER. Both waits are deferred: no worker slot is held while Data
Pump works. After a successful import the copied dump files are deleted from the target
(``delete_dump_files``) and the export's from production (``remove_source_dump``), so no
night's dump set is left behind; a failed import keeps both for a rerun. The export's log
stays beside them, to read what it did.

The schemas, directory objects and link are DAG params, so one DAG serves several refreshes
(trigger it with ``{"source_schema": "SALES", "target_schema": "SALES_TEST"}``, say).

Dump files are named after the DAG run, not its date: a run triggered from the CLI or the
REST API has no logical date in Airflow 3 (so no ``ds_nodash``), and two runs on one day
must not overwrite each other's dump. ``run_file_name`` makes a run id such as
``manual__2026-01-05T10:00:00+00:00`` safe for a file name and keeps it unique.
"""

from __future__ import annotations

import hashlib
import re

import pendulum
from airflow.sdk import DAG, task

from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import CopyDumpFilesOperator, ExportOperator, ImportOperator


def run_file_name(run_id: str) -> str:
    """A run id as part of a file name: letters, digits and _ only, plus a digest so that
    two run ids that differ only in other characters still give different names."""
    readable = re.sub(r"[^A-Za-z0-9]+", "_", run_id).strip("_")[:60]
    return f"{readable}_{hashlib.sha256(run_id.encode()).hexdigest()[:8]}"


DUMP = "{{ params.source_schema | lower }}_{{ run_id | run_file_name }}_%U.dmp"

with DAG(
    dag_id="datapump_schema_refresh",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    params={
        "source_schema": "HR",
        "target_schema": "HR_TEST",
        "source_directory": "DATA_PUMP_DIR",
        "target_directory": "DATA_PUMP_DIR",
        "link": "PROD_LINK",
    },
    tags=["datapump", "example"],
    user_defined_filters={"run_file_name": run_file_name},
) as dag:
    export_hr = ExportOperator(
        task_id="export_hr",
        oracle_conn_id="oracle_source",
        schemas=["{{ params.source_schema }}"],
        directory="{{ params.source_directory }}",
        dump_files=[DUMP],
        # A retry waits on the job its first try started, or, when that job failed and is gone,
        # deletes the dump files it left once they prove to be this run's, then exports again.
        retries=2,
        parallel=2,
        exclude=["STATISTICS"],
        deferrable=True,
    )

    copy_dump = CopyDumpFilesOperator(
        task_id="copy_dump",
        source_conn_id="oracle_source",
        destination_conn_id="oracle_target",
        link="{{ params.link }}",
        dump_files=[DUMP],
        source_directory="{{ params.source_directory }}",
        destination_directory="{{ params.target_directory }}",
    )

    import_hr_test = ImportOperator(
        task_id="import_hr_test",
        oracle_conn_id="oracle_target",
        directory="{{ params.target_directory }}",
        dump_files=[DUMP],
        schemas=["{{ params.source_schema }}"],
        remap_schemas={"{{ params.source_schema }}": "{{ params.target_schema }}"},
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
        allowed_errors=["ORA-31684"],  # HR_TEST already exists after the first night
        delete_dump_files=True,
        deferrable=True,
    )

    @task
    def remove_source_dump(directory: str, template: str) -> list[str]:
        """This run's dump set on production, once imported: the members of the ``%U`` set
        and its copy marker, nothing of another night's (the names carry the run)."""
        hook = DatapumpHook(oracle_conn_id="oracle_source")
        try:
            return hook.delete_dump_files(directory, template)
        finally:
            hook.close()

    removed = remove_source_dump("{{ params.source_directory }}", DUMP)

    export_hr >> copy_dump >> import_hr_test >> removed
