"""The Data Pump page's API inside Airflow's api-server (issue: UI), on the emulator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.logtail import HEAD_BYTES
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.hooks.files import FilesMixin
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.ui import views
from tests.ui.conftest import CONN_ID, PASSWORD

JOBS = f"/datapump/api/connections/{CONN_ID}/jobs"
POST_HEADERS = {"X-Datapump-Request": "1"}


def _start(db: DatabaseHandle, name: str = "EXP_UI") -> Any:
    hook = DatapumpHook(oracle_conn_id=CONN_ID, retry=RetryPolicy(initial=0))
    try:
        return hook.submit(
            JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[f"{name.lower()}_%U.dmp"], job_name=name),
            run=RunStamp("refresh", "export_hr", "manual__2026-12-01"),
            try_number=1,
        )
    finally:
        hook.close()


def test_an_anonymous_request_is_refused(api: Any) -> None:
    api.login(None)
    assert api.get(JOBS).status_code == 401
    assert api.post(f"{JOBS}/SYSTEM/EXP_UI/stop", headers=POST_HEADERS).status_code == 401


def test_a_viewer_can_neither_read_nor_stop(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    api.login("viewer")
    assert api.get(JOBS).status_code == 403
    refused = api.post(f"{JOBS}/SYSTEM/EXP_UI/stop", headers=POST_HEADERS)
    assert refused.status_code == 403
    assert [j["state"] for j in db.jobs()] == ["EXECUTING"]


def test_the_page_lists_jobs_with_progress_and_never_the_password(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    db.advance(1)
    api.login("op")
    listed = api.get(JOBS)
    assert listed.status_code == 200
    (job,) = listed.json()["jobs"]
    assert (job["owner"], job["job_name"], job["operation"], job["state"]) == (
        "SYSTEM",
        "EXP_UI",
        "EXPORT",
        "EXECUTING",
    )
    assert job["percent_done"] is not None
    assert job["can_stop"] is True
    connections = api.get("/datapump/api/connections")
    assert connections.json()["connections"] == [CONN_ID]
    assert PASSWORD not in listed.text + connections.text


def test_a_job_shows_its_status_log_and_the_run_that_started_it(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    db.advance(1)
    api.login("admin")
    detail = api.get(f"{JOBS}/SYSTEM/EXP_UI").json()
    assert detail["state"] == "EXECUTING"
    assert detail["started_by"] == {
        "dag": "refresh",
        "task": "export_hr",
        "run": "manual__2026-12-01",
        "map_index": -1,
        "try": 1,
        "at": detail["started_by"]["at"],
    }
    assert dt.datetime.strptime(detail["started_by"]["at"], "%Y-%m-%dT%H:%M:%SZ")
    listed = api.get(JOBS).json()["jobs"][0]
    assert detail["started"] == listed["started"] is not None  # the master table's creation
    assert "DBA_OBJECTS" in detail["started_source"]
    log = api.get(f"{JOBS}/SYSTEM/EXP_UI/log", params={"lines": 2}).json()
    assert len(log["lines"]) == 2
    assert 0 < log["first"] < log["end"] == log["length"]
    earlier = api.get(f"{JOBS}/SYSTEM/EXP_UI/log", params={"lines": 2, "before": log["first"]}).json()
    assert earlier["lines"]
    assert earlier["first"] < log["first"]


def test_a_finished_job_shows_how_its_log_says_it_ended(api: Any, db: DatabaseHandle) -> None:
    """A finished job has left the dictionary, so its status has no state of its own (the
    page showed "UNDEFINED" and no errors for an import that completed with errors)."""
    db.next_job_completes_with_errors([['ORA-31693: Table data object "HR"."EMPLOYEES" failed']])
    _start(db)
    db.advance(3600)
    api.login("admin")
    detail = api.get(f"{JOBS}/SYSTEM/EXP_UI").json()
    assert detail["ended"].startswith('Job "SYSTEM"."EXP_UI" completed with 1 error(s)')
    running = _start(db, "EXP_UI2")
    assert api.get(f"{JOBS}/SYSTEM/{running.job_name}").json()["ended"] is None


def test_stop_keeps_the_job_restartable_then_restart_resumes_it(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    api.login("op")
    stopped = api.post(f"{JOBS}/SYSTEM/EXP_UI/stop", headers=POST_HEADERS)
    assert stopped.status_code == 200, stopped.text
    assert [j["state"] for j in db.jobs()] == ["NOT RUNNING"]
    restarted = api.post(f"{JOBS}/SYSTEM/EXP_UI/restart", headers=POST_HEADERS)
    assert restarted.status_code == 200, restarted.text
    assert restarted.json()["state"] == "EXECUTING"


def test_kill_drops_the_job(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    api.login("admin")
    killed = api.post(f"{JOBS}/SYSTEM/EXP_UI/kill", headers=POST_HEADERS)
    assert killed.json() == {"owner": "SYSTEM", "job_name": "EXP_UI", "killed": True}
    assert db.jobs() == []


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing the X-Datapump-Request header"),
        ({**POST_HEADERS, "Origin": "http://evil.example"}, "cross-origin request refused"),
    ],
)
def test_a_cross_site_post_is_refused(
    api: Any, db: DatabaseHandle, headers: dict[str, str], reason: str
) -> None:
    _start(db)
    api.login("admin")
    refused = api.post(f"{JOBS}/SYSTEM/EXP_UI/kill", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["detail"] == reason
    assert [j["state"] for j in db.jobs()] == ["EXECUTING"]


def test_orphans_are_listed_by_a_dry_run_and_dropped_on_request(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    api.login("admin")
    api.post(f"{JOBS}/SYSTEM/EXP_UI/stop", headers=POST_HEADERS)
    orphans = f"/datapump/api/connections/{CONN_ID}/orphans"
    just_stopped = api.get(orphans, params={"idle_minutes": 60}).json()
    assert just_stopped["orphans"] == []  # stopped on purpose a moment ago: left alone, and said why
    assert [(s["job_name"], bool(s["reason"])) for s in just_stopped["skipped"]] == [("EXP_UI", True)]
    db.advance(2 * 3600)
    dry = api.get(orphans, params={"idle_minutes": 60}).json()
    assert dry["dry_run"] is True
    assert [o["job_name"] for o in dry["orphans"]] == ["EXP_UI"]
    assert [j["state"] for j in db.jobs()] == ["NOT RUNNING"]
    done = api.post(f"{orphans}/cleanup", params={"idle_minutes": 60}, headers=POST_HEADERS).json()
    assert done["dropped"] == ["SYSTEM.EXP_UI"]
    assert db.jobs() == []


def test_bad_names_are_refused_before_the_database(api: Any, db: DatabaseHandle) -> None:
    api.login("admin")
    db.reset_counters()
    answer = api.get(f'{JOBS}/SYSTEM/BAD"NAME')
    assert answer.status_code == 422
    assert "job_name" in answer.json()["detail"]
    assert db.counters().get("round_trips", 0) == 0


def test_the_page_is_served_with_a_strict_content_security_policy(api: Any) -> None:
    api.login(None)  # the shell holds no data; its API calls are what need a user
    page = api.get("/datapump/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "innerHTML" not in api.get("/datapump/static/app.js").text


def test_the_jobs_list_says_when_each_job_started(api: Any, db: DatabaseHandle) -> None:
    _start(db)
    api.login("op")
    (job,) = api.get(JOBS).json()["jobs"]
    (created,) = db.execute(
        "SELECT created FROM dba_objects WHERE object_name = 'EXP_UI' AND object_type = 'TABLE'"
    )
    assert job["started"] == created[0].isoformat(sep=" ", timespec="seconds")
    assert job["started_source"] == views.STARTED_SOURCE


def test_a_page_of_a_50000_line_log_reads_a_bounded_part_of_it(
    api: Any, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page refreshes its tail every few seconds: each read is bounded, not the whole log."""
    _start(db)
    log = db.directory_path() / "big_ui.log"
    log.write_text("".join(f"Processing object {n:05d} of 50000\n" for n in range(50_000)))
    read: list[int] = []
    whole = FilesMixin.read_range

    def counted(hook: Any, *args: Any) -> str:
        text = whole(hook, *args)
        read.append(len(text.encode()))
        return text

    monkeypatch.setattr(FilesMixin, "read_range", counted)
    api.login("op")
    where = {"log_file": "big_ui.log", "lines": 200}
    page = api.get(f"{JOBS}/SYSTEM/EXP_UI/log", params=where).json()
    assert page["lines"][-1] == "Processing object 49999 of 50000"
    assert len(page["lines"]) == 200
    assert sum(read) == page["bytes_read"] <= 64 * 1024 < log.stat().st_size // 20
    earlier = api.get(f"{JOBS}/SYSTEM/EXP_UI/log", params={**where, "before": page["first"]}).json()
    assert earlier["lines"][-1] == "Processing object 49799 of 50000"
    assert sum(read) <= 2 * 64 * 1024
    read.clear()
    api.get(f"{JOBS}/SYSTEM/EXP_UI", params={"log_file": "big_ui.log"})
    assert sum(read) <= HEAD_BYTES  # the job view reads only the log's head, for the run stamp
