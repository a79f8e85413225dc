"""Reading a SQL_FILE job's script into the objects of a dump (issue 14 §5)."""

from __future__ import annotations

from airflow_datapump.core.contents import DumpContents, DumpObject, objects_in

SCRIPT = """-- CONNECT SYSTEM
-- new object type path: SCHEMA_EXPORT/USER
 CREATE USER "HR" IDENTIFIED BY VALUES 'S:0'
-- new object type path: SCHEMA_EXPORT/TABLE/TABLE
CREATE TABLE "HR"."EMPLOYEES"
   ("EMPLOYEE_ID" NUMBER(6,0)) ;
CREATE GLOBAL TEMPORARY TABLE "HR"."SCRATCH" ("X" NUMBER) ;
-- new object type path: SCHEMA_EXPORT/TABLE/INDEX/INDEX
CREATE UNIQUE INDEX "HR"."EMP_PK" ON "HR"."EMPLOYEES" ("EMPLOYEE_ID") ;
-- new object type path: SCHEMA_EXPORT/PROCEDURE/PROCEDURE
CREATE OR REPLACE EDITIONABLE PROCEDURE "HR"."RAISE" AS BEGIN NULL; END;
"""


def test_objects_are_read_with_their_path_type_schema_and_name() -> None:
    found = objects_in(SCRIPT)
    assert found[:4] == [
        DumpObject("SCHEMA_EXPORT/USER", "USER", None, "HR"),
        DumpObject("SCHEMA_EXPORT/TABLE/TABLE", "TABLE", "HR", "EMPLOYEES"),
        DumpObject("SCHEMA_EXPORT/TABLE/TABLE", "TABLE", "HR", "SCRATCH"),
        DumpObject("SCHEMA_EXPORT/TABLE/INDEX/INDEX", "INDEX", "HR", "EMP_PK"),
    ]
    assert found[4] == DumpObject("SCHEMA_EXPORT/PROCEDURE/PROCEDURE", "PROCEDURE", "HR", "RAISE")
    contents = DumpContents(["hr_01.dmp"], {"guid": "AB"}, found, {"HR.EMPLOYEES": 20})
    assert contents.tables() == ["HR.EMPLOYEES", "HR.SCRATCH"]
    assert contents.to_dict()["objects"][1] == {
        "path": "SCHEMA_EXPORT/TABLE/TABLE",
        "type": "TABLE",
        "schema": "HR",
        "name": "EMPLOYEES",
    }
