"""Pages of a job's log read from its end backwards, in bounded chunks: no I/O here.

A Data Pump log grows for as long as the job runs (tens of thousands of lines for a large
schema), and the page showing it refreshes every few seconds; reading the whole file each
time would cost a round trip per 32 KB of log and the whole file's bytes. So a page is
read from a byte offset (the file's end, or where the previous page began) backwards, one
chunk at a time, only until it holds the lines asked for: what one page costs is bounded by
the lines asked for, not by the size of the log.

The file is read through a BFILE by byte offsets and arrives as text. A chunk that starts
inside a line may start inside a multi-byte character too, so its first partial line is
never used: it is read again, whole, as the end of the next chunk. Every offset is counted
from the end of a chunk over complete lines only, whose bytes are exactly their UTF-8
encoding (the emulator's and Oracle's AL32UTF8 databases; see docs/emulator.md).

:class:`TailReader` says which byte range to read next and takes what was read, so the
hook's loop is "ask, read, feed" and this module is tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Bytes asked for per read; a page of 200 log lines of about 100 bytes takes one read.
CHUNK_BYTES = 32 * 1024
#: The most one page reads; a single line longer than this is returned cut at its start.
MAX_PAGE_BYTES = 1024 * 1024
#: Bytes from the log's start read for the run stamp (written before the job starts).
HEAD_BYTES = 8 * 1024


@dataclass(frozen=True)
class LogPage:
    """Lines ``first`` to ``end`` (byte offsets) of a log ``length`` bytes long.

    ``first`` is passed back as ``before`` for the page before this one; 0 means there is none.
    ``bytes_read`` is what reading this page cost.
    """

    lines: tuple[str, ...]
    first: int
    end: int
    length: int
    bytes_read: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": list(self.lines),
            "first": self.first,
            "end": self.end,
            "length": self.length,
            "bytes_read": self.bytes_read,
        }


class TailReader:
    """Reads the last ``lines`` lines before byte ``before`` (the end when None) of a log.

    :param length: the file's length in bytes, as the database reported it.
    :param lines: how many lines the page holds, at least 1.
    :param before: a byte offset returned as a page's ``first``; None for the end.
    """

    def __init__(self, length: int, lines: int, before: int | None = None) -> None:
        if lines < 1:
            raise ValueError(f"lines: {lines!r} is not allowed; a whole number >= 1")
        self.length = length
        self.wanted = lines
        self.end = length if before is None else max(0, min(before, length))
        self.start = self.end  # kept text runs from here (a line start) to ``end``
        self.kept: list[str] = []
        self.window = CHUNK_BYTES
        self.read = 0
        self._asked: tuple[int, int] | None = None

    def next_range(self) -> tuple[int, int] | None:
        """The (byte offset, byte count) to read next, or None when the page is complete."""
        if self.start == 0 or len(self.kept) >= self.wanted or self.read >= MAX_PAGE_BYTES:
            return None
        low = max(0, self.start - min(self.window, MAX_PAGE_BYTES - self.read))
        self._asked = (low, self.start - low)
        return self._asked

    def feed(self, text: str) -> None:
        """Take the text of the range :meth:`next_range` asked for."""
        if self._asked is None:
            raise RuntimeError("feed() without next_range()")
        low, size = self._asked
        self._asked = None
        self.read += size
        cut = 0 if low == 0 else text.find("\n") + 1  # a chunk from mid-line drops that line
        rest = text[cut:]
        parts = rest.split("\n")
        if parts[-1] == "":
            parts.pop()  # the text ends at a line start: no empty line after it
        if low > 0 and (cut == 0 or not parts):
            if self.read < MAX_PAGE_BYTES:
                self.window *= 2  # no whole line in the chunk: ask for more of it
                return
            self._keep(text.rstrip("\n").split("\n"), low)  # longer than a page: shown cut
            return
        self._keep(parts, low + size - len(rest.encode()))

    def _keep(self, parts: list[str], start: int) -> None:
        self.kept[:0] = parts
        self.start = start

    def page(self) -> LogPage:
        """The page read so far: at most ``lines`` lines, the last ones before ``end``."""
        extra = self.kept[: max(0, len(self.kept) - self.wanted)]
        first = self.start + sum(len(line.encode()) + 1 for line in extra)
        shown = tuple(line.rstrip("\r") for line in self.kept[len(extra) :])
        return LogPage(shown, first, self.end, self.length, self.read)
