"""A password in a misshapen parameter is refused without being echoed (issue 9, item 5)."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.exceptions import SpecError
from airflow_datapump.operators import ExportOperator


@pytest.mark.parametrize(
    "parameters",
    [
        [("ENCRYPTION_PASSWORD", "pw-never-shown", "extra")],
        [{"name": "ENCRYPTION_PASSWORD", "value": "pw-never-shown"}],
        "ENCRYPTION_PASSWORD=pw-never-shown",
    ],
)
def test_a_misshapen_password_parameter_is_refused_without_echoing_it(parameters: Any) -> None:
    """An error at parse lands in the DAG processor's import errors (the metadata database)."""
    for build in (
        lambda: ExportOperator(task_id="t", schemas=["HR"], parameters=parameters),
        lambda: JobSpec("EXPORT", "SCHEMA", schemas=["HR"], parameters=parameters),
    ):
        with pytest.raises(SpecError) as caught:
            build()
        assert "pw-never-shown" not in str(caught.value)
        assert "pw-never-shown" not in repr(caught.value.value)
        assert caught.value.field.startswith("parameters")
