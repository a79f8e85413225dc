"""What a valid JobSpec holds, renders and writes out."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_datapump import (
    DataFilter,
    JobSpec,
    Mode,
    Operation,
    Remap,
    Secret,
    SpecError,
    TableRef,
)
from airflow_datapump.core.filters import DataFilterCall, FilterCall, data_filters


def test_names_are_kept_as_oracle_stores_them() -> None:
    spec = JobSpec(
        "export", "schema", schemas=["hr", '"Mixed Case"'], dump_files=["a.dmp"], job_name="exp_hr"
    )
    assert spec.operation is Operation.EXPORT
    assert spec.mode is Mode.SCHEMA
    assert spec.schemas == ("HR", "Mixed Case")
    assert spec.job_name == "EXP_HR"


def test_several_schemas_are_one_list_filter_not_anded_filters() -> None:
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR", "OE", "SH"], dump_files=["a.dmp"])
    assert spec.metadata_filters() == (FilterCall("SCHEMA_LIST", "'HR','OE','SH'"),)


def test_table_mode_renders_schema_and_name_lists_and_partition_filters() -> None:
    spec = JobSpec(
        "EXPORT",
        "TABLE",
        tables=["hr.employees", "HR.DEPARTMENTS:P1", "hr.departments:p2"],
        dump_files=["t.dmp"],
    )
    assert spec.tables[1] == TableRef("DEPARTMENTS", "HR", "P1")
    assert spec.metadata_filters() == (
        FilterCall("SCHEMA_LIST", "'HR'"),
        FilterCall("NAME_LIST", "'EMPLOYEES','DEPARTMENTS'"),
    )
    assert data_filters(spec) == (DataFilterCall("PARTITION_LIST", "'P1','P2'", "DEPARTMENTS", "HR"),)


def test_expdp_style_include_and_exclude() -> None:
    spec = JobSpec(
        "EXPORT",
        "SCHEMA",
        dump_files=["a.dmp"],
        include=["TABLE:\"IN ('EMP', 'DEPT')\"", "view"],
        exclude=["STATISTICS", "INDEX:LIKE 'SYS%'"],
    )
    assert spec.include == ("TABLE", "VIEW")
    assert spec.exclude == ("STATISTICS",)
    assert spec.metadata_filters() == (
        FilterCall("INCLUDE_PATH_LIST", "'TABLE','VIEW'"),
        FilterCall("EXCLUDE_PATH_LIST", "'STATISTICS'"),
        FilterCall("NAME_EXPR", "IN ('EMP','DEPT')", "TABLE"),
        FilterCall("EXCLUDE_NAME_EXPR", "LIKE 'SYS%'", "INDEX"),
    )


def test_quote_in_a_name_is_doubled_not_closing_the_literal() -> None:
    spec = JobSpec("EXPORT", "SCHEMA", schemas=['"O\'Brien"'], dump_files=["a.dmp"])
    assert spec.metadata_filters()[0].value == "'O''Brien'"


def test_import_with_remaps_transforms_and_parameters() -> None:
    spec = JobSpec(
        "IMPORT",
        "SCHEMA",
        dump_files=["hr_%U.dmp"],
        schemas=["HR"],
        remap_schemas={"HR": "HR2"},
        remap_tablespaces={"users": "data"},
        remap_tables={"HR.EMP": "EMP_COPY"},
        transforms={"segment_attributes": False, "lob_storage": "securefile"},
        parameters={
            "table_exists_action": "replace",
            "DATA_OPTIONS": ["SKIP_CONST_ERR", "KU$_DATAOPT_XMLTYPE_CLOB"],
        },
        parallel=4,
    )
    assert spec.remaps == (
        Remap("REMAP_SCHEMA", "HR", "HR2"),
        Remap("REMAP_TABLESPACE", "USERS", "DATA"),
        Remap("REMAP_TABLE", "HR.EMP", "EMP_COPY"),
    )
    assert [(t.name, t.value) for t in spec.transforms] == [
        ("SEGMENT_ATTRIBUTES", 0),
        ("LOB_STORAGE", "SECUREFILE"),
    ]
    assert spec.parameter("TABLE_EXISTS_ACTION") == "REPLACE"
    assert spec.parameter("DATA_OPTIONS") == 3


def test_parameter_values_are_typed_for_the_right_overload() -> None:
    spec = JobSpec(
        "EXPORT",
        "SCHEMA",
        dump_files=["a.dmp"],
        parameters={
            "METRICS": True,
            "KEEP_MASTER": "0",
            "FLASHBACK_SCN": "12345",
            "LOGTIME": "all",
        },
    )
    # NUMBER parameters must bind as int, TEXT ones as str (docs/oracle-sources.md §11.6).
    assert [(p.name, p.value) for p in spec.parameters] == [
        ("METRICS", 1),
        ("KEEP_MASTER", 0),
        ("FLASHBACK_SCN", 12345),
        ("LOGTIME", "ALL"),
    ]
    assert all(
        type(p.value) is (int if p.info.value_type.value == "NUMBER" else str) for p in spec.parameters
    )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (dt.datetime(2024, 1, 31, 10, 0), "2024-01-31 10:00:00"),
        ("2024-01-31T10:00:00+00:00", "2024-01-31 10:00:00+00:00"),
        ("TO_TIMESTAMP('2024-01-31 10:00:00','YYYY-MM-DD HH24:MI:SS')", "2024-01-31 10:00:00"),
        ("systimestamp", "SYSTIMESTAMP"),
    ],
)
def test_flashback_time_is_kept_as_a_timestamp_not_as_sql(given: object, kept: str) -> None:
    spec = JobSpec("EXPORT", "SCHEMA", dump_files=["a.dmp"], parameters={"FLASHBACK_TIME": given})
    assert spec.parameter("FLASHBACK_TIME") == kept


def test_network_import_needs_no_dump_files_and_takes_flashback() -> None:
    spec = JobSpec(
        "IMPORT",
        "SCHEMA",
        network_link="src.example.com",
        schemas=["HR"],
        parameters={"FLASHBACK_SCN": 1},
    )
    assert spec.is_network
    assert spec.network_link == "SRC.EXAMPLE.COM"
    assert spec.dump_files == ()


def test_query_shortcut_becomes_subquery_data_filters() -> None:
    spec = JobSpec(
        "EXPORT",
        "SCHEMA",
        dump_files=["a.dmp"],
        query={"hr.employees": "WHERE hire_date >= DATE '2024-01-01'"},
        data_filters=[DataFilter.build("SAMPLE", 12.5, "EMPLOYEES")],
    )
    assert spec.data_filters == (
        DataFilter("SAMPLE", Decimal("12.5"), "EMPLOYEES"),
        DataFilter("SUBQUERY", "WHERE hire_date >= DATE '2024-01-01'", "EMPLOYEES", "HR"),
    )


def test_encryption_password_never_prints_or_serialises() -> None:
    spec = JobSpec(
        "EXPORT",
        "SCHEMA",
        dump_files=["a.dmp"],
        parameters={"ENCRYPTION_PASSWORD": "hunter2", "ENCRYPTION_MODE": "PASSWORD"},
    )
    assert isinstance(spec.encryption_password, Secret)
    assert spec.encryption_password.reveal() == "hunter2"
    assert spec.parameter("ENCRYPTION_PASSWORD") is None  # kept apart from the parameters
    for text in (
        repr(spec),
        str(spec),
        spec.to_json(),
        repr(spec.to_dict()),
        str(pickle.dumps(spec)),
    ):
        assert "hunter2" not in text
    assert copy.deepcopy(spec).encryption_password == spec.encryption_password


def test_a_read_back_secret_is_redacted_and_refuses_to_be_revealed() -> None:
    spec = JobSpec("EXPORT", "SCHEMA", dump_files=["a.dmp"], encryption_password="hunter2")
    again = JobSpec.from_json(spec.to_json())
    assert json.loads(spec.to_json())["encryption_password"] == {"redacted": True}
    assert again.encryption_password is not None
    assert again.encryption_password.is_redacted
    with pytest.raises(SpecError, match="supply it again"):
        again.encryption_password.reveal()


RICH = [
    JobSpec(
        "EXPORT",
        "TABLE",
        tables=['HR."Emp":P1', "HR.DEPT"],
        dump_files=["exp_%U.dmp", "extra_%L.dmp"],
        file_size="2G",
        reuse_dump_files=True,
        log_file="exp.log",
        log_directory="LOGS",
        job_name='"Nightly Export"',
        version="19",
        parallel=4,
        tablespaces=["USERS"],
        exclude=["STATISTICS", "INDEX:LIKE 'X%'"],
        data_filters=[
            {"name": "SUBQUERY", "value": "WHERE id > 10", "table": "DEPT"},
            {"name": "PARTITION_EXPR", "value": "LIKE 'P2024%'", "table": "DEPT", "schema": "HR"},
            {"name": "SAMPLE", "value": "0.5"},
        ],
        parameters={
            "COMPRESSION": "ALL",
            "FLASHBACK_TIME": "2024-01-31 10:00:00",
            "SOURCE_EDITION": '"e1"',
            "CLIENT_COMMAND": "airflow dag=x task=y",
        },
        encryption_password="pw",
    ),
    JobSpec(
        "IMPORT",
        "SCHEMA",
        dump_files=["hr.dmp"],
        schemas=["HR", '"lower"'],
        remap_schemas={"HR": '"hr2"'},
        remap_datafiles={"/u01/a.dbf": "/u02/a.dbf"},
        remaps=[
            {
                "name": "REMAP_TABLE",
                "old_value": "EMP.P1",
                "value": "EMP_P1",
                "object_type": "TABLE",
            }
        ],
        transforms=[
            {"name": "STORAGE", "value": 0, "object_type": "TABLE"},
            {"name": "TABLE_COMPRESSION_CLAUSE", "value": "compress basic"},
        ],
        include=["TABLE", "VIEW:= 'V1'"],
        data_filters=[{"name": "PARTITION_LIST", "value": ["P1", '"p2"'], "table": "EMP"}],
        parameters={"TABLE_EXISTS_ACTION": "TRUNCATE", "TARGET_EDITION": "E2", "DATA_OPTIONS": 1},
        delete_dump_files=True,
    ),
    JobSpec("SQL_FILE", "FULL", dump_files=["full.dmp"], sql_file="ddl.sql", transforms={"OID": 0}),
    JobSpec(
        "IMPORT",
        "TRANSPORTABLE",
        dump_files=["tts.dmp"],
        parameters={"TABLESPACE_DATAFILE": ["/d/1.dbf", "/d/2.dbf"]},
    ),
]


@pytest.mark.parametrize("spec", RICH, ids=["export-table", "import-schema", "sql-file", "transportable"])
def test_json_round_trip_gives_an_equal_spec(spec: JobSpec) -> None:
    text = spec.to_json()
    again = JobSpec.from_json(text)
    assert again.to_json() == text
    if spec.encryption_password is None:
        assert again == spec
    else:
        assert again.encryption_password is not None
        assert again.encryption_password.is_redacted


schema_names = st.from_regex(r"[A-Z][A-Z0-9_]{0,10}", fullmatch=True) | st.text(min_size=1, max_size=12).map(
    lambda s: '"' + s + '"'
)


@given(
    operation=st.sampled_from(["EXPORT", "IMPORT", "SQL_FILE"]),
    schemas=st.lists(schema_names, max_size=3),
    parallel=st.integers(1, 8),
    parameters=st.dictionaries(
        st.sampled_from(["METRICS", "KEEP_MASTER", "LOGTIME", "TABLE_EXISTS_ACTION", "COMPRESSION"]),
        st.sampled_from([0, 1, "ALL", "NONE", "REPLACE", "STATUS"]),
        max_size=3,
    ),
    remap=st.booleans(),
)
@settings(max_examples=200)
def test_json_round_trip_for_generated_specs(
    operation: str, schemas: list[str], parallel: int, parameters: dict[str, object], remap: bool
) -> None:
    try:
        spec = JobSpec(
            operation,
            "SCHEMA",
            dump_files=["x_%U.dmp"],
            schemas=schemas,
            parallel=parallel,
            parameters=parameters,
            remap_schemas={"A": "B"} if remap else None,
        )
    except SpecError:
        return
    assert JobSpec.from_json(spec.to_json()) == spec


def test_from_dict_rejects_unknown_keys_and_formats() -> None:
    data = RICH[2].to_dict()
    with pytest.raises(SpecError, match=r"the keys JobSpec\.to_dict"):
        JobSpec.from_dict({**data, "colour": "blue"})
    with pytest.raises(SpecError, match="format 1"):
        JobSpec.from_dict({**data, "format": 2})


def test_spec_is_immutable_and_hashable() -> None:
    spec = RICH[1]
    with pytest.raises(AttributeError):
        spec.parallel = 3  # type: ignore[misc]
    assert hash(spec) == hash(JobSpec.from_json(spec.to_json()))
