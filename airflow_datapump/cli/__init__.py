"""The ``airflow datapump`` commands and the standalone ``airflow-datapump`` program.

One set of commands (:mod:`.commands`) serves both entry points: Airflow's CLI loads them
through the provider's ``cli`` entry (:func:`.definition.get_cli_commands`, Airflow 3.2+) and
reaches the database through an Airflow connection (``--conn-id``); the standalone program
(:func:`.main.main`) also takes ``--dsn`` or ``--user/--host/--database``.

Exit codes, the same for both (see :data:`EXIT_CODES`)::

    0  success
    1  the job failed or was stopped, or a command about a job failed
    2  the job completed with errors that --allowed-errors does not allow
    3  bad usage: an unknown option, a bad expdp/impdp parameter, a bad request file
    4  cannot connect to the database
"""

from __future__ import annotations

SUCCESS = 0
FAILED = 1
COMPLETED_WITH_ERRORS = 2
BAD_USAGE = 3
CANNOT_CONNECT = 4

EXIT_CODES = {
    SUCCESS: "success",
    FAILED: "the job failed or was stopped, or a command about a job failed",
    COMPLETED_WITH_ERRORS: "the job completed with errors that --allowed-errors does not allow",
    BAD_USAGE: "bad usage: an unknown option, a bad expdp/impdp parameter, a bad request file",
    CANNOT_CONNECT: "cannot connect to the database",
}


def exit_codes_text() -> str:
    """The exit codes as help texts show them."""
    return "exit codes:\n" + "\n".join(f"  {code}  {why}" for code, why in EXIT_CODES.items())


__all__ = [
    "BAD_USAGE",
    "CANNOT_CONNECT",
    "COMPLETED_WITH_ERRORS",
    "EXIT_CODES",
    "FAILED",
    "SUCCESS",
    "exit_codes_text",
]
