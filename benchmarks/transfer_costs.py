"""What streaming a dump file through the worker costs: round trips per MB, peak memory, rate.

    python benchmarks/transfer_costs.py [megabytes]      # default 200

uploads one file of that size from an emulated database to ``file://`` and to ``s3://`` (a
local moto server, when moto and the Amazon provider are installed), downloads it back, and
prints a Markdown table. Round trips are counted by the emulator; peak memory is Python's
(tracemalloc) during each copy; rates are wall-clock and only mean something as ratios to
the plain file copy measured in the same run. Targets: at least 1 MB per round trip and a
peak of a few chunks, not the file's size.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _home import airflow_home

os.environ["AIRFLOW_HOME"] = airflow_home()
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

from airflow_datapump.core.transfer import DEFAULT_CHUNK_BYTES
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import ADMIN_PASSWORD, DatabaseHandle, EmulatedOracle

MB = 1024 * 1024


@dataclass(frozen=True)
class Measure:
    what: str
    value: float
    target: str


def _run(db: DatabaseHandle, action: Callable[[], Any]) -> tuple[int, int, float]:
    """Round trips, peak traced bytes and seconds of one copy."""
    db.reset_counters()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        action()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return db.counters().get("round_trips", 0), peak, seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _s3_location() -> Iterator[str | None]:
    """An s3:// folder on a local moto server, or None when the packages are missing.

    The server runs in its own process, so the peak memory measured is the worker's alone.
    """
    try:
        import boto3
        import moto.server  # noqa: F401
    except ImportError:
        yield None
        return
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    _wait_for(endpoint)
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})
    extra = {"endpoint_url": endpoint, "region_name": "us-east-1"}
    os.environ["AIRFLOW_CONN_BENCH_S3"] = json.dumps(
        {"conn_type": "aws", "login": "bench", "password": "bench", "extra": extra}
    )
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="bench")
    try:
        yield "s3://bench_s3@bench/dumps"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(endpoint: str) -> None:
    import urllib.request

    for _ in range(200):
        try:
            urllib.request.urlopen(endpoint, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the local S3 server at {endpoint} did not start")


def _measure_one(
    db: DatabaseHandle, hook: DatapumpHook, store: str, location: str, megabytes: int
) -> list[Measure]:
    folder = db.directory_path()
    results = []
    (folder / "warm.dmp").write_bytes(b"x")  # imports and the filesystem's set-up, not measured
    hook.upload_dump_files("DATA_PUMP_DIR", ["warm.dmp"], location)
    up = _run(db, lambda: hook.upload_dump_files("DATA_PUMP_DIR", ["big.dmp"], location))
    (folder / "big.dmp").rename(folder / "big.orig")
    down = _run(db, lambda: hook.download_dump_files(location, ["big.dmp"], "DATA_PUMP_DIR"))
    assert (folder / "big.dmp").stat().st_size == megabytes * MB
    (folder / "big.dmp").unlink()
    (folder / "big.orig").rename(folder / "big.dmp")
    for way, (trips, peak, seconds) in (("upload", up), ("download", down)):
        results += [
            Measure(f"{store} {way}: MB per round trip", megabytes / max(trips, 1), ">= 1"),
            Measure(
                f"{store} {way}: peak MB in Python", peak / MB, f"a few chunks of {DEFAULT_CHUNK_BYTES // MB}"
            ),
            Measure(f"{store} {way}: MB/s (checksum read back included)", megabytes / seconds, "ratio"),
        ]
    return results


@contextmanager
def _server_process(state: Path) -> Iterator[str]:
    """The emulator's Oracle Net server in a process of its own, serving ``state``; yields
    its address. Apart, so the peak memory measured here is the worker's alone."""
    command = [sys.executable, "-m", "airflow_datapump.testing", "serve", "--port", "0", "--clock", "manual"]
    server = subprocess.Popen([*command, "--state", str(state)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()  # "Oracle Net server on HOST:PORT, state in ..."
        yield first.split(" on ", 1)[1].split(",", 1)[0]
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(megabytes: int = 200, *, s3: bool = True) -> list[Measure]:
    results: list[Measure] = []
    with tempfile.TemporaryDirectory() as scratch, _server_process(Path(scratch, "state")) as address:
        os.environ["AIRFLOW_CONN_BENCH"] = f"oracle://system:{ADMIN_PASSWORD}@{address}?service_name=BENCH"
        db = EmulatedOracle(Path(scratch, "state")).database("BENCH")
        source = db.directory_path() / "big.dmp"
        with source.open("wb") as out:
            for _ in range(megabytes):
                out.write(os.urandom(MB))
        started = time.perf_counter()
        shutil.copyfile(source, Path(scratch) / "plain.copy")
        results.append(
            Measure("plain file copy: MB/s (the baseline)", megabytes / (time.perf_counter() - started), "-")
        )
        hook = DatapumpHook(oracle_conn_id="bench")
        hook.session()
        results += _measure_one(db, hook, "file://", Path(scratch, "out").as_uri(), megabytes)
        if s3:
            with _s3_location() as location:
                if location is not None:
                    results += _measure_one(db, hook, "s3://", location, megabytes)
        hook.close()
    return results


def table(results: list[Measure]) -> str:
    rows = ["| measure | value | target |", "|---|---|---|"]
    rows += [f"| {m.what} | {m.value:.3g} | {m.target} |" for m in results]
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 200)))
