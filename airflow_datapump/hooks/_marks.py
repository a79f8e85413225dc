"""Whose job it is, from the hook's side: the marks a job's log carries (core/stamp.py).

Reading a job's log and writing a mark into it (LOG_ENTRY over a short ATTACH), sync for
operators and async for triggers, and the submit call's start mark whose token tells, after
a lost reply, whether that very submit started its job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from airflow_datapump.core import calls, stamp
from airflow_datapump.core.calls import Call, FileChunk
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatabaseCallError, TransientConnectionError

log = logging.getLogger(__name__)


class MarksMixin:
    """The log-mark operations of :class:`~airflow_datapump.hooks.datapump.DatapumpHook`."""

    run_call: Callable[[Call[Any]], Any]
    arun_call: Callable[[Call[Any]], Any]
    _retrying: Callable[[Callable[[], Any]], Any]
    _aretrying: Callable[[Callable[[], Any]], Any]
    read_file: Callable[..., tuple[str, int]]  # hooks/files.py: the one chunked read of a file
    aread_file: Callable[..., Coroutine[Any, Any, tuple[str, int]]]  # and its async twin

    def read_job_log(self, job: JobRef) -> tuple[str, int] | None:
        """The job's whole log and the offset after it; None when it has no readable log."""
        if not (job.log_file and job.log_directory):
            return None
        try:
            return self.read_file(job.log_directory, job.log_file)
        except TransientConnectionError:
            raise  # retried already: the log may be there, the database is not
        except DatabaseCallError:
            return None  # no such file, no directory, no privilege: no readable log

    async def aread_job_log(self, job: JobRef) -> tuple[str, int] | None:
        """The async :meth:`read_job_log`: the whole log, as a mark is settled against every
        mark before it, and a claim or a restart's start is written wherever the log has got to."""
        if not (job.log_file and job.log_directory):
            return None
        try:
            return await self.aread_file(job.log_directory, job.log_file)
        except TransientConnectionError:
            raise
        except DatabaseCallError:
            return None

    async def _aread_log_start(self, job: JobRef) -> str | None:
        """The first chunk of the job's log (up to 8 MB); None without one.

        Only for a submit's start token: a submit's start mark is written before its job
        starts, so it is in the first chunk. Any other mark may be anywhere in the log.
        """
        if not (job.log_file and job.log_directory):
            return None
        call = calls.read_file(job.log_directory, job.log_file)
        try:
            chunk: FileChunk = await self._aretrying(partial(self.arun_call, call))
        except TransientConnectionError:
            raise
        except DatabaseCallError:
            return None
        return chunk.text

    def mark(self, job: JobRef, mark: stamp.Mark) -> bool:
        """Write ``mark`` into the job's log, read the log back, and say whether it took effect."""
        self._retrying(lambda: self.run_call(calls.mark(job.job_name, job.owner, mark.line())))
        read = self.read_job_log(job)
        return stamp.settle(read[0].splitlines() if read else [], mark)

    async def async_mark(self, job: JobRef, mark: stamp.Mark) -> bool:
        """The async :meth:`mark`."""
        await self._aretrying(lambda: self.arun_call(calls.mark(job.job_name, job.owner, mark.line())))
        read = await self.aread_job_log(job)
        return stamp.settle(read[0].splitlines() if read else [], mark)


def submit_call(
    spec: JobSpec, job_name: str | None, consistent: bool, run: RunStamp | None, try_number: int | None
) -> tuple[Call[JobRef], str]:
    """The submit call, carrying a start mark whose token proves later that it ran."""
    start = stamp.new_mark("start", run, try_number)
    call = calls.submit(spec, job_name=job_name, consistent=consistent, log_entry=start.line())
    return call, str(start.token)


def started(log_text: str | None, token: str, ref: JobRef) -> bool:
    """Whether the log shows the submit with ``token`` started its job (running or long done)."""
    if log_text is None or not stamp.submitted_with(log_text.splitlines(), token):
        return False
    log.info("Job %s.%s was started before the connection failed", ref.owner, ref.job_name)
    return True
