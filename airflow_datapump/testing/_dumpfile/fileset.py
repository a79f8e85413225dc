"""Writing and reading a whole dump file set (the export and import sides).

Export (:func:`write_dump_set`):

- Every template is instantiated once; more names come from templates with ``%U``/``%L``
  (order in :func:`.names.generate_names`). At least ``degree`` files are made when the
  templates allow it, because each parallel worker writes its own file; more when FILESIZE
  forces it.
- File 1 holds the master: its header lists every member's name and the body length. Every
  file's header carries the job's facts, its own number and the set's file count, so each one
  is self-describing (GET_DUMPFILE_INFO works on any member).
- Without FILESIZE the body is cut into equal consecutive pieces, one per file; with FILESIZE
  it fills file 1, then file 2 ... and files beyond the data stay header-only.
- The members a job opens first are created, header only, when it starts (:mod:`.unfinished`)
  and are left behind if it fails or stops; the finished set replaces them when it completes.
  The finished set is written once it is known to fit and no other file would be overwritten
  without REUSEFILE. Oracle writes until it runs out of space; the emulator fails before
  writing the body, so a failure there leaves the unfinished members, as Oracle leaves a
  partly written set **[U simplification]**.

Import (:func:`read_dump_set`): every named file must be a member of one set (same GUID), the
master (file 1) must be among them, and the numbers 1..file_count must all be present; the
body is reassembled in file-number order.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import (
    DumpFileError,
    cannot_create,
    compat_too_new,
    file_exists,
    invalid_dump,
    master_missing,
    set_incomplete,
    space_exhausted,
    version_too_new,
)
from .format import (
    BodyWriter,
    MalformedDumpError,
    body_lines,
    header_region,
    read_piece,
    write_member,
)
from .member import MemberInfo, read_member
from .model import DumpContents, JsonDict, facts_to_json, file_format_version, version_tuple
from .names import (
    check_filesize,
    expand_name,
    generate_names,
    member_number,
    substitution_limit,
)

Piece = tuple[int, int]  # where a member's slice of the body starts, and its length
RowSink = Callable[[int, Iterator[str]], None]


@dataclass(frozen=True)
class WrittenFile:
    """One member as written: the name the log and ``ku$_JobStatus.files`` show, and more."""

    name: str
    path: Path
    size: int
    file_number: int


def write_dump_set(
    contents: DumpContents,
    folder: Path,
    templates: list[str],
    *,
    degree: int = 1,
    filesize: int | None = None,
    reuse: bool = False,
    password: str | None = None,
    folders: list[Path] | None = None,
    own_guid: str | None = None,
) -> list[WrittenFile]:
    """Write ``contents`` as a dump file set into ``folder`` and return the members.

    :param templates: the dump file names given to ADD_FILE, in order; may contain %U / %L.
    :param degree: the job's PARALLEL; default 1.
    :param filesize: maximum bytes per file (already parsed, see :func:`.names.parse_filesize`);
        default None, unlimited.
    :param reuse: REUSEFILE=1: overwrite existing files; default False (ORA-27038 stack).
    :param password: the ENCRYPTION_PASSWORD, needed for PASSWORD and DUAL modes; it must match
        ``contents.encryption.verifier`` and is never stored.
    :param folders: one folder per template, for files given each its own directory object
        (``DUMPFILE=dir1:a%U.dmp,dir2:b%U.dmp``); default None, all in ``folder``.
    :param own_guid: the writing job's GUID: its own unfinished members (written when it
        started, :mod:`.unfinished`) are replaced whatever ``reuse`` says; default None.
    :raises DumpFileError: ORA-31641/27038 (file exists), ORA-39095 (space exhausted),
        ORA-39000 (FILESIZE too small), ORA-39124 (bad substitution variable).
    """
    if not templates:
        raise ValueError("a dump file set needs at least one file name")
    limit = check_filesize(filesize) if filesize is not None else None
    with tempfile.TemporaryFile() as body:  # the body is staged on disk, never held whole
        keys, length = _write_body(body, contents, password)
        facts = facts_to_json(contents)
        base = minimum_files(templates, degree)
        names, pieces, headers = _plan(facts, keys, length, templates, base, limit)
        paths = [folder_of(name, templates, folders) or folder / name for name in names]
        check_targets(paths, reuse, own_guid)
        written = []
        for number, (path, (start, size), header) in enumerate(zip(paths, pieces, headers, strict=True), 1):
            try:
                with path.open("wb") as handle:
                    total = write_member(handle, header, body, start, size)
            except OSError as exc:
                raise cannot_create(path, str(exc)) from exc
            written.append(WrittenFile(name=path.name, path=path, size=total, file_number=number))
    return written


def folder_of(name: str, templates: list[str], folders: list[Path] | None) -> Path | None:
    """The path of a member in the folder of the template that named it."""
    if folders is None:
        return None
    for template, place in zip(templates, folders, strict=True):
        if template == name or member_number(template, name) is not None:
            return place / name
    return None


def _write_body(sink: BinaryIO, contents: DumpContents, password: str | None) -> tuple[JsonDict | None, int]:
    """The body (format.py): the objects line, then each counted object's row lines."""
    writer = BodyWriter(sink, contents.compression, contents.encryption, password)
    writer.write(json.dumps(contents.objects, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
    for index, obj in enumerate(contents.objects):
        expected = obj.get("row_count") if isinstance(obj, dict) else None
        if not expected:
            continue
        if contents.rows is None:
            raise ValueError(f"object {index} has a row_count but the contents have no rows")
        batch: list[bytes] = []
        count = 0
        for line in contents.rows(index):
            batch.append(line.encode())
            count += 1
            if len(batch) >= 4096:
                writer.write(b"\n".join(batch) + b"\n")
                batch = []
        if batch:
            writer.write(b"\n".join(batch) + b"\n")
        if count != expected:
            raise ValueError(f"object {index} has a row_count of {expected} but {count} rows came")
    writer.close()
    return writer.keys, writer.length


def minimum_files(templates: list[str], degree: int) -> int:
    """One file per distinct template name, and at least ``degree`` if the templates allow."""
    initial = {expand_name(t, 1) if substitution_limit(t) > 1 else t for t in templates}
    wanted = max(len(initial), degree)
    return sum(1 for _ in itertools.islice(generate_names(templates), wanted))


def _plan(
    facts: JsonDict, keys: JsonDict | None, length: int, templates: list[str], base: int,
    limit: int | None,
) -> tuple[list[str], list[Piece], list[JsonDict]]:  # fmt: skip
    """Choose the member count, names, body pieces and headers (ORA-39095 if it cannot fit)."""
    count = base
    if limit is not None:
        probe = _headers(facts, keys, ["x" * 255] * 2, length)[1]
        per_file = limit - header_region(probe)
        count = max(base, -(-length // per_file))
    while True:
        names = list(itertools.islice(generate_names(templates), count))
        if len(names) < count:
            raise space_exhausted()
        headers = _headers(facts, keys, names, length)
        if limit is None:
            return names, _even_pieces(length, count), headers
        capacities = [limit - header_region(h) for h in headers]
        if sum(capacities) >= length:
            return names, _sequential_pieces(length, capacities), headers
        count += 1


def _headers(facts: JsonDict, keys: JsonDict | None, names: list[str], body_length: int) -> list[JsonDict]:
    """The JSON header of every member; file 1 also carries the master's member list."""
    headers = []
    for number in range(1, len(names) + 1):
        master = number == 1
        header: JsonDict = {
            "file_number": number,
            "file_count": len(names),
            "master_present": master,
            "master_piece_number": 1 if master else 0,
            "master_piece_count": 1,
            "facts": facts,
            "keys": keys,
        }
        if master:
            header["members"] = names
            header["body_length"] = body_length
        headers.append(header)
    return headers


def _even_pieces(length: int, count: int) -> list[Piece]:
    size = -(-length // count) if length else 0
    return [(min(i * size, length), max(0, min(size, length - i * size))) for i in range(count)]


def _sequential_pieces(length: int, capacities: list[int]) -> list[Piece]:
    pieces, start = [], 0
    for capacity in capacities:
        pieces.append((min(start, length), max(0, min(capacity, length - start))))
        start += capacity
    return pieces


def check_targets(paths: list[Path], reuse: bool, own_guid: str | None = None) -> None:
    """Refuse to overwrite without REUSEFILE (the job's own unfinished members aside), and
    anything that is not a regular file."""
    for path in paths:
        if path.exists() or path.is_symlink():
            if not reuse and not (own_guid and unfinished_of(path, own_guid)):
                raise file_exists(path)
            if not path.is_file():
                raise cannot_create(path, "not a regular file")


def unfinished_of(path: Path, guid: str) -> bool:
    """Whether ``path`` is an unfinished member (:mod:`.unfinished`) of the export with this GUID."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        member = read_member(path)
    except DumpFileError:
        return False
    return member.contents.guid == guid and bool(member.raw.header.get("unfinished"))


def read_dump_set(
    paths: list[Path],
    *,
    password: str | None = None,
    db_version: str = "19.0.0.0.0",
    rows: RowSink | None = None,
) -> DumpContents:
    """Read a dump file set back: the import side.

    :param paths: every member to use (see :func:`expand_templates`), in any order.
    :param password: ENCRYPTION_PASSWORD; default None.
    :param db_version: release of the importing database; default ``"19.0.0.0.0"``.
    :param rows: called as ``rows(i, lines)`` for each object with a ``row_count``, with an
        iterator over its rows' JSON texts, read from the files as it is consumed; default
        None, the rows are read past.
    :raises DumpFileError: ORA-31640/27037 (missing), ORA-39143 (original export), ORA-31619
        (not a dump, or another set's member), ORA-39246 (no master), ORA-39059 (incomplete),
        ORA-39142 / ORA-39358 (too new), ORA-39174 / ORA-39176 (password).
    """
    members = [read_member(path) for path in _unique(paths)]
    if not members:
        raise ValueError("read_dump_set needs at least one file")
    master = next((m for m in members if m.master_present and m.file_number == 1), None)
    guid = (master or members[0]).contents.guid
    for member in members:
        if member.contents.guid != guid:
            raise invalid_dump(member.path)
    if master is None:
        raise master_missing()
    _check_version(master, db_version)
    by_number: dict[int, MemberInfo] = {}
    for member in members:
        by_number.setdefault(member.file_number, member)
    if any(n not in by_number for n in range(1, master.file_count + 1)):
        raise set_incomplete()
    ordered = [by_number[n] for n in range(1, master.file_count + 1)]
    if sum(m.raw.piece_length for m in ordered) != master.body_length:
        raise invalid_dump(master.path)
    chunks = itertools.chain.from_iterable(read_piece(m.path, m.raw) for m in ordered)
    facts = master.contents
    lines = body_lines(chunks, facts.compression, facts.encryption, master.keys, password)
    try:
        objects = _read_body(lines, rows)
    except (MalformedDumpError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise invalid_dump(master.path) from exc
    return dataclasses.replace(facts, master_present=True, objects=objects)


def _read_body(lines: Iterator[bytes], rows: RowSink | None) -> list[JsonDict]:
    objects = json.loads(next(lines, b"").decode("utf-8"))
    if not isinstance(objects, list):
        raise MalformedDumpError("body is not a list of objects")
    for index, obj in enumerate(objects):
        count = obj.get("row_count") if isinstance(obj, dict) else None
        if not isinstance(count, int) or count <= 0:
            continue
        group = _counted(lines, count)
        if rows is not None:
            rows(index, (line.decode("utf-8") for line in group))
        for _ in group:  # whatever the callback did not read
            pass
    if next(lines, None) is not None:
        raise MalformedDumpError("rows beyond the counted ones")
    return objects


def _counted(lines: Iterator[bytes], count: int) -> Iterator[bytes]:
    for _ in range(count):
        line = next(lines, None)
        if line is None:
            raise MalformedDumpError("fewer rows than counted")
        yield line


def _unique(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    result = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            result.append(path)
    return result


def _check_version(master: MemberInfo, db_version: str) -> None:
    """ORA-39142 when the file format is newer; ORA-39358 when only VERSION is (12.2+)."""
    dump_format = master.contents.file_version
    target_compat = ".".join(str(p) for p in (*version_tuple(db_version), 0, 0)[:3])
    if version_tuple(dump_format) > version_tuple(file_format_version(target_compat)):
        raise version_too_new(master.path, dump_format)
    if version_tuple(master.contents.version)[:2] > version_tuple(target_compat)[:2]:
        raise compat_too_new(master.contents.version, target_compat)


def expand_templates(folder: Path, templates: list[str]) -> list[Path]:
    """The files an import with these DUMPFILE templates would use.

    A plain name is used as given, existing or not (a missing one then fails with ORA-31640 on
    read, as Oracle reports it). A ``%U``/``%L`` template is tried 01, 02 ... until the first
    number with no file (Utilities guide, import DUMPFILE). Then the member list in any master
    found adds names the templates cover but the scan missed (after a gap), so a missing member
    surfaces as ORA-31640 rather than going unnoticed. Members the templates do not cover are
    not added: Oracle needs the specification to "encompass the entire set".
    """
    found: list[Path] = []
    for template in templates:
        if substitution_limit(template) == 1:
            found.append(folder / template)
            continue
        for number in itertools.count(1):
            if number > substitution_limit(template):
                break
            path = folder / expand_name(template, number)
            if not path.is_file():
                break
            found.append(path)
    for name in _master_member_names(found):
        if any(member_number(t, name) is not None for t in templates):
            found.append(folder / name)
    return _unique(found)


def _master_member_names(paths: list[Path]) -> list[str]:
    """Member names recorded by any master among ``paths`` (unreadable files are skipped)."""
    names: list[str] = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            member = read_member(path)
        except DumpFileError:
            continue
        names.extend(member.members)
    return names
