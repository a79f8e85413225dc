"""The emulator's Data Pump dump file set format.

An emulated export creates its first members, header only, when it starts
(:func:`begin_dump_set`) and writes the whole set into the directory object's folder with
:func:`write_dump_set` when it completes; an emulated import reads them back with
:func:`read_dump_set` (members found by :func:`expand_templates`); DBMS_DATAPUMP.GET_DUMPFILE_INFO is
:func:`dumpfile_info`. The format is the emulator's own and is documented in
:mod:`.format`; it is deliberately not Oracle's.

Errors::

    Exception
     └── DumpFileError      .lines ("ORA-nnnnn: text", outermost first), .code, .codes
"""

from __future__ import annotations

from .errors import DumpFileError
from .fileset import WrittenFile, expand_templates, read_dump_set, write_dump_set
from .format import MAGIC
from .info import FILETYPE_CLASSIC, FILETYPE_DATAPUMP, FILETYPE_UNKNOWN, dumpfile_info, oracle_date
from .member import MemberInfo, read_member
from .model import (
    Compression,
    DumpContents,
    Encryption,
    PasswordVerifier,
    file_format_version,
    new_guid,
    resolve_version,
)
from .names import BLOCK_SIZE, MIN_FILESIZE, check_filesize, expand_name, parse_filesize
from .unfinished import begin_dump_set, grow_member, remove_unfinished, unfinished_of

__all__ = [
    "BLOCK_SIZE",
    "FILETYPE_CLASSIC",
    "FILETYPE_DATAPUMP",
    "FILETYPE_UNKNOWN",
    "MAGIC",
    "MIN_FILESIZE",
    "Compression",
    "DumpContents",
    "DumpFileError",
    "Encryption",
    "MemberInfo",
    "PasswordVerifier",
    "WrittenFile",
    "begin_dump_set",
    "check_filesize",
    "dumpfile_info",
    "expand_name",
    "expand_templates",
    "file_format_version",
    "grow_member",
    "new_guid",
    "oracle_date",
    "parse_filesize",
    "read_dump_set",
    "read_member",
    "remove_unfinished",
    "resolve_version",
    "unfinished_of",
    "write_dump_set",
]
