"""The pure rules of moving dump file sets: member names and the export log's list of files."""

from __future__ import annotations

from airflow_datapump.core.transfer import dump_files_logged, members_of


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
