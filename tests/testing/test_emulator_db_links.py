"""A database link's password is kept encrypted: no state file holds it, no view shows it,
and the link still logs on to its remote database with it."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle

SECRET = "Lk7pW2qZ9vHx"


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        remote = emulator.database("REMOTEDB")
        remote.create_user("LINKER", SECRET)
        remote.create_table("LINKER", "ITEMS", ["id NUMBER"], [(1,), (2,)])
        yield emulator


def _cursor(oracle: EmulatedOracle) -> oracledb.Cursor:
    conn = oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn("FREEPDB1"))
    return conn.cursor()


def test_a_link_logs_on_with_its_password_and_no_state_file_holds_it(oracle: EmulatedOracle) -> None:
    cur = _cursor(oracle)
    target = oracle.dsn("REMOTEDB")
    cur.execute(f"create database link remote connect to linker identified by \"{SECRET}\" using '{target}'")
    assert cur.execute("select count(*) from items@remote").fetchone() == (2,)
    cur.execute("select * from dba_db_links where db_link = 'REMOTE'")
    shown = [str(v) for v in cur.fetchone() or ()]
    assert "LINKER" in shown
    assert not [v for v in shown if SECRET.lower() in v.lower()]
    cur.connection.close()
    files = [p for p in oracle.state_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".sqlite") or p.suffix == ".db" for p in files), files
    for needle in (SECRET.encode(), SECRET.encode("utf-16-le"), SECRET.encode().hex().encode()):
        holding = [p.name for p in files if needle.lower() in p.read_bytes().lower()]
        assert holding == [], needle


def test_a_link_with_a_wrong_password_is_refused_when_used(oracle: EmulatedOracle) -> None:
    cur = _cursor(oracle)
    cur.execute(
        f"create database link wrong connect to linker identified by nope using '{oracle.dsn('REMOTEDB')}'"
    )
    with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
        cur.execute("select count(*) from items@wrong")
