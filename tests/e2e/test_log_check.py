"""The end-to-end session's log check (e2e_logs.py) on logs shaped like the stack's: it fails on
what an operator would have to look into and passes what a test or a known cause accounts for.
Not an e2e test: it reads files written here, so it runs with the ordinary suite."""

from __future__ import annotations

import json
from pathlib import Path

import e2e_logs
import pytest
from e2e_logs import Expected

# As the triggerer printed it on every deferral before the task wrote the record first.
XCOM_MISS = (
    "2026-12-02T07:34:54.426096Z [error    ] XCom not found                 [airflow.sdk.api.client] "
    "dag_id=datapump_schema_refresh detail={'reason': 'not_found'} key=datapump_log_shown loc=client.py:601"
)
TRACEBACK = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: [error] x'


def _entry(level: str, logger: str, event: str) -> str:
    return json.dumps({"timestamp": "2026-12-02T07:35:05Z", "level": level, "event": event, "logger": logger})


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "process-logs").mkdir()
    (tmp_path / "process-logs" / "triggerer.log").write_text(
        "2026-12-02T07:33:45.405348Z [info     ] Starting the triggerer         [airflow.jobs.x] loc=a.py:1\n"
        f"{XCOM_MISS}\n{TRACEBACK}\n"
        "2026-12-02T07:34:54.6Z [warning  ] Skipping masking for a secret as it's too short (<5 chars) "
        "[airflow.sdk._shared.secrets_masker.secrets_masker] loc=secrets_masker.py:611\n"
    )
    (tmp_path / "process-logs" / "log-server.log").write_text(
        "\n".join(
            f"2026-12-02T07:50:21.685944Z [error    ] Exception in ASGI application\n"
            f" [uvicorn.error] loc=httptools_impl.py:427\nTraceback (most recent call last):\n{cause}"
            for cause in (
                "RuntimeError: Response content longer than Content-Length",  # Airflow's (AIRFLOW_NOISE)
                "ZeroDivisionError: division by zero",  # another failure: reported
            )
        )
        + "\n"
    )
    task = tmp_path / "logs" / "dag_id=d" / "run_id=r" / "task_id=t"
    task.mkdir(parents=True)
    (task / "attempt=1.log").write_text(
        "\n".join(
            [
                _entry("info", "airflow_datapump.hooks.datapump", "Submitted Data Pump job SYSTEM.EXP_T"),
                _entry(
                    "warning",
                    "airflow.task.operators.airflow_datapump.operators.datapump.ExportOperator",
                    "Could not read the Data Pump log: ORA-29283",
                ),
                _entry("error", "task", "Task failed with exception"),
                "not JSON: a line printed by something else",
            ]
        )
        + "\n"
    )
    return tmp_path


def test_every_unexplained_error_and_warning_of_ours_is_reported(home: Path) -> None:
    found = e2e_logs.unexpected(e2e_logs.read(home), [])
    assert [(line.where, line.logger, line.event) for line in found] == [
        ("log-server.log", "uvicorn.error", "Exception in ASGI application"),
        ("triggerer.log", "airflow.sdk.api.client", "XCom not found"),
        (
            "logs/dag_id=d/run_id=r/task_id=t/attempt=1.log",
            "airflow.task.operators.airflow_datapump.operators.datapump.ExportOperator",
            "Could not read the Data Pump log: ORA-29283",
        ),
        ("logs/dag_id=d/run_id=r/task_id=t/attempt=1.log", "task", "Task failed with exception"),
    ]  # Airflow's warning is not ours; a traceback belongs to the entry before it
    assert "ZeroDivisionError" in found[0].text
    with pytest.raises(AssertionError, match=r"4 unexpected line\(s\)(.|\n)*XCom not found"):
        e2e_logs.check(home, [])


def test_lines_a_test_expects_are_not_reported(home: Path) -> None:
    expected = [
        Expected(
            "uvicorn.error", "Exception in ASGI application", "as if a test provoked it", "ZeroDivision"
        ),
        Expected("airflow.sdk.api.client", "XCom not found", "as if a test provoked it"),
        Expected("airflow.task.operators.airflow_datapump", "Could not read the Data Pump log", "ditto"),
        Expected("task", "Task failed with exception", "ditto"),
    ]
    e2e_logs.check(home, expected)
    narrower = [
        *expected[:3],
        Expected("task", "Task failed with exception", "ditto", containing="COMPRESSION"),
    ]
    assert len(e2e_logs.unexpected(e2e_logs.read(home), narrower)) == 1  # another failure than the test's
