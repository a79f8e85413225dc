"""Engine errors become the python-oracledb exceptions the real driver raises."""

from __future__ import annotations

import oracledb
import pytest
from driver_fake_engine import OtherOracleError

from airflow_datapump.testing._driver import EngineError, database_error


@pytest.mark.parametrize(
    ("code", "prefix", "expected_class", "full_code"),
    [
        (31626, "ORA", oracledb.DatabaseError, "ORA-31626"),
        (1, "ORA", oracledb.IntegrityError, "ORA-00001"),
        (3113, "ORA", oracledb.DatabaseError, "DPY-4011"),
        (3135, "ORA", oracledb.DatabaseError, "DPY-4011"),
        (1013, "ORA", oracledb.OperationalError, "ORA-01013"),
        (24422, "ORA", oracledb.InterfaceError, "DPY-1005"),
        (4024, "DPY", oracledb.DatabaseError, "DPY-4024"),
        (6005, "DPY", oracledb.OperationalError, "DPY-6005"),
        (1001, "DPY", oracledb.InterfaceError, "DPY-1001"),
    ],
)
def test_class_and_full_code_follow_the_real_tables(
    code: int, prefix: str, expected_class: type[Exception], full_code: str
) -> None:
    width = 4 if prefix == "DPY" else 5
    exc = database_error(EngineError(code, prefix, f"{prefix}-{code:0{width}d}: some text"))
    assert type(exc) is expected_class
    assert exc.args[0].full_code == full_code


def test_ora_error_matches_the_real_driver_text() -> None:
    exc = database_error(EngineError(31626, "ORA", "ORA-31626: job does not exist", 7))
    err = exc.args[0]
    assert isinstance(err, oracledb._Error)
    assert (err.code, err.offset, err.isrecoverable) == (31626, 7, False)
    assert err.message.splitlines()[0] == "ORA-31626: job does not exist"
    # What thin mode prints: the message plus the help portal line it appends.
    expected = "ORA-31626: job does not exist\nHelp: https://docs.oracle.com/error-help/db/ora-31626/"
    assert str(exc) == expected


def test_lost_connection_is_dpy_4011_and_recoverable() -> None:
    exc = database_error(EngineError(3113, "ORA", "ORA-03113: end-of-file on communication channel"))
    assert str(exc).startswith("DPY-4011: the database or network closed the connection")
    assert exc.args[0].isrecoverable
    assert exc.args[0].is_session_dead


def test_message_without_code_prefix_gets_one() -> None:
    exc = database_error(EngineError(942, "ORA", "table or view does not exist"))
    assert str(exc).startswith("ORA-00942: table or view does not exist")


def test_pls_code_is_not_read_as_an_ora_code() -> None:
    exc = database_error(EngineError(201, "PLS", "PLS-00201: identifier 'X' must be declared"))
    assert exc.args[0].code == 201
    assert exc.args[0].full_code == "PLS-00201"
    assert "Help:" not in str(exc)


def test_duck_typed_engine_errors_are_converted(conn: oracledb.Connection) -> None:
    with pytest.raises(oracledb.DatabaseError) as info:
        conn.cursor().execute("other error")
    assert info.value.args[0].full_code == "ORA-06550"
    assert "PLS-00201" in info.value.args[0].message
    assert not isinstance(info.value, OtherOracleError)


def test_call_timeout_error_from_engine() -> None:
    exc = database_error(EngineError(4024, "DPY", "DPY-4024: call timeout of 500 ms exceeded"))
    assert str(exc) == "DPY-4024: call timeout of 500 ms exceeded"
