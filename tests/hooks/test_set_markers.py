"""Nothing half-copied is ever imported (issue 14): every way of moving a set fails halfway here.

Each path leaves the set's marker ``incomplete`` where the set lands (a file in the directory,
or the manifest object in the bucket), the import precheck or the next download refuses the
set naming the missing members, and a retry completes it. The sources are real exports, so
once the retry is done the precheck finds nothing wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle, emulated_oracle

SET = "half_%U.dmp"
MARKER = "half_XX.dmp.manifest.json"
MEMBERS = ["half_01.dmp", "half_02.dmp"]
IMPORT = JobSpec("IMPORT", "FULL", dump_files=[SET])
FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/half"


def _dsn(oracle: EmulatedOracle, service: str) -> str:
    """The server's real address for ``service``."""
    return oracle.dsn(service)


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        for service in ("PROD", "TEST"):
            monkeypatch.setenv(f"AIRFLOW_CONN_ORACLE_{service}", active.connection_uri(service))
        yield active


@pytest.fixture
def prod(oracle: EmulatedOracle) -> Iterator[DatapumpHook]:
    """A hook on PROD, which holds a two-member export of HR (and its log)."""
    db = oracle.database("PROD")
    db.load_sample_hr()
    db.set_job_rate(10_000)
    hook = DatapumpHook(oracle_conn_id="oracle_prod", retry=RetryPolicy(initial=0))
    export = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[SET], parallel=2, job_name="EXP_HALF")
    hook.submit(export)
    db.advance(3600)
    assert hook.dump_file_members("DATA_PUMP_DIR", SET) == MEMBERS
    yield hook
    hook.close()


@pytest.fixture
def test_hook(oracle: EmulatedOracle) -> Iterator[DatapumpHook]:
    hook = DatapumpHook(oracle_conn_id="oracle_test", retry=RetryPolicy(initial=0))
    yield hook
    hook.close()


def _marker(folder: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((folder / MARKER).read_text())
    return loaded


def _unfinished(problems: list[str], missing: str) -> bool:
    return any("did not finish" in p and missing in p for p in problems)


def test_a_copy_over_a_link_that_fails_halfway(
    oracle: EmulatedOracle, prod: DatapumpHook, test_hook: DatapumpHook
) -> None:
    test_db = oracle.database("TEST")
    test_db.execute(
        "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY oracle "
        f"USING '{_dsn(oracle, 'PROD')}'"
    )
    copy = {"remote": prod, "link": "PROD_LINK", "source_directory": "DATA_PUMP_DIR"}
    test_db.fail_subprogram("DBMS_FILE_TRANSFER.GET_FILE", "ORA-19505", after=1)
    with pytest.raises(DatabaseCallError, match="ORA-19505"):
        test_hook.copy_dump_files([SET], destination_directory="DATA_PUMP_DIR", **copy)  # type: ignore[arg-type]
    folder = test_db.directory_path()
    assert (folder / "half_01.dmp").exists()
    assert not (folder / "half_02.dmp").exists()
    assert _marker(folder)["state"] == "incomplete"
    problems = test_hook.precheck_import(IMPORT)
    assert _unfinished(problems, "missing: half_02.dmp"), problems
    again = test_hook.copy_dump_files([SET], destination_directory="DATA_PUMP_DIR", **copy)  # type: ignore[arg-type]
    assert [(m.name, m.kept) for m in again] == [("half_01.dmp", True), ("half_02.dmp", False)]
    assert _marker(folder)["state"] == "complete"
    assert test_hook.precheck_import(IMPORT) == []


def _cloud(db: DatabaseHandle) -> None:
    db.enable_package("DBMS_CLOUD")
    db.execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('OCI_CRED', 'user', 'token'); END;")


def test_dbms_cloud_upload_and_download_that_fail_halfway(oracle: EmulatedOracle, prod: DatapumpHook) -> None:
    db = oracle.database("PROD")
    _cloud(db)
    args = {"credential_name": "OCI_CRED"}
    db.fail_subprogram("DBMS_CLOUD.PUT_OBJECT", "ORA-20500", after=3)  # manifest, 01, its record, 02
    with pytest.raises(DatabaseCallError, match="ORA-20500"):
        prod.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **args)
    bucket = db.object_store / "dumps" / "half"
    assert _marker(bucket)["state"] == "incomplete"
    with pytest.raises(
        TransferError,
        match=r"did not finish.*not recorded as uploaded: half_02\.dmp\Z",  # 01 is recorded
    ):
        prod.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **args)
    up = prod.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, **args)
    assert [m.kept for m in up] == [True, False]
    assert _marker(bucket)["state"] == "complete"

    folder = db.directory_path()
    originals = {name: (folder / name).read_bytes() for name in MEMBERS}
    for name in MEMBERS:
        (folder / name).unlink()
    db.fail_subprogram("DBMS_CLOUD.GET_OBJECT", "ORA-20500", after=2)  # manifest, member 1, then member 2
    with pytest.raises(DatabaseCallError, match="ORA-20500"):
        prod.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **args)
    assert (folder / "half_01.dmp").exists()
    assert _marker(folder)["state"] == "incomplete"
    assert _unfinished(prod.precheck_import(IMPORT), "missing: half_02.dmp")
    down = prod.cloud_download_dump_files(FOLDER, [SET], "DATA_PUMP_DIR", **args)
    assert [m.kept for m in down] == [True, False]
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == originals
    assert prod.precheck_import(IMPORT) == []


def test_rds_upload_and_download_that_fail_halfway(oracle: EmulatedOracle, prod: DatapumpHook) -> None:
    db = oracle.database("PROD")
    db.enable_package("RDSADMIN")
    (db.object_store / "acme-dumps").mkdir(parents=True)
    args = {"s3_prefix": "half/", "poll_interval": 0}
    db.fail_subprogram("RDSADMIN.RDSADMIN_S3_TASKS.UPLOAD_TO_S3", "ORA-20500", after=2)
    with pytest.raises(DatabaseCallError, match="ORA-20500"):
        prod.rds_upload_dump_files("DATA_PUMP_DIR", [SET], "acme-dumps", **args)  # type: ignore[arg-type]
    bucket = db.object_store / "acme-dumps" / "half"
    assert _marker(bucket)["state"] == "incomplete"
    folder = db.directory_path()
    assert not (folder / MARKER).exists()  # the staged manifest did not stay behind
    originals = {name: (folder / name).read_bytes() for name in MEMBERS}
    for name in MEMBERS:
        (folder / name).unlink()
    with pytest.raises(
        TransferError, match=r"did not finish.*not recorded as uploaded: half_01\.dmp, half_02"
    ):
        prod.rds_download_dump_files("acme-dumps", [SET], "DATA_PUMP_DIR", **args)  # type: ignore[arg-type]
    assert _unfinished(prod.precheck_import(IMPORT), "missing: half_01.dmp, half_02.dmp")
    assert _marker(folder)["state"] == "incomplete"  # the bucket's manifest, brought down
    for name, data in originals.items():  # the set put back by hand, and the marker dropped
        (folder / name).write_bytes(data)
    with pytest.raises(TransferError, match="did not finish"):  # until then it is refused
        prod.rds_upload_dump_files("DATA_PUMP_DIR", [SET], "acme-dumps", **args)  # type: ignore[arg-type]
    (folder / MARKER).unlink()
    prod.rds_upload_dump_files("DATA_PUMP_DIR", [SET], "acme-dumps", **args)  # type: ignore[arg-type]
    assert _marker(bucket)["state"] == "complete"

    for name in MEMBERS:
        (folder / name).unlink()
    db.fail_subprogram(
        "RDSADMIN.RDSADMIN_S3_TASKS.DOWNLOAD_FROM_S3", "ORA-20500", after=1
    )  # after the manifest
    with pytest.raises(DatabaseCallError, match="ORA-20500"):
        prod.rds_download_dump_files("acme-dumps", [SET], "DATA_PUMP_DIR", **args)  # type: ignore[arg-type]
    assert _marker(folder)["state"] == "incomplete"
    assert _unfinished(prod.precheck_import(IMPORT), "missing: half_01.dmp, half_02.dmp")
    down = prod.rds_download_dump_files("acme-dumps", [SET], "DATA_PUMP_DIR", **args)  # type: ignore[arg-type]
    assert [m.name for m in down] == MEMBERS
    assert _marker(folder)["state"] == "complete"
    assert {name: (folder / name).read_bytes() for name in MEMBERS} == originals
    assert prod.precheck_import(IMPORT) == []


def _download_failing_halfway(db: DatabaseHandle, prod: DatapumpHook, bucket: Path) -> Path:
    """Upload the set, drop the originals, and download it back failing at member 2."""
    prod.upload_dump_files("DATA_PUMP_DIR", [SET], bucket.as_uri())
    folder = db.directory_path()
    for name in MEMBERS:
        (folder / name).unlink()
    # UTL_FILE.FOPEN: the marker, member 1, then member 2 fails
    db.fail_subprogram("UTL_FILE.FOPEN", "ORA-29283", after=2)
    with pytest.raises(DatabaseCallError, match="ORA-29283"):
        prod.download_dump_files(bucket.as_uri(), [SET], "DATA_PUMP_DIR")
    return folder


def test_a_download_through_the_worker_that_fails_halfway(
    oracle: EmulatedOracle, prod: DatapumpHook, tmp_path: Path
) -> None:
    folder = _download_failing_halfway(oracle.database("PROD"), prod, tmp_path)
    assert (folder / "half_01.dmp").exists()
    assert _marker(folder)["state"] == "incomplete"
    assert _unfinished(prod.precheck_import(IMPORT), "missing: half_02.dmp")
    down = prod.download_dump_files(tmp_path.as_uri(), [SET], "DATA_PUMP_DIR")
    assert [m.kept for m in down] == [True, False]
    assert prod.precheck_import(IMPORT) == []


def test_a_marker_of_another_export_is_stale_and_ignored(
    oracle: EmulatedOracle, prod: DatapumpHook, tmp_path: Path
) -> None:
    """A set exported again over a downloaded one must not be refused for the old marker."""
    db = oracle.database("PROD")
    folder = _download_failing_halfway(db, prod, tmp_path)
    assert _marker(folder)["guid"]
    export = JobSpec(
        "EXPORT",
        "SCHEMA",
        schemas=["HR"],
        dump_files=[SET],
        parallel=2,
        job_name="EXP_AGAIN",
        reuse_dump_files=True,
    )
    prod.submit(export)
    db.advance(3600)
    assert prod.precheck_import(IMPORT) == []


# -- the source of an upload or copy must be whole ---------------------------------------------


def test_an_upload_from_a_set_missing_its_last_member_is_refused(
    oracle: EmulatedOracle, prod: DatapumpHook, tmp_path: Path
) -> None:
    (oracle.database("PROD").directory_path() / "half_02.dmp").unlink()
    with pytest.raises(TransferError, match=r"not whole.*half_02\.dmp is missing.*EXP_HALF\.log lists it"):
        prod.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    assert not list(tmp_path.iterdir())  # no manifest, complete or not


def test_an_upload_refuses_a_member_of_another_set_with_the_same_name(
    oracle: EmulatedOracle, prod: DatapumpHook, tmp_path: Path
) -> None:
    """A second member from another export, renamed into the set, leaves no gap to see:
    only its dump GUID, unlike the first member's, shows it is not of this set."""
    db = oracle.database("PROD")
    other = JobSpec(
        "EXPORT", "SCHEMA", schemas=["HR"], dump_files=["other_%U.dmp"], parallel=2, job_name="EXP_OTHER"
    )
    prod.submit(other)
    db.advance(3600)
    folder = db.directory_path()
    (folder / "half_02.dmp").write_bytes((folder / "other_02.dmp").read_bytes())
    stranger = r"half_02\.dmp in DATA_PUMP_DIR is not a member of the set half_%U"
    with pytest.raises(TransferError, match=stranger):
        prod.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    assert not list(tmp_path.iterdir())  # refused before the manifest is written
    _cloud(db)
    with pytest.raises(TransferError, match=stranger):
        prod.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, credential_name="OCI_CRED")
    db.enable_package("RDSADMIN")
    (db.object_store / "acme-dumps").mkdir(parents=True)
    with pytest.raises(TransferError, match=stranger):
        prod.rds_upload_dump_files("DATA_PUMP_DIR", [SET], "acme-dumps", poll_interval=0)
    assert not (db.object_store / "dumps").exists()
    assert not list((db.object_store / "acme-dumps").iterdir())


def test_an_upload_from_a_failed_export_is_refused(
    oracle: EmulatedOracle, prod: DatapumpHook, tmp_path: Path
) -> None:
    """The export's log (named after the job in the dump header) says how it ended.

    The emulator writes dump files only when an export completes, where Oracle writes them
    from the start and keeps them after a failure; so the log of the set's export is given
    the last line a restarted job that then failed writes.
    """
    db = oracle.database("PROD")
    with (db.directory_path() / "EXP_HALF.log").open("a") as log:
        log.write('Job "SYSTEM"."EXP_HALF" stopped due to fatal error at Wed Dec 02 04:00:00 2026\n')
    with pytest.raises(TransferError, match=r"EXP_HALF\.log\) stopped due to a fatal error"):
        prod.upload_dump_files("DATA_PUMP_DIR", [SET], tmp_path.as_uri())
    _cloud(db)
    with pytest.raises(TransferError, match="stopped due to a fatal error"):
        prod.cloud_upload_dump_files("DATA_PUMP_DIR", [SET], FOLDER, credential_name="OCI_CRED")
    assert not (db.object_store / "dumps").exists()
    assert not list(tmp_path.iterdir())
    assert any("stopped due to a fatal error" in p for p in prod.precheck_import(IMPORT))


def test_an_unreadable_marker_is_an_error_naming_it(oracle: EmulatedOracle, prod: DatapumpHook) -> None:
    (oracle.database("PROD").directory_path() / MARKER).write_text('{"template": "half_%U.dmp", "sta')
    with pytest.raises(
        TransferError, match=r"marker half_XX\.dmp\.manifest\.json in DATA_PUMP_DIR cannot be read"
    ):
        prod.precheck_import(IMPORT)
