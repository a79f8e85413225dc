"""``airflow-datapump``: the same commands as ``airflow datapump``, without Airflow's CLI.

Besides ``--conn-id`` it takes a connection on the command line: ``--dsn`` (an Easy Connect
string or a TNS alias) or ``--user/--host/--port/--database``. The password comes from the
environment variable named by ``--password-env`` (default ``DATAPUMP_PASSWORD``) or a prompt;
``--password`` works but warns, since other users can read a command line.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from airflow_datapump import cli
from airflow_datapump.cli.commands import ALL, DESCRIPTION, Command, Group, option_kwargs

CONNECTION_ID = "airflow_datapump_cli"
PASSWORD_ENV = "DATAPUMP_PASSWORD"


def _connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection (one of --conn-id, --dsn, --user/--host/--database)")
    group.add_argument("--conn-id", help="an Airflow connection of type oracle")
    group.add_argument("--dsn", help="Easy Connect string (host:port/service) or TNS alias")
    group.add_argument("--user", help="database user")
    group.add_argument("--host", help="database host")
    group.add_argument("--port", type=int, default=1521, help="listener port (default %(default)s)")
    group.add_argument("--database", help="service name")
    group.add_argument("--password-env", default=PASSWORD_ENV, help="environment variable with the password")
    group.add_argument("--password", help="the password (works, but warns: others can read command lines)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="airflow-datapump", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for item in ALL:
        if isinstance(item, Group):
            group = commands.add_parser(item.name, help=item.help, description=item.help)
            nested = group.add_subparsers(dest="subcommand", metavar="COMMAND", required=True)
            for command in item.commands:
                _add(nested, command)
        else:
            _add(commands, item)
    return parser


def _add(commands: Any, command: Command) -> None:
    sub = commands.add_parser(
        command.name,
        help=command.help,
        description=command.page_description,
        epilog=cli.exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option in command.options:
        sub.add_argument(*option.flags, **option_kwargs(command, option))
    _connection_options(sub)
    sub.set_defaults(action=command.action)


def given_connection(args: argparse.Namespace) -> Any:
    """An in-memory Airflow Connection for --dsn or --user/--host/--database; None for --conn-id."""
    from airflow.sdk import Connection

    if args.conn_id and (args.dsn or args.host):
        raise SystemExit(_usage("give --conn-id or a connection (--dsn, --host), not both"))
    if args.conn_id or not (args.dsn or args.host):
        args.conn_id = args.conn_id or "oracle_default"
        return None
    if not args.user:
        raise SystemExit(_usage("--user is needed with --dsn or --host"))
    extra = json.dumps({"dsn": args.dsn} if args.dsn else {"service_name": args.database})
    if args.host and not args.database:
        raise SystemExit(_usage("--database (the service name) is needed with --host"))
    port = args.port if args.host else None
    return Connection(conn_id=CONNECTION_ID, conn_type="oracle", host=args.host, port=port,
                      login=args.user, password=_password(args), extra=extra)  # fmt: skip


def connection_from_request(data: Mapping[str, Any]) -> Any:
    """The Connection an oracledb-datapump request carries (username, password, hostname ...)."""
    from airflow.sdk import Connection

    extra = json.dumps({"service_name": data.get("database")})
    return Connection(conn_id=CONNECTION_ID, conn_type="oracle", host=data.get("hostname"),
                      port=int(data.get("port", 1521)), login=data.get("username"),
                      password=data.get("password"), extra=extra)  # fmt: skip


def _password(args: argparse.Namespace) -> str:
    if args.password is not None:
        print(
            "airflow-datapump: warning: a password on the command line can be read by other users; "
            f"set {args.password_env} or let the program prompt for it",
            file=sys.stderr,
        )
        return str(args.password)
    from_env = os.environ.get(args.password_env)
    if from_env:
        return from_env
    return getpass.getpass(f"Password for {args.user}: ")


def _usage(message: str) -> int:
    print(f"airflow-datapump: bad usage: {message}", file=sys.stderr)
    return cli.BAD_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns (and, as a console script, exits with) the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits 2 on bad usage; ours is 3
        return cli.SUCCESS if stop.code in (0, None) else cli.BAD_USAGE
    with contextlib.redirect_stdout(sys.stderr):  # Airflow sets up its logging on import, to stdout
        from airflow_datapump.cli import actions
        from airflow_datapump.cli._session import logs_to_stderr, run

    logs_to_stderr()
    try:
        args.given_connection = given_connection(args)
    except SystemExit as stop:
        return int(stop.code or cli.BAD_USAGE)
    return run(getattr(actions, args.action), args)


def console_script() -> None:
    raise SystemExit(main())
