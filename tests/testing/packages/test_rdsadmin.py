"""RDSADMIN's S3 tasks in the emulator: a task id at once, its log in BDUMP, read through TABLE()."""

from __future__ import annotations

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle

UPLOAD = (
    "SELECT rdsadmin.rdsadmin_s3_tasks.upload_to_s3(p_bucket_name => :bucket, p_prefix => :prefix, "
    "p_s3_prefix => 'refresh/', p_directory_name => 'DATA_PUMP_DIR') AS task_id FROM dual"
)
DOWNLOAD = (
    "SELECT rdsadmin.rdsadmin_s3_tasks.download_from_s3(p_bucket_name => :bucket, "
    "p_directory_name => 'DATA_PUMP_DIR', p_s3_prefix => :s3_prefix, "
    "p_error_on_zero_downloads => 'TRUE') FROM dual"
)
LOG = "SELECT text FROM TABLE(rdsadmin.rds_file_util.read_text_file('BDUMP', :name))"


@pytest.fixture
def rds(oracle: EmulatedOracle, dba: oracledb.Cursor) -> oracledb.Cursor:
    db = oracle.database("FREEPDB1")
    db.enable_package("RDSADMIN")
    (db.object_store / "acme-dumps").mkdir(parents=True)
    return dba


def _log(cursor: oracledb.Cursor, task_id: str) -> list[str]:
    return [text for (text,) in cursor.execute(LOG, name=f"dbtask-{task_id}.log")]


def test_upload_and_download_run_as_tasks_with_logs(oracle: EmulatedOracle, rds: oracledb.Cursor) -> None:
    db = oracle.database("FREEPDB1")
    for name in ("hr_01.dmp", "hr_02.dmp", "other.log"):
        (db.directory_path() / name).write_bytes(name.encode() * 100)
    ((task_id,),) = rds.execute(UPLOAD, bucket="acme-dumps", prefix="hr_").fetchall()
    lines = _log(rds, task_id)
    assert lines[-1].endswith("[INFO ] The task finished successfully.")
    assert sorted(p.name for p in (db.object_store / "acme-dumps" / "refresh").iterdir()) == [
        "hr_01.dmp",
        "hr_02.dmp",
    ]
    (db.directory_path() / "hr_01.dmp").unlink()
    ((task_id,),) = rds.execute(DOWNLOAD, bucket="acme-dumps", s3_prefix="refresh/hr_").fetchall()
    lines = _log(rds, task_id)
    assert lines[-1].endswith("The task finished successfully.")
    assert (db.directory_path() / "hr_01.dmp").read_bytes() == b"hr_01.dmp" * 100
    assert any("hr_02.dmp" in line and "skipped" in line for line in lines)  # it existed


def test_a_failed_task_says_why_in_its_log(rds: oracledb.Cursor) -> None:
    ((task_id,),) = rds.execute(DOWNLOAD, bucket="acme-dumps", s3_prefix="nothing/").fetchall()
    lines = _log(rds, task_id)
    assert "[ERROR] No Amazon S3 objects" in lines[0]
    assert lines[-1].endswith("[ERROR] The task failed.")
    ((task_id,),) = rds.execute(DOWNLOAD, bucket="no-such-bucket", s3_prefix="").fetchall()
    assert "The bucket no-such-bucket does not exist" in _log(rds, task_id)[0]


def test_the_packages_are_unknown_off_rds(dba: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        dba.execute(LOG, name="dbtask-1.log")
    assert str(caught.value).splitlines()[0] == (
        'ORA-00904: "RDSADMIN"."RDS_FILE_UTIL"."READ_TEXT_FILE": invalid identifier'
    )


def test_table_of_a_non_collection_is_ora_22905(dba: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-22905"):
        dba.execute("SELECT * FROM TABLE(UPPER('x'))")
