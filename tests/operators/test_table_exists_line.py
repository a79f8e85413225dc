"""A TRUNCATE refresh under both readings of TABLE_EXISTS_LINE (docs/emulator.md): 11.2 logs
print ORA-39153 with its prefix and count it in "completed with N error(s)", a 12c+ log prints
the text alone and the job successfully completes. With the code in allowed_errors, as the
README advises, the refresh passes under either; without it, it fails where Oracle counts it.
The emulator's default is the 12c+ line, as its other defaults are 19c's."""

from __future__ import annotations

import pytest

from airflow_datapump.exceptions import DatapumpError
from airflow_datapump.operators import ImportOperator
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.testing._datapump.rules import READINGS
from tests.operators.test_submit_stamp import context, exported_hr


def _truncate_refresh(allowed: list[str]) -> ImportOperator:
    return ImportOperator(
        task_id="refresh_hr",
        dump_files=["hr.dmp"],
        mode="TABLE",
        tables=["HR.NOTES"],
        parameters={"TABLE_EXISTS_ACTION": "TRUNCATE"},
        allowed_errors=allowed,
        deferrable=False,
        poll_interval=0.001,
    )


@pytest.fixture(params=READINGS["TABLE_EXISTS_LINE"])
def reading(request: pytest.FixtureRequest, db: DatabaseHandle) -> str:
    exported_hr(db)
    db.execute('INSERT INTO "HR"."NOTES" VALUES (99)')  # yesterday's row, to be truncated away
    db.set_reading("TABLE_EXISTS_LINE", request.param)
    return str(request.param)


def test_a_truncate_refresh_with_the_code_allowed_passes_under_either_reading(
    db: DatabaseHandle, reading: str
) -> None:
    summary = _truncate_refresh(["ORA-39153"]).execute(context("manual__a"))
    assert sorted(row[0] for row in db.rows("HR", "NOTES")) == list(range(20))
    log = (db.directory_path() / summary["log_file"]).read_text()
    prefixed = 'ORA-39153: Table "HR"."NOTES" exists and has been truncated' in log
    assert prefixed is (reading == "COUNTED")
    assert 'Table "HR"."NOTES" exists and has been truncated' in log
    ended = "completed with 1 error(s)" if reading == "COUNTED" else "successfully completed"
    assert ended in log


def test_without_the_code_allowed_only_the_counting_reading_fails(db: DatabaseHandle, reading: str) -> None:
    if reading == "COUNTED":
        with pytest.raises(DatapumpError, match="ORA-39153 not in allowed_errors"):
            _truncate_refresh([]).execute(context("manual__a"))
    else:
        _truncate_refresh([]).execute(context("manual__a"))
    assert sorted(row[0] for row in db.rows("HR", "NOTES")) == list(range(20))


def test_by_default_the_line_is_the_plain_one_a_19c_log_prints(db: DatabaseHandle) -> None:
    """Without a reading set the emulator is the release the provider's users run: the text
    alone, not counted, so a refresh without ORA-39153 allowed succeeds."""
    exported_hr(db)
    db.execute('INSERT INTO "HR"."NOTES" VALUES (99)')
    summary = _truncate_refresh([]).execute(context("manual__a"))
    log = (db.directory_path() / summary["log_file"]).read_text()
    assert "ORA-39153" not in log
    assert 'Table "HR"."NOTES" exists and has been truncated' in log
    assert "successfully completed" in log
    assert sorted(row[0] for row in db.rows("HR", "NOTES")) == list(range(20))
