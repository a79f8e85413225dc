"""NOT NULL constraints are constraints like the others (SQL Language Reference, constraint
clause and ALTER TABLE): an unnamed one is named SYS_Cn from the sequence every other
constraint's name comes from, and by that name (or the one written) it is listed, dropped,
disabled and enabled; ALTER TABLE ... MODIFY column NULL drops it and MODIFY column NOT NULL
adds one. Over the real driver."""

from __future__ import annotations

import re

import oracledb
import pytest


@pytest.fixture
def cur(app: oracledb.Cursor) -> oracledb.Cursor:
    """APP with T: A NOT NULL (unnamed), B NOT NULL named T_B_NN, C a CHECK (unnamed); row (1, 1, 1)."""
    app.execute(
        "CREATE TABLE t (a NUMBER NOT NULL, b NUMBER CONSTRAINT t_b_nn NOT NULL, c NUMBER CHECK (c > 0))"
    )
    app.execute("INSERT INTO t VALUES (1, 1, 1)")
    app.connection.commit()
    return app


def _checks(cur: oracledb.Cursor) -> dict[str, tuple[str, str, str, str]]:
    """Each CHECK-type constraint of T by its condition: name, status, validated, generated."""
    cur.execute(
        "SELECT search_condition, constraint_name, status, validated, generated FROM user_constraints "
        "WHERE table_name = 'T' AND constraint_type = 'C'"
    )
    return {row[0]: row[1:] for row in cur.fetchall()}


def _nullable(cur: oracledb.Cursor) -> str:
    cur.execute("SELECT nullable FROM user_tab_columns WHERE table_name = 'T' ORDER BY column_id")
    return "".join(row[0] for row in cur.fetchall())


def _refused(cur: oracledb.Cursor, statement: str) -> str:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(statement)
    return str(caught.value).splitlines()[0]


def test_an_unnamed_not_null_is_named_from_the_one_sequence(cur: oracledb.Cursor) -> None:
    checks = _checks(cur)
    a_name, *a_state = checks['"A" IS NOT NULL']
    c_name, *_ = checks["c > 0"]
    assert a_state == ["ENABLED", "VALIDATED", "GENERATED NAME"]
    assert checks['"B" IS NOT NULL'] == ("T_B_NN", "ENABLED", "VALIDATED", "USER NAME")
    numbers = sorted(int(re.fullmatch(r"SYS_C(\d+)", name).group(1)) for name in (a_name, c_name))  # type: ignore[union-attr]
    assert numbers[1] == numbers[0] + 1  # neighbours in one sequence, not a hash of the column
    cur.execute("CREATE TABLE u (a NUMBER NOT NULL)")
    cur.execute("SELECT constraint_name FROM user_constraints WHERE table_name = 'U'")
    assert cur.fetchone()[0] == f"SYS_C{numbers[1] + 1:07d}"


def test_a_not_null_is_dropped_by_its_name(cur: oracledb.Cursor) -> None:
    a_name = _checks(cur)['"A" IS NOT NULL'][0]
    cur.execute(f"ALTER TABLE t DROP CONSTRAINT {a_name}")
    cur.execute("ALTER TABLE t DROP CONSTRAINT t_b_nn")
    assert set(_checks(cur)) == {"c > 0"}
    assert _nullable(cur) == "YYY"
    cur.execute("INSERT INTO t VALUES (NULL, NULL, 2)")
    assert _refused(cur, "ALTER TABLE t DROP CONSTRAINT t_b_nn").startswith("ORA-02443")


def test_a_not_null_is_disabled_and_enabled_by_its_name(cur: oracledb.Cursor) -> None:
    cur.execute("ALTER TABLE t DISABLE CONSTRAINT t_b_nn")
    assert _checks(cur)['"B" IS NOT NULL'] == ("T_B_NN", "DISABLED", "NOT VALIDATED", "USER NAME")
    assert _nullable(cur) == "NYY"
    cur.execute("INSERT INTO t VALUES (2, NULL, 2)")
    assert _refused(cur, "ALTER TABLE t ENABLE CONSTRAINT t_b_nn") == (
        "ORA-02296: cannot enable (APP.T_B_NN) - null values found"
    )
    cur.execute("DELETE FROM t WHERE b IS NULL")
    cur.execute("ALTER TABLE t ENABLE CONSTRAINT t_b_nn")
    assert _checks(cur)['"B" IS NOT NULL'] == ("T_B_NN", "ENABLED", "VALIDATED", "USER NAME")
    assert (
        _refused(cur, "INSERT INTO t VALUES (3, NULL, 3)")
        == 'ORA-01400: cannot insert NULL into ("APP"."T"."B")'
    )


def test_modify_column_null_drops_it_and_not_null_adds_one(cur: oracledb.Cursor) -> None:
    cur.execute("ALTER TABLE t MODIFY a NULL")
    assert '"A" IS NOT NULL' not in _checks(cur)
    assert _refused(cur, "ALTER TABLE t MODIFY (a NULL)") == (
        "ORA-01451: column to be modified to NULL cannot be modified to NULL"
    )
    cur.execute("INSERT INTO t VALUES (NULL, 2, 2)")
    assert (
        _refused(cur, "ALTER TABLE t MODIFY a NOT NULL")
        == "ORA-02296: cannot enable (APP.) - null values found"
    )
    cur.execute("DELETE FROM t WHERE a IS NULL")
    cur.execute("ALTER TABLE t MODIFY (a CONSTRAINT t_a_nn NOT NULL)")
    assert _checks(cur)['"A" IS NOT NULL'] == ("T_A_NN", "ENABLED", "VALIDATED", "USER NAME")
    assert _refused(cur, "ALTER TABLE t MODIFY a NOT NULL") == (
        "ORA-01442: column to be modified to NOT NULL is already NOT NULL"
    )
    cur.execute("ALTER TABLE t MODIFY c NOT NULL")
    assert re.fullmatch(r"SYS_C\d+", _checks(cur)['"C" IS NOT NULL'][0])
    assert _refused(cur, "ALTER TABLE t MODIFY c NUMBER(5)").startswith("ORA-03001")
