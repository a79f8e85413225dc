"""Dump file sets moved by the database itself with DBMS_CLOUD (Autonomous, 19c+ where installed).

Where the database can reach object storage, the bytes need not pass through the worker:
DBMS_CLOUD.PUT_OBJECT and GET_OBJECT copy a whole member in one round trip. The rules are
those of the other copies (hooks/files.py, hooks/objectstore.py): every member of a ``%U``/
``%L`` set, sizes checked on both ends, a member already copied with its size kept, a download
under ``<name>.part`` until verified, and originals deleted only when asked and only after
every copy is verified. The members of a set in object storage are found by asking for
``01``, ``02`` ... until DBMS_CLOUD answers ORA-20404.
"""

from __future__ import annotations

import logging

from airflow_datapump.core import cloud, transfer
from airflow_datapump.core.calls import Call
from airflow_datapump.core.transfer import MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks._moving import Files as _Files
from airflow_datapump.hooks._moving import run_package_call

log = logging.getLogger(__name__)
_MAX_MEMBERS = 99  # what %U numbers; %L sets this large are not moved this way


def _object_size(hook: _Files, credential: str | None, uri: str) -> int | None:
    """The object's size, or None when DBMS_CLOUD says it does not exist."""
    try:
        return run_package_call(hook, cloud.object_size(credential, uri), "DBMS_CLOUD", retry=True)
    except DatabaseCallError as error:
        if error.code == cloud.NOT_FOUND:
            return None
        raise


def _cloud(hook: _Files, call: Call[None]) -> None:
    run_package_call(hook, call, "DBMS_CLOUD")


class CloudMixin:
    """DBMS_CLOUD uploads and downloads of dump file sets; mixed into :class:`DatapumpHook`."""

    def cloud_upload_dump_files(
        self: _Files,
        directory: str,
        dump_files: list[str],
        object_uri: str,
        *,
        credential_name: str | None,
        delete_source: bool = False,
    ) -> list[MemberCopy]:
        """PUT_OBJECT every member of the sets in ``directory`` into the folder ``object_uri``."""
        folder = cloud.check_folder_uri(object_uri)
        credential = cloud.check_credential_name(credential_name)
        copied: list[MemberCopy] = []
        for template in dump_files:
            members = self.dump_file_members(directory, template)
            if not members:
                raise TransferError(f"no dump files {template} in {directory} to upload")
            for name in members:
                size = self.file_size(directory, name) or 0
                uri = cloud.object_uri(folder, name)
                if _object_size(self, credential, uri) == size:
                    log.info("%s is already at %s with its %d bytes: kept", name, uri, size)
                    copied.append(MemberCopy(name, size, kept=True))
                    continue
                log.info("DBMS_CLOUD.PUT_OBJECT %s (%d bytes) to %s", name, size, uri)
                _cloud(self, cloud.put_object(credential, uri, directory, name))
                landed = _object_size(self, credential, uri)
                if landed != size:
                    _cloud(self, cloud.delete_object(credential, uri))
                    raise TransferError(
                        f"{name} arrived at {uri} with {landed} bytes of {size}; the object was removed",
                        file_name=name,
                    )
                copied.append(MemberCopy(name, size))
        if delete_source:
            self.delete_copied(directory, [m.name for m in copied], "its upload was verified")
        return copied

    def cloud_download_dump_files(
        self: _Files,
        object_uri: str,
        dump_files: list[str],
        directory: str,
        *,
        credential_name: str | None,
        delete_source: bool = False,
    ) -> list[MemberCopy]:
        """GET_OBJECT every member of the sets in the folder ``object_uri`` into ``directory``."""
        folder = cloud.check_folder_uri(object_uri)
        credential = cloud.check_credential_name(credential_name)
        copied: list[MemberCopy] = []
        for template in dump_files:
            found = _objects_of(self, credential, folder, template)
            if not found:
                raise TransferError(f"no dump files {template} in {folder} to download")
            for name, size in found:
                copied.append(_download_member(self, credential, folder, name, size, directory))
        if delete_source:
            for member in copied:
                _cloud(self, cloud.delete_object(credential, cloud.object_uri(folder, member.name)))
        return copied


def _objects_of(hook: _Files, credential: str | None, folder: str, template: str) -> list[tuple[str, int]]:
    """The set's members in ``folder`` with their sizes: ``01``, ``02`` ... up to the first missing."""
    found: list[tuple[str, int]] = []
    for number in range(1, _MAX_MEMBERS + 1):
        name = cloud.member_name(template, number)
        size = _object_size(hook, credential, cloud.object_uri(folder, name))
        if size is None or (found and name == found[-1][0]):
            break
        found.append((name, size))
    return found


def _download_member(
    hook: _Files, credential: str | None, folder: str, name: str, size: int, directory: str
) -> MemberCopy:
    if hook.file_size(directory, name) == size:
        log.info("%s is already in %s with its %d bytes: kept", name, directory, size)
        return MemberCopy(name, size, kept=True)
    part = transfer.part_name(name)
    hook.delete_file(directory, part)  # an interrupted try's
    uri = cloud.object_uri(folder, name)
    log.info("DBMS_CLOUD.GET_OBJECT %s (%d bytes) into %s", uri, size, directory)
    _cloud(hook, cloud.get_object(credential, uri, directory, part))
    landed = hook.file_size(directory, part)
    if landed != size:
        hook.delete_file(directory, part)
        raise TransferError(
            f"{name} arrived in {directory} with {landed} bytes of {size}; the partial copy was removed",
            file_name=name,
        )
    hook.rename_file(directory, part, name)
    return MemberCopy(name, size)
