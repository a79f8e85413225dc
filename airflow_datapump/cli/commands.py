"""The commands, their options and help, written once for both entry points.

Each :class:`Command` names the function that runs it (in :mod:`.actions`); each
:class:`Option` is what ``argparse.add_argument`` takes, so Airflow's ``Arg`` and a plain
``ArgumentParser`` are built from the same data and cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airflow_datapump.cli import exit_codes_text


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    action: str
    options: tuple[Option, ...] = ()
    description: str = ""

    @property
    def page_description(self) -> str:
        """The command's own help page: ``help`` is %-formatted by argparse (``%%U``), a
        description is printed as written, so ``%%`` there would show doubled."""
        return self.description or self.help.replace("%%", "%")


@dataclass(frozen=True)
class Group:
    name: str
    help: str
    commands: tuple[Command, ...]


def _opt(*flags: str, **kwargs: Any) -> Option:
    return Option(flags, kwargs)


CONN_ID = _opt(
    "--conn-id", default="oracle_default", help="Airflow connection of type oracle (default %(default)s)"
)
OUTPUT = _opt("--output", choices=("text", "json"), default="text", help="text for people, json for scripts")
JOB = _opt("job_name", help="the Data Pump job's name")
OWNER = _opt("--owner", help="the job's owner (default: the connected user)")
DIRECTORY = _opt("--directory", default="DATA_PUMP_DIR", help="directory object (default %(default)s)")
POLL = _opt(
    "--poll-interval", type=float, default=5.0, help="seconds between status polls (default %(default)s)"
)
WAIT = (
    _opt("--wait", action="store_true", help="wait for the job: a progress bar and its log as it grows"),
    POLL,
    _opt("--timeout", type=float, help="give up waiting after this many seconds (the job runs on)"),
    _opt("--allowed-errors", default="", help="ORA codes allowed in a job that completed with errors, a,b"),
    _opt("--no-progress", action="store_true", help="no progress bar (the log is still shown)"),
)  # fmt: skip
PARAMS = _opt(
    "parameters", nargs="*", metavar="PARAMETER", help="KEYWORD=value, as {tool} takes it, or PARFILE=path"
)

IMMEDIATE = _opt("--immediate", action="store_true", help="stop now, not after the current item")
SKIP_CURRENT = _opt("--skip-current", action="store_true", help="skip the object an import failed on")

_EXPDP = """Start an export described by expdp parameters, e.g.
  export SCHEMAS=HR DIRECTORY=DP DUMPFILE=hr_%U.dmp PARALLEL=4 --wait
  export PARFILE=hr.par JOB_NAME=HR_NIGHTLY
Quote parameters holding quotation marks for your shell, as for expdp itself. ENCRYPTION_PWD_PROMPT=YES
asks for the encryption password. USERID, ATTACH, HELP and interactive commands are refused: connect
with the connection options, and use status, log, stop, kill and restart."""

LOG_FILE = _opt("--log-file", help="log file name (default JOB_NAME.log)")
_STATUS = """Show a job's state and progress (exit 0) while it has a master table. A completed or killed
job has none, so its log (--directory, --log-file) decides: exit 0 when it says successfully completed, 2
completed with errors, 1 stopped or failed, 1 when the log has no final line (a kill leaves none),
and 1 when there is no log (never started, or another log name)."""

JOB_COMMANDS = (
    Command("export", "Start a Data Pump export (expdp parameters)", "export",
            (PARAMS, *WAIT, OUTPUT), _EXPDP),
    Command("import", "Start a Data Pump import (impdp parameters)", "import_",
            (PARAMS, *WAIT, OUTPUT), _EXPDP.replace("export", "import").replace("expdp", "impdp")),
    Command("status", "Show a job's state and progress; for a job gone, how its log says it ended",
            "status", (JOB, OWNER, DIRECTORY, LOG_FILE, OUTPUT), _STATUS),
    Command("log", "Print a job's log file (with --follow, until the job ends)", "log",
            (JOB, OWNER, DIRECTORY, _opt("--log-file", help="log file name (default JOB_NAME.log)"),
             _opt("--follow", action="store_true", help="keep printing new lines until the job ends"), POLL)),
    Command("jobs", "List Data Pump jobs that have a master table", "jobs", (OUTPUT,)),
    Command("stop", "Stop a job, keeping it restartable (STOP_JOB)", "stop",
            (JOB, OWNER, IMMEDIATE)),
    Command("kill", "Kill a job and drop its master table (KILL_JOB)", "kill", (JOB, OWNER)),
    Command("restart", "Restart a stopped job (START_JOB)", "restart",
            (JOB, OWNER, SKIP_CURRENT)),
    Command("cleanup", "Drop orphaned jobs (NOT RUNNING, nobody attached) and their master tables", "cleanup",
            (_opt("--dry-run", action="store_true", help="only list what would be dropped"),
             _opt("--older-than", type=float, metavar="SECONDS",
                  help="drop only jobs idle longer than this (required without --dry-run)"),
             _opt("--owner", help="whose jobs (default: the connected user; * for every owner)"), OUTPUT)),
    Command("copy", "Copy files between databases over a database link (DBMS_FILE_TRANSFER)", "copy",
            (_opt("files", nargs="+", metavar="FILE"), _opt("--link", required=True, help="database link"),
             _opt("--direction", choices=("get", "put"), default="get",
                  help="get: from the linked database to this one; put: the other way (default get)"),
             _opt("--source-directory", default="DATA_PUMP_DIR"),
             _opt("--destination-directory", default="DATA_PUMP_DIR"), OUTPUT)),
    Command("request", "Run an oracledb-datapump JSON request (SUBMIT or STATUS) from FILE or -", "request",
            (_opt("file", metavar="FILE", help="the request as JSON; - reads standard input"), POLL),
            "Answers in oracledb-datapump's response shape: {job_name, job_owner, state, detail}."),
)  # fmt: skip

FILES = Group(
    "files",
    "Dump and log files in directory objects",
    (
        Command("list", "List the members of dump file sets (%%U expanded) with their sizes", "files_list",
                (_opt("templates", nargs="+", metavar="FILE"), DIRECTORY, OUTPUT)),
        Command("info", "Show what a dump file holds (GET_DUMPFILE_INFO)", "files_info",
                (_opt("file_name", metavar="FILE"), DIRECTORY, OUTPUT)),
        Command("precheck", "Check the dump files of an import (impdp parameters)", "files_precheck",
                (PARAMS, OUTPUT)),
        Command("delete", "Delete files or whole %%U dump file sets", "files_delete",
                (_opt("templates", nargs="+", metavar="FILE"), DIRECTORY, OUTPUT)),
    ),
)  # fmt: skip

ALL: tuple[Command | Group, ...] = (*JOB_COMMANDS, FILES)
DESCRIPTION = "Oracle Data Pump jobs and files, through DBMS_DATAPUMP.\n\n" + exit_codes_text()


def tool_of(command: Command) -> str:
    return "impdp" if command.action in ("import_", "files_precheck") else "expdp"


def option_kwargs(command: Command, option: Option) -> dict[str, Any]:
    """The option's keywords, its help filled in for the command it belongs to."""
    kwargs = dict(option.kwargs)
    if "help" in kwargs:
        kwargs["help"] = kwargs["help"].replace("{tool}", tool_of(command))
    return kwargs
