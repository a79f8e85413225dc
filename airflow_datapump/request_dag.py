"""A DAG that runs oracledb-datapump JSON requests sent over Airflow's REST API.

oracledb-datapump answered SUBMIT and STATUS requests over HTTP from AWS Lambda; here the same
request is the ``conf`` of a DAG run triggered through Airflow's REST API, and the answer, in
that project's response shape, is the XCom ``return_value`` of the ``run_request`` task::

    POST /api/v2/dags/datapump_request/dagRuns
    {"logical_date": null, "conf": {"request": "SUBMIT", "payload": {"operation": "EXPORT", ...}}}

The request is checked before any task runs: its structure by the DAG's params (JSON schema:
Airflow refuses to create a run whose conf breaks it), and then, by the first task and without
touching the database, as a whole job (:func:`~airflow_datapump.core.request.parse_request`).
A ``connection`` in the conf is refused: the DAG uses its Airflow connection, and a password
in a run's conf would be stored in Airflow's database and shown in its UI.
"""

from __future__ import annotations

from typing import Any

from airflow_datapump.core.payload import DIRECTIVES
from airflow_datapump.core.request import REQUESTS, STATUS_TYPES

_DIRECTIVE = {
    "type": "object",
    "properties": {
        # No ENCRYPTION_PASSWORD: a run's conf is stored in Airflow's database and shown in its UI.
        "name": {"type": "string", "enum": [name for name in DIRECTIVES if name != "ENCRYPTION_PASSWORD"]},
        "value": {"type": ["string", "integer", "boolean", "null"]},
        "old_value": {"type": ["string", "null"]},
        "object_path": {"type": ["string", "null"]},
    },
    "required": ["name"],
    "additionalProperties": False,
}
PAYLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "operation": {"type": "string", "enum": ["EXPORT", "IMPORT", "SQL_FILE"]},
        "mode": {"type": "string", "enum": ["FULL", "SCHEMA", "TABLE", "TABLESPACE", "TRANSPORTABLE"]},
        "wait": {"type": "boolean"},
        "dumpfiles": {"type": "array", "items": {"type": "string"}},
        "directives": {"type": "array", "items": _DIRECTIVE},
        "tag": {"type": ["string", "null"]},
        "job_name": {"type": "string"},
        "job_owner": {"type": "string"},
        "type": {"type": "string", "enum": list(STATUS_TYPES)},
        "include_detail": {"type": "boolean"},
    },
    "additionalProperties": False,
}


def datapump_request_dag(
    dag_id: str = "datapump_request",
    *,
    oracle_conn_id: str = "oracle_default",
    poll_interval: float | None = None,
    tags: list[str] | None = None,
) -> Any:
    """Build the request DAG.

    :param dag_id: the DAG's id, in the REST API's URLs. Default ``datapump_request``.
    :param oracle_conn_id: the Airflow ``oracle`` connection every request runs on.
    :param poll_interval: seconds between status polls while a SUBMIT with ``"wait": true``
        waits. Default ``[datapump] poll_interval``.
    :param tags: the DAG's tags. Default ``["datapump"]``.
    """
    from airflow.sdk import DAG, Param, task

    params = {
        "request": Param("SUBMIT", type="string", enum=list(REQUESTS), description="SUBMIT or STATUS"),
        "payload": Param({}, description="the request's payload", **PAYLOAD_SCHEMA),
        "connection": Param(None, type="null", description="not accepted: the Airflow connection is used"),
    }
    with DAG(dag_id, schedule=None, params=params, tags=tags or ["datapump"], catchup=False) as dag:
        validated = task(task_id="validate_request")(validate_request)()
        task(task_id="run_request")(run_request)(validated, oracle_conn_id, poll_interval)  # type: ignore[arg-type]  # an XComArg at parse time
    return dag


def validate_request() -> dict[str, Any]:
    """Task: check the whole request as a job (no database call), so a bad one fails here."""
    from airflow.sdk import get_current_context

    from airflow_datapump.core.request import parse_request

    params = get_current_context()["params"]
    request = {"request": params["request"], "payload": params["payload"]}
    parse_request(request, allow_connection=False)
    return request


def run_request(request: dict[str, Any], oracle_conn_id: str, poll_interval: float | None) -> dict[str, Any]:
    """Task: submit, or report on, the job; the answer in oracledb-datapump's shape (to XCom)."""
    from airflow_datapump._compat import conf
    from airflow_datapump.cli.request import status, submit
    from airflow_datapump.core.request import parse_request
    from airflow_datapump.get_provider_info import DEFAULT_POLL_INTERVAL
    from airflow_datapump.hooks.datapump import DatapumpHook

    parsed = parse_request(request, allow_connection=False)
    interval = poll_interval or conf.getfloat("datapump", "poll_interval", fallback=DEFAULT_POLL_INTERVAL)
    hook = DatapumpHook(oracle_conn_id=oracle_conn_id)
    try:
        return status(hook, parsed) if parsed.kind == "STATUS" else submit(hook, parsed, interval)
    finally:
        hook.close()
