"""ALTER TABLE ... ENABLE / DISABLE / MODIFY of a constraint (SQL Language Reference,
constraint_state and ALTER TABLE; the dictionary's STATUS and VALIDATED as the Database
Reference gives them), over the real driver: what a disabled constraint lets through, what
enabling it again checks; the refresh a DBA runs around a TRUNCATE import is in
datapump/test_dp_import_load.py."""

from __future__ import annotations

import oracledb
import pytest

pytestmark = pytest.mark.usefixtures("parent_child")


def _states(app: oracledb.Cursor) -> dict[str, tuple[str, str]]:
    app.execute(
        "SELECT constraint_name, status, validated FROM user_constraints WHERE constraint_type <> 'C'"
    )
    found = {name: (status, validated) for name, status, validated in app.fetchall()}
    app.execute(
        "SELECT constraint_name, status, validated FROM user_constraints WHERE constraint_name = 'CHILD_QTY'"
    )
    found.update({name: (status, validated) for name, status, validated in app.fetchall()})
    return found


def test_a_disabled_constraint_is_not_enforced_and_enable_validates(app: oracledb.Cursor) -> None:
    app.execute("ALTER TABLE child DISABLE CONSTRAINT child_fk")
    app.execute("ALTER TABLE child MODIFY CONSTRAINT child_qty DISABLE")
    assert _states(app)["CHILD_FK"] == ("DISABLED", "NOT VALIDATED")
    assert _states(app)["CHILD_QTY"] == ("DISABLED", "NOT VALIDATED")
    app.execute("INSERT INTO child VALUES (11, 9, -1)")  # an orphan breaking the check
    app.execute("DELETE FROM parent WHERE id = 1")  # CHILD 10's parent
    app.connection.commit()
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02298: cannot validate \(APP.CHILD_FK\)"):
        app.execute("ALTER TABLE child ENABLE CONSTRAINT child_fk")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02293: cannot validate \(APP.CHILD_QTY\)"):
        app.execute("ALTER TABLE child ENABLE VALIDATE CONSTRAINT child_qty")
    app.execute("ALTER TABLE child ENABLE NOVALIDATE CONSTRAINT child_fk")  # the rows stay as they are
    assert _states(app)["CHILD_FK"] == ("ENABLED", "NOT VALIDATED")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02291"):
        app.execute("INSERT INTO child VALUES (12, 8, 1)")  # new rows are checked again
    app.execute("DELETE FROM child")
    app.execute("ALTER TABLE child MODIFY CONSTRAINT child_fk VALIDATE")
    app.execute("ALTER TABLE child ENABLE CONSTRAINT child_qty")
    assert _states(app)["CHILD_FK"] == _states(app)["CHILD_QTY"] == ("ENABLED", "VALIDATED")


def test_a_disabled_key_drops_its_index_unless_kept(app: oracledb.Cursor) -> None:
    with pytest.raises(
        oracledb.DatabaseError, match=r"ORA-02297: cannot disable constraint \(APP.PARENT_PK\)"
    ):
        app.execute("ALTER TABLE parent DISABLE PRIMARY KEY")  # CHILD_FK depends on it
    app.execute("ALTER TABLE parent DISABLE PRIMARY KEY CASCADE")
    assert _states(app)["PARENT_PK"] == ("DISABLED", "NOT VALIDATED")
    assert _states(app)["CHILD_FK"] == ("DISABLED", "NOT VALIDATED")
    app.execute("SELECT count(*) FROM user_indexes WHERE index_name = 'PARENT_PK'")
    assert app.fetchone() == (0,)
    app.execute("INSERT INTO parent VALUES (1, 'dup')")  # the key is not enforced
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02437: cannot validate \(APP.PARENT_PK\)"):
        app.execute("ALTER TABLE parent ENABLE PRIMARY KEY")
    app.execute("DELETE FROM parent WHERE code = 'dup'")
    app.execute("ALTER TABLE parent ENABLE CONSTRAINT parent_pk")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        app.execute("INSERT INTO parent VALUES (2, 'again')")
    app.execute("ALTER TABLE parent DISABLE CONSTRAINT parent_pk KEEP INDEX")
    app.execute("SELECT uniqueness FROM user_indexes WHERE index_name = 'PARENT_PK'")
    assert app.fetchone() == ("UNIQUE",)
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-00001: unique constraint \(APP.PARENT_PK\)"):
        app.execute("INSERT INTO parent VALUES (2, 'again')")  # the kept unique index still refuses
    app.execute("ALTER TABLE parent ENABLE PRIMARY KEY")
    assert _states(app)["PARENT_PK"] == ("ENABLED", "VALIDATED")


def test_a_key_and_a_unique_index_on_its_columns_keep_each_other_enforced(app: oracledb.Cursor) -> None:
    """A key enabled over a unique index on its columns uses that index, which then cannot be
    dropped (ORA-02429); dropping or disabling the key leaves the index enforcing."""
    app.execute("ALTER TABLE parent DISABLE PRIMARY KEY CASCADE")
    app.execute("CREATE UNIQUE INDEX parent_u ON parent (id)")
    app.execute("ALTER TABLE parent ENABLE PRIMARY KEY")
    refused = "ORA-02429: cannot drop index used for enforcement of unique/primary key"
    with pytest.raises(oracledb.DatabaseError, match=refused):
        app.execute("DROP INDEX parent_u")
    with pytest.raises(oracledb.DatabaseError, match="ORA-02429"):
        app.execute("DROP INDEX parent_pk")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-00001: unique constraint \(APP.PARENT_PK\)"):
        app.execute("INSERT INTO parent VALUES (1, 'dup')")
    app.execute("ALTER TABLE parent DISABLE PRIMARY KEY")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-00001: unique constraint \(APP.PARENT_U\)"):
        app.execute("INSERT INTO parent VALUES (1, 'dup')")
    app.execute("ALTER TABLE parent ENABLE PRIMARY KEY")
    app.execute("ALTER TABLE parent DROP CONSTRAINT parent_pk CASCADE")
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-00001: unique constraint \(APP.PARENT_U\)"):
        app.execute("INSERT INTO parent VALUES (2, 'dup')")
    app.execute("DROP INDEX parent_u")
    app.execute("INSERT INTO parent VALUES (2, 'dup')")  # nothing keys the column now


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
def test_state_changes_oracle_refuses(app: oracledb.Cursor, statement: str, message: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match=message):
        app.execute(statement)


def test_a_disabled_foreign_key_lets_its_parent_be_truncated(app: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-02266"):
        app.execute("TRUNCATE TABLE parent")
    app.execute("ALTER TABLE child DISABLE CONSTRAINT child_fk")
    app.execute("TRUNCATE TABLE parent")
    app.execute("SELECT count(*) FROM parent")
    assert app.fetchone() == (0,)


def test_a_constraint_created_disabled(app: oracledb.Cursor) -> None:
    app.execute(
        "CREATE TABLE t (a NUMBER CONSTRAINT t_a CHECK (a > 0) DISABLE, b NUMBER, "
        "CONSTRAINT t_b UNIQUE (b) DISABLE)"
    )
    app.execute("ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES parent DISABLE")
    app.executemany("INSERT INTO t VALUES (:1, :2)", [(-5, 1), (-5, 1)])
    assert {k: v for k, v in _states(app).items() if k.startswith("T_")} == {
        "T_B": ("DISABLED", "NOT VALIDATED"),
        "T_FK": ("DISABLED", "NOT VALIDATED"),
    }


def test_a_foreign_key_is_enabled_only_while_its_parent_key_is(app: oracledb.Cursor) -> None:
    """An enabled foreign key needs an enabled key to refer to: with PARENT_PK disabled
    (CASCADE disables CHILD_FK too), enabling CHILD_FK, or adding an enabled foreign key to
    PARENT, is ORA-02270 [U]; a disabled one may be added, and both enable once PARENT_PK is."""
    no_key = "ORA-02270: no matching unique or primary key for this column-list"
    app.execute("ALTER TABLE parent DISABLE CONSTRAINT parent_pk CASCADE")
    for statement in (
        "ALTER TABLE child ENABLE CONSTRAINT child_fk",
        "ALTER TABLE child ENABLE NOVALIDATE CONSTRAINT child_fk",
        "ALTER TABLE child ADD CONSTRAINT child_fk2 FOREIGN KEY (p) REFERENCES parent",
        "CREATE TABLE other (p NUMBER CONSTRAINT other_fk REFERENCES parent (id))",
    ):
        with pytest.raises(oracledb.DatabaseError) as caught:
            app.execute(statement)
        assert str(caught.value).splitlines()[0] == no_key, statement
    app.execute("ALTER TABLE child ADD CONSTRAINT child_fk2 FOREIGN KEY (p) REFERENCES parent DISABLE")
    app.execute("ALTER TABLE parent ENABLE CONSTRAINT parent_pk")
    app.execute("ALTER TABLE child ENABLE CONSTRAINT child_fk")
    app.execute("ALTER TABLE child ENABLE CONSTRAINT child_fk2")
    assert _states(app)["CHILD_FK2"] == ("ENABLED", "VALIDATED")
