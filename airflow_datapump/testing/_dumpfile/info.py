"""DBMS_DATAPUMP.GET_DUMPFILE_INFO over emulated dump files (§2.17).

:func:`dumpfile_info` returns ``(filetype, items)``: filetype 1 with the ``ku$_dumpfile_info``
items (item code, text value) for an emulated dump member, 2 with no items for an original
``exp`` file, 0 with no items for any other readable file. A missing or unreadable file raises
ORA-39211 (NO_DUMPFILE_INFO). Item codes and the ENCRYPTION_MODE values are documented (V);
how each value is spelled is inferred and marked **[U]** below.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .errors import no_dumpfile_info
from .format import MalformedDumpError, read_member_header, read_prefix, sniff
from .member import MemberInfo, member_from_header

FILETYPE_UNKNOWN = 0
FILETYPE_DATAPUMP = 1
FILETYPE_CLASSIC = 2

FILE_VERSION = 1
MASTER_PRESENT = 2
GUID = 3
FILE_NUMBER = 4
CHARSET_ID = 5
CREATION_DATE = 6
FLAGS = 7
JOB_NAME = 8
PLATFORM = 9
INSTANCE = 10
LANGUAGE = 11
BLOCKSIZE = 12
DIRPATH = 13
METADATA_COMPRESSED = 14
DB_VERSION = 15
MASTER_PIECE_COUNT = 16
MASTER_PIECE_NUMBER = 17
DATA_COMPRESSED = 18
METADATA_ENCRYPTED = 19
DATA_ENCRYPTED = 20
COLUMNS_ENCRYPTED = 21
ENCRYPTION_MODE = 22
COMPRESSION_ALG = 23

_ENCRYPTION_MODES = {None: 2, "PASSWORD": 3, "DUAL": 4, "TRANSPARENT": 5}
_COMPRESSION_ALGS = {None: 2, "BASIC": 3, "LOW": 4, "MEDIUM": 5, "HIGH": 6}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

DumpfileInfo = tuple[int, list[tuple[int, str]]]


def dumpfile_info(path: Path) -> DumpfileInfo:
    """GET_DUMPFILE_INFO for one file: ``(filetype, [(item_code, value), ...])``.

    A file that starts with the emulator's magic but whose header is damaged is reported as
    filetype 0 (unknown) rather than an error **[U]**.

    :param path: a :class:`pathlib.Path` to the file inside the directory object's folder.
    :raises DumpFileError: ORA-39211 when the file is missing or cannot be read.
    """
    try:
        if not path.is_file():
            raise no_dumpfile_info()
        kind = sniff(read_prefix(path))
        if kind == "classic":
            return FILETYPE_CLASSIC, []
        if kind == "other":
            return FILETYPE_UNKNOWN, []
        member = member_from_header(path, read_member_header(path))
    except OSError as exc:
        raise no_dumpfile_info() from exc
    except (MalformedDumpError, KeyError, TypeError, ValueError):
        return FILETYPE_UNKNOWN, []
    return FILETYPE_DATAPUMP, info_items(member)


def info_items(member: MemberInfo) -> list[tuple[int, str]]:
    """The items for one member, in item-code order.

    Spellings **[U]**: booleans as ``"1"``/``"0"``; JOB_NAME as ``"OWNER"."NAME"`` (the form
    Oracle's show_dumpfile_info sample output prints); LANGUAGE as the character set name
    (e.g. ``AL32UTF8``, as those samples show) rather than the NLS_LANG-style ``language``
    fact; DB_VERSION as Oracle prints it, two digits a part (``19.00.00.00.00``); FLAGS
    ``"0"``; MASTER_PIECE_NUMBER 0 in files without the master.
    """
    facts = member.contents
    comp, enc = facts.compression, facts.encryption
    values: dict[int, str | int | bool] = {
        FILE_VERSION: facts.file_version,
        MASTER_PRESENT: member.master_present,
        GUID: facts.guid.upper(),
        FILE_NUMBER: member.file_number,
        CHARSET_ID: facts.charset_id,
        CREATION_DATE: oracle_date(facts.creation_time),
        FLAGS: 0,
        JOB_NAME: f'"{facts.job_owner}"."{facts.job_name}"',
        PLATFORM: facts.platform,
        INSTANCE: facts.instance,
        LANGUAGE: facts.charset,
        BLOCKSIZE: facts.block_size,
        DIRPATH: 1,
        METADATA_COMPRESSED: comp.metadata,
        DB_VERSION: _two_digit_version(facts.db_version),
        MASTER_PIECE_COUNT: member.master_piece_count,
        MASTER_PIECE_NUMBER: member.master_piece_number,
        DATA_COMPRESSED: comp.data,
        METADATA_ENCRYPTED: enc.metadata,
        DATA_ENCRYPTED: enc.data,
        COLUMNS_ENCRYPTED: enc.columns,
        ENCRYPTION_MODE: _ENCRYPTION_MODES.get(enc.mode, 1),
        COMPRESSION_ALG: _compression_alg(comp.metadata or comp.data, comp.algorithm),
    }
    return [(code, _text(value)) for code, value in sorted(values.items())]


def _compression_alg(compressed: bool, algorithm: str | None) -> int:
    """NONE (2) when nothing is compressed, BASIC (3) when compressed with no algorithm set.

    Oracle's default COMPRESSION_ALGORITHM is BASIC, hence the fallback **[U]**.
    """
    if not compressed:
        return _COMPRESSION_ALGS[None]
    return _COMPRESSION_ALGS.get(algorithm or "BASIC", 1)


def _text(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _two_digit_version(version: str) -> str:
    parts = [p for p in version.split(".") if p]
    padded = [*parts, "0", "0", "0", "0", "0"][:5]
    return ".".join(p.zfill(2) for p in padded)


def oracle_date(moment: _dt.datetime) -> str:
    """``'Sun Nov 22 10:00:00 2026'``: the date form Data Pump uses in headers and logs.

    English names are built by hand so the result does not depend on the process locale.
    """
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:02d} "
        f"{moment:%H:%M:%S} {moment.year}"
    )
