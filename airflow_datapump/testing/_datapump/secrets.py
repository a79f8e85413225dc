"""The job's ENCRYPTION_PASSWORD, kept so that it never appears verbatim in the store.

Oracle keeps it encrypted in the master table. The emulator's job record lives in a SQLite
file, so the password is masked with a keystream derived from the job's GUID: not security,
only a guarantee that the clear text is in no file and no log.
"""

from __future__ import annotations

import base64
import hashlib

from airflow_datapump.testing._datapump.model import Job

KEY = "ENCRYPTION_PASSWORD"


def _stream(job: Job, length: int) -> bytes:
    return hashlib.shake_256(f"emulated-master-table:{job.guid}".encode()).digest(length)


def keep(job: Job, password: str) -> None:
    data = password.encode()
    masked = bytes(a ^ b for a, b in zip(data, _stream(job, len(data)), strict=True))
    job.params[KEY] = [base64.b64encode(masked).decode()]


def reveal(job: Job) -> str | None:
    stored = job.param(KEY)
    if stored is None:
        return None
    masked = base64.b64decode(stored)
    return bytes(a ^ b for a, b in zip(masked, _stream(job, len(masked)), strict=True)).decode()
