"""Restore one table from a schema dump: look inside the dump first, then import only that table.

``list_contents`` runs ``DatapumpHook.dump_contents``: the dump header (which export, which
release), every object a SQL_FILE job finds in the set, and the rows per table the export's
log reports; it fails if the table is not in the dump. ``restore_table`` then imports just
that table, in TABLE mode, into the schema ``params.into`` (which must exist), replacing a
table of that name there.

Trigger it with ``{"dump": "hr_%U.dmp", "export_log": "EXP_HR.log", "table": "EMPLOYEES"}``.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, get_current_context, task

from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ImportOperator

with DAG(
    dag_id="datapump_restore_one_table",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    params={
        "dump": "hr_%U.dmp",
        "export_log": "",
        "schema": "HR",
        "table": "EMPLOYEES",
        "into": "HR_RESTORE",
    },
    tags=["datapump", "example"],
) as dag:

    @task
    def list_contents() -> dict[str, object]:
        """What the dump holds; the table to restore must be among it."""
        params = get_current_context()["params"]
        hook = DatapumpHook(oracle_conn_id="oracle_target")
        try:
            contents = hook.dump_contents(
                "DATA_PUMP_DIR", [params["dump"]], export_log=params["export_log"] or None, poll_interval=0.5
            )
        finally:
            hook.close()
        wanted = f"{params['schema']}.{params['table']}"
        if wanted not in contents.tables():
            raise ValueError(f"table: {wanted!r} is not in the dump; it holds {', '.join(contents.tables())}")
        return contents.to_dict()

    restore_table = ImportOperator(
        task_id="restore_table",
        oracle_conn_id="oracle_target",
        mode="TABLE",
        dump_files=["{{ params.dump }}"],
        tables=["{{ params.schema }}.{{ params.table }}"],
        remap_schemas={"{{ params.schema }}": "{{ params.into }}"},
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
    )
    list_contents() >> restore_table
