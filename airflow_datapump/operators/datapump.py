"""ExportOperator and ImportOperator: Data Pump jobs as Airflow tasks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_datapump import assets
from airflow_datapump.core.names import dump_location
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatapumpError, SpecError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import _fields, _identity
from airflow_datapump.operators._base import DatapumpOperator

# Accounts Oracle creates and maintains: never the target of an import.
ORACLE_MAINTAINED = frozenset(
    """
    SYS SYSTEM SYSBACKUP SYSDG SYSKM SYSRAC SYS$UMF AUDSYS OUTLN DBSNMP XDB XS$NULL ANONYMOUS DIP
    CTXSYS MDSYS MDDATA ORDSYS ORDDATA ORDPLUGINS SI_INFORMTN_SCHEMA OLAPSYS WMSYS LBACSYS DVSYS
    DVF OJVMSYS APPQOSSYS DBSFWUSER GGSYS GSMADMIN_INTERNAL GSMCATUSER GSMUSER GSMROOTUSER
    REMOTE_SCHEDULER_AGENT ORACLE_OCM DGPDB_INT DBSNMP SPATIAL_CSW_ADMIN_USR SPATIAL_WFS_ADMIN_USR
    FLOWS_FILES APEX_PUBLIC_USER
    """.split()
)


class ExportOperator(DatapumpOperator):
    """Export with Data Pump (expdp). Consistent as of submit unless a flashback is given.

    An existing dump file is never overwritten unless ``reuse_dump_files=True``, except the
    unfinished files this task run's own failed or killed try left (proved by their dump
    headers and the job's log, not by their names), which a retry deletes before it starts. Asset
    outlets (``outlets=[dump_set_asset(...)]``, see :mod:`airflow_datapump.assets`) get an
    event whose extra names the job, its SCN, the files with their sizes and the rows per table.
    """

    operation = "EXPORT"

    def _finish(self, context: Any, event: dict[str, Any], hook: DatapumpHook) -> dict[str, Any]:
        result = super()._finish(context, event, hook)
        if self.outlets:
            sizes = {
                member: hook.file_size(directory, member) or 0
                for directory, template in (
                    dump_location(t, result["dump_directory"]) for t in result["dump_files"]
                )
                for member in hook.dump_file_members(directory, template)
            }
            scn = (event.get("job") or {}).get("flashback_scn")
            assets.emit(context, self.outlets, assets.export_extra(result, sizes, scn))
        return result

    def check_safety(
        self,
        spec: JobSpec,
        hook: DatapumpHook,
        run: RunStamp,
        log_lines: list[str] | None = None,
    ) -> None:
        if spec.dump_uris:
            self._check_uri_export(spec)
            return
        directories = sorted({directory for directory, _ in spec.dump_locations()})
        if self.outlets and len(directories) > 1:
            raise SpecError(
                "dump_files",
                list(spec.dump_files),
                f"files in one directory object when the task has Asset outlets (a dump set Asset "
                f"names one directory; these are in {', '.join(directories)})",
            )
        if spec.reuse_dump_files:
            return
        ref = _fields.ref_for(spec, "")
        for directory, template in ref.dump_locations():  # the default names too
            existing = hook.dump_file_members(directory, template)
            if existing:
                self._clear_leftovers(hook, ref, directory, template, existing, run, log_lines)

    def _clear_leftovers(
        self, hook: DatapumpHook, ref: JobRef, directory: str, template: str, existing: list[str],
        run: RunStamp, log_lines: list[str] | None,
    ) -> None:  # fmt: skip
        """Delete what this run's own failed or killed try left; refuse anyone else's files.

        Decided by what the files and the job's log record (``_identity.leftover_owner``),
        never by the file name: another run's set, a foreign job's or a user's file of the same
        name is refused, named, and left as it is.
        """
        whose = _identity.leftover_owner(hook, ref, directory, existing, run, log_lines)
        if whose is not None:
            raise SpecError(
                "dump_files",
                template,
                f"a file that does not exist yet ({existing[0]} is in {directory}, and is not a file "
                f"this task run's own earlier try left: {whose}); set reuse_dump_files=True to "
                "overwrite it",
            )
        # Exactly the files whose headers were just checked: one appearing since is not proved ours.
        deleted = hook.delete_dump_files(directory, template, members=list(existing))
        self.log.info(
            "Deleted %s from %s: the unfinished dump files this task run's earlier try of job %s left",
            ", ".join(deleted),
            directory,
            ref.job_name,
        )

    def _check_uri_export(self, spec: JobSpec) -> None:
        """URI dump files lie in no directory: the dump set Asset and the overwrite check,
        which read a directory, cannot follow them."""
        if self.outlets:
            raise SpecError(
                "outlets",
                "Asset outlets",
                "no Asset outlets with object storage dump files (a dump set Asset names a directory)",
            )
        self.log.info(
            "Dump files are object storage URIs: the check that they do not exist yet is skipped "
            "(it reads a directory); Data Pump itself refuses an existing object unless reused"
        )


class ImportOperator(DatapumpOperator):
    """Import with Data Pump (impdp), after checking the dump files and the target schemas.

    :param protected_schemas: a list of schemas never to import into, beyond the
        Oracle-maintained ones (``["PROD_HR"]``; a bare string is refused, not read as letters).
    :param allowed_errors: e.g. ``["ORA-31684"]`` to accept "object already exists" errors.
    """

    operation = "IMPORT"

    def __init__(self, *, protected_schemas: Sequence[str] = (), **kwargs: Any) -> None:
        self.protected_schemas = _fields.schema_names("protected_schemas", protected_schemas)
        super().__init__(**kwargs)

    def check_safety(
        self,
        spec: JobSpec,
        hook: DatapumpHook,
        run: RunStamp,
        log_lines: list[str] | None = None,
    ) -> None:
        remapped = {r.old_value: r.value for r in spec.remaps if r.name == "REMAP_SCHEMA"}
        targets = set(remapped.values()) | {s for s in spec.schemas if s not in remapped}
        if spec.mode.value == "TABLE":
            targets |= {remapped.get(t.schema, t.schema) for t in spec.tables if t.schema}
        forbidden = sorted(t for t in targets if t in ORACLE_MAINTAINED or t in self.protected_schemas)
        if forbidden:
            raise SpecError(
                "schemas",
                forbidden[0],
                "a target schema that is neither Oracle-maintained nor in protected_schemas",
            )
        if spec.dump_uris:
            self.log.info(
                "Dump files are object storage URIs: the dump file precheck (through BFILE, in a "
                "directory) is skipped; Data Pump checks the files when the job starts"
            )
        elif not spec.is_network:
            problems = hook.precheck_import(spec)
            if problems:
                raise DatapumpError("The dump files cannot be imported: " + "; ".join(problems))

    def after_success(self, context: Any, job: JobRef, hook: DatapumpHook) -> None:
        spec = _fields.spec_of(self, self.operation, password=self.password_to_check())
        if not spec.delete_dump_files:  # not templated
            return
        for directory, template in job.dump_locations():
            for member in hook.delete_dump_files(directory, template):
                self.log.info("Deleted dump file %s from %s", member, directory)
