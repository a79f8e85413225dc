"""The client's own expdp/impdp parameter parser."""

from __future__ import annotations

import pytest

from .dpargs import Exclusion, ParameterError, parse


def test_a_full_export_line_parses() -> None:
    params = parse(
        [
            "schemas=hr,oe",
            "DIRECTORY=dp_dir",
            "DUMPFILE=hr_%U.dmp",
            "LOGFILE=hr.log",
            "PARALLEL=4",
            'FLASHBACK_TIME="2026-01-02 03:04:05"',
            "EXCLUDE=STATISTICS",
            "EXCLUDE=TABLE:\"IN ('AUDIT_LOG')\"",
        ]
    )
    assert params.schemas == ["HR", "OE"]
    assert (params.directory, params.dumpfile, params.logfile, params.parallel) == (
        "DP_DIR",
        "hr_%U.dmp",
        "hr.log",
        4,
    )
    assert params.flashback_time == "2026-01-02 03:04:05"
    assert params.exclude == [Exclusion("STATISTICS"), Exclusion("TABLE", "IN ('AUDIT_LOG')")]


def test_an_import_line_parses() -> None:
    params = parse(["REMAP_SCHEMA=HR:HR2,OE:OE2", "REMAP_TABLESPACE=*:DATA2", "TABLE_EXISTS_ACTION=truncate"])
    assert params.remap_schema == [("HR", "HR2"), ("OE", "OE2")]
    assert params.remap_tablespace == [("*", "DATA2")]
    assert params.table_exists_action == "TRUNCATE"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["SCHEMAS"], "expected KEY=VALUE"),
        (["CONTENT=ALL"], "unknown parameter 'CONTENT'"),
        (["PARALLEL=0"], "PARALLEL='0': expected a whole number of 1 or more"),
        (["SCHEMAS=HR;DROP"], "SCHEMAS='HR;DROP': expected an unquoted Oracle name"),
        (["REMAP_SCHEMA=HR"], "REMAP_SCHEMA='HR': expected SOURCE:TARGET"),
        (["TABLE_EXISTS_ACTION=MERGE"], "expected one of SKIP, APPEND, TRUNCATE, REPLACE"),
        (
            ["FLASHBACK_TIME=yesterday"],
            "FLASHBACK_TIME='yesterday': expected a time as YYYY-MM-DD HH24:MI:SS",
        ),
        (["DUMPFILE=../x.dmp"], "DUMPFILE='../x.dmp': expected a plain file name"),
        (["SCHEMAS=HR", "TABLES=HR.EMP"], "SCHEMAS and TABLES given together"),
        (["DIRECTORY=A", "DIRECTORY=B"], "DIRECTORY given twice"),
    ],
)
def test_bad_parameters_are_refused_by_name(words: list[str], message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse(words)
