"""A schema export writes the objects that go with a user as object types of their own, after
SCHEMA_EXPORT/USER and before SCHEMA_EXPORT/TABLE/TABLE, as Oracle's logs show (Utilities
guide's schema export examples; public expdp logs: USER, SYSTEM_GRANT, ROLE_GRANT, ...,
TABLE/TABLE); EXCLUDE acts on each, and import applies each on its own."""

from __future__ import annotations

import re

import oracledb
from dp_helpers import (
    add_dump,
    add_log,
    detach,
    finish,
    object_types,
    open_job,
    outcome,
    read_file,
    run_job,
    schema_list,
    start,
)

from airflow_datapump.testing import DatabaseHandle

USER_LINES = ["USER", "SYSTEM_GRANT", "ROLE_GRANT", "TABLESPACE_QUOTA", "TABLE/TABLE"]


def _app(cur: oracledb.Cursor) -> None:
    cur.execute("CREATE ROLE app_reader")
    cur.execute("CREATE USER app IDENTIFIED BY pw QUOTA 10M ON users")
    cur.execute("GRANT CREATE SESSION, CREATE TABLE TO app")
    cur.execute("GRANT app_reader TO app")
    cur.execute("CREATE TABLE app.t (id NUMBER)")


def _export(db: DatabaseHandle, cur: oracledb.Cursor, job: str, *calls: str) -> str:
    def app_only(h: int) -> None:
        schema_list(cur, h, "APP")

    return run_job(db, cur, ("EXPORT", "SCHEMA"), job, f"{job.lower()}.dmp", app_only, *calls)


def _import_as_app2(db: DatabaseHandle, cur: oracledb.Cursor, dump: str, job: str) -> str:
    remap = "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'APP', 'APP2')"
    return run_job(db, cur, ("IMPORT", "SCHEMA"), job, dump, remap)


def test_grants_roles_and_quotas_are_object_types_of_their_own(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _app(cur)
    types = object_types(_export(db, cur, "EXP_UO"))
    assert [t for t in types if t in USER_LINES] == USER_LINES
    # A user without grants or quotas has no such objects, and so no line for them; the
    # schema's procedural actions go with every user (PRE_SCHEMA/PROCACT_SCHEMA).
    cur.execute("CREATE USER bare IDENTIFIED BY pw")
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_BARE")
    add_log(cur, h, "exp_bare.log")
    add_dump(cur, h, "exp_bare.dmp")
    schema_list(cur, h, "BARE")
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert object_types(read_file(db, "exp_bare.log")) == ["USER", "PRE_SCHEMA/PROCACT_SCHEMA"]


def test_exclude_acts_on_each_user_object_path(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _app(cur)
    exclude = "DBMS_DATAPUMP.METADATA_FILTER(:h, 'EXCLUDE_PATH_EXPR', 'IN (''{}'')')"
    types = object_types(_export(db, cur, "EXP_NOG", exclude.format("GRANT")))
    assert "SYSTEM_GRANT" not in types
    assert "ROLE_GRANT" not in types
    assert "TABLESPACE_QUOTA" in types
    assert "USER" in types
    types = object_types(_export(db, cur, "EXP_NOQ", exclude.format("TABLESPACE_QUOTA")))
    assert "TABLESPACE_QUOTA" not in types
    assert "SYSTEM_GRANT" in types


def test_import_applies_each_user_object_and_logs_its_type(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _app(cur)
    _export(db, cur, "EXP_UI")
    log = _import_as_app2(db, cur, "exp_ui.dmp", "IMP_UI")
    assert [t for t in object_types(log) if t in USER_LINES] == USER_LINES
    assert outcome(db, "imp_ui.log")["outcome"] == "successfully completed", log
    cur.execute("select privilege from dba_sys_privs where grantee = 'APP2' order by 1")
    assert cur.fetchall() == [("CREATE SESSION",), ("CREATE TABLE",)]
    cur.execute("select granted_role from dba_role_privs where grantee = 'APP2'")
    assert cur.fetchall() == [("APP_READER",)]
    cur.execute("select tablespace_name, max_bytes from dba_ts_quotas where username = 'APP2'")
    assert cur.fetchall() == [("USERS", 10 * 1024**2)]


def test_a_role_missing_at_import_fails_its_role_grant(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _app(cur)
    _export(db, cur, "EXP_UR")
    cur.execute("DROP ROLE app_reader")
    log = _import_as_app2(db, cur, "exp_ur.dmp", "IMP_UR")
    assert re.search(r'ORA-39083: Object type ROLE_GRANT:"APP2" failed to create with error:\n'
                     r"ORA-01919: role 'APP_READER' does not exist\n\nFailing sql is:\n"
                     r'GRANT APP_READER TO "APP2"', log), log  # fmt: skip
    assert outcome(db, "imp_ur.log")["outcome"] == "completed with 1 error(s)"
