"""A statement that fails leaves none of its changes, the transaction's earlier ones stay
(Concepts, "Statement-Level Atomicity"), and keys and foreign keys are checked when the
statement ends, not row by row (Concepts, "Nondeferrable Constraints"). All over the real
driver, with the failing row placed after rows the statement had already changed."""

from __future__ import annotations

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle


@pytest.fixture
def conn(app: oracledb.Cursor) -> oracledb.Connection:
    """APP with SRC (ids 1..6; text 'x' at id 3, a 12-character text at id 4) and an empty
    DST keyed on ID; one uncommitted row (100) is in DST before each test's statement."""
    app.execute("CREATE TABLE src (id NUMBER, txt VARCHAR2(20))")
    app.executemany(
        "INSERT INTO src VALUES (:1, :2)",
        [(1, "1"), (2, "2"), (3, "x"), (4, "twelve chars"), (5, "5"), (6, "6")],
    )
    app.execute("CREATE TABLE dst (id NUMBER CONSTRAINT dst_pk PRIMARY KEY, n NUMBER, s VARCHAR2(5))")
    app.connection.commit()
    app.execute("INSERT INTO dst VALUES (100, 0, 'z')")
    return app.connection


def _dst(conn: oracledb.Connection) -> list[tuple[object, ...]]:
    with conn.cursor() as cursor:
        cursor.execute("SELECT id, n, s FROM dst ORDER BY id")
        return list(cursor.fetchall())


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        # rows 1..4 go in, the 5th repeats id 2
        ("INSERT INTO dst (id) SELECT CASE WHEN id = 5 THEN 2 ELSE id END FROM src", "ORA-00001"),
        # rows 1 and 2 convert, the 3rd ('x') is not a number
        ("INSERT INTO dst (id, n) SELECT id, txt FROM src ORDER BY id", "ORA-01722"),
        # rows 1..3 fit in S, the 4th is 12 characters
        ("INSERT INTO dst (id, s) SELECT id, txt FROM src ORDER BY id", "ORA-12899"),
    ],
)
def test_a_failing_insert_select_leaves_none_of_its_rows(
    conn: oracledb.Connection, statement: str, code: str
) -> None:
    with conn.cursor() as cursor, pytest.raises(oracledb.DatabaseError, match=code):
        cursor.execute(statement)
    assert _dst(conn) == [(100, 0, "z")]  # the transaction's earlier row stays


def test_a_failing_update_or_delete_leaves_every_row_as_it_was(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("INSERT INTO dst (id, n) SELECT id, id FROM src")
    conn.commit()
    before = _dst(conn)
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        cursor.execute("UPDATE dst SET id = CASE WHEN id = 5 THEN 12 ELSE id + 10 END")  # 5th row
    with pytest.raises(oracledb.DatabaseError, match="ORA-01722"):
        cursor.execute("UPDATE dst SET n = CASE WHEN id = 3 THEN 'x' ELSE '7' END")  # 3rd row
    cursor.execute("CREATE TABLE ref (p NUMBER CONSTRAINT ref_fk REFERENCES dst)")
    cursor.execute("INSERT INTO ref VALUES (5)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02292"):
        cursor.execute("DELETE FROM dst")  # rows 1..4 and 6 have no child, 5 has
    assert _dst(conn) == before


def test_a_failing_plsql_call_is_undone_whole_but_a_handled_failure_is_not(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        cursor.execute("BEGIN INSERT INTO dst (id) VALUES (1); INSERT INTO dst (id) VALUES (100); END;")
    assert _dst(conn) == [(100, 0, "z")]
    cursor.execute(
        "BEGIN INSERT INTO dst (id) VALUES (1); "
        "BEGIN INSERT INTO dst (id) SELECT id + 1 FROM dst UNION ALL SELECT 1 FROM dual; "
        "EXCEPTION WHEN DUP_VAL_ON_INDEX THEN NULL; END; "  # 2 and 101 went in before 1 failed
        "INSERT INTO dst (id) SELECT 7 FROM dual; "
        "UPDATE dst SET id = 8 WHERE id = 7; END;"
    )
    assert [row[0] for row in _dst(conn)] == [1, 8, 100]


def test_executemany_keeps_the_rows_before_the_one_that_fails(conn: oracledb.Connection) -> None:
    """As python-oracledb's own tests expect: rowcount counts the rows that went in."""
    cursor = conn.cursor()
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        cursor.executemany("INSERT INTO dst (id) VALUES (:1)", [(1,), (2,), (3,), (2,), (5,)])
    assert cursor.rowcount == 3
    assert [row[0] for row in _dst(conn)] == [1, 2, 3, 100]


@pytest.mark.parametrize("autocommit", [False, True])
def test_a_failed_executemany_leaves_the_transaction_its_rows_opened(
    conn: oracledb.Connection, autocommit: bool
) -> None:
    """The call's end tells the driver a transaction is open: the rows before the failing one
    are pending, under autocommit too (nothing is committed when the call fails)."""
    conn.commit()
    conn.autocommit = autocommit
    assert not conn.transaction_in_progress
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        conn.cursor().executemany("INSERT INTO dst (id) VALUES (:1)", [(1,), (2,), (100,)])
    assert conn.transaction_in_progress
    conn.rollback()
    assert [row[0] for row in _dst(conn)] == [100]


def test_keys_are_checked_when_the_statement_ends(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("INSERT INTO dst (id) SELECT id FROM src")
    cursor.execute("UPDATE dst SET id = id + 1")  # each row's new key is the next row's old one
    assert [row[0] for row in _dst(conn)] == [2, 3, 4, 5, 6, 7, 101]
    cursor.execute("UPDATE dst SET id = 9 - id WHERE id IN (2, 7)")  # a swap
    assert [row[0] for row in _dst(conn)][:6] == [2, 3, 4, 5, 6, 7]
    cursor.execute("CREATE TABLE emp (id NUMBER PRIMARY KEY, mgr NUMBER CONSTRAINT emp_mgr REFERENCES emp)")
    cursor.executemany("INSERT INTO emp VALUES (:1, :2)", [(1, None), (2, 1), (3, 2)])
    cursor.execute("UPDATE emp SET id = id + 10, mgr = mgr + 10")  # every key, and every reference
    cursor.execute("SELECT id, mgr FROM emp ORDER BY id")
    assert cursor.fetchall() == [(11, None), (12, 11), (13, 12)]
    with pytest.raises(oracledb.DatabaseError, match="ORA-02292"):
        cursor.execute("UPDATE emp SET id = id + 1")  # the references now dangle
    cursor.execute("DELETE FROM emp WHERE id IN (12, 13)")  # a parent and its child, parent first
    cursor.execute("DELETE FROM emp")
    cursor.execute("SELECT count(*) FROM emp")
    assert cursor.fetchone() == (0,)


@pytest.mark.parametrize("autocommit", [False, True])
def test_executemany_with_batch_errors_runs_every_row(
    bare_oracle: EmulatedOracle, conn: oracledb.Connection, autocommit: bool
) -> None:
    """Each failed row is listed with its offset; the others go in and, as python-oracledb's
    guide says, wait for a COMMIT even under autocommit (another session does not see them)."""
    conn.commit()
    conn.autocommit = autocommit
    cursor = conn.cursor()
    with oracledb.connect(user="app", password="app", dsn=bare_oracle.dsn()) as other:
        cursor.executemany(
            "INSERT INTO dst (id, s) VALUES (:1, :2)",
            [(1, "a"), (100, "b"), (3, "toolong"), (4, "d")],
            batcherrors=True,
        )
        errors = [(e.offset, e.full_code) for e in cursor.getbatcherrors()]
        assert errors == [(1, "ORA-00001"), (2, "ORA-12899")]
        assert cursor.rowcount == 2
        assert [row[0] for row in _dst(other)] == [100]
        conn.rollback()
        cursor.executemany("INSERT INTO dst (id) VALUES (:1)", [(5,), (6,)], batcherrors=True)
        assert cursor.getbatcherrors() == []
        assert [row[0] for row in _dst(other)] == ([5, 6, 100] if autocommit else [100])
        conn.rollback()
    assert [row[0] for row in _dst(conn)] == ([5, 6, 100] if autocommit else [100])


def test_truncate_commits_the_transaction_as_other_ddl_does(conn: oracledb.Connection) -> None:
    """TRUNCATE is DDL (SQL Language Reference, TRUNCATE TABLE): the pending row 100 is
    committed before it runs, also from inside a block that fails afterwards, and also when
    the TRUNCATE itself is refused."""
    cursor = conn.cursor()
    cursor.execute("TRUNCATE TABLE src")
    conn.rollback()
    assert [row[0] for row in _dst(conn)] == [100]
    cursor.execute("INSERT INTO dst (id) VALUES (7)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-20001"):
        cursor.execute(
            "BEGIN INSERT INTO dst (id) VALUES (8); EXECUTE IMMEDIATE 'TRUNCATE TABLE src'; "
            "INSERT INTO dst (id) VALUES (9); RAISE_APPLICATION_ERROR(-20001, 'x'); END;"
        )
    conn.rollback()
    assert [row[0] for row in _dst(conn)] == [7, 8, 100]
    cursor.execute("CREATE TABLE ref (p NUMBER CONSTRAINT ref_fk REFERENCES dst)")
    cursor.execute("INSERT INTO dst (id) VALUES (10)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02266"):
        cursor.execute("TRUNCATE TABLE dst")
    conn.rollback()
    assert [row[0] for row in _dst(conn)] == [7, 8, 10, 100]
