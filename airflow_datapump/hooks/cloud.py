"""Dump file sets moved by the database itself with DBMS_CLOUD (Autonomous, 19c+ where installed).

Where the database can reach object storage, the bytes need not pass through the worker:
DBMS_CLOUD.PUT_OBJECT and GET_OBJECT copy a whole member in one round trip. The rules are
those of the other copies (hooks/files.py, hooks/objectstore.py): every member of a ``%U``/
``%L`` set, sizes checked on both ends, a download under ``<name>.part`` until verified, and
originals deleted only when asked and only after every copy is verified. The members of a set
in object storage, and their sizes, come from one DBMS_CLOUD.LIST_OBJECTS of its folder.

Which export a member comes from is proved by its dump header's GUID, never by its size (two
exports of one schema often have same-size members): a downloaded member gets its name only
when it carries the GUID the manifest records (without one, the first member's); a file
already in the directory is kept only when the bucket's manifest records the set's GUID and
the file carries it; an object already in the bucket is kept only when the manifest there
records it, with its size and file number, under the GUID of the set being sent (the
manifest is rewritten after each member sent, so a retry resumes; a kept member's entry stands).
An upload, like a download, reads the folder once (LIST_OBJECTS): whether a manifest is there,
and each object's size.

Where a set is whole is said by its marker: in the bucket, the manifest object an upload
writes (staged as a small file in the directory, sent with PUT_OBJECT) ``incomplete`` before
the first member and ``complete`` after the last; in the directory, the marker file a download
writes the same way (hooks/_moving.py). A download refuses a bucket set whose manifest is
incomplete or lists members that are gone, naming them.
"""

from __future__ import annotations

import logging

from airflow_datapump.core import cloud, transfer
from airflow_datapump.core.calls import Call
from airflow_datapump.core.transfer import Manifest, MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks._moving import DirectoryMarker, run_package_call, write_text
from airflow_datapump.hooks._moving import Files as _Files
from airflow_datapump.hooks._sets import SetIdentity, checked_set, listed_members, proves

log = logging.getLogger(__name__)


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
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        folder = cloud.check_folder_uri(object_uri)
        credential = cloud.check_credential_name(credential_name)
        sets = {t: checked_set(self, directory, t) for t in dump_files}
        listed = _listing(self, credential, folder)  # the manifests there and every object's size
        copied: list[MemberCopy] = []
        for template, (members, guid, numbers) in sets.items():
            identity = SetIdentity(self, template, guid, numbers)
            earlier = _earlier_manifest(self, credential, folder, directory, template, listed)
            manifest = Manifest(template, expected=members, guid=guid)
            if earlier is not None and proves(earlier.guid, guid):  # what it records is of this export
                manifest.members = {n: m for n, m in earlier.members.items() if n in members}
            try:
                _put_manifest(self, credential, folder, directory, manifest)  # incomplete, first
                for name in members:
                    there = (manifest, listed)  # what the bucket records and holds
                    member = _upload_member(self, credential, directory, name, folder, identity, there)
                    if not member.kept:  # a kept member's entry is already the manifest's
                        manifest.members[name] = member.to_dict()
                        _put_manifest(self, credential, folder, directory, manifest)
                    copied.append(member)
                manifest.complete = True
                _put_manifest(self, credential, folder, directory, manifest)
            except BaseException:
                _remove_staged(self, directory, template, failing=True)
                raise
            _remove_staged(self, directory, template, failing=False)
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
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        folder = cloud.check_folder_uri(object_uri)
        credential = cloud.check_credential_name(credential_name)
        copied: list[MemberCopy] = []
        listed = _listing(self, credential, folder)  # every name and size, in one query
        for template in dump_files:
            manifest = _get_manifest(self, credential, folder, directory, template, listed)
            where = cloud.redacted_uri(folder)
            problem = manifest.upload_problem(where, list(listed)) if manifest else None
            if problem:
                raise TransferError(problem)
            found = [(name, listed[name]) for name in listed_members(template, listed, where)]
            if not found:
                raise TransferError(f"no dump files {template} in {where} to download")
            guid = manifest.guid if manifest else None
            identity = SetIdentity(self, template, guid, manifest.file_numbers() if manifest else None)
            marker = DirectoryMarker(self, directory, template, [n for n, _ in found], guid)
            for name, size in found:
                member = _download_member(self, credential, folder, (name, size), directory, identity)
                marker.verified(member)
                copied.append(member)
            marker.manifest.guid = identity.guid
            marker.finish()
        if delete_source:
            for member in copied:
                _cloud(self, cloud.delete_object(credential, cloud.object_uri(folder, member.name)))
        return copied


def _upload_member(
    hook: _Files,
    credential: str | None,
    directory: str,
    name: str,
    folder: str,
    identity: SetIdentity,
    there: tuple[Manifest, dict[str, int]],
) -> MemberCopy:
    """PUT one member; an object already there (``listed``, with its size) is kept only when the
    bucket's earlier manifest, carried into ``manifest``, records it with this size for this
    export and as this member."""
    (manifest, listed), size = there, hook.file_size(directory, name) or 0
    uri = cloud.object_uri(folder, name)
    if identity.records(manifest.members.get(name, {}), name, size) and listed.get(name) == size:
        log.info("%s is already at %s with its %d bytes: kept", name, cloud.redacted_uri(uri), size)
        return identity.copy(name, size, kept=True)
    log.info("DBMS_CLOUD.PUT_OBJECT %s (%d bytes) to %s", name, size, cloud.redacted_uri(uri))
    _cloud(hook, cloud.put_object(credential, uri, directory, name))
    landed = _object_size(hook, credential, uri)
    if landed != size:
        _cloud(hook, cloud.delete_object(credential, uri))
        where = cloud.redacted_uri(uri)
        raise TransferError(
            f"{name} arrived at {where} with {landed} bytes of {size}; the object was removed", file_name=name
        )
    return identity.copy(name, size)


def _put_manifest(
    hook: _Files, credential: str | None, folder: str, directory: str, manifest: Manifest
) -> None:
    """The set's manifest object in the bucket, staged in ``directory`` for PUT_OBJECT (the
    caller removes the staged file once, after the set's last write)."""
    name, staged = transfer.manifest_name(manifest.template), _staged(manifest.template)
    write_text(hook, directory, staged, manifest.to_json())
    _cloud(hook, cloud.put_object(credential, cloud.object_uri(folder, name), directory, staged))


def _staged(template: str) -> str:
    return transfer.manifest_name(template) + ".out"


def _remove_staged(hook: _Files, directory: str, template: str, *, failing: bool) -> None:
    """Remove the staged manifest; while the upload is ``failing``, a failure here is only logged,
    so the error that stopped the upload is the one raised."""
    try:
        hook.delete_file(directory, _staged(template))
    except Exception as error:
        if not failing:
            raise
        log.warning("The staged manifest %s in %s was not removed: %s", _staged(template), directory, error)


def _get_manifest(
    hook: _Files,
    credential: str | None,
    folder: str,
    directory: str,
    template: str,
    listed: dict[str, int],
) -> Manifest | None:
    """The set's manifest object, if the upload wrote one (``listed``, the folder's listing,
    says whether): fetched into ``directory``, read, removed."""
    name = transfer.manifest_name(template)
    if name not in listed:
        return None
    uri = cloud.object_uri(folder, name)
    staged = name + ".in"
    try:
        _cloud(hook, cloud.get_object(credential, uri, directory, staged))
        return Manifest.from_json(hook.read_file(directory, staged)[0])
    finally:
        hook.delete_file(directory, staged)


def _earlier_manifest(
    hook: _Files, credential: str | None, folder: str, directory: str, template: str, listed: dict[str, int]
) -> Manifest | None:
    """The manifest an earlier upload left (``listed`` says whether there is one), if readable
    and of this export: what it records may be kept, nothing else."""
    try:
        earlier = _get_manifest(hook, credential, folder, directory, template, listed)
    except (ValueError, KeyError, TypeError, AttributeError):
        where = cloud.redacted_uri(folder)
        log.warning("The manifest of %s in %s cannot be read: every member is sent", template, where)
        return None
    return earlier


def _listing(hook: _Files, credential: str | None, folder: str) -> dict[str, int]:
    """The objects in ``folder`` with their sizes, from one LIST_OBJECTS. A bucket that does not
    exist holds none (DBMS_CLOUD may answer it with ORA-20404, or with no rows)."""
    try:
        listed: dict[str, int] = run_package_call(
            hook, cloud.list_objects(credential, folder), "DBMS_CLOUD", retry=True
        )
    except DatabaseCallError as error:
        if error.code != cloud.NOT_FOUND:
            raise
        return {}
    return listed


def _download_member(
    hook: _Files,
    credential: str | None,
    folder: str,
    found: tuple[str, int],
    directory: str,
    identity: SetIdentity,
) -> MemberCopy:
    """GET one member to ``<name>.part``; renamed once its size and dump GUID are the set's. A
    file already there is kept only when the bucket's manifest records the set's GUID and the
    file has the member's size and that GUID."""
    name, size = found
    if identity.keeps(directory, name, size):
        log.info("%s is already in %s with its %d bytes and the set's dump GUID: kept", name, directory, size)
        return identity.copy(name, size, kept=True)
    part = transfer.part_name(name)
    hook.delete_file(directory, part)  # an interrupted try's
    uri = cloud.object_uri(folder, name)
    log.info("DBMS_CLOUD.GET_OBJECT %s (%d bytes) into %s", cloud.redacted_uri(uri), size, directory)
    _cloud(hook, cloud.get_object(credential, uri, directory, part))
    landed = hook.file_size(directory, part)
    if landed != size:
        hook.delete_file(directory, part)
        raise TransferError(
            f"{name} arrived in {directory} with {landed} bytes of {size}; the partial copy was removed",
            file_name=name,
        )
    identity.prove(directory, part, shown_as=name, remove=True)
    hook.rename_file(directory, part, name)
    return identity.copy(name, size)
