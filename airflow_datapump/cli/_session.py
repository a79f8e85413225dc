"""How a command reaches the database, prints its answer and turns errors into exit codes.

Both entry points end up with a :class:`DatapumpHook`: from an Airflow connection id, or (for
the standalone program) from a connection described on the command line, which lives in
memory only: the password is never written to the environment, a file or a log.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from airflow_datapump import cli
from airflow_datapump.exceptions import DatabaseCallError, SpecError, TransientConnectionError
from airflow_datapump.hooks.datapump import DatapumpHook


class UsageError(Exception):
    """A command was used wrongly in a way argparse cannot see (exit code 3)."""


class ConnectError(Exception):
    """The database could not be reached (exit code 4)."""


class _GivenConnectionHook(DatapumpHook):
    """A hook whose connection was built from command-line options instead of looked up."""

    def __init__(self, connection: Any, **kwargs: Any) -> None:
        super().__init__(oracle_conn_id=connection.conn_id, **kwargs)
        self._given = connection

    def get_connection(self, conn_id: str) -> Any:
        return self._given


def hook_for(args: argparse.Namespace) -> DatapumpHook:
    """The hook for these options, its session opened (so a failure here is exit code 4)."""
    connection = getattr(args, "given_connection", None)
    hook = (
        DatapumpHook(oracle_conn_id=args.conn_id) if connection is None else _GivenConnectionHook(connection)
    )
    try:
        hook.session()
    except Exception as error:  # any failure to log on: driver, network, unknown connection id
        raise ConnectError(_one_line(error)) from error
    return hook


def _one_line(error: BaseException) -> str:
    """The driver's message on one line: DPY-6005 says why (refused, timed out) on its second."""
    text = " ".join(line.strip() for line in str(error).strip().splitlines() if line.strip())
    return f"{type(error).__name__}: {text}"


def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> None:
    """Print the answer: JSON with --output json, else the text for people."""
    if getattr(args, "output", "text") == "json":
        print(json.dumps(data, default=str, sort_keys=True))
    else:
        print(text() if callable(text) else text)


def run(action: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command and map what went wrong to the documented exit codes."""
    logs_to_stderr()
    try:
        return action(args)
    except (SpecError, UsageError) as error:
        return _report(args, "bad usage", error, cli.BAD_USAGE)
    except (ConnectError, TransientConnectionError) as error:
        return _report(args, "cannot connect", error, cli.CANNOT_CONNECT)
    except DatabaseCallError as error:
        return _report(args, "failed", error, cli.FAILED)
    except TimeoutError as error:
        return _report(args, "gave up waiting", error, cli.FAILED)


class _Stderr:
    """Standard error as it is when a line is written, not when the handler was pointed at it.

    The ``sys.stderr`` of the moment can be short-lived: a caller running a command in its
    own process (a test's capture, ``contextlib.redirect_stderr``) closes or drops it when
    the command returns, and every later log line of the process, a command or not, would
    fail with "I/O operation on closed file".
    """

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


STDERR = _Stderr()


def logs_to_stderr() -> None:
    """Log lines go to standard error, so standard output holds only the answer.

    Airflow's own CLI does the same for commands with ``--output``; the standalone program
    sets up Airflow's logging on import and needs it too. Airflow 3.0's console handler is a
    ``RedirectStdHandler`` that looks ``sys.stdout`` up on every line (its ``_use_stderr`` flag
    picks the stream); later versions hold whatever ``sys.stdout`` was at set-up, so theirs is
    given :data:`STDERR`, which looks standard error up on every line the same way.
    """
    for handler in logging.getLogger().handlers:
        if hasattr(handler, "_use_stderr"):  # Airflow 3.0's RedirectStdHandler
            handler._use_stderr = True
        elif type(handler) is logging.StreamHandler and handler.stream is not STDERR:
            handler.stream = STDERR  # not setStream: it flushes the old stream, maybe closed


def _report(args: argparse.Namespace, what: str, error: BaseException, code: int) -> int:
    print(f"airflow-datapump: {what}: {error}", file=sys.stderr)
    if getattr(args, "output", "text") == "json":
        print(json.dumps({"error": str(error), "exit_code": code}))
    return code
