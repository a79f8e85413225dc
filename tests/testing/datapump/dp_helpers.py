"""Shared PL/SQL text and helpers for the black-box DBMS_DATAPUMP conformance tests.

These tests are derived from Oracle's documentation only (section numbers in the docstrings
are those of docs/oracle-sources.md), never from the emulator's source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, DatabaseHandle, EmulatedOracle

DIR = "DATA_PUMP_DIR"
HR_TABLE_NAMES = ("COUNTRIES", "DEPARTMENTS", "EMPLOYEES", "REGIONS")

# §5: the tolerant pattern for the log's last "Job ..." line (a timestamp prefix is allowed).
OUTCOME = re.compile(
    r'Job "(?P<owner>[^"]+)"\."(?P<job>[^"]+)" (?P<outcome>successfully completed|'
    r"completed with (?P<n>\d+) error\(s\)|stopped due to fatal error|stopped)"
)

# Open a job and return its handle through an OUT bind (handles live as long as the session).
OPEN = """
BEGIN
  :h := DBMS_DATAPUMP.OPEN(operation => :op, job_mode => :mode, remote_link => :link,
                           job_name => :job_name);
END;
"""

# §2.15 / §11.1: the error lines GET_STATUS(handle, KU$_STATUS_JOB_ERROR, 0) returns.
ERROR_LINES = """
DECLARE
  st  ku$_Status;
  js  VARCHAR2(30);
  buf VARCHAR2(32767);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR, 0, js, st);
  IF st IS NOT NULL AND st.error IS NOT NULL THEN
    FOR i IN 1 .. st.error.COUNT LOOP
      buf := buf || st.error(i).LogText || CHR(10);
    END LOOP;
  END IF;
  :lines := buf;
END;
"""

# §2.15 / §4: the 1010-level ku$_JobStatus attributes, flattened to scalars.
JOB_STATUS = """
DECLARE
  st    ku$_Status;
  js    VARCHAR2(30);
  files VARCHAR2(32767);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :job_state := js;
  :job_name := st.job_status.job_name;
  :state := st.job_status.state;
  :pct := st.job_status.percent_done;
  :degree := st.job_status.degree;
  :errs := st.job_status.error_count;
  IF st.job_status.files IS NOT NULL THEN
    FOR i IN 1 .. st.job_status.files.COUNT LOOP
      files := files || st.job_status.files(i).file_name || CHR(10);
    END LOOP;
  END IF;
  :files := files;
END;
"""

# §2.15: WIP lines (mask 1) since the previous call.
WIP_LINES = """
DECLARE
  st  ku$_Status;
  js  VARCHAR2(30);
  buf VARCHAR2(32767);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_WIP, 0, js, st);
  IF st IS NOT NULL AND st.wip IS NOT NULL THEN
    FOR i IN 1 .. st.wip.COUNT LOOP
      buf := buf || st.wip(i).LogText || CHR(10);
    END LOOP;
  END IF;
  :lines := buf;
END;
"""

ATTACH = "BEGIN :h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner); END;"


def connect(
    oracle: EmulatedOracle, user: str = "system", password: str = ADMIN_PASSWORD
) -> oracledb.Connection:
    return oracledb.connect(user=user, password=password, dsn=oracle.dsn("FREEPDB1"))


def call(cur: oracledb.Cursor, statement: str, **binds: Any) -> None:
    """Run one PL/SQL statement, e.g. ``DBMS_DATAPUMP.DETACH(:h)``, in an anonymous block."""
    cur.execute(f"BEGIN {statement}; END;", binds)


def open_job(
    cur: oracledb.Cursor,
    op: str = "EXPORT",
    mode: str = "SCHEMA",
    job_name: str | None = None,
    link: str | None = None,
) -> int:
    h = cur.var(int)
    cur.execute(OPEN, h=h, op=op, mode=mode, link=link, job_name=job_name)
    return int(h.getvalue())


def attach(cur: oracledb.Cursor, job_name: str, owner: str = "SYSTEM") -> int:
    h = cur.var(int)
    cur.execute(ATTACH, h=h, job_name=job_name, owner=owner)
    return int(h.getvalue())


def error_lines(cur: oracledb.Cursor, h: int | None) -> str:
    lines = cur.var(str, 32767)
    cur.execute(ERROR_LINES, h=h, lines=lines)
    return lines.getvalue() or ""


def wip_lines(cur: oracledb.Cursor, h: int) -> str:
    lines = cur.var(str, 32767)
    cur.execute(WIP_LINES, h=h, lines=lines)
    return lines.getvalue() or ""


def job_status(cur: oracledb.Cursor, h: int) -> dict[str, Any]:
    out: dict[str, Any] = {k: cur.var(str, 32767) for k in ("job_state", "job_name", "state", "files")}
    out.update({k: cur.var(oracledb.DB_TYPE_NUMBER) for k in ("pct", "degree", "errs")})
    cur.execute(JOB_STATUS, h=h, **out)
    return {k: v.getvalue() for k, v in out.items()}


def add_dump(cur: oracledb.Cursor, h: int, name: str, **extra: Any) -> None:
    args = "".join(f", {k} => :{k}" for k in extra)
    call(
        cur,
        f"DBMS_DATAPUMP.ADD_FILE(handle => :h, filename => :f, directory => :d{args})",
        h=h,
        f=name,
        d=DIR,
        **extra,
    )


def add_log(cur: oracledb.Cursor, h: int, name: str) -> None:
    call(
        cur,
        "DBMS_DATAPUMP.ADD_FILE(handle => :h, filename => :f, directory => :d, "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE)",
        h=h,
        f=name,
        d=DIR,
    )


def schema_list(cur: oracledb.Cursor, h: int, *schemas: str) -> None:
    value = ",".join("'" + s.replace("'", "''") + "'" for s in schemas)
    call(cur, "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'SCHEMA_LIST', value => :v)", h=h, v=value)


def set_parameter(cur: oracledb.Cursor, h: int, name: str, value: Any) -> None:
    call(cur, "DBMS_DATAPUMP.SET_PARAMETER(handle => :h, name => :n, value => :v)", h=h, n=name, v=value)


def start(cur: oracledb.Cursor, h: int) -> None:
    call(cur, "DBMS_DATAPUMP.START_JOB(handle => :h)", h=h)


def detach(cur: oracledb.Cursor, h: int) -> None:
    call(cur, "DBMS_DATAPUMP.DETACH(handle => :h)", h=h)


def ora(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> int:
    return int(exc.value.args[0].code)


def message(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value.args[0].message)


def read_file(db: DatabaseHandle, name: str, directory: str = DIR) -> str:
    return (db.directory_path(directory) / name).read_text()


def outcome(db: DatabaseHandle, log: str) -> re.Match[str]:
    """§5: the last ``Job "..."."..." ...`` line of a log, matched with the tolerant pattern."""
    lines = [ln for ln in read_file(db, log).splitlines() if ln.strip()]
    match = OUTCOME.search(lines[-1])
    assert match, f"last log line does not match §5: {lines[-1]!r}"
    return match


def exported_tables(db: DatabaseHandle, log: str) -> set[str]:
    """``SCHEMA.TABLE`` of every ``. . exported "S"."T"`` line of an export log."""
    return {f"{s}.{t}" for s, t in re.findall(r'exported "([^"]+)"\."([^"]+)"', read_file(db, log))}


def job_names(db: DatabaseHandle) -> set[str]:
    return {j["name"] for j in db.jobs()}


def finish(db: DatabaseHandle) -> None:
    """Give every running job all the emulated time it needs."""
    db.advance(3600)


def export_schemas(
    db: DatabaseHandle,
    cur: oracledb.Cursor,
    job_name: str,
    dump: str,
    *schemas: str,
    log: str | None = None,
) -> None:
    """A complete file-based schema export, run to its end."""
    h = open_job(cur, "EXPORT", "SCHEMA", job_name)
    add_dump(cur, h, dump)
    add_log(cur, h, log or f"{job_name.lower()}.log")
    schema_list(cur, h, *(schemas or ("HR",)))
    start(cur, h)
    detach(cur, h)
    finish(db)


def import_dump(
    db: DatabaseHandle,
    cur: oracledb.Cursor,
    job_name: str,
    dump: str,
    *,
    remap: tuple[str, str] | None = ("HR", "HR2"),
    action: str | None = "REPLACE",
    log: str | None = None,
) -> None:
    """A complete file-based schema import, run to its end."""
    h = open_job(cur, "IMPORT", "SCHEMA", job_name)
    add_dump(cur, h, dump)
    add_log(cur, h, log or f"{job_name.lower()}.log")
    if remap:
        call(cur, "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', :o, :n)", h=h, o=remap[0], n=remap[1])
    if action:
        set_parameter(cur, h, "TABLE_EXISTS_ACTION", action)
    start(cur, h)
    detach(cur, h)
    finish(db)


def object_types(log: str) -> list[str]:
    """The object types a schema export's log names, in the order it processed them."""
    return re.findall(r"^Processing object type SCHEMA_EXPORT/(\S+)$", log, re.MULTILINE)


def run_job(
    db: DatabaseHandle,
    cur: oracledb.Cursor,
    kind: tuple[str, str],
    job: str,
    dump: str | None,
    *calls: str | Callable[[int], None],
) -> str:
    """One job run to its end; the text of its log (``<job>.log``). ``dump`` None adds no dump
    file; each of ``calls`` is a statement run with ``:h`` bound to the handle, or a function
    given the handle, in order between ADD_FILE and START_JOB."""
    h = open_job(cur, kind[0], kind[1], job)
    if dump:
        add_dump(cur, h, dump)
    add_log(cur, h, f"{job.lower()}.log")
    for step in calls:
        if isinstance(step, str):
            call(cur, step, h=h)
        else:
            step(h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    return read_file(db, f"{job.lower()}.log")
