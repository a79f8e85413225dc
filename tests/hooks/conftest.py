"""A DatapumpHook wired to an emulated database through an ordinary Airflow connection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.status import Verdict
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.emulator_access import PASSWORD, admin_oracle, hook_without_retries

__all__ = ["PASSWORD", "admin_oracle", "cloud_db", "db", "export_set", "hook", "run_to_end"]


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10_000)
    return handle


@pytest.fixture
def cloud_db(db: DatabaseHandle) -> DatabaseHandle:
    """The database with DBMS_CLOUD and the credential OCI_CRED, for moves to and from a bucket."""
    db.enable_package("DBMS_CLOUD")
    db.execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('OCI_CRED', 'user', 'token'); END;")
    return db


@pytest.fixture
def hook(db: DatabaseHandle) -> Iterator[DatapumpHook]:
    with hook_without_retries() as created:
        yield created


def export_set(
    hook: DatapumpHook,
    db: DatabaseHandle,
    template: str,
    *,
    job_name: str,
    parallel: int,
    reuse: bool = False,
) -> dict[str, bytes]:
    """A real export of HR into the set ``template``, one member per worker (``parallel``), each
    with the export's dump GUID and its file number: the members' bytes by name, in member order."""
    spec = JobSpec(
        "EXPORT", "SCHEMA", schemas=["HR"], dump_files=[template], parallel=parallel, reuse_dump_files=reuse
    )
    hook.submit(spec, job_name=job_name)
    db.advance(3600)
    names = hook.dump_file_members("DATA_PUMP_DIR", template)
    assert len(names) == parallel, names
    return {name: (db.directory_path() / name).read_bytes() for name in names}


def run_to_end(db: DatabaseHandle, hook: DatapumpHook, spec: JobSpec) -> Verdict:
    """Submit a job, let the emulated clock run it to its end, and say how it ended."""
    ref = hook.submit(spec)
    db.advance(3600)
    return hook.wait(ref, poll_interval=0).verdict
