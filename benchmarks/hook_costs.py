"""What DatapumpHook costs, counted by the emulator: round trips and sessions, not seconds.

    python benchmarks/hook_costs.py

prints a Markdown table. Targets: 1 round trip per submit whatever the spec holds, 1 per
status poll, at most 1 per MB of log read, and no new session per poll after warm-up.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from functools import partial

from _home import airflow_home

os.environ["AIRFLOW_HOME"] = airflow_home()
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

from airflow_datapump import JobSpec
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, emulated_oracle


@dataclass(frozen=True)
class Measure:
    what: str
    value: float
    target: str


def _round_trips(db: DatabaseHandle, action: object) -> int:
    db.reset_counters()
    action()  # type: ignore[operator]
    return db.counters().get("round_trips", 0)


def _spec(size: int) -> JobSpec:
    return JobSpec(
        "EXPORT",
        "SCHEMA",
        schemas=["HR"],
        dump_files=[f"b{size}_f{i}_%U.dmp" for i in range(size)],  # each job's own: created at start
        parallel=max(1, size),
        exclude=[f"INDEX:LIKE 'X{i}%'" for i in range(size)],
        parameters={"METRICS": 1, "LOGTIME": "ALL", "COMPRESSION": "ALL"} if size else {},
        job_name=f"BENCH_{size}",
    )


def measure() -> list[Measure]:
    results: list[Measure] = []
    with emulated_oracle() as oracle:
        os.environ["AIRFLOW_CONN_BENCH"] = oracle.connection_uri("BENCH")
        db = oracle.database("BENCH")
        db.load_sample_hr()
        hook = DatapumpHook(oracle_conn_id="bench")
        hook.session()
        for size in (0, 1, 5, 20):
            trips = _round_trips(db, lambda size=size: hook.submit(_spec(size)))
            results.append(Measure(f"round trips per submit, {size} files/filters", trips, "1"))
        ref = hook.submit(JobSpec("EXPORT", "SCHEMA", dump_files=["s.dmp"], job_name="POLLED"))
        results.append(
            Measure("round trips per status poll", _round_trips(db, lambda: hook.status(ref)), "1")
        )
        megabytes = 6
        (db.directory_path() / "big.log").write_text(("x" * 1023 + "\n") * 1024 * megabytes)
        trips = _round_trips(db, lambda: hook.read_file("DATA_PUMP_DIR", "big.log"))
        results.append(Measure("round trips per MB of log read", trips / megabytes, "<= 1"))
        results.append(
            Measure("sessions opened per async poll after warm-up", _async_sessions(db, hook, ref), "0")
        )
        results += _rds_downloads(db, hook)
        results += _cloud_downloads(db, hook)
        hook.close()
    return results


def _rds_downloads(db: DatabaseHandle, hook: DatapumpHook) -> list[Measure]:
    """An RDS S3 download of sets the hook uploaded (with their manifests): per member, the
    task's start, one read of its log, and the header read that proves its dump GUID. The
    uploads themselves: per member the probe that finds it and the header read that checks it,
    the task's start and one read of its log; its size comes from the directory's one listing."""
    db.enable_package("RDSADMIN")
    (db.object_store / "bench").mkdir(parents=True)
    folder = db.directory_path()
    trips: dict[int, int] = {}
    sent: dict[int, int] = {}
    for count in (1, 2, 4, 8):
        names = [f"rds{count}_{n:02d}.dmp" for n in range(1, count + 1)]
        for name in names:
            (folder / name).write_bytes(os.urandom(4096))
        upload = partial(hook.rds_upload_dump_files, "DATA_PUMP_DIR", [f"rds{count}_%U.dmp"], "bench")
        sent[count] = _round_trips(db, partial(upload, poll_interval=0))
        for name in names:
            (folder / name).unlink()
        download = partial(hook.rds_download_dump_files, "bench", [f"rds{count}_%U.dmp"], "DATA_PUMP_DIR")
        trips[count] = _round_trips(db, partial(download, poll_interval=0))
    results = [
        Measure(f"round trips per RDS download, {n} members", t, "3 per member") for n, t in trips.items()
    ]
    per_member = (trips[8] - trips[2]) / 6
    results.append(Measure("round trips per member of an RDS download", per_member, "3"))
    uploaded = (sent[8] - sent[2]) / 6
    return [*results, Measure("round trips per member of an RDS upload", uploaded, "<= 5")]


def _cloud_downloads(db: DatabaseHandle, hook: DatapumpHook) -> list[Measure]:
    """DBMS_CLOUD moves of real exports of 1, 2, 4 and 8 members (PARALLEL makes one file per
    worker, each with the export's GUID and its own file number).

    A download of a set the hook uploaded (its manifest records the GUID and file numbers) into
    a directory holding none of its members: one listing finds the members and their sizes;
    then per member the look for a copy to keep and for an old ``.part``, its GET_OBJECT, the
    checks of its size and its dump header, and its rename. An upload again of a set the bucket
    already holds whole: per member the probe that finds it, the header read that proves it
    (source checks), and its size; the bucket's listing says the rest, and a kept member's
    manifest entry is not rewritten.
    """
    db.enable_package("DBMS_CLOUD")
    db.execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('BENCH_CRED', 'user', 'token'); END;")
    folder, uri = db.directory_path(), "https://objectstorage.example.com/n/acme/b/bench/o/cloud"
    downloads: dict[int, int] = {}
    uploads: dict[int, int] = {}
    for count in (1, 2, 4, 8):
        template = [f"cloud{count}_%U.dmp"]
        spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=template, parallel=count)
        hook.submit(spec, job_name=f"CLOUD{count}")
        db.advance(3600)
        names = hook.dump_file_members("DATA_PUMP_DIR", template[0])
        assert len(names) == count, names  # a real set of ``count`` members
        upload = partial(hook.cloud_upload_dump_files, "DATA_PUMP_DIR", template, uri)
        upload(credential_name="BENCH_CRED")
        uploads[count] = _round_trips(db, partial(upload, credential_name="BENCH_CRED"))
        for name in names:
            (folder / name).unlink()
        download = partial(hook.cloud_download_dump_files, uri, template, "DATA_PUMP_DIR")
        downloads[count] = _round_trips(db, partial(download, credential_name="BENCH_CRED"))
    results = [
        Measure(f"round trips per DBMS_CLOUD download, {n} members", t, "6 per member")
        for n, t in downloads.items()
    ]
    results += [
        Measure(f"round trips per DBMS_CLOUD upload again, all {n} members kept", t, "3 per member")
        for n, t in uploads.items()
    ]
    return [
        *results,
        Measure("round trips per member of a DBMS_CLOUD download", (downloads[8] - downloads[2]) / 6, "6"),
        Measure("round trips per kept member of a DBMS_CLOUD upload", (uploads[8] - uploads[2]) / 6, "3"),
    ]


def _async_sessions(db: DatabaseHandle, hook: DatapumpHook, ref: object) -> float:
    async def polls() -> float:
        await hook.async_status(ref)  # type: ignore[arg-type]
        before = db.counters()["sessions_opened"]
        for _ in range(10):
            await hook.async_status(ref)  # type: ignore[arg-type]
        opened = db.counters()["sessions_opened"] - before
        await _pool.close_pools()
        return opened / 10

    return asyncio.run(polls())


def table(results: list[Measure]) -> str:
    rows = ["| measure | value | target |", "|---|---|---|"]
    rows += [f"| {m.what} | {m.value:g} | {m.target} |" for m in results]
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(measure()))
