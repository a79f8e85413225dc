"""Files in directory objects, read and moved over SQL*Net: logs, dump files, pre-checks.

There is no way to list a directory through SQL on a plain database (reference §7.4), so the
members of a ``%U`` set are found by probing ``01``, ``02`` ... with FGETATTR until one is
missing. Logs are read as CLOBs from a byte offset (§11.5), at most one round trip per chunk
of up to 8 MB, plus the LOB read that fetches it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable, Generator
from functools import partial
from typing import Any, Literal, TypeVar

from airflow_datapump.core import calls, cloud, logtail, transfer
from airflow_datapump.core.calls import Call, DumpFileInfo, FileAttributes, FileChunk
from airflow_datapump.core.contents import DumpContents, objects_in
from airflow_datapump.core.events import rows_moved
from airflow_datapump.core.logtail import LogPage
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.transfer import MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, SpecError, TransferError
from airflow_datapump.hooks import _sets
from airflow_datapump.hooks._moving import DirectoryMarker

log = logging.getLogger(__name__)
T = TypeVar("T")
# Dump file format each release reads (public code and Oracle's notes; see docs/emulator.md).
_FORMATS = (
    ((12, 2), "5.1"),
    ((12, 1), "4.1"),
    ((11, 2), "3.1"),
    ((11, 1), "2.1"),
    ((10, 2), "1.1"),
    ((10, 1), "0.1"),
)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:5])


def format_read_by(release: str) -> str:
    """The newest dump file format a database release reads, e.g. ``19.0.0.0.0`` -> ``5.1``."""
    numbers = _version(release)[:2]
    return next((fmt for since, fmt in _FORMATS if numbers >= since), "0.1")


FILE_TYPES = {
    0: "not a Data Pump dump file",
    2: "an original export (exp) file, not a Data Pump dump",
    3: "an external table file",
}


def chunked_read(
    directory: str, file_name: str, position: int
) -> Generator[Call[FileChunk], FileChunk, tuple[str, int]]:
    """The chunks of a file from byte ``position`` to its end: yields each read call, is sent
    its chunk back, and returns the text and the offset after it.

    The one chunk loop, apart from how a call is run, so the sync and the async read of a
    log cannot disagree on where it ends.
    """
    parts: list[str] = []
    while True:
        chunk = yield calls.read_file(directory, file_name, position=position)
        parts.append(chunk.text)
        position = chunk.position
        if not chunk.text or position >= chunk.length:
            return "".join(parts), position


class FilesMixin:
    """File operations of :class:`~airflow_datapump.hooks.datapump.DatapumpHook`."""

    run_call: Callable[[Call[Any]], Any]
    arun_call: Callable[[Call[Any]], Any]
    _retrying: Callable[[Callable[[], Any]], Any]
    _aretrying: Callable[[Callable[[], Any]], Any]
    submit: Callable[..., JobRef]
    wait: Callable[..., Any]

    def dumpfile_info(self, directory: str, file_name: str) -> DumpFileInfo:  # defined by the hook
        raise NotImplementedError

    def file_attributes(self, directory: str, file_name: str) -> FileAttributes:  # defined by the hook
        raise NotImplementedError

    def read_file(self, directory: str, file_name: str, *, position: int = 0) -> tuple[str, int]:
        """The file from byte ``position`` to its end, and the offset after it."""
        reading = chunked_read(directory, file_name, position)
        try:
            call = next(reading)
            while True:
                call = reading.send(self._retrying(partial(self.run_call, call)))
        except StopIteration as done:
            result: tuple[str, int] = done.value
            return result

    async def aread_file(self, directory: str, file_name: str, *, position: int = 0) -> tuple[str, int]:
        """The async :meth:`read_file`: the same chunks, each call awaited."""
        reading = chunked_read(directory, file_name, position)
        try:
            call = next(reading)
            while True:
                call = reading.send(await self._aretrying(partial(self.arun_call, call)))
        except StopIteration as done:
            result: tuple[str, int] = done.value
            return result

    def read_range(self, directory: str, file_name: str, position: int, size: int) -> str:
        """``size`` bytes of the file from byte ``position``: one round trip, however large the file."""
        call = calls.read_file(directory, file_name, position=position, max_bytes=size)
        chunk: FileChunk = self._retrying(partial(self.run_call, call))
        return chunk.text

    def read_log_page(
        self, directory: str, file_name: str, *, lines: int, before: int | None = None
    ) -> LogPage | None:
        """The last ``lines`` lines before byte ``before`` (the end when None); None if no file.
        A pre-authenticated request's token in a line (a URI dump file's) is shown as ``***``.

        Read backwards in bounded chunks (:mod:`airflow_datapump.core.logtail`): the cost of a
        page follows the lines asked for, not the size of the log.
        """
        attributes = self.file_attributes(directory, file_name)
        if not attributes.exists:
            return None
        reader = logtail.TailReader(attributes.length, lines, before)
        while (span := reader.next_range()) is not None:
            reader.feed(self.read_range(directory, file_name, *span))
        page = reader.page()
        return dataclasses.replace(page, lines=tuple(cloud.redacted_uri(line) for line in page.lines))

    def read_log(self, job: JobRef, *, tail_lines: int | None = None) -> str:
        """The job's whole log, or its last ``tail_lines`` lines (none for 0)."""
        if tail_lines is not None and (
            not isinstance(tail_lines, int) or isinstance(tail_lines, bool) or tail_lines < 0
        ):
            raise SpecError(
                "tail_lines", tail_lines, "a whole number of lines >= 0, or None for the whole log"
            )
        if tail_lines == 0 or job.log_file is None or job.log_directory is None:
            return ""
        if tail_lines is not None:
            page = self.read_log_page(job.log_directory, job.log_file, lines=tail_lines)
            if page is not None:  # a missing log fails below, as reading the whole one does
                return "\n".join(page.lines)
        return cloud.redacted_uri(self.read_file(job.log_directory, job.log_file)[0])

    def file_exists(self, directory: str, file_name: str) -> bool:
        return self.file_attributes(directory, file_name).exists

    def file_size(self, directory: str, file_name: str) -> int | None:
        attributes = self.file_attributes(directory, file_name)
        return attributes.length if attributes.exists else None

    def delete_file(self, directory: str, file_name: str) -> bool:
        """FREMOVE the file; False when there was nothing to delete."""
        if not self.file_exists(directory, file_name):
            return False
        self.delete_listed(directory, file_name)
        return True

    def dump_file_members(self, directory: str, template: str) -> list[str]:
        """The files a dump file name stands for: itself, or the ``%U``/``%L`` members that exist."""
        return transfer.members_run(template, partial(self.file_exists, directory))

    def delete_copied(self, directory: str, names: list[str], why: str) -> None:
        """Delete the sources of a transfer, called only once every copy is verified."""
        for name in names:
            self.delete_file(directory, name)
            log.info("Deleted %s from %s after %s", name, directory, why)

    def delete_dump_files(
        self, directory: str, template: str, *, members: list[str] | None = None
    ) -> list[str]:
        """Delete the members of a dump file set; each is probed once, by dump_file_members,
        unless the caller names the ``members`` it checked (nothing else is then deleted).

        The set's marker, if a copy left one, goes too: kept, it would speak for the next set
        of that name.
        """
        members = self.dump_file_members(directory, template) if members is None else members
        for member in members:
            self.delete_listed(directory, member)
        self.delete_file(directory, transfer.manifest_name(template))
        return members

    def delete_listed(self, directory: str, file_name: str) -> None:
        """FREMOVE a file the caller has just found there (a listing, a probe): no probe first."""
        self._retrying(lambda: self.run_call(calls.delete_file(directory, file_name)))

    def precheck_import(self, spec: JobSpec) -> list[str]:
        """Problems with an import's dump files, named one by one; empty when they look right.

        Checks that each file exists and is a Data Pump dump (not a classic exp file), that the
        set is whole (hooks/_sets.py: no gap, no member its export log lists missing, not from a
        failed export, not a copy whose marker is incomplete), that all files come from one
        export, and that the dump format is not newer than this database reads.
        """
        problems: list[str] = []
        guids: dict[str, str] = {}
        readable = format_read_by(self.server_version())
        for directory, template in spec.dump_locations():
            members = self.dump_file_members(directory, template)
            first = _sets.NOT_A_DUMP
            member_problems: list[str] = []
            for member in members:
                try:
                    info = self.dumpfile_info(directory, member)
                except DatabaseCallError as error:
                    # Oracle may refuse a non-dump file with NO_DUMPFILE_INFO instead of
                    # answering filetype 0 (§2.17 leaves it open): the same problem either way.
                    if error.code != "ORA-39211":
                        raise
                    member_problems.append(f"{member} is not a Data Pump dump file (ORA-39211)")
                    continue
                if not info.is_datapump:
                    kind = FILE_TYPES.get(info.file_type, "not a Data Pump dump file")
                    member_problems.append(f"{member} is {kind}")
                    continue
                version = info.get("file_version") or "0"
                if _version(version) > _version(readable):
                    member_problems.append(
                        f"{member} has dump format {version}, newer than this database reads ({readable}); "
                        "export it again with version set to this database's release"
                    )
                guids.setdefault(info.get("guid") or "", member)
                if member == members[0]:
                    first = _sets.header_of(info)
            problems += _sets.set_problems(self, directory, template, members, first=first)
            problems += member_problems
        if len(guids) > 1:
            problems.append("the dump files belong to different exports: " + ", ".join(guids.values()))
        return problems

    def dump_contents(
        self,
        directory: str,
        dump_files: list[str],
        *,
        export_log: str | None = None,
        poll_interval: float = 5.0,
        timeout: float | None = 3600.0,
    ) -> DumpContents:
        """What a dump file set holds, before anything is imported from it.

        The first member's header (GET_DUMPFILE_INFO); every object, found by a SQL_FILE job
        over the whole set (it writes DDL to a script and changes nothing; the script and its
        log are deleted after reading); and, when ``export_log`` names the export's log in
        ``directory``, the rows per table it reports.
        """
        members = [m for t in dump_files for m in self.dump_file_members(directory, t)]
        if not members:
            raise TransferError(f"no dump files {', '.join(dump_files)} in {directory}")
        info = self.dumpfile_info(directory, members[0])
        header = {name: value for code, value in info.items.items() if (name := info.ITEM_NAMES.get(code))}
        name = "SQLF_" + hashlib.sha256(f"{directory}/{members}".encode()).hexdigest()[:12].upper()
        spec = JobSpec("SQL_FILE", "FULL", directory=directory, dump_files=dump_files, job_name=name)
        job = self.submit(spec, job_name=name)
        try:
            result = self.wait(job, poll_interval=poll_interval, timeout=timeout)
            if result.verdict.value != "succeeded":
                raise TransferError(f"the SQL_FILE job {name} over {', '.join(dump_files)} did not succeed")
            sql, _ = self.read_file(directory, f"{name}.sql")
        finally:
            for leftover in (f"{name}.sql", job.log_file):
                if leftover:
                    self.delete_file(job.log_directory or directory, leftover)
        rows = rows_moved(self.read_file(directory, export_log)[0].splitlines()) if export_log else {}
        return DumpContents(members, header, objects_in(sql), rows)

    def server_version(self) -> str:
        raise NotImplementedError  # defined by the hook

    def copy_files(
        self,
        files: list[str],
        *,
        link: str,
        direction: Literal["get", "put"],
        source_directory: str,
        destination_directory: str,
        destination_suffix: str = "",
    ) -> list[str]:
        """DBMS_FILE_TRANSFER.GET_FILE or PUT_FILE each file over a database link (§7.5).

        Each lands as its name plus ``destination_suffix`` (copy_dump_files writes ``.part``
        files and renames them once verified).
        """
        for name in files:
            call = calls.transfer_file(
                direction,
                link=link,
                source=(source_directory, name),
                destination=(destination_directory, name + destination_suffix),
            )
            log.info("Copying %s over %s (%s)", name, link, direction)
            self.run_call(call)
        return files

    def rename_file(self, directory: str, file_name: str, new_name: str) -> None:
        """FRENAME within a directory, replacing a file of the new name."""
        self._retrying(lambda: self.run_call(transfer.rename_file(directory, file_name, new_name)))

    def copy_dump_files(
        self,
        dump_files: list[str],
        *,
        remote: FilesMixin,
        link: str,
        direction: Literal["get", "put"] = "get",
        source_directory: str,
        destination_directory: str,
        delete_source: bool = False,
    ) -> list[MemberCopy]:
        """Copy every member of dump file sets over a database link, verified and retry-safe.

        This hook's database runs DBMS_FILE_TRANSFER: with ``get`` it is the destination and
        pulls from ``remote`` (a hook on the source, which ``link`` reaches); with ``put`` it is
        the source. Every source member must carry the first one's dump GUID. A member already
        at the destination with the source's size and the set's dump GUID is kept (a set that
        is not dumps has no GUID to prove it by, so it is copied whole); any other is
        copied to ``<name>.part``, its size checked on both ends and its GUID proved, then
        renamed. Source members are deleted, when asked, only after every member is verified.
        """
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        source, destination = (remote, self) if direction == "get" else (self, remote)
        sets = {t: _sets.checked_set(source, source_directory, t) for t in dump_files}
        copied: list[MemberCopy] = []
        for template, (members, guid, numbers) in sets.items():
            marker = DirectoryMarker(destination, destination_directory, template, members, guid)
            identity = _sets.SetIdentity(destination, template, guid, numbers)
            for name in members:
                member = self._copy_member(
                    source,
                    destination,
                    name,
                    link,
                    direction,
                    (source_directory, destination_directory),
                    identity,
                )
                marker.verified(member)
                copied.append(member)
            marker.finish()
        if delete_source:
            source.delete_copied(source_directory, [m.name for m in copied], "its copy was verified")
        return copied

    def _copy_member(
        self,
        source: FilesMixin,
        destination: FilesMixin,
        name: str,
        link: str,
        direction: Literal["get", "put"],
        directories: tuple[str, str],
        identity: _sets.SetIdentity,
    ) -> MemberCopy:
        """One member over the link to ``<name>.part``, its size and dump GUID checked, then renamed."""
        source_directory, destination_directory = directories
        size = source.file_size(source_directory, name) or 0
        if identity.keeps(destination_directory, name, size):
            log.info(
                "%s is already in %s with its %d bytes and the set's dump GUID: kept",
                name,
                destination_directory,
                size,
            )
            return identity.copy(name, size, kept=True)
        part = transfer.part_name(name)
        destination.delete_file(destination_directory, part)  # an interrupted try's
        self.copy_files(
            [name],
            link=link,
            direction=direction,
            source_directory=source_directory,
            destination_directory=destination_directory,
            destination_suffix=transfer.PART_SUFFIX,
        )
        landed = destination.file_size(destination_directory, part)
        if landed != size:
            destination.delete_file(destination_directory, part)
            raise TransferError(
                f"{name} arrived with {landed} bytes of {size}; the partial copy was removed", file_name=name
            )
        identity.prove(destination_directory, part, shown_as=name, remove=True)
        destination.rename_file(destination_directory, part, name)
        return identity.copy(name, size)
