"""UTL_FILE and DBMS_LOB raise the codes Oracle's PL/SQL Packages and Types Reference gives
their exceptions, seen from a client as any PL/SQL caller sees them (SQLCODE in a handler).

One case per row of the UTL_FILE / DBMS_LOB part of the situations table in docs/emulator.md.
Codes from the reference's exception tables (UTL_FILE: INVALID_PATH 29280, INVALID_MODE 29281,
INVALID_FILEHANDLE 29282, INVALID_OPERATION 29283, READ_ERROR 29284, WRITE_ERROR 29285,
INVALID_MAXLINESIZE 29287, INVALID_FILENAME 29288, ACCESS_DENIED 29289, INVALID_OFFSET 29290,
RENAME_FAILED 29292;
DBMS_LOB: INVALID_ARGVAL 21560, NOEXIST_DIRECTORY 22285, NOPRIV_DIRECTORY 22286,
OPERATION_FAILED 22288, UNOPENED_FILE 22289), and Database Error Messages' ORA-22994 for a
LOADFROMFILE source offset past the end.
"""

from __future__ import annotations

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle

_SETUP = """
DECLARE f UTL_FILE.FILE_TYPE;
BEGIN
  f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'w');
  UTL_FILE.PUT_LINE(f, 'one line');
  UTL_FILE.FCLOSE(f);
END;"""

# situation, the statements of a block (f a FILE_TYPE, b a BFILE, buf a RAW), the code
CASES = [
    ("fopen_bad_mode", "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'x.txt', 'x');", 29281),
    ("fopen_missing_directory", "f := UTL_FILE.FOPEN('NOSUCH', 'x.txt', 'w');", 29280),
    ("fopen_bad_linesize", "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'x.txt', 'w', 0);", 29287),
    ("fopen_path_in_name", "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'sub/x.txt', 'w');", 29288),
    ("fopen_missing_file", "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'absent.txt', 'r');", 29283),
    (
        "closed_handle",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r'); g := f; "
        "UTL_FILE.FCLOSE(f); UTL_FILE.GET_LINE(g, s);",
        29282,
    ),
    (
        "write_to_read_handle",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r'); UTL_FILE.PUT_LINE(f, 'x');",
        29283,
    ),
    (
        "line_over_linesize_read",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r', 3); UTL_FILE.GET_LINE(f, s);",
        29284,
    ),
    (
        "line_over_linesize_write",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'y.txt', 'w', 3); "
        "UTL_FILE.PUT_LINE(f, 'four'); UTL_FILE.FFLUSH(f);",
        29285,
    ),
    (
        "fseek_past_the_end",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r'); UTL_FILE.FSEEK(f, 1000);",
        29290,
    ),
    (
        "fseek_negative_offset",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r'); UTL_FILE.FSEEK(f, -1);",
        29290,
    ),
    (
        "fseek_no_offset",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r'); UTL_FILE.FSEEK(f, NULL, NULL);",
        29290,
    ),
    ("fremove_missing_file", "UTL_FILE.FREMOVE('DATA_PUMP_DIR', 'absent.txt');", 29283),
    (
        "frename_onto_an_existing_file",
        "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'other.txt', 'w'); UTL_FILE.FCLOSE(f); "
        "UTL_FILE.FRENAME('DATA_PUMP_DIR', 'present.txt', 'DATA_PUMP_DIR', 'other.txt', FALSE);",
        29292,
    ),
    (
        "lob_load_from_past_the_end",
        "b := BFILENAME('DATA_PUMP_DIR', 'present.txt'); DBMS_LOB.FILEOPEN(b, DBMS_LOB.FILE_READONLY); "
        "DBMS_LOB.CREATETEMPORARY(l, TRUE); DBMS_LOB.LOADBLOBFROMFILE(l, b, 1, d, o);",
        22994,
    ),
    (
        "lob_fileopen_missing_directory",
        "b := BFILENAME('NOSUCH', 'present.txt'); DBMS_LOB.FILEOPEN(b, DBMS_LOB.FILE_READONLY);",
        22285,
    ),
    (
        "lob_fileopen_missing_file",
        "b := BFILENAME('DATA_PUMP_DIR', 'absent.txt'); DBMS_LOB.FILEOPEN(b, DBMS_LOB.FILE_READONLY);",
        22288,
    ),
    (
        "lob_fileopen_bad_mode",
        "b := BFILENAME('DATA_PUMP_DIR', 'present.txt'); DBMS_LOB.FILEOPEN(b, 7);",
        21560,
    ),
    (
        "lob_read_unopened",
        "b := BFILENAME('DATA_PUMP_DIR', 'present.txt'); DBMS_LOB.READ(b, n, 1, buf);",
        22289,
    ),
]

_BLOCK = """
DECLARE f UTL_FILE.FILE_TYPE; g UTL_FILE.FILE_TYPE; s VARCHAR2(32767); b BFILE;
  buf RAW(100); n INTEGER := 10; l BLOB; d INTEGER := 1; o INTEGER := 100;
BEGIN
  {body}
  :code := 0;
EXCEPTION WHEN OTHERS THEN :code := SQLCODE;
END;"""


def _sqlcode(cur: oracledb.Cursor, body: str) -> int:
    code = cur.var(int)
    cur.execute(_BLOCK.format(body=body), code=code)
    return int(code.getvalue())


@pytest.mark.parametrize(("body", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_package_exception_codes(dba: oracledb.Cursor, body: str, code: int) -> None:
    dba.execute(_SETUP)
    assert _sqlcode(dba, body) == -code


def test_a_directory_without_the_grant(oracle: EmulatedOracle, dba: oracledb.Cursor) -> None:
    """ACCESS_DENIED (29289) from UTL_FILE, NOPRIV_DIRECTORY (22286) from DBMS_LOB, for a
    directory object the user has no READ or WRITE on."""
    dba.execute(_SETUP)
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        cur = conn.cursor()
        assert _sqlcode(cur, "f := UTL_FILE.FOPEN('DATA_PUMP_DIR', 'present.txt', 'r');") == -29289
        body = "b := BFILENAME('DATA_PUMP_DIR', 'present.txt'); DBMS_LOB.FILEOPEN(b, DBMS_LOB.FILE_READONLY);"
        assert _sqlcode(cur, body) == -22286
