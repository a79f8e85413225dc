"""A member is the one its name says: its dump header's file number, not only the export's GUID.

Every member of one export carries the same GUID, so a file named ``hr_01.dmp`` that holds the
same export's member 02 passes a GUID check. The header's file number (KU$_DFHDR_FILE_NUMBER,
read by the same GET_DUMPFILE_INFO call) tells them apart. And a listing shows every name, so a
set with a hole (``hr_01``, ``hr_03``, no ``hr_02``) is refused before anything is moved. The
sets are real exports on the emulator.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airflow_datapump.exceptions import TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from tests.hooks.conftest import export_set

SET = "hr_%U.dmp"
FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/refresh/hr"
CLOUD = {"credential_name": "OCI_CRED"}
RDS: dict[str, object] = {"s3_prefix": "refresh/", "poll_interval": 0}


def _export(hook: DatapumpHook, db: DatabaseHandle, members: int, template: str = SET) -> dict[str, bytes]:
    """A real export of ``members`` files (one per worker), read into memory by name."""
    return export_set(hook, db, template, job_name=f"EXP_{members}", parallel=members)


def _bucket(db: DatabaseHandle) -> Path:
    bucket = db.object_store / "dumps" / "refresh" / "hr"
    bucket.mkdir(parents=True, exist_ok=True)
    return bucket


# -- the file number -----------------------------------------------------------------------------


def test_copies_of_one_member_are_not_a_set(hook: DatapumpHook, cloud_db: DatabaseHandle) -> None:
    """hr_01 and hr_02 both hold member 01 of one export: one GUID, but not two members."""
    files = _export(hook, cloud_db, 1, "one_%U.dmp")
    folder = cloud_db.directory_path()
    for name in ("hr_01.dmp", "hr_02.dmp"):
        (folder / name).write_bytes(files["one_01.dmp"])
    with pytest.raises(TransferError, match=r"hr_02\.dmp in DATA_PUMP_DIR is not a member.*file number 1"):
        hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    assert not (cloud_db.object_store / "dumps").exists()  # nothing was sent


def test_members_swapped_in_the_bucket_are_refused(hook: DatapumpHook, cloud_db: DatabaseHandle) -> None:
    """A bucket set without a manifest whose hr_01 and hr_02 hold each other's member."""
    files = _export(hook, cloud_db, 2)
    bucket = _bucket(cloud_db)
    (bucket / "hr_01.dmp").write_bytes(files["hr_02.dmp"])
    (bucket / "hr_02.dmp").write_bytes(files["hr_01.dmp"])
    for name in files:
        (cloud_db.directory_path() / name).unlink()
    with pytest.raises(TransferError, match=r"hr_02\.dmp .*not of the set hr_%U\.dmp: its file number 1"):
        hook.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **CLOUD)  # type: ignore[arg-type]
    assert not (cloud_db.directory_path() / "hr_02.dmp").exists()


def test_a_file_holding_another_member_of_the_export_is_not_kept(
    hook: DatapumpHook, cloud_db: DatabaseHandle
) -> None:
    """The directory's hr_01.dmp is the export's member 02 under member 01's name, same size."""
    files = _export(hook, cloud_db, 2)
    assert len(files["hr_01.dmp"]) == len(files["hr_02.dmp"])  # whole blocks: one size
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    folder = cloud_db.directory_path()
    (folder / "hr_01.dmp").write_bytes(files["hr_02.dmp"])
    down = hook.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **CLOUD)  # type: ignore[arg-type]
    assert [(m.name, m.kept, m.file_number) for m in down] == [
        ("hr_01.dmp", False, 1),
        ("hr_02.dmp", True, 2),
    ]
    assert (folder / "hr_01.dmp").read_bytes() == files["hr_01.dmp"]


# -- a hole in a listing -------------------------------------------------------------------------


def test_a_cloud_listing_with_a_hole_is_refused_before_any_get(
    hook: DatapumpHook, cloud_db: DatabaseHandle
) -> None:
    files = _export(hook, cloud_db, 3)
    bucket = _bucket(cloud_db)
    for name in ("hr_01.dmp", "hr_03.dmp"):
        (bucket / name).write_bytes(files[name])
        (cloud_db.directory_path() / name).unlink()
    (cloud_db.directory_path() / "hr_02.dmp").unlink()
    with pytest.raises(TransferError, match=r"dump file hr_02\.dmp is missing .* \(it has hr_03\.dmp\)"):
        hook.cloud_download_dump_files(  # type: ignore[arg-type]
            FOLDER, [SET], "DATA_PUMP_DIR", delete_source=True, **CLOUD
        )
    assert not [p.name for p in cloud_db.directory_path().glob("hr_*")]  # no GET, no marker
    assert (bucket / "hr_01.dmp").exists()


def test_an_rds_set_with_a_hole_is_refused(hook: DatapumpHook, db: DatabaseHandle) -> None:
    """No manifest: the set is asked for by its start, and the directory's listing shows the hole."""
    db.enable_package("RDSADMIN")
    files = _export(hook, db, 3)
    bucket = db.object_store / "acme-dumps" / "refresh"
    bucket.mkdir(parents=True)
    for name in files:
        if name != "hr_02.dmp":
            (bucket / name).write_bytes(files[name])
        (db.directory_path() / name).unlink()
    with pytest.raises(TransferError, match=r"dump file hr_02\.dmp is missing .* \(it has hr_03\.dmp\)"):
        hook.rds_download_dump_files("acme-dumps", [SET], "DATA_PUMP_DIR", **RDS)  # type: ignore[arg-type]
    marker = json.loads((db.directory_path() / "hr_XX.dmp.manifest.json").read_text())
    assert marker["state"] == "incomplete"  # an import precheck refuses what arrived
