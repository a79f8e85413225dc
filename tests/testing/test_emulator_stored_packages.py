"""Stored PL/SQL packages in the emulator: CREATE [OR REPLACE] PACKAGE [BODY] and calls into
their functions from other blocks, as Data Pump's REMAP_DATA needs (PL/SQL Language Reference,
CREATE PACKAGE / CREATE PACKAGE BODY)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle

SPEC = """CREATE OR REPLACE PACKAGE mask_pkg AS
  FUNCTION mask(p_text IN VARCHAR2) RETURN VARCHAR2;
  FUNCTION half(p_value IN NUMBER) RETURN NUMBER;
END mask_pkg;"""
BODY = """CREATE OR REPLACE PACKAGE BODY mask_pkg AS
  FUNCTION stars(p_count IN NUMBER) RETURN VARCHAR2 IS
  BEGIN
    RETURN RPAD('*', p_count, '*');
  END;
  FUNCTION mask(p_text IN VARCHAR2) RETURN VARCHAR2 IS
  BEGIN
    RETURN SUBSTR(p_text, 1, 1) || stars(LENGTH(p_text) - 1);
  END;
  FUNCTION half(p_value IN NUMBER) RETURN NUMBER IS
  BEGIN
    RETURN p_value / 2;
  END;
END mask_pkg;"""


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as active:
        active.database("FREEPDB1").load_sample_hr()
        yield active


def _connect(oracle: EmulatedOracle, user: str, password: str) -> oracledb.Connection:
    return oracledb.connect(user=user, password=password, dsn=oracle.dsn("FREEPDB1"))


def _hr_with_package(oracle: EmulatedOracle) -> oracledb.Connection:
    """HR, allowed to create procedures, with MASK_PKG created."""
    with _connect(oracle, "system", "oracle") as dba:
        dba.cursor().execute("GRANT CREATE PROCEDURE TO hr")
    hr = _connect(oracle, "hr", "hr")
    hr.cursor().execute(SPEC)
    hr.cursor().execute(BODY)
    return hr


def _code(cursor: oracledb.Cursor, text: str) -> str:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cursor.execute(text)
    return str(caught.value.args[0].full_code)


def test_a_package_function_is_called_from_the_owner_and_from_another_user(oracle: EmulatedOracle) -> None:
    with _hr_with_package(oracle) as hr:
        cursor = hr.cursor()
        out = cursor.var(str)
        cursor.execute("BEGIN :o := mask_pkg.mask('Secret'); END;", o=out)
        assert out.getvalue() == "S*****"
    with _connect(oracle, "system", "oracle") as dba:
        number = dba.cursor().var(oracledb.DB_TYPE_NUMBER)
        dba.cursor().execute("BEGIN :n := hr.mask_pkg.half(21); END;", n=number)
        assert number.getvalue() == 10.5


def test_creating_a_package_needs_the_privilege_and_or_replace(oracle: EmulatedOracle) -> None:
    with _connect(oracle, "hr", "hr") as hr:
        assert _code(hr.cursor(), SPEC) == "ORA-01031"
    with _connect(oracle, "system", "oracle") as dba:
        dba.cursor().execute("GRANT CREATE PROCEDURE TO hr")
    with _connect(oracle, "hr", "hr") as hr:
        hr.cursor().execute(SPEC)
        assert _code(hr.cursor(), SPEC.replace(" OR REPLACE", "")) == "ORA-00955"


def test_only_what_the_specification_declares_is_callable(oracle: EmulatedOracle) -> None:
    with _hr_with_package(oracle) as hr:
        cursor = hr.cursor()
        assert _code(cursor, "DECLARE v VARCHAR2(10); BEGIN v := mask_pkg.stars(3); END;") == "ORA-06550"
        assert _code(cursor, "DECLARE v VARCHAR2(10); BEGIN v := no_such_pkg.f(3); END;") == "ORA-06550"
