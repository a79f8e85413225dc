"""Job names and the file names that default from them (reference §1 "Job names").

A generated name is upper case, letters, digits and ``_``, and at most 30 bytes by default, so
that it is also valid before 12.2 where identifiers are limited to 30 bytes; up to 128 bytes
may be asked for. Explicit, unique names are the documented way to avoid both ORA-31634 and
the 99-leftover limit of default names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

_PREFIX = {"EXPORT": "EXP", "IMPORT": "IMP", "SQL_FILE": "SQL"}
_CLEAN = re.compile(r"[^A-Z0-9_]+")


def generate_job_name(operation: str, *, now: dt.datetime | None = None, max_bytes: int = 30) -> str:
    """A fresh name: ``DP_EXP_20261122101500_1A2B3C`` (28 bytes)."""
    if not 20 <= max_bytes <= 128:
        raise ValueError(f"max_bytes: {max_bytes!r} is not allowed; 20 to 128")
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d%H%M%S")
    return f"DP_{_PREFIX[operation]}_{stamp}_{secrets.token_hex(3).upper()}"[:max_bytes]


def derived_job_name(prefix: str, *parts: str, max_bytes: int = 30) -> str:
    """A name that is the same every time for the same parts (a task run, say), so a retry
    finds the job its first try started. Readable prefix, then a digest of all the parts."""
    if not 20 <= max_bytes <= 128:
        raise ValueError(f"max_bytes: {max_bytes!r} is not allowed; 20 to 128")
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest().upper()[:10]
    readable = _CLEAN.sub("_", prefix.upper()).strip("_") or "DP"
    if not readable[0].isalpha():
        readable = "DP_" + readable
    room = max_bytes - len(digest) - 1
    return f"{readable[:room].rstrip('_')}_{digest}"


def default_dump_file(job_name: str) -> str:
    return f"{job_name}_%U.dmp"


def default_log_file(job_name: str) -> str:
    return f"{job_name}.log"


def default_sql_file(job_name: str) -> str:
    return f"{job_name}.sql"
