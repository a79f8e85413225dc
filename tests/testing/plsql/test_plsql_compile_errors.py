from decimal import Decimal

import pytest
from fake_runtime import FakeRuntime, error_of

from airflow_datapump.testing._values import Bind


@pytest.fixture
def rt() -> FakeRuntime:
    return FakeRuntime()


def lines(rt: FakeRuntime, text: str, **binds: Bind) -> list[str]:
    err = error_of(rt, text, **binds)
    assert err.code == 6550
    assert err.prefix == "ORA"
    result: list[str] = err.message.splitlines()
    return result


def test_nothing_runs_when_compilation_fails(rt: FakeRuntime) -> None:
    lines(rt, "BEGIN DBMS_DATAPUMP.DETACH(1); nope; END;")
    assert rt.calls == []


def test_unknown_identifier(rt: FakeRuntime) -> None:
    assert lines(rt, "BEGIN\n  x := 1;\nEND;") == [
        "ORA-06550: line 2, column 3:",
        "PLS-00201: identifier 'X' must be declared",
        "ORA-06550: line 2, column 3:",
        "PL/SQL: Statement ignored",
    ]


def test_unknown_package_and_member(rt: FakeRuntime) -> None:
    assert lines(rt, "BEGIN NOPKG.OPEN(1); END;")[1] == (
        "PLS-00201: identifier 'NOPKG.OPEN' must be declared"
    )
    assert lines(rt, "BEGIN DBMS_DATAPUMP.OPN(1); END;")[1] == ("PLS-00302: component 'OPN' must be declared")


def test_every_error_is_reported(rt: FakeRuntime) -> None:
    got = lines(rt, "BEGIN\n  a := 1;\n  b := 2;\nEND;")
    assert got[1] == "PLS-00201: identifier 'A' must be declared"
    assert got[5] == "PLS-00201: identifier 'B' must be declared"
    assert len(got) == 8


@pytest.mark.parametrize(
    "call",
    [
        "DBMS_DATAPUMP.OPEN('EXPORT')",  # too few
        "DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', bogus => 1)",  # unknown name
        "DBMS_DATAPUMP.OPEN(operation => 'EXPORT', operation => 'X', job_mode => 'S')",  # twice
        "DBMS_DATAPUMP.OPEN(operation => 'EXPORT', 'SCHEMA')",  # positional after named
        "DBMS_DATAPUMP.OPEN(TRUE, 'SCHEMA')",  # BOOLEAN converts to nothing
    ],
)
def test_wrong_arguments(rt: FakeRuntime, call: str) -> None:
    got = lines(rt, f"DECLARE h NUMBER; BEGIN h := {call}; END;")
    assert got[1] == "PLS-00306: wrong number or types of arguments in call to 'OPEN'"


def test_overload_chosen_by_bind_type(rt: FakeRuntime) -> None:
    from fake_runtime import run_block

    text = "BEGIN DBMS_DATAPUMP.SET_PARAMETER(1, 'X', :v); END;"
    run_block(rt, text, V=Bind(Decimal(1)))
    run_block(rt, text, V=Bind("ALL"))
    assert [args["VALUE"] for _, args in rt.calls] == [Decimal(1), "ALL"]


def test_null_matching_two_overloads_is_pls_00307(rt: FakeRuntime) -> None:
    got = lines(rt, "BEGIN DBMS_DATAPUMP.SET_PARAMETER(1, 'X', NULL); END;")
    assert got[1] == "PLS-00307: too many declarations of 'SET_PARAMETER' match this call"


def test_assignment_targets(rt: FakeRuntime) -> None:
    got = lines(rt, "DECLARE c CONSTANT NUMBER := 1; BEGIN c := 2; END;")
    assert got[1] == "PLS-00363: expression 'C' cannot be used as an assignment target"
    got = lines(rt, "DECLARE PROCEDURE p(a NUMBER) IS BEGIN a := 1; END; BEGIN p(1); END;")
    assert got[1] == "PLS-00363: expression 'A' cannot be used as an assignment target"
    got = lines(
        rt,
        "DECLARE st ku$_Status; BEGIN DBMS_DATAPUMP.GET_STATUS(1, 8, 0, 'lit', st); END;",
    )
    assert got[1] == "PLS-00363: expression ''lit'' cannot be used as an assignment target"


def test_function_as_procedure_and_procedure_as_function(rt: FakeRuntime) -> None:
    assert lines(rt, "BEGIN DBMS_DATAPUMP.OPEN('A', 'B'); END;")[1] == (
        "PLS-00221: 'OPEN' is not a procedure or is undefined"
    )
    assert lines(rt, "DECLARE x NUMBER; BEGIN x := DBMS_DATAPUMP.DETACH(1); END;")[1] == (
        "PLS-00222: no function with name 'DETACH' exists in this scope"
    )


def test_type_mismatch_in_assignment_and_condition(rt: FakeRuntime) -> None:
    assert lines(rt, "DECLARE b BOOLEAN; BEGIN b := 1; END;")[1] == ("PLS-00382: expression is of wrong type")
    assert lines(rt, "BEGIN IF 1 THEN NULL; END IF; END;")[1] == ("PLS-00382: expression is of wrong type")


def test_decode_is_sql_only(rt: FakeRuntime) -> None:
    got = lines(rt, "DECLARE x NUMBER; BEGIN x := DECODE(1, 1, 2); END;")
    assert got[1] == ("PLS-00204: function or pseudo-column 'DECODE' may be used inside a SQL statement only")


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("BEGIN NULL END;", "END"),
        ("BEGIN NULL; END;\n/", "/"),
        ("BEGIN :arr(1) := 2; END;", "("),
        ("BEGIN x := ; END;", ";"),
    ],
)
def test_syntax_errors_are_pls_00103(rt: FakeRuntime, text: str, symbol: str) -> None:
    err = error_of(rt, text, ARR=Bind(None))
    assert err.code == 6550
    assert err.message.splitlines()[1].startswith(f'PLS-00103: Encountered the symbol "{symbol}"')


def test_raise_without_name_outside_handler(rt: FakeRuntime) -> None:
    assert lines(rt, "BEGIN RAISE; END;")[1].startswith("PLS-00367")


def test_sql_errors_inside_plsql(rt: FakeRuntime) -> None:
    got = lines(rt, "DECLARE n NUMBER; BEGIN SELECT 1 INTO n FROM missing; END;")
    assert got[1] == "PL/SQL: ORA-00942: table or view does not exist"
    assert got[3] == "PL/SQL: SQL Statement ignored"
