"""CHECK and FOREIGN KEY constraints and CREATE INDEX in the emulated database: what CREATE
TABLE and CREATE INDEX refuse (SQL Language Reference, constraint clause and CREATE INDEX;
the codes of Database Error Messages), and how the dictionary lists them."""

from __future__ import annotations

import oracledb
import pytest


@pytest.fixture(autouse=True)
def parent(app: oracledb.Cursor) -> None:
    app.execute("CREATE TABLE parent (id NUMBER PRIMARY KEY, code VARCHAR2(5))")


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ("CREATE TABLE c1 (p NUMBER, CONSTRAINT c1_fk FOREIGN KEY (p) REFERENCES nosuch (id))", 942),
        ("CREATE TABLE c2 (p VARCHAR2(5), CONSTRAINT c2_fk FOREIGN KEY (p) REFERENCES parent (code))", 2270),
        ("CREATE TABLE c3 (p NUMBER, q NUMBER, CONSTRAINT c3_fk FOREIGN KEY (p, q) REFERENCES parent)", 2256),
        ("CREATE INDEX parent_ix ON parent (nosuch)", 904),
        ("CREATE INDEX parent ON parent (code)", 955),
        ("CREATE INDEX parent_ix ON nosuch (code)", 942),
        ("DROP INDEX nosuch_ix", 1418),
    ],
)
def test_what_oracle_refuses(app: oracledb.Cursor, statement: str, code: int) -> None:
    with pytest.raises(oracledb.DatabaseError) as exc:
        app.execute(statement)
    assert exc.value.args[0].code == code


def test_the_dictionary_lists_checks_foreign_keys_and_indexes(app: oracledb.Cursor) -> None:
    app.execute(
        "CREATE TABLE child (id NUMBER, p NUMBER, qty NUMBER, CONSTRAINT child_qty CHECK (qty > 0), "
        "CONSTRAINT child_fk FOREIGN KEY (p) REFERENCES parent)"
    )
    app.execute("CREATE INDEX child_p_ix ON child (p)")
    app.execute(
        "SELECT constraint_name, constraint_type, search_condition FROM user_constraints "
        "WHERE table_name = 'CHILD' ORDER BY 1"
    )
    assert app.fetchall() == [("CHILD_FK", "R", None), ("CHILD_QTY", "C", "qty > 0")]
    app.execute("SELECT index_name, uniqueness FROM user_indexes WHERE table_name = 'CHILD'")
    assert app.fetchall() == [("CHILD_P_IX", "NONUNIQUE")]
    app.execute("SELECT object_type FROM user_objects WHERE object_name = 'CHILD_P_IX'")
    assert app.fetchall() == [("INDEX",)]
    app.execute("DROP INDEX child_p_ix")
    app.execute("DROP TABLE child")
    app.execute("SELECT count(*) FROM user_indexes WHERE table_name = 'CHILD'")
    assert app.fetchone() == (0,)


def test_an_index_has_its_segment_in_its_tablespace(app: oracledb.Cursor) -> None:
    app.execute("CREATE INDEX parent_code_ix ON parent (code) TABLESPACE sysaux")
    app.execute("SELECT count(*) FROM user_segments WHERE segment_name = 'PARENT_CODE_IX'")
    assert app.fetchone() == (0,)  # no segment before the table's first row (deferred)
    app.execute("INSERT INTO parent VALUES (1, 'a')")
    app.connection.commit()
    app.execute(
        "SELECT segment_type, tablespace_name FROM user_segments WHERE segment_name = 'PARENT_CODE_IX'"
    )
    assert app.fetchall() == [("INDEX", "SYSAUX")]


def test_a_parent_table_drops_only_with_cascade_constraints(app: oracledb.Cursor) -> None:
    app.execute("CREATE TABLE child (p NUMBER, CONSTRAINT child_fk FOREIGN KEY (p) REFERENCES parent)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02449"):
        app.execute("DROP TABLE parent")
    app.execute("DROP TABLE parent CASCADE CONSTRAINTS")
    app.execute("SELECT count(*) FROM user_constraints WHERE constraint_type = 'R'")
    assert app.fetchone() == (0,)


def test_each_unnamed_constraint_has_its_own_generated_name(app: oracledb.Cursor) -> None:
    """Oracle names each constraint written without a name SYS_Cn, n from one sequence, so
    each can be dropped by its name (SQL Language Reference, constraint clause)."""
    app.execute(
        "CREATE TABLE t (a NUMBER PRIMARY KEY, b NUMBER UNIQUE, c NUMBER CHECK (c > 0), "
        "d NUMBER REFERENCES parent, CHECK (a < 100))"
    )
    app.execute("ALTER TABLE t ADD UNIQUE (c)")
    app.execute(
        "SELECT constraint_name, constraint_type FROM user_constraints "
        "WHERE table_name = 'T' AND generated = 'GENERATED NAME' AND search_condition IS NULL "
        "OR table_name = 'T' AND constraint_type = 'C' AND search_condition NOT LIKE '%NOT NULL'"
    )
    found = app.fetchall()
    names = [name for name, _ in found]
    assert sorted(kind for _, kind in found) == ["C", "C", "P", "R", "U", "U"]
    assert len(set(names)) == 6
    assert all(name.startswith("SYS_C") for name in names)
    for name in names:
        app.execute(f"ALTER TABLE t DROP CONSTRAINT {name}")
    app.execute("SELECT count(*) FROM user_constraints WHERE table_name = 'T' AND constraint_type <> 'C'")
    assert app.fetchone() == (0,)
    app.executemany("INSERT INTO t VALUES (:1, :2, :3, 9)", [(1, 1, -1), (1, 1, -1)])  # none left to refuse


def test_a_check_written_after_a_column_names_only_that_column(app: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-02438: Column check constraint cannot reference"):
        app.execute("CREATE TABLE t (a NUMBER, b NUMBER CHECK (b > a))")
    app.execute("CREATE TABLE t (a NUMBER, b NUMBER CHECK (b > 0), CHECK (b > a))")  # out of line


def test_a_primary_keys_not_null_is_the_keys_own(app: oracledb.Cursor) -> None:
    """A key column is NOT NULL while the key is enabled (*_TAB_COLUMNS.NULLABLE N) without a
    NOT NULL constraint of its own, so dropping or disabling the key lets NULLs in; an explicit
    NOT NULL stays."""
    app.execute(
        "CREATE TABLE t (id NUMBER, v NUMBER NOT NULL, w NUMBER, CONSTRAINT t_pk PRIMARY KEY (id, w))"
    )

    def nullable() -> list[tuple[str, str]]:
        app.execute(
            "SELECT column_name, nullable FROM user_tab_columns WHERE table_name = 'T' ORDER BY column_id"
        )
        return app.fetchall()

    app.execute(
        "SELECT constraint_type, search_condition FROM user_constraints WHERE table_name = 'T' ORDER BY 1"
    )
    assert app.fetchall() == [("C", '"V" IS NOT NULL'), ("P", None)]
    assert nullable() == [("ID", "N"), ("V", "N"), ("W", "N")]
    with pytest.raises(
        oracledb.DatabaseError, match=r'ORA-01400: cannot insert NULL into \("APP"."T"."ID"\)'
    ):
        app.execute("INSERT INTO t VALUES (NULL, 1, 1)")
    app.execute("ALTER TABLE t DISABLE CONSTRAINT t_pk")
    assert nullable() == [("ID", "Y"), ("V", "N"), ("W", "Y")]
    app.execute("INSERT INTO t VALUES (NULL, 1, 1)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-01449"):
        app.execute("ALTER TABLE t ENABLE CONSTRAINT t_pk")
    app.execute("DELETE FROM t")
    app.execute("ALTER TABLE t ENABLE CONSTRAINT t_pk")
    app.execute("ALTER TABLE t DROP CONSTRAINT t_pk")
    assert nullable() == [("ID", "Y"), ("V", "N"), ("W", "Y")]
    app.execute("INSERT INTO t VALUES (NULL, 1, NULL)")
