"""The provider reads none of the details the emulator had to guess (docs/emulator.md, [U]).

Oracle's documentation does not settle the attribute order and HEARTBEAT of the 12.x status
types, the extent sizes of AUTOALLOCATE tablespaces, or whether exported DDL keeps SEGMENT
CREATION. These tests hold the provider to what is settled: it reads the status types by
attribute name in PL/SQL (so their order cannot matter), only the attributes the 11.2
specification gives the 1010 types (reference §4, "Portability rule"), never binds the types
over the wire, and reads no segment, extent or DDL detail at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import airflow_datapump
from airflow_datapump.core import plsql

# ku$_Status, ku$_JobStatus, ku$_WorkerStatus and ku$_LogLine as the 1010 types define them
# (reference §4, from the 11.2 dbmsdp.sql).
STATUS_1010 = {"mask", "wip", "job_description", "job_status", "error"}
JOB_STATUS_1010 = {
    "job_name", "operation", "job_mode", "bytes_processed", "total_bytes", "percent_done", "degree",
    "error_count", "state", "phase", "restart_count", "worker_status_list", "files",
}  # fmt: skip
WORKER_STATUS_1010 = {
    "worker_number", "process_name", "state", "schema", "name", "object_type", "partition",
    "completed_objects", "total_objects", "completed_rows", "completed_bytes", "percent_done",
}  # fmt: skip
LOG_LINE_1010 = {"loglinenumber", "errornumber", "logtext"}


def _provider_sources() -> dict[Path, str]:
    root = Path(airflow_datapump.__file__).parent
    return {p: p.read_text() for p in root.rglob("*.py") if "testing" not in p.relative_to(root).parts}


def _plsql_text() -> str:
    return "\n".join(v for v in vars(plsql).values() if isinstance(v, str))


def test_the_status_attributes_read_are_the_1010_ones_by_name() -> None:
    text = _plsql_text().lower()
    levels = {
        "status": (set(re.findall(r"l_status\.(\w+)", text)), STATUS_1010),
        "job status": (set(re.findall(r"\.job_status\.(\w+)", text)), JOB_STATUS_1010),
        "worker": (set(re.findall(r"worker_status_list\(\w+\)\.(\w+)", text)), WORKER_STATUS_1010),
        "log line": (set(re.findall(r"\.error\(\w+\)\.(\w+)", text)), LOG_LINE_1010),
    }
    for level, (read, allowed) in levels.items():
        assert read, f"no {level} attribute found: the patterns no longer match core/plsql.py"
        assert read <= allowed, f"{level}: {sorted(read - allowed)} are not 1010 attributes"


def test_the_status_types_never_cross_the_wire() -> None:
    for path, source in _provider_sources().items():
        assert "gettype(" not in source, path  # no object bind, so attribute order cannot matter
        assert not re.search(r"ku\$_\w*\d{4}", source, re.IGNORECASE), path  # no versioned type


def test_no_segment_extent_heartbeat_or_ddl_detail_is_read() -> None:
    unsettled = ("heartbeat", "segment creation", "_segments", "_extents", "job_version", "storage(")
    for path, source in _provider_sources().items():
        lowered = source.lower()
        assert not [word for word in unsettled if word in lowered], path
