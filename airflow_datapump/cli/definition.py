"""``airflow datapump ...``: the commands as Airflow's CLI loads them (Airflow 3.2 and later).

Airflow's providers manager imports the function named in the provider info's ``cli`` list
and adds the commands it returns to ``airflow``'s own parser; each command then runs with the
parsed options and the Airflow connection ``--conn-id``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from airflow_datapump.cli.commands import ALL, CONN_ID, DESCRIPTION, Command, Group, option_kwargs


def command_function(command: Command) -> Callable[[argparse.Namespace], None]:
    """What Airflow calls: the command, its exit code raised as SystemExit (Airflow ignores returns)."""

    def run_command(args: argparse.Namespace) -> None:
        from airflow_datapump.cli import actions
        from airflow_datapump.cli._session import run

        raise SystemExit(run(getattr(actions, command.action), args))

    run_command.__name__ = command.action
    return run_command


def _action(command: Command) -> Any:
    from airflow.cli.cli_config import ActionCommand, Arg

    options = (*command.options, CONN_ID)
    args = [Arg(flags=o.flags, **option_kwargs(command, o)) for o in options]  # type: ignore[no-untyped-call]
    return ActionCommand(
        name=command.name,
        help=command.help,
        func=command_function(command),
        args=args,
        description=command.page_description,
    )


def get_cli_commands() -> list[Any]:
    """The ``datapump`` command group, named in ``get_provider_info()["cli"]``."""
    from airflow.cli.cli_config import GroupCommand

    subcommands: list[Any] = []
    for item in ALL:
        if isinstance(item, Group):
            nested = [_action(command) for command in item.commands]
            subcommands.append(GroupCommand(name=item.name, help=item.help, subcommands=nested))
        else:
            subcommands.append(_action(item))
    return [GroupCommand(name="datapump", help="Oracle Data Pump jobs and files", subcommands=subcommands,
                         description=DESCRIPTION)]  # fmt: skip
