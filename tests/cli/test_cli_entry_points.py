"""Both entry points: Airflow's CLI loads the commands from the provider's ``cli`` entry, the
console script runs them alone; help texts; one real subprocess per entry point."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from airflow_datapump import cli
from airflow_datapump.cli._session import logs_to_stderr
from airflow_datapump.cli.commands import ALL, Group
from airflow_datapump.get_provider_info import get_provider_info
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.airflow_features import LOADS_PROVIDER_CLI
from tests.cli.conftest import PASSWORD, Result

Run = Callable[..., Result]


# `airflow datapump` exists where Airflow loads provider CLI commands (3.2 and later); before
# that the standalone `airflow-datapump` program is the way, and its tests run everywhere.
needs_provider_cli = pytest.mark.skipif(
    not LOADS_PROVIDER_CLI, reason="Airflow loads provider CLI commands from 3.2 on"
)

COMMANDS = [
    "export",
    "import",
    "status",
    "log",
    "jobs",
    "stop",
    "kill",
    "restart",
    "cleanup",
    "copy",
    "request",
]
FILE_COMMANDS = ["list", "info", "precheck", "delete"]


def _airflow(*argv: str) -> int:
    """``airflow datapump ...`` in process, through the parser Airflow builds."""
    from airflow.cli import cli_parser

    args = cli_parser.get_parser().parse_args(["datapump", *argv])
    with pytest.raises(SystemExit) as stopped:
        args.func(args)
    return int(stopped.value.code or 0)


def test_the_provider_names_the_cli_function() -> None:
    (path,) = get_provider_info()["cli"]
    assert path == "airflow_datapump.cli.definition.get_cli_commands"


@needs_provider_cli
def test_airflow_loads_the_datapump_group_from_the_provider() -> None:
    from airflow.providers_manager import ProvidersManager

    functions = {f"{f.__module__}.{f.__name__}" for f in ProvidersManager().cli_command_functions}
    assert "airflow_datapump.cli.definition.get_cli_commands" in functions
    (group,) = [c for f in ProvidersManager().cli_command_functions for c in f() if c.name == "datapump"]
    names = sorted(c.name for c in group.subcommands)
    assert names == sorted([*COMMANDS, "files"])


def test_both_entry_points_offer_the_same_commands() -> None:
    from airflow_datapump.cli.main import build_parser

    standalone = build_parser().format_help()
    for name in [*COMMANDS, "files"]:
        assert f"    {name}" in standalone
    assert [c.name for c in ALL if isinstance(c, Group)] == ["files"]


@needs_provider_cli
def test_airflow_datapump_runs_a_command_with_an_airflow_connection(
    db: DatabaseHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _airflow("export", "SCHEMAS=HR", "DUMPFILE=hr.dmp", "JOB_NAME=EXP_AF", "--conn-id", "oracle_default")
        == 0
    )
    capsys.readouterr()
    assert _airflow("jobs", "--output", "json") == 0
    assert [r["job_name"] for r in json.loads(capsys.readouterr().out)] == ["EXP_AF"]
    assert _airflow("stop", "EXP_AF") == 0
    assert _airflow("export", "SCHEMAS=HR", "ATTACH=EXP_AF") == cli.BAD_USAGE
    assert _airflow("files", "list", "nothing.dmp") == cli.FAILED


def test_help_texts_document_the_exit_codes_and_every_command(run: Run) -> None:
    top = run("--help")
    assert top.code == 0
    for code, meaning in cli.EXIT_CODES.items():
        assert f"{code}  {meaning}" in top.out
    for name in COMMANDS:
        page = run(name, "--help").out
        assert "exit codes:" in page
        assert "--conn-id" in page
        assert "--dsn" in page
    export = run("export", "--help").out
    assert "ENCRYPTION_PWD_PROMPT=YES" in export
    assert "PARFILE=hr.par" in export
    assert "--wait" in export
    assert "--allowed-errors" in export
    for name in FILE_COMMANDS:
        assert run("files", name, "--help").code == 0


@needs_provider_cli
def test_airflow_help_shows_the_group_and_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    from airflow.cli import cli_parser

    with pytest.raises(SystemExit):
        cli_parser.get_parser().parse_args(["datapump", "export", "--help"])
    page = capsys.readouterr().out
    assert "--conn-id" in page
    assert "--allowed-errors" in page
    assert "expdp" in page


def _scripts() -> Path:
    return Path(sysconfig.get_path("scripts"))


def _env(oracle: EmulatedOracle, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **oracle.env(password=PASSWORD),
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }


@pytest.mark.slow
def test_the_console_script_in_a_subprocess(
    oracle: EmulatedOracle, live_db: DatabaseHandle, tmp_path: Path
) -> None:
    env = {**_env(oracle, tmp_path), "DATAPUMP_PASSWORD": PASSWORD}
    del env["AIRFLOW_CONN_ORACLE_DEFAULT"]
    command = [
        str(_scripts() / "airflow-datapump"),
        "export",
        "SCHEMAS=HR",
        "DUMPFILE=sub.dmp",
        "JOB_NAME=EXP_SUB",
        "--dsn",
        oracle.dsn(),
        "--user",
        "system",
        "--wait",
        "--poll-interval",
        "0.1",
        "--output",
        "json",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"]["HR.EMPLOYEES"] == 20
    assert 'Starting "SYSTEM"."EXP_SUB":' in done.stderr
    assert (live_db.directory_path() / "sub.dmp").exists()


def test_python_dash_m_runs_the_standalone_program(tmp_path: Path) -> None:
    """``python -m airflow_datapump.cli`` is ``airflow-datapump`` where no console script was
    installed (a zip, a checkout on PYTHONPATH): the same parser, name and exit codes."""
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    module = [sys.executable, "-m", "airflow_datapump.cli"]
    helped = subprocess.run([*module, "--help"], env=env, capture_output=True, text=True, timeout=120,
                            check=False)  # fmt: skip
    assert helped.returncode == cli.SUCCESS, helped.stderr
    assert helped.stdout.startswith("usage: airflow-datapump ")
    assert "status" in helped.stdout
    bad = subprocess.run([*module, "no-such-command"], env=env, capture_output=True, text=True, timeout=120,
                         check=False)  # fmt: skip
    assert bad.returncode == cli.BAD_USAGE


@pytest.mark.slow
@needs_provider_cli
def test_airflow_datapump_in_a_subprocess(oracle: EmulatedOracle, db: DatabaseHandle, tmp_path: Path) -> None:
    airflow = [sys.executable, "-m", "airflow"]
    env = _env(oracle, tmp_path)
    export = [*airflow, "datapump", "export", "SCHEMAS=HR", "DUMPFILE=a.dmp", "JOB_NAME=EXP_AF2"]
    started = subprocess.run(export, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert started.returncode == 0, started.stderr
    assert [j["name"] for j in db.jobs()] == ["EXP_AF2"]
    bad = subprocess.run([*airflow, "datapump", "import", "USERID=system/secret"],
                         env=env, capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
    assert bad.returncode == cli.BAD_USAGE
    assert "secret" not in bad.stdout + bad.stderr


def test_log_lines_outlive_the_stderr_a_command_ran_with(capsys: pytest.CaptureFixture[str]) -> None:
    """A command run in-process points logging at standard error; a caller that had it
    redirected (a test's capture) closes that stream afterwards, and later log lines of the
    process must still be written, not fail with "I/O operation on closed file"."""
    temporary = io.StringIO()
    with contextlib.redirect_stderr(temporary):
        logs_to_stderr()
    temporary.close()
    logging.getLogger("airflow_datapump").warning("a line after the command")
    err = capsys.readouterr().err
    assert "a line after the command" in err
    assert "Logging error" not in err


def test_a_commands_own_help_page_shows_percent_u_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    """The one-line help is %-formatted by argparse (so it says %%U) but the description of the
    command's own page is not: that page printed "whole %%U dump file sets"."""
    from airflow_datapump.cli.main import main

    assert main(["files", "delete", "--help"]) == 0
    out = capsys.readouterr().out
    assert "whole %U dump file sets" in out
    assert "%%" not in out
