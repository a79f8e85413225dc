"""REMAP_DATA / DBMS_DATAPUMP.DATA_REMAP in the job model: parsed from expdp and impdp syntax,
checked, carried as JSON, written back by to_expdp and bound for the submit block."""

from __future__ import annotations

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core import plsql, submission
from airflow_datapump.core.parts import DataRemap
from airflow_datapump.exceptions import SpecError


def test_remap_data_is_read_from_expdp_and_impdp_and_round_trips() -> None:
    spec = JobSpec.from_expdp(
        "expdp SCHEMAS=HR DUMPFILE=hr.dmp REMAP_DATA=hr.employees.salary:hr.mask_pkg.mask "
        "REMAP_DATA=emp.ename:pkg.f"
    )
    assert spec.data_remaps == (
        DataRemap("EMPLOYEES", "SALARY", ("HR", "MASK_PKG", "MASK"), "HR"),
        DataRemap("EMP", "ENAME", ("PKG", "F")),
    )
    assert "REMAP_DATA=HR.EMPLOYEES.SALARY:HR.MASK_PKG.MASK REMAP_DATA=EMP.ENAME:PKG.F" in spec.to_expdp()
    assert JobSpec.from_expdp(spec.to_expdp()) == spec
    assert JobSpec.from_json(spec.to_json()) == spec
    imported = JobSpec.from_impdp(["DUMPFILE=hr.dmp", 'REMAP_DATA=HR."Cards".holder:MASK_PKG."Mask"'])
    assert imported.data_remaps == (DataRemap("Cards", "HOLDER", ("MASK_PKG", "Mask"), "HR"),)
    assert JobSpec.from_impdp(imported.to_expdp()) == imported


def test_remap_data_takes_a_mapping_or_the_text_form_in_python() -> None:
    spec = JobSpec(
        "EXPORT",
        "SCHEMA",
        schemas=["HR"],
        data_remaps=[
            {"table": "CARDS", "column": "HOLDER", "function": "HR.MASK_PKG.MASK", "schema": "HR"},
            "HR.CARDS.ID:HR.MASK_PKG.BUMP",
        ],
    )
    assert [str(d) for d in spec.data_remaps] == [
        "HR.CARDS.HOLDER:HR.MASK_PKG.MASK",
        "HR.CARDS.ID:HR.MASK_PKG.BUMP",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "cards",
        "cards.holder",
        "cards.holder:mask",
        "cards.holder:a.b.c.d",
        "a.b.c.d:p.f",
        "t.c:p.f:x",
        "t.c:p.f;x",
    ],
)
def test_a_misshapen_remap_data_names_the_parameter_and_the_form(value: str) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp(["SCHEMAS=HR", f"REMAP_DATA={value}"])
    assert caught.value.field == "REMAP_DATA"
    assert "[schema.]table.column:[schema.]package.function" in caught.value.allowed


def test_one_function_per_column_and_no_remap_for_a_sql_file() -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp("SCHEMAS=HR REMAP_DATA=HR.T.C:P.F REMAP_DATA=HR.T.C:P.G")
    assert (caught.value.field, caught.value.allowed) == ("REMAP_DATA", "one remap function per column")
    with pytest.raises(SpecError) as caught:
        JobSpec.from_impdp("DUMPFILE=x.dmp SQLFILE=x.sql REMAP_DATA=HR.T.C:P.F")
    assert caught.value.field == "REMAP_DATA"
    assert "EXPORT and IMPORT" in caught.value.allowed


def test_the_submit_block_gets_each_remap_as_data() -> None:
    spec = JobSpec.from_expdp(["TABLES=HR.CARDS", 'REMAP_DATA=HR."Cards".HOLDER:HR.MASK_PKG."Mask"'])
    binds = submission.build(spec, job_name="J").binds
    assert binds["data_remaps"] == plsql.FIELD.join(
        ["COLUMN_FUNCTION", "Cards", "HOLDER", 'HR.MASK_PKG."Mask"', "HR"]
    )
    assert "DBMS_DATAPUMP.DATA_REMAP(h, field(l_record, 1)" in plsql.SUBMIT
    assert JobSpec.from_expdp("SCHEMAS=HR").to_dict()["data_remaps"] == []
