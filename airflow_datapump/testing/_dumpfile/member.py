"""Reading one member's header: the self-description every dump file carries.

Shared by the import side (:func:`read_dump_set`, :func:`expand_templates`) and
GET_DUMPFILE_INFO, so all of them agree on what counts as a dump file and on the error each
kind of non-dump gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import cannot_open, classic_export, invalid_dump
from .format import MalformedDumpError, MemberHeader, read_member_header, read_prefix, sniff
from .model import DumpContents, facts_from_json


@dataclass(frozen=True)
class MemberInfo:
    """What one file's header says about itself and its set, without reading the body.

    ``contents`` has the set's header facts with ``objects`` empty and ``master_present`` as
    recorded in this file; ``members`` (names of every file of the set) and ``body_length``
    are only known from the master file (file 1).
    """

    path: Path
    file_number: int
    file_count: int
    master_present: bool
    master_piece_number: int
    master_piece_count: int
    size: int
    contents: DumpContents
    members: tuple[str, ...]
    body_length: int | None
    keys: dict[str, Any] | None
    raw: MemberHeader


def read_member(path: Path) -> MemberInfo:
    """Read and check the header of ``path`` as the import side does.

    Raises :class:`~.errors.DumpFileError`: ORA-31640 if the file is missing or unreadable,
    ORA-39143 for an original ``exp`` file, ORA-31619 for anything else that is not a
    well-formed emulated dump member.
    """
    if not path.is_file():
        raise cannot_open(path)
    try:
        kind = sniff(read_prefix(path))
        if kind == "classic":
            raise classic_export(path)
        if kind == "other":
            raise invalid_dump(path)
        raw = read_member_header(path)
        return member_from_header(path, raw)
    except OSError as exc:
        raise cannot_open(path) from exc
    except (MalformedDumpError, KeyError, TypeError, ValueError) as exc:
        raise invalid_dump(path) from exc


def member_from_header(path: Path, raw: MemberHeader) -> MemberInfo:
    """Build :class:`MemberInfo` from a parsed header (KeyError/TypeError if fields lack)."""
    head = raw.header
    master = bool(head["master_present"])
    contents = facts_from_json(head["facts"], master_present=master, objects=[])
    body_length = head.get("body_length")
    return MemberInfo(
        path=path,
        file_number=int(head["file_number"]),
        file_count=int(head["file_count"]),
        master_present=master,
        master_piece_number=int(head.get("master_piece_number", 1 if master else 0)),
        master_piece_count=int(head.get("master_piece_count", 1)),
        size=path.stat().st_size,
        contents=contents,
        members=tuple(str(name) for name in head.get("members", ())),
        body_length=None if body_length is None else int(body_length),
        keys=head.get("keys"),
        raw=raw,
    )
