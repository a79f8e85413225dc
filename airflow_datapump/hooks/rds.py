"""Dump file sets moved between Amazon RDS for Oracle and S3 by RDS's own S3 tasks.

The instance does the transfer (no bytes through the worker); the hook starts one task,
polls its log in the worker every ``poll_interval`` seconds (not deferred: a poll is one
short query, and a task seldom runs long enough for a trigger to pay off), and fails with the
log's error lines when the task fails. What the database lets us verify is verified: the task
must log its success line and name every member; the directory side's sizes are read back.
RDS gives no way to read an object's size from SQL, so the S3 side rests on the task's log.

``download_from_s3`` skips a file that already exists in the directory, so a download refuses
to start over existing members (they could be stale or half-written) unless
``replace_existing`` deletes them first.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from airflow_datapump.core import rds
from airflow_datapump.core.transfer import MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks._moving import Files as _Files
from airflow_datapump.hooks._moving import run_package_call

log = logging.getLogger(__name__)
_PACKAGE = "RDSADMIN (Amazon RDS for Oracle's S3 integration)"


class RdsS3Mixin:
    """RDS S3 uploads and downloads of dump file sets; mixed into :class:`DatapumpHook`."""

    def rds_upload_dump_files(
        self: _Files,
        directory: str,
        dump_files: list[str],
        bucket_name: str,
        *,
        s3_prefix: str = "",
        delete_source: bool = False,
        poll_interval: float = 10.0,
        timeout: float = 3600.0,
    ) -> list[MemberCopy]:
        """Upload every member of the sets in ``directory`` to ``s3://bucket_name/s3_prefix``."""
        bucket, prefix = rds.check_bucket(bucket_name), rds.check_s3_prefix(s3_prefix)
        copied: list[MemberCopy] = []
        for template in dump_files:
            members = self.dump_file_members(directory, template)
            if not members:
                raise TransferError(f"no dump files {template} in {directory} to upload")
            for name in members:  # one task each: p_prefix matches by name prefix only
                call = rds.upload(bucket, prefix=name, s3_prefix=prefix, directory=directory)
                lines = wait_for_task(self, run_package_call(self, call, _PACKAGE), poll_interval, timeout)
                if not rds.names_file(lines, name):
                    raise TransferError(f"the upload task's log does not mention {name}", file_name=name)
                copied.append(MemberCopy(name, self.file_size(directory, name) or 0))
        if delete_source:
            self.delete_copied(directory, [m.name for m in copied], "its upload task succeeded")
        return copied

    def rds_download_dump_files(
        self: _Files,
        bucket_name: str,
        dump_files: list[str],
        directory: str,
        *,
        s3_prefix: str = "",
        replace_existing: bool = False,
        poll_interval: float = 10.0,
        timeout: float = 3600.0,
    ) -> list[MemberCopy]:
        """Download every member of the sets under ``s3://bucket_name/s3_prefix`` into ``directory``."""
        bucket, prefix = rds.check_bucket(bucket_name), rds.check_s3_prefix(s3_prefix)
        copied: list[MemberCopy] = []
        for template in dump_files:
            existing = self.dump_file_members(directory, template)
            if existing and not replace_existing:
                raise TransferError(
                    f"{', '.join(existing)} already in {directory}: download_from_s3 would skip them and "
                    "keep files it cannot verify; delete them, or set replace_existing=True"
                )
            for name in existing:
                self.delete_file(directory, name)
            call = rds.download(bucket, s3_prefix=prefix + rds.fixed_prefix(template), directory=directory)
            lines = wait_for_task(self, run_package_call(self, call, _PACKAGE), poll_interval, timeout)
            members = self.dump_file_members(directory, template)
            if not members:
                raise TransferError(f"the download task brought no dump files {template} into {directory}")
            for name in members:
                if not rds.names_file(lines, name):
                    raise TransferError(f"the download task's log does not mention {name}", file_name=name)
                copied.append(MemberCopy(name, self.file_size(directory, name) or 0))
        return copied


def wait_for_task(hook: _Files, task_id: str, poll_interval: float, timeout: float) -> list[str]:
    """Poll the task's log until it ends; its lines when it succeeded, else TransferError."""
    log.info("RDS S3 task %s started; its log is %s in BDUMP", task_id, rds.log_file(task_id))
    deadline, shown = time.monotonic() + timeout, 0
    while True:
        try:
            lines = hook._retrying(partial(hook.run_call, rds.task_log(task_id)))
        except DatabaseCallError:
            lines = []  # the task has not written its log yet
        for line in lines[shown:]:
            log.info("%s", line)
        shown = max(shown, len(lines))
        verdict = rds.classify(lines)
        if verdict is rds.TaskVerdict.SUCCEEDED:
            return list(lines)
        if verdict is rds.TaskVerdict.FAILED:
            reasons = rds.error_lines(lines) or lines[-5:]
            raise TransferError(f"RDS S3 task {task_id} failed: " + " | ".join(reasons))
        if time.monotonic() >= deadline:
            raise TransferError(f"RDS S3 task {task_id} did not finish within {timeout:.0f} s")
        time.sleep(poll_interval)
