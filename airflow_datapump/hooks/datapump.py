"""DatapumpHook: the Data Pump job lifecycle over an Airflow Oracle connection.

Every operation is one :class:`~airflow_datapump.core.calls.Call` (one round trip) run over a
session the hook keeps (sync) or a small pool shared by the process (async, for triggers), so
after warm-up a status poll opens no session. Status, wait and clean-up paths retry transient
failures with backoff; submit never retries blindly: after a failure it looks the job up by
name before deciding.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import oracledb
from airflow.providers.oracle.hooks.oracle import OracleHook

from airflow_datapump.core import calls, rules, stamp
from airflow_datapump.core.calls import Call, DumpFileInfo, FileAttributes
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.status import JobState, JobStatus
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import JobResult, Waiter
from airflow_datapump.exceptions import (
    DatabaseCallError,
    InvalidArgumentError,
    JobNotFoundError,
    PrivilegeError,
    TransientConnectionError,
)
from airflow_datapump.hooks import _pool, _runner
from airflow_datapump.hooks._connect import thick_mode_unavailable
from airflow_datapump.hooks._jobs import JobsMixin
from airflow_datapump.hooks._marks import MarksMixin, started, submit_call
from airflow_datapump.hooks.cloud import CloudMixin
from airflow_datapump.hooks.files import FilesMixin
from airflow_datapump.hooks.objectstore import ObjectStoreMixin
from airflow_datapump.hooks.rds import RdsS3Mixin

log = logging.getLogger(__name__)
T = TypeVar("T")
# What a job that was not running can be after a kill it outlived (see DatapumpHook.kill).
_OUTLIVED_STATES = frozenset({JobState.NOT_RUNNING, JobState.IDLING})
# Connections whose user may not read DBA_TABLESPACES: said once per process, not per import.
_TABLESPACES_UNREADABLE_TOLD: set[str] = set()


class DatapumpHook(MarksMixin, JobsMixin, FilesMixin, ObjectStoreMixin, CloudMixin, RdsS3Mixin, OracleHook):
    """Runs and controls Data Pump jobs through DBMS_DATAPUMP, with no Oracle client.

    :param oracle_conn_id: an Airflow connection of type ``oracle``; it works exactly as it does
        for OracleHook (host/port/service name, SID, DSN, wallet, thick mode, SYSDBA ...).
    :param retry: how status, wait and clean-up calls retry transient failures.
    """

    hook_name = "Oracle Data Pump"

    def __init__(self, *args: Any, retry: RetryPolicy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry = retry or RetryPolicy()
        self._connection: Any = None

    # -- running calls ----------------------------------------------------------------------

    def session(self) -> Any:
        """The hook's database session, opened once and reused until it fails or the hook closes."""
        if self._connection is None:
            try:
                self._connection = self.get_conn()
            except oracledb.DatabaseError as error:
                unavailable = thick_mode_unavailable(error, self.oracle_conn_id)
                if unavailable is None:
                    raise
                raise unavailable from error
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # the session may already be gone; nothing to clean up then
                log.debug("closing a broken Data Pump session failed", exc_info=True)
            self._connection = None

    def run_call(self, call: Call[T]) -> T:
        try:
            return _runner.run(_runner.opened(self.session, call), call)
        except TransientConnectionError:
            self.close()  # reconnect next time
            raise

    def _retrying(self, action: Callable[[], T]) -> T:
        delays = self.retry.delays()
        while True:
            try:
                return action()
            except TransientConnectionError as error:
                delay = next(delays, None)
                if delay is None:
                    raise
                log.warning("Transient database error (%s); retrying in %.1f s", error.code, delay)
                time.sleep(delay)

    async def arun_call(self, call: Call[T]) -> T:
        params = await _pool.params_of(self)
        if self.thick_mode or params.thick:
            return await asyncio.to_thread(self.run_call, call)  # asyncio needs thin mode
        pool = await _pool.get_pool(self)
        return await _runner.apooled(pool, call, lambda connection: _pool.prepare(self, connection))

    async def _aretrying(self, action: Callable[[], Any]) -> Any:
        delays = self.retry.delays()
        while True:
            try:
                return await action()
            except TransientConnectionError as error:
                delay = next(delays, None)
                if delay is None:
                    raise
                log.warning("Transient database error (%s); retrying in %.1f s", error.code, delay)
                await asyncio.sleep(delay)

    # -- submit -----------------------------------------------------------------------------

    def submit(
        self,
        spec: JobSpec,
        *,
        job_name: str | None = None,
        consistent: bool = True,
        run: RunStamp | None = None,
        try_number: int | None = None,
    ) -> JobRef:
        """Define, start and detach a job in one round trip; returns how to find it again.

        Exports are made consistent as of submit (FLASHBACK_SCN) unless the spec sets a
        flashback or ``consistent`` is False. The job's log gets a start mark naming ``run``
        and a token unique to this call (:mod:`~airflow_datapump.core.stamp`). If the reply
        is lost, that token in the log says whether the job started, even when it has
        already finished: such a job is returned, and only a submit that never started is
        sent again.
        """
        if rules.remapped_tablespaces(spec):
            try:
                existing = self._retrying(lambda: self.run_call(calls.permanent_tablespaces()))
                rules.check_remapped_tablespaces(spec, existing)
            except DatabaseCallError as error:
                self._tablespaces_unreadable(error)
        call, token = submit_call(spec, job_name, consistent, run, try_number)
        try:
            ref = self.run_call(call)
        except TransientConnectionError:
            ref = self._recover_submit(call, token)
        log.info("Submitted Data Pump job %s.%s", ref.owner, ref.job_name)
        return ref

    def _tablespaces_unreadable(self, error: DatabaseCallError) -> None:
        """Go on without the REMAP_TABLESPACE check when DBA_TABLESPACES is not readable
        (ORA-00942), saying so once per connection; any other error is raised."""
        if error.code != "ORA-00942":
            raise error
        conn_id = self.get_conn_id()
        if conn_id not in _TABLESPACES_UNREADABLE_TOLD:
            _TABLESPACES_UNREADABLE_TOLD.add(conn_id)
            log.warning(
                "Connection %s may not read DBA_TABLESPACES (ORA-00942; SELECT_CATALOG_ROLE, which "
                "DATAPUMP_IMP_FULL_DATABASE holds, grants it): REMAP_TABLESPACE targets are not "
                "checked before imports, and a missing one fails inside the job (ORA-00959)",
                conn_id,
            )

    def _recover_submit(self, call: Call[JobRef], token: str) -> JobRef:
        user = self._retrying(lambda: self.run_call(calls.current_user()))
        ref = call.parse({"owner": user}, [])
        read = self.read_job_log(ref)
        if started(read[0] if read else None, token, ref):
            return ref
        return self.run_call(call)  # never started; a job of that name now is ORA-31634

    async def async_submit(
        self,
        spec: JobSpec,
        *,
        job_name: str | None = None,
        consistent: bool = True,
        run: RunStamp | None = None,
        try_number: int | None = None,
    ) -> JobRef:
        """The async :meth:`submit`, with the same checks and protection against a lost reply."""
        if rules.remapped_tablespaces(spec):
            try:
                existing = await self._aretrying(lambda: self.arun_call(calls.permanent_tablespaces()))
                rules.check_remapped_tablespaces(spec, existing)
            except DatabaseCallError as error:
                self._tablespaces_unreadable(error)
        call, token = submit_call(spec, job_name, consistent, run, try_number)
        try:
            return await self.arun_call(call)
        except TransientConnectionError:
            user = await self._aretrying(lambda: self.arun_call(calls.current_user()))
        ref = call.parse({"owner": user}, [])
        if started(await self._aread_log_start(ref), token, ref):
            return ref
        return await self.arun_call(call)

    # -- status and waiting ------------------------------------------------------------------

    def status(self, job: JobRef | str, owner: str | None = None, *, log_position: int = 0) -> JobStatus:
        """State, progress and the log lines written since ``log_position``, in one round trip."""
        call = _status_call(job, owner, log_position, self._user)
        return self._retrying(lambda: self.run_call(call))

    async def async_status(
        self, job: JobRef | str, owner: str | None = None, *, log_position: int = 0
    ) -> JobStatus:
        call = _status_call(job, owner, log_position, self._user)
        result: JobStatus = await self._aretrying(lambda: self.arun_call(call))
        return result

    def _user(self) -> str:
        return str(self.get_connection(self.get_conn_id()).login or "").upper()

    def wait(
        self,
        job: JobRef,
        *,
        poll_interval: float = 10.0,
        timeout: float | None = None,
        on_status: Callable[[JobStatus], None] | None = None,
    ) -> JobResult:
        """Poll until the job ends; return how it ended (outcome read from the log, §5)."""
        waiter = Waiter(job, timeout=timeout)
        while True:
            status = self.status(job, log_position=waiter.position)
            if on_status is not None:
                on_status(status)
            result = waiter.observe(status, now=time.monotonic())
            if result is not None:
                return result
            time.sleep(poll_interval)

    # -- control -------------------------------------------------------------------------------

    def stop(self, job_name: str, owner: str, *, immediate: bool = False, keep_master: bool = True) -> None:
        """STOP_JOB: graceful (finish current work) or immediate; keep the master table to restart."""
        self._retrying(
            lambda: self.run_call(calls.stop(job_name, owner, immediate=immediate, keep_master=keep_master))
        )

    def kill(self, job_name: str, owner: str) -> bool:
        """Stop now and drop the master table; False when the job had already left (ORA-31626).

        A job that was not running may outlive its STOP_JOB, or refuse the ATTACH before it,
        where Oracle's documentation leaves that open (docs/emulator.md: STOP_IDLING,
        KEPT_COMPLETED, OTHER_OWNER_STOPPED). When such a job is still there, not running and
        with nobody attached, its master table is dropped: Oracle's own orphan clean-up.
        """
        try:
            left = self._retrying(lambda: self.run_call(calls.kill(job_name, owner)))
        except (JobNotFoundError, PrivilegeError) as refused:
            if self._drop_if_stopped(job_name, owner):
                return True
            if isinstance(refused, JobNotFoundError):
                return False
            raise
        if left:
            self._drop_if_stopped(job_name, owner)
        return True

    def _drop_if_stopped(self, job_name: str, owner: str) -> bool:
        found = self.find_job(job_name, owner)
        if found is None or found.attached_sessions or found.state not in _OUTLIVED_STATES:
            return False
        log.info("Job %s.%s is still %s after the kill: dropping its master table", owner, job_name,
                 found.state.value)  # fmt: skip
        self._retrying(lambda: self.run_call(calls.drop_master(job_name, owner)))
        return True

    async def async_stop(
        self, job_name: str, owner: str, *, immediate: bool = False, keep_master: bool = True
    ) -> bool:
        """The async STOP_JOB; False when the job had already left."""
        call = calls.stop(job_name, owner, immediate=immediate, keep_master=keep_master)
        try:
            await self._aretrying(lambda: self.arun_call(call))
        except JobNotFoundError:
            return False
        return True

    def restart(
        self, job_name: str, owner: str, *, skip_current: bool = False, mark: stamp.Mark | None = None
    ) -> None:
        """ATTACH and START_JOB a stopped job; ``skip_current`` skips the object an import failed on.

        When a reply is lost, the retry finds the job already EXECUTING and START_JOB says
        ORA-39004 (invalid state): that is the restart having worked, so the state decides.
        """
        call = calls.restart(
            job_name, owner, skip_current=skip_current, log_entry=mark.line() if mark else None
        )
        lost = False

        def attempt() -> None:
            nonlocal lost
            try:
                self.run_call(call)
            except TransientConnectionError:
                lost = True
                raise

        try:
            self._retrying(attempt)
        except InvalidArgumentError as error:
            found = self.find_job(job_name, owner) if lost and error.code == "ORA-39004" else None
            if found is None or not found.state.is_active:
                raise
            log.info(
                "Job %s.%s is %s: the restart whose reply was lost worked", owner, job_name, found.state.value
            )

    # -- files (more in FilesMixin) -------------------------------------------------------------

    def dumpfile_info(self, directory: str, file_name: str) -> DumpFileInfo:
        return self._retrying(lambda: self.run_call(calls.dumpfile_info(directory, file_name)))

    def server_version(self) -> str:
        """The database release, learnt at logon (no round trip)."""
        return str(_runner.opened(self.session, calls.list_jobs(everyone=False)).version)

    def file_attributes(self, directory: str, file_name: str) -> FileAttributes:
        return self._retrying(lambda: self.run_call(calls.file_attributes(directory, file_name)))


def _status_call(
    job: JobRef | str, owner: str | None, position: int, user: Callable[[], Any]
) -> Call[JobStatus]:
    if isinstance(job, JobRef):
        return calls.status(
            job.job_name,
            owner or job.owner,
            log_directory=job.log_directory,
            log_file=job.log_file,
            log_position=position,
        )
    return calls.status(job, owner or str(user() or "").upper(), log_position=position)


__all__ = ["DatapumpHook", "JobState"]
