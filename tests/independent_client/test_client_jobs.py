"""The client against the emulator's Oracle Net server: export a schema, import it elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from .conftest import ADMIN
from .dpargs import ParameterError
from .dpclient import DataPumpClient, JobDefinitionError
from .dplog import read_with_bfile, read_with_utl_file


@pytest.fixture(scope="module")
def client(dsn: str) -> Iterator[DataPumpClient]:
    dba = DataPumpClient(ADMIN[0], ADMIN[1], dsn)
    yield dba
    dba.close()


def _counts(client: DataPumpClient, owner: str) -> dict[str, int]:
    client.cursor.execute("select table_name from dba_tables where owner = :o order by 1", o=owner)
    counts = {}
    for (table,) in client.cursor.fetchall():
        client.cursor.execute(f'select count(*) from "{owner}"."{table}"')
        (counts[table],) = client.cursor.fetchone()
    return counts


def _now(client: DataPumpClient) -> str:
    client.cursor.execute("select to_char(systimestamp, 'YYYY-MM-DD HH24:MI:SS') from dual")
    (now,) = client.cursor.fetchone()
    return str(now)


def test_the_session_is_the_drivers_own_connection(client: DataPumpClient) -> None:
    assert isinstance(client.connection, oracledb.Connection)
    assert client.connection.thin


def test_export_then_remapped_import_gives_equal_row_counts(client: DataPumpClient) -> None:
    exported = client.export(
        [
            "SCHEMAS=APP",
            "DIRECTORY=DATA_PUMP_DIR",
            "DUMPFILE=app.dmp",
            "LOGFILE=app_exp.log",
            "PARALLEL=2",
            f"FLASHBACK_TIME={_now(client)}",
            "EXCLUDE=STATISTICS",
        ]
    )
    assert exported.progress.state == "COMPLETED", exported.log
    assert exported.progress.errors == []
    assert exported.progress.percent_done[-1] == 100
    assert len(exported.progress.percent_done) > 1  # followed by several status calls
    assert exported.progress.percent_done == sorted(exported.progress.percent_done)
    assert exported.database_time_zone is not None
    assert exported.flashback_scn is not None
    assert exported.flashback_scn > 0
    assert '. . exported "APP"."ORDERS"' in exported.log
    assert exported.log_lines == exported.log.splitlines()
    assert any(line.text.startswith("Starting ") for line in exported.progress.wip)

    imported = client.import_(
        [
            "DIRECTORY=DATA_PUMP_DIR",
            "DUMPFILE=app.dmp",
            "LOGFILE=app_imp.log",
            "REMAP_SCHEMA=APP:APP2",
            "REMAP_TABLESPACE=*:APP_COPY",
            "TABLE_EXISTS_ACTION=REPLACE",
        ]
    )
    assert imported.tablespace_remaps == [("APP_DATA", "APP_COPY")]
    assert imported.progress.state == "COMPLETED", imported.log
    assert imported.progress.errors == [], imported.log
    assert "successfully completed" in imported.log
    assert _counts(client, "APP2") == _counts(client, "APP") == {"CUSTOMERS": 30, "ORDERS": 120}
    client.cursor.execute("select distinct tablespace_name from dba_segments where owner = 'APP2'")
    assert client.cursor.fetchall() == [("APP_COPY",)]


def test_a_table_export_with_an_excluded_index(client: DataPumpClient) -> None:
    exported = client.export(
        ["TABLES=APP.ORDERS", "DUMPFILE=orders.dmp", "LOGFILE=orders.log", "EXCLUDE=INDEX"]
    )
    assert exported.progress.state == "COMPLETED", exported.log
    assert '. . exported "APP"."ORDERS"' in exported.log
    assert '"APP"."CUSTOMERS"' not in exported.log


def test_a_missing_directory_fails_add_file_with_ora_39001_and_39087(client: DataPumpClient) -> None:
    with pytest.raises(JobDefinitionError) as raised:
        client.export(["SCHEMAS=APP", "DIRECTORY=NO_SUCH_DIR", "DUMPFILE=x.dmp"])
    assert raised.value.call == "ADD_FILE"
    assert raised.value.ora_code == "ORA-39001"
    assert [line.number for line in raised.value.errors] == [39001, 39087]
    assert "ORA-39087: directory name NO_SUCH_DIR is invalid" in str(raised.value)
    # The client detached the DEFINING job, which removes it (PL/SQL Packages reference, DETACH).
    client.cursor.execute("select count(*) from dba_datapump_jobs where state = 'DEFINING'")
    assert client.cursor.fetchone() == (0,)


def test_an_object_path_outside_schema_export_objects_is_refused(client: DataPumpClient) -> None:
    with pytest.raises(
        ParameterError, match="EXCLUDE='TABLESPACE_WIDGET': not an object path in SCHEMA_EXPORT_OBJECTS"
    ):
        client.export(["SCHEMAS=APP", "EXCLUDE=TABLESPACE_WIDGET"])


def test_a_flashback_time_before_the_database_is_ora_08180(client: DataPumpClient) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-08180"):
        client.export(["SCHEMAS=APP", "FLASHBACK_TIME=1990-01-01 00:00:00"])


def test_a_log_that_is_not_there_gives_the_file_errors(client: DataPumpClient) -> None:
    with pytest.raises(oracledb.DatabaseError) as by_utl_file:
        read_with_utl_file(client.cursor, "DATA_PUMP_DIR", "never_written.log")
    assert by_utl_file.value.args[0].full_code == "ORA-29283"  # invalid file operation
    with pytest.raises(oracledb.DatabaseError) as by_bfile:
        read_with_bfile(client.cursor, "DATA_PUMP_DIR", "never_written.log")
    assert by_bfile.value.args[0].full_code == "ORA-22288"  # FILEOPEN failed


def test_table_exists_action_on_a_second_import(client: DataPumpClient) -> None:
    client.export(["SCHEMAS=APP", "DUMPFILE=again.dmp", "LOGFILE=again_exp.log", "JOB_NAME=EXP_AGAIN"])
    base = ["DUMPFILE=again.dmp", "REMAP_SCHEMA=APP:APP3", "REMAP_TABLESPACE=*:APP_COPY"]
    first = client.import_([*base, "LOGFILE=again_1.log"])
    assert first.progress.errors == [], first.log
    # APPEND loads the same keys again: each table's data is skipped with the unique
    # constraint's error beneath ORA-31693 (Utilities guide, TABLE_EXISTS_ACTION).
    appended = client.import_([*base, "LOGFILE=again_2.log", "TABLE_EXISTS_ACTION=APPEND"])
    assert appended.progress.state == "COMPLETED", appended.log
    numbers = [line.number for line in appended.progress.errors]
    assert numbers[0] == 31684, appended.log  # the user APP3 already exists
    assert numbers[-4:] == [31693, 1, 31693, 1], appended.log
    assert _counts(client, "APP3") == {"CUSTOMERS": 30, "ORDERS": 120}
    truncated = client.import_([*base, "LOGFILE=again_3.log", "TABLE_EXISTS_ACTION=TRUNCATE"])
    assert truncated.progress.state == "COMPLETED", truncated.log
    assert _counts(client, "APP3") == {"CUSTOMERS": 30, "ORDERS": 120}
