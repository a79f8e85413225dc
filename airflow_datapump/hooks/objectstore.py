"""Streaming dump file sets between a directory object and any object store Airflow reaches.

The worker is the pipe: chunks of ``chunk_bytes`` (8 MB by default) go through it one at a
time, so memory stays at about one chunk whatever the file size, and each chunk is one
round trip plus the LOB transfer the driver makes for it (core/plsql.py READ_CHUNK and
WRITE_CHUNK). The far side is an Airflow ``ObjectStoragePath`` (``s3://``, ``gs://``,
``file://`` ... with its ``conn_id``), used through its fsspec filesystem.

Every member is written as ``<name>.part``, checked (size, and with ``verify="checksum"`` a
SHA-256 of the copy read back against the one taken while streaming), and only then renamed;
the manifest beside an uploaded set lists each member's size, checksum and dump GUID and says
``complete`` after the last one. A retry keeps members already verified and copies the rest.

A downloaded member gets its name only when its dump header carries the set's GUID (the
manifest's; without one, the first member's), and a file already in the directory is kept
only when the manifest records the set's GUID and the file carries it: two exports of one
schema often have same-size members, so a size proves nothing.
"""

from __future__ import annotations

import hashlib
import logging
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from airflow_datapump.core import transfer
from airflow_datapump.core.transfer import DataChunk, Manifest, MemberCopy, Progress
from airflow_datapump.exceptions import TransferError
from airflow_datapump.hooks._moving import DirectoryMarker
from airflow_datapump.hooks._moving import Files as _Files
from airflow_datapump.hooks._sets import SetIdentity, checked_set, listed_members

log = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 5.0
# fsspec buffers writes in blocks (50 MB by default on S3, whose multipart parts are at least
# 5 MB) and reads ahead by blocks: sized to the chunk, and no read-ahead, memory stays near
# one chunk on every store.
_MIN_PART_BYTES = 5 * 1024 * 1024
_READ_OPTIONS: dict[str, Any] = {"block_size": transfer.DEFAULT_CHUNK_BYTES, "cache_type": "none"}


@dataclass(frozen=True)
class Location:
    """A folder or object on a filesystem Airflow attached: its fsspec filesystem and path.

    Taken from an ``ObjectStoragePath`` (its ``fs`` and ``path``) or from a URI through
    Airflow's ``attach``, so both work whatever universal-pathlib release is installed.
    """

    fs: Any
    path: str
    uri: str

    def __truediv__(self, name: str) -> Location:
        return Location(self.fs, f"{self.path.rstrip('/')}/{name}", f"{self.uri.rstrip('/')}/{name}")

    def __str__(self) -> str:
        return self.uri

    def open(self, mode: str, **options: Any) -> Any:
        return self.fs.open(self.path, mode, **options)

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def unlink(self) -> None:
        self.fs.rm(self.path)


def storage_location(location: Any) -> Location:
    """Where ``location`` (an ObjectStoragePath, or a URI like ``s3://conn_id@bucket/key``) is."""
    if hasattr(location, "fs") and hasattr(location, "path"):
        return Location(location.fs, str(location.path), str(location))
    from airflow.sdk.io.store import attach

    parts = urllib.parse.urlsplit(str(location))
    conn_id, _, host = parts.netloc.rpartition("@")
    fs = attach(protocol=parts.scheme or "file", conn_id=conn_id or None).fs
    return Location(fs, host + parts.path, urllib.parse.urlunsplit(parts._replace(netloc=host)))


class ObjectStoreMixin:
    """Upload and download of dump file sets; mixed into :class:`DatapumpHook`."""

    def upload_dump_files(
        self: _Files,
        directory: str,
        dump_files: list[str],
        destination: Any,
        *,
        chunk_bytes: int = transfer.DEFAULT_CHUNK_BYTES,
        verify: str = "checksum",
        delete_source: bool = False,
    ) -> list[MemberCopy]:
        """Copy every member of the sets from ``directory`` into the folder ``destination``.

        A set that is not whole in ``directory`` (hooks/_sets.py) is refused before anything is
        written; the manifest says ``incomplete``, listing every member, before the first lands.
        """
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        transfer.check_chunk_bytes(chunk_bytes)
        transfer.check_verify(verify)
        target = storage_location(destination)
        target.fs.makedirs(target.path, exist_ok=True)
        sets = {t: checked_set(self, directory, t) for t in dump_files}
        copied: list[MemberCopy] = []
        for template, (members, guid, numbers) in sets.items():
            identity = SetIdentity(self, template, guid, numbers)
            manifest = _read_manifest(target, template) or Manifest(template)
            manifest.complete, manifest.expected, manifest.guid = False, members, guid
            manifest.members = {n: m for n, m in manifest.members.items() if n in members}
            _write_manifest(target, manifest)  # incomplete, before the first member lands
            for name in members:
                member = _upload_member(
                    self, directory, name, identity, target, manifest, chunk_bytes, verify
                )
                manifest.members[name] = member.to_dict()
                _write_manifest(target, manifest)
                copied.append(member)
            manifest.complete = True
            _write_manifest(target, manifest)
        if delete_source:
            self.delete_copied(directory, [m.name for m in copied], "its upload was verified")
        return copied

    def download_dump_files(
        self: _Files,
        source: Any,
        dump_files: list[str],
        directory: str,
        *,
        chunk_bytes: int = transfer.DEFAULT_CHUNK_BYTES,
        verify: str = "checksum",
        delete_source: bool = False,
    ) -> list[MemberCopy]:
        """Copy every member of the sets in the folder ``source`` into ``directory``.

        A set uploaded with a manifest must be complete, and each member must match the
        manifest's size and checksum; a set with no manifest is found by listing the folder.
        ``directory`` gets the set's marker, incomplete until the last member is verified, so an
        import precheck refuses a set whose download failed halfway.
        """
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        transfer.check_chunk_bytes(chunk_bytes)
        transfer.check_verify(verify)
        origin = storage_location(source)
        copied: list[MemberCopy] = []
        for template in dump_files:
            manifest = _read_manifest(origin, template)
            problem = manifest.upload_problem(str(origin)) if manifest else None
            if problem:
                raise TransferError(problem)
            names = list(manifest.members) if manifest else _listed(origin, template, str(origin))
            if not names:
                raise TransferError(f"no dump files {template} in {origin} to download")
            guid = _manifest_guid(manifest)
            identity = SetIdentity(self, template, guid, manifest.file_numbers() if manifest else None)
            marker = DirectoryMarker(self, directory, template, names, guid)
            for name in names:
                expected = manifest.members[name] if manifest else {}
                member = _download_member(
                    self, origin, name, (directory, identity), expected, chunk_bytes, verify
                )
                marker.verified(member)
                copied.append(member)
            marker.manifest.guid = identity.guid
            marker.finish()
        if delete_source:
            for template in dump_files:
                for name in [m.name for m in copied] + [transfer.manifest_name(template)]:
                    if (origin / name).exists():
                        (origin / name).unlink()
        return copied


# -- upload -------------------------------------------------------------------------------------


def _upload_member(
    hook: _Files,
    directory: str,
    name: str,
    identity: SetIdentity,
    target: Any,
    manifest: Manifest,
    chunk: int,
    verify: str,
) -> MemberCopy:
    size = hook.file_size(directory, name) or 0
    entry = manifest.members.get(name) or {}
    final = target / name
    if identity.records(entry, name, size) and _object_size(final) == size:
        log.info("%s is already at %s with its %d bytes: kept", name, final, size)
        return identity.copy(name, size, kept=True, sha256=entry.get("sha256"))
    part = target / transfer.part_name(name)
    digest = hashlib.sha256()
    progress = Progress(size, time.monotonic())
    with part.open("wb", block_size=max(chunk, _MIN_PART_BYTES)) as out:
        for data in _chunks_from_database(hook, directory, name, name, chunk, progress):
            digest.update(data)
            out.write(data)
    sha = digest.hexdigest()
    landed = _object_size(part)
    if landed != size or (verify == "checksum" and _object_sha(part, chunk) != sha):
        part.unlink()
        raise TransferError(
            f"{name} did not arrive intact at {target} ({landed} of {size} bytes)", file_name=name
        )
    part.fs.mv(part.path, final.path)
    return identity.copy(name, size, sha256=sha)


def _chunks_from_database(
    hook: _Files, directory: str, label: str, name: str, chunk: int, progress: Progress
) -> Iterator[bytes]:
    """The file's bytes a chunk per round trip; ``label`` names it in the progress lines."""
    position, last_log = 0, progress.started
    while True:
        call = transfer.read_chunk(directory, name, position=position, max_bytes=chunk)
        piece: DataChunk = hook._retrying(partial(hook.run_call, call))
        if piece.data:
            progress.add(len(piece.data))
            yield piece.data
        position = piece.position
        last_log = _log_progress(progress, label, last_log, done=not piece.data or position >= piece.length)
        if not piece.data or position >= piece.length:
            return


def _log_progress(progress: Progress, name: str, last: float, *, done: bool) -> float:
    now = time.monotonic()
    if done or now - last >= LOG_EVERY_SECONDS:
        log.info("%s", progress.line(name, now))
        return now
    return last


# -- download -----------------------------------------------------------------------------------


def _download_member(
    hook: _Files,
    origin: Any,
    name: str,
    into: tuple[str, SetIdentity],
    expected: dict[str, Any],
    chunk: int,
    verify: str,
) -> MemberCopy:
    """One member into ``<name>.part`` in the directory, renamed once its size, checksum and dump
    GUID are verified. A file already there is kept only when the manifest records the set's
    GUID (without one, nothing says which export the folder holds) and the file has the
    member's size and that GUID."""
    directory, identity = into
    source = origin / name
    size = _object_size(source)
    if size is None or ("size" in expected and expected["size"] != size):
        raise TransferError(f"{source} has {size} bytes, not the {expected.get('size')} its manifest lists")
    if identity.keeps(directory, name, size):
        log.info("%s is already in %s with its %d bytes and the set's dump GUID: kept", name, directory, size)
        return identity.copy(name, size, kept=True, sha256=expected.get("sha256"))
    part = transfer.part_name(name)
    sha = _stream_into_database(hook, source, directory, part, size, chunk)
    problem = _check_landed(hook, directory, part, size, sha, expected, chunk if verify == "checksum" else 0)
    if problem:
        hook.delete_file(directory, part)
        raise TransferError(f"{name} did not arrive intact in {directory}: {problem}", file_name=name)
    identity.prove(directory, part, shown_as=name, remove=True)
    hook.rename_file(directory, part, name)
    return identity.copy(name, size, sha256=sha)


def _stream_into_database(hook: _Files, source: Any, directory: str, part: str, size: int, chunk: int) -> str:
    digest = hashlib.sha256()
    progress = Progress(size, time.monotonic())
    position, last_log = 0, progress.started
    with source.open("rb", **_READ_OPTIONS) as stream:
        while True:
            data = stream.read(chunk)
            if not data and position > 0:
                break
            digest.update(data)
            call = transfer.write_chunk(directory, part, data, position=position)
            position = hook.run_call(call)  # not retried blindly: an append is not idempotent
            progress.add(len(data))
            last_log = _log_progress(progress, part, last_log, done=not data or position >= size)
            if not data:
                break
    return digest.hexdigest()


def _check_landed(
    hook: _Files, directory: str, part: str, size: int, sha: str, expected: dict[str, Any], chunk: int
) -> str | None:
    """What is wrong with a written member, or None; ``chunk`` 0 checks the size only."""
    landed = hook.file_size(directory, part)
    if landed != size:
        return f"{landed} bytes of {size}"
    if "sha256" in expected and expected["sha256"] != sha:
        return "its checksum differs from the manifest's"
    if chunk:
        digest = hashlib.sha256()
        check = f"{part} (read back for its checksum)"  # not a second download of the member
        for data in _chunks_from_database(
            hook, directory, check, part, chunk, Progress(size, time.monotonic())
        ):
            digest.update(data)
        if digest.hexdigest() != sha:
            return "the copy read back has a different checksum"
    return None


# -- object store helpers -----------------------------------------------------------------------


def _manifest_guid(manifest: Manifest | None) -> str | None:
    """The set's GUID by its manifest; a manifest written before it held one names it per member."""
    if manifest is None:
        return None
    return manifest.guid or next((m["guid"] for m in manifest.members.values() if m.get("guid")), None)


def _object_size(path: Any) -> int | None:
    try:
        return int(path.fs.info(path.path)["size"])
    except FileNotFoundError:
        return None


def _object_sha(path: Any, chunk: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb", **_READ_OPTIONS) as stream:
        while data := stream.read(chunk):
            digest.update(data)
    return digest.hexdigest()


def _listed(origin: Any, template: str, where: str) -> list[str]:
    names = [str(p).rstrip("/").rsplit("/", 1)[-1] for p in origin.fs.ls(origin.path, detail=False)]
    return listed_members(template, names, where)


def _read_manifest(folder: Any, template: str) -> Manifest | None:
    path = folder / transfer.manifest_name(template)
    if _object_size(path) is None:
        return None
    with path.open("r") as stream:
        return Manifest.from_json(stream.read())


def _write_manifest(folder: Any, manifest: Manifest) -> None:
    with (folder / transfer.manifest_name(manifest.template)).open("w") as stream:
        stream.write(manifest.to_json())
