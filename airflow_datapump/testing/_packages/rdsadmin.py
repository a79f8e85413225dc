"""RDSADMIN.RDSADMIN_S3_TASKS and RDSADMIN.RDS_FILE_UTIL, as Amazon RDS for Oracle has them.

From the RDS User Guide ("Transferring files between RDS for Oracle and an Amazon S3
bucket"): UPLOAD_TO_S3 and DOWNLOAD_FROM_S3 are functions that return a task id at once and
run the transfer as a background task, whose log is ``dbtask-<task id>.log`` in the BDUMP
directory, read with ``SELECT text FROM TABLE(rdsadmin.rds_file_util.read_text_file('BDUMP',
'dbtask-<id>.log'))``; ``rds_file_util.listdir(p_directory)`` lists a directory (FILENAME,
TYPE, FILESIZE, MTIME; "Listing files in a DB instance directory"). Upload takes the files
of ``p_directory_name`` whose names start with ``p_prefix`` to keys ``p_s3_prefix`` + file
name; download takes the objects whose keys start with ``p_s3_prefix`` into the directory
under the key's last part, and skips a file that already exists there. Only one directory
level is moved (no subdirectories).

Emulated: the bucket is the folder ``<state>/object-store/<bucket>`` (shared with DBMS_CLOUD);
the task runs to its end inside the call that starts it (on RDS it runs in the background, so
a caller must poll the log either way). [U] The task id's form (``<epoch ms>-<n>``), the
wording of the log lines other than "The task finished successfully." / "The task failed.",
and the errors for a missing bucket or directory.
"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from airflow_datapump.testing._packages.files_api import DirectoryError, FileAccess, frame, param, text_arg
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Subprogram, package_error
from airflow_datapump.testing._values import (
    DATE,
    NUMBER,
    VARCHAR2,
    CollectionKind,
    CollectionType,
    CollectionValue,
    ObjectType,
    ObjectValue,
    Value,
)

TEXT_LINE = ObjectType("RDSADMIN", "RDS_TEXT_FILE_LINE", (("TEXT", VARCHAR2),))  # [U] the type names
TEXT_FILE = CollectionType("RDSADMIN", "RDS_TEXT_FILE_TAB", TEXT_LINE, CollectionKind.NESTED_TABLE)
DIR_ENTRY = ObjectType(  # [U] the type names and TYPE's case ("file" / "directory" as the Guide shows)
    "RDSADMIN",
    "RDS_DIR_ENTRY",
    (("FILENAME", VARCHAR2), ("TYPE", VARCHAR2), ("FILESIZE", NUMBER), ("MTIME", DATE)),
)
DIR_LISTING = CollectionType("RDSADMIN", "RDS_DIR_TAB", DIR_ENTRY, CollectionKind.NESTED_TABLE)
SUCCEEDED = "The task finished successfully."
FAILED = "The task failed."


@dataclass(frozen=True)
class Site:
    """What the packages need of the caller's database: its BDUMP folder, clock and task ids."""

    bdump: Path
    now: dt.datetime
    next_task_id: Callable[[], str]


def _error(package: str, code: int, *args: object) -> OracleError:
    return package_error(code, frame(package, 1), args=args)


class _Task:
    """One task's log, written as the task goes."""

    def __init__(self, site: Site) -> None:
        self.id = site.next_task_id()
        self.now = site.now
        self.lines: list[str] = []
        self.path = site.bdump / f"dbtask-{self.id}.log"

    def say(self, text: str, level: str = "INFO ") -> None:
        stamp = self.now.strftime("%Y-%m-%d %H:%M:%S.000")
        self.lines.append(f"{stamp} UTC [{level}] {text}")

    def close(self, ok: bool) -> str:
        self.say(SUCCEEDED) if ok else self.say(FAILED, "ERROR")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("\n".join(self.lines) + "\n")
        return self.id


def build_s3_tasks(files: FileAccess, store: Path, site: Callable[[object], Site]) -> PackageSpec:
    """RDSADMIN_S3_TASKS: UPLOAD_TO_S3 and DOWNLOAD_FROM_S3, each returning its task id."""

    def folder(ctx: CallContext, args: dict[str, Value], privilege: str) -> Path:
        name = (text_arg(args, "P_DIRECTORY_NAME") or "").upper()
        try:
            return files.directory_path(ctx.session, name, "READ" if privilege == "READ" else "WRITE")
        except DirectoryError as exc:
            raise _error("RDSADMIN.RDSADMIN_S3_TASKS", 20003, f"Directory {name} is not valid") from exc

    def begin(ctx: CallContext, args: dict[str, Value], privilege: str) -> tuple[Path, _Task, str, str]:
        """The directory (checked before the task exists), the new task, bucket and key prefix."""
        path = folder(ctx, args, privilege)
        bucket, s3_prefix = text_arg(args, "P_BUCKET_NAME") or "", text_arg(args, "P_S3_PREFIX") or ""
        return path, _Task(site(ctx.session)), bucket, s3_prefix

    def no_bucket(task: _Task, bucket: str) -> str:
        task.say(f"The bucket {bucket} does not exist or this instance cannot reach it.", "ERROR")
        return task.close(False)

    def upload(ctx: CallContext, args: dict[str, Value]) -> Value:
        source, task, bucket, s3_prefix = begin(ctx, args, "READ")
        if not (store / bucket).is_dir():
            return no_bucket(task, bucket)
        names = sorted(p.name for p in source.iterdir() if p.is_file())
        chosen = [n for n in names if n.startswith(text_arg(args, "P_PREFIX") or "")]
        for number, name in enumerate(chosen, 1):
            key = s3_prefix + name
            task.say(
                f"File #{number}: Uploading the file {source / name} to Amazon S3 "
                f"with bucket name {bucket} and key {key}."
            )
            (store / bucket / key).parent.mkdir(parents=True, exist_ok=True)
            (store / bucket / key).write_bytes((source / name).read_bytes())
            task.say(
                f"The file {source / name} was uploaded to Amazon S3 with bucket name {bucket} and key {key}."
            )
        return task.close(True)

    def download(ctx: CallContext, args: dict[str, Value]) -> Value:
        target, task, bucket, s3_prefix = begin(ctx, args, "WRITE")
        if not (store / bucket).is_dir():
            return no_bucket(task, bucket)
        keys = sorted(
            p.relative_to(store / bucket).as_posix() for p in (store / bucket).rglob("*") if p.is_file()
        )
        chosen = [k for k in keys if k.startswith(s3_prefix)]
        if not chosen and (text_arg(args, "P_ERROR_ON_ZERO_DOWNLOADS") or "FALSE").upper() == "TRUE":
            task.say(f"No Amazon S3 objects in bucket {bucket} have keys starting with {s3_prefix}.", "ERROR")
            return task.close(False)
        for key in chosen:
            name = key.rsplit("/", 1)[-1]
            if (target / name).exists():
                task.say(f"The file {target / name} already exists; the download of key {key} was skipped.")
                continue
            (target / name).write_bytes((store / bucket / key).read_bytes())
            task.say(
                f"The task downloaded the Amazon S3 object with bucket name {bucket} "
                f"and key {key} to {target / name}."
            )
        return task.close(True)

    bucket, directory = param("P_BUCKET_NAME", VARCHAR2), param("P_DIRECTORY_NAME", VARCHAR2)
    s3_prefix = param("P_S3_PREFIX", VARCHAR2, opt=True, default="")
    subs = [
        Subprogram(
            "UPLOAD_TO_S3",
            (bucket, param("P_PREFIX", VARCHAR2, opt=True, default=""), s3_prefix, directory,
             param("P_COMPRESSION_LEVEL", NUMBER, opt=True)),
            VARCHAR2,
            upload,
        ),
        Subprogram(
            "DOWNLOAD_FROM_S3",
            (bucket, directory, s3_prefix,
             param("P_ERROR_ON_ZERO_DOWNLOADS", VARCHAR2, opt=True, default="FALSE"),
             param("P_DECOMPRESSION_FORMAT", VARCHAR2, opt=True)),
            VARCHAR2,
            download,
        ),
    ]  # fmt: skip
    return PackageSpec("RDSADMIN.RDSADMIN_S3_TASKS", subprograms={s.name: [s] for s in subs})


def build_file_util(files: FileAccess, site: Callable[[object], Site]) -> PackageSpec:
    """RDS_FILE_UTIL.READ_TEXT_FILE (a text file's lines) and LISTDIR (a directory's entries),
    each for SELECT ... FROM TABLE(...)."""

    def readable(ctx: CallContext, directory: str) -> Path:
        """The directory object's folder, or the ORA-20003 both functions raise for it."""
        try:
            return files.directory_path(ctx.session, directory, "READ")
        except DirectoryError as exc:
            raise _error("RDSADMIN.RDS_FILE_UTIL", 20003, f"Directory {directory} is not valid") from exc

    def listdir(ctx: CallContext, args: dict[str, Value]) -> Value:
        base = readable(ctx, (text_arg(args, "P_DIRECTORY") or "").upper())
        elements: dict[int | str, Value] = {}
        for number, path in enumerate(sorted(base.iterdir()), 1):
            info = path.stat()  # one stat per entry: its kind, size and time
            folder = stat.S_ISDIR(info.st_mode)
            elements[number] = ObjectValue(
                DIR_ENTRY,
                {
                    "FILENAME": path.name + ("/" if folder else ""),
                    "TYPE": "directory" if folder else "file",
                    "FILESIZE": Decimal(info.st_size),
                    "MTIME": dt.datetime.fromtimestamp(info.st_mtime).replace(microsecond=0),
                },
            )
        return CollectionValue(DIR_LISTING, elements)

    def read_text_file(ctx: CallContext, args: dict[str, Value]) -> Value:
        directory = (text_arg(args, "P_DIRECTORY") or "").upper()
        name = text_arg(args, "P_FILENAME") or ""
        base = site(ctx.session).bdump if directory == "BDUMP" else readable(ctx, directory)
        path = base / name
        if "/" in name or not path.is_file():
            raise _error("RDSADMIN.RDS_FILE_UTIL", 29283)
        lines = path.read_text().splitlines()
        elements: dict[int | str, Value] = {
            i: ObjectValue(TEXT_LINE, {"TEXT": line}) for i, line in enumerate(lines, 1)
        }
        return CollectionValue(TEXT_FILE, elements)

    sub = Subprogram(
        "READ_TEXT_FILE",
        (param("P_DIRECTORY", VARCHAR2), param("P_FILENAME", VARCHAR2)),
        TEXT_FILE,
        read_text_file,
    )
    listing = Subprogram("LISTDIR", (param("P_DIRECTORY", VARCHAR2),), DIR_LISTING, listdir)
    return PackageSpec("RDSADMIN.RDS_FILE_UTIL", subprograms={sub.name: [sub], listing.name: [listing]})
