"""Amazon RDS for Oracle's S3 tasks: the calls that start them and read their logs, and the verdict.

Pure values, no I/O. ``rdsadmin.rdsadmin_s3_tasks.upload_to_s3`` / ``download_from_s3`` return a
task id at once; the task runs in the background and writes ``dbtask-<task id>.log`` in BDUMP,
read with ``rdsadmin.rds_file_util.read_text_file`` (RDS User Guide). Its last line says how
the task ended; until then it is running.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from airflow_datapump.core import plsql
from airflow_datapump.core.calls import Call, Rows, Values
from airflow_datapump.core.names import SUBSTITUTION
from airflow_datapump.exceptions import SpecError

SUCCEEDED_LINE = "The task finished successfully."
FAILED_LINE = "The task failed."
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")  # S3's bucket naming rules


class TaskVerdict(Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def check_bucket(value: Any) -> str:
    if not isinstance(value, str) or not _BUCKET.match(value):
        raise SpecError(
            "bucket_name", value, "an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)"
        )
    return value


def check_s3_prefix(value: Any) -> str:
    """A key prefix ('' or ending in '/' for a folder; no leading '/')."""
    if not isinstance(value, str) or value.startswith("/"):
        raise SpecError("s3_prefix", value, "a key prefix such as 'refresh/hr/' (no leading '/'), or ''")
    return value


def fixed_prefix(template: str) -> str:
    """The part of a dump file template before its first substitution: what every member starts with."""
    return SUBSTITUTION.split(template, 1)[0]


def log_file(task_id: str) -> str:
    return f"dbtask-{task_id}.log"


def upload(bucket: str, *, prefix: str, s3_prefix: str, directory: str) -> Call[str]:
    """Start an upload of the files in ``directory`` whose names start with ``prefix``."""
    binds = {"bucket_name": bucket, "prefix": prefix, "s3_prefix": s3_prefix, "directory": directory}
    return Call(plsql.RDS_UPLOAD_TO_S3, binds, _task_id, query=True)


def download(bucket: str, *, s3_prefix: str, directory: str, error_on_zero: bool = True) -> Call[str]:
    """Start a download of the objects whose keys start with ``s3_prefix`` into ``directory``.

    With ``error_on_zero`` the task fails when no key starts so; without it, finding none is
    a success that brings nothing (how an optional object, such as a manifest, is asked for).
    """
    zero = "TRUE" if error_on_zero else "FALSE"
    binds = {"bucket_name": bucket, "s3_prefix": s3_prefix, "directory": directory, "error_on_zero": zero}
    return Call(plsql.RDS_DOWNLOAD_FROM_S3, binds, _task_id, query=True)


def task_log(task_id: str) -> Call[list[str]]:
    def parse(values: Values, rows: Rows) -> list[str]:
        return [str(row[0]) if row[0] is not None else "" for row in rows]

    return Call(plsql.RDS_TASK_LOG, {"log_file": log_file(task_id)}, parse, query=True)


def listing(directory: str) -> Call[dict[str, int]]:
    """The files in ``directory`` (its subdirectories left out), each with its size in bytes."""

    def parse(values: Values, rows: Rows) -> dict[str, int]:
        return {str(name): int(size or 0) for name, kind, size in rows if str(kind).lower() != "directory"}

    return Call(plsql.RDS_LISTDIR, {"directory": directory}, parse, query=True)


def beside(names: list[str], files: list[str]) -> dict[str, list[str]]:
    """The other files a task started with ``p_prefix`` = name would take, for each name.

    upload_to_s3 selects by name prefix only, so ``hr_01.dmp`` also takes ``hr_01.dmp.part``;
    a download by key prefix brings such objects in the same way.
    """
    found = {name: sorted(f for f in files if f != name and f.startswith(name)) for name in names}
    return {name: others for name, others in found.items() if others}


def could_bring(names: list[str], files: list[str]) -> list[str]:
    """The ``files`` a download asking for keys ``<s3_prefix><name>`` may have written.

    download_from_s3 takes every key that starts with the prefix and names the file after
    the key, so only files whose names start with one of ``names`` can have come from it.
    """
    return sorted(f for f in files if any(f.startswith(name) for name in names))


def _task_id(values: Values, rows: Rows) -> str:
    return str(rows[0][0])


def classify(lines: list[str]) -> TaskVerdict:
    """How the task stands by its log: its closing line, if it has written one."""
    for line in reversed(lines):
        if line.rstrip().endswith(SUCCEEDED_LINE):
            return TaskVerdict.SUCCEEDED
        if line.rstrip().endswith(FAILED_LINE):
            return TaskVerdict.FAILED
    return TaskVerdict.RUNNING


def task_log_errors(lines: list[str]) -> list[str]:
    """An RDS S3 task log's ``[ERROR]`` lines: what a failed task reports. Not Oracle's ORA-
    lines (core/status.py error_lines): the task log tags its own errors."""
    return [line for line in lines if "[ERROR]" in line]


def names_file(lines: list[str], file_name: str) -> bool:
    """Whether the log mentions ``file_name`` as a whole name (not as part of a longer one)."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(file_name)}(?![\w-]|\.\w)")
    return any(pattern.search(line) for line in lines)
