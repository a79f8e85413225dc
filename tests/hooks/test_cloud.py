"""Dump file sets moved by the database with DBMS_CLOUD (issue 14 §3), on the emulator."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from airflow_datapump.exceptions import DatabaseCallError, SpecError, TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from tests.hooks.conftest import export_set

FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/refresh/hr"


def _put(db: DatabaseHandle, sizes: dict[str, int]) -> dict[str, bytes]:
    files = {name: os.urandom(size) for name, size in sizes.items()}
    for name, data in files.items():
        (db.directory_path() / name).write_bytes(data)
    return files


def test_a_set_goes_up_and_comes_back_byte_for_byte(hook: DatapumpHook, cloud_db: DatabaseHandle) -> None:
    files = _put(cloud_db, {"hr_01.dmp": 70_000, "hr_02.dmp": 4096, "hr_03.dmp": 512})
    up = hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], FOLDER, credential_name="OCI_CRED")
    assert [(m.name, m.size, m.kept) for m in up] == [(n, len(d), False) for n, d in files.items()]
    bucket = cloud_db.object_store / "dumps" / "refresh" / "hr"
    manifest = json.loads((bucket / "hr_XX.dmp.manifest.json").read_text())
    assert (manifest["state"], manifest["expected"]) == ("complete", list(files))
    assert {p.name: p.read_bytes() for p in bucket.iterdir() if p.name in files} == files
    assert sorted(p.name for p in bucket.iterdir()) == [*files, "hr_XX.dmp.manifest.json"]
    for name in files:
        (cloud_db.directory_path() / name).unlink()
    down = hook.cloud_download_dump_files(FOLDER, ["hr_%U.dmp"], "DATA_PUMP_DIR", credential_name="OCI_CRED")
    assert [m.name for m in down] == list(files)
    for name, data in files.items():
        assert (cloud_db.directory_path() / name).read_bytes() == data
    assert not list(cloud_db.directory_path().glob("*.part"))


def test_a_retry_keeps_what_arrived_and_replaces_a_half_copy(
    hook: DatapumpHook, cloud_db: DatabaseHandle
) -> None:
    """What may be kept is proved by the set's dump GUID, so the set is a real export."""
    files = export_set(hook, cloud_db, "hr_%U.dmp", job_name="EXP_RETRY", parallel=2)
    folder = cloud_db.directory_path()
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], FOLDER, credential_name="OCI_CRED")
    bucket = cloud_db.object_store / "dumps" / "refresh" / "hr"
    (bucket / "hr_02.dmp").write_bytes(b"short")  # an object from an earlier, different upload
    again = hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], FOLDER, credential_name="OCI_CRED")
    assert [m.kept for m in again] == [True, False]
    assert (bucket / "hr_02.dmp").read_bytes() == files["hr_02.dmp"]
    (folder / "hr_02.dmp").write_bytes(b"half")
    down = hook.cloud_download_dump_files(FOLDER, ["hr_%U.dmp"], "DATA_PUMP_DIR", credential_name="OCI_CRED")
    assert [m.kept for m in down] == [True, False]
    assert (folder / "hr_02.dmp").read_bytes() == files["hr_02.dmp"]


def test_sources_are_deleted_only_when_asked(hook: DatapumpHook, cloud_db: DatabaseHandle) -> None:
    _put(cloud_db, {"one.dmp": 1024})
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["one.dmp"], FOLDER, credential_name="OCI_CRED")
    assert (cloud_db.directory_path() / "one.dmp").exists()
    hook.cloud_upload_dump_files(
        "DATA_PUMP_DIR", ["one.dmp"], FOLDER, credential_name="OCI_CRED", delete_source=True
    )
    assert not (cloud_db.directory_path() / "one.dmp").exists()
    hook.cloud_download_dump_files(
        FOLDER, ["one.dmp"], "DATA_PUMP_DIR", credential_name="OCI_CRED", delete_source=True
    )
    assert (cloud_db.directory_path() / "one.dmp").stat().st_size == 1024
    assert not (cloud_db.object_store / "dumps" / "refresh" / "hr" / "one.dmp").exists()


def test_nothing_to_move_is_an_error_naming_the_set(hook: DatapumpHook, cloud_db: DatabaseHandle) -> None:
    with pytest.raises(TransferError, match=r"no dump files nope_%U\.dmp in https://"):
        hook.cloud_download_dump_files(FOLDER, ["nope_%U.dmp"], "DATA_PUMP_DIR", credential_name="OCI_CRED")
    with pytest.raises(TransferError, match=r"no dump files nope_%U\.dmp in DATA_PUMP_DIR"):
        hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["nope_%U.dmp"], FOLDER, credential_name="OCI_CRED")


def test_bad_arguments_are_refused_before_any_call(hook: DatapumpHook, db: DatabaseHandle) -> None:
    with pytest.raises(SpecError, match="object_uri: 's3://b/k' is not allowed"):
        hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["x.dmp"], "s3://b/k", credential_name=None)
    with pytest.raises(SpecError, match="credential_name"):
        hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["x.dmp"], FOLDER, credential_name=" ")


def test_a_database_without_dbms_cloud_says_so(hook: DatapumpHook, db: DatabaseHandle) -> None:
    _put(db, {"one.dmp": 1024})
    # The upload's first call is the bucket's listing, a query of DBMS_CLOUD.LIST_OBJECTS: in
    # SQL a package that does not exist is an invalid identifier (ORA-00904), not PLS-00201.
    with pytest.raises(
        TransferError, match=r"DBMS_CLOUD is not installed on this database.*ORA-00904"
    ) as caught:
        hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["one.dmp"], FOLDER, credential_name="OCI_CRED")
    assert isinstance(caught.value.__cause__, DatabaseCallError)
    with pytest.raises(TransferError, match=r"DBMS_CLOUD is not installed on this database"):
        hook.cloud_download_dump_files(FOLDER, ["one.dmp"], "DATA_PUMP_DIR", credential_name="OCI_CRED")


@pytest.mark.parametrize("bucket", ["missing", "empty"])
def test_a_bucket_without_the_set_is_an_error_naming_it(
    hook: DatapumpHook, cloud_db: DatabaseHandle, bucket: str
) -> None:
    """LIST_OBJECTS may answer a bucket that does not exist with ORA-20404 (the emulator does) or
    with no rows (as it answers an empty one): either way there is nothing to download."""
    if bucket == "empty":
        (cloud_db.object_store / "dumps").mkdir(parents=True)
    with pytest.raises(
        TransferError, match=r"no dump files hr_%U\.dmp in https://.*/o/refresh/hr to download"
    ):
        hook.cloud_download_dump_files(FOLDER, ["hr_%U.dmp"], "DATA_PUMP_DIR", credential_name="OCI_CRED")


def test_a_failed_cleanup_does_not_hide_why_the_upload_failed(
    hook: DatapumpHook, cloud_db: DatabaseHandle, caplog: pytest.LogCaptureFixture
) -> None:
    """The second PUT_OBJECT (member 01) fails, then removing the staged manifest fails too: the
    upload's own error is raised, and the cleanup's is logged."""
    _put(cloud_db, {"hr_01.dmp": 4096, "hr_02.dmp": 4096})
    cloud_db.fail_subprogram("DBMS_CLOUD.PUT_OBJECT", "ORA-20500", after=1)
    cloud_db.fail_subprogram("UTL_FILE.FREMOVE", "ORA-29291")
    with pytest.raises(DatabaseCallError) as caught:
        hook.cloud_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], FOLDER, credential_name="OCI_CRED")
    assert caught.value.code == "ORA-20500"
    assert "hr_XX.dmp.manifest.json.out in DATA_PUMP_DIR was not removed" in caplog.text
    assert "ORA-29291" in caplog.text


@pytest.mark.parametrize(
    "move",
    [
        "cloud_upload_dump_files",
        "cloud_download_dump_files",
        "rds_upload_dump_files",
        "rds_download_dump_files",
        "upload_dump_files",
        "download_dump_files",
        "copy_dump_files",
    ],
)
@pytest.mark.parametrize(
    ("dump_files", "field"), [([], "dump_files"), (["ok.dmp", "../hr.dmp"], "dump_files[1]")]
)
def test_every_move_checks_its_file_names_before_any_call(
    hook: DatapumpHook, db: DatabaseHandle, move: str, dump_files: list[str], field: str, tmp_path: Path
) -> None:
    """Bad names are refused by field, value and what is allowed, before the first round trip
    (the operators checked them; a hook called directly did not)."""
    args: dict[str, object] = {
        "cloud_upload_dump_files": {"directory": "D", "object_uri": FOLDER, "credential_name": None},
        "cloud_download_dump_files": {"directory": "D", "object_uri": FOLDER, "credential_name": None},
        "rds_upload_dump_files": {"directory": "D", "bucket_name": "acme-dumps"},
        "rds_download_dump_files": {"directory": "D", "bucket_name": "acme-dumps"},
        "upload_dump_files": {"directory": "D", "destination": tmp_path.as_uri()},
        "download_dump_files": {"directory": "D", "source": tmp_path.as_uri()},
        "copy_dump_files": {
            "remote": hook,
            "link": "L",
            "source_directory": "D",
            "destination_directory": "E",
        },
    }[move]
    db.reset_counters()
    with pytest.raises(SpecError) as caught:
        getattr(hook, move)(dump_files=dump_files, **args)
    assert (caught.value.field, caught.value.value) == (field, dump_files if not dump_files else "../hr.dmp")
    assert "dump file names" in caught.value.allowed or "without a path" in caught.value.allowed
    assert db.counters().get("round_trips", 0) == 0
