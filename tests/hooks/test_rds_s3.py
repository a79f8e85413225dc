"""Dump file sets moved by Amazon RDS for Oracle's S3 tasks (issue 14 §3), on the emulator."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from functools import partial

import pytest

from airflow_datapump.core import rds
from airflow_datapump.core.transfer import Manifest
from airflow_datapump.exceptions import SpecError, TransferError
from airflow_datapump.hooks import rds as rds_hooks
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle


@pytest.fixture
def rds_db(db: DatabaseHandle) -> DatabaseHandle:
    db.enable_package("RDSADMIN")
    (db.object_store / "acme-dumps").mkdir(parents=True)
    return db


def _put(db: DatabaseHandle, sizes: dict[str, int]) -> dict[str, bytes]:
    files = {name: os.urandom(size) for name, size in sizes.items()}
    for name, data in files.items():
        (db.directory_path() / name).write_bytes(data)
    return files


def test_a_percent_u_set_goes_to_s3_and_back(
    hook: DatapumpHook, rds_db: DatabaseHandle, caplog: pytest.LogCaptureFixture
) -> None:
    files = _put(rds_db, {"hr_01.dmp": 9000, "hr_02.dmp": 4096, "hr_03.dmp": 512, "hr_x.log": 10})
    caplog.set_level(logging.INFO)
    up = hook.rds_upload_dump_files(
        "DATA_PUMP_DIR", ["hr_%U.dmp"], "acme-dumps", s3_prefix="refresh/", poll_interval=0
    )
    assert [(m.name, m.size) for m in up] == [
        (n, len(files[n])) for n in ("hr_01.dmp", "hr_02.dmp", "hr_03.dmp")
    ]
    bucket = rds_db.object_store / "acme-dumps" / "refresh"
    assert sorted(p.name for p in bucket.iterdir()) == [
        "hr_01.dmp",
        "hr_02.dmp",
        "hr_03.dmp",
        "hr_XX.dmp.manifest.json",
    ]
    assert json.loads((bucket / "hr_XX.dmp.manifest.json").read_text())["state"] == "complete"
    assert not (rds_db.directory_path() / "hr_XX.dmp.manifest.json").exists()  # staged, then removed
    assert rds.SUCCEEDED_LINE in caplog.text  # the task log reaches the task's log
    for member in up:
        (rds_db.directory_path() / member.name).unlink()
    down = hook.rds_download_dump_files(
        "acme-dumps", ["hr_%U.dmp"], "DATA_PUMP_DIR", s3_prefix="refresh/", poll_interval=0
    )
    assert [m.name for m in down] == [m.name for m in up]
    for member in down:
        assert (rds_db.directory_path() / member.name).read_bytes() == files[member.name]


def test_a_download_over_existing_members_refuses_unless_told(
    hook: DatapumpHook, rds_db: DatabaseHandle
) -> None:
    files = _put(rds_db, {"hr_01.dmp": 2048})
    hook.rds_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], "acme-dumps", poll_interval=0)
    (rds_db.directory_path() / "hr_01.dmp").write_bytes(b"stale")
    with pytest.raises(TransferError, match=r"hr_01\.dmp already in DATA_PUMP_DIR"):
        hook.rds_download_dump_files("acme-dumps", ["hr_%U.dmp"], "DATA_PUMP_DIR", poll_interval=0)
    hook.rds_download_dump_files(
        "acme-dumps", ["hr_%U.dmp"], "DATA_PUMP_DIR", replace_existing=True, poll_interval=0
    )
    assert (rds_db.directory_path() / "hr_01.dmp").read_bytes() == files["hr_01.dmp"]


def test_a_failed_task_is_reported_with_its_log_lines(hook: DatapumpHook, rds_db: DatabaseHandle) -> None:
    with pytest.raises(TransferError) as caught:
        hook.rds_download_dump_files("acme-dumps", ["nope_%U.dmp"], "DATA_PUMP_DIR", poll_interval=0)
    message = str(caught.value)
    assert "failed" in message
    assert "[ERROR] No Amazon S3 objects in bucket acme-dumps have keys starting with nope_" in message


def test_the_source_goes_only_after_its_upload_succeeded(hook: DatapumpHook, rds_db: DatabaseHandle) -> None:
    _put(rds_db, {"one.dmp": 1024})
    with pytest.raises(TransferError, match="does not exist"):
        hook.rds_upload_dump_files(
            "DATA_PUMP_DIR", ["one.dmp"], "no-bucket", delete_source=True, poll_interval=0
        )
    assert (rds_db.directory_path() / "one.dmp").exists()
    hook.rds_upload_dump_files(
        "DATA_PUMP_DIR", ["one.dmp"], "acme-dumps", delete_source=True, poll_interval=0
    )
    assert not (rds_db.directory_path() / "one.dmp").exists()


def test_off_rds_the_hook_says_the_package_is_missing(hook: DatapumpHook, db: DatabaseHandle) -> None:
    _put(db, {"one.dmp": 1024})
    with pytest.raises(TransferError, match=r"RDSADMIN .* is not installed"):
        hook.rds_upload_dump_files("DATA_PUMP_DIR", ["one.dmp"], "acme-dumps", poll_interval=0)


def test_bad_bucket_and_prefix_are_refused_before_any_call(hook: DatapumpHook, db: DatabaseHandle) -> None:
    with pytest.raises(SpecError, match="bucket_name: 'Bad_Bucket'"):
        hook.rds_upload_dump_files("DATA_PUMP_DIR", ["x.dmp"], "Bad_Bucket")
    with pytest.raises(SpecError, match="s3_prefix"):
        hook.rds_download_dump_files("acme-dumps", ["x.dmp"], "DATA_PUMP_DIR", s3_prefix="/abs/")


def test_the_verdict_reads_the_closing_line() -> None:
    assert rds.classify([]) is rds.TaskVerdict.RUNNING
    assert rds.classify(["x [INFO ] File #1: Uploading"]) is rds.TaskVerdict.RUNNING
    assert rds.classify(["a", "t UTC [INFO ] The task finished successfully."]) is rds.TaskVerdict.SUCCEEDED
    assert rds.classify(["t UTC [ERROR] The task failed."]) is rds.TaskVerdict.FAILED
    assert rds.names_file(["key refresh/hr_01.dmp."], "hr_01.dmp")
    assert not rds.names_file(["key refresh/hr_01.dmp.part."], "hr_01.dmp")
    assert rds.fixed_prefix("hr_%U.dmp") == "hr_"


def test_an_upload_refuses_files_that_share_a_members_name_before_any_task(
    hook: DatapumpHook, rds_db: DatabaseHandle
) -> None:
    """upload_to_s3 selects by name prefix: ``hr_01.dmp`` would take ``hr_01.dmp.part`` along."""
    _put(rds_db, {"hr_01.dmp": 2048, "hr_02.dmp": 1024, "hr_01.dmp.part": 100, "hr_02.dmp.old": 5})
    with pytest.raises(
        TransferError,
        match=r"also upload hr_01\.dmp\.part \(beside hr_01\.dmp\); hr_02\.dmp\.old \(beside hr_02\.dmp\)",
    ):
        hook.rds_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], "acme-dumps", poll_interval=0)
    assert not list((rds_db.object_store / "acme-dumps").iterdir())  # no task ran
    (rds_db.directory_path() / "hr_01.dmp.part").unlink()
    (rds_db.directory_path() / "hr_02.dmp.old").unlink()
    up = hook.rds_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], "acme-dumps", poll_interval=0)
    assert [m.name for m in up] == ["hr_01.dmp", "hr_02.dmp"]


def test_a_download_brings_only_the_sets_members(hook: DatapumpHook, rds_db: DatabaseHandle) -> None:
    """Objects sharing the set's key prefix (another set ``hr_full_*``, a stray ``.part``) stay
    out of the directory, and files that were there before are left alone."""
    files = _put(rds_db, {"hr_01.dmp": 2048, "hr_02.dmp": 1024})
    hook.rds_upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], "acme-dumps", poll_interval=0)
    bucket = rds_db.object_store / "acme-dumps"
    (bucket / "hr_full_01.dmp").write_bytes(b"another set")
    (bucket / "hr_01.dmp.part").write_bytes(b"a stray")
    folder = rds_db.directory_path()
    for name in files:
        (folder / name).unlink()
    (folder / "hr_notes.txt").write_text("kept")
    down = hook.rds_download_dump_files("acme-dumps", ["hr_%U.dmp"], "DATA_PUMP_DIR", poll_interval=0)
    assert [m.name for m in down] == ["hr_01.dmp", "hr_02.dmp"]
    here = sorted(p.name for p in folder.iterdir() if p.name.startswith("hr_"))
    assert here == ["hr_01.dmp", "hr_02.dmp", "hr_XX.dmp.manifest.json", "hr_notes.txt"]
    assert all((folder / n).read_bytes() == data for n, data in files.items())


def test_the_listing_keeps_files_and_finds_names_that_share_a_start() -> None:
    parse = rds.listing("DATA_PUMP_DIR").parse
    rows = [("a.dmp", "file", 10), ("sub/", "directory", 4096), ("b.dmp", "FILE", 0)]
    assert parse({}, rows) == {"a.dmp": 10, "b.dmp": 0}
    assert rds.beside(["a.dmp", "b.dmp"], ["a.dmp", "a.dmp.part", "b.dmp", "ab.dmp"]) == {
        "a.dmp": ["a.dmp.part"]
    }


def _round_trips(db: DatabaseHandle, action: Callable[[], object]) -> int:
    db.reset_counters()
    action()
    return db.counters()["round_trips"]


def _download_round_trips(hook: DatapumpHook, db: DatabaseHandle, count: int) -> int:
    """Round trips of downloading a fresh ``count``-member set the hook uploaded (so with its manifest)."""
    template = f"n{count}_%U.dmp"
    names = [f"n{count}_{n:02d}.dmp" for n in range(1, count + 1)]
    _put(db, dict.fromkeys(names, 2048))
    hook.rds_upload_dump_files("DATA_PUMP_DIR", [template], "acme-dumps", poll_interval=0)
    for name in names:
        (db.directory_path() / name).unlink()
    download = partial(hook.rds_download_dump_files, "acme-dumps", [template], "DATA_PUMP_DIR")
    return _round_trips(db, partial(download, poll_interval=0))


def test_a_download_costs_each_member_its_task_and_its_header_only(
    hook: DatapumpHook, rds_db: DatabaseHandle
) -> None:
    """Per member: the task's start, the read of its log (it ends at once here) and the header
    read that proves the member's dump GUID. Names and sizes come from one listing per set,
    not from a probe per member. (The listing's rows come in the driver's fetch batches: a few
    other files in the directory make both counts pay the same batches.)"""
    _put(rds_db, {"other_a.txt": 1, "other_b.txt": 1, "other_c.txt": 1})
    two, six = _download_round_trips(hook, rds_db, 2), _download_round_trips(hook, rds_db, 6)
    assert (six - two) / 4 == 3, (two, six)


def test_clearing_the_way_reads_the_listing_not_each_file(hook: DatapumpHook, rds_db: DatabaseHandle) -> None:
    """Before its tasks a download lists the directory once; the listing says whether the set's
    marker is there and which files an unfinished try left, so none is probed before it is read
    or deleted: the listing, the marker's read, and one round trip per file deleted (the costs
    of the listing, its fetch batches, and of the read, its LOB, are measured beside it)."""
    folder = rds_db.directory_path()
    make_way = partial(rds_hooks._make_way, hook, "DATA_PUMP_DIR", "hr_%U.dmp", False)
    listing = partial(rds_hooks._listing, hook, "DATA_PUMP_DIR")
    listing()  # the driver's first run of a statement may cost more; every count here is a later one
    assert _round_trips(rds_db, make_way) == _round_trips(rds_db, listing)  # no marker, nothing to delete
    _put(rds_db, {"hr_01.dmp": 2048, "hr_02.dmp": 1024})
    unfinished = Manifest("hr_%U.dmp", expected=["hr_01.dmp", "hr_02.dmp"], preexisting=[])
    (folder / "hr_XX.dmp.manifest.json").write_text(unfinished.to_json())
    listed = _round_trips(rds_db, listing)
    read = _round_trips(rds_db, partial(hook.read_file, "DATA_PUMP_DIR", "hr_XX.dmp.manifest.json"))
    assert _round_trips(rds_db, make_way) == listed + read + 3  # then 2 members and the marker deleted
    assert not [p.name for p in folder.iterdir() if p.name.startswith("hr_")]
