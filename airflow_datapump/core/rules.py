"""How the parts of a job may combine, checked before anything reaches a database.

Each rule cites Oracle's documentation (a § of ``docs/oracle-sources.md``) or the Oracle
error it prevents, so a DBA can see why a spec was refused. Rules that Oracle does not enforce
but that always end in a failed or useless job (a parallel export with one fixed file) are
marked as ours.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, NoReturn

from airflow_datapump.core import catalog, naming
from airflow_datapump.core.filters import data_filters
from airflow_datapump.core.names import display_identifier, file_name, has_substitution
from airflow_datapump.exceptions import SpecError

if TYPE_CHECKING:
    from airflow_datapump.core.spec import JobSpec

__all__ = ["check", "check_derived_files", "check_remapped_tablespaces", "fail", "remapped_tablespaces"]

_REMAP_OPERATIONS = ("IMPORT", "SQL_FILE")


def fail(field: str, value: object, allowed: str) -> NoReturn:
    raise SpecError(field, value, allowed)


def check(spec: JobSpec) -> None:
    """Raise :class:`SpecError` for the first rule the spec breaks."""
    _check_files(spec)
    _check_uris(spec)
    if spec.job_name is not None:
        check_derived_files(spec, spec.job_name)
    _check_mode(spec)
    _check_filters(spec)
    _check_remaps_and_transforms(spec)
    _check_parameters(spec)
    _check_encryption(spec)


def _check_uris(spec: JobSpec) -> None:
    """URI dump files (KU$_FILE_TYPE_URIDUMP_FILE): ADD_FILE takes the credential in place of
    the directory, so a job's dump files are either all URIs with a credential, or none."""
    uris = spec.dump_uris
    if spec.credential is None and uris:
        fail("credential", None, "a DBMS_CLOUD credential name for dump files given as URIs")
    if spec.credential is None:
        return
    if not spec.dump_files:
        fail("dump_files", [], "the object storage URIs the credential reads or writes")
    if len(uris) != len(spec.dump_files):
        local = next(f for f in spec.dump_files if f not in uris)
        fail("dump_files", local, "only https:// object URIs with a credential (no directory files)")
    if spec.delete_dump_files:
        fail("delete_dump_files", True, "dump files in a directory; delete objects with DBMS_CLOUD")


def _check_files(spec: JobSpec) -> None:
    op = spec.operation.value
    estimate_only = spec.parameter("ESTIMATE_ONLY") == 1
    network_read = spec.is_network and op != "EXPORT"
    if spec.dump_files and (network_read or estimate_only):
        why = "a network-mode import" if network_read else "an ESTIMATE_ONLY export"
        fail("dump_files", list(spec.dump_files), f"no dump files for {why} (ORA-39002)")
    # An export may leave its dump file names to the hook, which derives them from the job
    # name; an import or SQL_FILE has to be told which files to read.
    if not spec.dump_files and op != "EXPORT" and not network_read:
        fail("dump_files", [], f"at least one dump file to read for a file-based {op}")
    if op != "EXPORT":
        for name in ("file_size", "reuse_dump_files"):
            if getattr(spec, name):
                fail(name, getattr(spec, name), "only for exports; imports read existing files")
    if spec.sql_file is not None and op != "SQL_FILE":
        fail("sql_file", spec.sql_file, "only for the SQL_FILE operation")
    if spec.no_log_file and (spec.log_file is not None or spec.log_directory is not None):
        given = spec.log_file if spec.log_file is not None else spec.log_directory
        fail("no_log_file", True, f"no log_file or log_directory with it (given {given!r}): there is no log")
    if spec.delete_dump_files and (op != "IMPORT" or spec.is_network):
        fail("delete_dump_files", True, "only for a file-based import")
    templated = any(has_substitution(name) for name in spec.dump_files)
    if op == "EXPORT" and spec.parallel > len(spec.dump_files) and spec.dump_files and not templated:
        # Ours: extra workers would wait for files that never come.
        fail(
            "parallel",
            spec.parallel,
            f"at most {len(spec.dump_files)} with these dump files; "
            "use %U or %L in a dump file name for more workers",
        )


def check_derived_files(spec: JobSpec, job_name: str) -> None:
    """File names the submit call derives from the job name are checked like given ones: a
    quoted name such as ``"a/b"`` would otherwise make a log file with a path (ORA-39088)."""
    derived = []
    if spec.log_file is None and not spec.no_log_file:
        derived.append(naming.default_log_file(job_name))
    if not spec.dump_files and spec.operation.value == "EXPORT":
        derived.append(naming.default_dump_file(job_name))
    if spec.sql_file is None and spec.operation.value == "SQL_FILE":
        derived.append(naming.default_sql_file(job_name))
    for name in derived:
        try:
            file_name(name, "job_name", substitution=name.endswith("_%U.dmp"))
        except SpecError as error:
            fail(
                "job_name",
                display_identifier(job_name),
                f"a name whose default file name {name!r} is valid ({error.allowed}); "
                "or give log_file, dump_files and sql_file",
            )


def _check_mode(spec: JobSpec) -> None:
    mode = spec.mode.value
    if spec.schemas and mode != "SCHEMA":
        fail("schemas", list(spec.schemas), "schemas only in SCHEMA mode; FULL takes everything")
    if spec.tables and mode != "TABLE":
        fail("tables", [str(t) for t in spec.tables], "tables only in TABLE mode")
    if mode == "TABLE":
        if not spec.tables:
            fail("tables", [], "at least one table in TABLE mode")
        owners = {t.schema for t in spec.tables}
        if len(owners) > 1:
            fail(
                "tables",
                [str(t) for t in spec.tables],
                "tables of one schema, all qualified or all unqualified (TABLE mode)",
            )
    if spec.tablespaces and mode not in ("TABLE", "TABLESPACE", "TRANSPORTABLE"):
        fail(
            "tablespaces",
            list(spec.tablespaces),
            "tablespaces in TABLE, TABLESPACE or TRANSPORTABLE mode",
        )
    exporting = spec.operation.value == "EXPORT"
    if mode in ("TABLESPACE", "TRANSPORTABLE") and not spec.tablespaces and exporting:
        fail("tablespaces", [], f"at least one tablespace in {mode} mode")
    importing = spec.operation.value == "IMPORT"
    if mode == "TRANSPORTABLE" and importing and spec.parameter("TABLESPACE_DATAFILE") is None:
        fail(
            "parameters.TABLESPACE_DATAFILE",
            None,
            "the datafiles to plug in, for a TRANSPORTABLE import",
        )


def _check_filters(spec: JobSpec) -> None:
    if spec.data_filters and spec.mode.value == "TRANSPORTABLE":
        fail(
            "data_filters",
            spec.data_filters[0].name,
            "no data filters in TRANSPORTABLE mode",
        )
    if spec.data_filters and spec.operation.value == "SQL_FILE":
        fail(
            "data_filters",
            spec.data_filters[0].name,
            "no data filters for SQL_FILE, which moves no rows",
        )
    seen: Counter[tuple[str, str | None, str | None]] = Counter()
    for item in data_filters(spec):
        key = (item.name, item.schema_name, item.table_name)
        seen[key] += 1
        where = f"data_filters.{item.name}"
        if seen[key] > 1:
            target = item.table_name or "the whole job"
            fail(where, item.name, f"each data filter once per table (here {target})")
        if item.name == "SAMPLE" and spec.operation.value != "EXPORT":
            fail(where, str(item.value), "SAMPLE only on export")
        if item.name == "PARTITION_EXPR" and spec.is_network:
            fail(where, "PARTITION_EXPR", "no PARTITION_EXPR over a network link")
    include, exclude = set(spec.include), set(spec.exclude)
    both = sorted(include & exclude)
    if both:
        fail("exclude", both, "a path in either include or exclude, not both")


def _check_remaps_and_transforms(spec: JobSpec) -> None:
    op = spec.operation.value
    for name in ("remaps", "transforms"):
        items = getattr(spec, name)
        if items and op not in _REMAP_OPERATIONS:
            fail(name, items[0].name, f"{name} only for IMPORT and SQL_FILE")
    if spec.transforms and spec.mode.value == "TRANSPORTABLE":
        fail("transforms", spec.transforms[0].name, "no transforms in TRANSPORTABLE mode (ORA-39205)")
    if op == "IMPORT" and spec.mode.value == "SCHEMA" and spec.schemas:
        for remap in spec.remaps:
            if remap.name == "REMAP_SCHEMA" and remap.old_value not in spec.schemas:
                # Oracle accepts it and imports the schema under its own name: a typo's
                # refresh "successfully completed" into a new schema, the target untouched.
                fail(
                    "remaps.REMAP_SCHEMA",
                    remap.old_value,
                    f"a schema this job imports ({', '.join(spec.schemas)}); a remap of another "
                    "changes nothing, and the imported objects would keep their schema",
                )
    pairs = Counter((r.name, r.old_value, r.object_type) for r in spec.remaps)
    for (name, old, _), count in pairs.items():
        if count > 1:
            fail(f"remaps.{name}", old, "one target per remapped name")
    if spec.data_remaps and op == "SQL_FILE":
        fail(
            "data_remaps",
            str(spec.data_remaps[0]),
            "data remaps only for EXPORT and IMPORT (a SQL file holds no rows)",
        )
    columns = Counter((d.schema, d.table, d.column) for d in spec.data_remaps)
    for (_, table, column), count in columns.items():
        if count > 1:
            fail("data_remaps", f"{table}.{column}", "one remap function per column")
    seen = Counter((t.name, t.object_type) for t in spec.transforms)
    for (name, _), count in seen.items():
        if count > 1:
            fail(f"transforms.{name}", name, "each transform once per object type")


def remapped_tablespaces(spec: JobSpec) -> list[str]:
    """The tablespaces an import's REMAP_TABLESPACE creates objects in, each once; none for
    SQL_FILE, which only writes the DDL."""
    if spec.operation.value != "IMPORT":
        return []
    return list(dict.fromkeys(r.value for r in spec.remaps if r.name == "REMAP_TABLESPACE"))


def check_remapped_tablespaces(spec: JobSpec, existing: list[str]) -> None:
    """Refuse a REMAP_TABLESPACE into a tablespace ``existing`` (the target's permanent ones)
    lacks. Oracle starts such an import and fails each table's CREATE (ORA-39083 over
    ORA-00959), then everything that depends on the tables: many errors, nothing loaded."""
    for target in remapped_tablespaces(spec):
        if target not in existing:
            fail(
                "remaps.REMAP_TABLESPACE",
                target,
                f"a permanent tablespace of the target database ({', '.join(existing) or 'none readable'}); "
                "create it first, or remap to one of these",
            )


def _scope(spec: JobSpec) -> set[str]:
    op = spec.operation.value
    scope = {op}
    if op == "IMPORT" and spec.is_network:
        scope.add(catalog.NETWORK_IMPORT)
    return scope


def _check_parameters(spec: JobSpec) -> None:
    scope = _scope(spec)
    counts = Counter(p.name for p in spec.parameters)
    for param in spec.parameters:
        info = param.info
        field = f"parameters.{param.name}"
        if counts[param.name] > 1 and not info.repeatable:
            fail(field, param.value, "the parameter only once")
        if not scope & info.scope:
            where = ", ".join(sorted(s.replace("_", " ").lower() for s in info.scope))
            fail(field, param.value, f"{param.name} applies to: {where}")
    _check_parameter_combinations(spec)


def _check_parameter_combinations(spec: JobSpec) -> None:
    value = spec.parameter
    if value("FLASHBACK_SCN") is not None and value("FLASHBACK_TIME") is not None:
        fail(
            "parameters.FLASHBACK_TIME",
            value("FLASHBACK_TIME"),
            "FLASHBACK_SCN or FLASHBACK_TIME, not both",
        )
    action = value("TABLE_EXISTS_ACTION")
    if value("INCLUDE_METADATA") == 0 and action in ("SKIP", "REPLACE"):
        fail(
            "parameters.TABLE_EXISTS_ACTION",
            action,
            "APPEND or TRUNCATE for a data-only import (ORA-39137)",
        )
    mode = spec.mode.value
    if value("TRANSPORTABLE") is not None and mode not in ("TABLE", "FULL"):
        fail("parameters.TRANSPORTABLE", value("TRANSPORTABLE"), "TABLE or FULL mode")
    if value("TTS_FULL_CHECK") is not None and mode != "TRANSPORTABLE":
        fail("parameters.TTS_FULL_CHECK", value("TTS_FULL_CHECK"), "TRANSPORTABLE mode")
    if value("USER_METADATA") is not None and mode != "SCHEMA":
        fail("parameters.USER_METADATA", value("USER_METADATA"), "SCHEMA mode")
    if value("REUSE_DATAFILES") is not None and mode != "FULL":
        fail("parameters.REUSE_DATAFILES", value("REUSE_DATAFILES"), "a FULL import")
    if value("TABLESPACE_DATAFILE") is not None and mode != "TRANSPORTABLE":
        fail(
            "parameters.TABLESPACE_DATAFILE",
            value("TABLESPACE_DATAFILE"),
            "a TRANSPORTABLE import",
        )
    if value("ESTIMATE_ONLY") == 1 and spec.is_network:
        fail("parameters.ESTIMATE_ONLY", 1, "a local export; estimate a network job with ESTIMATE")


def _check_encryption(spec: JobSpec) -> None:
    value = spec.parameter
    mode, scope = value("ENCRYPTION_MODE"), value("ENCRYPTION")
    has_password = spec.encryption_password is not None
    if mode in ("PASSWORD", "DUAL") and not has_password:
        fail("encryption_password", None, f"a password for ENCRYPTION_MODE={mode}")
    if mode == "TRANSPARENT" and has_password:
        fail("encryption_password", "***", "no password with ENCRYPTION_MODE=TRANSPARENT")
    if scope == "NONE" and (has_password or mode is not None or value("ENCRYPTION_ALGORITHM")):
        fail(
            "parameters.ENCRYPTION",
            "NONE",
            "no encryption password, mode or algorithm with ENCRYPTION=NONE",
        )
