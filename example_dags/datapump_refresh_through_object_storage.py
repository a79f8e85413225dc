"""Refresh through object storage, no database link: a producer DAG and a consumer chained by an Asset.

``datapump_dump_producer`` exports HR from production (``oracle_source``) and uploads the dump
file set to an object storage folder, deleting the export's files once the upload is
verified. The folder is an Asset: each upload is an event whose extra lists the files, their
sizes and checksums. ``datapump_dump_consumer`` is scheduled on that Asset: it downloads the
dump file set the event names into the test database (``oracle_target``) and imports HR as HR_COPY,
deleting the downloaded files after the import.

The folder comes from the environment (``DATAPUMP_DUMP_LOCATION``), e.g.
``s3://aws_default@dumps/refresh/hr`` (``aws_default`` is the Airflow connection to use).
"""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import DAG, Asset, task

from airflow_datapump.operators import (
    DumpFromObjectStorageOperator,
    DumpToObjectStorageOperator,
    ExportOperator,
    ImportOperator,
)

LOCATION = os.environ.get("DATAPUMP_DUMP_LOCATION", "s3://aws_default@dumps/refresh/hr")
DUMPS = Asset(uri=LOCATION.replace("aws_default@", ""))  # the folder, without the connection
DUMP = "hr_{{ ts_nodash }}_%U.dmp"

with DAG(
    dag_id="datapump_dump_producer",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["datapump", "example"],
) as producer:
    export_hr = ExportOperator(
        task_id="export_hr",
        oracle_conn_id="oracle_source",
        schemas=["HR"],
        dump_files=[DUMP],
        exclude=["STATISTICS"],
    )
    upload = DumpToObjectStorageOperator(
        task_id="upload",
        oracle_conn_id="oracle_source",
        dump_files=[DUMP],
        destination=LOCATION,  # its Asset (DUMPS) becomes this task's outlet
        delete_source=True,
    )
    export_hr >> upload

with DAG(
    dag_id="datapump_dump_consumer",
    schedule=[DUMPS],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["datapump", "example"],
) as consumer:

    @task(inlets=[DUMPS])
    def dump_to_import(**context: object) -> str:
        """The dump file set of the upload that triggered this run (the latest one, run by hand)."""
        triggering = context["triggering_asset_events"].get(DUMPS) or []  # type: ignore[attr-defined]
        event = triggering[-1] if triggering else context["inlet_events"][DUMPS][-1]  # type: ignore[index]
        return str(event.extra["templates"][0])  # e.g. hr_20260101T020000_%U.dmp

    dump = dump_to_import()
    download = DumpFromObjectStorageOperator(
        task_id="download",
        oracle_conn_id="oracle_target",
        source=LOCATION,
        dump_files=["{{ ti.xcom_pull(task_ids='dump_to_import') }}"],
    )
    import_hr_copy = ImportOperator(
        task_id="import_hr_copy",
        oracle_conn_id="oracle_target",
        dump_files=["{{ ti.xcom_pull(task_ids='dump_to_import') }}"],
        schemas=["HR"],
        remap_schemas={"HR": "HR_COPY"},
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
        allowed_errors=["ORA-31684"],  # HR_COPY exists after the first run
        delete_dump_files=True,
    )
    dump >> download >> import_hr_copy

DAGS = {dag.dag_id: dag for dag in (producer, consumer)}
