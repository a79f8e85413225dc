"""What the four ways of moving dump files need from the hook, said once.

DBMS_CLOUD, RDS S3 tasks, object storage through the worker and DBMS_FILE_TRANSFER are
mixins of :class:`~airflow_datapump.hooks.datapump.DatapumpHook`; each is typed against this
one protocol of the hook's file operations, and the optional packages (DBMS_CLOUD, RDSADMIN)
are called through :func:`run_package_call`, which turns "no such package" into a clear error.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from typing import Any, Protocol, TypeVar

from airflow_datapump.core import cloud, transfer
from airflow_datapump.core.calls import Call, DumpFileInfo
from airflow_datapump.core.transfer import Manifest, MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, TransferError

T = TypeVar("T")


class Files(Protocol):
    """The hook's file operations a transfer mixin uses (hooks/files.py defines them)."""

    def run_call(self, call: Call[Any]) -> Any: ...
    def _retrying(self, action: Callable[[], Any]) -> Any: ...
    def dump_file_members(self, directory: str, template: str) -> list[str]: ...
    def file_size(self, directory: str, file_name: str) -> int | None: ...
    def delete_file(self, directory: str, file_name: str) -> bool: ...
    def delete_listed(self, directory: str, file_name: str) -> None: ...
    def delete_copied(self, directory: str, names: list[str], why: str) -> None: ...
    def rename_file(self, directory: str, file_name: str, new_name: str) -> None: ...
    def dumpfile_info(self, directory: str, file_name: str) -> DumpFileInfo: ...
    def read_file(self, directory: str, file_name: str, *, position: int = 0) -> tuple[str, int]: ...


def run_package_call(hook: Files, call: Call[T], package: str, *, retry: bool = False) -> T:
    """Run ``call``; a database without ``package`` (its first word) is a TransferError saying so."""
    try:
        if retry:
            result: T = hook._retrying(partial(hook.run_call, call))
            return result
        done: T = hook.run_call(call)
        return done
    except DatabaseCallError as error:
        if cloud.package_missing(error, package.split()[0]):
            raise TransferError(
                f"{package} is not installed on this database, or this user may not execute it ({error.code})"
            ) from error
        raise


# -- a set's marker in a directory object -------------------------------------------------------


def read_marker(
    hook: Files, directory: str, template: str, *, listed: Collection[str] | None = None
) -> Manifest | None:
    """The marker a download or copy left beside the set ``template`` in ``directory``, if any.
    Whether it is there is asked of the database, unless the directory's names are ``listed``."""
    name = transfer.manifest_name(template)
    if name not in listed if listed is not None else hook.file_size(directory, name) is None:
        return None
    try:
        return Manifest.from_json(hook.read_file(directory, name)[0])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TransferError(
            f"the marker {name} in {directory} cannot be read ({error!r}), so whether the set "
            f"{template} is whole is unknown; copy the set again, or delete the marker if it is whole"
        ) from error


def write_marker(hook: Files, directory: str, manifest: Manifest) -> None:
    """Write the marker with UTL_FILE under ``.part``, then rename: never half a marker."""
    name = transfer.manifest_name(manifest.template)
    write_text(hook, directory, name + ".part", manifest.to_json())
    hook.rename_file(directory, name + ".part", name)


def write_text(hook: Files, directory: str, file_name: str, text: str) -> None:
    """A small file written whole with UTL_FILE (a manifest staged for the database to send)."""
    call = transfer.write_chunk(directory, file_name, text.encode(), position=0)
    hook._retrying(partial(hook.run_call, call))


class DirectoryMarker:
    """The marker of one set arriving in a directory: incomplete first, complete after the last.

    Written twice per set (four round trips), not after each member: while it is incomplete
    every member counts as unverified, and the precheck names the ones not there at all.
    """

    def __init__(
        self,
        hook: Files,
        directory: str,
        template: str,
        expected: list[str],
        guid: str | None = None,
        *,
        preexisting: list[str] | None = None,
    ) -> None:
        self.hook, self.directory = hook, directory
        self.manifest = Manifest(template, expected=list(expected), guid=guid, preexisting=preexisting)
        write_marker(hook, directory, self.manifest)

    def verified(self, member: MemberCopy) -> None:
        self.manifest.members[member.name] = member.to_dict()

    def finish(self) -> None:
        self.manifest.complete = True
        write_marker(self.hook, self.directory, self.manifest)
