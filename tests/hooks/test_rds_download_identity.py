"""RDS downloads decide by identity, not by name: what a failed try left, whose a file is, and
which export a member comes from (its dump GUID). The sets are real exports on the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle

SET = "hr_%U.dmp"
MEMBERS = ["hr_01.dmp", "hr_02.dmp"]
MARKER = "hr_XX.dmp.manifest.json"
IMPORT = JobSpec("IMPORT", "FULL", dump_files=[SET])
ARGS: dict[str, object] = {"s3_prefix": "refresh/", "poll_interval": 0}


def _export(hook: DatapumpHook, db: DatabaseHandle, template: str, job_name: str) -> None:
    hook.submit(
        JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[template], parallel=2, job_name=job_name)
    )
    db.advance(3600)


@pytest.fixture
def bucket(hook: DatapumpHook, db: DatabaseHandle) -> Path:
    """The folder ``refresh/`` of bucket ``acme-dumps``, holding the set hr_%U.dmp (uploaded by
    the hook, so with its manifest); the directory keeps the originals."""
    db.enable_package("RDSADMIN")
    (db.object_store / "acme-dumps").mkdir(parents=True)
    _export(hook, db, SET, "EXP_HR")
    hook.rds_upload_dump_files("DATA_PUMP_DIR", [SET], "acme-dumps", **ARGS)  # type: ignore[arg-type]
    return db.object_store / "acme-dumps" / "refresh"


def _download(hook: DatapumpHook) -> list[str]:
    down = hook.rds_download_dump_files("acme-dumps", [SET], "DATA_PUMP_DIR", **ARGS)  # type: ignore[arg-type]
    return [m.name for m in down]


def _take_away(folder: Path, names: list[str]) -> dict[str, bytes]:
    taken = {name: (folder / name).read_bytes() for name in names}
    for name in names:
        (folder / name).unlink()
    return taken


def _set_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("hr_"))


def test_a_retry_ends_with_exactly_the_sets_members(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path
) -> None:
    """The failed try brought a stray by key prefix (``hr_01.dmp.part``) and member 1; the retry
    removes both, as the marker did not record them as there before, and keeps the user's file."""
    folder = db.directory_path()
    originals = _take_away(folder, MEMBERS)
    (bucket / "hr_01.dmp.part").write_bytes(b"a stray object")
    (folder / "hr_01.dmp.notes").write_text("the user's")  # in the prefix's way, and not ours
    db.fail_subprogram("RDSADMIN.RDSADMIN_S3_TASKS.DOWNLOAD_FROM_S3", "ORA-20500", after=2)
    with pytest.raises(DatabaseCallError, match="ORA-20500"):  # manifest, member 1, then member 2
        _download(hook)
    assert _set_files(folder) == ["hr_01.dmp", "hr_01.dmp.notes", "hr_01.dmp.part", MARKER]
    assert _download(hook) == MEMBERS
    assert _set_files(folder) == sorted([*MEMBERS, "hr_01.dmp.notes", MARKER])
    assert (folder / "hr_01.dmp.notes").read_text() == "the user's"
    assert json.loads((folder / MARKER).read_text())["preexisting"] == ["hr_01.dmp.notes"]
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == originals
    assert hook.precheck_import(IMPORT) == []


def test_a_half_written_member_a_failed_try_left_is_replaced(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path
) -> None:
    folder = db.directory_path()
    originals = _take_away(folder, MEMBERS)
    db.fail_subprogram("RDSADMIN.RDSADMIN_S3_TASKS.DOWNLOAD_FROM_S3", "ORA-20500", after=2)
    with pytest.raises(DatabaseCallError, match="ORA-20500"):
        _download(hook)
    (folder / "hr_01.dmp").write_bytes(originals["hr_01.dmp"][:4096])  # the task died writing it
    assert _download(hook) == MEMBERS
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == originals


def test_a_member_of_another_export_in_the_bucket_is_refused_and_removed(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path
) -> None:
    """The bucket's hr_02.dmp was replaced by another export's member: its name fits, and its
    size may too; its dump GUID is not the one the manifest records."""
    folder = db.directory_path()
    _export(hook, db, "other_%U.dmp", "EXP_OTHER")
    (bucket / "hr_02.dmp").write_bytes((folder / "other_02.dmp").read_bytes())
    _take_away(folder, MEMBERS)
    with pytest.raises(TransferError, match=r"not members of the set hr_%U\.dmp.*hr_02\.dmp \(dump GUID"):
        _download(hook)
    assert not (folder / "hr_02.dmp").exists()
    assert json.loads((folder / MARKER).read_text())["state"] == "incomplete"


def test_a_file_that_was_there_before_is_left_untouched_and_named(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path
) -> None:
    """A user's hr_03.dmp beside a two-member set: download_from_s3 skips nothing of the set,
    but the set found in the directory would not be the bucket's; it is not ours to delete."""
    folder = db.directory_path()
    _take_away(folder, MEMBERS)
    (folder / "hr_03.dmp").write_bytes(b"the user's own file")
    for _ in range(2):  # and again on a retry, which removes only what the first try brought
        with pytest.raises(
            TransferError, match=r"hr_03\.dmp in DATA_PUMP_DIR were there before.*left untouched"
        ):
            _download(hook)
        assert (folder / "hr_03.dmp").read_bytes() == b"the user's own file"


def test_a_set_without_a_manifest_is_downloaded_by_its_prefix(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path
) -> None:
    """Sets uploaded by hand or by versions before manifests have none (README: a download
    refuses only an incomplete manifest); the members are proved by the first one's GUID."""
    folder = db.directory_path()
    (bucket / MARKER).unlink()
    originals = _take_away(folder, MEMBERS)
    assert _download(hook) == MEMBERS
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == originals
    marker = json.loads((folder / MARKER).read_text())
    assert marker["state"] == "complete"
    assert marker["guid"]
    assert hook.precheck_import(IMPORT) == []

    _export(hook, db, "other_%U.dmp", "EXP_OTHER")
    (bucket / "hr_02.dmp").write_bytes((folder / "other_02.dmp").read_bytes())
    _take_away(folder, MEMBERS)
    (folder / MARKER).unlink()
    with pytest.raises(TransferError, match=r"hr_02\.dmp \(dump GUID .*they were removed"):
        _download(hook)
    assert not (folder / "hr_02.dmp").exists()


def test_without_a_manifest_a_file_sharing_the_sets_start_is_named_not_deleted(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Downloaded by the set's start (``hr_``), a new file besides the members may be another
    job's, written into the shared directory meanwhile: nothing proves it the download's."""
    folder = db.directory_path()
    (bucket / MARKER).unlink()
    _take_away(folder, MEMBERS)
    (bucket / "hr_other_job.dmp").write_bytes(b"another job's file, or the download's")
    with caplog.at_level("WARNING"):
        assert _download(hook) == MEMBERS
    assert (folder / "hr_other_job.dmp").read_bytes() == b"another job's file, or the download's"
    assert "hr_other_job.dmp" in caplog.text


def test_a_set_starting_with_a_variable_and_no_manifest_is_refused(
    hook: DatapumpHook, db: DatabaseHandle, bucket: Path
) -> None:
    """Its start is empty: a download by it would take every object under the S3 prefix."""
    (bucket / "u_01.dmp").write_bytes(b"x")
    with pytest.raises(TransferError, match=r"%U_x\.dmp starts with a substitution variable"):
        hook.rds_download_dump_files("acme-dumps", ["%U_x.dmp"], "DATA_PUMP_DIR", **ARGS)  # type: ignore[arg-type]
    assert not (db.directory_path() / "u_01.dmp").exists()
    assert list(db.directory_path().glob("*.manifest.json")) == []  # refused before its marker
