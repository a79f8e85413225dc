"""DBMS_CLOUD in the emulator: present only where enabled, objects as files under buckets."""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle

URI = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/hr/one.dmp"
PUT = "BEGIN DBMS_CLOUD.PUT_OBJECT(:cred, :uri, 'DATA_PUMP_DIR', :name); END;"
GET = (
    "BEGIN DBMS_CLOUD.GET_OBJECT(credential_name => :cred, object_uri => :uri, "
    "directory_name => 'DATA_PUMP_DIR'); END;"
)


@pytest.fixture
def cloud(oracle: EmulatedOracle, dba: oracledb.Cursor) -> oracledb.Cursor:
    oracle.database("FREEPDB1").enable_package("DBMS_CLOUD")
    dba.execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('OCI_CRED', 'user', 'token'); END;")
    return dba


def test_the_package_is_unknown_until_the_database_has_it(dba: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        dba.execute(PUT, cred=None, uri=URI, name="x.dmp")
    assert "ORA-06550" in str(caught.value)
    assert "PLS-00201: identifier 'DBMS_CLOUD.PUT_OBJECT' must be declared" in str(caught.value)


def test_put_then_get_copies_bytes_through_a_bucket_folder(
    oracle: EmulatedOracle, cloud: oracledb.Cursor
) -> None:
    db = oracle.database("FREEPDB1")
    (db.directory_path() / "one.dmp").write_bytes(b"D" * 4096)
    cloud.execute(PUT, cred="OCI_CRED", uri=URI, name="one.dmp")
    assert (db.object_store / "dumps" / "hr" / "one.dmp").read_bytes() == b"D" * 4096
    (db.directory_path() / "one.dmp").unlink()
    cloud.execute(GET, cred="oci_cred", uri=URI)  # file_name defaults to the URI's last part
    assert (db.directory_path() / "one.dmp").read_bytes() == b"D" * 4096
    meta = cloud.var(oracledb.DB_TYPE_CLOB)
    cloud.execute("BEGIN :m := DBMS_CLOUD.GET_METADATA('OCI_CRED', :uri); END;", m=meta, uri=URI)
    assert json.loads(meta.getvalue().read())["Content-Length"] == 4096


def test_s3_uris_name_their_bucket_in_the_host(oracle: EmulatedOracle, cloud: oracledb.Cursor) -> None:
    db = oracle.database("FREEPDB1")
    (db.directory_path() / "two.dmp").write_bytes(b"x" * 512)
    cloud.execute(
        PUT, cred=None, uri="https://my-bucket.s3.us-east-1.amazonaws.com/a/two.dmp", name="two.dmp"
    )
    assert (db.object_store / "my-bucket" / "a" / "two.dmp").stat().st_size == 512


def test_missing_objects_and_credentials_are_errors(cloud: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-20404: Object not found"):
        cloud.execute(GET, cred="OCI_CRED", uri=URI.replace("one", "none"))
    with pytest.raises(oracledb.DatabaseError, match="Credential NOPE does not exist"):
        cloud.execute(GET, cred="NOPE", uri=URI)
    with pytest.raises(oracledb.DatabaseError, match="Invalid object URI"):
        cloud.execute(GET, cred="OCI_CRED", uri="ftp://somewhere/x")


def test_enabling_an_unknown_package_names_the_choices(oracle: EmulatedOracle) -> None:
    with pytest.raises(ValueError, match="DBMS_CLOUD"):
        oracle.database("FREEPDB1").enable_package("DBMS_NOTHING")


LIST = "SELECT object_name, bytes, last_modified FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(:cred, :location))"
FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/"


def test_list_objects_names_every_object_under_a_location_with_its_size(
    oracle: EmulatedOracle, cloud: oracledb.Cursor
) -> None:
    """Names are relative to the location, objects in deeper folders included; one query."""
    bucket = oracle.database("FREEPDB1").object_store / "dumps"
    for key, size in {"hr/one.dmp": 10, "hr/two.dmp": 0, "hr/old/three.dmp": 7, "hrx.dmp": 3}.items():
        (bucket / key).parent.mkdir(parents=True, exist_ok=True)
        (bucket / key).write_bytes(b"x" * size)
    rows = cloud.execute(LIST, cred="OCI_CRED", location=FOLDER + "hr/").fetchall()
    assert [(name, size) for name, size, _ in rows] == [("old/three.dmp", 7), ("one.dmp", 10), ("two.dmp", 0)]
    assert all(modified is not None for _, _, modified in rows)
    named = cloud.execute(
        "SELECT object_name FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(credential_name => :cred, "
        "location_uri => :location))",
        cred="OCI_CRED",
        location=FOLDER,
    ).fetchall()
    assert [name for (name,) in named] == ["hr/old/three.dmp", "hr/one.dmp", "hr/two.dmp", "hrx.dmp"]
    assert cloud.execute(LIST, cred="OCI_CRED", location=FOLDER + "none/").fetchall() == []


def test_list_objects_refuses_a_missing_bucket_an_unknown_credential_and_a_bad_uri(
    cloud: oracledb.Cursor,
) -> None:
    missing = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/nobucket/o/"
    with pytest.raises(oracledb.DatabaseError, match="ORA-20404"):
        cloud.execute(LIST, cred="OCI_CRED", location=missing).fetchall()
    with pytest.raises(oracledb.DatabaseError, match="Credential NOPE does not exist"):
        cloud.execute(LIST, cred="NOPE", location=FOLDER).fetchall()
    with pytest.raises(oracledb.DatabaseError, match="Invalid object URI"):
        cloud.execute(LIST, cred="OCI_CRED", location="ftp://somewhere/x").fetchall()


def test_list_objects_gives_last_modified_in_utc_whatever_the_hosts_zone(
    oracle: EmulatedOracle, cloud: oracledb.Cursor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LAST_MODIFIED is a TIMESTAMP WITH TIME ZONE: the file's time with its zone, not the
    host's local time without one."""
    bucket = oracle.database("FREEPDB1").object_store / "dumps"
    bucket.mkdir(parents=True, exist_ok=True)
    (bucket / "one.dmp").write_bytes(b"x")
    os.utime(bucket / "one.dmp", (1_700_000_000, 1_700_000_000))
    monkeypatch.setenv("TZ", "Asia/Kathmandu")  # +05:45: no whole-hour coincidence
    time.tzset()
    try:
        rows = cloud.execute(LIST, cred="OCI_CRED", location=FOLDER).fetchall()
        assert [modified for _, _, modified in rows] == [dt.datetime(2023, 11, 14, 22, 13, 20)]
    finally:
        monkeypatch.undo()
        time.tzset()
