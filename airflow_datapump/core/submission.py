"""What the submit block is bound with, built from a JobSpec (see :mod:`.plsql`).

Names are resolved here (the job name given or generated, dump, log and SQL files defaulting
from it) and returned as a :class:`JobRef`: everything needed later to find, watch, stop and
read the job, and nothing secret, so it can travel through XCom and trigger kwargs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from airflow_datapump.core import filters, naming, rules
from airflow_datapump.core.coerce import FLASHBACK_KEYWORDS
from airflow_datapump.core.names import dump_location, is_uri, quote_literal
from airflow_datapump.core.plsql import FIELD, RECORD
from airflow_datapump.core.secret import Secret
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.exceptions import SpecError

MAX_STREAM_BYTES = 32767
_FILE_TYPES = {"dump": 1, "log": 3, "sql": 4, "uri": 5}


@dataclass(frozen=True)
class JobRef:
    """A submitted job: enough to find, watch, stop and read it; no secrets."""

    job_name: str
    owner: str
    operation: str
    dump_directory: str
    dump_files: tuple[str, ...] = ()
    log_directory: str | None = None
    log_file: str | None = None
    flashback_scn: int | None = None

    def dump_locations(self) -> tuple[tuple[str, str], ...]:
        """(directory object, file name) of each dump file, as :meth:`JobSpec.dump_locations`."""
        return tuple(dump_location(e, self.dump_directory) for e in self.dump_files if not is_uri(e))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dump_files"] = list(self.dump_files)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobRef:
        return cls(**{**data, "dump_files": tuple(data.get("dump_files", ()))})


@dataclass(frozen=True)
class Submission:
    """The binds of :data:`~.plsql.SUBMIT` and the reference the job will have."""

    binds: dict[str, Any]
    job_name: str
    dump_files: tuple[str, ...]
    log_file: str | None


def _stream(records: list[tuple[object, ...]], name: str) -> str | None:
    rows = []
    for record in records:
        fields = ["" if value is None else str(value) for value in record]
        if any(RECORD in f or FIELD in f for f in fields):
            raise SpecError(name, "…", "values without the control characters \\x1e and \\x1f")
        rows.append(FIELD.join(fields))
    text = RECORD.join(rows)
    if len(text.encode()) > MAX_STREAM_BYTES:
        raise SpecError(
            name, f"{len(text.encode())} bytes", f"at most {MAX_STREAM_BYTES} bytes of {name} per job"
        )
    return text or None


def _number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def flashback_time_expression(value: str) -> str:
    """FLASHBACK_TIME as the SQL expression Data Pump wants, built by the quoting function."""
    if value in FLASHBACK_KEYWORDS:
        return value
    moment = dt.datetime.fromisoformat(value)
    stamp = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    if moment.tzinfo is None:
        return f"TO_TIMESTAMP({quote_literal(stamp)}, 'YYYY-MM-DD HH24:MI:SS.FF')"
    offset = moment.strftime("%z")
    zone = f"{offset[:3]}:{offset[3:]}"
    return f"TO_TIMESTAMP_TZ({quote_literal(stamp + ' ' + zone)}, 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM')"


def build(
    spec: JobSpec, *, job_name: str | None, consistent: bool = True, log_entry: str | None = None
) -> Submission:
    name = job_name or spec.job_name or naming.generate_job_name(spec.operation.value)
    if job_name is not None:
        rules.check_derived_files(spec, job_name)
    reading_network = spec.is_network and spec.operation.value != "EXPORT"
    estimate_only = spec.parameter("ESTIMATE_ONLY") == 1
    dumps = spec.dump_files
    if not dumps and not reading_network and not estimate_only:
        dumps = (naming.default_dump_file(name),)
    if reading_network or estimate_only:
        dumps = ()
    log_file = None if spec.no_log_file else spec.log_file or naming.default_log_file(name)
    reuse = 1 if spec.reuse_dump_files else None
    files: list[tuple[object, ...]] = [
        (f, directory, spec.file_size, _FILE_TYPES["dump"], reuse)
        for directory, f in (dump_location(entry, spec.directory) for entry in dumps if not is_uri(entry))
    ]
    # A URI dump file takes the credential where a directory would go (ADD_FILE, §2.2).
    files += [(uri, spec.credential, spec.file_size, _FILE_TYPES["uri"], reuse) for uri in spec.dump_uris]
    if log_file is not None:  # NOLOGFILE=YES: no log file is added, so none is written
        files.append((log_file, spec.effective_log_directory, None, _FILE_TYPES["log"], None))
    if spec.operation.value == "SQL_FILE":
        files.append(
            (spec.sql_file or naming.default_sql_file(name), spec.directory, None, _FILE_TYPES["sql"], None)
        )
    data_calls = filters.data_filters(spec)
    params = [(p.name, _parameter_text(p.name, p.value)) for p in spec.parameters]
    if spec.encryption_password is not None:
        params.append(("ENCRYPTION_PASSWORD", spec.encryption_password.reveal()))
    flashback_given = (
        spec.parameter("FLASHBACK_SCN") is not None or spec.parameter("FLASHBACK_TIME") is not None
    )
    binds: dict[str, Any] = {
        "operation": spec.operation.value,
        "job_mode": spec.mode.value,
        "remote_link": spec.network_link,
        "job_name": name,
        "version": spec.version,
        "parallel": spec.parallel,
        "consistent": int(
            consistent and spec.operation.value == "EXPORT" and not flashback_given and not estimate_only
        ),
        "log_entry": log_entry,
        "files": _stream(files, "files"),
        "metadata_filters": _stream(
            [(c.name, c.value, c.object_path) for c in spec.metadata_filters()], "filters"
        ),
        "number_data_filters": _stream(
            [(c.name, c.value, c.table_name, c.schema_name) for c in data_calls if _number(c.value)],
            "data filters",
        ),
        "text_data_filters": _stream(
            [(c.name, c.value, c.table_name, c.schema_name) for c in data_calls if not _number(c.value)],
            "data filters",
        ),
        "remaps": _stream([(r.name, r.old_value, r.value, r.object_type) for r in spec.remaps], "remaps"),
        "data_remaps": _stream(
            [("COLUMN_FUNCTION", d.table, d.column, d.function_name, d.schema) for d in spec.data_remaps],
            "data remaps",
        ),
        "number_transforms": _stream(
            [(t.name, t.value, t.object_type) for t in spec.transforms if _number(t.value)], "transforms"
        ),
        "text_transforms": _stream(
            [(t.name, t.value, t.object_type) for t in spec.transforms if not _number(t.value)], "transforms"
        ),
        "number_parameters": _stream([p for p in params if _number(p[1])], "parameters"),
        "text_parameters": _stream([p for p in params if not _number(p[1])], "parameters"),
    }
    return Submission(binds, name, dumps, log_file)


def _parameter_text(name: str, value: int | str | Secret) -> int | str:
    if isinstance(value, Secret):
        return value.reveal()
    if name == "FLASHBACK_TIME" and isinstance(value, str):
        return flashback_time_expression(value)
    return value
