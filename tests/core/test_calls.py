"""The pure side of the hook: what is sent, and how answers are read (no database)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core import call_errors, calls, naming, plsql, submission
from airflow_datapump.core.status import (
    JobState,
    JobStatus,
    LogOutcome,
    Outcome,
    Verdict,
    classify,
    ended_at,
    read_outcome,
)
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import GONE_GRACE_POLLS, Waiter
from airflow_datapump.exceptions import InvalidArgumentError, JobExistsError, TransientConnectionError


def records(stream: str | None) -> list[list[str]]:
    return [r.split(plsql.FIELD) for r in (stream or "").split(plsql.RECORD) if r]


def test_submit_binds_every_value_and_no_value_is_in_the_text() -> None:
    spec = JobSpec(
        "EXPORT",
        "SCHEMA",
        schemas=["HR", "OE"],
        dump_files=["x_%U.dmp"],
        parallel=2,
        parameters={"COMPRESSION": "ALL", "METRICS": 1},
        encryption_password="pw-in-bind",
    )
    call = calls.submit(spec, job_name="EXP1", consistent=True, log_entry=None)
    assert call.statement is plsql.SUBMIT  # one fixed block, whatever the spec holds
    assert "'HR'" not in call.statement
    assert "pw-in-bind" not in call.statement
    binds = call.binds
    assert records(binds["files"]) == [
        ["x_%U.dmp", "DATA_PUMP_DIR", "", "1", ""],
        ["EXP1.log", "DATA_PUMP_DIR", "", "3", ""],
    ]
    assert records(binds["metadata_filters"]) == [["SCHEMA_LIST", "'HR','OE'", ""]]
    assert records(binds["number_parameters"]) == [["METRICS", "1"]]
    assert records(binds["text_parameters"]) == [
        ["COMPRESSION", "ALL"],
        ["ENCRYPTION_PASSWORD", "pw-in-bind"],
    ]
    assert (binds["parallel"], binds["consistent"], binds["job_name"]) == (2, 1, "EXP1")


def test_every_bind_in_the_submit_text_is_supplied() -> None:
    call = calls.submit(
        JobSpec("IMPORT", "SCHEMA", dump_files=["a.dmp"]), job_name="I1", consistent=True, log_entry="x"
    )
    used = {name.lower() for name in re.findall(r":([a-z_]+)", plsql.SUBMIT)}
    assert used == set(call.binds) | set(call.outs)


def test_exports_are_consistent_by_default_unless_a_flashback_is_given() -> None:
    plain = calls.submit(
        JobSpec("EXPORT", "SCHEMA", dump_files=["a.dmp"]), job_name="E", consistent=True, log_entry=None
    )
    given = JobSpec("EXPORT", "SCHEMA", dump_files=["a.dmp"], parameters={"FLASHBACK_SCN": 5})
    with_scn = calls.submit(given, job_name="E", consistent=True, log_entry=None)
    imports = calls.submit(
        JobSpec("IMPORT", "FULL", dump_files=["a.dmp"]), job_name="I", consistent=True, log_entry=None
    )
    assert (plain.binds["consistent"], with_scn.binds["consistent"], imports.binds["consistent"]) == (1, 0, 0)


def test_flashback_time_reaches_data_pump_as_a_quoted_expression() -> None:
    assert submission.flashback_time_expression("2024-01-31 10:00:00") == (
        "TO_TIMESTAMP('2024-01-31 10:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.FF')"
    )
    assert submission.flashback_time_expression("SYSTIMESTAMP") == "SYSTIMESTAMP"


def test_network_import_adds_no_dump_file_and_export_defaults_one_from_the_job_name() -> None:
    network = calls.submit(
        JobSpec("IMPORT", "SCHEMA", network_link="SRC"), job_name="N1", consistent=True, log_entry=None
    )
    assert [r[3] for r in records(network.binds["files"])] == ["3"]
    export = calls.submit(JobSpec("EXPORT", "SCHEMA"), job_name="E1", consistent=True, log_entry=None)
    assert records(export.binds["files"])[0][0] == "E1_%U.dmp"


def test_generated_names_fit_12_1_and_derived_names_are_stable() -> None:
    name = naming.generate_job_name("EXPORT")
    assert re.fullmatch(r"[A-Z0-9_]{1,30}", name)
    assert naming.derived_job_name("refresh hr", "dag", "task", "run1") == naming.derived_job_name(
        "refresh hr", "dag", "task", "run1"
    )
    assert naming.derived_job_name("x", "a") != naming.derived_job_name("x", "b")
    assert len(naming.derived_job_name("a" * 200, "p", max_bytes=128)) <= 128


@pytest.mark.parametrize(
    ("text", "final", "lines", "consumed"),
    [
        ("a\nb\n", False, ["a", "b"], 4),
        ("a\nhalf", False, ["a"], 2),
        ("half", False, [], 0),
        ("a\nlast", True, ["a", "last"], 6),
        ("é\n", False, ["é"], 3),  # positions are bytes
    ],
)
def test_only_whole_log_lines_are_taken_until_the_job_is_gone(
    text: str, final: bool, lines: list[str], consumed: int
) -> None:
    assert calls.take_lines(text, 10, final=final) == (lines, 10 + consumed)


def test_outcome_is_read_from_the_last_job_line_with_or_without_logtime() -> None:
    lines = [
        '22-NOV-26 10:00:00.123: Starting "HR"."E1":',
        '22-NOV-26 10:01:00.000: Job "HR"."E1" completed with 2 error(s) at Sun Nov 22 10:01:00 2026 '
        "elapsed 0 00:01:00",
    ]
    assert read_outcome(lines) == LogOutcome(Outcome.COMPLETED_WITH_ERRORS, 2, lines[1])
    assert read_outcome(['Job "HR"."E1" stopped due to fatal error at x']).outcome is Outcome.FAILED
    assert read_outcome(["nothing yet"]).outcome is Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("state", "outcome", "verdict"),
    [
        (JobState.EXECUTING, Outcome.UNKNOWN, Verdict.RUNNING),
        (JobState.UNDEFINED, Outcome.SUCCEEDED, Verdict.SUCCEEDED),
        (JobState.UNDEFINED, Outcome.COMPLETED_WITH_ERRORS, Verdict.SUCCEEDED),
        (JobState.UNDEFINED, Outcome.UNKNOWN, Verdict.RUNNING),
        (JobState.NOT_RUNNING, Outcome.FAILED, Verdict.FAILED),
        (JobState.NOT_RUNNING, Outcome.STOPPED, Verdict.STOPPED),
        (JobState.NOT_RUNNING, Outcome.UNKNOWN, Verdict.STOPPED),
        (JobState.NOT_RUNNING, Outcome.SUCCEEDED, Verdict.SUCCEEDED),  # kept by KEEP_MASTER=1
        (JobState.NOT_RUNNING, Outcome.COMPLETED_WITH_ERRORS, Verdict.SUCCEEDED),
        (JobState.IDLING, Outcome.SUCCEEDED, Verdict.STOPPED),
        (JobState.STOP_PENDING, Outcome.UNKNOWN, Verdict.RUNNING),
    ],
)
def test_classify(state: JobState, outcome: Outcome, verdict: Verdict) -> None:
    assert classify(state, LogOutcome(outcome)) is verdict


def test_final_line_times_are_read_in_each_form() -> None:
    at = dt.datetime(2026, 11, 22, 10, 1, 0)
    final = 'Job "HR"."E1" successfully completed at Sun Nov 22 10:01:00 2026 elapsed 0 00:01:00'
    assert ended_at(final) == at
    padded = 'Job "HR"."E1" completed with 2 error(s) at Mon Nov  2 10:01:00 2026 elapsed 0 00:01:00'
    assert ended_at(padded) == at.replace(day=2)
    stamped = '22-NOV-26 10:01:00.000: Job "HR"."E1" stopped due to fatal error at 10:01:00'
    assert ended_at(stamped) == at  # 11g's time alone; the LOGTIME prefix dates it
    assert ended_at('Job "HR"."E1" successfully completed at 10:01:00') is None


def test_a_log_shorter_than_what_was_read_is_read_again_from_its_start() -> None:
    """A new run of a job with the same log name rewrites the file: reading on from the old
    offset would skip its beginning, or read nothing at all while it is shorter."""
    replaced = calls.parse_status("E1", "HR", 5000, {"state": "EXECUTING", "log_length": 1200})
    assert (replaced.log_position, replaced.log_lines) == (0, ())
    grown = calls.parse_status("E1", "HR", 5000, {"state": "EXECUTING", "log_length": 5000})
    assert grown.log_position == 5000


def test_states_are_read_in_any_spelling() -> None:
    assert JobState.parse("NOT_RUNNING") is JobState.NOT_RUNNING
    assert JobState.parse("stop pending") is JobState.STOP_PENDING
    assert JobState.parse(None) is JobState.UNDEFINED


def test_waiter_gives_a_gone_job_a_few_polls_for_its_last_line() -> None:
    ref = JobRef("E1", "HR", "EXPORT", "DATA_PUMP_DIR", log_directory="D", log_file="e1.log")
    waiter = Waiter(ref)
    gone = JobStatus("E1", "HR", JobState.UNDEFINED)
    for _ in range(GONE_GRACE_POLLS):
        assert waiter.observe(gone, now=0) is None
    result = waiter.observe(gone, now=0)
    assert result is not None
    assert (result.verdict, result.outcome.outcome) == (Verdict.FAILED, Outcome.UNKNOWN)


@pytest.mark.parametrize("state", [JobState.COMPLETED, JobState.UNDEFINED])
def test_a_job_without_a_log_that_ends_completed_or_gone_completed_as_its_status_counted(
    state: JobState,
) -> None:
    # A poll can catch the job COMPLETED just before it leaves the dictionary: with no log
    # to read, the outcome comes from the status, never "unknown".
    waiter = Waiter(JobRef("E1", "HR", "EXPORT", "D"))
    assert waiter.observe(JobStatus("E1", "HR", JobState.EXECUTING), now=0) is None
    result = waiter.observe(JobStatus("E1", "HR", state), now=1)
    assert result is not None
    assert (result.verdict, result.outcome.outcome) == (Verdict.SUCCEEDED, Outcome.SUCCEEDED)
    with_errors = Waiter(JobRef("E1", "HR", "EXPORT", "D")).observe(
        JobStatus("E1", "HR", state, error_count=2), now=1
    )
    assert with_errors is not None
    assert with_errors.outcome.outcome is Outcome.COMPLETED_WITH_ERRORS


def test_waiter_times_out() -> None:
    waiter = Waiter(JobRef("E1", "HR", "EXPORT", "D"), timeout=5)
    running = JobStatus("E1", "HR", JobState.EXECUTING)
    assert waiter.observe(running, now=100) is None
    with pytest.raises(TimeoutError, match=r"HR\.E1"):
        waiter.observe(running, now=106)


def test_a_failed_submit_is_translated_to_the_code_beneath_it() -> None:
    message = (
        "ORA-20101: Data Pump job submission failed\nORA-39001: invalid argument value\n"
        "ORA-39088: file name cannot contain a path specification\n\nORA-39001: invalid argument value\n"
        'ORA-06512: at "SYS.DBMS_DATAPUMP", line 3507\nORA-06512: at line 40'
    )
    error = call_errors.translate("ORA-20101", message, job_name="E1")
    assert isinstance(error, InvalidArgumentError)
    assert error.code == "ORA-39001"
    assert error.lines == (
        "ORA-39001: invalid argument value",
        "ORA-39088: file name cannot contain a path specification",
    )
    assert isinstance(call_errors.translate("ORA-31634", "ORA-31634: job already exists"), JobExistsError)
    assert isinstance(
        call_errors.translate("DPY-4011", "DPY-4011: the database or network closed the connection"),
        TransientConnectionError,
    )


def test_without_sized_table_lines_the_bytes_are_none_not_the_last_polls_figure() -> None:
    """A status figure counts something else than the log's table sizes, and only up to the
    last poll (a network import that ends before it has none): runs would not compare."""
    from airflow_datapump.core.events import event_from_result, summary

    ref = JobRef("E1", "HR", "IMPORT", "D", log_directory="D", log_file="e1.log")
    waiter = Waiter(ref)
    assert waiter.observe(JobStatus("E1", "HR", JobState.EXECUTING, bytes_processed=4096), now=0) is None
    done = JobStatus(
        "E1",
        "HR",
        JobState.UNDEFINED,
        log_lines=(
            '. . imported "HR"."EMPLOYEES"                            107 rows',
            'Job "HR"."E1" successfully completed at x elapsed 0 00:00:01',
        ),
    )
    result = waiter.observe(done, now=1)
    assert result is not None
    assert result.bytes_processed == 4096  # the wait's result still carries it, for hook users
    event = event_from_result(ref, result)
    assert event["rows"] == {"HR.EMPLOYEES": 107}
    assert event["bytes"] is None
    assert summary(event, started=None, finished=None)["bytes"] is None


def test_an_events_error_lines_keep_every_code_however_many_lines_come_before() -> None:
    """allowed_errors is checked against the event's error lines: a code after the first 100
    (ORA-31684 once per existing object) must still be there to fail the task."""
    from airflow_datapump.core.events import event_from_result

    ref = JobRef("I1", "HR", "IMPORT", "D", log_directory="D", log_file="i1.log")
    exists = [f'ORA-31684: Object type TABLE:"HR"."T{n}" already exists' for n in range(150)]
    lines = (
        *exists,
        'ORA-39120: Table "HR"."P" can\'t be truncated',
        'Job "HR"."I1" completed with 151 error(s) at x',
    )
    result = Waiter(ref).observe(JobStatus("I1", "HR", JobState.UNDEFINED, log_lines=lines), now=0)
    assert result is not None
    kept = event_from_result(ref, result)["error_lines"]
    assert kept[:100] == exists[:100]
    assert kept[100:] == [lines[150]]


def test_the_bytes_are_the_logs_table_sizes_once_it_has_them_not_the_last_polls() -> None:
    """A poll's figure is from before the job's last table (it completes between polls)."""
    from airflow_datapump.core.events import bytes_moved, event_from_result

    ref = JobRef("E1", "HR", "EXPORT", "D", log_directory="D", log_file="e1.log")
    waiter = Waiter(ref)
    assert waiter.observe(JobStatus("E1", "HR", JobState.EXECUTING, bytes_processed=4096), now=0) is None
    lines = (
        '. . exported "HR"."EMPLOYEES"                      8.125 KB     107 rows',
        '. . exported "HR"."BIG"                            1.500 MB   90000 rows',
        '. . exported "HR"."EMPTY"                              0 KB       0 rows',
        'Job "HR"."E1" successfully completed at x elapsed 0 00:00:01',
    )
    result = waiter.observe(JobStatus("E1", "HR", JobState.UNDEFINED, log_lines=lines), now=1)
    assert result is not None
    assert event_from_result(ref, result)["bytes"] == 8320 + 1572864
    assert bytes_moved(lines[-1:]) is None  # no table lines: nothing to say


def test_partitions_and_network_imports_count_in_the_rows_and_bytes() -> None:
    """Oracle prints a partitioned table one line per partition (``"SH"."SALES":"Q1"``), and a
    network import's lines without a size (nothing was unloaded); a line printed again (a
    restarted job) replaces its earlier one."""
    from airflow_datapump.core.events import bytes_moved, rows_moved

    exported = [
        '. . exported "SH"."SALES":"Q1"                     1.000 MB   43687 rows',
        '. . exported "SH"."SALES":"Q2"                     2.000 KB      10 rows',
        '. . exported "HR"."JOBS"                           7.000 KB      19 rows',
        '. . exported "HR"."JOBS"                           8.000 KB      20 rows',
    ]
    assert rows_moved(exported) == {"SH.SALES": 43697, "HR.JOBS": 20}
    assert bytes_moved(exported) == 1048576 + 2048 + 8192
    network = ['. . imported "HR"."EMPLOYEES"                            107 rows']
    assert rows_moved(network) == {"HR.EMPLOYEES": 107}
    assert bytes_moved(network) is None


def test_a_table_with_rejected_rows_counts_the_rows_it_loaded() -> None:
    """With DATA_OPTIONS=SKIP_CONSTRAINT_ERRORS an import prints ``N out of M rows`` and the
    rejected count on the next line; the table stays in the rows and bytes, with what it loaded.
    Whether Oracle prints that form or ``N rows`` is unconfirmed: both are read alike."""
    from airflow_datapump.core.events import bytes_moved, rows_moved

    lines = [
        '. . imported "HR"."EMP"                            8.125 KB     107 out of 110 rows',
        "3 row(s) were rejected with the following error:",
        "ORA-00001: unique constraint (HR.EMP_PK) violated",
        '. . imported "HR"."DEPT"                           2.000 KB      27 rows',
        '. . imported "SH"."SALES":"Q1"                     1.000 MB      40 out of 43 rows',
    ]
    assert rows_moved(lines) == {"HR.EMP": 107, "HR.DEPT": 27, "SH.SALES": 40}
    assert bytes_moved(lines) == 8320 + 2048 + 1048576
    network = ['. . imported "HR"."EMP"                                      107 out of 110 rows']
    assert rows_moved(network) == {"HR.EMP": 107}


@pytest.mark.parametrize(
    ("code", "advice"),
    [
        ("ORA-31634", "choose another job_name"),
        ("ORA-31626", "start a new job"),
        ("ORA-31631", "ask a database administrator"),
        ("ORA-39001", "correct the argument"),
        ("ORA-39005", "consistent with one another"),
    ],
)
def test_a_mapped_error_says_what_oracle_advises(code: str, advice: str) -> None:
    # Each code's advice follows the Action of Database Error Messages, after Data Pump's lines.
    error = call_errors.translate(
        code, f"{code}: text\nORA-39088: file name cannot contain a path specification"
    )
    assert str(error).startswith(f"{code}: ")
    assert str(error).endswith(f"To fix: {call_errors.ACTIONS[code]}.")
    assert advice in str(error)


def test_advice_is_given_only_for_codes_the_provider_maps() -> None:
    assert set(call_errors.ACTIONS) <= set(call_errors._CLASSES)
    assert "To fix" not in str(call_errors.translate("ORA-00600", "ORA-00600: internal error code"))


def test_a_driver_error_names_its_code_once() -> None:
    logon = "ORA-01017: invalid username/password; logon denied\nHelp: https://docs.oracle.com/error-help/db/ora-01017/"
    assert (
        str(call_errors.translate("ORA-01017", logon)) == "ORA-01017: invalid username/password; logon denied"
    )
    about_a_job = str(
        call_errors.translate("ORA-00942", "ORA-00942: table or view does not exist", job_name="E1")
    )
    assert about_a_job == "ORA-00942 (job E1): ORA-00942: table or view does not exist"
    beneath = str(
        call_errors.translate("ORA-20101", "ORA-20101: submission failed\nORA-39002: invalid operation")
    )
    assert beneath == "ORA-39002: invalid operation. To fix: " + call_errors.ACTIONS["ORA-39002"] + "."
    submit = "ORA-20101: failed\nORA-39001: invalid argument value\nORA-39023: Version 9 is not supported."
    ended = str(call_errors.translate("ORA-20101", submit))
    assert ".." not in ended  # Oracle's line may end with a full stop of its own


def test_a_driver_error_quoting_a_pre_authenticated_uri_keeps_no_token() -> None:
    """Oracle's text names the file it could not open; a PAR URI's token must not reach the error."""
    token = "Xk29sLq0-secret-TOKEN"
    uri = f"https://objectstorage.example.com/p/{token}/n/ns/b/dumps/o/hr_01.dmp"
    message = (
        f"ORA-{plsql.SUBMIT_ERROR}: submit failed\n"
        "ORA-39001: invalid argument value\n"
        f'ORA-31640: unable to open dump file "{uri}" for read\n'
        "ORA-06512: at line 40"
    )
    err = call_errors.translate(f"ORA-{plsql.SUBMIT_ERROR}", message, job_name="IMP_HR", owner="SYSTEM")
    shown = " ".join([str(err), *err.lines])
    assert token not in shown
    assert "/p/***/" in shown
