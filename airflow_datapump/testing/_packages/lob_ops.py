"""DBMS_LOB's data rules on plain ``str`` (CLOB) and ``bytes`` (BLOB, BFILE) contents.

Pure functions: no locators, files or sessions, so the offset arithmetic (1-based; characters
for CLOB, bytes for BLOB and BFILE) and the documented edge cases are tested in isolation.
CLOB offsets count Python code points; Oracle counts UCS-2 code units, so a character outside
the Basic Multilingual Plane counts 1 here and 2 in Oracle (documented limitation).
"""

from __future__ import annotations

from typing import TypeVar

from airflow_datapump.testing._packages.files_api import frame
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import package_error

LOBMAXSIZE = 18446744073709551615
MAX_BUFFER = 32767
Data = TypeVar("Data", str, bytes)

EXCEPTIONS: dict[str, int] = {
    "INVALID_ARGVAL": 21560,
    "ACCESS_ERROR": 22925,
    "NOEXIST_DIRECTORY": 22285,
    "NOPRIV_DIRECTORY": 22286,
    "INVALID_DIRECTORY": 22287,
    "OPERATION_FAILED": 22288,
    "UNOPENED_FILE": 22289,
    "OPEN_TOOMANY": 22290,
}


def lob_error(code: int, *args: object, more: tuple[str, ...] = ()) -> OracleError:
    """An error as DBMS_LOB raises it (extra lines such as the OS detail come before the
    package frame, as in Oracle's stacks)."""
    return package_error(code, *more, frame("DBMS_LOB", 1014), args=args)


def invalid_argval(position: int) -> OracleError:
    """ORA-21560 (INVALID_ARGVAL), naming the offending argument's position as Oracle does."""
    return lob_error(21560, position)


def invalid_locator() -> OracleError:
    """ORA-22275, what DBMS_LOB gives for a NULL (uninitialised) CLOB or BLOB locator."""
    return lob_error(22275)


def filler(data: Data) -> Data:
    """The padding WRITE puts in a gap: spaces in a CLOB, zero bytes in a BLOB (documented)."""
    return " " if isinstance(data, str) else b"\x00"


def substr(data: Data, amount: int | None, offset: int | None) -> Data | None:
    """SUBSTR: NULL for NULL, AMOUNT outside 1..32767, OFFSET below 1, or OFFSET past the end
    (all documented as returning NULL rather than raising)."""
    if amount is None or offset is None or not 1 <= amount <= MAX_BUFFER or offset < 1:
        return None
    piece = data[offset - 1 : offset - 1 + amount]
    return piece or None


def instr(data: Data, pattern: Data | None, offset: int | None, nth: int | None) -> int | None:
    """INSTR: the 1-based position of the NTH match at or after OFFSET, 0 if none; NULL for
    NULL or invalid arguments (OFFSET or NTH below 1), as documented."""
    if not pattern or offset is None or nth is None or offset < 1 or nth < 1:
        return None
    start = offset - 1
    for _ in range(nth):
        found = data.find(pattern, start)
        if found < 0:
            return 0
        start = found + 1
    return start


def read(data: Data, amount: int | None, offset: int | None) -> Data:
    """READ: AMOUNT (argument 2) must be 1..32767 and OFFSET (argument 3) at least 1, else
    ORA-21560; reading at or past the end is NO_DATA_FOUND, as documented."""
    if amount is None or not 1 <= amount <= MAX_BUFFER:
        raise invalid_argval(2)
    if offset is None or offset < 1:
        raise invalid_argval(3)
    piece = data[offset - 1 : offset - 1 + amount]
    if not piece:
        raise package_error(1403, frame("DBMS_LOB", 1089))
    return piece


def write(data: Data, amount: int | None, offset: int | None, buffer: Data) -> Data:
    """WRITE: AMOUNT (argument 2) of BUFFER at OFFSET (argument 3), overwriting; a gap past
    the end is padded. AMOUNT larger than the buffer is ORA-21560 (documented)."""
    if amount is None or not 1 <= amount <= len(buffer):
        raise invalid_argval(2)
    if offset is None or offset < 1:
        raise invalid_argval(3)
    return place(data, buffer[:amount], offset)


def place(data: Data, piece: Data, offset: int) -> Data:
    """``piece`` written over ``data`` at 1-based ``offset``, padding any gap."""
    gap = offset - 1 - len(data)
    head = data + filler(data) * gap if gap > 0 else data[: offset - 1]
    return head + piece + data[offset - 1 + len(piece) :]


def trim(data: Data, newlen: int | None) -> Data:
    """TRIM: NEWLEN beyond the current length is ORA-22926 (documented); negative ORA-21560."""
    if newlen is None or newlen < 0:
        raise invalid_argval(2)
    if newlen > len(data):
        raise lob_error(22926)
    return data[:newlen]


def copy(data: Data, src: Data, amount: int | None, dest_offset: int | None, src_offset: int | None) -> Data:
    """COPY: AMOUNT from SRC at SRC_OFFSET into DEST at DEST_OFFSET, as WRITE does; copying
    past the source's end copies what is there (documented)."""
    if amount is None or amount < 1:
        raise invalid_argval(3)
    if dest_offset is None or dest_offset < 1:
        raise invalid_argval(4)
    if src_offset is None or src_offset < 1:
        raise invalid_argval(5)
    piece = src[src_offset - 1 : src_offset - 1 + amount]
    return place(data, piece, dest_offset) if piece else data


def load_range(size: int, amount: int | None, src_offset: int | None) -> tuple[int, int]:
    """The (start, stop) byte range LOAD*FROMFILE reads from a BFILE of ``size`` bytes.

    AMOUNT = LOBMAXSIZE loads to the end of the file (documented). Otherwise an AMOUNT past
    the end is ORA-22993 [U: 19c documents this for LOADBLOBFROMFILE/LOADCLOBFROMFILE]. A
    SRC_OFFSET past the end is ORA-22994, whose Cause in Database Error Messages names LOB
    LOADFROMFILE (offset 1 of an empty file is left open [U] and loads nothing).
    """
    if src_offset is None or src_offset < 1:
        raise invalid_argval(5)
    if amount is None or amount < 0:
        raise invalid_argval(3)
    start = src_offset - 1
    if start > 0 and start >= size:
        raise lob_error(22994)
    if amount == LOBMAXSIZE:
        return start, max(size, start)
    if start + amount > size:
        raise lob_error(22993)
    return start, start + amount
