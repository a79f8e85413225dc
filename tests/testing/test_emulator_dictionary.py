"""Dictionary views clients and DBAs read, with the columns Oracle's Database Reference gives:
OBJECTS, TAB_COLUMNS, INDEXES, CONSTRAINTS, USER_ROLE_PRIVS / USER_SYS_PRIVS, V$DATABASE,
V$INSTANCE, V$VERSION, PRODUCT_COMPONENT_VERSION, NLS_*_PARAMETERS, DATABASE_PROPERTIES,
V$SESSION and the *_EXPORT_OBJECTS views."""

from __future__ import annotations

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle


def columns(cur: oracledb.Cursor, view: str) -> list[str]:
    cur.execute(f"select * from {view} fetch first 1 rows only")
    return [d[0] for d in cur.description]


def test_objects_list_tables_and_their_key_indexes(hr: oracledb.Cursor) -> None:
    hr.execute("select object_name, object_type, status from user_objects where object_name = 'REGIONS'")
    assert hr.fetchall() == [("REGIONS", "TABLE", "VALID")]
    hr.execute("select count(*) from user_objects where object_type = 'INDEX'")
    assert hr.fetchone()[0] >= 4  # each HR table has a primary key
    assert "OWNER" not in columns(hr, "user_objects")
    assert columns(hr, "all_objects")[:6] == [
        "OWNER", "OBJECT_NAME", "SUBOBJECT_NAME", "OBJECT_ID", "DATA_OBJECT_ID", "OBJECT_TYPE",
    ]  # fmt: skip
    hr.execute(
        "select owner from all_objects where object_type = 'DIRECTORY' and object_name = 'DATA_PUMP_DIR'"
    )
    assert hr.fetchall() == []  # HR has no privilege on DATA_PUMP_DIR


def test_tab_columns_describe_types_and_nullability(hr: oracledb.Cursor) -> None:
    hr.execute(
        "select column_name, data_type, data_length, data_precision, data_scale, nullable, column_id "
        "from user_tab_columns where table_name = 'EMPLOYEES' order by column_id"
    )
    rows = {r[0]: r[1:] for r in hr.fetchall()}
    assert rows["EMPLOYEE_ID"] == ("NUMBER", 22, 6, 0, "N", 1)
    assert rows["FIRST_NAME"][:2] == ("VARCHAR2", 20)
    assert rows["FIRST_NAME"][4] == "Y"
    assert rows["HIRE_DATE"][:2] == ("DATE", 7)


def test_indexes_and_constraints_of_keys(hr: oracledb.Cursor) -> None:
    hr.execute(
        "select index_name, uniqueness, tablespace_name from user_indexes where table_name = 'REGIONS'"
    )
    ((index_name, uniqueness, tablespace),) = hr.fetchall()
    assert (uniqueness, tablespace) == ("UNIQUE", "USERS")
    hr.execute(
        "select constraint_name, constraint_type, index_name from user_constraints "
        "where table_name = 'REGIONS' and constraint_type = 'P'"
    )
    assert hr.fetchall() == [(index_name, "P", index_name)]
    hr.execute(
        "select count(*) from user_constraints where table_name = 'EMPLOYEES' and constraint_type = 'C'"
    )
    assert hr.fetchone()[0] >= 1  # NOT NULL columns are check constraints


def test_user_privilege_views(hr: oracledb.Cursor) -> None:
    hr.execute("select privilege from user_sys_privs order by 1")
    assert ("CREATE SESSION",) in hr.fetchall()
    hr.execute("select count(*) from user_role_privs")
    assert hr.fetchone() == (0,)
    with pytest.raises(oracledb.DatabaseError) as caught:
        hr.execute("select * from dba_sys_privs")
    assert caught.value.args[0].code == 942


def test_database_and_instance(dba: oracledb.Cursor) -> None:
    dba.execute("select name, dbid, platform_name, current_scn, open_mode from v$database")
    name, dbid, platform, scn, open_mode = dba.fetchone()
    assert (name, platform, open_mode) == ("FREEPDB1", "Linux x86 64-bit", "READ WRITE")
    assert dbid > 0
    assert scn > 0
    dba.execute("select version, status, instance_name from v$instance")
    assert dba.fetchone() == ("19.0.0.0.0", "OPEN", "FREEPDB1")
    dba.execute("select banner from v$version")
    assert dba.fetchone()[0].startswith("Oracle Database 19c Enterprise Edition Release 19.0.0.0.0")
    dba.execute("select version from product_component_version")
    assert dba.fetchone() == ("19.0.0.0.0",)


def test_release_follows_set_version(oracle: EmulatedOracle, dba: oracledb.Cursor) -> None:
    oracle.database("FREEPDB1").set_version("12.2.0.1.0")
    dba.execute("select version from v$instance")
    assert dba.fetchone() == ("12.2.0.1.0",)


def test_nls_parameters(hr: oracledb.Cursor) -> None:
    hr.execute("select value from nls_database_parameters where parameter = 'NLS_CHARACTERSET'")
    assert hr.fetchone() == ("AL32UTF8",)
    hr.execute("ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD'")
    hr.execute("select value from nls_session_parameters where parameter = 'NLS_DATE_FORMAT'")
    assert hr.fetchone() == ("YYYY-MM-DD",)
    hr.execute(
        "select property_value from database_properties where property_name = 'DEFAULT_PERMANENT_TABLESPACE'"
    )
    assert hr.fetchone() == ("USERS",)


def test_export_object_views_list_valid_paths(hr: oracledb.Cursor) -> None:
    hr.execute("select named from schema_export_objects where object_path = 'TABLE'")
    assert hr.fetchone() == ("Y",)
    hr.execute(
        "select object_path from schema_export_objects where object_path = 'INDEX' "
        "union select object_path from table_export_objects where object_path = 'TABLE_EXPORT/TABLE/INDEX'"
    )
    assert sorted(r[0] for r in hr.fetchall()) == ["INDEX", "TABLE_EXPORT/TABLE/INDEX"]
    hr.execute("select count(*) from database_export_objects where object_path = 'TABLESPACE'")
    assert hr.fetchone() == (1,)
    hr.execute("select count(*) from schema_export_objects where object_path = 'TABLESPACE'")
    assert hr.fetchone() == (0,)
    assert columns(hr, "tablespace_export_objects") == ["OBJECT_PATH", "COMMENTS", "NAMED"]


def test_v_session_shows_data_pump_processes_joined_by_saddr(
    oracle: EmulatedOracle, dba: oracledb.Cursor
) -> None:
    db = oracle.database("FREEPDB1")
    db.set_job_rate(1)  # slow: the job is still executing when we look
    h = dba.var(int)
    dba.execute("BEGIN :h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, 'EXP_SES'); END;", h=h)
    dba.execute(
        "BEGIN DBMS_DATAPUMP.ADD_FILE(:h, 'ses.dmp', 'DATA_PUMP_DIR'); "
        "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_LIST', '''HR'''); DBMS_DATAPUMP.START_JOB(:h); END;",
        h=h.getvalue(),
    )
    dba.execute(
        "select s.program, d.session_type from v$session s join dba_datapump_sessions d on s.saddr = d.saddr "
        "where d.job_name = 'EXP_SES' order by s.program"
    )
    rows = dba.fetchall()
    assert ("oracle@localhost (DM00)", "MASTER") in rows
    assert ("oracle@localhost (DW00)", "WORKER") in rows
    assert any(kind == "DBMS_DATAPUMP" for _, kind in rows)  # this session, attached


def test_type_attrs_list_every_object_type_with_documented_columns(hr: oracledb.Cursor) -> None:
    assert columns(hr, "all_type_attrs") == [
        "OWNER", "TYPE_NAME", "ATTR_NAME", "ATTR_TYPE_MOD", "ATTR_TYPE_OWNER", "ATTR_TYPE_NAME", "LENGTH",
        "PRECISION", "SCALE", "CHARACTER_SET_NAME", "ATTR_NO", "INHERITED", "CHAR_USED",
    ]  # fmt: skip
    hr.execute(
        "select count(*) from all_types t where typecode = 'OBJECT' and not exists "
        "(select 1 from all_type_attrs a where a.owner = t.owner and a.type_name = t.type_name)"
    )
    assert hr.fetchone() == (0,)
    hr.execute(
        "select attr_no, attr_name, attr_type_owner, attr_type_name, length, character_set_name, char_used "
        "from all_type_attrs where owner = 'SYS' and type_name = 'KU$_STATUS1220' or "
        "type_name = 'KU$_LOGLINE1010' and attr_name = 'LOGTEXT' order by type_name, attr_no"
    )
    rows = hr.fetchall()
    assert rows[0] == (3, "LOGTEXT", None, "VARCHAR2", 2000, "CHAR_CS", "B")
    assert (2, "WIP", "SYS", "KU$_LOGENTRY1010", None, None, None) in rows


def test_plsql_type_attrs_list_package_record_fields(hr: oracledb.Cursor) -> None:
    hr.execute(
        "select attr_no, attr_name, attr_type_name from all_plsql_type_attrs "
        "where owner = 'SYS' and package_name = 'UTL_FILE' and type_name = 'FILE_TYPE' order by attr_no"
    )
    assert hr.fetchall() == [
        (1, "ID", "PL/SQL BINARY INTEGER"),
        (2, "DATATYPE", "PL/SQL BINARY INTEGER"),
        (3, "BYTE_MODE", "PL/SQL BOOLEAN"),
    ]
