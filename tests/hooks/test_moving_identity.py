"""A name is not an identity: every way of moving a set proves each member by its dump header.

Two exports of one schema have members of the same sizes (the emulator, like Oracle, writes
them in whole blocks), so a member "already there with its size" may be yesterday's. Each mover
keeps or accepts a member only when its header's GUID is the set's. The sets are real exports.
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
MEMBERS = ["hr_01.dmp", "hr_02.dmp"]
FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/refresh/hr"
CLOUD = {"credential_name": "OCI_CRED"}


def _place(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)


def _mixed(today: dict[str, bytes], yesterday: dict[str, bytes]) -> dict[str, bytes]:
    """Today's member 01 beside yesterday's 02: same names and sizes, two exports."""
    return {"hr_01.dmp": today["hr_01.dmp"], "hr_02.dmp": yesterday["hr_02.dmp"]}


def _forget_guids(manifest_path: Path, *, the_sets: bool = True) -> None:
    """The manifest with no GUID in its members' entries, as an older upload wrote them, and
    (``the_sets``) none for the set, as for files that are not dumps."""
    manifest = json.loads(manifest_path.read_text())
    if the_sets:
        manifest["guid"] = None
    for entry in manifest["members"].values():
        del entry["guid"]
    manifest_path.write_text(json.dumps(manifest))


@pytest.fixture
def two_days(hook: DatapumpHook, db: DatabaseHandle) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Yesterday's and today's export of HR into the same names: same sizes, other GUIDs.
    The directory holds today's."""
    yesterday = export_set(hook, db, SET, job_name="EXP_MON", parallel=2, reuse=True)
    today = export_set(hook, db, SET, job_name="EXP_TUE", parallel=2, reuse=True)
    assert list(yesterday) == list(today) == MEMBERS
    assert [len(d) for d in yesterday.values()] == [len(d) for d in today.values()]
    assert yesterday != today
    return yesterday, today


# -- DBMS_CLOUD ---------------------------------------------------------------------------------


def test_a_cloud_download_does_not_keep_yesterdays_same_size_members(
    hook: DatapumpHook, cloud_db: DatabaseHandle, two_days: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    yesterday, today = two_days
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    folder = cloud_db.directory_path()
    _place(folder, yesterday)  # what the last restore left
    down = hook.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **CLOUD)  # type: ignore[arg-type]
    assert [m.kept for m in down] == [False, False]
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == today
    again = hook.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **CLOUD)  # type: ignore[arg-type]
    assert [m.kept for m in again] == [True, True]  # proved today's: kept


def test_a_cloud_upload_does_not_keep_yesterdays_same_size_objects(
    hook: DatapumpHook, cloud_db: DatabaseHandle, two_days: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    yesterday, today = two_days
    folder, bucket = cloud_db.directory_path(), cloud_db.object_store / "dumps" / "refresh" / "hr"
    _place(folder, yesterday)
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    _place(folder, today)
    up = hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    assert [m.kept for m in up] == [False, False]
    assert {name: (bucket / name).read_bytes() for name in MEMBERS} == today
    manifest = json.loads((bucket / "hr_XX.dmp.manifest.json").read_text())
    assert {m["guid"] for m in manifest["members"].values()} == {manifest["guid"]}


def test_a_cloud_set_without_a_manifest_must_be_of_one_export(
    hook: DatapumpHook, cloud_db: DatabaseHandle, two_days: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    yesterday, today = two_days
    bucket = cloud_db.object_store / "dumps" / "refresh" / "hr"
    bucket.mkdir(parents=True)
    _place(bucket, _mixed(today, yesterday))  # by hand
    folder = cloud_db.directory_path()
    for name in MEMBERS:
        (folder / name).unlink()
    with pytest.raises(TransferError, match=r"hr_02\.dmp .*not of the set hr_%U\.dmp: its dump GUID"):
        hook.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **CLOUD)  # type: ignore[arg-type]
    assert not (folder / "hr_02.dmp").exists()
    assert not list(folder.glob("*.part"))


# -- object storage through the worker ----------------------------------------------------------


def _download_over(
    hook: DatapumpHook, db: DatabaseHandle, origin: Path, placed: dict[str, bytes], today: dict[str, bytes]
) -> list[bool]:
    """Download the set from the folder ``origin`` into a directory holding ``placed``: which
    members were kept, once the directory is checked to hold today's set."""
    _place(db.directory_path(), placed)
    down = hook.download_dump_files(origin.as_uri(), [SET], "DATA_PUMP_DIR")
    assert {name: (db.directory_path() / name).read_bytes() for name in MEMBERS} == today
    return [m.kept for m in down]


def test_a_download_without_a_manifest_does_not_keep_yesterdays_members(
    hook: DatapumpHook,
    db: DatabaseHandle,
    two_days: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
) -> None:
    """Nothing in the folder records which export it holds, so no file in the directory can be
    proved to be its copy: every member comes down again."""
    yesterday, today = two_days
    _place(tmp_path, today)  # put there by hand: no manifest
    assert _download_over(hook, db, tmp_path, yesterday, today) == [False, False]


def test_a_download_keeps_only_members_with_the_manifests_guid(
    hook: DatapumpHook,
    db: DatabaseHandle,
    two_days: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
) -> None:
    """A manifest whose members carry no GUID of their own (an older one) still names the set's."""
    yesterday, today = two_days
    hook.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    _forget_guids(tmp_path / "hr_XX.dmp.manifest.json", the_sets=False)
    assert _download_over(hook, db, tmp_path, _mixed(today, yesterday), today) == [True, False]


def test_a_folder_without_a_manifest_must_hold_one_export(
    hook: DatapumpHook,
    db: DatabaseHandle,
    two_days: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
) -> None:
    yesterday, today = two_days
    _place(tmp_path, _mixed(today, yesterday))
    for name in MEMBERS:
        (db.directory_path() / name).unlink()
    with pytest.raises(TransferError, match=r"hr_02\.dmp .*not of the set hr_%U\.dmp: its dump GUID"):
        hook.download_dump_files(tmp_path.as_uri(), [SET], "DATA_PUMP_DIR")
    assert not (db.directory_path() / "hr_02.dmp").exists()
    assert not list(db.directory_path().glob("*.part"))


# -- nothing recorded a GUID: nothing at the destination is kept ---------------------------------


def test_a_download_whose_manifest_records_no_guid_keeps_no_stale_set(
    hook: DatapumpHook,
    db: DatabaseHandle,
    two_days: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
) -> None:
    """Yesterday's whole set, same sizes, in the directory: the first member read must not give
    the set its GUID, or every stale member carries it and is kept."""
    yesterday, today = two_days
    hook.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    _forget_guids(tmp_path / "hr_XX.dmp.manifest.json")
    assert _download_over(hook, db, tmp_path, yesterday, today) == [False, False]


def test_a_cloud_download_whose_manifest_records_no_guid_keeps_no_stale_set(
    hook: DatapumpHook, cloud_db: DatabaseHandle, two_days: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    yesterday, today = two_days
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    _forget_guids(cloud_db.object_store / "dumps" / "refresh" / "hr" / "hr_XX.dmp.manifest.json")
    folder = cloud_db.directory_path()
    _place(folder, yesterday)
    down = hook.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **CLOUD)  # type: ignore[arg-type]
    assert [m.kept for m in down] == [False, False]
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == today


def _not_dumps(folder: Path, seed: int) -> dict[str, bytes]:
    """A set of files that are not dumps: no header records which export, or run, wrote them."""
    files = {name: bytes([seed]) * 4096 for name in MEMBERS}
    _place(folder, files)
    return files


def test_uploads_of_files_that_are_not_dumps_keep_no_earlier_object(
    hook: DatapumpHook, cloud_db: DatabaseHandle, tmp_path: Path
) -> None:
    """The manifest records each earlier object with no GUID: its size proves nothing."""
    folder, bucket = cloud_db.directory_path(), cloud_db.object_store / "dumps" / "refresh" / "hr"
    _not_dumps(folder, 1)
    hook.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    files = _not_dumps(folder, 2)  # the next run's, of the same sizes
    up = hook.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    cloud_up = hook.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **CLOUD)  # type: ignore[arg-type]
    assert [m.kept for m in up + cloud_up] == [False] * 4
    assert {name: (tmp_path / name).read_bytes() for name in MEMBERS} == files
    assert {name: (bucket / name).read_bytes() for name in MEMBERS} == files
