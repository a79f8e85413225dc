"""An export's dump files over its life: opened at START_JOB, growing, finished or left behind.

Oracle creates the dump files when an export starts writing and keeps them when the job fails
or is stopped (Utilities guide, STOP_JOB: the job can be restarted "if the master table and
dump file set are not disturbed"); a restarted job goes on writing them. The emulator does the
same (:mod:`airflow_datapump.testing._dumpfile.unfinished`): :func:`begin` at the first
START_JOB, :func:`grow` as the job moves, :func:`finish` when it completes. What a kill
(STOP_JOB with keep_master 0) does to them follows the reading ``KILLED_DUMP_FILES``
(:func:`killed`): the Utilities guide's Export KILL_JOB says the dump files are deleted, the
PL/SQL Packages reference's STOP_JOB says nothing of them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from airflow_datapump.testing._datapump import locations, logfile, model, plan_export, secrets, staging
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._dumpfile import (
    BLOCK_SIZE,
    Compression,
    DumpContents,
    Encryption,
    begin_dump_set,
    grow_member,
    parse_filesize,
    remove_unfinished,
    resolve_version,
    write_dump_set,
)
from airflow_datapump.testing._dumpfile.names import member_number

# ku$_DumpFile.file_type, the device (KU$_DUMPFILE_TYPE_DISK, KU$_DUMPFILE_TYPE_URIDISK).
DUMPFILE_TYPE_DISK, DUMPFILE_TYPE_URIDISK = 0, 4


def writes_dump(job: Job) -> bool:
    """An export that writes a dump file set (an ESTIMATE_ONLY job writes none)."""
    return job.operation == "EXPORT" and bool(job.dump_files) and job.param("ESTIMATE_ONLY") != 1


def begin(ctx: WorkContext, job: Job, moment: dt.datetime) -> None:
    """Create the members the export opens first (DumpFileError if one may not be created)."""
    places = _places(ctx, job)
    written = begin_dump_set(contents(ctx, job, moment), *_set_args(job, places))
    job.written = [{**_entry(job, places, w.path), "size": w.size, "header": w.size} for w in written]


def grow(job: Job, done: float) -> None:
    """Lengthen the unfinished members to share ``done`` bytes of work between them."""
    unfinished = [f for f in job.written if "header" in f]
    if not unfinished:
        return
    share = -(-int(done) // len(unfinished))
    for entry in unfinished:
        target = int(entry["header"]) + -(-share // BLOCK_SIZE) * BLOCK_SIZE
        if target > int(entry["size"]):
            entry["size"] = grow_member(Path(entry["path"]), target, int(entry["size"]))


def killed(ctx: WorkContext, job: Job) -> None:
    """A kill deletes the job's unfinished members, or keeps them, by the reading."""
    from airflow_datapump.testing._datapump.common import reading  # common imports progress

    if reading(ctx.db, "KILLED_DUMP_FILES") == "DELETED":
        remove_unfinished([Path(f["path"]) for f in job.written if "header" in f], job.guid)


def finish(ctx: WorkContext, job: Job, moment: dt.datetime) -> None:
    """Write the finished set over the job's own unfinished members (DumpFileError if it cannot)."""
    places = _places(ctx, job)
    folder, templates, degree, reuse, folders = _set_args(job, places)
    written = write_dump_set(
        contents(ctx, job, moment),
        folder,
        templates,
        degree=degree,
        reuse=reuse,
        folders=folders,
        filesize=parse_filesize(job.dump_files[0].get("filesize")),
        password=secrets.reveal(job),
        own_guid=job.guid,
    )
    kept = {w.path for w in written}
    remove_unfinished([Path(f["path"]) for f in job.written if Path(f["path"]) not in kept], job.guid)
    job.written = [{**_entry(job, places, w.path), "size": w.size} for w in written]
    logfile.dump_file_set(ctx.db, job, moment, [str(f["shown"]) for f in job.written])


def _places(ctx: WorkContext, job: Job) -> list[tuple[Path, str]]:
    """(folder, name) of each dump file: a directory's folder, or the object store's prefix."""
    places = [locations.file_place(ctx, f) for f in job.dump_files]
    for spec, (folder, _) in zip(job.dump_files, places, strict=True):
        if spec["type"] == model.FILE_URI:  # an object store has no folders to create first
            folder.mkdir(parents=True, exist_ok=True)
    return places


def _entry(job: Job, places: list[tuple[Path, str]], path: Path) -> dict[str, Any]:
    """A member as the job records it: where it lies, and the name and device type its status
    and log show. A URI member is shown as its URI (the template's with the member's last
    segment) with device KU$_DUMPFILE_TYPE_URIDISK (4); a directory's as its path, device 0."""
    for spec, (folder, template) in zip(job.dump_files, places, strict=True):
        if (
            spec["type"] == model.FILE_URI
            and folder == path.parent
            and member_number(template, path.name) is not None
        ):
            shown = str(spec["name"]).rsplit("/", 1)[0] + "/" + path.name
            return {"name": path.name, "path": str(path), "shown": shown, "device": DUMPFILE_TYPE_URIDISK}
    return {"name": path.name, "path": str(path), "shown": str(path), "device": DUMPFILE_TYPE_DISK}


def _set_args(job: Job, places: list[tuple[Path, str]]) -> tuple[Path, list[str], int, bool, list[Path]]:
    """(folder, templates, degree, reuse, folders): what both set writers are told of the files."""
    reuse = any(int(f.get("reuse") or 0) == 1 for f in job.dump_files)
    return places[0][0], [name for _, name in places], job.degree, reuse, [folder for folder, _ in places]


def contents(ctx: WorkContext, job: Job, moment: dt.datetime) -> DumpContents:
    """What the job's dump file headers say of it, and (when it completes) its objects and rows."""
    password = secrets.reveal(job)
    mode = job.param("ENCRYPTION_MODE") or ("PASSWORD" if password else None)
    scope = job.param("ENCRYPTION") or ("ALL" if mode else "NONE")
    metadata, data = scope in ("ALL", "METADATA_ONLY"), scope in ("ALL", "DATA_ONLY")
    if mode in ("PASSWORD", "DUAL") and password:
        encryption = Encryption.with_password(mode, password, metadata=metadata, data=data)
    elif mode == "TRANSPARENT":
        encryption = Encryption("TRANSPARENT", metadata=metadata, data=data)
    else:
        encryption = Encryption()
    compression = job.param("COMPRESSION") or "METADATA_ONLY"
    held = sorted(job.plan, key=plan_export.import_rank)  # whatever order they were unloaded in
    return DumpContents(
        job_name=job.name,
        job_owner=job.owner,
        job_mode=job.mode,
        creation_time=moment,
        guid=job.guid,
        db_version=ctx.database.version,
        version=resolve_version(job.version, ctx.database.version),
        compression=Compression(
            metadata=compression in ("METADATA_ONLY", "ALL"),
            data=compression in ("DATA_ONLY", "ALL"),
            algorithm=job.param("COMPRESSION_ALGORITHM"),
        ),
        encryption=encryption,
        objects=[{k: v for k, v in i.items() if k not in ("done", "rows_id")} for i in held],
        rows=lambda index: staging.staged(ctx.db, job, held[index]["rows_id"]),
    )
