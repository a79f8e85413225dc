"""The pure rules of moving dump file sets: member names and the export log's list of files."""

from __future__ import annotations

import pytest

from airflow_datapump.core.transfer import dump_files_logged, members_of, members_run
from airflow_datapump.exceptions import TransferError
from airflow_datapump.hooks._sets import listed_members


def test_the_export_log_lists_the_set_with_or_without_timestamps_and_on_windows() -> None:
    lines = [
        'Master table "HR"."EXP_HR" successfully loaded/unloaded',
        "******************************************************************************",
        "Dump file set for HR.EXP_HR is:",
        "  /u01/app/oracle/admin/ORCL/dpdump/hr_01.dmp",
        "31-JAN-24 10:12:01.123:   /u01/app/oracle/admin/ORCL/dpdump/hr_02.dmp",
        r"  D:\oracle\dpdump\hr_03.dmp",
        'Job "HR"."EXP_HR" successfully completed at Wed Jan 31 10:12:01 2024 elapsed 0 00:01:23',
        "  /not/a/member.dmp",
    ]
    assert dump_files_logged(lines) == ["hr_01.dmp", "hr_02.dmp", "hr_03.dmp"]
    assert members_of("hr_%U.dmp", [*dump_files_logged(lines), "other.dmp"]) == [
        "hr_01.dmp",
        "hr_02.dmp",
        "hr_03.dmp",
    ]


def test_a_log_without_the_list_gives_nothing() -> None:
    assert dump_files_logged(['Job "HR"."IMP" successfully completed at ...']) == []


def test_a_progress_line_gives_small_files_a_readable_size() -> None:
    """A 16 KB dump member was logged as "0.0 MB of 0.0 MB (100%)"."""
    from airflow_datapump.core.transfer import Progress

    progress = Progress(16384, 0.0)
    progress.add(16384)
    assert progress.line("app_01.dmp", 2.0) == "app_01.dmp: 16.0 KB of 16.0 KB (100%), 8.0 KB/s"
    big = Progress(3 * 1048576, 0.0)
    big.add(1048576)
    assert big.line("app_02.dmp", 1.0) == "app_02.dmp: 1.0 MB of 3.0 MB (33%), 1.0 MB/s"
    assert Progress(0, 0.0).line("empty.dmp", 1.0) == "empty.dmp: 0 bytes of 0 bytes, 0 bytes/s"


def test_a_run_of_members_ends_at_the_first_absent_at_99_for_u_and_is_itself_without_a_variable() -> None:
    every = {f"hr_{n:02d}.dmp" for n in range(1, 120)} | {f"l_{n:02d}.dmp" for n in range(1, 120)}
    assert len(members_run("hr_%U.dmp", every.__contains__)) == 99  # %U is 01-99
    assert len(members_run("l_%L.dmp", every.__contains__)) == 119
    assert members_run("hr_%U.dmp", {"hr_01.dmp", "hr_03.dmp"}.__contains__) == ["hr_01.dmp"]
    assert members_run("one.dmp", {"one.dmp"}.__contains__) == ["one.dmp"]
    assert members_run("one.dmp", set().__contains__) == []


def test_a_listing_with_a_hole_names_the_first_missing_member() -> None:
    assert listed_members("hr_%U.dmp", ["hr_02.dmp", "hr_01.dmp", "x.dmp"], "here") == [
        "hr_01.dmp",
        "hr_02.dmp",
    ]
    with pytest.raises(
        TransferError, match=r"hr_03\.dmp is missing from the set hr_%U\.dmp in here \(it has hr_05"
    ):
        listed_members("hr_%U.dmp", ["hr_01.dmp", "hr_02.dmp", "hr_05.dmp"], "here")
    with pytest.raises(TransferError, match=r"hr_01\.dmp is missing"):
        listed_members("hr_%U.dmp", ["hr_02.dmp"], "here")
