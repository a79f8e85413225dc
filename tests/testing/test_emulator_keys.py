"""Primary and unique keys in the emulated database, as Oracle enforces them (ORA-00001).

A session sees its own uncommitted changes, so a key it deleted is free to it and a key it
inserted is taken for it; keys compare by value (1 and 1.0 are one number), and a key whose
every part is NULL never collides.
"""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle, emulated_oracle


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        yield active


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.create_user("APP", "app")
    handle.create_table(
        "APP",
        "T",
        ["ID NUMBER PRIMARY KEY", "A VARCHAR2(5)", "B NUMBER", "CONSTRAINT T_AB UNIQUE (A, B)"],
    )
    return handle


@pytest.fixture
def cur(oracle: EmulatedOracle, db: DatabaseHandle) -> Iterator[oracledb.Cursor]:
    with oracledb.connect(user="app", password="app", dsn=oracle.dsn()) as conn:
        yield conn.cursor()


def _refused(cur: oracledb.Cursor, statement: str, *args: object) -> str:
    with pytest.raises(oracledb.IntegrityError) as caught:
        cur.execute(statement, list(args))
    assert caught.value.args[0].code == 1
    return str(caught.value.args[0].message)


def test_a_key_taken_in_the_transaction_or_committed_is_refused(cur: oracledb.Cursor) -> None:
    cur.execute("insert into t values (1, 'x', 1)")
    _refused(cur, "insert into t values (1, 'y', 2)")  # pending
    cur.connection.commit()
    _refused(cur, "insert into t values (1.0, 'z', 3)")  # committed, the same number
    assert "APP.T_AB" in _refused(cur, "insert into t values (2, 'x', 1)")  # the named constraint


def test_a_deleted_or_changed_key_is_free_again(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    cur.execute("insert into t values (1, 'x', 1)")
    cur.connection.commit()
    cur.execute("delete from t where id = 1")
    cur.execute("insert into t values (1, 'x', 1)")  # free within the transaction
    cur.execute("update t set id = 5 where id = 1")
    cur.execute("insert into t values (1, 'w', 1)")  # the pending row moved to 5
    _refused(cur, "update t set id = 5 where id = 1")
    cur.connection.rollback()
    assert db.rows("APP", "T") == [(1, "x", 1)]
    db.execute("DELETE FROM app.t")
    cur.execute("insert into t values (1, 'x', 1)")  # the committed delete freed it
    cur.connection.commit()
    assert db.rows("APP", "T") == [(1, "x", 1)]


def test_null_parts_of_a_composite_key(cur: oracledb.Cursor) -> None:
    cur.executemany("insert into t values (:1, :2, :3)", [(1, None, None), (2, None, None)])
    cur.execute("insert into t values (3, 'x', null)")
    _refused(cur, "insert into t values (4, 'x', null)")  # the non-NULL parts are equal


def test_other_sessions_see_committed_keys_only(
    oracle: EmulatedOracle, db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    cur.execute("insert into t values (1, 'x', 1)")
    with oracledb.connect(user="app", password="app", dsn=oracle.dsn()) as other:
        other.cursor().execute("insert into t values (1, 'y', 2)")  # not yet visible to it
        other.rollback()
        cur.connection.commit()
        _refused(other.cursor(), "insert into t values (1, 'y', 2)")
