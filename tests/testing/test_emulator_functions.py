"""SQL functions and set operators clients use, as Oracle's SQL Language Reference documents them:
DBTIMEZONE, SESSIONTIMEZONE, SYS_CONTEXT('USERENV', ...), TIMESTAMP_TO_SCN, SCN_TO_TIMESTAMP,
ALTER SESSION SET TIME_ZONE, TO_CHAR's TZH and TZM, UNION [ALL], INTERSECT, MINUS."""

from __future__ import annotations

import datetime as dt
import re

import oracledb
import pytest
from emulator_sql import code_of

from airflow_datapump.testing import EmulatedOracle


@pytest.fixture
def cur(hr: oracledb.Cursor) -> oracledb.Cursor:
    return hr


def test_time_zones_are_offsets_and_follow_alter_session(cur: oracledb.Cursor) -> None:
    cur.execute("select dbtimezone, sessiontimezone from dual")
    db_tz, session_tz = cur.fetchone()
    assert re.fullmatch(r"[+-]\d\d:\d\d", db_tz)
    assert re.fullmatch(r"[+-]\d\d:\d\d", session_tz)
    cur.execute("ALTER SESSION SET TIME_ZONE = '-05:00'")
    assert cur.execute("select sessiontimezone from dual").fetchone() == ("-05:00",)
    cur.execute("ALTER SESSION SET TIME_ZONE = 'Europe/London'")
    assert cur.execute("select sessiontimezone from dual").fetchone() == ("Europe/London",)
    cur.execute("ALTER SESSION SET TIME_ZONE = dbtimezone")
    assert cur.execute("select sessiontimezone from dual").fetchone() == (db_tz,)
    assert code_of(cur, "ALTER SESSION SET TIME_ZONE = 'Mars/Olympus'") == "ORA-01882"
    assert code_of(cur, "ALTER SESSION SET TIME_ZONE = '+16:00'") == "ORA-01874"


def test_to_char_gives_systimestamps_offset(cur: oracledb.Cursor) -> None:
    """SYSTIMESTAMP is the database clock with that clock's offset (the database host's zone,
    in which Data Pump writes its log times); TZH:TZM formats it, also in PL/SQL."""
    cur.execute(
        "select to_char(systimestamp, 'TZH:TZM'), dbtimezone, to_char(systimestamp, 'HH24') from dual"
    )
    offset, db_tz, hour = cur.fetchone()
    assert offset == db_tz  # the emulator's database clock runs at DBTIMEZONE
    assert re.fullmatch(r"\d\d", hour)
    out = cur.var(str)
    cur.execute("BEGIN :o := TO_CHAR(SYSTIMESTAMP, 'TZH:TZM'); END;", o=out)
    assert out.getvalue() == offset
    given = "to_timestamp_tz('2026-12-02 10:00:00 -03:30', 'YYYY-MM-DD HH24:MI:SS TZH:TZM')"
    assert cur.execute(f"select to_char({given}, 'TZH:TZM') from dual").fetchone() == ("-03:30",)


def test_sys_context_userenv(cur: oracledb.Cursor) -> None:
    cur.execute(
        "select sys_context('USERENV', 'CURRENT_SCHEMA'), sys_context('userenv', 'session_user'), "
        "sys_context('USERENV', 'DB_NAME'), sys_context('USERENV', 'CON_NAME') from dual"
    )
    assert cur.fetchone() == ("HR", "HR", "FREEPDB1", "FREEPDB1")
    cur.execute("ALTER SESSION SET CURRENT_SCHEMA = system")
    assert cur.execute("select sys_context('USERENV', 'CURRENT_SCHEMA') from dual").fetchone() == ("SYSTEM",)
    assert code_of(cur, "select sys_context('USERENV', 'NO_SUCH_PARAMETER') from dual") == "ORA-02003"
    assert cur.execute("select sys_context('MY_CTX', 'X') from dual").fetchone() == (None,)


def test_sys_context_in_plsql(cur: oracledb.Cursor) -> None:
    out = cur.var(str)
    cur.execute("BEGIN :o := SYS_CONTEXT('USERENV', 'SESSION_USER'); END;", o=out)
    assert out.getvalue() == "HR"


def test_timestamp_to_scn_and_back(oracle: EmulatedOracle, cur: oracledb.Cursor) -> None:
    db = oracle.database("FREEPDB1")
    cur.execute("select systimestamp from dual")
    (before,) = cur.fetchone()
    db.advance(10)
    cur.execute("insert into regions values (9, 'Polar')")
    cur.connection.commit()
    db.advance(10)
    scn_before = cur.execute("select timestamp_to_scn(:t) from dual", t=before).fetchone()[0]
    scn_now = cur.execute("select timestamp_to_scn(systimestamp) from dual").fetchone()[0]
    assert scn_before < scn_now
    (moment,) = cur.execute("select scn_to_timestamp(:s) from dual", s=scn_now).fetchone()
    assert before < moment <= before + dt.timedelta(seconds=20)
    flashback = (
        "select timestamp_to_scn(to_timestamp('2001-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS')) from dual"
    )
    assert code_of(cur, flashback) == "ORA-08180"
    assert code_of(cur, "select scn_to_timestamp(5) from dual") == "ORA-08181"
    assert code_of(cur, "select scn_to_timestamp(:s) from dual", {"s": scn_now + 1000}) == "ORA-08181"


def test_timestamp_to_scn_error_carries_the_sys_stack(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute("select timestamp_to_scn(systimestamp + 1) from dual")
    assert 'ORA-06512: at "SYS.TIMESTAMP_TO_SCN", line 1' in str(caught.value)


def test_set_operators(cur: oracledb.Cursor) -> None:
    cur.execute("select region_id from regions union select region_id from regions order by 1")
    assert [r[0] for r in cur.fetchall()] == [1, 2, 3, 4]
    cur.execute("select region_id from regions union all select region_id from regions")
    assert len(cur.fetchall()) == 8
    cur.execute(
        "select region_id from regions minus select 2 from dual minus select 3 from dual order by 1 desc"
    )
    assert cur.fetchall() == [(4,), (1,)]
    cur.execute("select region_id from regions intersect select 3 from dual")
    assert cur.fetchall() == [(3,)]
    cur.execute("select 'a' x from dual union select 'b' from dual order by x desc fetch first 1 rows only")
    assert cur.fetchall() == [("b",)]


def test_set_operator_errors(cur: oracledb.Cursor) -> None:
    assert code_of(cur, "select 1, 2 from dual union select 1 from dual") == "ORA-01789"
    assert code_of(cur, "select 1 from dual union select 'a' from dual") == "ORA-01790"
    assert code_of(cur, "select 1 x from dual union select 2 from dual order by y") == "ORA-00904"
    assert code_of(cur, "select 1 x from dual union select 2 from dual order by x + 1") == "ORA-01785"


def test_union_of_dictionary_views_as_object_path_checks_use_it(cur: oracledb.Cursor) -> None:
    cur.execute(
        "select count(*) from (select table_name from user_tables union select 'X' from dual) "
        "where table_name in ('REGIONS', 'X')"
    )
    assert cur.fetchone() == (2,)


def test_systimestamp_is_a_timestamp_with_time_zone(cur: oracledb.Cursor) -> None:
    # SQL Language Reference: SYSTIMESTAMP and CURRENT_TIMESTAMP return TIMESTAMP WITH TIME
    # ZONE, SYSDATE a DATE; python-oracledb fetches the first as a datetime without tzinfo.
    cur.execute("select systimestamp, current_timestamp, sysdate from dual")
    types = [d[1] for d in cur.description]
    assert types == [oracledb.DB_TYPE_TIMESTAMP_TZ, oracledb.DB_TYPE_TIMESTAMP_TZ, oracledb.DB_TYPE_DATE]
    row = cur.fetchone()
    assert isinstance(row[0], dt.datetime)
    assert row[0].tzinfo is None
    cur.execute("select to_timestamp_tz('2026-01-01 10:00 +02:00', 'YYYY-MM-DD HH24:MI TZH:TZM') from dual")
    assert cur.description[0][1] is oracledb.DB_TYPE_TIMESTAMP_TZ
    cur.execute("select to_timestamp('2026-01-01 10:00', 'YYYY-MM-DD HH24:MI') from dual")
    assert cur.description[0][1] is oracledb.DB_TYPE_TIMESTAMP


def test_localtimestamp_and_current_date_are_timestamp_and_date(cur: oracledb.Cursor) -> None:
    cur.execute("select localtimestamp, current_date, sysdate from dual")
    assert [d[1] for d in cur.description] == [
        oracledb.DB_TYPE_TIMESTAMP,
        oracledb.DB_TYPE_DATE,
        oracledb.DB_TYPE_DATE,
    ]
    local, current, sysdate = cur.fetchone()
    assert local.replace(microsecond=0) == current == sysdate  # all read off the database clock


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("select dbms_lob.nosuch(1) from dual", '"DBMS_LOB"."NOSUCH"'),
        ("select sys.dbms_lob.nosuch(1) from dual", '"SYS"."DBMS_LOB"."NOSUCH"'),
    ],
)
def test_a_package_function_sql_cannot_resolve_is_an_invalid_identifier(
    cur: oracledb.Cursor, query: str, name: str
) -> None:
    """SQL names the whole reference it cannot resolve (ORA-00904); PLS-00302 is PL/SQL's."""
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(query)
    assert str(caught.value).splitlines()[0] == f"ORA-00904: {name}: invalid identifier"


def test_plsql_still_names_the_missing_component(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute("BEGIN dbms_output.put_line(dbms_lob.nosuch(1)); END;")
    assert "PLS-00302: component 'NOSUCH' must be declared" in str(caught.value)


def test_a_plsql_call_sql_cannot_compile_is_ora_06553(cur: oracledb.Cursor) -> None:
    """SQL reports a PL/SQL function's compile error inside ORA-06553, the PLS number unpadded."""
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute("select dbms_lob.getlength() from dual")
    assert str(caught.value).splitlines()[0] == (
        "ORA-06553: PLS-306: wrong number or types of arguments in call to 'GETLENGTH'"
    )
