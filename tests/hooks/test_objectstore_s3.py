"""Dump file sets to and from ``s3://`` against a local S3 server the test starts (issue 14 §2).

moto's server mode speaks the S3 API over HTTP on 127.0.0.1 (an ephemeral port); the
``aws_default`` connection points Airflow's S3 filesystem at it, so the code under test goes
through s3fs and botocore unchanged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from airflow_datapump.core.transfer import MIN_CHUNK_BYTES
from airflow_datapump.exceptions import TransferError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle

moto_server = pytest.importorskip("moto.server", reason="the tests extra installs moto[server]")
pytest.importorskip("airflow.providers.amazon", reason="s3:// paths need apache-airflow-providers-amazon")

BUCKET = "dumps"


@pytest.fixture(scope="module")
def s3() -> Iterator[object]:
    """A local S3 server with one bucket, and the connection that reaches it.

    One server for the module: Airflow caches a connection's filesystem, endpoint included.
    """
    import boto3

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    extra = {"endpoint_url": endpoint, "region_name": "us-east-1"}
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                patch.setenv(name, "testing")
            patch.setenv(
                "AIRFLOW_CONN_AWS_DEFAULT",
                json.dumps({"conn_type": "aws", "login": "testing", "password": "testing", "extra": extra}),
            )
            client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
            client.create_bucket(Bucket=BUCKET)
            yield client
    finally:
        server.stop()


def test_a_set_goes_to_s3_and_back_byte_for_byte(hook: DatapumpHook, db: DatabaseHandle, s3: object) -> None:
    folder = db.directory_path()
    files = {"hr_01.dmp": os.urandom(MIN_CHUNK_BYTES + 4321), "hr_02.dmp": os.urandom(999)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    location = f"s3://aws_default@{BUCKET}/refresh/hr"
    up = hook.upload_dump_files("DATA_PUMP_DIR", ["hr_%U.dmp"], location, chunk_bytes=MIN_CHUNK_BYTES)
    assert [m.name for m in up] == ["hr_01.dmp", "hr_02.dmp"]
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="refresh/hr/")  # type: ignore[attr-defined]
    keys = sorted(o["Key"] for o in listed["Contents"])
    assert keys == ["refresh/hr/hr_01.dmp", "refresh/hr/hr_02.dmp", "refresh/hr/hr_XX.dmp.manifest.json"]
    body = s3.get_object(Bucket=BUCKET, Key="refresh/hr/hr_01.dmp")["Body"].read()  # type: ignore[attr-defined]
    assert body == files["hr_01.dmp"]
    for name in files:
        (folder / name).unlink()
    down = hook.download_dump_files(location, ["hr_%U.dmp"], "DATA_PUMP_DIR", chunk_bytes=MIN_CHUNK_BYTES)
    assert [m.sha256 for m in down] == [m.sha256 for m in up]
    for name, data in files.items():
        assert (folder / name).read_bytes() == data


def test_a_truncated_object_on_s3_is_refused(hook: DatapumpHook, db: DatabaseHandle, s3: object) -> None:
    (db.directory_path() / "one.dmp").write_bytes(os.urandom(4096))
    location = f"s3://aws_default@{BUCKET}/one"
    hook.upload_dump_files("DATA_PUMP_DIR", ["one.dmp"], location)
    s3.put_object(Bucket=BUCKET, Key="one/one.dmp", Body=b"short")  # type: ignore[attr-defined]
    (db.directory_path() / "one.dmp").unlink()
    with pytest.raises(TransferError, match="not the 4096 its manifest lists"):
        hook.download_dump_files(location, ["one.dmp"], "DATA_PUMP_DIR")
    assert [p.name for p in db.directory_path().glob("one.dmp*")] == ["one.dmp.manifest.json"]  # incomplete
