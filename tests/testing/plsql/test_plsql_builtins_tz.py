"""TO_TIMESTAMP_TZ reads the offset the text gives (SQL Language Reference, TO_TIMESTAMP_TZ)."""

from __future__ import annotations

import datetime as dt

from fake_runtime import FakeRuntime, error_of

from airflow_datapump.testing._plsql import execute


def test_to_timestamp_tz_keeps_the_offset() -> None:
    result = execute(
        "SELECT TO_TIMESTAMP_TZ('2026-01-31 10:00:00.000000 -05:30',"
        " 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM') FROM dual",
        {},
        FakeRuntime(),
    )
    moment = result.rows[0][0]
    assert isinstance(moment, dt.datetime)
    assert moment.utcoffset() == dt.timedelta(hours=-5, minutes=-30)
    assert moment.replace(tzinfo=None) == dt.datetime(2026, 1, 31, 10)


def test_to_timestamp_tz_reads_a_positive_offset() -> None:
    result = execute(
        "SELECT TO_TIMESTAMP_TZ('2026-01-31 10:00:00 +02:00', 'YYYY-MM-DD HH24:MI:SS TZH:TZM') FROM dual",
        {},
        FakeRuntime(),
    )
    assert result.rows[0][0].utcoffset() == dt.timedelta(hours=2)


def test_to_timestamp_tz_refuses_a_missing_offset() -> None:
    err = error_of(
        FakeRuntime(),
        "SELECT TO_TIMESTAMP_TZ('2026-01-31 10:00:00 xx', 'YYYY-MM-DD HH24:MI:SS TZH:TZM') FROM dual",
    )
    assert err.code == 1857
