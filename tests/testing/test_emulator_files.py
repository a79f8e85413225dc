"""The file packages end to end: UTL_FILE, DBMS_LOB's BFILEs and DBMS_FILE_TRANSFER through
``oracledb.connect`` on the emulator, over directory objects backed by real folders.

Section numbers (§) are those of docs/oracle-sources.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle, emulated_oracle

LOG = 'Starting "HR"."SYS_EXPORT_SCHEMA_01"\nProcessing object type SCHEMA_EXPORT\nJob completed\n'

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
      EXIT WHEN NVL(LENGTHB(buf), 0) + NVL(LENGTHB(ln), 0) + 1 > 30000;  -- line re-read next call
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


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        active.database("FREEPDB1").create_user("HR", "hr")
        yield active


@pytest.fixture
def logs(oracle: EmulatedOracle, tmp_path: Path) -> Path:
    """A directory object LOGS over a folder holding exp.log, with READ and WRITE for HR."""
    folder = oracle.database("FREEPDB1").create_directory("LOGS", tmp_path / "logs", grant_to=["HR"])
    (folder / "exp.log").write_bytes(LOG.encode())
    return folder


def _tail(cur: oracledb.Cursor, pos: int) -> tuple[str | None, int]:
    chunk, new_pos = cur.var(str, 32767), cur.var(int)
    cur.execute(TAIL, pos=pos, dir="LOGS", fname="exp.log", chunk=chunk, new_pos=new_pos)
    return chunk.getvalue(), int(new_pos.getvalue())


def test_whole_log_as_clob(oracle: EmulatedOracle, logs: Path) -> None:
    """§11.5 (and §7.2 item 2): BFILENAME + DBMS_LOB.LOADCLOBFROMFILE into a CLOB OUT bind."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        v = cur.var(oracledb.DB_TYPE_CLOB)
        cur.execute(READ_LOG, dir="LOGS", fname="exp.log", log=v)
        assert v.getvalue().read() == LOG


def test_whole_log_of_an_empty_file_is_an_empty_clob(oracle: EmulatedOracle, logs: Path) -> None:
    """§11.5 on a log that has no text yet: the temporary CLOB stays empty, not NULL."""
    (logs / "empty.log").write_bytes(b"")
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        v = cur.var(oracledb.DB_TYPE_CLOB)
        cur.execute(READ_LOG, dir="LOGS", fname="empty.log", log=v)
        value = v.getvalue()
        assert value is not None
        assert value.read() == ""


def test_incremental_tail_from_a_byte_offset(oracle: EmulatedOracle, logs: Path) -> None:
    """§11.4 (and §7.2 item 1): UTL_FILE.FOPEN/FSEEK/GET_LINE/FGETPOS resume at the byte
    offset the previous call returned, and pick up lines appended in between."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        chunk, pos = _tail(cur, 0)
        assert chunk == LOG
        assert pos == len(LOG.encode())
        assert _tail(cur, pos) == (None, pos)  # nothing new: NULL chunk, same offset
        with (logs / "exp.log").open("ab") as out:
            out.write(b"Export done in 4 s\n")
        chunk, new_pos = _tail(cur, pos)
        assert chunk == "Export done in 4 s\n"
        assert new_pos == pos + len(b"Export done in 4 s\n")
        second_line = LOG.index("Processing")
        assert _tail(cur, second_line)[0] == LOG[second_line:] + "Export done in 4 s\n"


def test_fgetattr_converted_to_numbers(oracle: EmulatedOracle, logs: Path) -> None:
    """§11.6 / §7.3: FGETATTR's BOOLEAN becomes 0/1 inside PL/SQL; the length is in bytes."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        exists, length = cur.var(int), cur.var(int)
        cur.execute(ATTR, dir="LOGS", fname="exp.log", exists=exists, len=length)
        assert (exists.getvalue(), length.getvalue()) == (1, len(LOG.encode()))
        cur.execute(ATTR, dir="LOGS", fname="exp_01.dmp", exists=exists, len=length)
        assert exists.getvalue() == 0


def test_sys_qualified_names_and_fileexists_in_sql(oracle: EmulatedOracle, logs: Path) -> None:
    """§7.2: the packages answer as SYS.UTL_FILE / SYS.DBMS_LOB too (types and constants
    included), and DBMS_LOB.FILEEXISTS(BFILENAME(...)) returns 1/0 from SQL."""
    block = """DECLARE
      f  SYS.UTL_FILE.FILE_TYPE;
      ln VARCHAR2(32767);
    BEGIN
      f := SYS.UTL_FILE.FOPEN('LOGS', 'exp.log', 'r', 32767);
      SYS.UTL_FILE.GET_LINE(f, ln);
      SYS.UTL_FILE.FCLOSE(f);
      :first := ln;
      :big := CASE WHEN SYS.DBMS_LOB.LOBMAXSIZE > 4294967295 THEN 1 ELSE 0 END;
    END;"""
    exists = "SELECT DBMS_LOB.FILEEXISTS(BFILENAME('LOGS', :f)) FROM dual"
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        first, big = cur.var(str, 32767), cur.var(int)
        cur.execute(block, first=first, big=big)
        assert (first.getvalue(), big.getvalue()) == (LOG.splitlines()[0], 1)
        assert cur.execute(exists, f="exp.log").fetchone() == (1,)
        assert cur.execute(exists, f="exp_01.dmp").fetchone() == (0,)


def test_fremove_deletes_the_file(oracle: EmulatedOracle, logs: Path) -> None:
    """§7.3: UTL_FILE.FREMOVE deletes a file (WRITE on the directory); removing it again
    is ORA-29283, as for any file that is not there."""
    block = "BEGIN UTL_FILE.FREMOVE(:dir, :fname); END;"
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        cur.execute(block, dir="LOGS", fname="exp.log")
        assert not (logs / "exp.log").exists()
        with pytest.raises(oracledb.DatabaseError) as again:
            cur.execute(block, dir="LOGS", fname="exp.log")
        assert again.value.args[0].code == 29283


def test_directory_names_are_case_sensitive(oracle: EmulatedOracle, logs: Path) -> None:
    """§7.2 item 2: the directory name is case-sensitive; 'logs' is not the directory LOGS
    (ORA-29280 from UTL_FILE, ORA-22285 from DBMS_LOB)."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        with pytest.raises(oracledb.DatabaseError) as utl:
            _tail_in(cur, "logs")
        assert utl.value.args[0].code == 29280
        with pytest.raises(oracledb.DatabaseError) as lob:
            cur.execute(READ_LOG, dir="logs", fname="exp.log", log=cur.var(oracledb.DB_TYPE_CLOB))
        assert lob.value.args[0].code == 22285


def _tail_in(cur: oracledb.Cursor, directory: str) -> None:
    cur.execute(
        TAIL,
        pos=0,
        dir=directory,
        fname="exp.log",
        chunk=cur.var(str, 32767),
        new_pos=cur.var(int),
    )


def test_user_without_read_on_the_directory_is_refused(oracle: EmulatedOracle, logs: Path) -> None:
    """§7.2 / §7.3: reading needs READ on the directory and FREMOVE needs WRITE; without them
    UTL_FILE raises ORA-29289 (ACCESS_DENIED) and DBMS_LOB ORA-22286. The file is untouched."""
    db = oracle.database("FREEPDB1")
    db.create_user("SCOTT", "tiger")
    with oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        with pytest.raises(oracledb.DatabaseError) as tail:
            _tail_in(cur, "LOGS")
        assert tail.value.args[0].code == 29289
        with pytest.raises(oracledb.DatabaseError) as lob:
            cur.execute(READ_LOG, dir="LOGS", fname="exp.log", log=cur.var(oracledb.DB_TYPE_CLOB))
        assert lob.value.args[0].code == 22286
        with pytest.raises(oracledb.DatabaseError) as attr:
            cur.execute(ATTR, dir="LOGS", fname="exp.log", exists=cur.var(int), len=cur.var(int))
        assert attr.value.args[0].code == 29289
        with pytest.raises(oracledb.DatabaseError) as remove:
            cur.execute("BEGIN UTL_FILE.FREMOVE('LOGS', 'exp.log'); END;")
        assert remove.value.args[0].code == 29289
        assert (logs / "exp.log").read_bytes() == LOG.encode()

        db.execute('GRANT READ ON DIRECTORY "LOGS" TO "SCOTT"')
        chunk, _ = _tail(cur, 0)
        assert chunk == LOG
        with pytest.raises(oracledb.DatabaseError) as still:  # READ is not WRITE
            cur.execute("BEGIN SYS.UTL_FILE.FREMOVE('LOGS', 'exp.log'); END;")
        assert still.value.args[0].code == 29289


def test_directory_access_through_a_role(oracle: EmulatedOracle, logs: Path) -> None:
    """§6.2: a directory grant made to a role reaches the role's grantees."""
    db = oracle.database("FREEPDB1")
    db.create_user("SCOTT", "tiger")
    db.execute("CREATE ROLE log_readers")
    db.execute('GRANT READ ON DIRECTORY "LOGS" TO log_readers')
    db.execute("GRANT log_readers TO scott")
    with oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        v = cur.var(oracledb.DB_TYPE_CLOB)
        cur.execute(READ_LOG, dir="LOGS", fname="exp.log", log=v)
        assert v.getvalue().read() == LOG


def test_get_file_over_a_database_link(oracle: EmulatedOracle, tmp_path: Path) -> None:
    """§7.5: DBMS_FILE_TRANSFER.GET_FILE pulls a file (a multiple of 512 bytes) from another
    database over a link, byte for byte; READ is checked on the source database for the
    link's user and WRITE here. A size that is not a multiple of 512 is ORA-19505, an
    existing destination ORA-19504, an unknown link ORA-02019."""
    source = oracle.database("SRCDB")
    src_folder = source.create_directory("DUMPS", tmp_path / "src", grant_to=["SYSTEM"])
    payload = bytes(range(256)) * 8  # 2048 bytes
    (src_folder / "exp_hr_01.dmp").write_bytes(payload)
    (src_folder / "exp_hr.log").write_bytes(b"not a block multiple\n")
    dest = oracle.database("FREEPDB1").create_directory("IMPORTS", tmp_path / "dst", grant_to=["HR"])
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        conn.cursor().execute(
            "CREATE PUBLIC DATABASE LINK src CONNECT TO system IDENTIFIED BY oracle USING 'localhost/SRCDB'"
        )
    get = """BEGIN
      DBMS_FILE_TRANSFER.GET_FILE(
        source_directory_object      => :src_dir,
        source_file_name             => :src_name,
        source_database              => 'SRC',
        destination_directory_object => 'IMPORTS',
        destination_file_name        => :dest_name);
    END;"""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        cur.execute(get, src_dir="DUMPS", src_name="exp_hr_01.dmp", dest_name="exp_hr_01.dmp")
        assert (dest / "exp_hr_01.dmp").read_bytes() == payload

        with pytest.raises(oracledb.DatabaseError) as exists:
            cur.execute(get, src_dir="DUMPS", src_name="exp_hr_01.dmp", dest_name="exp_hr_01.dmp")
        assert exists.value.args[0].code == 19504
        with pytest.raises(oracledb.DatabaseError) as odd_size:
            cur.execute(get, src_dir="DUMPS", src_name="exp_hr.log", dest_name="exp_hr.log")
        assert odd_size.value.args[0].code == 19505
        assert not (dest / "exp_hr.log").exists()
        with pytest.raises(oracledb.DatabaseError) as no_dir:
            cur.execute(get, src_dir="NOWHERE", src_name="exp_hr_01.dmp", dest_name="x.dmp")
        assert no_dir.value.args[0].code == 22285
        with pytest.raises(oracledb.DatabaseError) as no_link:
            cur.execute(
                "BEGIN DBMS_FILE_TRANSFER.GET_FILE('DUMPS', 'exp_hr_01.dmp', 'NOLINK', 'IMPORTS', 'y.dmp');"
                " END;"
            )
        assert no_link.value.args[0].code == 2019


def test_get_file_needs_read_for_the_links_user(oracle: EmulatedOracle, tmp_path: Path) -> None:
    """§7.5: READ on the source directory is checked on the source database for the user the
    link connects as: without it GET_FILE is ORA-22286 and nothing is written."""
    source = oracle.database("SRCDB")
    source.create_user("FEEDER", "feeder")
    src_folder = source.create_directory("DUMPS", tmp_path / "src")
    (src_folder / "exp_hr_01.dmp").write_bytes(b"\0" * 1024)
    dest = oracle.database("FREEPDB1").create_directory("IMPORTS", tmp_path / "dst", grant_to=["HR"])
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        conn.cursor().execute(
            "CREATE PUBLIC DATABASE LINK src CONNECT TO feeder IDENTIFIED BY feeder USING 'localhost/SRCDB'"
        )
    get = "BEGIN DBMS_FILE_TRANSFER.GET_FILE('DUMPS', 'exp_hr_01.dmp', 'src', 'IMPORTS', 'x.dmp'); END;"
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn, conn.cursor() as cur:
        with pytest.raises(oracledb.DatabaseError) as denied:
            cur.execute(get)
        assert denied.value.args[0].code == 22286
        assert not (dest / "x.dmp").exists()
        source.execute('GRANT READ ON DIRECTORY "DUMPS" TO "FEEDER"')
        cur.execute(get)
        assert (dest / "x.dmp").read_bytes() == b"\0" * 1024
