"""Row changes keep the constraints a table has, as Oracle keeps them (SQL Language Reference,
constraint clause; the codes and texts of Database Error Messages): each statement here is one
Oracle refuses, refused with its code and text over the real driver, the rows unchanged."""

from __future__ import annotations

import oracledb
import pytest

from airflow_datapump.testing._datapump.ddltext import constraint_sql, index_sql, ref_constraint_sql

pytestmark = pytest.mark.usefixtures("parent_child")


def _snapshot(app: oracledb.Cursor) -> list[object]:
    app.execute("SELECT id, code FROM parent ORDER BY id")
    parents = app.fetchall()
    app.execute("SELECT id, p, qty FROM child ORDER BY id")
    return [parents, app.fetchall()]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("INSERT INTO child VALUES (11, 1, -1)", "ORA-02290: check constraint (APP.CHILD_QTY) violated"),
        ("UPDATE child SET qty = 0", "ORA-02290: check constraint (APP.CHILD_QTY) violated"),
        (
            "INSERT INTO child VALUES (11, 9, 1)",
            "ORA-02291: integrity constraint (APP.CHILD_FK) violated - parent key not found",
        ),
        (
            "UPDATE child SET p = 9 WHERE id = 10",
            "ORA-02291: integrity constraint (APP.CHILD_FK) violated - parent key not found",
        ),
        (
            "DELETE FROM parent WHERE id = 1",
            "ORA-02292: integrity constraint (APP.CHILD_FK) violated - child record found",
        ),
        (
            "UPDATE parent SET id = 7 WHERE id = 1",
            "ORA-02292: integrity constraint (APP.CHILD_FK) violated - child record found",
        ),
        (
            "BEGIN INSERT INTO child VALUES (11, 2, -3); END;",
            "ORA-02290: check constraint (APP.CHILD_QTY) violated",
        ),
        (
            "BEGIN DELETE FROM parent; END;",
            "ORA-02292: integrity constraint (APP.CHILD_FK) violated - child record found",
        ),
        (
            "TRUNCATE TABLE parent",
            "ORA-02266: unique/primary keys in table referenced by enabled foreign keys",
        ),
    ],
)
def test_a_change_that_breaks_a_constraint_is_refused_and_changes_nothing(
    app: oracledb.Cursor, statement: str, message: str
) -> None:
    before = _snapshot(app)
    with pytest.raises(oracledb.DatabaseError) as caught:
        app.execute(statement)
    assert str(caught.value).splitlines()[0] == message
    app.connection.commit()
    assert _snapshot(app) == before


def test_what_a_constraint_lets_through(app: oracledb.Cursor) -> None:
    app.execute("INSERT INTO child VALUES (11, NULL, NULL)")  # a NULL key and an UNKNOWN check pass
    app.execute("INSERT INTO parent VALUES (3, 'c')")
    app.execute("INSERT INTO child VALUES (12, 3, 1)")  # the session's own uncommitted parent
    app.execute("DELETE FROM child WHERE id = 10")
    app.execute("DELETE FROM parent WHERE id = 1")  # its child went first
    app.execute("UPDATE parent SET code = 'z' WHERE id = 3")  # the key is not changed
    app.connection.commit()
    assert _snapshot(app) == [[(2, "b"), (3, "z")], [(11, None, None), (12, 3, 1)]]


@pytest.mark.parametrize(("rule", "left"), [("CASCADE", []), ("SET NULL", [(20, None)])])
def test_on_delete_cascades_or_sets_null(app: oracledb.Cursor, rule: str, left: list[object]) -> None:
    app.execute(f"CREATE TABLE item (id NUMBER PRIMARY KEY, p NUMBER REFERENCES parent ON DELETE {rule})")
    app.execute("CREATE TABLE note (i NUMBER REFERENCES item ON DELETE CASCADE)")
    app.execute("DELETE FROM child")
    app.execute("INSERT INTO item VALUES (20, 2)")
    app.execute("INSERT INTO note VALUES (20)")
    app.execute("DELETE FROM parent WHERE id = 2")
    app.execute("SELECT id, p FROM item")
    assert app.fetchall() == left
    app.execute("SELECT count(*) FROM note")
    assert app.fetchone() == (len(left),)


def test_a_cascade_stops_at_a_grandchild_that_restricts(app: oracledb.Cursor) -> None:
    app.execute("CREATE TABLE item (id NUMBER PRIMARY KEY, p NUMBER REFERENCES parent ON DELETE CASCADE)")
    app.execute("CREATE TABLE note (i NUMBER CONSTRAINT note_fk REFERENCES item)")
    app.execute("INSERT INTO item VALUES (20, 2)")
    app.execute("INSERT INTO note VALUES (20)")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02292: .*\(APP\.NOTE_FK\)"):
        app.execute("DELETE FROM parent WHERE id = 2")
    app.execute("SELECT count(*) FROM item")
    assert app.fetchone() == (1,)


def test_a_table_that_refers_to_itself(app: oracledb.Cursor) -> None:
    app.execute("CREATE TABLE emp (id NUMBER PRIMARY KEY, mgr NUMBER CONSTRAINT emp_mgr REFERENCES emp)")
    app.execute("INSERT INTO emp VALUES (1, 1)")  # its own manager
    app.execute("INSERT INTO emp VALUES (2, 1)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02291"):
        app.execute("INSERT INTO emp VALUES (3, 9)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02292"):
        app.execute("DELETE FROM emp WHERE id = 1")
    app.execute("DELETE FROM emp WHERE id = 2")
    app.execute("DELETE FROM emp WHERE id = 1")  # refers only to itself
    app.execute("TRUNCATE TABLE emp")  # a self-referential foreign key allows it


@pytest.mark.parametrize(
    ("setup", "statement", "code"),
    [
        (
            "INSERT INTO child VALUES (11, 2, 1)",
            "ALTER TABLE child ADD CONSTRAINT child_big CHECK (qty > 2)",
            2293,
        ),
        (
            "INSERT INTO parent VALUES (3, 'b')",
            "ALTER TABLE parent ADD CONSTRAINT parent_code UNIQUE (code)",
            2299,
        ),
        ("", "ALTER TABLE child ADD CONSTRAINT child_id_fk FOREIGN KEY (id) REFERENCES parent", 2298),
        ("", "ALTER TABLE child DROP CONSTRAINT nosuch", 2443),
        ("", "ALTER TABLE parent DROP CONSTRAINT parent_pk", 2273),
        ("", "ALTER TABLE parent ADD CONSTRAINT child_qty CHECK (id > 0)", 2264),
        ("", "ALTER TABLE parent ADD CONSTRAINT parent_pk2 PRIMARY KEY (code)", 2260),
        ("", "ALTER TABLE parent ADD UNIQUE (id)", 2261),
        ("", "ALTER TABLE parent ADD CONSTRAINT parent_ck CHECK (id > 0) DEFERRABLE", 3001),
        ("", "ALTER TABLE parent ADD CHECK (code < USER)", 2436),
        ("", "ALTER TABLE parent ADD CHECK (id IN (SELECT id FROM child))", 2251),
        # in a new table, behind branches no row has reached: found in the condition as written
        (
            "",
            "CREATE TABLE s1 (a NUMBER CHECK (CASE WHEN a > 0 THEN SYSDATE END IS NOT NULL OR a IS NULL))",
            2436,
        ),
        ("", "CREATE TABLE s2 (a VARCHAR2(9) CHECK (NVL2(a, USER, 'X') IS NOT NULL))", 2436),
        ("", "CREATE TABLE s3 (a NUMBER CHECK (a IS NULL OR a IN (SELECT id FROM parent)))", 2251),
        ("", "CREATE TABLE s4 (d DATE, CONSTRAINT s4_d CHECK (d IS NULL OR d < SYSTIMESTAMP))", 2436),
        ("", "ALTER TABLE parent ADD CHECK (nosuch > 0)", 904),
        ("INSERT INTO parent VALUES (3, 'b')", "CREATE UNIQUE INDEX parent_code_ux ON parent (code)", 1452),
        ("", "CREATE UNIQUE INDEX parent_id_ux ON parent (id)", 1408),
    ],
)
def test_ddl_that_oracle_refuses(app: oracledb.Cursor, setup: str, statement: str, code: int) -> None:
    if setup:
        app.execute(setup)
        app.connection.commit()
    with pytest.raises(oracledb.DatabaseError) as caught:
        app.execute(statement)
    assert caught.value.args[0].code == code


def test_alter_table_adds_and_drops_what_dml_then_keeps(app: oracledb.Cursor) -> None:
    app.execute("INSERT INTO child VALUES (11, 2, 1)")
    app.execute("ALTER TABLE child ADD CONSTRAINT child_big CHECK (qty > 2) ENABLE NOVALIDATE")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02290: check constraint \(APP.CHILD_BIG\)"):
        app.execute("INSERT INTO child VALUES (12, 2, 2)")
    app.execute("ALTER TABLE child DROP CONSTRAINT child_big")
    app.execute("ALTER TABLE child DROP CONSTRAINT child_fk")
    app.execute("INSERT INTO child VALUES (12, 9, 2)")  # neither is kept any more
    app.execute("ALTER TABLE parent ADD (CONSTRAINT parent_code UNIQUE (code))")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-00001: unique constraint \(APP.PARENT_CODE\)"):
        app.execute("INSERT INTO parent VALUES (3, 'a')")


def test_a_unique_index_keeps_its_key(app: oracledb.Cursor) -> None:
    app.execute("CREATE UNIQUE INDEX parent_code_ux ON parent (code)")
    app.execute("SELECT uniqueness FROM user_indexes WHERE index_name = 'PARENT_CODE_UX'")
    assert app.fetchone() == ("UNIQUE",)
    with pytest.raises(oracledb.DatabaseError) as caught:
        app.execute("UPDATE parent SET code = 'a' WHERE id = 2")
    assert str(caught.value).splitlines()[0] == "ORA-00001: unique constraint (APP.PARENT_CODE_UX) violated"
    app.execute("DROP INDEX parent_code_ux")
    app.execute("UPDATE parent SET code = 'a' WHERE id = 2")


def test_the_statements_a_data_pump_sql_file_writes_run(app: oracledb.Cursor) -> None:
    app.execute("CREATE TABLE item (id NUMBER, p NUMBER, code VARCHAR2(5))")
    for statement in (
        constraint_sql("APP", "ITEM", {"constraint": "ITEM_PK", "kind": "PRIMARY KEY", "columns": ["ID"]}),
        constraint_sql("APP", "ITEM", {"constraint": "ITEM_CK", "kind": "CHECK", "condition": "id > 0"}),
        ref_constraint_sql(
            "APP",
            "ITEM",
            {
                "constraint": "ITEM_FK",
                "columns": ["P"],
                "references": ["APP", "PARENT", ["ID"]],
                "on_delete": "CASCADE",
            },
        ),
        index_sql(
            "APP", "ITEM", {"index": "ITEM_UX", "index_schema": "APP", "columns": ["CODE"], "unique": True}
        ),
    ):
        app.execute(statement)
    app.execute("INSERT INTO item VALUES (1, 2, 'x')")
    app.execute("DELETE FROM parent WHERE id = 2")
    app.execute("SELECT count(*) FROM item")
    assert app.fetchone() == (0,)
