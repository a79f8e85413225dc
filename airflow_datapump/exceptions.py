"""The errors airflow-datapump raises.

Everything derives from :class:`DatapumpError`, so a DAG author can catch the provider's
failures in one clause without swallowing Airflow's own::

    DatapumpError
     └── SpecError (also a ValueError)   a job description that can never run

Errors for a running job (job not found, job exists, privileges ...) join the tree with the hook.
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
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is not allowed; {allowed}")
