"""DBMS_ASSERT in the emulator, through the real driver: what each function returns or raises
as the PL/SQL Packages and Types Reference (DBMS_ASSERT) documents it."""

from __future__ import annotations

import oracledb
import pytest


def _call(cursor: oracledb.Cursor, expression: str, value: str | None) -> str | None:
    out = cursor.var(str)
    cursor.execute(f"BEGIN :out := {expression}; END;", out=out, s=value)
    result = out.getvalue()
    assert result is None or isinstance(result, str)
    return result


def _code(cursor: oracledb.Cursor, expression: str, value: str | None) -> tuple[int, str]:
    with pytest.raises(oracledb.DatabaseError) as caught:
        _call(cursor, expression, value)
    (error,) = caught.value.args
    return error.code, error.message


@pytest.mark.parametrize(
    ("value", "capitalize", "expected"),
    [
        ("emp", "TRUE", '"EMP"'),  # the default upper-cases text that was not in quotes
        ("emp", "FALSE", '"emp"'),
        ("Mixed Case", "FALSE", '"Mixed Case"'),
        ('"emp"', "TRUE", '"emp"'),  # already quoted: no quotes added, nothing upper-cased
        ('a""b', "FALSE", '"a""b"'),  # a quote doubled is a quote inside a quoted name
    ],
)
def test_enquote_name_quotes_and_capitalizes_only_unquoted_text(
    hr: oracledb.Cursor, value: str, capitalize: str, expected: str
) -> None:
    assert _call(hr, f"DBMS_ASSERT.ENQUOTE_NAME(:s, {capitalize})", value) == expected


def test_enquote_name_capitalizes_by_default(hr: oracledb.Cursor) -> None:
    assert _call(hr, "DBMS_ASSERT.ENQUOTE_NAME(:s)", "sys_export_schema_01") == '"SYS_EXPORT_SCHEMA_01"'


@pytest.mark.parametrize("value", ['a"b', 'x" PURGE; DROP TABLE "y', '"open', '"a"b"', None])
def test_enquote_name_refuses_what_would_not_be_one_quoted_name(
    hr: oracledb.Cursor, value: str | None
) -> None:
    code, message = _code(hr, "DBMS_ASSERT.ENQUOTE_NAME(:s, FALSE)", value)
    assert code == 44003
    assert message.splitlines()[0] == "ORA-44003: invalid SQL name"
    assert 'ORA-06512: at "SYS.DBMS_ASSERT"' in message


def test_enquote_literal_pairs_single_quotes(hr: oracledb.Cursor) -> None:
    assert _call(hr, "DBMS_ASSERT.ENQUOTE_LITERAL(:s)", "abc") == "'abc'"
    assert _call(hr, "DBMS_ASSERT.ENQUOTE_LITERAL(:s)", "'abc'") == "'abc'"
    assert _call(hr, "DBMS_ASSERT.ENQUOTE_LITERAL(:s)", "O''Brien") == "'O''Brien'"
    assert _code(hr, "DBMS_ASSERT.ENQUOTE_LITERAL(:s)", "O'Brien")[0] == 6502


@pytest.mark.parametrize("value", ["EMP", " emp ", "a_1$#", '"any text, even ; and ."""', '"x""y"'])
def test_simple_sql_name_returns_a_simple_name_unchanged(hr: oracledb.Cursor, value: str) -> None:
    assert _call(hr, "DBMS_ASSERT.SIMPLE_SQL_NAME(:s)", value) == value


@pytest.mark.parametrize("value", ["1emp", "a b", "hr.emp", '"a"b"', '""', "", None])
def test_simple_sql_name_refuses_anything_else(hr: oracledb.Cursor, value: str | None) -> None:
    assert _code(hr, "DBMS_ASSERT.SIMPLE_SQL_NAME(:s)", value)[0] == 44003


@pytest.mark.parametrize("value", ["hr.employees", '"HR"."Odd Name"', "a.b.c@link.world", "x@link@conn"])
def test_qualified_sql_name_accepts_names_joined_by_dots_and_links(hr: oracledb.Cursor, value: str) -> None:
    assert _call(hr, "DBMS_ASSERT.QUALIFIED_SQL_NAME(:s)", value) == value


@pytest.mark.parametrize("value", ["hr..emp", "hr.1emp", "a@b@c@d", "emp;", None])
def test_qualified_sql_name_refuses_anything_else(hr: oracledb.Cursor, value: str | None) -> None:
    assert _code(hr, "DBMS_ASSERT.QUALIFIED_SQL_NAME(:s)", value)[0] == 44004


def test_schema_name_is_an_existing_user_exactly_as_stored(hr: oracledb.Cursor) -> None:
    assert _call(hr, "DBMS_ASSERT.SCHEMA_NAME(:s)", "HR") == "HR"
    for value in ("hr", '"HR"', "NOBODY", None):
        assert _code(hr, "DBMS_ASSERT.SCHEMA_NAME(:s)", value)[0] == 44001


def test_sql_object_name_resolves_existing_objects(hr: oracledb.Cursor) -> None:
    for value in ("employees", "HR.EMPLOYEES", '"HR"."EMPLOYEES"', "dbms_datapump", "SYS.DBMS_ASSERT"):
        assert _call(hr, "DBMS_ASSERT.SQL_OBJECT_NAME(:s)", value) == value
    for value in ('"employees"', "hr.no_such_table", "hr.1x", "employees@remote", None):
        assert _code(hr, "DBMS_ASSERT.SQL_OBJECT_NAME(:s)", value)[0] == 44002


def test_noop_returns_its_argument_unchecked(hr: oracledb.Cursor) -> None:
    assert _call(hr, "DBMS_ASSERT.NOOP(:s)", 'x" ; anything') == 'x" ; anything'


def test_the_package_exceptions_catch_their_codes(hr: oracledb.Cursor) -> None:
    out = hr.var(str)
    hr.execute(
        """
        BEGIN
          :out := DBMS_ASSERT.ENQUOTE_NAME(:s, FALSE);
        EXCEPTION
          WHEN DBMS_ASSERT.INVALID_SQL_NAME THEN
            :out := 'refused';
        END;""",
        out=out,
        s='a"b',
    )
    assert out.getvalue() == "refused"


def test_a_quoted_name_drops_the_table_of_that_exact_case(hr: oracledb.Cursor) -> None:
    hr.execute('CREATE TABLE "Mixed_t" (n NUMBER)')
    hr.execute("CREATE TABLE MIXED_T (n NUMBER)")
    hr.execute(
        "BEGIN EXECUTE IMMEDIATE 'DROP TABLE ' || DBMS_ASSERT.ENQUOTE_NAME(:o, FALSE) || '.' "
        "|| DBMS_ASSERT.ENQUOTE_NAME(:t, FALSE) || ' PURGE'; END;",
        o="HR",
        t="Mixed_t",
    )
    left = hr.execute("SELECT table_name FROM user_tables WHERE upper(table_name) = 'MIXED_T'")
    assert [name for (name,) in left] == ["MIXED_T"]
