"""Network-mode import over a database link between two emulated databases (§8, §2.2)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import (
    HR_TABLE_NAMES,
    add_dump,
    add_log,
    call,
    detach,
    finish,
    open_job,
    ora,
    outcome,
    schema_list,
    set_parameter,
    start,
)

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle

LINK = "CREATE PUBLIC DATABASE LINK src CONNECT TO system IDENTIFIED BY oracle USING 'localhost/SRCDB'"


@pytest.fixture
def source(oracle: EmulatedOracle, db: DatabaseHandle) -> DatabaseHandle:
    """SRCDB holds HR (with one extra region, so its rows differ from FREEPDB1's HR); FREEPDB1
    has the public link SRC to it."""
    src = oracle.database("SRCDB")
    src.load_sample_hr()
    src.execute("INSERT INTO hr.regions VALUES (5, 'Antarctica')")
    db.execute(LINK)
    return src


def test_network_import_copies_the_source_schema(
    db: DatabaseHandle, source: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§8: OPEN('IMPORT', 'SCHEMA', remote_link => 'SRC'), only a log file, REMAP_SCHEMA: the
    target schema holds the source's rows."""
    h = open_job(cur, "IMPORT", "SCHEMA", "NET_IMP", link="SRC")
    add_log(cur, h, "net_imp.log")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HR_NET')", h=h)
    set_parameter(cur, h, "TABLE_EXISTS_ACTION", "REPLACE")
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert outcome(db, "net_imp.log")["outcome"] == "successfully completed"
    for table in HR_TABLE_NAMES:
        assert db.rows("HR_NET", table) == source.rows("HR", table), table
    assert (5, "Antarctica") in db.rows("HR_NET", "REGIONS")


def test_dump_file_on_a_network_import_is_invalid_operation(
    db: DatabaseHandle, source: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.2 / §8: adding a dump file to a network-mode job raises INVALID_OPERATION (ORA-39002)."""
    h = open_job(cur, "IMPORT", "SCHEMA", "NET_DUMP", link="SRC")
    with pytest.raises(oracledb.DatabaseError) as caught:
        add_dump(cur, h, "net.dmp")
    assert ora(caught) == 39002
