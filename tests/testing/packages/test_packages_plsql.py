"""The reference's PL/SQL blocks (sections 7.3, 11.4, 11.5) run through the language engine
with these packages behind a minimal Runtime: what clients send must work once assembled."""

from __future__ import annotations

import contextlib
import datetime as dt
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path

import pytest
from packages_fakes import FakeFiles

from airflow_datapump.testing._packages import dbms_lob, utl_file
from airflow_datapump.testing._plsql.packages import PackageSpec
from airflow_datapump.testing._values import CLOB, NUMBER, Bind, DataType, LobValue

engine = pytest.importorskip("airflow_datapump.testing._plsql.engine")

TAIL = """
DECLARE
  f     UTL_FILE.FILE_TYPE;
  ln    VARCHAR2(32767);
  buf   VARCHAR2(32767);
  pos   PLS_INTEGER := :pos;
BEGIN
  f := UTL_FILE.FOPEN(:dir, :fname, 'r', 32767);
  IF pos > 0 THEN UTL_FILE.FSEEK(f, absolute_offset => pos); END IF;
  BEGIN
    LOOP
      UTL_FILE.GET_LINE(f, ln);
      EXIT WHEN NVL(LENGTHB(buf), 0) + NVL(LENGTHB(ln), 0) + 1 > 30000;
      buf := buf || ln || CHR(10);
      pos := UTL_FILE.FGETPOS(f);
    END LOOP;
  EXCEPTION WHEN NO_DATA_FOUND THEN NULL;
  END;
  UTL_FILE.FCLOSE(f);
  :chunk := buf;
  :new_pos := pos;
END;
"""

READ_LOG = """
DECLARE
  b   BFILE := BFILENAME(:dir, :fname);
  c   CLOB;
  d   INTEGER := 1;
  s   INTEGER := 1;
  ctx INTEGER := DBMS_LOB.DEFAULT_LANG_CTX;
  w   INTEGER;
BEGIN
  DBMS_LOB.CREATETEMPORARY(c, TRUE);
  DBMS_LOB.FILEOPEN(b, DBMS_LOB.FILE_READONLY);
  DBMS_LOB.LOADCLOBFROMFILE(c, b, DBMS_LOB.LOBMAXSIZE, d, s, DBMS_LOB.DEFAULT_CSID, ctx, w);
  DBMS_LOB.FILECLOSE(b);
  :log := c;
END;
"""

ATTR = """
DECLARE
  l_exists BOOLEAN;
  l_len    NUMBER;
  l_block  BINARY_INTEGER;
BEGIN
  UTL_FILE.FGETATTR(:dir, :fname, l_exists, l_len, l_block);
  :exists := CASE WHEN l_exists THEN 1 ELSE 0 END;
  :len := l_len;
END;
"""


class _Runtime:
    """Only what these blocks need; anything else would be an engine bug, so it fails."""

    def __init__(self, files: FakeFiles) -> None:
        self.packages = {"UTL_FILE": utl_file.build(files), "DBMS_LOB": dbms_lob.build(files)}

    def package(self, name: str) -> PackageSpec | None:
        return self.packages.get(name.removeprefix("SYS."))

    def type(self, name: str) -> DataType | None:
        return None

    def now(self) -> dt.datetime:
        return dt.datetime(2024, 1, 31)

    def current_user(self) -> str:
        return "HR"

    def session(self) -> object:
        return self

    def statement(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()  # these blocks change no rows


@pytest.fixture
def runtime(tmp_path: Path) -> _Runtime:
    files = FakeFiles(tmp_path)
    files.add("DATA_PUMP_DIR").joinpath("exp.log").write_text("Starting\nJob completed\n")
    return _Runtime(files)


def _run(runtime: _Runtime, text: str, **binds: Bind) -> dict[str, Bind]:
    engine.execute(text, binds, runtime)
    return binds


def test_reference_11_4_incremental_tail(runtime: _Runtime) -> None:
    """Reference 11.4: GET_LINE until NO_DATA_FOUND, FGETPOS after each line, FSEEK to resume
    at that byte offset on the next call."""
    names = {"dir": Bind("DATA_PUMP_DIR"), "fname": Bind("exp.log")}
    out = _run(
        runtime,
        TAIL,
        pos=Bind(Decimal(0)),
        chunk=Bind(None, size=32767),
        new_pos=Bind(None, type=NUMBER),
        **names,
    )
    assert out["chunk"].value == "Starting\nJob completed\n"
    assert out["new_pos"].value == Decimal(23)
    again = _run(
        runtime,
        TAIL,
        pos=Bind(Decimal(9)),
        chunk=Bind(None, size=32767),
        new_pos=Bind(None, type=NUMBER),
        **names,
    )
    assert again["chunk"].value == "Job completed\n"


def test_reference_7_3_fgetattr(runtime: _Runtime) -> None:
    """Reference 7.3 / 11.6: FGETATTR's BOOLEAN mapped to 0/1 inside PL/SQL."""
    out = _run(
        runtime,
        ATTR,
        dir=Bind("DATA_PUMP_DIR"),
        fname=Bind("exp.log"),
        exists=Bind(None, type=NUMBER),
        len=Bind(None, type=NUMBER),
    )
    assert (out["exists"].value, out["len"].value) == (Decimal(1), Decimal(23))


def test_missing_directory_is_catchable_as_invalid_path(runtime: _Runtime) -> None:
    """UTL_FILE.INVALID_PATH is the package exception for ORA-29280."""
    block = """DECLARE f UTL_FILE.FILE_TYPE; BEGIN
      f := UTL_FILE.FOPEN('NOPE', 'x', 'r');
    EXCEPTION WHEN UTL_FILE.INVALID_PATH THEN :msg := SQLERRM;
    END;"""
    out = _run(runtime, block, msg=Bind(None, size=4000))
    assert str(out["msg"].value).startswith("ORA-29280")


def test_reference_11_5_whole_log_as_clob(runtime: _Runtime) -> None:
    """Reference 11.5: BFILENAME + FILEOPEN + LOADCLOBFROMFILE(LOBMAXSIZE) + FILECLOSE, into a
    CLOB bind as ``cur.var(oracledb.DB_TYPE_CLOB)`` makes it."""
    log = Bind(None, type=CLOB)
    out = _run(runtime, READ_LOG, dir=Bind("DATA_PUMP_DIR"), fname=Bind("exp.log"), log=log)
    value = out["log"].value
    assert isinstance(value, LobValue)
    assert value.data == "Starting\nJob completed\n"


EMPTY_LOBS = """
DECLARE
  c CLOB;
  b BLOB;
  e CLOB;
BEGIN
  DBMS_LOB.CREATETEMPORARY(c, TRUE);
  DBMS_LOB.CREATETEMPORARY(b, TRUE);
  :clob_len := DBMS_LOB.GETLENGTH(c);
  :blob_len := DBMS_LOB.GETLENGTH(b);
  :clob_null := CASE WHEN c IS NULL THEN 1 ELSE 0 END;
  e := c;
  :copy_len := DBMS_LOB.GETLENGTH(e);
END;
"""


def test_empty_temporary_lobs_are_not_null(runtime: _Runtime) -> None:
    """An empty temporary LOB is a LOB of length 0, not NULL (only '' is NULL), through the
    OUT parameter that hands it back and through assignment."""
    out = _run(
        runtime,
        EMPTY_LOBS,
        clob_len=Bind(None, type=NUMBER),
        blob_len=Bind(None, type=NUMBER),
        clob_null=Bind(None, type=NUMBER),
        copy_len=Bind(None, type=NUMBER),
    )
    assert [out[k].value for k in ("clob_len", "blob_len", "clob_null", "copy_len")] == [
        Decimal(0),
        Decimal(0),
        Decimal(0),
        Decimal(0),
    ]
