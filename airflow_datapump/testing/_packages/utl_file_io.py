"""An open UTL_FILE handle: position, write buffer, and the documented read and write rules.

Kept apart from the package wiring so the byte-level rules (line limits, seeking, what each
open mode permits) can be read and tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from airflow_datapump.testing._packages.files_api import frame, value_error
from airflow_datapump.testing._packages.utl_file_ops import utl_error
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import package_error

_RAW_MAX = 32767


@dataclass
class Handle:
    """One open file. ``mode`` is ``r``, ``w`` or ``a``; ``pos`` is the read offset in bytes;
    ``pending`` holds written bytes not yet flushed; ``line_len`` counts the bytes of the
    current (unterminated) output line, which may not exceed ``max_linesize``."""

    path: Path
    mode: str
    byte_mode: bool
    max_linesize: int
    pos: int = 0
    pending: bytearray = field(default_factory=bytearray)
    line_len: int = 0

    def require_read(self) -> None:
        if self.mode != "r":
            raise utl_error(29283, line=106)

    def require_write(self) -> None:
        if self.mode == "r":
            raise utl_error(29283, line=77)

    def read_at(self, size: int) -> bytes:
        try:
            with self.path.open("rb") as stream:
                stream.seek(self.pos)
                return stream.read(size)
        except OSError as exc:
            raise utl_error(29284, line=106) from exc

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError as exc:
            raise utl_error(29284, line=106) from exc

    def put_text(self, text: str) -> None:
        """PUT and friends: text mode only (ORA-29283 in byte mode, as documented), and no
        output line longer than MAX_LINESIZE bytes (ORA-29285 WRITE_ERROR)."""
        self.require_write()
        if self.byte_mode:
            raise utl_error(29283, line=77)
        data = text.encode("utf-8")
        parts = data.split(b"\n")
        first = self.line_len + len(parts[0])
        if max([first, *(len(part) for part in parts[1:])]) > self.max_linesize:
            raise utl_error(29285, line=77)
        line_len = first if len(parts) == 1 else len(parts[-1])
        self.pending += data
        self.line_len = line_len

    def put_bytes(self, data: bytes) -> None:
        """PUT_RAW: any write mode; RAW values are at most 32767 bytes by type."""
        self.require_write()
        self.pending += data
        self.line_len = len(data) - data.rindex(b"\n") - 1 if b"\n" in data else self.line_len + len(data)

    def flush(self) -> None:
        if not self.pending:
            return
        try:
            with self.path.open("ab") as stream:
                stream.write(self.pending)
        except OSError as exc:
            raise utl_error(29285, line=77) from exc
        self.pending.clear()

    def seek(self, absolute: int | None, relative: int | None) -> None:
        """FSEEK: read mode only (ORA-29283 otherwise, as documented). ABSOLUTE_OFFSET wins
        when both are given [U]; it must lie in 0..file size. A RELATIVE_OFFSET that passes
        the start stops at 0; one that passes the end is ORA-29290 (INVALID_OFFSET)."""
        self.require_read()
        size = self.size()
        if absolute is not None:
            if not 0 <= absolute <= size:
                raise utl_error(29290, line=1217)
            self.pos = absolute
        elif relative is not None:
            target = max(self.pos + relative, 0)
            if target > size:
                raise utl_error(29290, line=1217)
            self.pos = target
        else:
            raise utl_error(29290, line=1217)

    def position(self) -> int:
        """FGETPOS: the byte offset. Byte-mode files raise ORA-29283, per the 19c usage notes
        as remembered [U]; in write modes it counts buffered bytes too."""
        if self.byte_mode:
            raise utl_error(29283, line=1180)
        if self.mode == "r":
            return self.pos
        return self.size() + len(self.pending)


def no_data_found() -> OracleError:
    return package_error(1403, frame("UTL_FILE", 106))


def read_line(handle: Handle, length: int | None) -> str | None:
    """GET_LINE: the next line without its ``\\n`` (NULL for an empty line).

    End of file is ORA-01403. A line longer than MAX_LINESIZE is ORA-29284 (READ_ERROR), the
    error Oracle users meet when they forget to raise MAX_LINESIZE. With an explicit LEN
    smaller than MAX_LINESIZE, the first LEN bytes are returned and the rest of the line
    comes with the next call [U], never splitting a UTF-8 character. Byte-mode handles are
    refused with ORA-29283, per the 19c usage notes [U].
    """
    handle.require_read()
    if handle.byte_mode:
        raise utl_error(29283, line=106)
    if length is not None and length < 1:
        raise value_error("UTL_FILE", 106)
    partial = length is not None and length < handle.max_linesize
    limit = min(length, handle.max_linesize) if length is not None else handle.max_linesize
    data = handle.read_at(limit + 1)
    if not data:
        raise no_data_found()
    newline = data.find(b"\n")
    if 0 <= newline <= limit:
        line, consumed = data[:newline], newline + 1
    elif len(data) <= limit:
        line, consumed = data, len(data)
    elif partial:
        cut = limit
        while cut > 0 and data[cut] & 0xC0 == 0x80:
            cut -= 1
        line, consumed = data[:cut], cut
    else:
        raise utl_error(29284, line=106)
    handle.pos += consumed
    return line.decode("utf-8", errors="replace") or None


def read_raw(handle: Handle, length: int | None) -> bytes:
    """GET_RAW: up to LEN bytes (default and maximum 32767), ignoring line terminators;
    ORA-01403 at end of file. Allowed in text and byte read modes."""
    handle.require_read()
    size = _RAW_MAX if length is None else min(max(length, 0), _RAW_MAX)
    data = handle.read_at(size) if size else b""
    if not data:
        raise no_data_found()
    handle.pos += len(data)
    return data
