"""The client: define a Data Pump job from expdp/impdp-style parameters, run it, follow it, read its log.

Each step is a DBMS_DATAPUMP call in its own round trip, with the job handle held in
Python between them, as python-oracledb scripts usually do. Names taken from parameters go
into Data Pump's SQL fragments (SCHEMA_EXPR, NAME_EXPR) only through ``in_list``; all other
values are binds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import oracledb

from .dpargs import ANY_TABLESPACE, FLASHBACK_FORMAT, ParameterError, Parameters, parse
from .dplog import read_with_bfile, read_with_utl_file
from .dpstatus import LogLine, Progress, errors_after_failed_call, follow

EXPORT_OBJECTS = {"SCHEMA": "schema_export_objects", "TABLE": "table_export_objects"}


class JobDefinitionError(RuntimeError):
    """A DBMS_DATAPUMP definition call failed; ``errors`` holds what GET_STATUS said about it."""

    def __init__(self, call: str, cause: oracledb.DatabaseError, errors: list[LogLine]) -> None:
        self.call, self.cause, self.errors = call, cause, errors
        (self.ora_code,) = [e.full_code for e in cause.args]
        detail = "; ".join(line.text for line in errors)
        super().__init__(f"{call} failed with {self.ora_code}: {detail}")


@dataclass
class Outcome:
    """What a finished job left: its state, the status seen while it ran, and its log (read
    whole through a BFILE, and line by line through UTL_FILE)."""

    job_name: str
    progress: Progress
    log: str = ""
    log_lines: list[str] = field(default_factory=list)
    flashback_scn: int | None = None
    database_time_zone: str | None = None
    tablespace_remaps: list[tuple[str, str]] = field(default_factory=list)


def in_list(names: list[str]) -> str:
    """``IN ('A','B')`` for a *_EXPR filter; every quote doubled, as the reference says."""
    return "IN (" + ",".join("'" + name.replace("'", "''") + "'" for name in names) + ")"


class DataPumpClient:
    """One logged-on session that runs Data Pump jobs for its user."""

    def __init__(self, user: str, password: str, dsn: str) -> None:
        self.connection = oracledb.connect(user=user, password=password, dsn=dsn)
        if not isinstance(self.connection, oracledb.Connection):
            raise TypeError(f"oracledb.connect gave {type(self.connection).__name__}, not a Connection")
        self.cursor = self.connection.cursor()

    def close(self) -> None:
        self.connection.close()

    def export(self, words: list[str]) -> Outcome:
        params = parse(words)
        mode = "TABLE" if params.tables else "SCHEMA"
        self._check_exclusions(params, mode)
        outcome = Outcome(job_name=params.job_name or self._job_name("EXP"), progress=Progress())
        if params.flashback_time:
            outcome.database_time_zone, outcome.flashback_scn = self._flashback_scn(params.flashback_time)
        handle = self._open("EXPORT", mode, outcome.job_name)
        self._define(handle, "ADD_FILE", self._add_files, handle, params)
        self._define(handle, "METADATA_FILTER", self._export_filters, handle, params)
        if outcome.flashback_scn is not None:
            self._call(handle, "SET_PARAMETER", name="FLASHBACK_SCN", value=outcome.flashback_scn)
        return self._run(handle, params, outcome)

    def import_(self, words: list[str], *, dump_mode: str = "SCHEMA") -> Outcome:
        params = parse(words)
        self._check_exclusions(params, dump_mode)
        outcome = Outcome(job_name=params.job_name or self._job_name("IMP"), progress=Progress())
        outcome.tablespace_remaps = self._tablespace_remaps(params)
        handle = self._open("IMPORT", "FULL", outcome.job_name)
        self._define(handle, "ADD_FILE", self._add_files, handle, params)
        self._define(handle, "METADATA_FILTER", self._export_filters, handle, params)
        for source, target in params.remap_schema:
            self._call(handle, "METADATA_REMAP", name="REMAP_SCHEMA", old_value=source, value=target)
        for source, target in outcome.tablespace_remaps:
            self._call(handle, "METADATA_REMAP", name="REMAP_TABLESPACE", old_value=source, value=target)
        if params.table_exists_action:
            self._call(handle, "SET_PARAMETER", name="TABLE_EXISTS_ACTION", value=params.table_exists_action)
        return self._run(handle, params, outcome)

    # -- before the job: the dictionary ------------------------------------------------------

    def _job_name(self, prefix: str) -> str:
        return f"{prefix}_{dt.datetime.now():%H%M%S%f}"

    def _check_exclusions(self, params: Parameters, mode: str) -> None:
        """Refuse an EXCLUDE object type that is not an object path of the job's mode."""
        view = EXPORT_OBJECTS[mode]
        for exclusion in params.exclude:
            self.cursor.execute(
                f"select count(*) from {view} where object_path = :path", path=exclusion.object_path
            )
            (count,) = self.cursor.fetchone()
            if not count:
                raise ParameterError(
                    f"EXCLUDE={exclusion.object_path!r}: not an object path in {view.upper()}"
                )

    def _flashback_scn(self, when: str) -> tuple[str, int]:
        """The SCN for FLASHBACK_TIME, read as a time in the database's time zone."""
        self.cursor.execute("select dbtimezone from dual")
        (zone,) = self.cursor.fetchone()
        self.cursor.execute(
            "select timestamp_to_scn(to_timestamp(:t, :fmt)) from dual", t=when, fmt=FLASHBACK_FORMAT
        )
        (scn,) = self.cursor.fetchone()
        return str(zone), int(scn)

    def _tablespace_remaps(self, params: Parameters) -> list[tuple[str, str]]:
        """Explicit SOURCE:TARGET pairs, and for ``*:TARGET`` every tablespace the schemas use."""
        remaps = [pair for pair in params.remap_tablespace if pair[0] != ANY_TABLESPACE]
        targets = [target for source, target in params.remap_tablespace if source == ANY_TABLESPACE]
        owners = [source for source, _ in params.remap_schema] or params.schemas
        if targets and owners:
            self.cursor.execute(
                f"select distinct tablespace_name from dba_segments where owner {in_list(owners)} order by 1"
            )
            explicit = {source for source, _ in remaps}
            remaps += [(ts, targets[-1]) for (ts,) in self.cursor.fetchall() if ts not in explicit]
        return remaps

    # -- the job -----------------------------------------------------------------------------

    def _open(self, operation: str, mode: str, job_name: str) -> int:
        handle = self.cursor.callfunc(
            "dbms_datapump.open",
            int,
            keyword_parameters={
                "operation": operation,
                "job_mode": mode,
                "job_name": job_name,
                "version": "LATEST",
            },
        )
        return int(handle)

    def _call(self, handle: int, procedure: str, **arguments: object) -> None:
        self._define(
            handle,
            procedure,
            self.cursor.callproc,
            f"dbms_datapump.{procedure}",
            keyword_parameters={"handle": handle, **arguments},
        )

    def _define(
        self, handle: int, call: str, step: Callable[..., object], *args: object, **kwargs: object
    ) -> None:
        """Run one definition step; on failure ask GET_STATUS why, detach, and raise both."""
        try:
            step(*args, **kwargs)
        except oracledb.DatabaseError as error:
            errors = errors_after_failed_call(self.cursor, handle)
            self.cursor.callproc("dbms_datapump.detach", [handle])
            raise JobDefinitionError(call, error, errors) from error

    def _add_files(self, handle: int, params: Parameters) -> None:
        """The dump file, and the log file when LOGFILE is given, by their ku$_file_type constants."""
        files = [(params.dumpfile, "dbms_datapump.ku$_file_type_dump_file")]
        if params.logfile:
            files.append((params.logfile, "dbms_datapump.ku$_file_type_log_file"))
        for file_name, file_type in files:
            self.cursor.execute(
                f"begin dbms_datapump.add_file(:handle, :name, :directory, filetype => {file_type}); end;",
                handle=handle,
                name=file_name,
                directory=params.directory,
            )

    def _export_filters(self, handle: int, params: Parameters) -> None:
        filters: list[tuple[str, str, str | None]] = []
        if params.tables:
            owners = sorted({t.split(".")[0] for t in params.tables if "." in t}) or [
                self.connection.username.upper()
            ]
            filters += [("SCHEMA_EXPR", in_list(owners), None)]
            filters += [("NAME_EXPR", in_list([t.split(".")[-1] for t in params.tables]), "TABLE")]
        elif params.schemas:
            filters += [("SCHEMA_EXPR", in_list(params.schemas), None)]
        for exclusion in params.exclude:
            if exclusion.name_clause:
                filters.append(("EXCLUDE_NAME_EXPR", exclusion.name_clause, exclusion.object_path))
            else:
                filters.append(("EXCLUDE_PATH_EXPR", in_list([exclusion.object_path]), None))
        for name, value, path in filters:
            self.cursor.callproc(
                "dbms_datapump.metadata_filter",
                keyword_parameters={"handle": handle, "name": name, "value": value, "object_path": path},
            )

    def _run(self, handle: int, params: Parameters, outcome: Outcome) -> Outcome:
        if params.parallel > 1:
            self._call(handle, "SET_PARALLEL", degree=params.parallel)
        self._call(handle, "START_JOB")
        try:
            outcome.progress = follow(self.cursor, handle)
        finally:
            self.cursor.callproc("dbms_datapump.detach", [handle])
        if params.logfile:
            outcome.log = read_with_bfile(self.cursor, params.directory, params.logfile)
            outcome.log_lines = read_with_utl_file(self.cursor, params.directory, params.logfile)
        return outcome
