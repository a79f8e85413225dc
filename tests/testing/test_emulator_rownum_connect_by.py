"""ROWNUM and hierarchical queries as the SQL Language Reference documents them ("ROWNUM
Pseudocolumn", "Hierarchical Queries", "LEVEL Pseudocolumn"), the forms DBA scripts use."""

from __future__ import annotations

import oracledb
import pytest
from emulator_sql import code_of

from airflow_datapump.testing._plsql import sqlhier

# A corner of the HR sample schema's EMPLOYEES tree, used by the reference's examples.
STAFF = [(100, "King", None), (101, "Kochhar", 100), (102, "De Haan", 100), (108, "Greenberg", 101),
         (103, "Hunold", 102), (109, "Faviet", 108), (104, "Ernst", 103)]  # fmt: skip


@pytest.fixture
def cur(hr: oracledb.Cursor) -> oracledb.Cursor:
    hr.execute("CREATE TABLE staff (employee_id NUMBER, last_name VARCHAR2(25), manager_id NUMBER)")
    hr.executemany("INSERT INTO staff VALUES (:1, :2, :3)", STAFF)
    hr.connection.commit()
    return hr


def test_rownum_numbers_rows_as_they_pass_the_where_clause(cur: oracledb.Cursor) -> None:
    assert cur.execute("select count(*) from staff where rownum < 2").fetchone() == (1,)
    rows = cur.execute("select rownum, employee_id from staff where manager_id is not null").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    # A row that fails the predicate does not use its number: ROWNUM > 1 is never true.
    assert cur.execute("select * from staff where rownum > 1").fetchall() == []
    assert cur.execute("select employee_id from staff where rownum <= 3").fetchall() == [
        (100,),
        (101,),
        (102,),
    ]
    # Numbers are given before ORDER BY (the reference's caveat), and the inline view is the
    # documented way to take the top N after sorting.
    rows = cur.execute("select rownum, employee_id from staff where rownum < 4 order by employee_id desc")
    assert rows.fetchall() == [(3, 102), (2, 101), (1, 100)]
    top = (
        "select employee_id from (select employee_id from staff order by employee_id desc) where rownum <= 2"
    )
    assert cur.execute(top).fetchall() == [(109,), (108,)]
    # ROWNUM is not a column of the table: * leaves it out.
    assert len(cur.execute("select * from staff where rownum = 1").fetchone()) == 3


def test_connect_by_level_on_dual_generates_rows(cur: oracledb.Cursor) -> None:
    rows = cur.execute("select level from dual connect by level <= 50").fetchall()
    assert [r[0] for r in rows] == list(range(1, 51))
    rows = cur.execute("select rownum from dual connect by rownum <= 4").fetchall()
    assert rows == [(1,), (2,), (3,), (4,)]
    assert cur.execute("select count(*) from dual connect by level <= 7").fetchone() == (7,)


def test_start_with_connect_by_prior_walks_the_tree_depth_first(cur: oracledb.Cursor) -> None:
    cur.execute(
        "select employee_id, manager_id, level from staff "
        "start with employee_id = 100 connect by prior employee_id = manager_id"
    )
    rows = cur.fetchall()
    assert sorted((e, lvl) for e, _, lvl in rows) == [
        (100, 1), (101, 2), (102, 2), (103, 3), (104, 4), (108, 3), (109, 4)
    ]  # fmt: skip
    # Depth-first: every row comes right after its parent's subtree began, parent first.
    seen: list[int] = []
    for employee, manager, level in rows:
        assert manager is None or manager in seen
        assert level == 1 or rows[len(seen) - 1][2] >= level - 1
        seen.append(employee)
    # START WITH may come after CONNECT BY; WHERE filters the finished hierarchy.
    cur.execute(
        "select employee_id, level from staff where level > 2 "
        "connect by manager_id = prior employee_id start with manager_id is null"
    )
    assert sorted(cur.fetchall()) == [(103, 3), (104, 4), (108, 3), (109, 4)]
    # Without START WITH every row is a root (reference: without START WITH, all rows are root rows).
    cur.execute("select count(*) from staff connect by prior employee_id = manager_id")
    assert cur.fetchone() == (1 + 2 + 2 + 3 + 3 + 4 + 4,)  # each row once per ancestor-or-self


def test_what_is_not_implemented_or_wrong_fails_loudly(cur: oracledb.Cursor) -> None:
    cur.execute("INSERT INTO staff VALUES (200, 'Loop', 200)")
    cur.connection.commit()
    loop = (
        "select employee_id from staff start with employee_id = 200 connect by prior employee_id = manager_id"
    )
    assert code_of(cur, loop) == "ORA-01436"
    assert code_of(cur, "select level from dual") == "ORA-01788"
    nocycle = "select level from staff connect by nocycle prior employee_id = manager_id"
    assert code_of(cur, nocycle) == "ORA-03001"
    path = "select sys_connect_by_path(last_name, '/') from staff connect by prior employee_id = manager_id"
    assert code_of(cur, path) == "ORA-00904"
    join = "select level from staff a, staff b connect by prior a.employee_id = a.manager_id"
    assert code_of(cur, join) == "ORA-03001"


def test_a_hierarchy_past_the_row_limit_is_ora_30009_naming_the_operation(
    cur: oracledb.Cursor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Oracle's text has a slot for the operation ("Not enough memory for string operation")."""
    monkeypatch.setattr(sqlhier, "MAX_ROWS", 5)
    with pytest.raises(oracledb.DatabaseError) as raised:
        cur.execute("select level from dual connect by level <= 10").fetchall()
    line = raised.value.args[0].message.splitlines()[0]
    assert line == "ORA-30009: Not enough memory for CONNECT BY operation"
