"""The errors airflow-datapump raises.

Everything derives from :class:`DatapumpError`, so a DAG author can catch the provider's
failures in one clause without swallowing Airflow's own::

    DatapumpError
     ├── SpecError (also a ValueError)   a job description that can never run
     ├── TransferError                   a dump file copy is missing, short or corrupt
     └── DatabaseCallError               a call about a job failed (code, job, Data Pump lines)
          ├── JobNotFoundError           ORA-31626, ORA-31623
          ├── JobExistsError             ORA-31634
          ├── PrivilegeError             ORA-31631, ORA-01031
          ├── InvalidArgumentError       ORA-39001, 39002, 39004, 39005
          ├── TransientConnectionError   ORA-03113, 03114, 03135, 12541, DPY-4011, DPY-6005
          └── JobFailedError             the job ended without success
"""

from __future__ import annotations


class DatapumpError(Exception):
    """Base class of every error raised by airflow-datapump."""


class SpecError(DatapumpError, ValueError):
    """A job description is invalid; raised before anything reaches a database.

    ``field`` names the offending input as the user wrote it (``parameters.COMPRESSION``,
    ``tables[1]``), ``value`` is what was given (never a secret), and ``allowed`` says what
    would have been accepted.
    """

    def __init__(self, field: str, value: object, allowed: str) -> None:
        if "ENCRYPTION_PASSWORD" in repr(value).upper():
            # A misshapen value that carries the password (a pair of three, a dict, a
            # "NAME=value" string) is never echoed: a parse error is stored by Airflow.
            value = "***"
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is not allowed; {allowed}")


class TransferError(DatapumpError):
    """Dump files could not be copied intact: a member is missing, or its copy's size or
    checksum differs from the original. Nothing unverified keeps its final name."""

    def __init__(self, message: str, *, file_name: str | None = None) -> None:
        self.file_name = file_name
        super().__init__(message)


class DatabaseCallError(DatapumpError):
    """A database call about a job failed; carries the ORA code and Data Pump's own lines.

    ``code`` is the error that matters (for a failed submit, the one beneath ORA-20101),
    ``lines`` are Data Pump's detail lines (from GET_STATUS or the log), and the driver's
    exception stays reachable as ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        job_name: str | None = None,
        owner: str | None = None,
        lines: tuple[str, ...] = (),
    ) -> None:
        self.code = code
        self.job_name = job_name
        self.owner = owner
        self.lines = lines
        super().__init__(message)


class JobNotFoundError(DatabaseCallError):
    """ORA-31626 / ORA-31623: no such job, or it has finished and left."""


class JobExistsError(DatabaseCallError):
    """ORA-31634: a job (or a leftover master table) already has this name."""


class PrivilegeError(DatabaseCallError):
    """ORA-31631 and friends: the user lacks a privilege or role the call needs."""


class InvalidArgumentError(DatabaseCallError):
    """ORA-39001/39002/39004/39005: Data Pump refused a value, an operation or a state."""


class TransientConnectionError(DatabaseCallError):
    """The connection failed in a way worth retrying (ORA-03113, DPY-4011 ...)."""


class JobFailedError(DatabaseCallError):
    """The job ended without success: failed, stopped, or completed with disallowed errors."""
