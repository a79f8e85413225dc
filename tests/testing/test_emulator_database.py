"""The emulated database behind python-oracledb: logons, SQL, sessions, privileges, faults.

Behaviour is Oracle's as documented; section numbers (§) are those of docs/oracle-sources.md.
"""

from __future__ import annotations

import os
import subprocess
import sys

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle, emulated_oracle


def test_system_logs_on_with_any_password_and_unknown_users_are_refused(oracle: EmulatedOracle) -> None:
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        assert conn.cursor().execute("select user from dual").fetchone() == ("SYSTEM",)
    with pytest.raises(oracledb.DatabaseError) as caught:
        oracledb.connect(user="nobody", password="x", dsn=oracle.dsn())
    assert caught.value.args[0].full_code == "ORA-01017"


def test_wrong_password_and_missing_create_session_are_refused(oracle: EmulatedOracle) -> None:
    db = oracle.database("FREEPDB1")
    db.create_user("BARE", "pw", privileges=())
    with pytest.raises(oracledb.DatabaseError) as wrong:
        oracledb.connect(user="hr", password="not-hr", dsn=oracle.dsn())
    assert wrong.value.args[0].code == 1017
    with pytest.raises(oracledb.DatabaseError) as bare:
        oracledb.connect(user="bare", password="pw", dsn=oracle.dsn())
    assert bare.value.args[0].code == 1045


def test_service_name_picks_a_database_created_on_first_use(oracle: EmulatedOracle) -> None:
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn("OTHERDB")) as conn:
        cur = conn.cursor()
        cur.execute("select count(*) from dba_users where username = 'HR'")
        assert cur.fetchone() == (0,)  # HR exists only in FREEPDB1


def test_uncommitted_rows_are_seen_only_by_their_session(oracle: EmulatedOracle) -> None:
    writer = oracledb.connect(user="hr", password="hr", dsn=oracle.dsn())
    reader = oracledb.connect(user="hr", password="hr", dsn=oracle.dsn())
    writer.cursor().execute("insert into regions (region_id, region_name) values (:1, :2)", [9, "Polar"])
    count = "select count(*) from regions"
    assert writer.cursor().execute(count).fetchone() == (5,)
    assert reader.cursor().execute(count).fetchone() == (4,)
    writer.commit()
    assert reader.cursor().execute(count).fetchone() == (5,)
    writer.cursor().execute("delete from regions where region_id = 9")
    writer.rollback()
    assert writer.cursor().execute(count).fetchone() == (5,)


def test_primary_key_violation_is_ora_00001(oracle: EmulatedOracle) -> None:
    with (
        oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn,
        pytest.raises(oracledb.IntegrityError) as caught,
    ):
        conn.cursor().execute("insert into regions values (1, 'Again')")
    assert caught.value.args[0].code == 1


def test_other_schemas_tables_need_privileges(oracle: EmulatedOracle) -> None:
    oracle.database("FREEPDB1").create_user("SCOTT", "tiger")
    with oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn()) as conn:
        with pytest.raises(oracledb.DatabaseError) as hidden:
            conn.cursor().execute("select * from hr.regions")
        assert hidden.value.args[0].code == 942
        oracle.database("FREEPDB1").execute("grant select on hr.regions to scott")
        assert len(conn.cursor().execute("select * from hr.regions").fetchall()) == 4


def test_dba_views_need_the_catalog_role_user_views_do_not(oracle: EmulatedOracle) -> None:
    """§6.1: DBA_ views need SELECT_CATALOG_ROLE or similar; USER_ views are always there."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError) as caught:
            cur.execute("select * from dba_directories")
        assert caught.value.args[0].code == 942
        tables = [r[0] for r in cur.execute("select table_name from user_tables order by table_name")]
        assert tables == ["COUNTRIES", "DEPARTMENTS", "EMPLOYEES", "REGIONS"]


def test_directories_and_grants_show_in_all_directories(oracle: EmulatedOracle, tmp_path: object) -> None:
    """§6.1: ALL_DIRECTORIES shows the directories the user has a privilege on."""
    db = oracle.database("FREEPDB1")
    db.create_directory("EXPORTS", f"{tmp_path}/exports", grant_to=["HR"])
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        names = [r[0] for r in conn.cursor().execute("select directory_name from all_directories")]
    assert names == ["EXPORTS"]
    assert db.directory_path("EXPORTS").is_dir()


def test_round_trips_and_sessions_are_counted(oracle: EmulatedOracle) -> None:
    db = oracle.database("FREEPDB1")
    db.reset_counters()
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        cur = conn.cursor()
        cur.execute("select count(*) from employees")
        cur.fetchall()
        conn.commit()
    assert db.counters() == {"round_trips": 4, "sessions_opened": 1}  # logon, execute, commit, close


def test_injected_call_failure_uses_the_drivers_exception_class(oracle: EmulatedOracle) -> None:
    db = oracle.database("FREEPDB1")
    conn = oracledb.connect(user="hr", password="hr", dsn=oracle.dsn())
    db.fail_call("ORA-03135", call="execute")
    with pytest.raises(oracledb.DatabaseError) as caught:
        conn.cursor().execute("select 1 from dual")
    assert "03135" in caught.value.args[0].full_code or caught.value.args[0].full_code == "DPY-4011"


def test_database_down_then_back(oracle: EmulatedOracle) -> None:
    db = oracle.database("FREEPDB1")
    conn = oracledb.connect(user="hr", password="hr", dsn=oracle.dsn())
    db.go_down()
    with pytest.raises(oracledb.Error):
        conn.cursor().execute("select 1 from dual")
    with pytest.raises(oracledb.Error) as refused:
        oracledb.connect(user="hr", password="hr", dsn=oracle.dsn())
    assert refused.value.args[0].full_code == "DPY-6005"
    db.come_back()
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as again:
        assert again.cursor().execute("select 1 from dual").fetchone() == (1,)


def test_killed_session_gets_ora_00028_then_is_gone(oracle: EmulatedOracle) -> None:
    db = oracle.database("FREEPDB1")
    conn = oracledb.connect(user="hr", password="hr", dsn=oracle.dsn())
    ((sid, _),) = [s for s in db.sessions() if s[1] == "HR"]
    db.kill_session(sid)
    with pytest.raises(oracledb.Error) as first:
        conn.cursor().execute("select 1 from dual")
    assert first.value.args[0].code == 28
    with pytest.raises(oracledb.Error):
        conn.cursor().execute("select 1 from dual")


def test_decorator_form_starts_and_stops_a_server() -> None:
    seen: list[EmulatedOracle] = []

    @emulated_oracle()
    def inside(oracle: EmulatedOracle) -> str:
        seen.append(oracle)
        with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
            return str(conn.cursor().execute("select user from dual").fetchone()[0])

    assert inside() == "SYSTEM"
    with pytest.raises(RuntimeError, match="not running"):
        seen[0].dsn()


def test_a_child_process_shares_the_database_through_the_environment(oracle: EmulatedOracle) -> None:
    """Several processes, one database: the child reaches the server through an ordinary
    Airflow connection in its environment; nothing is activated in it."""
    code = (
        "from airflow.providers.oracle.hooks.oracle import OracleHook\n"
        "c = OracleHook(oracle_conn_id='hr_conn').get_conn()\n"
        "c.cursor().execute(\"insert into regions values (7, 'From the child')\")\n"
        "c.commit()\n"
    )
    env = {**os.environ, **oracle.env("hr_conn", user="hr", password="hr")}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    rows = oracle.database("FREEPDB1").rows("HR", "REGIONS")
    assert (7, "From the child") in rows


def test_a_named_subprogram_can_be_made_to_fail(oracle: EmulatedOracle) -> None:
    """Faults for reliability tests: calls to DBMS_DATAPUMP.OPEN fail with the given error."""
    db = oracle.database("FREEPDB1")
    db.fail_subprogram("DBMS_DATAPUMP.OPEN", "ORA-03135")
    block = "DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA'); END;"
    broken = oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn())
    with pytest.raises(oracledb.Error) as caught:
        broken.cursor().execute(block)
    assert "03135" in str(caught.value)
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        conn.cursor().execute(block)  # used up: the next call works
