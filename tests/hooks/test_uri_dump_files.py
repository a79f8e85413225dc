"""Data Pump's own object storage dump files (issue 14 §3): ADD_FILE with
KU$_FILE_TYPE_URIDUMP_FILE, the URI as the file name and the DBMS_CLOUD credential where the
directory would go; expdp/impdp's CREDENTIAL with DUMPFILE=https://... On the emulator the
members are objects in the store DBMS_CLOUD reads, so GET_OBJECT fetches what the export wrote.
"""

from __future__ import annotations

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.status import Verdict
from airflow_datapump.exceptions import DatapumpError, SpecError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from tests.hooks.conftest import run_to_end

FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/uri"


def test_an_export_writes_objects_and_the_import_reads_them(
    cloud_db: DatabaseHandle, hook: DatapumpHook
) -> None:
    export = JobSpec.from_expdp(f"SCHEMAS=HR CREDENTIAL=OCI_CRED DUMPFILE={FOLDER}/hr%U.dmp PARALLEL=2")
    assert export.dump_locations() == ()
    assert export.dump_uris == (f"{FOLDER}/hr%U.dmp",)
    assert run_to_end(cloud_db, hook, export) is Verdict.SUCCEEDED
    bucket = cloud_db.object_store / "dumps" / "uri"
    members = sorted(p.name for p in bucket.iterdir())
    assert members
    assert all(name.startswith("hr") and name.endswith(".dmp") for name in members)
    assert not list(cloud_db.directory_path().glob("hr*.dmp"))  # nothing in the directory
    # DBMS_CLOUD sees the members as objects: GET_OBJECT brings one into the directory.
    cloud_db.execute(
        f"BEGIN DBMS_CLOUD.GET_OBJECT('OCI_CRED', '{FOLDER}/{members[0]}', 'DATA_PUMP_DIR'); END;"
    )
    assert (cloud_db.directory_path() / members[0]).read_bytes() == (bucket / members[0]).read_bytes()
    cloud_db.create_user("HR2", "hr2")
    imported = JobSpec.from_impdp(
        f"SCHEMAS=HR REMAP_SCHEMA=HR:HR2 CREDENTIAL=OCI_CRED DUMPFILE={FOLDER}/hr%U.dmp"
    )
    assert run_to_end(cloud_db, hook, imported) is Verdict.SUCCEEDED
    assert cloud_db.rows("HR2", "EMPLOYEES") == cloud_db.rows("HR", "EMPLOYEES")


def test_an_unknown_credential_is_refused_when_the_file_is_added(
    cloud_db: DatabaseHandle, hook: DatapumpHook
) -> None:
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], credential="NO_SUCH", dump_files=[f"{FOLDER}/x.dmp"])
    with pytest.raises(DatapumpError, match="Credential NO_SUCH does not exist"):
        hook.submit(spec)
    assert not (cloud_db.object_store / "dumps" / "uri").exists()


def test_a_database_without_dbms_cloud_refuses_the_uri_filetype(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], credential="OCI_CRED", dump_files=[f"{FOLDER}/x.dmp"])
    with pytest.raises(DatapumpError, match="ORA-39001"):
        hook.submit(spec)


def test_the_spec_checks_uris_and_credential_before_any_call() -> None:
    ok = JobSpec.from_impdp(f"CREDENTIAL=oci_cred DUMPFILE={FOLDER}/a%U.dmp,{FOLDER}/b.dmp SCHEMAS=HR")
    assert ok.credential == "OCI_CRED"
    assert ok.to_expdp() == (
        "impdp SCHEMAS=HR DIRECTORY=DATA_PUMP_DIR CREDENTIAL=OCI_CRED "
        f"DUMPFILE={FOLDER}/a%U.dmp,{FOLDER}/b.dmp"
    )
    assert JobSpec.from_impdp(ok.to_expdp()) == ok
    assert JobSpec.from_json(ok.to_json()) == ok
    cases = {
        "credential": {"dump_files": [f"{FOLDER}/a.dmp"]},
        "dump_files": {"credential": "C", "dump_files": [f"{FOLDER}/a.dmp", "local.dmp"]},
        "dump_files[0]": {"credential": "C", "dump_files": [f"{FOLDER}/a.dmp?x=1"]},
        "delete_dump_files": {
            "credential": "C",
            "dump_files": [f"{FOLDER}/a.dmp"],
            "delete_dump_files": True,
        },
    }
    for field, kwargs in cases.items():
        with pytest.raises(SpecError) as raised:
            JobSpec("IMPORT", "SCHEMA", **kwargs)  # type: ignore[arg-type]
        assert raised.value.field == field
    with pytest.raises(SpecError, match="only in the object name"):
        JobSpec("IMPORT", "SCHEMA", credential="C", dump_files=[f"{FOLDER}%U/a.dmp"])
    with pytest.raises(SpecError) as bad_name:
        JobSpec("IMPORT", "SCHEMA", credential="bad name", dump_files=[f"{FOLDER}/a.dmp"])
    assert bad_name.value.field == "credential"


def test_a_par_token_never_reaches_an_error_or_the_job_reference(
    cloud_db: DatabaseHandle, hook: DatapumpHook
) -> None:
    token = "Zq9Xw2Lk7Rt4Vb8Nm3Hs6Jd1Fg5Pc0Ay"
    par = f"https://objectstorage.eu-frankfurt-1.oraclecloud.com/p/{token}/n/acme/b/dumps/o/par"
    with pytest.raises(SpecError) as raised:
        JobSpec("IMPORT", "SCHEMA", credential="OCI_CRED", dump_files=[f"{par}/"])
    assert token not in str(raised.value)
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], credential="OCI_CRED", dump_files=[f"{par}/hr.dmp"])
    ref = hook.submit(spec)
    assert token not in str(ref.to_dict())
    assert "/p/***/n/acme" in ref.dump_files[0]
    assert ref.dump_locations() == ()
    cloud_db.advance(3600)
    assert hook.wait(ref, poll_interval=0).verdict is Verdict.SUCCEEDED
    assert (cloud_db.object_store / "dumps" / "par" / "hr.dmp").is_file()
