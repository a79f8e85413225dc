"""The record of how far a trigger showed its log (triggers/_shown.py) is deleted when the task
that resumed from the wait finishes, and kept while a wait of the same try may still read it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump._compat import AirflowException, TaskDeferred
from airflow_datapump.operators import ExportOperator
from airflow_datapump.sensors import JobSensor
from airflow_datapump.triggers import _shown

TI = SimpleNamespace(dag_id="d", task_id="t", run_id="r", map_index=-1, try_number=1)


class _XCom:
    """The worker's XCom as the task SDK offers it; only what the record uses."""

    deleted: list[dict[str, Any]] = []

    @classmethod
    async def aget_one(cls, **where: Any) -> Any:
        return None

    @classmethod
    async def aset(cls, key: str, value: Any, **where: Any) -> None:
        return None

    @classmethod
    def delete(cls, **where: Any) -> None:
        cls.deleted.append(where)


@pytest.fixture
def xcom() -> Any:
    _XCom.deleted = []
    with patch.object(_shown, "_xcom", lambda: _XCom):
        yield _XCom


RECORD = {"key": _shown.KEY, "dag_id": "d", "task_id": "t", "run_id": "r", "map_index": -1}


def test_a_failed_wait_deletes_the_record_too(xcom: Any) -> None:
    op = ExportOperator(task_id="t", schemas=["HR"], poll_interval=1)
    with pytest.raises(AirflowException, match="failed"):
        op.execute_complete({"ti": TI}, {"status": "error", "message": "ORA-03113"})
    assert xcom.deleted == [RECORD]


def test_a_sensor_that_resumes_deletes_the_record(xcom: Any) -> None:
    sensor = JobSensor(task_id="t", job_name="EXTERNAL", job_owner="SYSTEM")
    sensor.execute_complete({"ti": TI}, {"status": "success", "state": "UNDEFINED"})
    assert xcom.deleted == [RECORD]


def test_a_task_that_defers_again_keeps_the_record(xcom: Any) -> None:
    with pytest.raises(TaskDeferred), _shown.cleared_after({"ti": TI}):
        raise TaskDeferred(trigger=None, method_name="execute_complete")  # type: ignore[arg-type]
    assert xcom.deleted == []


def test_without_a_task_instance_or_a_store_nothing_breaks(xcom: Any) -> None:
    with _shown.cleared_after({}):
        pass
    _shown.clear(SimpleNamespace(dag_id="d"))  # not a task instance: nothing to delete
    assert xcom.deleted == []
    with patch.object(_XCom, "delete", side_effect=RuntimeError("no supervisor")):
        _shown.clear(TI)  # an unreachable store never fails the task
