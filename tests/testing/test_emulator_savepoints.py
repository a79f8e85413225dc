"""SAVEPOINT and ROLLBACK TO SAVEPOINT, in SQL and in PL/SQL, over the real driver (SQL
Language Reference, SAVEPOINT and ROLLBACK): rolling back to a savepoint undoes what followed
it and erases the savepoints marked after it; a COMMIT, a ROLLBACK or DDL erases them all; a
name used again moves the savepoint; an unknown one is ORA-01086."""

from __future__ import annotations

import oracledb
import pytest

NEVER_ESTABLISHED = "ORA-01086: savepoint '{}' never established in this session or is invalid"


@pytest.fixture
def cursor(app: oracledb.Cursor) -> oracledb.Cursor:
    """A cursor of APP, which owns an empty table T (ID NUMBER)."""
    app.execute("CREATE TABLE t (id NUMBER CONSTRAINT t_pk PRIMARY KEY)")
    return app


def _ids(cursor: oracledb.Cursor) -> list[int]:
    cursor.execute("SELECT id FROM t ORDER BY id")
    return [row[0] for row in cursor.fetchall()]


def _refused(cursor: oracledb.Cursor, statement: str, name: str) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cursor.execute(statement)
    assert str(caught.value).splitlines()[0] == NEVER_ESTABLISHED.format(name)


def test_rolling_back_to_a_savepoint_undoes_what_followed_it(cursor: oracledb.Cursor) -> None:
    cursor.execute("INSERT INTO t VALUES (1)")
    cursor.execute("SAVEPOINT a")
    cursor.execute("INSERT INTO t VALUES (2)")
    cursor.execute("SAVEPOINT b")
    cursor.execute("UPDATE t SET id = id + 10")
    cursor.execute("DELETE FROM t WHERE id = 11")
    assert _ids(cursor) == [12]
    cursor.execute("ROLLBACK TO SAVEPOINT b")
    assert _ids(cursor) == [1, 2]
    cursor.execute("ROLLBACK TO a")  # SAVEPOINT is optional, and so is WORK
    assert _ids(cursor) == [1]
    cursor.execute("INSERT INTO t VALUES (3)")
    cursor.connection.commit()
    assert _ids(cursor) == [1, 3]


def test_rolling_back_to_a_savepoint_erases_the_later_ones_and_keeps_itself(cursor: oracledb.Cursor) -> None:
    cursor.execute("SAVEPOINT a")
    cursor.execute("INSERT INTO t VALUES (1)")
    cursor.execute("SAVEPOINT b")
    cursor.execute("ROLLBACK WORK TO SAVEPOINT a")
    _refused(cursor, "ROLLBACK TO SAVEPOINT b", "B")
    cursor.execute("INSERT INTO t VALUES (2)")
    cursor.execute("ROLLBACK TO SAVEPOINT a")  # a remains
    assert _ids(cursor) == []


def test_a_name_used_again_moves_the_savepoint(cursor: oracledb.Cursor) -> None:
    cursor.execute("SAVEPOINT a")
    cursor.execute("INSERT INTO t VALUES (1)")
    cursor.execute("SAVEPOINT a")
    cursor.execute("INSERT INTO t VALUES (2)")
    cursor.execute("ROLLBACK TO SAVEPOINT a")
    assert _ids(cursor) == [1]


@pytest.mark.parametrize(
    "ending",
    ["COMMIT", "ROLLBACK", "CREATE TABLE u (n NUMBER)"],
)
def test_a_commit_a_rollback_or_ddl_erases_every_savepoint(cursor: oracledb.Cursor, ending: str) -> None:
    cursor.execute("INSERT INTO t VALUES (1)")
    cursor.execute("SAVEPOINT a")
    cursor.execute("INSERT INTO t VALUES (2)")
    cursor.execute(ending)
    _refused(cursor, "ROLLBACK TO SAVEPOINT a", "A")
    assert _ids(cursor) == ([] if ending == "ROLLBACK" else [1, 2])


def test_an_unknown_savepoint_is_refused_and_the_transaction_stays(cursor: oracledb.Cursor) -> None:
    cursor.execute("INSERT INTO t VALUES (1)")
    _refused(cursor, "ROLLBACK TO SAVEPOINT nope", "NOPE")
    _refused(cursor, 'ROLLBACK TO "Mixed"', "Mixed")
    assert _ids(cursor) == [1]


def test_a_failed_statement_after_a_savepoint_leaves_it_usable(cursor: oracledb.Cursor) -> None:
    cursor.execute("INSERT INTO t VALUES (1)")
    cursor.execute("SAVEPOINT a")
    cursor.execute("INSERT INTO t VALUES (2)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        cursor.execute("INSERT INTO t SELECT id + 1 FROM t")  # 2 goes in as 3, 1 as 2 again
    assert _ids(cursor) == [1, 2]
    cursor.execute("ROLLBACK TO SAVEPOINT a")
    assert _ids(cursor) == [1]


def test_plsql_marks_and_rolls_back_to_savepoints(cursor: oracledb.Cursor) -> None:
    cursor.execute(
        """
        BEGIN
          INSERT INTO t VALUES (1);
          SAVEPOINT before_two;
          INSERT INTO t VALUES (2);
          BEGIN
            INSERT INTO t VALUES (1);
          EXCEPTION
            WHEN DUP_VAL_ON_INDEX THEN ROLLBACK TO SAVEPOINT before_two;
          END;
          INSERT INTO t VALUES (3);
        END;
        """
    )
    assert _ids(cursor) == [1, 3]
    cursor.execute("ROLLBACK TO before_two")  # a block's savepoint is the transaction's
    assert _ids(cursor) == [1]


def test_plsql_rolling_back_to_an_erased_savepoint_is_refused(cursor: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cursor.execute("BEGIN SAVEPOINT s; INSERT INTO t VALUES (1); COMMIT; ROLLBACK TO s; END;")
    assert str(caught.value).splitlines()[0] == NEVER_ESTABLISHED.format("S")
    assert _ids(cursor) == [1]
