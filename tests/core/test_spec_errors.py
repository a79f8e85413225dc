"""Bad job specs are refused when built, naming the field, the value and what is allowed.

Each row is one mistake a DAG author can make. The expected text is checked word for word
where it says what is allowed, so a vague message fails the test. Section numbers (§) are
those of docs/oracle-sources.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from airflow_datapump import JobSpec, SpecError

EXP: dict[str, Any] = {"operation": "EXPORT", "mode": "SCHEMA", "dump_files": ["hr.dmp"]}
IMP: dict[str, Any] = {"operation": "IMPORT", "mode": "SCHEMA", "dump_files": ["hr.dmp"]}
NET: dict[str, Any] = {"operation": "IMPORT", "mode": "SCHEMA", "network_link": "SRC"}


def case(base: dict[str, Any], field: str, value: object, allowed: str, **changes: Any) -> Any:
    return pytest.param({**base, **changes}, field, value, allowed, id=field + ":" + repr(value)[:40])


CASES = [
    # what the job is
    case(EXP, "operation", "EXPROT", "one of EXPORT, IMPORT, SQL_FILE", operation="EXPROT"),
    case(
        EXP,
        "mode",
        "SCHEMAS",
        "one of FULL, SCHEMA, TABLE, TABLESPACE, TRANSPORTABLE",
        mode="SCHEMAS",
    ),
    case(EXP, "parallel", 0, "a whole number >= 1", parallel=0),
    case(EXP, "parallel", -2, "a whole number >= 1", parallel=-2),
    case(EXP, "parallel", True, "a whole number >= 1", parallel=True),
    case(EXP, "parallel", "four", "a whole number >= 1", parallel="four"),
    case(
        EXP,
        "version",
        "12.2c",
        "COMPATIBLE, LATEST, or a release number such as 12.2 or 19",
        version="12.2c",
    ),
    case(
        EXP,
        "version",
        "8.1",
        "COMPATIBLE, LATEST, or a release number such as 12.2 or 19",
        version="8.1",
    ),
    # names
    case(EXP, "job_name", "exp-hr", "expected an Oracle name", job_name="exp-hr"),
    case(EXP, "job_name", "X" * 129, "a name of at most 128 bytes", job_name="X" * 129),
    case(
        EXP,
        "job_name",
        "select",
        "SELECT is an Oracle reserved word; write it in double quotes",
        job_name="select",
    ),
    case(EXP, "directory", "DATA PUMP", "expected an Oracle name", directory="DATA PUMP"),
    case(EXP, "schemas[0]", "HR') OR ('1'='1", "expected an Oracle name", schemas=["HR') OR ('1'='1"]),
    case(
        EXP,
        "schemas[1]",
        '"A"B"',
        'a double-quoted name must be non-empty, without " or NUL inside',
        schemas=["HR", '"A"B"'],
    ),
    case(EXP, "schemas[0]", '""', "a double-quoted name must be non-empty", schemas=['""']),
    case(EXP, "schemas", "HR", "each entry at most once", schemas=["HR", "hr"]),
    case(EXP, "schemas", {"HR"}, "a list", schemas={"HR"}),
    case(
        NET,
        "network_link",
        "src link",
        "a database link name such as SRC_LINK",
        network_link="src link",
    ),
    # files
    case(
        EXP,
        "dump_files[0]",
        "/u01/hr.dmp",
        "a file name without a path; the directory object gives it",
        dump_files=["/u01/hr.dmp"],
    ),
    case(
        EXP,
        "dump_files[0]",
        "hr_%D.dmp",
        "a file name whose only substitution variables are %U and %L",
        dump_files=["hr_%D.dmp"],
    ),
    case(
        EXP,
        "dump_files[0]",
        " hr.dmp",
        "a non-empty file name without surrounding spaces",
        dump_files=[" hr.dmp"],
    ),
    case(
        IMP,
        "dump_files",
        [],
        "at least one dump file to read for a file-based IMPORT",
        dump_files=[],
    ),
    case(
        {**IMP, "operation": "SQL_FILE"},
        "dump_files",
        [],
        "at least one dump file to read for a file-based SQL_FILE",
        dump_files=[],
    ),
    case(
        NET,
        "dump_files",
        ["hr.dmp"],
        "no dump files for a network-mode import (ORA-39002",
        dump_files=["hr.dmp"],
    ),
    case(
        EXP,
        "dump_files",
        ["hr.dmp"],
        "no dump files for an ESTIMATE_ONLY export",
        parameters={"ESTIMATE_ONLY": 1},
    ),
    case(
        EXP,
        "log_file",
        "hr_%U.log",
        "a file name without substitution variables such as %U",
        log_file="hr_%U.log",
    ),
    case(EXP, "log_file", "logs\\hr.log", "a file name without a path", log_file="logs\\hr.log"),
    case(
        EXP,
        "file_size",
        "2 GB",
        "a size in bytes, or a number followed by K, M, G or T",
        file_size="2 GB",
        dump_files=["a_%U.dmp"],
    ),
    case(EXP, "file_size", 0, "a size in bytes, or a number followed by K, M, G or T", file_size=0),
    case(
        IMP,
        "reuse_dump_files",
        True,
        "only for exports; imports read existing files",
        reuse_dump_files=True,
    ),
    case(IMP, "file_size", "2G", "only for exports; imports read existing files", file_size="2G"),
    case(EXP, "reuse_dump_files", "yes", "true or false", reuse_dump_files="yes"),
    case(EXP, "sql_file", "ddl.sql", "only for the SQL_FILE operation", sql_file="ddl.sql"),
    case(EXP, "parallel", 4, "at most 1 with these dump files; use %U or %L", parallel=4),
    case(EXP, "delete_dump_files", True, "only for a file-based import", delete_dump_files=True),
    # modes
    case(EXP, "schemas", ["HR"], "schemas only in SCHEMA mode", mode="FULL", schemas=["HR"]),
    case(EXP, "tables", ["EMP"], "tables only in TABLE mode", tables=["EMP"]),
    case(EXP, "tables", [], "at least one table in TABLE mode", mode="TABLE"),
    case(
        EXP,
        "tables",
        ["HR.EMP", "OE.ORDERS"],
        "tables of one schema",
        mode="TABLE",
        tables=["HR.EMP", "OE.ORDERS"],
    ),
    case(
        EXP,
        "tables",
        ["HR.EMP", "DEPT"],
        "all qualified or all unqualified",
        mode="TABLE",
        tables=["HR.EMP", "DEPT"],
    ),
    case(
        EXP,
        "tables[0]",
        "HR.EMP.X",
        "a table name such as EMP, HR.EMP or HR.EMP:P1",
        mode="TABLE",
        tables=["HR.EMP.X"],
    ),
    case(EXP, "tablespaces", [], "at least one tablespace in TABLESPACE mode", mode="TABLESPACE"),
    case(
        EXP,
        "tablespaces",
        ["USERS"],
        "tablespaces in TABLE, TABLESPACE or TRANSPORTABLE mode",
        tablespaces=["USERS"],
    ),
    # filters
    case(EXP, "include[0]", "TABLE;DROP", "an object path", include=["TABLE;DROP"]),
    case(
        EXP,
        "include[0]",
        "TABLE:IN ('EMP') OR 1=1",
        "an operator (IN, NOT IN, LIKE, NOT LIKE, =, !=) followed by quoted names",
        include=["TABLE:IN ('EMP') OR 1=1"],
    ),
    case(
        EXP,
        "exclude[0]",
        "TABLE:LIKE ('A','B')",
        "an operator (IN, NOT IN, LIKE, NOT LIKE, =, !=) followed by quoted names",
        exclude=["TABLE:LIKE ('A','B')"],
    ),
    case(
        EXP,
        "exclude",
        ["INDEX"],
        "a path in either include or exclude, not both",
        include=["INDEX"],
        exclude=["INDEX"],
    ),
    case(
        EXP,
        "data_filters.SAMPLE",
        0,
        "a percentage greater than 0 and at most 100",
        data_filters=[{"name": "SAMPLE", "value": 0}],
    ),
    case(
        EXP,
        "data_filters.SAMPLE",
        150,
        "a percentage greater than 0 and at most 100",
        data_filters=[{"name": "SAMPLE", "value": 150}],
    ),
    case(
        IMP,
        "data_filters.SAMPLE",
        "10",
        "SAMPLE only on export",
        data_filters=[{"name": "SAMPLE", "value": 10}],
    ),
    case(
        EXP,
        "data_filters.name",
        "ROWS",
        "one of INCLUDE_ROWS, SUBQUERY, SAMPLE, PARTITION_LIST, PARTITION_EXPR",
        data_filters=[{"name": "ROWS", "value": 1}],
    ),
    case(
        EXP,
        "data_filters.SUBQUERY.schema",
        "HR",
        "a schema only together with a table",
        data_filters=[{"name": "SUBQUERY", "value": "WHERE 1=1", "schema": "HR"}],
    ),
    case(
        EXP,
        "data_filters.SUBQUERY",
        "salary > 0",
        "a clause starting with WHERE or ORDER BY",
        query="salary > 0",
    ),
    case(
        EXP,
        "data_filters.SUBQUERY",
        "WHERE 1=1; DROP TABLE x",
        "a clause without ; or comments, and with closed string literals",
        query="WHERE 1=1; DROP TABLE x",
    ),
    case(
        EXP,
        "data_filters.SUBQUERY",
        "WHERE name = 'x",
        "with closed string literals",
        query="WHERE name = 'x",
    ),
    case(
        EXP,
        "data_filters.INCLUDE_ROWS",
        "INCLUDE_ROWS",
        "each data filter once per table",
        data_filters=[{"name": "INCLUDE_ROWS", "value": 0}, {"name": "INCLUDE_ROWS", "value": 1}],
    ),
    case(
        {**NET, "mode": "TABLE", "tables": ["HR.EMP"]},
        "data_filters.PARTITION_EXPR",
        "PARTITION_EXPR",
        "no PARTITION_EXPR over a network link",
        data_filters=[{"name": "PARTITION_EXPR", "value": "LIKE 'P2024%'", "table": "EMP"}],
    ),
    case(
        {**EXP, "mode": "TRANSPORTABLE", "tablespaces": ["USERS"]},
        "data_filters",
        "INCLUDE_ROWS",
        "no data filters in TRANSPORTABLE mode",
        data_filters=[{"name": "INCLUDE_ROWS", "value": 0}],
    ),
    # remaps and transforms
    case(
        EXP,
        "remaps",
        "REMAP_SCHEMA",
        "remaps only for IMPORT and SQL_FILE",
        remap_schemas={"HR": "HR2"},
    ),
    case(EXP, "transforms", "OID", "transforms only for IMPORT and SQL_FILE", transforms={"OID": 0}),
    case(
        IMP,
        "remaps.name",
        "REMAP_USER",
        "one of REMAP_SCHEMA, REMAP_TABLESPACE, REMAP_TABLE, REMAP_DATAFILE",
        remaps=[{"name": "REMAP_USER", "old_value": "A", "value": "B"}],
    ),
    case(
        IMP,
        "remaps.REMAP_SCHEMA.value",
        "HR 2",
        "expected an Oracle name",
        remap_schemas={"HR": "HR 2"},
    ),
    case(
        IMP,
        "remaps.REMAP_SCHEMA",
        "HR",
        "one target per remapped name",
        remaps=[
            {"name": "REMAP_SCHEMA", "old_value": "HR", "value": "A"},
            {"name": "REMAP_SCHEMA", "old_value": "hr", "value": "B"},
        ],
    ),
    case(
        IMP,
        "transforms",
        "SEGMENT_ATTRIBUTE",
        "one of SEGMENT_ATTRIBUTES, STORAGE, OID",
        transforms={"SEGMENT_ATTRIBUTE": 0},
    ),
    case(
        IMP,
        "transforms.SEGMENT_ATTRIBUTES",
        2,
        "0 or 1 (or true/false)",
        transforms={"SEGMENT_ATTRIBUTES": 2},
    ),
    case(
        IMP,
        "transforms.LOB_STORAGE",
        "FAST",
        "one of SECUREFILE, BASICFILE, DEFAULT, NO_CHANGE",
        transforms={"LOB_STORAGE": "FAST"},
    ),
    case(
        IMP,
        "transforms.TABLE_COMPRESSION_CLAUSE",
        "COMPRESS'; --",
        "a clause of words",
        transforms={"TABLE_COMPRESSION_CLAUSE": "COMPRESS'; --"},
    ),
    case(IMP, "transforms.PCTSPACE", 0, "a whole number >= 1", transforms={"PCTSPACE": 0}),
    case(
        {**IMP, "mode": "TRANSPORTABLE", "parameters": {"TABLESPACE_DATAFILE": "/u01/users.dbf"}},
        "transforms",
        "STORAGE",
        "no transforms in TRANSPORTABLE mode (ORA-39205)",
        transforms={"STORAGE": 0},
    ),
    # parameters
    case(
        EXP,
        "parameters",
        "COMPRESS",
        "one of CLIENT_COMMAND, COMPRESSION",
        parameters={"COMPRESS": "ALL"},
    ),
    case(
        EXP,
        "parameters.COMPRESSION",
        "bogus",
        "one of METADATA_ONLY, DATA_ONLY, ALL, NONE",
        parameters={"COMPRESSION": "bogus"},
    ),
    case(
        EXP,
        "parameters.COMPRESSION",
        1,
        "one of METADATA_ONLY, DATA_ONLY, ALL, NONE",
        parameters={"COMPRESSION": 1},
    ),
    case(EXP, "parameters.METRICS", "y", "0 or 1 (or true/false)", parameters={"METRICS": "y"}),
    case(EXP, "parameters.KEEP_MASTER", 2, "0 or 1 (or true/false)", parameters={"KEEP_MASTER": 2}),
    case(EXP, "parameters.FLASHBACK_SCN", -1, "a whole number >= 0", parameters={"FLASHBACK_SCN": -1}),
    case(
        EXP,
        "parameters.FLASHBACK_TIME",
        "yesterday",
        "a datetime, an ISO 8601 timestamp, SYSTIMESTAMP",
        parameters={"FLASHBACK_TIME": "yesterday"},
    ),
    case(
        EXP,
        "parameters.FLASHBACK_TIME",
        "TO_TIMESTAMP('2024-01-31', 'DD.MM.YYYY')",
        "TO_TIMESTAMP('<timestamp>', 'YYYY-MM-DD HH24:MI:SS')",
        parameters={"FLASHBACK_TIME": "TO_TIMESTAMP('2024-01-31', 'DD.MM.YYYY')"},
    ),
    case(
        EXP,
        "parameters.FLASHBACK_TIME",
        "2024-01-31 10:00:00",
        "FLASHBACK_SCN or FLASHBACK_TIME, not both",
        parameters={"FLASHBACK_SCN": 1, "FLASHBACK_TIME": "2024-01-31 10:00:00"},
    ),
    case(
        IMP,
        "parameters.FLASHBACK_SCN",
        1,
        "FLASHBACK_SCN applies to: export, network import",
        parameters={"FLASHBACK_SCN": 1},
    ),
    case(
        EXP,
        "parameters.TABLE_EXISTS_ACTION",
        "REPLACE",
        "TABLE_EXISTS_ACTION applies to: import",
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
    ),
    case(
        IMP,
        "parameters.TABLE_EXISTS_ACTION",
        "SKIP",
        "APPEND or TRUNCATE for a data-only import (ORA-39137)",
        parameters={"INCLUDE_METADATA": 0, "TABLE_EXISTS_ACTION": "SKIP"},
    ),
    case(
        EXP,
        "parameters.DATA_OPTIONS[1]",
        "SKIP_ERRORS",
        "one of SKIP_CONST_ERR, XMLTYPE_CLOB",
        parameters={"DATA_OPTIONS": ["XMLTYPE_CLOB", "SKIP_ERRORS"]},
    ),
    case(
        EXP,
        "parameters.DATA_OPTIONS",
        4096,
        "a sum of the known KU$_DATAOPT_* bits",
        parameters={"DATA_OPTIONS": 4096},
    ),
    case(
        EXP,
        "parameters.TRANSPORTABLE",
        "ALWAYS",
        "TABLE or FULL mode",
        parameters={"TRANSPORTABLE": "ALWAYS"},
    ),
    case(
        EXP,
        "parameters.USER_METADATA",
        1,
        "SCHEMA mode",
        mode="FULL",
        parameters={"USER_METADATA": 1},
    ),
    case(IMP, "parameters.REUSE_DATAFILES", 1, "a FULL import", parameters={"REUSE_DATAFILES": 1}),
    case(
        EXP,
        "parameters.TABLESPACE_DATAFILE",
        "/u01/x.dbf",
        "TABLESPACE_DATAFILE applies to: import",
        parameters={"TABLESPACE_DATAFILE": "/u01/x.dbf"},
    ),
    case(
        {**IMP, "mode": "TRANSPORTABLE"},
        "parameters.TABLESPACE_DATAFILE",
        None,
        "the datafiles to plug in, for a TRANSPORTABLE import",
    ),
    case(
        EXP,
        "parameters.SOURCE_EDITION",
        "ora$base!",
        "expected an Oracle name",
        parameters={"SOURCE_EDITION": "ora$base!"},
    ),
    case(
        EXP,
        "parameters.KEEP_MASTER",
        1,
        "the parameter only once",
        parameters=[("KEEP_MASTER", 1), ("keep_master", 1)],
    ),
    case(
        EXP,
        "parameters.ESTIMATE_ONLY",
        1,
        "a local export",
        network_link="SRC",
        dump_files=[],
        parameters={"ESTIMATE_ONLY": 1},
    ),
    # encryption
    case(
        EXP,
        "encryption_password",
        None,
        "a password for ENCRYPTION_MODE=PASSWORD",
        parameters={"ENCRYPTION_MODE": "PASSWORD"},
    ),
    case(
        EXP,
        "encryption_password",
        "***",
        "no password with ENCRYPTION_MODE=TRANSPARENT",
        encryption_password="s3cret",
        parameters={"ENCRYPTION_MODE": "TRANSPARENT"},
    ),
    case(
        EXP,
        "parameters.ENCRYPTION",
        "NONE",
        "no encryption password, mode or algorithm with ENCRYPTION=NONE",
        encryption_password="s3cret",
        parameters={"ENCRYPTION": "NONE"},
    ),
    case(EXP, "encryption_password", "***", "a non-empty string", encryption_password=""),
    case(
        EXP,
        "parameters.ENCRYPTION_PASSWORD",
        "***",
        "the password only once",
        encryption_password="a",
        parameters={"ENCRYPTION_PASSWORD": "b"},
    ),
]


def test_there_are_at_least_fifty_cases() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize(("kwargs", "field", "value", "allowed"), CASES)
def test_bad_spec_is_refused_with_a_message_naming_field_value_and_rule(
    kwargs: dict[str, Any], field: str, value: object, allowed: str
) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec(**kwargs)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.field == field
    assert error.value == value
    assert allowed in error.allowed
    assert str(error).startswith(f"{field}: {value!r} is not allowed; ")


def test_no_error_message_contains_a_password() -> None:
    for kwargs in (
        {**EXP, "encryption_password": "hunter2", "parameters": {"ENCRYPTION_MODE": "TRANSPARENT"}},
        {**EXP, "encryption_password": "hunter2", "parameters": {"ENCRYPTION": "NONE"}},
        {**EXP, "encryption_password": "hunter2", "parameters": {"ENCRYPTION_PASSWORD": "hunter2"}},
    ):
        with pytest.raises(SpecError) as caught:
            JobSpec(**kwargs)
        assert "hunter2" not in str(caught.value)
        assert "hunter2" not in repr(caught.value.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"dump_files": ["x.dmp"], "parallel": 4},
        {"dump_files": ["x.dmp"], "parameters": {"FLASHBACK_SCN": 1, "FLASHBACK_TIME": "SYSTIMESTAMP"}},
        {"dump_files": ["x.dmp"], "parameters": {"USER_METADATA": 1}, "mode": "TABLE", "tables": ["HR.EMP"]},
    ],
)
def test_errors_cite_no_section_of_a_document_users_do_not_have(kwargs: dict[str, Any]) -> None:
    """ "(§2.10)" pointed at a reference kept outside the package; what is allowed is said in full."""
    mode = kwargs.pop("mode", "SCHEMA")
    with pytest.raises(SpecError) as caught:
        JobSpec("EXPORT", mode, **kwargs)
    assert "§" not in str(caught.value)


def test_a_schema_remap_of_a_schema_the_import_does_not_take_is_refused() -> None:
    """REMAP_SCHEMA=APPP:APP_TEST beside SCHEMAS=APP changes nothing: Oracle imports APP as APP,
    creating it on the target, and the job "successfully completed" while APP_TEST kept
    yesterday's rows (tried on the emulator). A remap source outside SCHEMAS is a typo."""
    with pytest.raises(SpecError) as caught:
        JobSpec.from_impdp(["SCHEMAS=APP", "DUMPFILE=a_%U.dmp", "REMAP_SCHEMA=APPP:APP_TEST"])
    assert caught.value.field == "REMAP_SCHEMA"
    assert caught.value.value == "APPP"
    assert "a schema this job imports (APP)" in caught.value.allowed
    with pytest.raises(SpecError):
        JobSpec("IMPORT", "SCHEMA", schemas=["APP"], dump_files=["a.dmp"], remap_schemas={"APPP": "APP_TEST"})
    # A remap of an imported schema, and one in a job without a SCHEMAS list, are fine.
    JobSpec("IMPORT", "SCHEMA", schemas=["app"], dump_files=["a.dmp"], remap_schemas={"app": "app_test"})
    JobSpec.from_impdp(["DUMPFILE=a_%U.dmp", "REMAP_SCHEMA=APPP:APP_TEST"])
