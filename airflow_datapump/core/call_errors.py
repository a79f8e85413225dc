"""What a failed :class:`~airflow_datapump.core.calls.Call` raises: the provider's exception
for a driver error, with what to do about it.

Kept apart from the calls themselves: every call shares one translation, and the codes it
knows (transient, by exception class, with Oracle's advice) are one table to read and test.
"""

from __future__ import annotations

import re

from airflow_datapump.core import plsql
from airflow_datapump.core.cloud import redacted_uri
from airflow_datapump.exceptions import (
    DatabaseCallError,
    InvalidArgumentError,
    JobExistsError,
    JobNotFoundError,
    PrivilegeError,
    TransientConnectionError,
)

TRANSIENT_CODES = frozenset(
    {"ORA-03113", "ORA-03114", "ORA-03135", "ORA-12541", "ORA-00028", "DPY-4011", "DPY-6005", "DPY-4024"}
)
_CODE = re.compile(r"\b((?:ORA|DPY)-\d{4,5})\b")
_CLASSES: dict[str, type[DatabaseCallError]] = {
    "ORA-31626": JobNotFoundError,
    "ORA-31623": JobNotFoundError,
    "ORA-31634": JobExistsError,
    "ORA-31631": PrivilegeError,
    "ORA-01031": PrivilegeError,
    "ORA-39001": InvalidArgumentError,
    "ORA-39002": InvalidArgumentError,
    "ORA-39004": InvalidArgumentError,
    "ORA-39005": InvalidArgumentError,
}

# What to do about each code the provider maps, after the Action that Oracle's Database Error
# Messages give it, so the error a DAG author reads says what to change, not only what broke.
ACTIONS: dict[str, str] = {
    "ORA-31626": "the job has ended or never existed; start a new job, or attach to one whose "
    "master table still exists",
    "ORA-31634": "choose another job_name, or stop the job that holds this name (a master table "
    "left with that name must be dropped)",
    "ORA-31631": "ask a database administrator for the privileges this job needs",
    "ORA-01031": "ask a database administrator for the privileges this job needs",
    "ORA-39001": "correct the argument this message names",
    "ORA-39002": "make the request consistent with the job's definition (this message says how)",
    "ORA-39005": "make the arguments consistent with one another (this message says which)",
}
# Codes Data Pump puts beneath ORA-39001 and the like, whose advice is more precise than the
# code on top's: ORA-39041 names the filter (EXCLUDE_PATH_LIST), not what the user wrote.
DETAIL_ACTIONS: dict[str, str] = {
    "ORA-39041": "an INCLUDE or EXCLUDE object type names no object path of this job's mode (a "
    "misspelling, such as STATISTIC for STATISTICS?); SCHEMA_EXPORT_OBJECTS, TABLE_EXPORT_OBJECTS "
    "and DATABASE_EXPORT_OBJECTS list the paths",
}


def translate(
    full_code: str, message: str, *, job_name: str | None = None, owner: str | None = None
) -> DatabaseCallError:
    """The provider's exception for a driver error, keeping Data Pump's lines.

    A failed submit raises ORA-20101 on top of the original stack (see :data:`.plsql.SUBMIT`);
    the code that matters is the first one beneath it.
    """
    # Oracle's text may quote a URI dump file (ORA-31640 'unable to open dump file "<uri>"'):
    # errors reach task logs and the UI, so a pre-authenticated request's token goes first.
    message = redacted_uri(message)
    lines = [line for line in message.splitlines() if line.strip() and not line.startswith("Help:")]
    code = full_code
    detail: tuple[str, ...] = ()
    if full_code == f"ORA-{plsql.SUBMIT_ERROR}":
        # Data Pump's lines, then the original stack beneath: keep each line once.
        detail = tuple(dict.fromkeys(line for line in lines[1:] if "ORA-06512" not in line))
        beneath = [
            c
            for c in _CODE.findall("\n".join(lines[1:]))
            if c not in (f"ORA-{plsql.SUBMIT_ERROR}", "ORA-06512")
        ]
        code = beneath[0] if beneath else full_code
    if code in TRANSIENT_CODES or full_code in TRANSIENT_CODES:
        cls: type[DatabaseCallError] = TransientConnectionError
    else:
        cls = _CLASSES.get(code, DatabaseCallError)
    about = f" (job {owner + '.' if owner else ''}{job_name})" if job_name else ""
    body = "; ".join(dict.fromkeys(detail or tuple(lines[:1])))
    # Oracle's own line starts with the code; say it once unless a job is named beside it.
    text = body if not about and body.startswith(f"{code}:") else f"{code}{about}: {body}"
    specific = [c for c in _CODE.findall("\n".join(detail or lines)) if c in DETAIL_ACTIONS]
    action = DETAIL_ACTIONS[specific[0]] if specific else ACTIONS.get(code)
    if action is not None:
        text = f"{text.rstrip('.')}. To fix: {action}."
    return cls(text, code=code, job_name=job_name, owner=owner, lines=detail)
