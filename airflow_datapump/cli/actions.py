"""What each job command does: build (pure), call the hook, show the answer.

Every function takes the parsed options and returns an exit code; :func:`._session.run`
turns exceptions into exit codes, so these read as the happy path.
"""

from __future__ import annotations

import argparse
import getpass
import time
from typing import Any

from airflow_datapump import cli
from airflow_datapump.cli._session import UsageError, emit, hook_for
from airflow_datapump.cli._wait import exit_code, wait

# Imported by name from the command table (commands.py) and the files/request modules.
from airflow_datapump.cli.files import copy, files_delete, files_info, files_list, files_precheck
from airflow_datapump.cli.request import request
from airflow_datapump.core import naming
from airflow_datapump.core.cloud import redacted_uri
from airflow_datapump.core.events import event_from_result
from airflow_datapump.core.expdp import from_text
from airflow_datapump.core.names import file_name, identifier
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.status import JobStatus, Outcome, Verdict, classify, read_outcome
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import gone_verdict
from airflow_datapump.exceptions import SpecError
from airflow_datapump.hooks.datapump import DatapumpHook

__all__ = [
    "cleanup",
    "copy",
    "export",
    "files_delete",
    "files_info",
    "files_list",
    "files_precheck",
    "import_",
    "jobs",
    "kill",
    "log",
    "request",
    "restart",
    "spec_from",
    "status",
    "stop",
]


def spec_from(tool: str, parameters: list[str]) -> JobSpec:
    """The job the parameters describe; asks for the password on ENCRYPTION_PWD_PROMPT=YES."""
    try:
        return from_text(tool, parameters)
    except SpecError as error:
        if error.field != "ENCRYPTION_PWD_PROMPT" or "given as" not in error.allowed:
            raise
    password = getpass.getpass("Encryption Password: ")
    return from_text(tool, parameters, encryption_password=password)


def export(args: argparse.Namespace) -> int:
    return _start(args, spec_from("expdp", args.parameters))


def import_(args: argparse.Namespace) -> int:
    return _start(args, spec_from("impdp", args.parameters))


def _start(args: argparse.Namespace, spec: JobSpec) -> int:
    hook = hook_for(args)
    job = hook.submit(spec)
    if not args.wait:
        log = f"log {job.log_directory}:{job.log_file}" if job.log_file else "no log file (NOLOGFILE=YES)"
        emit(args, job.to_dict(), f"Started {job.owner}.{job.job_name}; {log}")
        return cli.SUCCESS
    result = wait(hook, job, args)
    event = event_from_result(job, result)
    emit(
        args,
        event,
        event["final_line"] or f"{job.owner}.{job.job_name}: {event['status']} ({event['outcome']})",
    )
    return exit_code(result, args.allowed_errors)


def status(args: argparse.Namespace) -> int:
    """A job with a master table: its state (exit 0). A job without one: its log decides.

    Completed and killed jobs both drop their master table, so "not found" alone cannot tell
    them apart, nor from a job that never started; the log can, judged by the rule the wait
    and the sensor use (:func:`~airflow_datapump.core.waiting.gone_verdict`): its final line
    says how it ended, and a log read without one belongs to a kill. Exit 0 succeeded, 2
    completed with errors, 1 failed or stopped (killed), 1 with no log at all.
    """
    directory = identifier(args.directory, "--directory")  # checked before any call
    given = args.log_file and file_name(args.log_file, "--log-file", substitution=False)
    hook = hook_for(args)
    found = hook.status(args.job_name, args.owner)
    if not found.is_gone:
        emit(args, found.to_dict(), lambda: _status_text(found))
        return cli.SUCCESS
    log_file = given or naming.default_log_file(found.job_name)
    present = hook.file_exists(directory, log_file)
    lines = hook.read_file(directory, log_file)[0].splitlines() if present else []
    ended = read_outcome(lines, found.job_name)
    verdict = classify(found.state, ended)
    if verdict is Verdict.RUNNING:  # gone, and its log names no end
        verdict = gone_verdict(bool(lines), gone_means_success=False)
    name, where = f"{found.owner}.{found.job_name}", f"{directory}:{log_file}"
    if ended.line:
        text = f"{name}: {verdict.value}, its log {where} says: {ended.line.strip()}"
    elif lines:
        text = f"{name}: {verdict.value}, no master table and no final line in {where} (killed)"
    else:
        text = f"{name}: not found, and no log {where} (never started, or not this job's log)"
    ending = {"log_outcome": ended.outcome.value, "final_line": ended.line, "verdict": verdict.value}
    emit(args, {**found.to_dict(), **ending}, text)
    if verdict is Verdict.SUCCEEDED:
        return cli.COMPLETED_WITH_ERRORS if ended.outcome is Outcome.COMPLETED_WITH_ERRORS else cli.SUCCESS
    return cli.FAILED


def _status_text(found: JobStatus) -> str:
    parts = [f"{found.owner}.{found.job_name}: {found.state.value}"]
    if found.percent_done is not None:
        parts.append(f"{found.percent_done}% done")
    if found.degree is not None:
        parts.append(f"parallel {found.degree}")
    if found.error_count:
        parts.append(f"{found.error_count} error(s)")
    return ", ".join(parts) + "".join(f"\n  {line}" for line in found.error_lines)


def log(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    owner = _owner(hook, args)
    log_file = args.log_file or naming.default_log_file(args.job_name)
    job = JobRef(args.job_name, owner, "", args.directory, log_directory=args.directory, log_file=log_file)
    # A URI dump file's pre-authenticated request token is redacted, as in task logs and the UI.
    text, position = hook.read_file(args.directory, log_file)
    print(redacted_uri(text), end="" if text.endswith("\n") or not text else "\n")
    while args.follow and hook.status(job).state.is_active:
        time.sleep(args.poll_interval)
        text, position = hook.read_file(args.directory, log_file, position=position)
        print(redacted_uri(text), end="")
    if args.follow:  # the last lines, written as the job ended
        print(redacted_uri(hook.read_file(args.directory, log_file, position=position)[0]), end="")
    return cli.SUCCESS


def jobs(args: argparse.Namespace) -> int:
    rows = hook_for(args).list_jobs()
    data = [_row(row) for row in rows]
    header = f"{'OWNER':<16} {'JOB_NAME':<30} {'OPERATION':<10} {'MODE':<14} {'STATE':<13} ATTACHED"
    lines = [header] + [
        f"{r['owner']:<16} {r['job_name']:<30} {r['operation']:<10} {r['job_mode']:<14} {r['state']:<13} "
        f"{r['attached_sessions']}"
        for r in data
    ]
    emit(args, data, "\n".join(lines) if data else "No Data Pump jobs.")
    return cli.SUCCESS


def _row(row: Any) -> dict[str, Any]:
    names = ("owner", "job_name", "operation", "job_mode", "state", "degree", "attached_sessions")
    return {name: str(getattr(row, name)) for name in names}


def stop(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    hook.stop(args.job_name, _owner(hook, args), immediate=args.immediate)
    print(f"Stopped {args.job_name}; restart it with the restart command")
    return cli.SUCCESS


def kill(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    if hook.kill(args.job_name, _owner(hook, args)):
        print(f"Killed {args.job_name} and dropped its master table")
        return cli.SUCCESS
    print(f"No job {args.job_name}: it had already finished and left")
    return cli.FAILED


def restart(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    hook.restart(args.job_name, _owner(hook, args), skip_current=args.skip_current)
    print(f"Restarted {args.job_name}")
    return cli.SUCCESS


def cleanup(args: argparse.Namespace) -> int:
    """Orphans are dropped only when idle longer than --older-than (the hook's rule).

    The option is checked here, before logging on, so its error names the option rather than
    the hook's ``older_than`` parameter.
    """
    if args.older_than is not None and not args.older_than >= 0:
        raise UsageError(f"--older-than: {args.older_than:g} is not allowed; a number of seconds >= 0")
    if args.older_than is None and not args.dry_run:
        raise UsageError(
            "--older-than: not given; required without --dry-run: seconds a job must be idle to be dropped"
        )
    report = hook_for(args).cleanup_orphans(
        dry_run=args.dry_run, owner=args.owner, older_than=args.older_than
    )
    verb = "Would drop" if args.dry_run else "Dropped"
    data = {
        "dry_run": args.dry_run,
        "jobs": [_row(job) for job in report.orphans],
        "skipped": [{**_row(s.job), "reason": s.reason} for s in report.skipped],
    }
    lines = [f"{verb} {r['owner']}.{r['job_name']} ({r['state']})" for r in data["jobs"]]
    lines += [f"Left {r['owner']}.{r['job_name']}: {r['reason']}" for r in data["skipped"]]
    emit(args, data, "\n".join(lines) or "No orphaned jobs.")
    return cli.SUCCESS


def _owner(hook: DatapumpHook, args: argparse.Namespace) -> str:
    """The job's owner: as given, else the connected user (as expdp's ATTACH assumes)."""
    return str(args.owner or hook.get_connection(hook.get_conn_id()).login or "").upper()
