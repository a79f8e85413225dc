"""oracledb-datapump's JSON requests (SUBMIT, STATUS) and its response shape, as plain data.

A request is ``{"connection": {...}, "request": "SUBMIT" | "STATUS", "payload": {...}}``. A
SUBMIT payload is read by :meth:`JobSpec.from_payload`; a STATUS payload names
``job_name``, ``job_owner``, a ``type`` (ALL, STATUS, DESC, ERROR or LOG_STATUS, the default)
and ``include_detail`` (default true). The answer keeps that project's shape,
``{job_name, job_owner, state, detail}``, with states spelt as it spells them (``NOT_RUNNING``)
and ``COMPLETED``, ``COMPLETED_WITH_ERRORS``, ``STOPPED`` or ``ERROR`` read from the log of a
job that has finished. The ``detail`` holds the parts of its status object this provider
can fill (documented in the README). Its POLL request is not offered: SUBMIT with
``"wait": true`` or the CLI's ``--wait`` does that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from airflow_datapump.core import naming
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.status import JobStatus, Outcome, Verdict, read_outcome
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import gone_verdict
from airflow_datapump.exceptions import SpecError

REQUESTS = ("SUBMIT", "STATUS")
STATUS_TYPES = ("ALL", "STATUS", "DESC", "ERROR", "LOG_STATUS")
_CONNECTION_KEYS = {"username", "password", "hostname", "database", "port"}
_STATUS_KEYS = {"job_name", "job_owner", "type", "include_detail"}
_ENDED = {
    Outcome.SUCCEEDED: "COMPLETED",
    Outcome.COMPLETED_WITH_ERRORS: "COMPLETED_WITH_ERRORS",
    Outcome.STOPPED: "STOPPED",
    Outcome.FAILED: "ERROR",
}


@dataclass(frozen=True)
class Request:
    """A checked request: a job to submit, or a job to report on."""

    kind: str
    spec: JobSpec | None = None
    wait: bool = False
    job_name: str | None = None
    job_owner: str | None = None
    status_type: str = "LOG_STATUS"
    include_detail: bool = True
    connection: Mapping[str, Any] | None = None

    def status_ref(self, directory: str = "DATA_PUMP_DIR") -> JobRef:
        """Where a STATUS request's job is found; its log is looked for under the default name."""
        assert self.job_name is not None
        assert self.job_owner is not None
        log_file = naming.default_log_file(self.job_name)
        return JobRef(
            self.job_name, self.job_owner, "", directory, log_directory=directory, log_file=log_file
        )


def parse_request(data: object, *, allow_connection: bool = True) -> Request:
    """Check a whole request before anything runs; errors name the key (``payload.mode``)."""
    if not isinstance(data, Mapping):
        raise SpecError("request", type(data).__name__, "a JSON object with request and payload")
    unknown = sorted(set(data) - {"connection", "request", "payload"})
    if unknown:
        raise SpecError(unknown[0], "…", "keys connection, request, payload")
    kind = str(data.get("request", "")).upper()
    if kind not in REQUESTS:
        raise SpecError("request", data.get("request"), "SUBMIT or STATUS")
    connection = _connection(data.get("connection"), allow_connection)
    payload = data.get("payload")
    if not isinstance(payload, Mapping):
        raise SpecError("payload", payload, "a JSON object")
    if kind == "SUBMIT":
        spec = JobSpec.from_payload(payload)
        return Request(kind, spec=spec, wait=bool(payload.get("wait", False)), connection=connection)
    return _status_request(payload, connection)


def _connection(value: object, allowed: bool) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not allowed:
        raise SpecError("connection", "***", "no connection here: the Airflow connection is used")
    if not isinstance(value, Mapping) or set(value) - _CONNECTION_KEYS:
        raise SpecError("connection", "***", "an object with " + ", ".join(sorted(_CONNECTION_KEYS)))
    return value


def _status_request(payload: Mapping[str, Any], connection: Mapping[str, Any] | None) -> Request:
    from airflow_datapump.core.names import identifier

    unknown = sorted(set(payload) - _STATUS_KEYS)
    if unknown:
        raise SpecError(
            f"payload.{unknown[0]}", payload[unknown[0]], "keys " + ", ".join(sorted(_STATUS_KEYS))
        )
    kind = str(payload.get("type", "LOG_STATUS")).upper()
    if kind not in STATUS_TYPES:
        raise SpecError("payload.type", payload.get("type"), "one of " + ", ".join(STATUS_TYPES))
    detail = payload.get("include_detail", True)
    if not isinstance(detail, bool):
        raise SpecError("payload.include_detail", detail, "true or false")
    return Request(
        "STATUS",
        job_name=identifier(payload.get("job_name"), "payload.job_name"),
        job_owner=identifier(payload.get("job_owner"), "payload.job_owner"),
        status_type=kind,
        include_detail=detail,
        connection=connection,
    )


def state_of(status: JobStatus, lines: list[str]) -> str | None:
    """The state as oracledb-datapump spells it; a job gone from the dictionary's from its log.

    Its last line says how it ended; a log read without one belongs to a kill, as the wait
    and the sensor judge it (:func:`~airflow_datapump.core.waiting.gone_verdict`).
    """
    if status.is_gone:
        outcome = status.outcome.outcome
        if outcome is Outcome.UNKNOWN:
            outcome = read_outcome(lines, status.job_name).outcome
        killed = gone_verdict(bool(lines), gone_means_success=False) is Verdict.STOPPED
        if outcome is Outcome.UNKNOWN and killed:
            outcome = Outcome.STOPPED
        return _ENDED.get(outcome)
    return status.state.value.replace(" ", "_")


def response(
    job: JobRef, status: JobStatus, lines: list[str], *, kind: str = "LOG_STATUS", include_detail: bool = True
) -> dict[str, Any]:
    """``{job_name, job_owner, state, detail}``; ``lines`` is the log read so far."""
    state = state_of(status, lines)
    if not include_detail:
        return {"job_name": job.job_name, "job_owner": job.owner, "state": state, "detail": None}
    errors = [
        {"loglinenumber": number, "logtext": line, "errornumber": int(line[4:9])}
        for number, line in enumerate(lines, 1)
        if line.startswith("ORA-") and line[4:9].isdigit()
    ]
    detail: dict[str, Any] = {"job_state": state}
    if kind in ("LOG_STATUS", "ALL"):
        detail["logfile"] = None if job.log_file is None else f"{job.log_directory}:{job.log_file}"
        detail["log_contents"] = lines
        detail["dumpfiles"] = list(job.dump_files)
    if kind in ("STATUS", "ALL"):
        detail["job_status"] = {
            "job_name": job.job_name,
            "state": status.state.value,
            "percent_done": status.percent_done,
            "bytes_processed": status.bytes_processed,
            "total_bytes": status.total_bytes,
            "degree": status.degree,
            "error_count": status.error_count,
            "phase": status.phase,
        }
    if kind in ("DESC", "ALL"):
        detail["job_description"] = {"job_name": job.job_name, "owner": job.owner, "operation": job.operation}
    if kind != "DESC":
        detail["error"] = errors
    return {"job_name": job.job_name, "job_owner": job.owner, "state": state, "detail": detail}
