"""Definition calls: filters, parameters, remaps, transforms; names, overloads, job kind, state
(§2.4-§2.9, §11.6)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import add_dump, call, error_lines, message, open_job, ora, schema_list, start

from airflow_datapump.testing import DatabaseHandle

# One call per procedure, with a misspelt formal parameter name.
WRONG_NAMES = {
    "METADATA_FILTER": "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, nme => 'SCHEMA_EXPR', value => 'x')",
    "SET_PARAMETER": "DBMS_DATAPUMP.SET_PARAMETER(handle => :h, name => 'KEEP_MASTER', valu => 1)",
    "DATA_FILTER": "DBMS_DATAPUMP.DATA_FILTER(handle => :h, name => 'INCLUDE_ROWS', value => 0, tabl => 'X')",
    "METADATA_REMAP": "DBMS_DATAPUMP.METADATA_REMAP(handle => :h, name => 'REMAP_SCHEMA', old => 'HR', "
    "value => 'X')",
    "METADATA_TRANSFORM": "DBMS_DATAPUMP.METADATA_TRANSFORM(handle => :h, name => 'OID', valeur => 0)",
}


@pytest.mark.parametrize("procedure", sorted(WRONG_NAMES))
def test_wrong_parameter_name_is_pls_00306(cur: oracledb.Cursor, procedure: str) -> None:
    """§2 (named notation against the documented signatures): a formal parameter name that is
    not in the signature is a compile error, PLS-00306 raised as ORA-06550."""
    h = open_job(cur, "IMPORT", "SCHEMA", job_name="WRONG_NAME")
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, WRONG_NAMES[procedure], h=h)
    assert ora(caught) == 6550
    assert "PLS-00306" in message(caught)


@pytest.mark.parametrize(
    ("op", "name", "value"),
    [
        ("EXPORT", "KEEP_MASTER", "1"),  # NUMBER parameter through the VARCHAR2 overload
        ("IMPORT", "TABLE_EXISTS_ACTION", 1),  # TEXT parameter through the NUMBER overload
    ],
)
def test_wrong_datatype_for_set_parameter_is_inconsistent_args(
    cur: oracledb.Cursor, op: str, name: str, value: object
) -> None:
    """§2.9 / §11.6: the bind type picks the overload (str -> VARCHAR2, int -> NUMBER); the wrong
    datatype for the parameter raises INCONSISTENT_ARGS (ORA-39005)."""
    h = open_job(cur, op, "SCHEMA", job_name="WRONG_TYPE")
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, "DBMS_DATAPUMP.SET_PARAMETER(handle => :h, name => :n, value => :v)", h=h, n=name, v=value)
    assert ora(caught) == 39005


def test_right_datatypes_are_accepted(cur: oracledb.Cursor) -> None:
    """§2.9 / §11.6: int for NUMBER parameters and str for TEXT ones are accepted."""
    h = open_job(cur, "IMPORT", "SCHEMA", job_name="RIGHT_TYPE")
    call(cur, "DBMS_DATAPUMP.SET_PARAMETER(handle => :h, name => 'KEEP_MASTER', value => :v)", h=h, v=1)
    call(
        cur,
        "DBMS_DATAPUMP.SET_PARAMETER(handle => :h, name => 'TABLE_EXISTS_ACTION', value => :v)",
        h=h,
        v="REPLACE",
    )


def test_inconsistent_args_detail_via_get_status(cur: oracledb.Cursor) -> None:
    """§2.15: after INCONSISTENT_ARGS from SET_PARAMETER, GET_STATUS(h, 8, 0) explains it."""
    h = open_job(cur, "EXPORT", "SCHEMA", job_name="EXPLAIN")
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, "DBMS_DATAPUMP.SET_PARAMETER(handle => :h, name => 'KEEP_MASTER', value => :v)", h=h, v="1")
    assert ora(caught) == 39005
    assert "ORA-39005" in error_lines(cur, h)


def test_remap_on_an_export_is_refused(cur: oracledb.Cursor) -> None:
    """§2.6: METADATA_REMAP is for import and SQL_FILE only. [U: the code is not given; we
    accept INVALID_ARGVAL / INVALID_OPERATION / INCONSISTENT_ARGS.]"""
    h = open_job(cur, "EXPORT", "SCHEMA", job_name="EXP_REMAP")
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HR2')", h=h)
    assert ora(caught) in (39001, 39002, 39005)


def test_transform_in_a_transportable_job_is_ora_39205(cur: oracledb.Cursor) -> None:
    """§2.7: transforms are not allowed in transportable jobs (ORA-39205), in the raised stack or
    in the GET_STATUS error lines."""
    h = open_job(cur, "IMPORT", "TRANSPORTABLE", job_name="TTS_TRANSFORM")
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(
            cur,
            "DBMS_DATAPUMP.METADATA_TRANSFORM(handle => :h, name => 'SEGMENT_ATTRIBUTES', value => 0)",
            h=h,
        )
    assert "ORA-39205" in message(caught) + error_lines(cur, h)


@pytest.mark.parametrize(
    "statement",
    [
        "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'NAME_EXPR', value => 'LIKE ''E%''')",
        "DBMS_DATAPUMP.DATA_FILTER(handle => :h, name => 'INCLUDE_ROWS', value => 0)",
    ],
    ids=["METADATA_FILTER", "DATA_FILTER"],
)
def test_filters_after_start_job_are_invalid_state(
    db: DatabaseHandle, cur: oracledb.Cursor, statement: str
) -> None:
    """§1 / §2.19: definition calls work only in DEFINING; afterwards INVALID_STATE (ORA-39004)."""
    db.set_job_rate(16)
    h = open_job(cur, job_name="LATE_FILTER")
    add_dump(cur, h, "late_filter.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, statement, h=h)
    assert ora(caught) == 39004


def test_set_parallel_is_allowed_while_executing(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§1 / §2.10: SET_PARALLEL is the exception: allowed in EXECUTING."""
    db.set_job_rate(16)
    h = open_job(cur, job_name="LATE_PARALLEL")
    add_dump(cur, h, "late_par_%U.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    call(cur, "DBMS_DATAPUMP.SET_PARALLEL(handle => :h, degree => 2)", h=h)
    assert {j["name"]: j["degree"] for j in db.jobs()}["LATE_PARALLEL"] == 2


def test_bad_filter_name_is_invalid_argval_at_call_time(cur: oracledb.Cursor) -> None:
    """§11.6 / §2.19: values are validated when the call is made; a wrong filter name raises
    INVALID_ARGVAL (ORA-39001) at once."""
    h = open_job(cur, job_name="BAD_FILTER")
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(
            cur, "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'SCHEMA_EXPRESSION', value => 'x')", h=h
        )
    assert ora(caught) == 39001
