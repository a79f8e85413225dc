"""The provider reads a job's log under either LOG_LAYOUT reading (issue #11, item 3).

19c writes an export's log in another order than 11g/12.1: TABLE_DATA, the statistics and
their marker first, then the other object types, then every ``. . exported`` line, and no
estimate lines unless asked for. The operators' summaries (row counts, bytes), the
``. . exported`` lines the Asset extra is built from and the progress notes must come out
the same under both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core import events
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.status import JobState
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator, ImportOperator
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from airflow_datapump.testing._datapump.rules import READINGS
from airflow_datapump.testing.sample import HR_TABLES
from tests.emulator_access import admin_uri
from tests.operators.test_job_identity import context
from tests.testing.datapump.dp_helpers import object_types


@pytest.fixture(params=READINGS["LOG_LAYOUT"])
def layout(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[DatabaseHandle, str]]:
    with emulated_oracle() as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", admin_uri(oracle, "layout-secret"))
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        handle.set_clock("wall")
        handle.set_reading("LOG_LAYOUT", request.param)
        yield handle, request.param


def _sizes(log: str, verb: str) -> dict[str, str]:
    """Each table's size as its ``. . exported/imported`` line prints it."""
    found = re.findall(
        rf'^\. \. {verb} "([^"]+)"\."([^"]+)"\s+([\d.]+ [KMG]B)\s+\d+ rows$', log, re.MULTILINE
    )
    return {table: size for _, table, size in found}


def test_an_export_and_its_import_read_the_same_under_either_layout(
    layout: tuple[DatabaseHandle, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db, reading = layout
    expected = {f"HR.{t}": len(db.rows("HR", t)) for t in HR_TABLES}
    export = ExportOperator(
        task_id="export_hr", schemas=["HR"], job_name="EXP_LAYOUT", deferrable=False, poll_interval=0.001
    )
    exported = export.execute(context("manual__layout"))
    assert exported["outcome"] == "successfully completed"
    assert exported["rows"] == expected  # from the ". . exported" lines, wherever they stand
    notes = [int(p) for p in re.findall(r"Job SYSTEM\.EXP_LAYOUT: \w+, (\d+)% done", capsys.readouterr().out)]
    assert notes == sorted(notes), notes  # the task log's progress notes only rise (how many: timing)

    log = (db.directory_path() / "EXP_LAYOUT.log").read_text()
    sizes = _sizes(log, "exported")
    assert sorted(sizes) == sorted(HR_TABLES)
    assert all(float(size.split()[0]) > 0 for size in sizes.values()), sizes
    types = object_types(log)
    last_type = log.rindex("Processing object type")
    if reading == "19C":
        assert types[0] == "TABLE/TABLE_DATA"
        assert types.index("TABLE/TABLE_DATA") < types.index("USER") < types.index("TABLE/TABLE")
        assert log.index(". . exported") > last_type
        assert "Estimate in progress" not in log
    else:
        assert types.index("TABLE/TABLE") < types.index("TABLE/TABLE_DATA")
        assert log.index(". . exported") < last_type
        assert "Estimate in progress using BLOCKS method..." in log

    imported = ImportOperator(
        task_id="import_hr",
        dump_files=exported["dump_files"],
        schemas=["HR"],
        remap_schemas={"HR": "HR2"},
        deferrable=False,
        poll_interval=0.001,
    ).execute(context("manual__layout"))
    assert imported["outcome"] == "successfully completed"
    log_file = db.directory_path() / imported["log_file"]
    assert _sizes(log_file.read_text(), "imported") == sizes  # the sizes the dump file holds
    assert imported["rows"] == {name.replace("HR.", "HR2.", 1): rows for name, rows in expected.items()}
    assert {t: len(db.rows("HR2", t)) for t in HR_TABLES} == {t: len(db.rows("HR", t)) for t in HR_TABLES}


def test_the_hook_reports_progress_and_rows_under_either_layout(layout: tuple[DatabaseHandle, str]) -> None:
    """On the manual clock: percent_done and bytes rise to the estimate, and the rows the
    status's log lines carry are every table's, whichever order the layout logs them in."""
    db, _ = layout
    db.set_clock("manual")
    db.set_job_rate(2048)  # slow enough to be seen between metadata and rows
    with closing(DatapumpHook(retry=RetryPolicy(initial=0))) as hook:
        ref = hook.submit(
            JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["p.dmp"], job_name="EXP_PCT")
        )
        seen, lines, position = [], [], 0
        while True:
            status = hook.status(ref, log_position=position)
            lines.extend(status.log_lines)
            position = status.log_position
            if status.state is not JobState.EXECUTING:
                break
            seen.append((status.percent_done, status.bytes_processed, status.total_bytes))
            db.advance(5)
    percents = [p for p, _, _ in seen]
    assert percents == sorted(percents), percents
    assert percents[0] < 100, percents
    assert len(set(percents)) > 2, percents  # it was seen rising
    assert all(done is not None and total and done <= total for _, done, total in seen), seen
    assert events.rows_moved(lines) == {f"HR.{t}": len(db.rows("HR", t)) for t in HR_TABLES}
