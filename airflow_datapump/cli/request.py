"""``request FILE|-``: an oracledb-datapump JSON request, answered in that project's shape.

Teams moving from oracledb-datapump keep their request files and the scripts that read the
answers. The request's own ``connection`` is used when it has one (its password stays in
memory); otherwise the command's connection options are.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from airflow_datapump import cli
from airflow_datapump.cli._session import UsageError, hook_for
from airflow_datapump.core.request import Request, parse_request, response
from airflow_datapump.hooks.datapump import DatapumpHook


def read_request(source: str) -> Any:
    try:
        if source == "-":
            return json.load(sys.stdin)
        with open(source, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise UsageError(f"{source}: not a readable JSON request ({error})") from None


def request(args: argparse.Namespace) -> int:
    parsed = parse_request(read_request(args.file))
    if parsed.connection is not None:
        from airflow_datapump.cli.main import connection_from_request

        args.given_connection = connection_from_request(parsed.connection)
    hook = hook_for(args)
    answer = submit(hook, parsed, args.poll_interval) if parsed.kind == "SUBMIT" else status(hook, parsed)
    print(json.dumps(answer, default=str, sort_keys=True))
    if answer["state"] in ("ERROR", "STOPPED", "NOT_RUNNING"):
        return cli.FAILED
    return cli.SUCCESS


def submit(hook: DatapumpHook, parsed: Request, poll_interval: float) -> dict[str, Any]:
    """Submit the job; with ``"wait": true``, wait for it and answer with how it ended."""
    assert parsed.spec is not None
    job = hook.submit(parsed.spec)
    if parsed.wait:
        result = hook.wait(job, poll_interval=poll_interval)
        return response(job, result.status, list(result.log_lines))
    found = hook.status(job)
    return response(job, found, list(found.log_lines))


def status(hook: DatapumpHook, parsed: Request) -> dict[str, Any]:
    job = parsed.status_ref()
    found = hook.status(job)
    lines = list(found.log_lines)
    return response(job, found, lines, kind=parsed.status_type, include_detail=parsed.include_detail)
