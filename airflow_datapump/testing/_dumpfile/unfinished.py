"""The members of a set an export is still writing: created when it starts, growing as it runs.

Oracle creates an export's dump files when the job starts writing (the Utilities guide's
DUMPFILE: each file specification "is instantiated into one fully qualified file name and
Export attempts to create it"; real status output shows a running job's member with "bytes
written: 4,096" **[P]**), they grow while it runs, and a job that fails or is stopped leaves
them behind: STOP_JOB says a job can be restarted "if the master table and dump file set are
not disturbed". So an emulated export writes, at START_JOB, one header-only member per file
its templates and degree call for (:func:`begin_dump_set`): the job's facts (name, owner,
GUID ...) and no master, so GET_DUMPFILE_INFO reads it as a Data Pump file with no master
and an import of it fails with ORA-39246, as a killed export's set does. :func:`grow_member`
lengthens a member as the job moves (zeros after the header: the size is what is modelled,
not the bytes). When the job completes, :func:`~.fileset.write_dump_set` replaces the job's
own unfinished members (the same GUID, :func:`unfinished_of`) with the finished set.
"""

from __future__ import annotations

import io
import itertools
import os
from pathlib import Path

from .errors import cannot_create
from .fileset import WrittenFile, check_targets, folder_of, minimum_files, unfinished_of
from .format import write_member
from .model import DumpContents, JsonDict, facts_to_json
from .names import generate_names


def begin_dump_set(
    contents: DumpContents,
    folder: Path,
    templates: list[str],
    degree: int = 1,
    reuse: bool = False,
    folders: list[Path] | None = None,
) -> list[WrittenFile]:
    """Create the members a starting export opens first, header only; return them.

    :param templates: the dump file names given to ADD_FILE, in order; may contain %U / %L.
    :param degree: the job's PARALLEL (one file per worker when the templates allow); default 1.
    :param reuse: REUSEFILE=1: an existing file is overwritten; default False (ORA-31641 stack).
    :param folders: one folder per template; default None, all in ``folder``.
    :raises DumpFileError: ORA-31641/27038 (a file exists), ORA-31641 (cannot be created).
    """
    if not templates:
        raise ValueError("a dump file set needs at least one file name")
    names = list(itertools.islice(generate_names(templates), minimum_files(templates, degree)))
    paths = [folder_of(name, templates, folders) or folder / name for name in names]
    check_targets(paths, reuse)
    facts = facts_to_json(contents)
    written = []
    for number, path in enumerate(paths, 1):
        try:
            with path.open("wb") as handle:
                size = write_member(handle, _header(facts, number, len(paths)), io.BytesIO(), 0, 0)
        except OSError as exc:
            raise cannot_create(path, str(exc)) from exc
        written.append(WrittenFile(name=path.name, path=path, size=size, file_number=number))
    return written


def _header(facts: JsonDict, number: int, count: int) -> JsonDict:
    return {
        "file_number": number,
        "file_count": count,
        "master_present": False,
        "master_piece_number": 0,
        "master_piece_count": 1,
        "facts": facts,
        "keys": None,
        "unfinished": True,
    }


def grow_member(path: Path, size: int, was: int) -> int:
    """Lengthen an unfinished member from ``was`` to ``size`` bytes; its size after.

    A member that is gone, or not the size the job left it (someone replaced it while the job
    ran), is left alone: the job notices only when it completes, as it would on a disk.
    """
    try:
        if path.stat().st_size != was:
            return was
        if size > was:
            os.truncate(path, size)
            return size
        return was
    except OSError:
        return was


def remove_unfinished(paths: list[Path], guid: str) -> list[Path]:
    """Delete the members among ``paths`` that are this export's unfinished ones; the deleted."""
    removed = []
    for path in paths:
        if unfinished_of(path, guid):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


__all__ = ["begin_dump_set", "grow_member", "remove_unfinished", "unfinished_of"]
