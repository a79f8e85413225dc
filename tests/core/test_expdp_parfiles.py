"""expdp/impdp parameter files, written by us from the syntax Oracle's Utilities guide documents.

Each case is one parameter file's worth of parameters; it must map to the job model as the
guide describes, and ``to_expdp()`` must print a command line that reads back to the same job.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from airflow_datapump import JobSpec, TableRef
from airflow_datapump.core.conditions import Condition
from airflow_datapump.core.parts import DataFilter, NameFilter, Remap, Transform
from airflow_datapump.exceptions import SpecError

HR_EMP = TableRef("EMPLOYEES", "HR")

# (tool, parameter file, expected attributes; "P:NAME" is spec.parameter(NAME))
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("expdp", "DIRECTORY=dpump_dir1 DUMPFILE=hr.dmp SCHEMAS=hr",
     {"mode": "SCHEMA", "schemas": ("HR",), "directory": "DPUMP_DIR1", "dump_files": ("hr.dmp",)}),
    ("expdp", "SCHEMAS=HR,SH DIRECTORY=DP DUMPFILE=hr_%U.dmp FILESIZE=2G PARALLEL=4",
     {"schemas": ("HR", "SH"), "file_size": "2G", "parallel": 4, "dump_files": ("hr_%U.dmp",)}),
    ("expdp", "FULL=YES DIRECTORY=dpump_dir2 DUMPFILE=dpump_dir1:full1%U.dmp,dpump_dir1:full2%U.dmp\n"
              "FILESIZE=2G PARALLEL=3 LOGFILE=dpump_dir1:expfull.log JOB_NAME=expfull",
     {"mode": "FULL", "directory": "DPUMP_DIR1", "log_directory": "DPUMP_DIR1", "job_name": "EXPFULL"}),
    ("expdp", "TABLES=employees,jobs DUMPFILE=dpump_dir1:table.dmp NOLOGFILE=NO",
     {"mode": "TABLE", "tables": (TableRef("EMPLOYEES"), TableRef("JOBS")), "directory": "DPUMP_DIR1"}),
    ("expdp", "TABLES=(sh.sales:sales_q1_2012, sh.sales:sales_q2_2012) DIRECTORY=dpump_dir1 DUMPFILE=p.dmp",
     {"tables": (TableRef("SALES", "SH", "SALES_Q1_2012"), TableRef("SALES", "SH", "SALES_Q2_2012"))}),
    ("expdp", "TABLESPACES=tbs_4,tbs_5,tbs_6 DIRECTORY=dpump_dir1 DUMPFILE=tbs.dmp",
     {"mode": "TABLESPACE", "tablespaces": ("TBS_4", "TBS_5", "TBS_6")}),
    ("expdp", "TRANSPORT_TABLESPACES=tbs_1 TRANSPORT_FULL_CHECK=YES DIRECTORY=dpump_dir1 DUMPFILE=tts.dmp",
     {"mode": "TRANSPORTABLE", "tablespaces": ("TBS_1",), "P:TTS_FULL_CHECK": 1}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=hr.dmp EXCLUDE=STATISTICS",
     {"exclude": ("STATISTICS",)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=hr.dmp\nINCLUDE=TABLE:\"IN ('EMP','DEPT')\"",
     {"include": ("TABLE",), "name_filters": (NameFilter("TABLE", Condition("IN", ("EMP", "DEPT"))),)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=hr_include.dmp\n"
              "INCLUDE=FUNCTION\nINCLUDE=PROCEDURE\nINCLUDE=PACKAGE\nINCLUDE=INDEX:\"LIKE 'EMP%'\"",
     {"include": ("FUNCTION", "PROCEDURE", "PACKAGE", "INDEX")}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=hr_exclude.dmp EXCLUDE=VIEW,PACKAGE,FUNCTION",
     {"exclude": ("VIEW", "PACKAGE", "FUNCTION")}),
    ("expdp", "FULL=YES DIRECTORY=dpump_dir1 DUMPFILE=full.dmp EXCLUDE=SCHEMA:\"='HR'\"",
     {"name_filters": (NameFilter("SCHEMA", Condition("=", ("HR",)), exclude=True),)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=q.dmp\n"
              "QUERY=employees:\"WHERE department_id > 10 AND salary > 10000\"",
     {"data_filters": (DataFilter("SUBQUERY", "WHERE department_id > 10 AND salary > 10000", "EMPLOYEES"),)}),
    ("expdp", "TABLES=hr.employees DIRECTORY=dp DUMPFILE=e.dmp\n"
              "QUERY=hr.employees:\"WHERE last_name = 'King' ORDER BY employee_id\"",
     {"data_filters": (DataFilter("SUBQUERY", "WHERE last_name = 'King' ORDER BY employee_id",
                                  "EMPLOYEES", "HR"),), "tables": (HR_EMP,)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=all.dmp QUERY=\"WHERE ROWNUM < 100\"",
     {"data_filters": (DataFilter("SUBQUERY", "WHERE ROWNUM < 100"),)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=sample.dmp SAMPLE=70",
     {"data_filters": (DataFilter("SAMPLE", Decimal("70")),)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=s.dmp SAMPLE=\"HR\".\"EMPLOYEES\":50",
     {"data_filters": (DataFilter("SAMPLE", Decimal("50"), "EMPLOYEES", "HR"),)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=hr_comp.dmp COMPRESSION=METADATA_ONLY",
     {"P:COMPRESSION": "METADATA_ONLY"}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=c.dmp COMPRESSION=ALL COMPRESSION_ALGORITHM=MEDIUM",
     {"P:COMPRESSION": "ALL", "P:COMPRESSION_ALGORITHM": "MEDIUM"}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=dataonly.dmp CONTENT=DATA_ONLY",
     {"P:INCLUDE_METADATA": 0}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 DUMPFILE=meta.dmp CONTENT=METADATA_ONLY",
     {"data_filters": (DataFilter("INCLUDE_ROWS", 0),)}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dpump_dir1 ESTIMATE_ONLY=YES ESTIMATE=STATISTICS",
     {"P:ESTIMATE_ONLY": 1, "P:ESTIMATE": "STATISTICS", "dump_files": ()}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=fb.dmp FLASHBACK_SCN=384632",
     {"P:FLASHBACK_SCN": 384632}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=fb.dmp FLASHBACK_TIME=SYSTIMESTAMP",
     {"P:FLASHBACK_TIME": "SYSTIMESTAMP"}),
    ("expdp", "DIRECTORY=dpump_dir1 DUMPFILE=hr_time.dmp\n"
              "FLASHBACK_TIME=\"TO_TIMESTAMP('27-10-2012 13:16:00', 'DD-MM-YYYY HH24:MI:SS')\"",
     {"P:FLASHBACK_TIME": "2012-10-27 13:16:00", "mode": "SCHEMA", "schemas": ()}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=v.dmp VERSION=12.2 REUSE_DUMPFILES=YES",
     {"version": "12.2", "reuse_dump_files": True}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=enc.dmp ENCRYPTION=ALL ENCRYPTION_MODE=PASSWORD\n"
              "ENCRYPTION_ALGORITHM=AES256 ENCRYPTION_PASSWORD=foobar1",
     {"P:ENCRYPTION": "ALL", "P:ENCRYPTION_ALGORITHM": "AES256"}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=l.dmp LOGTIME=ALL METRICS=YES KEEP_MASTER=YES",
     {"P:LOGTIME": "ALL", "P:METRICS": 1, "P:KEEP_MASTER": 1}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=a.dmp ACCESS_METHOD=EXTERNAL_TABLE",
     {"P:DATA_ACCESS_METHOD": "EXTERNAL_TABLE"}),
    ("expdp", "TABLES=hr.employees DIRECTORY=dp DUMPFILE=x.dmp DATA_OPTIONS=XML_CLOBS",
     {"P:DATA_OPTIONS": 2}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp NETWORK_LINK=source_database_link DUMPFILE=network_export.dmp",
     {"network_link": "SOURCE_DATABASE_LINK"}),
    ("expdp", "FULL=YES DIRECTORY=dp DUMPFILE=tt.dmp TRANSPORTABLE=ALWAYS VERSION=12",
     {"P:TRANSPORTABLE": "ALWAYS", "version": "12"}),
    ("expdp", "# schema export with a comment\nSCHEMAS=hr   # the HR sample\nDIRECTORY=dp\nDUMPFILE=c.dmp\n"
              "STATUS=60 CLUSTER=YES",
     {"schemas": ("HR",)}),
    ("expdp", "TABLES=('\"Emp#\"', dept) DIRECTORY=dp DUMPFILE=q.dmp",
     {"tables": (TableRef("Emp#"), TableRef("DEPT"))}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=cs.dmp CHECKSUM=YES CHECKSUM_ALGORITHM=SHA384",
     {"P:CHECKSUM": 1, "P:CHECKSUM_ALGORITHM": "SHA384"}),
    ("expdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=ed.dmp SOURCE_EDITION=exp_edition",
     {"P:SOURCE_EDITION": "EXP_EDITION"}),
    ("impdp", "DIRECTORY=dpump_dir1 DUMPFILE=expfull.dmp",
     {"operation": "IMPORT", "mode": "FULL"}),
    ("impdp", "SCHEMAS=HR DIRECTORY=DP DUMPFILE=hr.dmp REMAP_SCHEMA=HR:HR2 TABLE_EXISTS_ACTION=REPLACE",
     {"remaps": (Remap("REMAP_SCHEMA", "HR", "HR2"),), "P:TABLE_EXISTS_ACTION": "REPLACE"}),
    ("impdp", "DIRECTORY=dpump_dir1 DUMPFILE=expfull.dmp SQLFILE=expfull.sql",
     {"operation": "SQL_FILE", "sql_file": "expfull.sql"}),
    ("impdp", "DIRECTORY=dpump_dir1 NETWORK_LINK=source_database_link TABLES=employees\n"
              "FLASHBACK_TIME=\"TO_TIMESTAMP('2024-05-01 08:00:00', 'YYYY-MM-DD HH24:MI:SS')\"",
     {"network_link": "SOURCE_DATABASE_LINK", "dump_files": (), "P:FLASHBACK_TIME": "2024-05-01 08:00:00"}),
    ("impdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=hr.dmp\n"
              "REMAP_TABLESPACE=tbs_1:tbs_6 REMAP_TABLE=hr.employees:emps",
     {"remaps": (Remap("REMAP_TABLESPACE", "TBS_1", "TBS_6"), Remap("REMAP_TABLE", "HR.EMPLOYEES", "EMPS"))}),
    ("impdp", "FULL=YES DIRECTORY=dp DUMPFILE=db_full.dmp\n"
              "REMAP_DATAFILE=\"'DB1$:[HRDATA.PAYROLL]tbs6.dbf':'/db1/hrdata/payroll/tbs6.dbf'\"",
     {"remaps": (Remap("REMAP_DATAFILE", "DB1$:[HRDATA.PAYROLL]tbs6.dbf", "/db1/hrdata/payroll/tbs6.dbf"),)}),
    ("impdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=hr.dmp TRANSFORM=SEGMENT_ATTRIBUTES:N:table\n"
              "TRANSFORM=STORAGE:N TRANSFORM=OID:N TRANSFORM=PCTSPACE:30 TRANSFORM=LOB_STORAGE:SECUREFILE\n"
              "TRANSFORM=DISABLE_ARCHIVE_LOGGING:Y TRANSFORM=TABLE_COMPRESSION_CLAUSE:\"COMPRESS BASIC\"",
     {"transforms": (Transform("SEGMENT_ATTRIBUTES", 0, "TABLE"), Transform("STORAGE", 0),
                     Transform("OID", 0), Transform("PCTSPACE", 30), Transform("LOB_STORAGE", "SECUREFILE"),
                     Transform("DISABLE_ARCHIVE_LOGGING", 1),
                     Transform("TABLE_COMPRESSION_CLAUSE", "COMPRESS BASIC"))}),
    ("impdp", "TABLES=employees DIRECTORY=dp DUMPFILE=e.dmp CONTENT=DATA_ONLY TABLE_EXISTS_ACTION=APPEND\n"
              "DATA_OPTIONS=SKIP_CONSTRAINT_ERRORS,DISABLE_APPEND_HINT",
     {"P:INCLUDE_METADATA": 0, "P:DATA_OPTIONS": 9}),
    ("impdp", "TABLES=sh.sales DIRECTORY=dp DUMPFILE=sales.dmp\n"
              "PARTITION_OPTIONS=MERGE SKIP_UNUSABLE_INDEXES=YES",
     {"P:PARTITION_OPTIONS": "MERGE", "P:SKIP_UNUSABLE_INDEXES": 1}),
    ("impdp", "TRANSPORT_TABLESPACES=tbs_6 DIRECTORY=dp NETWORK_LINK=source_link\n"
              "TRANSPORT_DATAFILES='/db1/hrdata/payroll/tbs6.dbf'",
     {"mode": "TRANSPORTABLE", "P:TABLESPACE_DATAFILE": "/db1/hrdata/payroll/tbs6.dbf"}),
    ("impdp", "FULL=YES DIRECTORY=dp DUMPFILE=f.dmp\n"
              "REUSE_DATAFILES=YES MASTER_ONLY=NO STREAMS_CONFIGURATION=NO",
     {"P:REUSE_DATAFILES": 1, "P:MASTER_ONLY": 0, "P:STREAMS_CONFIGURATION": 0}),
    ("impdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=hr.dmp TARGET_EDITION=exp_edition LOGFILE=imp.log",
     {"P:TARGET_EDITION": "EXP_EDITION", "log_file": "imp.log"}),
    ("impdp", "SCHEMAS=hr DIRECTORY=dp DUMPFILE=hr.dmp QUERY=hr.employees:\"WHERE department_id = 50\"\n"
              "EXCLUDE=CONSTRAINT,REF_CONSTRAINT INCLUDE=TABLE PARALLEL=2",
     {"exclude": ("CONSTRAINT", "REF_CONSTRAINT"), "include": ("TABLE",), "parallel": 2}),
    ("impdp", "DIRECTORY=dp DUMPFILE=e.dmp ENCRYPTION_PASSWORD=foobar1 ACCESS_METHOD=DIRECT_PATH",
     {"P:DATA_ACCESS_METHOD": "DIRECT_PATH"}),
]  # fmt: skip


def _expected(spec: JobSpec, key: str) -> Any:
    if key.startswith("P:"):
        return spec.parameter(key[2:])
    return getattr(spec, key)


def _from_parfile(tool: str, text: str, folder: Path) -> JobSpec:
    path = folder / "job.par"
    path.write_text(text)
    return JobSpec.from_parfile(path, tool=tool)


def test_the_table_covers_at_least_forty_parameter_files() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("tool", "text", "expected"), CASES)
def test_parameter_file_maps_to_the_job_model(
    tool: str, text: str, expected: dict[str, Any], tmp_path: Path
) -> None:
    spec = _from_parfile(tool, text, tmp_path)
    assert {key: _expected(spec, key) for key in expected} == expected


@pytest.mark.parametrize(("tool", "text", "expected"), CASES)
def test_to_expdp_reads_back_to_the_same_job(
    tool: str, text: str, expected: dict[str, Any], tmp_path: Path
) -> None:
    spec = _from_parfile(tool, text, tmp_path)
    password = "foobar1" if spec.encryption_password is not None else None
    line = spec.to_expdp()
    assert line.split()[0] == tool
    assert "foobar1" not in line
    again = (JobSpec.from_impdp if tool == "impdp" else JobSpec.from_expdp)(
        line, encryption_password=password
    )
    assert again == spec


def test_a_parameter_file_saved_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    """Windows editors often save UTF-8 with a BOM; it is not part of the first parameter's name."""
    parfile = tmp_path / "hr.par"
    parfile.write_bytes(b"\xef\xbb\xbfSCHEMAS=HR\r\nDUMPFILE=hr_%U.dmp\r\n")
    assert JobSpec.from_parfile(parfile) == JobSpec.from_expdp("SCHEMAS=HR DUMPFILE=hr_%U.dmp")
    assert JobSpec.from_expdp(f"PARFILE={parfile}") == JobSpec.from_expdp("SCHEMAS=HR DUMPFILE=hr_%U.dmp")


def test_a_parameter_file_not_in_utf8_or_missing_names_the_file(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.par"
    latin1.write_bytes(b"SCHEMAS=HR\n# r\xe9sum\xe9\nDUMPFILE=hr.dmp\n")
    with pytest.raises(SpecError, match=r"PARFILE: .*latin1\.par.* not allowed; a text file in UTF-8") as bad:
        JobSpec.from_parfile(latin1)
    assert "line 2" in str(bad.value)
    missing = tmp_path / "missing.par"
    with pytest.raises(SpecError, match=r"PARFILE: .*missing\.par.* is not allowed; a file readable here"):
        JobSpec.from_expdp(f"PARFILE={missing}")
