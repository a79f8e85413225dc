"""``--wait``: a progress bar and the job's log as it grows, then the exit code of its end.

The polling is the hook's own :meth:`~DatapumpHook.wait` (one status round trip per poll,
the log read from where the last poll stopped); this module only shows what each poll
brings. The bar is rich's, which Airflow already installs; it goes to standard error with the
log, so standard output holds only the answer (``--output json`` stays parseable).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from airflow_datapump import cli
from airflow_datapump.core.status import (
    JobStatus,
    Outcome,
    Verdict,
    advice_for,
    disallowed_codes,
    error_codes,
)
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import JobResult
from airflow_datapump.hooks.datapump import DatapumpHook


class _Display:
    def __init__(self, progress: Progress | None, console: Console, task: TaskID | None) -> None:
        self.progress = progress
        self.console = console
        self.task = task

    def show(self, status: JobStatus) -> None:
        for line in status.log_lines:
            self.console.print(line, markup=False, highlight=False)
        if self.progress is not None and self.task is not None and not status.is_gone:
            self.progress.update(
                self.task, completed=status.percent_done or 0, description=f"{status.state.value:<12}"
            )

    def finish(self, result: JobResult) -> None:
        if self.progress is not None and self.task is not None:
            done = 100 if result.verdict is Verdict.SUCCEEDED else None
            self.progress.update(self.task, completed=done, description=f"{_ending(result):<12}")


def _ending(result: JobResult) -> str:
    """The bar's last word: a completion with errors is not called a success (exit code 2)."""
    outcome = result.outcome
    if result.verdict is Verdict.SUCCEEDED and outcome.outcome is Outcome.COMPLETED_WITH_ERRORS:
        return f"completed with {outcome.error_count} error(s)"
    return result.verdict.value


@contextmanager
def _display(job: JobRef, enabled: bool) -> Iterator[_Display]:
    console = Console(file=sys.stderr, soft_wrap=True)
    if not enabled:
        yield _Display(None, console, None)
        return
    columns = (
        TextColumn(f"{job.job_name} {{task.description}}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
    )
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as progress:
        yield _Display(progress, console, progress.add_task("DEFINING", total=100))


def wait(hook: DatapumpHook, job: JobRef, args: argparse.Namespace) -> JobResult:
    with _display(job, not args.no_progress) as display:
        result = hook.wait(
            job, poll_interval=args.poll_interval, timeout=args.timeout, on_status=display.show
        )
        display.finish(result)
        return result


def exit_code(result: JobResult, allowed: str) -> int:
    """0, 1 or 2 for how the job ended, as the module docstring of :mod:`airflow_datapump.cli` says.

    Exit 2 says on standard error which codes ``--allowed-errors`` lacked, with advice for
    those whose lines say too little (ORA-39120), so the DBA need not scan the log for them.
    """
    if result.verdict is not Verdict.SUCCEEDED:
        return cli.FAILED
    if result.outcome.outcome is Outcome.COMPLETED_WITH_ERRORS:
        permitted = tuple(code.strip().upper() for code in allowed.split(",") if code.strip())
        lines = list(result.log_lines)
        disallowed = disallowed_codes(lines, permitted)
        if disallowed or not error_codes(lines):
            said = ", ".join(disallowed) or "their codes (none in the log read)"
            print(
                f"airflow-datapump: completed with errors: {said} not in --allowed-errors"
                f"{advice_for(disallowed, lines)}",
                file=sys.stderr,
            )
            return cli.COMPLETED_WITH_ERRORS
    return cli.SUCCESS
