# ruff: noqa: E501 - PL/SQL and SQL texts are kept on their natural lines
"""DML's RETURNING ... INTO: into binds (every touched row, as an array) or PL/SQL variables."""

from decimal import Decimal

import pytest
from fake_runtime import FakeRuntime, error_of, run_block

from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.engine import execute
from airflow_datapump.testing._values import NUMBER, VARCHAR2, Bind, CollectionValue, Value


@pytest.fixture
def rt() -> FakeRuntime:
    runtime = FakeRuntime()
    runtime.add_table(
        "EMP",
        [ColumnDef("ID", NUMBER), ColumnDef("NAME", VARCHAR2), ColumnDef("PAY", NUMBER)],
        [(Decimal(1), "ann", Decimal(10)), (Decimal(2), "bob", Decimal(20))],
    )
    return runtime


def _array(bind: Bind) -> list[Value]:
    assert bind.assigned
    assert isinstance(bind.value, CollectionValue)
    return bind.value.ordered()


def test_an_insert_returns_the_row_it_wrote(rt: FakeRuntime) -> None:
    out, name = Bind(None, NUMBER), Bind(None, VARCHAR2)
    result = execute(
        "insert into emp (id, name) values (:i, :n) returning id * 10, upper(name) into :o, :p",
        {"I": Bind(Decimal(3)), "N": Bind("cy"), "O": out, "P": name},
        rt,
    )
    assert result.rowcount == 1
    assert (_array(out), _array(name)) == ([Decimal(30)], ["CY"])


def test_an_update_returns_new_values_and_a_delete_the_last_ones(rt: FakeRuntime) -> None:
    pay = Bind(None, NUMBER)
    execute("update emp e set e.pay = e.pay + 1 returning e.pay into :p", {"P": pay}, rt)
    assert _array(pay) == [Decimal(11), Decimal(21)]
    gone = Bind(None, VARCHAR2)
    execute("delete from emp returning name into :g", {"G": gone}, rt)
    assert _array(gone) == ["ann", "bob"]
    none = Bind(None, NUMBER)
    execute("delete from emp returning id into :g", {"G": none}, rt)
    assert _array(none) == []


def test_plsql_returns_into_variables_one_row_only(rt: FakeRuntime) -> None:
    binds = run_block(
        rt,
        "declare n number; begin update emp set pay = 0 where id = 2 returning pay + id into n; :o := n; end;",
        O=Bind(None, NUMBER),
    )
    assert binds["O"].value == Decimal(2)
    err = error_of(rt, "declare n number; begin update emp set pay = 1 returning id into n; end;")
    assert err.code == 1422


def test_returning_needs_as_many_targets_as_values(rt: FakeRuntime) -> None:
    err = error_of(rt, "delete from emp returning id, name into :a", A=Bind(None, NUMBER))
    assert err.code == 913


def test_outside_plsql_only_binds_are_targets(rt: FakeRuntime) -> None:
    assert error_of(rt, "delete from emp returning id into x").code == 933
