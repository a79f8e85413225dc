"""Copying a dump file set over a database link: every member, verified, retry-safe (issue 14 §1)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.calls import DumpFileInfo
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import EmulatedOracle, emulated_oracle

COPY = {"link": "PROD_LINK", "source_directory": "DATA_PUMP_DIR", "destination_directory": "DATA_PUMP_DIR"}


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_SOURCE", active.connection_uri("PROD"))
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_TARGET", active.connection_uri("TEST"))
        active.database("TEST").execute(
            "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY oracle "
            f"USING '{active.dsn('PROD')}'"
        )
        yield active


@pytest.fixture
def hooks(oracle: EmulatedOracle) -> Iterator[tuple[DatapumpHook, DatapumpHook]]:
    source = DatapumpHook(oracle_conn_id="oracle_source", retry=RetryPolicy(initial=0))
    target = DatapumpHook(oracle_conn_id="oracle_target", retry=RetryPolicy(initial=0))
    yield source, target
    source.close()
    target.close()


def _folders(oracle: EmulatedOracle) -> tuple[Path, Path]:
    return oracle.database("PROD").directory_path(), oracle.database("TEST").directory_path()


def _members(folder: Path, sizes: list[int]) -> dict[str, bytes]:
    files = {f"set_{n:02d}.dmp": os.urandom(size) for n, size in enumerate(sizes, start=1)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _export_hr(oracle: EmulatedOracle, source: DatapumpHook, template: str, job_name: str) -> None:
    prod_db = oracle.database("PROD")
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[template], parallel=2)
    source.submit(spec, job_name=job_name)
    prod_db.advance(3600)


@pytest.fixture
def hr_set(oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook]) -> tuple[Path, Path]:
    """PROD's HR exported to the two-member set hr_%U.dmp (job EXP_HR): the source and the
    destination folders, the destination empty."""
    oracle.database("PROD").load_sample_hr()
    _export_hr(oracle, hooks[0], "hr_%U.dmp", "EXP_HR")
    return _folders(oracle)


def test_every_member_is_copied_and_gets_its_name_only_when_complete(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook]
) -> None:
    source, target = hooks
    prod, test = _folders(oracle)
    files = _members(prod, [4096, 8192, 1024])
    copied = target.copy_dump_files(["set_%U.dmp"], remote=source, **COPY)
    assert [m.name for m in copied] == sorted(files)
    assert [m.size for m in copied] == [4096, 8192, 1024]
    for name, data in files.items():
        assert (test / name).read_bytes() == data
    assert not list(test.glob("*.part"))
    assert all((prod / name).exists() for name in files)  # not asked to delete


def test_a_retry_keeps_a_complete_member_and_replaces_a_half_copied_one(
    hooks: tuple[DatapumpHook, DatapumpHook], hr_set: tuple[Path, Path]
) -> None:
    source, target = hooks
    prod, test = hr_set
    files = {name: (prod / name).read_bytes() for name in ("hr_01.dmp", "hr_02.dmp")}
    (test / "hr_01.dmp").write_bytes(files["hr_01.dmp"])  # an earlier try finished this one
    kept_at = (test / "hr_01.dmp").stat().st_mtime_ns
    (test / "hr_02.dmp").write_bytes(files["hr_02.dmp"][:1536])  # half of this one
    (test / "hr_02.dmp.part").write_bytes(b"x" * 512)  # and an interrupted .part
    copied = target.copy_dump_files(["hr_%U.dmp"], remote=source, **COPY)
    assert [(m.name, m.kept) for m in copied] == [("hr_01.dmp", True), ("hr_02.dmp", False)]
    assert (test / "hr_01.dmp").stat().st_mtime_ns == kept_at
    assert (test / "hr_02.dmp").read_bytes() == files["hr_02.dmp"]
    assert not list(test.glob("*.part"))


def test_a_same_size_member_of_another_export_is_replaced(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook]
) -> None:
    source, target = hooks
    prod_db = oracle.database("PROD")
    prod_db.load_sample_hr()
    prod, test = _folders(oracle)
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["hr_%U.dmp"], reuse_dump_files=True)
    for name in ("EXP_ONE", "EXP_TWO"):
        source.submit(spec, job_name=name)
        prod_db.advance(600)
        if name == "EXP_ONE":
            (test / "hr_01.dmp").write_bytes((prod / "hr_01.dmp").read_bytes())  # yesterday's copy
    assert (test / "hr_01.dmp").stat().st_size == (prod / "hr_01.dmp").stat().st_size
    assert source.dumpfile_info("DATA_PUMP_DIR", "hr_01.dmp").get("guid") != target.dumpfile_info(
        "DATA_PUMP_DIR", "hr_01.dmp"
    ).get("guid")
    (copied,) = target.copy_dump_files(["hr_%U.dmp"], remote=source, **COPY)
    assert not copied.kept
    assert (test / "hr_01.dmp").read_bytes() == (prod / "hr_01.dmp").read_bytes()


def test_sources_are_deleted_only_after_every_copy_is_verified(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook], hr_set: tuple[Path, Path]
) -> None:
    source, target = hooks
    prod, test = hr_set
    members = ["hr_01.dmp", "hr_02.dmp"]
    oracle.database("TEST").fail_subprogram("DBMS_FILE_TRANSFER.GET_FILE", "ORA-19505", after=1)
    with pytest.raises(DatabaseCallError):
        target.copy_dump_files(["hr_%U.dmp"], remote=source, delete_source=True, **COPY)
    assert all((prod / name).exists() for name in members)  # nothing deleted
    copied = target.copy_dump_files(["hr_%U.dmp"], remote=source, delete_source=True, **COPY)
    assert [m.kept for m in copied] == [True, False]
    assert not list(prod.glob("hr_*.dmp"))
    assert sorted(p.name for p in test.glob("hr_*.dmp")) == members


def test_a_copy_of_the_wrong_size_is_removed_and_refused(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = hooks
    prod, test = _folders(oracle)
    _members(prod, [4096])
    real = DatapumpHook.file_size

    def short_part(self: DatapumpHook, directory: str, name: str) -> int | None:
        size = real(self, directory, name)
        return size - 512 if size is not None and name.endswith(".part") else size

    monkeypatch.setattr(DatapumpHook, "file_size", short_part)
    with pytest.raises(TransferError, match="arrived with 3584 bytes of 4096"):
        target.copy_dump_files(["set_%U.dmp"], remote=source, delete_source=True, **COPY)
    assert [p.name for p in test.iterdir()] == ["set_XX.dmp.manifest.json"]  # the unfinished copy's marker
    assert json.loads((test / "set_XX.dmp.manifest.json").read_text())["state"] == "incomplete"
    assert (prod / "set_01.dmp").exists()


def test_put_pushes_from_the_source_and_a_missing_set_is_an_error(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook]
) -> None:
    source, target = hooks
    oracle.database("PROD").execute(
        "CREATE PUBLIC DATABASE LINK test_link CONNECT TO system IDENTIFIED BY oracle "
        "USING 'test.example.com/TEST'"
    )
    prod, test = _folders(oracle)
    files = _members(prod, [1024])
    put = {**COPY, "link": "TEST_LINK"}
    source.copy_dump_files(["set_%U.dmp"], remote=target, direction="put", **put)
    assert (test / "set_01.dmp").read_bytes() == files["set_01.dmp"]
    with pytest.raises(TransferError, match=r"no dump files other_%U\.dmp"):
        source.copy_dump_files(["other_%U.dmp"], remote=target, direction="put", **put)


def test_a_source_member_of_another_export_is_refused_before_anything_is_copied(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook], hr_set: tuple[Path, Path]
) -> None:
    """Only the header shows that hr_02.dmp was renamed in from another export: no gap, same size."""
    source, target = hooks
    prod, test = hr_set
    _export_hr(oracle, source, "other_%U.dmp", "EXP_OTHER")
    (prod / "hr_02.dmp").write_bytes((prod / "other_02.dmp").read_bytes())
    with pytest.raises(TransferError, match=r"hr_02\.dmp in DATA_PUMP_DIR is not a member of the set hr_%U"):
        target.copy_dump_files(["hr_%U.dmp"], remote=source, **COPY)
    assert not list(test.iterdir())


@pytest.mark.parametrize("reading", ["filetype 0", "ORA-39211"])
def test_a_same_size_file_that_is_not_a_dump_is_not_kept(
    hooks: tuple[DatapumpHook, DatapumpHook],
    monkeypatch: pytest.MonkeyPatch,
    reading: str,
    hr_set: tuple[Path, Path],
) -> None:
    """A destination file of the member's size whose header is not a dump's (zeroed, or another
    kind of file) proves nothing: every member's GUID must be the set's. GET_DUMPFILE_INFO may
    answer such a file with filetype 0 or refuse it with NO_DUMPFILE_INFO (§2.17 leaves it open;
    the emulator answers filetype 0, the other reading is put in front of it here)."""
    source, target = hooks
    if reading == "ORA-39211":
        real = DatapumpHook.dumpfile_info

        def refusing(self: DatapumpHook, directory: str, name: str) -> DumpFileInfo:
            info = real(self, directory, name)
            if not info.is_datapump:
                raise DatabaseCallError(
                    "ORA-39211: unable to retrieve dumpfile information", code="ORA-39211"
                )
            return info

        monkeypatch.setattr(DatapumpHook, "dumpfile_info", refusing)
    prod, test = hr_set
    for name in ("hr_01.dmp", "hr_02.dmp"):
        (test / name).write_bytes(bytes((prod / name).stat().st_size))
    copied = target.copy_dump_files(["hr_%U.dmp"], remote=source, **COPY)
    assert [m.kept for m in copied] == [False, False]
    for name in ("hr_01.dmp", "hr_02.dmp"):
        assert (test / name).read_bytes() == (prod / name).read_bytes()


def test_a_set_that_is_not_dumps_is_copied_again_whatever_is_there(
    oracle: EmulatedOracle, hooks: tuple[DatapumpHook, DatapumpHook]
) -> None:
    """No header records which run wrote files that are not dumps, so nothing proves that the
    same-size files at the destination are these: every member is copied."""
    source, target = hooks
    prod, test = _folders(oracle)
    files = _members(prod, [4096, 4096])
    _members(test, [4096, 4096])  # an earlier run's
    copied = target.copy_dump_files(["set_%U.dmp"], remote=source, **COPY)
    assert [m.kept for m in copied] == [False, False]
    assert {name: (test / name).read_bytes() for name in files} == files
