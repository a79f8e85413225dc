# ruff: noqa: E501 - PL/SQL and SQL texts are kept on their natural lines
from decimal import Decimal

import pytest
from fake_runtime import FakeRuntime, error_of, run_block

from airflow_datapump.testing._values import Bind


@pytest.fixture
def rt() -> FakeRuntime:
    return FakeRuntime()


def out(rt: FakeRuntime, text: str, **binds: Bind) -> object:
    """Run a block whose result is assigned to :r and return that value."""
    result = run_block(rt, text, R=Bind(None, size=4000), **binds)
    return result["R"].value


def test_empty_string_is_null_and_concat_skips_null(rt: FakeRuntime) -> None:
    assert out(rt, "BEGIN IF '' IS NULL THEN :r := 'x' || NULL || 'y'; END IF; END;") == "xy"


def test_if_with_null_condition_takes_else(rt: FakeRuntime) -> None:
    text = "DECLARE n NUMBER; BEGIN IF n > 1 THEN :r := 'then'; ELSE :r := 'else'; END IF; END;"
    assert out(rt, text) == "else"


def test_elsif_chain(rt: FakeRuntime) -> None:
    text = """DECLARE n NUMBER := 2; BEGIN
      IF n = 1 THEN :r := 'one'; ELSIF n = 2 THEN :r := 'two'; ELSE :r := 'many'; END IF;
    END;"""
    assert out(rt, text) == "two"


def test_numeric_for_loop_reverse_and_bounds_once(rt: FakeRuntime) -> None:
    text = """DECLARE hi NUMBER := 3; s VARCHAR2(100); BEGIN
      FOR i IN REVERSE 1 .. hi LOOP hi := 10; s := s || i; END LOOP; :r := s;
    END;"""
    assert out(rt, text) == "321"


def test_while_exit_continue_and_labels(rt: FakeRuntime) -> None:
    text = """DECLARE i PLS_INTEGER := 0; s VARCHAR2(100); BEGIN
      <<outer>> LOOP
        i := i + 1;
        CONTINUE WHEN i = 2;
        FOR j IN 1 .. 5 LOOP EXIT outer WHEN i = 4; EXIT WHEN j = 2; s := s || i || j; END LOOP;
      END LOOP outer;
      WHILE i < 6 LOOP i := i + 1; END LOOP;
      :r := s || '/' || i;
    END;"""
    assert out(rt, text) == "1131/6"


def test_case_statement_and_case_not_found(rt: FakeRuntime) -> None:
    text = "DECLARE x NUMBER := 3; BEGIN CASE x WHEN 1 THEN :r := 'a'; WHEN 3 THEN :r := 'c'; END CASE; END;"
    assert out(rt, text) == "c"
    err = error_of(rt, "BEGIN CASE WHEN 1 = 2 THEN NULL; END CASE; END;")
    assert err.code == 6592
    assert err.message.splitlines() == [
        "ORA-06592: CASE not found while executing CASE statement",
        "ORA-06512: at line 1",
    ]


def test_case_expression_simple_and_searched(rt: FakeRuntime) -> None:
    text = """BEGIN :r := CASE 2 WHEN 1 THEN 'a' WHEN 2 THEN 'b' END
              || CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END; END;"""
    assert out(rt, text) == "by"


def test_three_valued_logic(rt: FakeRuntime) -> None:
    text = """DECLARE n BOOLEAN; BEGIN
      :r := CASE WHEN (n AND FALSE) = FALSE THEN 'f' ELSE '?' END
         || CASE WHEN (n OR TRUE) THEN 't' ELSE '?' END
         || CASE WHEN NOT (n AND TRUE) THEN '!' ELSE 'null' END;
    END;"""
    assert out(rt, text) == "ftnull"


def test_like_in_between(rt: FakeRuntime) -> None:
    text = """BEGIN
      IF 'ab_c' LIKE 'a%\\_c' ESCAPE '\\' AND 3 IN (1, 3) AND 2 NOT BETWEEN 3 AND 4
         AND (NOT (NULL IN (1, 2))) IS NULL THEN :r := 'yes'; END IF;
      IF 5 NOT IN (1, NULL) THEN :r := 'wrong'; END IF;
    END;"""
    assert out(rt, text) == "yes"


def test_decimal_arithmetic_and_zero_divide(rt: FakeRuntime) -> None:
    assert out(rt, "BEGIN :r := 0.1 + 0.2 || '/' || 2 ** 3 || '/' || MOD(-7, 3); END;") == ".3/8/-1"
    err = error_of(rt, "DECLARE x NUMBER; BEGIN x := 1 / 0; END;")
    assert err.message.splitlines()[0] == "ORA-01476: divisor is equal to zero"


def test_varchar2_overflow_and_bind_size(rt: FakeRuntime) -> None:
    err = error_of(rt, "DECLARE v VARCHAR2(3); BEGIN v := 'abcd'; END;")
    assert err.message.splitlines()[0] == (
        "ORA-06502: PL/SQL: numeric or value error: character string buffer too small"
    )
    err = error_of(rt, "BEGIN :o := 'abcdef'; END;", O=Bind(None, size=5))
    assert err.code == 6502


def test_not_null_and_constant(rt: FakeRuntime) -> None:
    err = error_of(rt, "DECLARE v NUMBER NOT NULL := 1; BEGIN v := NULL; END;")
    assert err.code == 6502


def test_conversion_errors(rt: FakeRuntime) -> None:
    err = error_of(rt, "DECLARE n NUMBER; BEGIN n := 'abc'; END;")
    assert err.message.splitlines()[0] == (
        "ORA-06502: PL/SQL: numeric or value error: character to number conversion error"
    )
    assert out(rt, "DECLARE n NUMBER; BEGIN n := ' 12 '; :r := n + 1; END;") == "13"


def test_builtins(rt: FakeRuntime) -> None:
    text = """BEGIN :r := NVL(NULL, 'a') || NVL2(1, 'b', 'c') || COALESCE(NULL, NULL, 'd')
      || SUBSTR('hello', 2, 3) || SUBSTR('hello', -2) || INSTR('banana', 'an', 1, 2)
      || LENGTH('abc') || UPPER('x') || LOWER('Y') || INITCAP('ab cd') || TRIM('  t  ')
      || LPAD('7', 3, '0') || RPAD('z', 2, '.') || REPLACE('aXa', 'X', '-') || CHR(65)
      || ASCII('A') || TRANSLATE('abc', 'ab', 'x') || ROUND(2.567, 2) || TRUNC(2.567, 1)
      || ABS(-3) || CEIL(1.2) || FLOOR(1.8) || SIGN(-2) || POWER(2, 10) || GREATEST(1, 5, 3)
      || LEAST('b', 'a') || CONCAT('p', 'q'); END;"""
    assert out(rt, text) == "abdelllo43XyAb Cdt007z.a-aA65xc2.572.5321-110245apq"


def test_dates_and_clock(rt: FakeRuntime) -> None:
    text = """BEGIN :r := TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') || '|'
      || TO_CHAR(TO_DATE('31-JAN-24', 'DD-MON-YY') + 1, 'Dy Mon DD HH24:MI:SS YYYY') || '|'
      || TO_CHAR(SYSDATE, 'DD-MON-YY') || '|' || USER || '|' || TO_NUMBER('12.5') * 2; END;"""
    assert out(rt, text) == "2024-01-31 10:12:00|Thu Feb 01 00:00:00 2024|31-JAN-24|HR|25"


def test_named_exceptions_sqlcode_sqlerrm(rt: FakeRuntime) -> None:
    text = """DECLARE n NUMBER; BEGIN
      :r := SQLCODE || ' ' || SQLERRM;
      SELECT 1 INTO n FROM dual WHERE 1 = 2;
    EXCEPTION WHEN TOO_MANY_ROWS OR NO_DATA_FOUND THEN
      :r := :r || '|' || SQLCODE || ' ' || SQLERRM || '|' || SQLERRM(-1422);
    END;"""
    assert out(rt, text) == (
        "0 ORA-0000: normal, successful completion|100 ORA-01403: no data found|"
        "ORA-01422: exact fetch returns more than requested number of rows"
    )


def test_user_exception_with_and_without_code(rt: FakeRuntime) -> None:
    text = """DECLARE e EXCEPTION; f EXCEPTION; PRAGMA EXCEPTION_INIT(f, -20001); BEGIN
      BEGIN RAISE e; EXCEPTION WHEN e THEN :r := SQLCODE || ' ' || SQLERRM; END;
      BEGIN RAISE_APPLICATION_ERROR(-20001, 'boom'); EXCEPTION WHEN f THEN :r := :r || '|' || SQLERRM; END;
    END;"""
    assert out(rt, text) == "1 User-Defined Exception|ORA-20001: boom"
    err = error_of(rt, "DECLARE e EXCEPTION; BEGIN\n  RAISE e;\nEND;")
    assert err.code == 6510
    assert err.message == "ORA-06510: PL/SQL: unhandled user-defined exception\nORA-06512: at line 2"


def test_reraise_and_others(rt: FakeRuntime) -> None:
    text = "BEGIN\n  BEGIN\n    RAISE VALUE_ERROR;\n  EXCEPTION WHEN OTHERS THEN\n    RAISE;\n  END;\nEND;"
    err = error_of(rt, text)
    assert err.code == 6502
    assert err.message.splitlines() == [
        "ORA-06502: PL/SQL: numeric or value error",
        "ORA-06512: at line 5",
    ]


def test_raise_application_error_keep_errors_stacks(rt: FakeRuntime) -> None:
    text = """BEGIN
  RAISE NO_DATA_FOUND;
EXCEPTION WHEN OTHERS THEN
  RAISE_APPLICATION_ERROR(-20002, 'wrapped', TRUE);
END;"""
    err = error_of(rt, text)
    assert err.code == 20002
    assert err.message.splitlines() == [
        "ORA-20002: wrapped",
        "ORA-01403: no data found",
        "ORA-06512: at line 4",
    ]


def test_raise_application_error_range_and_truncation(rt: FakeRuntime) -> None:
    err = error_of(rt, "BEGIN RAISE_APPLICATION_ERROR(-1, 'x'); END;")
    assert err.message.splitlines()[0] == (
        "ORA-21000: error number argument to raise_application_error of -1 is out of range"
    )
    err = error_of(rt, "BEGIN RAISE_APPLICATION_ERROR(100, 'x'); END;")
    assert err.message.splitlines()[0] == (
        "ORA-21000: error number argument to raise_application_error of 100 is out of range"
    )
    err = error_of(rt, "BEGIN RAISE_APPLICATION_ERROR(-20000, RPAD('x', 3000, 'x')); END;")
    assert len(err.message.splitlines()[0]) == len("ORA-20000: ") + 2048


def test_format_error_stack_and_backtrace(rt: FakeRuntime) -> None:
    text = """BEGIN
  RAISE ZERO_DIVIDE;
EXCEPTION WHEN OTHERS THEN
  :r := DBMS_UTILITY.FORMAT_ERROR_STACK || DBMS_UTILITY.FORMAT_ERROR_BACKTRACE;
END;"""
    assert out(rt, text) == "ORA-01476: divisor is equal to zero\nORA-06512: at line 2\n"


def test_nested_procedure_out_params_and_function(rt: FakeRuntime) -> None:
    text = """DECLARE
  total NUMBER := 0;
  PROCEDURE add(p_n IN NUMBER, p_acc IN OUT NUMBER, p_msg OUT VARCHAR2, p_sfx VARCHAR2 DEFAULT '!') IS
  BEGIN
    p_acc := p_acc + p_n;
    p_msg := 'added ' || p_n || p_sfx;
  END;
  FUNCTION fact(n PLS_INTEGER) RETURN NUMBER IS
  BEGIN
    IF n <= 1 THEN RETURN 1; END IF;
    RETURN n * fact(n - 1);
  END fact;
BEGIN
  add(2, total, :r);
  add(p_acc => total, p_n => fact(5), p_msg => :m, p_sfx => '?');
  :r := :r || ' ' || :m || ' ' || total;
END;"""
    binds = run_block(rt, text, R=Bind(None, size=100), M=Bind(None, size=100))
    assert binds["R"].value == "added 2! added 120? 122"
    assert binds["M"].assigned


def test_error_in_nested_procedure_stack_lines(rt: FakeRuntime) -> None:
    text = """DECLARE
  PROCEDURE p IS
  BEGIN
    RAISE NO_DATA_FOUND;
  END;
BEGIN
  p;
END;"""
    err = error_of(rt, text)
    assert err.message.splitlines() == [
        "ORA-01403: no data found",
        "ORA-06512: at line 4",
        "ORA-06512: at line 7",
    ]


def test_collections(rt: FakeRuntime) -> None:
    text = """DECLARE
  TYPE t_tab IS TABLE OF VARCHAR2(10);
  TYPE t_arr IS VARRAY(3) OF NUMBER;
  TYPE t_map IS TABLE OF NUMBER INDEX BY VARCHAR2(10);
  t t_tab := t_tab('a', 'b');
  v t_arr := t_arr();
  m t_map;
  k VARCHAR2(10);
  s VARCHAR2(200);
BEGIN
  t.EXTEND; t(3) := 'c'; t.DELETE(2);
  s := t.COUNT || t.FIRST || t.LAST || t.NEXT(1) || NVL(TO_CHAR(t.PRIOR(1)), '-');
  s := s || CASE WHEN t.EXISTS(2) THEN 'y' ELSE 'n' END;
  v.EXTEND(2); v(1) := 10; s := s || v.COUNT || v.LIMIT; v.TRIM; s := s || v.COUNT;
  m('x') := 1; m('a') := 2; k := m.FIRST;
  WHILE k IS NOT NULL LOOP s := s || k || m(k); k := m.NEXT(k); END LOOP;
  :r := s;
END;"""
    assert out(rt, text) == "2133-n231a2x1"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("DECLARE TYPE t IS TABLE OF NUMBER; x t; BEGIN x.EXTEND; END;", 6531),
        ("DECLARE TYPE t IS TABLE OF NUMBER; x t := t(1); BEGIN x(2) := 1; END;", 6533),
        ("DECLARE TYPE t IS VARRAY(1) OF NUMBER; x t := t(1); BEGIN x.EXTEND; END;", 6532),
        (
            "DECLARE TYPE t IS TABLE OF NUMBER INDEX BY PLS_INTEGER; x t; n NUMBER; BEGIN n := x(5); END;",
            1403,
        ),
        ("DECLARE st ku$_Status; BEGIN st.mask := 1; END;", 6530),
    ],
)
def test_collection_and_object_errors(rt: FakeRuntime, body: str, code: int) -> None:
    assert error_of(rt, body).code == code


def test_records_and_object_constructors(rt: FakeRuntime) -> None:
    text = """DECLARE
  TYPE r_t IS RECORD (a NUMBER := 5, b VARCHAR2(10));
  r r_t;
  d ku$_DumpFile := ku$_DumpFile('x.dmp', 3);
  fs ku$_DumpFileSet := ku$_DumpFileSet(d);
  st ku$_Status := ku$_Status(1, NULL, NULL);
BEGIN
  r.b := 'bee';
  fs(1).file_name := 'y.dmp';
  :r := r.a || r.b || d.file_name || fs(1).file_name || fs(1).file_size || NVL(TO_CHAR(st.job_status.percent_done), 'null');
END;"""
    assert out(rt, text) == "5beex.dmpy.dmp3null"


def test_object_chain_assignment_and_value_copy(rt: FakeRuntime) -> None:
    text = """DECLARE
  a ku$_DumpFile := ku$_DumpFile('a', 1);
  b ku$_DumpFile;
BEGIN
  b := a; b.file_name := 'b';
  :r := a.file_name || b.file_name;
END;"""
    assert out(rt, text) == "ab"


def test_bind_types_and_out_assignment(rt: FakeRuntime) -> None:
    binds = run_block(
        rt,
        "BEGIN :n := :n + 1; :s := 'v' || :n; :b := CASE WHEN :n > 1 THEN 1 ELSE 0 END; END;",
        N=Bind(Decimal(1)),
        S=Bind(None, size=10),
        B=Bind(None),
    )
    assert binds["N"].value == Decimal(2)
    assert binds["S"].value == "v2"
    assert binds["B"].value == "1"  # a None bind is VARCHAR2, as in python-oracledb


def test_missing_and_extra_binds(rt: FakeRuntime) -> None:
    assert error_of(rt, "BEGIN :a := 1; END;").code == 1008
    assert error_of(rt, "BEGIN NULL; END;", X=Bind(1)).code == 1036  # type: ignore[arg-type]


def test_execute_immediate_with_using_and_into(rt: FakeRuntime) -> None:
    text = """DECLARE n NUMBER; BEGIN
      EXECUTE IMMEDIATE 'SELECT :a + 1 FROM dual' INTO n USING 41;
      EXECUTE IMMEDIATE 'BEGIN :x := :y || ''!''; END;' USING OUT :r, IN n;
    END;"""
    assert out(rt, text) == "42!"


def test_return_in_anonymous_block_and_goto_refused(rt: FakeRuntime) -> None:
    assert out(rt, "BEGIN :r := 'a'; RETURN; :r := 'b'; END;") == "a"
    err = error_of(rt, "BEGIN GOTO x; END;")
    assert err.code == 6550
    assert "PLS-00999" in err.message


def test_python_bug_in_package_surfaces_as_ora_600(rt: FakeRuntime) -> None:
    from airflow_datapump.testing._plsql.packages import PackageSpec, Subprogram

    def broken(ctx: object, args: object) -> None:
        raise KeyError("oops")

    rt.packages["BROKEN"] = PackageSpec("BROKEN", subprograms={"P": [Subprogram("P", (), None, broken)]})
    err = error_of(rt, "BEGIN BROKEN.P; END;")
    assert err.code == 600
    assert "KeyError" in err.message
