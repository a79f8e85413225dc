# ruff: noqa: E501 - PL/SQL and SQL texts are kept on their natural lines
from decimal import Decimal

import pytest
from fake_runtime import FakeRuntime, error_of, run_block

from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.engine import execute
from airflow_datapump.testing._plsql.typesys import scalar_type
from airflow_datapump.testing._values import NUMBER, Bind

VC = scalar_type("VARCHAR2", (10,)) or NUMBER


@pytest.fixture
def rt() -> FakeRuntime:
    runtime = FakeRuntime()
    runtime.add_table(
        "EMP",
        [ColumnDef("ID", NUMBER, not_null=True), ColumnDef("NAME", VC), ColumnDef("DEPT", NUMBER)],
        [
            (Decimal(1), "ann", Decimal(10)),
            (Decimal(2), "bob", Decimal(20)),
            (Decimal(3), "cy", None),
            (Decimal(4), "dee", Decimal(10)),
        ],
    )
    runtime.add_table(
        "DEPT", [ColumnDef("ID", NUMBER), ColumnDef("DNAME", VC)],
        [(Decimal(10), "sales"), (Decimal(20), "ops")],
    )  # fmt: skip
    return runtime


def rows(rt: FakeRuntime, text: str, **binds: Bind) -> list[tuple[object, ...]]:
    result = execute(text, dict(binds), rt)
    assert result.statement_kind == "SELECT"
    return list(result.rows)


def test_where_with_nulls_and_binds(rt: FakeRuntime) -> None:
    assert rows(rt, "SELECT name FROM emp WHERE dept = :d", D=Bind(Decimal(10))) == [
        ("ann",),
        ("dee",),
    ]
    assert rows(rt, "SELECT name FROM emp WHERE dept <> 10") == [("bob",)]
    assert rows(rt, "SELECT name FROM emp WHERE dept IS NULL") == [("cy",)]


def test_order_by_nulls_last_for_asc_and_first_for_desc(rt: FakeRuntime) -> None:
    assert rows(rt, "SELECT name FROM emp ORDER BY dept, name DESC") == [
        ("dee",), ("ann",), ("bob",), ("cy",),
    ]  # fmt: skip
    assert rows(rt, "SELECT name FROM emp ORDER BY dept DESC, 1") == [
        ("cy",), ("bob",), ("ann",), ("dee",),
    ]  # fmt: skip
    assert rows(rt, "SELECT name n FROM emp ORDER BY dept NULLS FIRST, n")[0] == ("cy",)


def test_joins(rt: FakeRuntime) -> None:
    inner = "SELECT e.name, d.dname FROM emp e JOIN dept d ON d.id = e.dept ORDER BY e.id"
    assert rows(rt, inner) == [("ann", "sales"), ("bob", "ops"), ("dee", "sales")]
    left = "SELECT e.name, d.dname FROM emp e LEFT OUTER JOIN dept d ON d.id = e.dept ORDER BY 1"
    assert rows(rt, left)[2] == ("cy", None)
    comma = "SELECT COUNT(*) FROM emp e, dept d WHERE e.dept = d.id"
    assert rows(rt, comma) == [(Decimal(3),)]


def test_group_by_count_having(rt: FakeRuntime) -> None:
    text = """SELECT dept, COUNT(*) c, COUNT(dept), MAX(name), SUM(id), AVG(id)
              FROM emp GROUP BY dept HAVING COUNT(*) > 1 ORDER BY dept"""
    assert rows(rt, text) == [(Decimal(10), Decimal(2), Decimal(2), "dee", Decimal(5), Decimal("2.5"))]
    assert rows(rt, "SELECT COUNT(DISTINCT dept), COUNT(*) FROM emp") == [(Decimal(2), Decimal(4))]
    assert rows(rt, "SELECT COUNT(*), MAX(id) FROM emp WHERE 1 = 2") == [(Decimal(0), None)]


def test_fetch_first_offset_distinct_inline_view_and_subqueries(rt: FakeRuntime) -> None:
    assert rows(rt, "SELECT id FROM emp ORDER BY id OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY") == [
        (Decimal(2),), (Decimal(3),),
    ]  # fmt: skip
    assert rows(rt, "SELECT DISTINCT dept FROM emp WHERE dept IS NOT NULL ORDER BY dept") == [
        (Decimal(10),), (Decimal(20),),
    ]  # fmt: skip
    view = "SELECT v.n FROM (SELECT name n, id FROM emp WHERE id > 2) v ORDER BY v.id DESC"
    assert rows(rt, view) == [("dee",), ("cy",)]
    sub = "SELECT name FROM emp WHERE dept IN (SELECT id FROM dept WHERE dname = 'ops')"
    assert rows(rt, sub) == [("bob",)]
    exists = "SELECT d.dname, (SELECT COUNT(*) FROM emp e WHERE e.dept = d.id) FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id AND e.name = 'bob')"
    assert rows(rt, exists) == [("ops", Decimal(1))]


def test_star_and_column_names(rt: FakeRuntime) -> None:
    result = execute("SELECT d.*, 1 + 1, id AS x FROM dept d", {}, rt)
    assert [name for name, _ in result.columns or []] == ["ID", "DNAME", "1+1", "X"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SELECT nope FROM emp", 904),
        ("SELECT id FROM emp, dept", 918),
        ("SELECT 1 FROM nothere", 942),
        ("SELECT 1 dual", 923),
        ("SELECT FROM dual", 936),
        ("SELECT 1 FROM dual WHERE", 936),
        ("SELECT 1 FROM dual;", 911),
        ("SELECT 1 FROM dual dual2 x", 933),
        ("EXPLAIN PLAN FOR SELECT 1 FROM dual", 900),
        ("MERGE INTO emp USING dept ON (1 = 1) WHEN MATCHED THEN UPDATE SET name = 'x'", 3001),
    ],
)
def test_sql_errors(rt: FakeRuntime, text: str, code: int) -> None:
    assert error_of(rt, text).code == code


def test_unknown_column_message(rt: FakeRuntime) -> None:
    assert error_of(rt, "SELECT nope FROM emp").message == 'ORA-00904: "NOPE": invalid identifier'


def test_insert_update_delete_and_rowcount(rt: FakeRuntime) -> None:
    result = execute("INSERT INTO emp (id, name) VALUES (:i, 'eve')", {"i": Bind(Decimal(5))}, rt)
    assert result.rowcount == 1
    assert execute("UPDATE emp SET dept = 30 WHERE dept IS NULL", {}, rt).rowcount == 2
    assert execute("DELETE FROM emp WHERE dept = 30", {}, rt).rowcount == 2
    assert rows(rt, "SELECT COUNT(*) FROM emp") == [(Decimal(3),)]
    assert execute("INSERT INTO dept SELECT id + 100, name FROM emp", {}, rt).rowcount == 3


def test_dml_in_plsql_sets_sql_rowcount(rt: FakeRuntime) -> None:
    text = """BEGIN
      UPDATE emp SET name = UPPER(name) WHERE dept = 10;
      :r := SQL%ROWCOUNT || CASE WHEN SQL%FOUND THEN 'f' END;
      DELETE FROM emp WHERE 1 = 2;
      :r := :r || SQL%ROWCOUNT || CASE WHEN SQL%NOTFOUND THEN 'n' END;
      FOR rec IN (SELECT name, id FROM emp WHERE dept = 10 ORDER BY id) LOOP
        :r := :r || rec.name;
      END LOOP;
      COMMIT;
    END;"""
    binds = run_block(rt, text, R=Bind(None, size=100))
    assert binds["R"].value == "2f0nANNDEE"
    assert rt.commits == 1


def test_select_into_errors_and_local_variable_in_sql(rt: FakeRuntime) -> None:
    text = "DECLARE n VARCHAR2(10); d NUMBER := 20; BEGIN SELECT name INTO n FROM emp WHERE dept = d; :r := n; END;"
    assert run_block(rt, text, R=Bind(None))["R"].value == "bob"
    many = error_of(rt, "DECLARE n NUMBER; BEGIN SELECT id INTO n FROM emp; END;")
    assert many.message.splitlines()[0] == (
        "ORA-01422: exact fetch returns more than requested number of rows"
    )


def test_insert_checks_not_null_and_length(rt: FakeRuntime) -> None:
    assert error_of(rt, "INSERT INTO emp (name) VALUES ('x')").message == (
        'ORA-01400: cannot insert NULL into ("HR"."EMP"."ID")'
    )
    assert error_of(rt, "INSERT INTO emp (id, name) VALUES (9, 'much too long')").code == 12899
    assert error_of(rt, "INSERT INTO emp (id) VALUES ('abc')").code == 1722
    assert error_of(rt, "INSERT INTO emp (id, name) VALUES (1)").code == 947
