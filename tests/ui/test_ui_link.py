"""The "Data Pump job" extra link on Export and Import tasks (issue: UI)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from airflow_datapump.core.submission import JobRef
from airflow_datapump.operators.datapump import ExportOperator
from airflow_datapump.ui.links import DatapumpJobLink


def _export() -> ExportOperator:
    return ExportOperator(task_id="export_hr", oracle_conn_id="oracle_prod", schemas=["HR"])


class _TaskInstance:
    task_id = "export_hr"

    def __init__(self, value: Any) -> None:
        self.value = value

    def xcom_pull(self, *, task_ids: str, key: str) -> Any:
        assert (task_ids, key) == ("export_hr", "return_value")
        return self.value


def test_the_link_opens_the_page_at_the_job_the_task_submitted() -> None:
    operator = _export()
    operator._job = JobRef("EXPORT_HR_1A2B3C4D5E", "SYSTEM", "EXPORT", "")
    url = DatapumpJobLink().get_link(operator, ti_key=_TaskInstance(None))
    parts = urlsplit(url)
    assert parts.path == "/datapump/"
    assert parse_qs(parts.query) == {
        "conn": ["oracle_prod"],
        "owner": ["SYSTEM"],
        "job": ["EXPORT_HR_1A2B3C4D5E"],
    }


def test_the_link_names_the_jobs_log_when_the_task_put_it_elsewhere() -> None:
    operator = _export()
    operator._job = JobRef("EXP_HR", "SYSTEM", "EXPORT", "", log_directory="EXP_DIR", log_file="hr.log")
    url = DatapumpJobLink().get_link(operator, ti_key=_TaskInstance(None))
    query = parse_qs(urlsplit(url).query)
    assert (query["dir"], query["log"]) == (["EXP_DIR"], ["hr.log"])
    summary = {"job_name": "EXP_HR", "owner": "HR", "log_directory": "EXP_DIR", "log_file": "hr.log"}
    resumed = parse_qs(urlsplit(DatapumpJobLink().get_link(_export(), ti_key=_TaskInstance(summary))).query)
    assert (resumed["dir"], resumed["log"]) == (["EXP_DIR"], ["hr.log"])


def test_a_resumed_task_links_to_the_job_in_its_summary() -> None:
    summary = {"job_name": "EXPORT_HR_X", "owner": "HR", "state": "COMPLETED"}
    url = DatapumpJobLink().get_link(_export(), ti_key=_TaskInstance(summary))
    assert parse_qs(urlsplit(url).query) == {"conn": ["oracle_prod"], "owner": ["HR"], "job": ["EXPORT_HR_X"]}


def test_without_a_job_the_link_opens_the_connections_jobs() -> None:
    url = DatapumpJobLink().get_link(_export(), ti_key=_TaskInstance(None))
    assert parse_qs(urlsplit(url).query) == {"conn": ["oracle_prod"]}


def test_the_link_survives_dag_serialization(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.sdk import DAG
    from airflow.serialization.serialized_objects import DagSerialization

    # As the api-server reads DAGs; a scheduler-side read earlier in the session turns it off.
    monkeypatch.setattr(DagSerialization, "_load_operator_extra_links", True)
    with DAG("link_check", schedule=None) as dag:
        _export()
    restored = DagSerialization.from_dict(DagSerialization.to_dict(dag))
    assert "Data Pump job" in restored.get_task("export_hr").extra_links
