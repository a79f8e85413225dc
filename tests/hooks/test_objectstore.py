"""Streaming dump file sets to and from object storage through the worker (issue 14 §2).

``file://`` here; ``s3://`` against a local S3 server in test_objectstore_s3.py.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.transfer import MIN_CHUNK_BYTES
from airflow_datapump.exceptions import SpecError, TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from tests.hooks.conftest import export_set

MB = 1024 * 1024


def _put(db: DatabaseHandle, sizes: dict[str, int]) -> dict[str, bytes]:
    folder = db.directory_path()
    files = {name: os.urandom(size) for name, size in sizes.items()}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_a_set_goes_up_and_comes_back_byte_for_byte(
    hook: DatapumpHook, db: DatabaseHandle, tmp_path: Path
) -> None:
    files = _put(db, {"set_01.dmp": 2 * MB + 123, "set_02.dmp": 700, "set_03.dmp": 0})
    up = hook.upload_dump_files(
        "DATA_PUMP_DIR", ["set_%U.dmp"], tmp_path.as_uri(), chunk_bytes=MIN_CHUNK_BYTES
    )
    assert [(m.name, m.size) for m in up] == [(n, len(d)) for n, d in files.items()]
    for name, data in files.items():
        assert (tmp_path / name).read_bytes() == data
    manifest = json.loads((tmp_path / "set_XX.dmp.manifest.json").read_text())
    assert manifest["state"] == "complete"
    assert sorted(manifest["members"]) == sorted(files)
    for name in files:
        (db.directory_path() / name).unlink()
    down = hook.download_dump_files(
        tmp_path.as_uri(), ["set_%U.dmp"], "DATA_PUMP_DIR", chunk_bytes=MIN_CHUNK_BYTES
    )
    assert [m.sha256 for m in down] == [m.sha256 for m in up]
    for name, data in files.items():
        assert (db.directory_path() / name).read_bytes() == data
    assert not list(tmp_path.glob("*.part"))
    assert not list(db.directory_path().glob("*.part"))


def test_each_data_round_trip_carries_at_least_a_megabyte(
    hook: DatapumpHook, db: DatabaseHandle, tmp_path: Path
) -> None:
    _put(db, {"big.dmp": 24 * MB})
    hook.file_size("DATA_PUMP_DIR", "big.dmp")  # the session is open before counting
    db.reset_counters()
    hook.upload_dump_files("DATA_PUMP_DIR", ["big.dmp"], tmp_path.as_uri(), verify="size")
    trips = db.counters()["round_trips"]
    assert 24 * MB / trips >= MB, trips
    db.reset_counters()
    hook.download_dump_files(tmp_path.as_uri(), ["big.dmp"], "DATA_PUMP_DIR", verify="size")
    assert 24 * MB / db.counters()["round_trips"] >= MB


def _upload_peak(hook: DatapumpHook, db: DatabaseHandle, target: Path, size: int) -> int:
    _put(db, {"big.dmp": size})
    target.mkdir()
    tracemalloc.start()
    try:
        hook.upload_dump_files("DATA_PUMP_DIR", ["big.dmp"], target.as_uri(), chunk_bytes=2 * MB)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_near_one_chunk_whatever_the_file_size(
    hook: DatapumpHook, db: DatabaseHandle, tmp_path: Path
) -> None:
    """A file four times larger needs no more memory: the peak is set by the 2 MB chunk.

    Compared as a ratio because the emulator's server runs in this process and tracemalloc
    counts its buffers too (a few per chunk, freed once the driver lets the LOB go)."""
    small = _upload_peak(hook, db, tmp_path / "small", 8 * MB)
    large = _upload_peak(hook, db, tmp_path / "large", 32 * MB)
    assert large < small * 1.25 + MB, (small, large)
    assert large < 16 * MB, large  # a few copies of one chunk on each side, not the 32 MB file


def test_an_interrupted_upload_resumes_at_the_member_it_stopped_at(
    hook: DatapumpHook, db: DatabaseHandle, tmp_path: Path
) -> None:
    """A member is kept by the dump GUID the manifest records for it, so the set is a real export."""
    files = export_set(hook, db, "hr_%U.dmp", job_name="EXP_RESUME", parallel=2)
    db.fail_subprogram("DBMS_LOB.LOADBLOBFROMFILE", "ORA-22288", after=1)  # the second member
    with pytest.raises(Exception, match="ORA-22288"):
        hook.upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], tmp_path.as_uri())
    manifest = json.loads((tmp_path / "hr_XX.dmp.manifest.json").read_text())
    assert (manifest["state"], list(manifest["members"])) == ("incomplete", ["hr_01.dmp"])
    kept_at = (tmp_path / "hr_01.dmp").stat().st_mtime_ns
    with pytest.raises(TransferError, match="did not finish"):
        hook.download_dump_files(tmp_path.as_uri(), ["hr_%U.dmp"], "DATA_PUMP_DIR")
    up = hook.upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], tmp_path.as_uri())
    assert [(m.name, m.kept) for m in up] == [("hr_01.dmp", True), ("hr_02.dmp", False)]
    assert (tmp_path / "hr_01.dmp").stat().st_mtime_ns == kept_at
    assert (tmp_path / "hr_02.dmp").read_bytes() == files["hr_02.dmp"]


def test_a_corrupt_object_is_refused_and_never_gets_a_final_name(
    hook: DatapumpHook, db: DatabaseHandle, tmp_path: Path
) -> None:
    files = _put(db, {"one.dmp": 5000})
    hook.upload_dump_files("DATA_PUMP_DIR", ["one.dmp"], tmp_path.as_uri())
    (db.directory_path() / "one.dmp").unlink()
    data = bytearray(files["one.dmp"])
    data[100] ^= 0xFF
    (tmp_path / "one.dmp").write_bytes(bytes(data))  # same size, one byte flipped
    with pytest.raises(TransferError, match="checksum differs from the manifest"):
        hook.download_dump_files(tmp_path.as_uri(), ["one.dmp"], "DATA_PUMP_DIR")
    assert [p.name for p in db.directory_path().glob("one.dmp*")] == ["one.dmp.manifest.json"]
    problems = hook.precheck_import(JobSpec("IMPORT", "FULL", dump_files=["one.dmp"]))
    assert any("did not finish" in p and "missing: one.dmp" in p for p in problems), problems


def test_a_set_without_a_manifest_is_found_by_listing_and_deleted_only_when_verified(
    hook: DatapumpHook, db: DatabaseHandle, tmp_path: Path
) -> None:
    for name, size in {"x_01.dmp": 1500, "x_02.dmp": 20, "x_1.dmp": 7, "y_01.dmp": 9}.items():
        (tmp_path / name).write_bytes(os.urandom(size))
    down = hook.download_dump_files(tmp_path.as_uri(), ["x_%U.dmp"], "DATA_PUMP_DIR", delete_source=True)
    assert [m.name for m in down] == ["x_01.dmp", "x_02.dmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x_1.dmp", "y_01.dmp"]
    assert (db.directory_path() / "x_02.dmp").stat().st_size == 20


def test_bad_options_are_refused_before_anything_moves(hook: DatapumpHook, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="chunk_bytes: 1000 is not allowed"):
        hook.upload_dump_files("DATA_PUMP_DIR", ["a.dmp"], tmp_path.as_uri(), chunk_bytes=1000)
    with pytest.raises(SpecError, match="verify: 'md5' is not allowed; one of checksum, size"):
        hook.download_dump_files(tmp_path.as_uri(), ["a.dmp"], "DATA_PUMP_DIR", verify="md5")
    with pytest.raises(TransferError, match=r"no dump files a\.dmp in DATA_PUMP_DIR"):
        hook.upload_dump_files("DATA_PUMP_DIR", ["a.dmp"], tmp_path.as_uri())
