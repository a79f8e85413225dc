"""DDL is parsed into nodes and handed to the Runtime, which executes it."""

from decimal import Decimal

import pytest
from fake_runtime import FakeRuntime, error_of

from airflow_datapump.testing._plsql import ddl
from airflow_datapump.testing._plsql.engine import execute
from airflow_datapump.testing._values import TypeKind


def one(text: str) -> ddl.DdlStatement:
    rt = FakeRuntime()
    result = execute(text, {}, rt)
    assert result.statement_kind == "DDL"
    assert len(rt.ddl) == 1
    node: ddl.DdlStatement = rt.ddl[0]
    return node


def test_create_user_with_options() -> None:
    node = one(
        "CREATE USER app IDENTIFIED BY Secret1 DEFAULT TABLESPACE users "
        "TEMPORARY TABLESPACE temp QUOTA 10M ON users QUOTA UNLIMITED ON data"
    )
    assert isinstance(node, ddl.CreateUser)
    assert (node.name, node.password, node.default_tablespace, node.temporary_tablespace) == (
        "APP", "Secret1", "USERS", "TEMP",
    )  # fmt: skip
    assert node.quotas == (ddl.Quota(10 * 1024**2, "USERS"), ddl.Quota(None, "DATA"))


def test_alter_and_drop_user() -> None:
    alter = one('ALTER USER app IDENTIFIED BY "New Pw" QUOTA 1G ON users')
    assert isinstance(alter, ddl.AlterUser)
    assert alter.password == "New Pw"
    assert one("DROP USER app CASCADE") == ddl.DropUser((1, 1), "APP", True)


def test_grants_and_revokes() -> None:
    grant = one("GRANT READ, WRITE ON DIRECTORY dp_dir TO app, other WITH GRANT OPTION")
    assert isinstance(grant, ddl.Grant)
    assert grant.privileges == ("READ", "WRITE")
    assert grant.on == ddl.ObjectName(None, "DP_DIR")
    assert grant.on_directory
    assert grant.with_grant_option
    assert grant.grantees == ("APP", "OTHER")
    system = one("GRANT CREATE SESSION, DATAPUMP_EXP_FULL_DATABASE TO app WITH ADMIN OPTION")
    assert isinstance(system, ddl.Grant)
    assert system.privileges == ("CREATE SESSION", "DATAPUMP_EXP_FULL_DATABASE")
    assert system.with_admin_option
    revoke = one("REVOKE SELECT ON hr.emp FROM app")
    assert isinstance(revoke, ddl.Revoke)
    assert revoke.on == ddl.ObjectName("HR", "EMP")


def test_directory_role_link_tablespace_session() -> None:
    assert one("CREATE OR REPLACE DIRECTORY dp AS '/u01/dp'") == ddl.CreateDirectory(
        (1, 1), "DP", "/u01/dp", True
    )
    assert one("DROP DIRECTORY dp") == ddl.DropDirectory((1, 1), "DP")
    assert one("CREATE ROLE r1") == ddl.CreateRole((1, 1), "R1")
    link = one("CREATE PUBLIC DATABASE LINK src.example CONNECT TO u IDENTIFIED BY p USING 'db:1521/x'")
    assert link == ddl.CreateDatabaseLink((1, 1), "SRC.EXAMPLE", "U", "p", "db:1521/x", True)
    assert one("DROP DATABASE LINK src") == ddl.DropDatabaseLink((1, 1), "SRC", False)
    ts = one("CREATE TABLESPACE data DATAFILE 'data01.dbf' SIZE 100M")
    assert ts == ddl.CreateTablespace((1, 1), "DATA", (ddl.FileSpec("data01.dbf", 100 * 1024**2),))
    assert one("ALTER SESSION SET CURRENT_SCHEMA = hr") == ddl.AlterSession((1, 1), "CURRENT_SCHEMA", "HR")


def test_create_table_columns_and_constraints() -> None:
    node = one(
        "CREATE TABLE hr.t (id NUMBER(10) PRIMARY KEY, name VARCHAR2(30 CHAR) DEFAULT 'x' NOT NULL,"
        " created DATE, CONSTRAINT t_uk UNIQUE (name)) TABLESPACE users"
    )
    assert isinstance(node, ddl.CreateTable)
    assert (node.schema, node.name, node.tablespace) == ("HR", "T", "USERS")
    id_col, name_col, created = node.columns
    assert id_col.primary_key
    assert not id_col.not_null  # NOT NULL is the key's own rule, not the column's
    assert name_col.not_null
    assert name_col.default is not None
    assert name_col.type.kind == TypeKind.VARCHAR2
    assert created.type.kind == TypeKind.DATE
    assert node.constraints == (ddl.TableConstraint("T_UK", "UNIQUE", ("NAME",)),)
    assert one("DROP TABLE hr.t CASCADE CONSTRAINTS PURGE") == ddl.DropTable((1, 1), "HR", "T", True, True)


def test_create_table_as_select_passes_columns_and_rows() -> None:
    node = one("CREATE TABLE t2 AS SELECT 1 AS n, 'a' AS s FROM dual")
    assert isinstance(node, ddl.CreateTable)
    assert [c.name for c in node.columns] == ["N", "S"]
    assert node.rows == ((Decimal(1), "a"),)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CREATE TABLE t (id FOO)", 902),
        ("CREATE TABLE t (id VARCHAR2)", 906),
        ("CREATE SYNONYM s FOR t", 901),
        ("CREATE USER u", 924),
    ],
)
def test_ddl_syntax_errors(text: str, code: int) -> None:
    assert error_of(FakeRuntime(), text).code == code


def test_create_tablespace_file_specifications() -> None:
    node = one(
        "CREATE BIGFILE TABLESPACE big DATAFILE '/u02/big.dbf' SIZE 1G REUSE AUTOEXTEND ON NEXT 64M "
        "MAXSIZE UNLIMITED LOGGING EXTENT MANAGEMENT LOCAL AUTOALLOCATE SEGMENT SPACE MANAGEMENT AUTO"
    )
    assert node == ddl.CreateTablespace(
        (1, 1),
        "BIG",
        (ddl.FileSpec("/u02/big.dbf", 1024**3, True, True, 64 * 1024**2, None),),
        "PERMANENT",
        True,
    )
    temp = one("CREATE TEMPORARY TABLESPACE t2 TEMPFILE 'a.dbf' SIZE 10M, 'b.dbf' SIZE 10M AUTOEXTEND OFF")
    assert isinstance(temp, ddl.CreateTablespace)
    assert (temp.contents, [f.name for f in temp.files]) == ("TEMPORARY", ["a.dbf", "b.dbf"])
    assert one("DROP TABLESPACE t2 INCLUDING CONTENTS AND DATAFILES") == ddl.DropTablespace(
        (1, 1), "T2", True
    )


def test_create_tablespace_refuses_clauses_it_does_not_model() -> None:
    assert (
        error_of(FakeRuntime(), "CREATE TABLESPACE x DATAFILE 'x.dbf' SIZE 1M DEFAULT COMPRESS").code == 2180
    )
