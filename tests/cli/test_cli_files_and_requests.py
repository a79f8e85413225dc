"""The files commands, copy, request, the connection options and the exit codes, on the emulator."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.cli.conftest import Result
from tests.hooks.conftest import PASSWORD

Run = Callable[..., Result]
FAST = ("--wait", "--poll-interval", "0.05", "--no-progress")


@pytest.fixture
def exported(live_db: DatabaseHandle, run: Run) -> DatabaseHandle:
    assert run("export", "SCHEMAS=HR", "DUMPFILE=hr_%U.dmp", "PARALLEL=2", "JOB_NAME=EXP_HR", *FAST).code == 0
    return live_db


def test_files_list_expands_a_dump_file_set(exported: DatabaseHandle, run: Run) -> None:
    result = run("files", "list", "hr_%U.dmp", "--output", "json")
    names = [f["file"] for f in json.loads(result.out)["files"]]
    assert result.code == 0
    assert names == sorted(p.name for p in exported.directory_path().glob("hr_*.dmp"))
    assert len(names) > 1
    assert run("files", "list", "nothing_%U.dmp").code == 1


def test_files_info_reads_the_dump_file_header(exported: DatabaseHandle, run: Run) -> None:
    result = run("files", "info", "hr_01.dmp", "--output", "json")
    info = json.loads(result.out)
    assert (result.code, info["is_datapump"], info["job_name"]) == (0, True, '"SYSTEM"."EXP_HR"')
    (exported.directory_path() / "notes.txt").write_text("not a dump")
    assert run("files", "info", "notes.txt").code == 1


def test_files_precheck_passes_a_good_set_and_names_a_missing_member(
    exported: DatabaseHandle, run: Run
) -> None:
    good = run("files", "precheck", "DUMPFILE=hr_%U.dmp", "SCHEMAS=HR")
    assert (good.code, good.out.strip()) == (0, "The dump files look right for this import.")
    (exported.directory_path() / "hr_01.dmp").unlink()
    bad = run("files", "precheck", "DUMPFILE=hr_%U.dmp", "SCHEMAS=HR", "--output", "json")
    assert bad.code == 1
    assert any("hr_%U.dmp was not found" in p for p in json.loads(bad.out)["problems"])


def test_files_delete_removes_a_whole_set(exported: DatabaseHandle, run: Run) -> None:
    result = run("files", "delete", "hr_%U.dmp", "--output", "json")
    assert result.code == 0
    assert json.loads(result.out)["deleted"][0] == "hr_01.dmp"
    assert list(exported.directory_path().glob("hr_*.dmp")) == []
    assert run("files", "delete", "hr_%U.dmp").code == 1


def test_copy_pulls_dump_files_over_a_database_link(
    oracle: EmulatedOracle, exported: DatabaseHandle, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = oracle.database("TESTPDB")
    target.execute(
        f'CREATE PUBLIC DATABASE LINK prod CONNECT TO system IDENTIFIED BY "{PASSWORD}" '
        f"USING '{oracle.dsn()}'"
    )
    monkeypatch.setenv("AIRFLOW_CONN_TARGET", oracle.connection_uri("TESTPDB"))
    result = run("copy", "hr_01.dmp", "--link", "PROD", "--conn-id", "target")
    assert result.code == 0
    source = exported.directory_path() / "hr_01.dmp"
    assert (target.directory_path() / "hr_01.dmp").read_bytes() == source.read_bytes()


def _request_file(tmp_path: Path, data: object) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_request_submit_answers_in_the_seeds_shape(live_db: DatabaseHandle, run: Run, tmp_path: Path) -> None:
    payload = {
        "operation": "EXPORT",
        "mode": "SCHEMA",
        "wait": True,
        "dumpfiles": ["hr_req.dmp"],
        "directives": [{"name": "INCLUDE_SCHEMA", "value": "HR"}, {"name": "COMPRESSION", "value": "ALL"}],
    }
    result = run(
        "request",
        _request_file(tmp_path, {"request": "SUBMIT", "payload": payload}),
        "--poll-interval",
        "0.05",
    )
    answer = json.loads(result.out)
    assert result.code == 0
    assert set(answer) == {"job_name", "job_owner", "state", "detail"}
    assert (answer["job_owner"], answer["state"]) == ("SYSTEM", "COMPLETED")
    final = f'Job "SYSTEM"."{answer["job_name"]}" successfully completed'
    assert any(line.startswith(final) for line in answer["detail"]["log_contents"])
    assert answer["detail"]["dumpfiles"] == ["hr_req.dmp"]


def test_request_status_from_stdin_with_its_types(
    db: DatabaseHandle, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_HR")
    for kind, key in (("STATUS", "job_status"), ("LOG_STATUS", "log_contents"), ("DESC", "job_description")):
        body = {"request": "STATUS", "payload": {"job_name": "EXP_HR", "job_owner": "SYSTEM", "type": kind}}
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(body)))
        answer = json.loads(run("request", "-").out)
        assert (answer["state"], key in answer["detail"]) == ("EXECUTING", True)
    body["payload"] = {"job_name": "EXP_HR", "job_owner": "SYSTEM", "include_detail": False}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(body)))
    assert json.loads(run("request", "-").out)["detail"] is None


def test_request_status_of_a_killed_job_is_stopped_under_either_reading(
    killed_job: str, run: Run, tmp_path: Path
) -> None:
    """Whether a kill writes a final line is a [U] reading (docs/emulator.md KILL_FINAL_LINE);
    a log read without one is a kill (core/waiting.py gone_verdict), not a state unknown."""
    body = {"request": "STATUS", "payload": {"job_name": killed_job, "job_owner": "SYSTEM"}}
    answer = json.loads(run("request", _request_file(tmp_path, body)).out)
    assert (answer["state"], answer["detail"]["job_state"]) == ("STOPPED", "STOPPED")


def test_request_uses_its_own_connection_and_never_prints_the_password(
    oracle: EmulatedOracle, db: DatabaseHandle, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_ORACLE_DEFAULT")
    db.execute('ALTER USER system IDENTIFIED BY "Pw-in-file"')
    connection = {
        "username": "system",
        "password": "Pw-in-file",
        "hostname": oracle.host,
        "port": oracle.port,
        "database": "FREEPDB1",
    }
    body = {
        "connection": connection,
        "request": "SUBMIT",
        "payload": {
            "operation": "EXPORT",
            "mode": "SCHEMA",
            "directives": [{"name": "INCLUDE_SCHEMA", "value": "HR"}],
        },
    }
    result = run("request", _request_file(tmp_path, body))
    assert (result.code, json.loads(result.out)["state"]) == (0, "EXECUTING")
    assert "Pw-in-file" not in result.out + result.err


@pytest.mark.parametrize(
    "body",
    [
        {"request": "POLL", "payload": {}},
        {"request": "SUBMIT", "payload": {"operation": "EXPORT", "mode": "SIDEWAYS"}},
        {"request": "STATUS", "payload": {"job_name": "X", "job_owner": "SYSTEM", "type": "EVERYTHING"}},
        [1, 2],
    ],
)
def test_a_bad_request_is_bad_usage_before_anything_runs(
    db: DatabaseHandle, run: Run, tmp_path: Path, body: object
) -> None:
    db.reset_counters()
    result = run("request", _request_file(tmp_path, body))
    assert result.code == 3
    assert db.counters().get("sessions", 0) == 0


def test_bad_usage_exits_3(oracle: EmulatedOracle, db: DatabaseHandle, run: Run, tmp_path: Path) -> None:
    assert run("export", "--no-such-option").code == 3
    assert run("no-such-command").code == 3
    spec_error = run("export", "SCHEMAS=HR", "COMPRESSION=SOMETIMES")
    assert (spec_error.code, "COMPRESSION" in spec_error.err) == (3, True)
    assert run("request", str(tmp_path / "missing.json")).code == 3
    assert run("status", "X", "--conn-id", "a", "--dsn", oracle.dsn()).code == 3


def test_cannot_connect_exits_4(db: DatabaseHandle, run: Run) -> None:
    db.go_down()
    result = run("jobs")
    assert (result.code, "cannot connect" in result.err) == (4, True)
    db.come_back()
    assert run("jobs", "--conn-id", "no_such_connection").code == 4


def test_connection_options_dsn_and_user_host_database(
    oracle: EmulatedOracle, db: DatabaseHandle, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_ORACLE_DEFAULT")
    monkeypatch.setenv("DATAPUMP_PASSWORD", "from-env")
    db.execute('ALTER USER system IDENTIFIED BY "from-env"')
    assert run("jobs", "--dsn", oracle.dsn(), "--user", "system").code == 0
    address = ("--host", oracle.host, "--port", str(oracle.port), "--database", "FREEPDB1")
    assert run("jobs", "--user", "system", *address).code == 0
    monkeypatch.delenv("DATAPUMP_PASSWORD")
    db.execute('ALTER USER system IDENTIFIED BY "typed"')
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed")
    prompted = run("jobs", "--dsn", oracle.dsn(), "--user", "system")
    assert (prompted.code, "warning" in prompted.err) == (0, False)
    db.execute('ALTER USER system IDENTIFIED BY "visible"')
    on_line = run("jobs", "--dsn", oracle.dsn(), "--user", "system", "--password", "visible")
    assert on_line.code == 0
    assert "warning: a password on the command line can be read by other users" in on_line.err
    assert "visible" not in on_line.out + on_line.err


@pytest.mark.parametrize(
    ("argv", "named"),
    [(("../secret.dmp", "--link", "PROD"), "FILE"), (("hr_01.dmp", "--link", "PROD; DROP"), "--link")],
)
def test_copy_refuses_a_path_or_a_bad_link_before_connecting(
    run: Callable[..., Result], argv: tuple[str, ...], named: str
) -> None:
    result = run("copy", *argv, "--conn-id", "no_such_connection")
    assert result.code == 3  # bad usage, not 4: nothing was connected to
    assert named in result.err


def test_cannot_connect_says_why(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver puts the cause (refused, timed out, unknown host) after its first line."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("DATAPUMP_PASSWORD", "secret-pw-never-shown")
    result = run("jobs", "--dsn", f"127.0.0.1:{closed_port}/FREEPDB1", "--user", "system")
    assert result.code == 4
    assert "DPY-6005" in result.err
    assert "refused" in result.err.lower()
    assert "secret-pw-never-shown" not in result.err
    assert len(result.err.strip().splitlines()) == 1  # one line still
