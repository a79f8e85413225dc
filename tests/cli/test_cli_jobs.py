"""The job commands on the emulator: export, import, status, log, jobs, stop, kill, restart, cleanup."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from airflow_datapump import cli
from airflow_datapump.testing import DatabaseHandle
from tests.cli.conftest import Result

Run = Callable[..., Result]
FAST = ("--wait", "--poll-interval", "0.05", "--no-progress")


def test_export_starts_a_job_and_returns_at_once(db: DatabaseHandle, run: Run) -> None:
    result = run("export", "SCHEMAS=HR", "DUMPFILE=hr_%U.dmp", "JOB_NAME=EXP_HR", "--output", "json")
    assert result.code == 0
    job = json.loads(result.out)
    assert (job["job_name"], job["owner"], job["dump_files"]) == ("EXP_HR", "SYSTEM", ["hr_%U.dmp"])
    assert [(j["name"], j["state"]) for j in db.jobs()] == [("EXP_HR", "EXECUTING")]


def test_export_wait_streams_the_log_and_shows_a_progress_bar(live_db: DatabaseHandle, run: Run) -> None:
    result = run(
        "export", "SCHEMAS=HR", "DUMPFILE=hr_%U.dmp", "JOB_NAME=EXP_HR", "--wait", "--poll-interval", "0.05"
    )
    assert result.code == 0
    assert 'Starting "SYSTEM"."EXP_HR":' in result.err
    assert '. . exported "HR"."EMPLOYEES"' in result.err
    assert "100%" in result.err  # the bar ends full
    assert result.out.strip().startswith('Job "SYSTEM"."EXP_HR" successfully completed')


def test_export_wait_json_is_the_whole_answer_on_stdout(live_db: DatabaseHandle, run: Run) -> None:
    result = run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", *FAST, "--output", "json")
    event = json.loads(result.out)
    assert (result.code, event["status"], event["rows"]["HR.EMPLOYEES"]) == (0, "success", 20)


def test_a_failed_job_exits_1(live_db: DatabaseHandle, run: Run) -> None:
    live_db.fail_next_job(lines=["ORA-39126: Worker unexpected fatal error"])
    result = run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", *FAST)
    assert result.code == 1
    assert "ORA-39126" in result.err


def test_completed_with_errors_exits_2_unless_the_errors_are_allowed(
    live_db: DatabaseHandle, run: Run
) -> None:
    errors = [['ORA-31693: Table data object "HR"."EMPLOYEES" failed to load/unload']]
    live_db.next_job_completes_with_errors(errors)
    assert run("export", "SCHEMAS=HR", "DUMPFILE=a.dmp", *FAST).code == 2
    live_db.next_job_completes_with_errors(errors)
    allowed = run("export", "SCHEMAS=HR", "DUMPFILE=b.dmp", *FAST, "--allowed-errors", "ORA-31693")
    assert allowed.code == 0


def test_import_with_impdp_parameters(live_db: DatabaseHandle, run: Run) -> None:
    assert run("export", "SCHEMAS=HR", "DUMPFILE=hr_%U.dmp", *FAST).code == 0
    result = run(
        "import", "DUMPFILE=hr_%U.dmp", "SCHEMAS=HR", "REMAP_SCHEMA=HR:HR2", *FAST, "--output", "json"
    )
    assert result.code == 0
    assert json.loads(result.out)["rows"]["HR2.EMPLOYEES"] == 20
    assert len(live_db.rows("HR2", "EMPLOYEES")) == 20


def test_parfile_and_command_line_parameters_combine(
    live_db: DatabaseHandle, run: Run, tmp_path: object
) -> None:
    from pathlib import Path

    parfile = Path(str(tmp_path)) / "hr.par"
    parfile.write_text("# nightly HR export\nSCHEMAS=HR\nEXCLUDE=STATISTICS\n")
    result = run("export", f"PARFILE={parfile}", "DUMPFILE=p.dmp", "JOB_NAME=EXP_PAR", *FAST)
    assert result.code == 0
    assert '"SYSTEM"."EXP_PAR" successfully completed' in result.out


def test_status_of_a_running_and_of_a_finished_job(db: DatabaseHandle, run: Run) -> None:
    run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_HR")
    running = run("status", "EXP_HR", "--output", "json")
    assert (running.code, json.loads(running.out)["state"]) == (0, "EXECUTING")
    assert run("status", "EXP_HR").out.startswith("SYSTEM.EXP_HR: EXECUTING")
    db.advance(3600)
    done = run("status", "EXP_HR")
    assert (done.code, "successfully completed" in done.out) == (0, True)


def test_status_of_a_gone_job_exits_as_its_log_ends(db: DatabaseHandle, run: Run) -> None:
    """No master table: the log tells a completed job from a failed one and from no job at all."""
    db.fail_next_job(lines=["ORA-39126: Worker unexpected fatal error"])
    run("export", "SCHEMAS=HR", "DUMPFILE=f.dmp", "JOB_NAME=EXP_FAIL")
    db.advance(3600)
    assert run("status", "EXP_FAIL").code == 0  # its master table stays: a state to show
    run("kill", "EXP_FAIL")  # the master table goes, the log stays
    db.advance(5)
    failed = run("status", "EXP_FAIL", "--output", "json")
    assert failed.code == 1
    assert json.loads(failed.out)["log_outcome"] in ("stopped due to fatal error", "stopped")
    never = run("status", "NEVER_RAN")
    assert (never.code, "not found" in never.out) == (1, True)
    errors = [['ORA-31693: Table data object "HR"."EMPLOYEES" failed to load/unload']]
    db.next_job_completes_with_errors(errors)
    run("export", "SCHEMAS=HR", "DUMPFILE=e.dmp", "JOB_NAME=EXP_ERR", "LOGFILE=err.log")
    db.advance(3600)
    assert run("status", "EXP_ERR").code == 1  # the default log name is not this job's log
    assert run("status", "EXP_ERR", "--log-file", "err.log").code == 2


def test_status_of_a_killed_job_says_stopped_under_either_reading(killed_job: str, run: Run) -> None:
    """A kill drops the master table as completion does; whether the log gets a final line is
    a [U] reading (docs/emulator.md KILL_FINAL_LINE). A log read without one is a kill, as the
    sensor and the wait judge it (core/waiting.py gone_verdict), never "finished"."""
    shown = run("status", killed_job)
    assert shown.code == cli.FAILED
    assert shown.out.startswith("SYSTEM.EXP_KILLED: stopped")
    assert "finished" not in shown.out
    assert "never started" not in shown.out
    as_json = json.loads(run("status", killed_job, "--output", "json").out)
    assert as_json["verdict"] == "stopped"


def test_log_prints_the_log_and_follows_it_to_the_end(live_db: DatabaseHandle, run: Run) -> None:
    live_db.set_job_rate(200_000)  # a second or so
    run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_LOG")
    result = run("log", "EXP_LOG", "--follow", "--poll-interval", "0.05")
    assert result.code == 0
    assert result.out.splitlines()[1] == 'Starting "SYSTEM"."EXP_LOG":'  # after the run stamp
    assert 'Job "SYSTEM"."EXP_LOG" successfully completed' in result.out
    assert result.out.count("Starting") == 1  # no line printed twice


def test_jobs_lists_jobs_with_a_master_table(db: DatabaseHandle, run: Run) -> None:
    assert run("jobs").out.strip() == "No Data Pump jobs."
    run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_HR")
    rows = json.loads(run("jobs", "--output", "json").out)
    assert [(r["owner"], r["job_name"], r["state"]) for r in rows] == [("SYSTEM", "EXP_HR", "EXECUTING")]
    assert "EXP_HR" in run("jobs").out


def test_stop_restart_and_kill(db: DatabaseHandle, run: Run) -> None:
    run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_HR")
    assert run("stop", "EXP_HR", "--immediate").code == 0
    db.advance(5)
    assert db.jobs()[0]["state"] == "NOT RUNNING"
    assert run("restart", "EXP_HR").code == 0
    assert db.jobs()[0]["state"] == "EXECUTING"
    assert run("kill", "EXP_HR").code == 0
    db.advance(5)
    assert db.jobs() == []
    gone = run("kill", "EXP_HR")
    assert (gone.code, "already finished" in gone.out) == (1, True)


def test_cleanup_lists_with_dry_run_and_then_drops_orphans(db: DatabaseHandle, run: Run) -> None:
    run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_ORPHAN")
    run("stop", "EXP_ORPHAN", "--immediate")
    db.advance(7200)
    dry = run("cleanup", "--dry-run", "--output", "json")
    assert [j["job_name"] for j in json.loads(dry.out)["jobs"]] == ["EXP_ORPHAN"]
    assert len(db.jobs()) == 1
    recent = run("cleanup", "--older-than", "86400", "--output", "json")
    assert [j["job_name"] for j in json.loads(recent.out)["skipped"]] == ["EXP_ORPHAN"]
    assert len(db.jobs()) == 1
    assert run("cleanup").code == 3  # dropping needs --older-than
    assert "Dropped SYSTEM.EXP_ORPHAN" in run("cleanup", "--older-than", "3600").out
    db.advance(5)
    assert db.jobs() == []


def test_the_encryption_password_prompt_is_answered_and_never_printed(
    live_db: DatabaseHandle, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "S3cret-Pw")
    encrypted = ("ENCRYPTION_MODE=PASSWORD", "ENCRYPTION_PWD_PROMPT=YES")
    result = run("export", "SCHEMAS=HR", "DUMPFILE=enc.dmp", *encrypted, *FAST, "--output", "json")
    assert result.code == 0
    assert "S3cret-Pw" not in result.out + result.err


@pytest.mark.parametrize("argv", [(), ("--older-than", "-60")])
def test_cleanup_names_the_older_than_option_before_connecting(
    db: DatabaseHandle, run: Run, argv: tuple[str, ...]
) -> None:
    before = db.counters().get("sessions_opened", 0)
    result = run("cleanup", *argv)
    assert result.code == 3
    assert "--older-than" in result.err
    assert "seconds" in result.err
    assert "older_than" not in result.err  # the hook's parameter name means nothing on a command line
    assert db.counters().get("sessions_opened", 0) == before
    assert run("jobs").code == 0
    assert db.counters()["sessions_opened"] > before  # the counter does see the CLI log on


def test_log_redacts_a_pre_authenticated_request_token(db: DatabaseHandle, run: Run) -> None:
    """A URI dump file's PAR token in the log stays out of the terminal, as out of task logs."""
    token = "Qx81secretPARtoken"
    uri = f"https://objectstorage.example.com/p/{token}/n/ns/b/dumps/o/hr_01.dmp"
    (db.directory_path() / "exp_par.log").write_text(f"Dump file set for SYSTEM.EXP_PAR is:\n  {uri}\n")
    result = run("log", "EXP_PAR", "--log-file", "exp_par.log")
    assert result.code == 0
    assert token not in result.out
    assert "/p/***/" in result.out


def test_the_progress_bar_of_a_job_that_completed_with_errors_does_not_say_succeeded(
    live_db: DatabaseHandle, run: Run
) -> None:
    """The bar's last word is what a DBA reads first; exit code 2 must not sit under "succeeded"."""
    live_db.next_job_completes_with_errors([['ORA-31693: Table data object "HR"."EMPLOYEES" failed']])
    result = run(
        "export", "SCHEMAS=HR", "DUMPFILE=bar.dmp", "JOB_NAME=EXP_BAR", "--wait", "--poll-interval", "0.05"
    )
    assert result.code == 2
    assert "EXP_BAR completed with 1 error(s)" in result.err
    assert "succeeded" not in result.err


def test_exit_2_says_which_codes_were_not_allowed_and_what_ora_39120_means(
    live_db: DatabaseHandle, run: Run
) -> None:
    """Exit code 2 alone left the DBA to scan the log for what --allowed-errors lacked."""
    refused = [
        'ORA-39120: Table "HR2"."REGIONS" can\'t be truncated, data will be skipped. Failing error is:',
        "ORA-02266: unique/primary keys in table referenced by enabled foreign keys",
    ]
    live_db.next_job_completes_with_errors([refused])
    result = run("export", "SCHEMAS=HR", "DUMPFILE=t.dmp", *FAST, "--allowed-errors", "ORA-02266")
    assert result.code == 2
    said = result.err.splitlines()[-1]
    assert said.startswith("airflow-datapump: completed with errors: ORA-39120 not in --allowed-errors")
    assert '"HR2"."REGIONS"' in said
    assert "TABLE_EXISTS_ACTION=REPLACE" in said
