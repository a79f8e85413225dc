"""ALTER TABLE ... ENABLE / DISABLE / MODIFY of a constraint (SQL Language Reference,
constraint_state and ALTER TABLE; the dictionary's STATUS and VALIDATED as the Database
Reference gives them), over the real driver: what a disabled constraint lets through, what
enabling it again checks; the refresh a DBA runs around a TRUNCATE import is in
datapump/test_dp_import_load.py."""

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
def cur(oracle: EmulatedOracle) -> Iterator[oracledb.Cursor]:
    """APP with PARENT (1, 2) and CHILD (10 -> 1) joined by CHILD_FK, CHILD_QTY a check."""
    handle: DatabaseHandle = oracle.database("FREEPDB1")
    handle.create_user("APP", "app")
    with oracledb.connect(user="app", password="app", dsn=oracle.dsn()) as conn:
        cursor = conn.cursor()
        cursor.execute("CREATE TABLE parent (id NUMBER CONSTRAINT parent_pk PRIMARY KEY, code VARCHAR2(5))")
        cursor.execute(
            "CREATE TABLE child (id NUMBER, p NUMBER CONSTRAINT child_fk REFERENCES parent (id), "
            "qty NUMBER CONSTRAINT child_qty CHECK (qty > 0))"
        )
        cursor.executemany("INSERT INTO parent VALUES (:1, :2)", [(1, "a"), (2, "b")])
        cursor.execute("INSERT INTO child VALUES (10, 1, 5)")
        conn.commit()
        yield cursor


def _states(cur: oracledb.Cursor) -> dict[str, tuple[str, str]]:
    cur.execute(
        "SELECT constraint_name, status, validated FROM user_constraints WHERE constraint_type <> 'C'"
    )
    found = {name: (status, validated) for name, status, validated in cur.fetchall()}
    cur.execute(
        "SELECT constraint_name, status, validated FROM user_constraints WHERE constraint_name = 'CHILD_QTY'"
    )
    found.update({name: (status, validated) for name, status, validated in cur.fetchall()})
    return found


def test_a_disabled_constraint_is_not_enforced_and_enable_validates(cur: oracledb.Cursor) -> None:
    cur.execute("ALTER TABLE child DISABLE CONSTRAINT child_fk")
    cur.execute("ALTER TABLE child MODIFY CONSTRAINT child_qty DISABLE")
    assert _states(cur)["CHILD_FK"] == ("DISABLED", "NOT VALIDATED")
    assert _states(cur)["CHILD_QTY"] == ("DISABLED", "NOT VALIDATED")
    cur.execute("INSERT INTO child VALUES (11, 9, -1)")  # an orphan breaking the check
    cur.execute("DELETE FROM parent WHERE id = 1")  # CHILD 10's parent
    cur.connection.commit()
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02298: cannot validate \(APP.CHILD_FK\)"):
        cur.execute("ALTER TABLE child ENABLE CONSTRAINT child_fk")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02293: cannot validate \(APP.CHILD_QTY\)"):
        cur.execute("ALTER TABLE child ENABLE VALIDATE CONSTRAINT child_qty")
    cur.execute("ALTER TABLE child ENABLE NOVALIDATE CONSTRAINT child_fk")  # the rows stay as they are
    assert _states(cur)["CHILD_FK"] == ("ENABLED", "NOT VALIDATED")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02291"):
        cur.execute("INSERT INTO child VALUES (12, 8, 1)")  # new rows are checked again
    cur.execute("DELETE FROM child")
    cur.execute("ALTER TABLE child MODIFY CONSTRAINT child_fk VALIDATE")
    cur.execute("ALTER TABLE child ENABLE CONSTRAINT child_qty")
    assert _states(cur)["CHILD_FK"] == _states(cur)["CHILD_QTY"] == ("ENABLED", "VALIDATED")


def test_a_disabled_key_drops_its_index_unless_kept(cur: oracledb.Cursor) -> None:
    with pytest.raises(
        oracledb.DatabaseError, match=r"ORA-02297: cannot disable constraint \(APP.PARENT_PK\)"
    ):
        cur.execute("ALTER TABLE parent DISABLE PRIMARY KEY")  # CHILD_FK depends on it
    cur.execute("ALTER TABLE parent DISABLE PRIMARY KEY CASCADE")
    assert _states(cur)["PARENT_PK"] == ("DISABLED", "NOT VALIDATED")
    assert _states(cur)["CHILD_FK"] == ("DISABLED", "NOT VALIDATED")
    cur.execute("SELECT count(*) FROM user_indexes WHERE index_name = 'PARENT_PK'")
    assert cur.fetchone() == (0,)
    cur.execute("INSERT INTO parent VALUES (1, 'dup')")  # the key is not enforced
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02437: cannot validate \(APP.PARENT_PK\)"):
        cur.execute("ALTER TABLE parent ENABLE PRIMARY KEY")
    cur.execute("DELETE FROM parent WHERE code = 'dup'")
    cur.execute("ALTER TABLE parent ENABLE CONSTRAINT parent_pk")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        cur.execute("INSERT INTO parent VALUES (2, 'again')")
    cur.execute("ALTER TABLE parent DISABLE CONSTRAINT parent_pk KEEP INDEX")
    cur.execute("SELECT uniqueness FROM user_indexes WHERE index_name = 'PARENT_PK'")
    assert cur.fetchone() == ("UNIQUE",)
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-00001: unique constraint \(APP.PARENT_PK\)"):
        cur.execute("INSERT INTO parent VALUES (2, 'again')")  # the kept unique index still refuses
    cur.execute("ALTER TABLE parent ENABLE PRIMARY KEY")
    assert _states(cur)["PARENT_PK"] == ("ENABLED", "VALIDATED")


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("ALTER TABLE child DISABLE CONSTRAINT nosuch", r"ORA-02431: cannot disable constraint \(NOSUCH\)"),
        (
            "ALTER TABLE child MODIFY CONSTRAINT nosuch ENABLE",
            r"ORA-02430: cannot enable constraint \(NOSUCH\)",
        ),
        ("ALTER TABLE child ENABLE PRIMARY KEY", "ORA-02432"),
        ("ALTER TABLE child DISABLE PRIMARY KEY", "ORA-02433"),
        ("ALTER TABLE child DISABLE VALIDATE CONSTRAINT child_fk", "ORA-03001"),
    ],
)
def test_state_changes_oracle_refuses(cur: oracledb.Cursor, statement: str, message: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match=message):
        cur.execute(statement)


def test_a_disabled_foreign_key_lets_its_parent_be_truncated(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-02266"):
        cur.execute("TRUNCATE TABLE parent")
    cur.execute("ALTER TABLE child DISABLE CONSTRAINT child_fk")
    cur.execute("TRUNCATE TABLE parent")
    cur.execute("SELECT count(*) FROM parent")
    assert cur.fetchone() == (0,)


def test_a_constraint_created_disabled(cur: oracledb.Cursor) -> None:
    cur.execute(
        "CREATE TABLE t (a NUMBER CONSTRAINT t_a CHECK (a > 0) DISABLE, b NUMBER, "
        "CONSTRAINT t_b UNIQUE (b) DISABLE)"
    )
    cur.execute("ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES parent DISABLE")
    cur.executemany("INSERT INTO t VALUES (:1, :2)", [(-5, 1), (-5, 1)])
    assert {k: v for k, v in _states(cur).items() if k.startswith("T_")} == {
        "T_B": ("DISABLED", "NOT VALIDATED"),
        "T_FK": ("DISABLED", "NOT VALIDATED"),
    }


def test_a_foreign_key_is_enabled_only_while_its_parent_key_is(cur: oracledb.Cursor) -> None:
    """An enabled foreign key needs an enabled key to refer to: with PARENT_PK disabled
    (CASCADE disables CHILD_FK too), enabling CHILD_FK, or adding an enabled foreign key to
    PARENT, is ORA-02270 [U]; a disabled one may be added, and both enable once PARENT_PK is."""
    no_key = "ORA-02270: no matching unique or primary key for this column-list"
    cur.execute("ALTER TABLE parent DISABLE CONSTRAINT parent_pk CASCADE")
    for statement in (
        "ALTER TABLE child ENABLE CONSTRAINT child_fk",
        "ALTER TABLE child ENABLE NOVALIDATE CONSTRAINT child_fk",
        "ALTER TABLE child ADD CONSTRAINT child_fk2 FOREIGN KEY (p) REFERENCES parent",
        "CREATE TABLE other (p NUMBER CONSTRAINT other_fk REFERENCES parent (id))",
    ):
        with pytest.raises(oracledb.DatabaseError) as caught:
            cur.execute(statement)
        assert str(caught.value).splitlines()[0] == no_key, statement
    cur.execute("ALTER TABLE child ADD CONSTRAINT child_fk2 FOREIGN KEY (p) REFERENCES parent DISABLE")
    cur.execute("ALTER TABLE parent ENABLE CONSTRAINT parent_pk")
    cur.execute("ALTER TABLE child ENABLE CONSTRAINT child_fk")
    cur.execute("ALTER TABLE child ENABLE CONSTRAINT child_fk2")
    assert _states(cur)["CHILD_FK2"] == ("ENABLED", "VALIDATED")
