"""An in-memory Runtime for the engine's tests: a few tables, a fake DBMS_DATAPUMP spec."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal

from airflow_datapump.testing._plsql.ddl import ColumnDef, DdlStatement
from airflow_datapump.testing._plsql.errors import OracleError, ora
from airflow_datapump.testing._plsql.packages import (
    CallContext,
    PackageSpec,
    Param,
    Subprogram,
    package_error,
)
from airflow_datapump.testing._plsql.runtime import RowId
from airflow_datapump.testing._values import (
    NUMBER,
    VARCHAR2,
    Bind,
    CollectionKind,
    CollectionType,
    CollectionValue,
    DataType,
    ObjectType,
    ObjectValue,
    ScalarType,
    TypeKind,
    Value,
)

LOG_LINE = ObjectType(
    "SYS",
    "KU$_LOGLINE1010",
    (("LOGLINENUMBER", NUMBER), ("ERRORNUMBER", NUMBER), ("LOGTEXT", VARCHAR2)),
)
LOG_ENTRY = CollectionType("SYS", "KU$_LOGENTRY1010", LOG_LINE, CollectionKind.NESTED_TABLE)
DUMPFILE = ObjectType("SYS", "KU$_DUMPFILE1010", (("FILE_NAME", VARCHAR2), ("FILE_SIZE", NUMBER)))
DUMPFILE_SET = CollectionType("SYS", "KU$_DUMPFILESET1010", DUMPFILE, CollectionKind.NESTED_TABLE)
JOB_STATUS = ObjectType(
    "SYS",
    "KU$_JOBSTATUS1120",
    (("JOB_NAME", VARCHAR2), ("PERCENT_DONE", NUMBER), ("FILES", DUMPFILE_SET)),
)
STATUS = ObjectType(
    "SYS",
    "KU$_STATUS1120",
    (("MASK", NUMBER), ("JOB_STATUS", JOB_STATUS), ("ERROR", LOG_ENTRY)),
)
STATUS_1010 = ObjectType("SYS", "KU$_STATUS1010", (("MASK", NUMBER),))
TYPES: dict[str, DataType] = {
    "KU$_STATUS": STATUS,
    "KU$_STATUS1120": STATUS,
    "KU$_STATUS1010": STATUS_1010,
    "KU$_LOGLINE": LOG_LINE,
    "KU$_LOGENTRY": LOG_ENTRY,
    "KU$_DUMPFILE": DUMPFILE,
    "KU$_DUMPFILESET": DUMPFILE_SET,
}


class Table:
    def __init__(self, schema: str, name: str, columns: Sequence[ColumnDef]) -> None:
        self.schema = schema
        self.name = name
        self.columns = list(columns)
        self.data: dict[int, tuple[Value, ...]] = {}
        self.next_id = 1

    def rows(self) -> Iterable[tuple[RowId, tuple[Value, ...]]]:
        return list(self.data.items())

    def insert(self, values: tuple[Value, ...]) -> None:
        self.data[self.next_id] = values
        self.next_id += 1

    def update(self, rowid: RowId, values: tuple[Value, ...]) -> None:
        assert isinstance(rowid, int)
        self.data[rowid] = values

    def delete(self, rowid: RowId) -> None:
        assert isinstance(rowid, int)
        del self.data[rowid]

    def truncate(self) -> None:
        self.data.clear()


class FakeRuntime:
    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.packages: dict[str, PackageSpec] = {"DBMS_DATAPUMP": datapump(self)}
        self.calls: list[tuple[str, dict[str, Value]]] = []
        self.ddl: list[DdlStatement] = []
        self.commits = 0
        self.clock = dt.datetime(2024, 1, 31, 10, 12, 0)

    def package(self, name: str) -> PackageSpec | None:
        return self.packages.get(name.removeprefix("SYS."))

    def type(self, name: str) -> DataType | None:
        return TYPES.get(name.removeprefix("SYS."))

    def now(self) -> dt.datetime:
        return self.clock

    def current_user(self) -> str:
        return "HR"

    def context_function(self, name: str, args: Sequence[Value]) -> Value:
        """Fixed answers: the language side only needs something to call."""
        return {"DBTIMEZONE": "+00:00", "SESSIONTIMEZONE": "+00:00"}.get(name, "HR")

    def session(self) -> object:
        return self

    def table(self, name: str, schema: str | None, dblink: str | None) -> Table:
        found = self.tables.get(name)
        if found is None:
            raise ora(942)
        return found

    def add_table(
        self, name: str, columns: Sequence[ColumnDef], rows: Iterable[tuple[Value, ...]] = ()
    ) -> Table:
        table = Table("HR", name, columns)
        for row in rows:
            table.insert(row)
        self.tables[name] = table
        return table

    def execute_ddl(self, statement: DdlStatement) -> None:
        self.ddl.append(statement)

    def commit(self) -> None:
        self.commits += 1

    def rollback(self, savepoint: str | None = None) -> None:
        self.commits -= 1

    def savepoint(self, name: str) -> None:
        pass  # the fake's tables keep no transaction

    def statement(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()  # the fake's tables keep no transaction


def _record(runtime: FakeRuntime, name: str, returns: Value = None) -> object:
    def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
        runtime.calls.append((name, dict(args)))
        if name == "START_JOB" and args.get("HANDLE") == Decimal(99):
            raise package_error(31627)
        if name == "ATTACH" and args.get("JOB_NAME") == "GONE":
            raise package_error(31626, 'ORA-06512: at "SYS.DBMS_DATAPUMP", line 4929')
        if name == "GET_STATUS":
            lines: dict[int | str, Value] = {1: ObjectValue(LOG_LINE, {"LOGTEXT": "ORA-39001: bad"})}
            files: dict[int | str, Value] = {
                1: ObjectValue(DUMPFILE, {"FILE_NAME": "a.dmp", "FILE_SIZE": Decimal(5)})
            }
            job_attrs: dict[str, Value] = {"JOB_NAME": "J", "PERCENT_DONE": Decimal(50)}
            job_attrs["FILES"] = CollectionValue(DUMPFILE_SET, files)
            job = ObjectValue(JOB_STATUS, job_attrs)
            args["JOB_STATE"] = "EXECUTING"
            args["STATUS"] = ObjectValue(
                STATUS,
                {
                    "MASK": Decimal(12),
                    "JOB_STATUS": job,
                    "ERROR": CollectionValue(LOG_ENTRY, lines),
                },
            )
        return returns

    return impl


def datapump(runtime: FakeRuntime) -> PackageSpec:
    def sub(
        name: str, params: tuple[Param, ...], returns: DataType | None = None, value: Value = None
    ) -> Subprogram:
        return Subprogram(name, params, returns, _record(runtime, name, value))  # type: ignore[arg-type]

    h = Param("HANDLE", NUMBER)
    return PackageSpec(
        "DBMS_DATAPUMP",
        constants={
            "KU$_FILE_TYPE_DUMP_FILE": (NUMBER, Decimal(1)),
            "KU$_FILE_TYPE_LOG_FILE": (NUMBER, Decimal(3)),
            "KU$_STATUS_JOB_ERROR": (NUMBER, Decimal(8)),
            "KU$_STATUS_JOB_STATUS": (NUMBER, Decimal(4)),
        },
        exceptions={"NO_SUCH_JOB": -31626, "SUCCESS_WITH_INFO": -31627, "INVALID_ARGVAL": -39001},
        subprograms={
            "OPEN": [
                sub(
                    "OPEN",
                    (
                        Param("OPERATION", VARCHAR2),
                        Param("JOB_MODE", VARCHAR2),
                        Param("REMOTE_LINK", VARCHAR2, has_default=True),
                        Param("JOB_NAME", VARCHAR2, has_default=True),
                        Param("VERSION", VARCHAR2, "IN", "COMPATIBLE", True),
                    ),
                    NUMBER,
                    Decimal(7),
                )
            ],
            "ATTACH": [
                sub(
                    "ATTACH",
                    (
                        Param("JOB_NAME", VARCHAR2, has_default=True),
                        Param("JOB_OWNER", VARCHAR2, has_default=True),
                    ),
                    NUMBER,
                    Decimal(8),
                )
            ],
            "ADD_FILE": [
                sub(
                    "ADD_FILE",
                    (
                        h,
                        Param("FILENAME", VARCHAR2),
                        Param("DIRECTORY", VARCHAR2, has_default=True),
                        Param("FILESIZE", VARCHAR2, has_default=True),
                        Param("FILETYPE", NUMBER, "IN", Decimal(1), True),
                        Param("REUSEFILE", NUMBER, has_default=True),
                    ),
                )
            ],
            "SET_PARAMETER": [
                sub("SET_PARAMETER", (h, Param("NAME", VARCHAR2), Param("VALUE", VARCHAR2))),
                sub("SET_PARAMETER", (h, Param("NAME", VARCHAR2), Param("VALUE", NUMBER))),
            ],
            "START_JOB": [sub("START_JOB", (h, Param("SKIP_CURRENT", NUMBER, "IN", Decimal(0), True)))],
            "DETACH": [sub("DETACH", (h,))],
            "GET_STATUS": [
                sub(
                    "GET_STATUS",
                    (h, Param("MASK", NUMBER), Param("TIMEOUT", NUMBER, has_default=True)),
                    STATUS,
                ),
                sub(
                    "GET_STATUS",
                    (
                        h,
                        Param("MASK", NUMBER),
                        Param("TIMEOUT", NUMBER, has_default=True),
                        Param("JOB_STATE", VARCHAR2, "OUT"),
                        Param("STATUS", STATUS, "OUT"),
                    ),
                ),
                sub(
                    "GET_STATUS",
                    (
                        h,
                        Param("MASK", NUMBER),
                        Param("TIMEOUT", NUMBER, has_default=True),
                        Param("JOB_STATE", VARCHAR2, "OUT"),
                        Param("STATUS", STATUS_1010, "OUT"),
                    ),
                ),
            ],
        },
        types={"FILE_TYPE": ScalarType(TypeKind.OPAQUE, "UTL_FILE.FILE_TYPE")},
    )


def run_block(runtime: FakeRuntime, text: str, **binds: Bind) -> dict[str, Bind]:
    """Execute ``text`` with the given binds and return them (for OUT values)."""
    from airflow_datapump.testing._plsql.engine import execute

    execute(text, dict(binds), runtime)
    return dict(binds)


def error_of(runtime: FakeRuntime, text: str, **binds: Bind) -> OracleError:
    from airflow_datapump.testing._plsql.engine import execute

    try:
        execute(text, dict(binds), runtime)
    except OracleError as err:
        return err
    raise AssertionError("no error raised")
