"""A URI dump file in a job's status and log, and its pre-authenticated request token.

The job status's file list (ku$_DumpFile) shows an export's object storage member as its URI
with device KU$_DUMPFILE_TYPE_URIDISK (4), and the log's dump file set lists the URIs, so a
pre-authenticated request's token reaches the database's answers. The provider never passes
it on: the status lines it streams (sync wait and trigger), the events, the error lines and
the logs it reads show ``/p/***/``.
"""

from __future__ import annotations

import oracledb

from airflow_datapump import JobSpec
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from airflow_datapump.triggers.datapump import JobTrigger
from tests.hooks.conftest import PASSWORD
from tests.triggers.test_job_trigger import _Shown, first_event

TOKEN = "Pq4Rs7Tu1Vw9Xy3Za6Bc8De2Fg5Hj0Km"
PAR = f"https://objectstorage.eu-frankfurt-1.oraclecloud.com/p/{TOKEN}/n/acme/b/dumps/o/par"
FILES = """
DECLARE
  h  NUMBER := DBMS_DATAPUMP.ATTACH(:job, 'SYSTEM');
  st ku$_Status;
  js VARCHAR2(30);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :name := st.job_status.files(1).file_name;
  :device := st.job_status.files(1).file_type;
  DBMS_DATAPUMP.DETACH(h);
END;"""


def _export(name: str) -> JobSpec:
    return JobSpec(
        "EXPORT",
        "SCHEMA",
        schemas=["HR"],
        credential="OCI_CRED",
        dump_files=[f"{PAR}/{name}%U.dmp"],
        job_name=name,
    )


def test_the_status_shows_a_uri_member_as_its_uri_with_the_uri_device(
    oracle: EmulatedOracle, cloud_db: DatabaseHandle, hook: DatapumpHook
) -> None:
    cloud_db.set_job_rate(16)
    hook.submit(_export("PARSTAT"))
    with oracledb.connect(user="system", password=PASSWORD, dsn=oracle.dsn("FREEPDB1")) as conn:
        cur = conn.cursor()
        name, device = cur.var(str, 4000), cur.var(int)
        cur.execute(FILES, job="PARSTAT", name=name, device=device)
    assert (name.getvalue(), device.getvalue()) == (f"{PAR}/PARSTAT01.dmp", 4)


def _no_token(where: str, text: str) -> None:
    assert TOKEN not in text, f"the PAR token is in the {where}"


def test_the_token_reaches_no_status_line_event_or_log_read(
    cloud_db: DatabaseHandle, hook: DatapumpHook
) -> None:
    job = hook.submit(_export("PARLOG"))
    cloud_db.advance(3600)
    raw = (cloud_db.directory_path() / str(job.log_file)).read_text()
    assert f"/p/{TOKEN}/" in raw  # the database's log does show it: the provider must not
    streamed: list[str] = []
    result = hook.wait(job, poll_interval=0, on_status=lambda status: streamed.extend(status.log_lines))
    shown = "\n".join([*streamed, *result.log_lines, *result.error_lines])
    assert "/p/***/n/acme" in shown
    _no_token("status lines", shown)
    _no_token("whole log read", hook.read_log(job))
    _no_token("log tail", hook.read_log(job, tail_lines=5))
    assert "/p/***/n/acme" in hook.read_log(job, tail_lines=5)
    second = hook.submit(_export("PARTRIG"))
    cloud_db.set_clock("wall")
    cloud_db.set_job_rate(100_000_000)
    trigger_log = _Shown()
    trigger = trigger_log.watch(
        JobTrigger(oracle_conn_id="oracle_default", job=second.to_dict(), poll_interval=0.01)
    )
    event = first_event(trigger)
    assert event["status"] == "success"
    _no_token("trigger event", repr(event))
    _no_token("trigger's log", "\n".join(trigger_log.lines))
    assert any("/p/***/n/acme" in line for line in trigger_log.lines)  # streamed, redacted
