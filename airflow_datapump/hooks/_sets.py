"""Is a dump file set in a directory whole? The checks an import precheck and every copy share.

A set may have a hole (``02`` missing, ``03`` there), lack its last member (only the export
log's list shows that: probing stops at the first missing name), come from an export that
failed or still runs (its log's last line), or be a copy that never finished (the marker a
download or copy writes, incomplete until the last member is verified). Each check names the
members at fault. Without the export's log under its default name a missing last member is
not seen here; Oracle's import refuses such a set.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

from airflow_datapump.core import naming, transfer
from airflow_datapump.core.calls import DumpFileInfo
from airflow_datapump.core.names import has_substitution
from airflow_datapump.core.status import Outcome, read_outcome
from airflow_datapump.core.transfer import MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks._moving import Files, read_marker

_UNFINISHED = {
    Outcome.FAILED: "stopped due to a fatal error",
    Outcome.STOPPED: "was stopped before it finished",
    Outcome.UNKNOWN: "has not logged how it ended (still running, or killed)",
}


class Header(NamedTuple):
    """What a member's dump header says of it: one GET_DUMPFILE_INFO call reads all three."""

    guid: str | None  # the export's: every member of one export carries it (None: not a dump)
    job_name: str
    number: int | None  # KU$_DFHDR_FILE_NUMBER: the file's place in its export's set


NOT_A_DUMP = Header(None, "", None)


def set_problems(
    hook: Files,
    directory: str,
    template: str,
    members: list[str],
    *,
    first: Header | None = None,
) -> list[str]:
    """Why the set ``template`` in ``directory`` (its ``members`` found) is not whole; empty if it is.

    ``first`` is the first member's :func:`header` when the caller has read it already.
    """
    guid, job_name, problems = None, "", [f"dump file {template} was not found in directory {directory}"]
    if members:
        guid, job_name, _ = first or header(hook, directory, members[0])
        problems = _gaps(hook, directory, template, len(members))
    log_lines = _export_log(hook, directory, job_name)
    if log_lines is not None:
        named = " ".join(problems)
        unlisted = _unlisted(hook, directory, template, members, log_lines, naming.default_log_file(job_name))
        problems += [p for p in unlisted if p.split(" (")[0] not in named]
        outcome = read_outcome(log_lines).outcome
        if outcome in _UNFINISHED:
            log_file = naming.default_log_file(job_name)
            problems.append(f"the export that wrote {template} ({log_file}) {_UNFINISHED[outcome]}")
    marker = read_marker(hook, directory, template)
    if marker is not None and not (marker.guid and guid and marker.guid != guid):
        problems += marker.problems(members, where=directory)
    return problems


class CheckedSet(NamedTuple):
    members: list[str]
    guid: str | None
    numbers: dict[str, int]  # each member's file number in its export's set, when a dump


def checked_set(hook: Files, directory: str, template: str) -> CheckedSet:
    """The members of a set about to be copied or uploaded, their dump GUID and file numbers
    (for the marker the copy writes); TransferError if the set is not whole or a member is not
    the one its name says.

    A dump file of another export renamed into the set leaves no gap to see; only its dump
    header shows it, and a member of this export under another member's name shows by its file
    number. One GET_DUMPFILE_INFO per member (the first's serves the whole-set check).
    """
    members = hook.dump_file_members(directory, template)
    if not members:
        raise TransferError(f"no dump files {template} in {directory}")
    first = header(hook, directory, members[0])
    problems = set_problems(hook, directory, template, members, first=first)
    if problems:
        raise TransferError(
            f"the set {template} in {directory} is not whole, so it is not moved: " + "; ".join(problems)
        )
    identity = SetIdentity(hook, template, first.guid)
    faults = identity.adopt_or_compare(directory, members, known={members[0]: first})
    if faults:
        name, why = next(iter(faults.items()))
        raise TransferError(
            f"{name} in {directory} is not a member of the set {template}: its {why}; nothing is moved",
            file_name=name,
        )
    return CheckedSet(members, first.guid, identity.numbers)


def listed_members(template: str, names: Collection[str], where: str) -> list[str]:
    """The members of ``template`` in a listing of ``where``; TransferError naming the first
    missing member when the listing shows a gap (``hr_01``, ``hr_03``, no ``hr_02``).

    A listing shows every name at no cost, so a hole is seen before anything is moved, where
    probing ``01``, ``02`` ... (a directory, which cannot be listed) stops at the first one.
    """
    run = transfer.members_run(template, names.__contains__)
    beyond = [n for n in transfer.members_of(template, list(names)) if n not in run]
    if beyond:
        missing = transfer.member_name(template, len(run) + 1)
        raise TransferError(
            f"dump file {missing} is missing from the set {template} in {where} (it has {beyond[0]}); "
            "nothing is moved",
            file_name=missing,
        )
    return run


def proves(recorded: str | None, guid: str | None) -> bool:
    """Whether a GUID ``recorded`` for a copy (by a manifest, or the source's headers) proves it
    is of the set whose GUID is ``guid``: only a GUID proves it; two sets of files that are not
    dumps (None) do not. The one statement of the rule: every keep decision asks it."""
    return guid is not None and recorded == guid


class SetIdentity:
    """What every member of a set must carry, wherever it is moved: the set's dump GUID, and the
    file number of the member it is named as. The one check of all movers, for members kept
    because they were already there and for members just copied.

    Size proves nothing (two exports of one schema often have same-size members, so yesterday's
    member kept as today's is a silent wrong restore); the header's GUID proves the export, and
    its file number the member (every member of one export carries the same GUID). A file
    already at the destination is kept only when ``recorded_guid`` was recorded by the source
    of truth (the source set's headers, or a manifest that records one), see :func:`proves`:
    without one, the files there could be a whole stale set of one export, and the first read
    would lend its GUID to all. Copies just made are still checked: with nothing recorded, the
    first one's GUID is adopted and the others must carry the same (one export, if not a known
    one).

    ``numbers`` are the members' file numbers where recorded. Where not, the numbers must rise
    with the members' own (checked in member order): Oracle numbers the files across all of an
    export's templates, so ``a_%U`` and ``b_%U`` of one export interleave and a member's number
    need not equal its place in its template.
    """

    def __init__(
        self, hook: Files, template: str, recorded_guid: str | None, numbers: dict[str, int] | None = None
    ) -> None:
        self.hook, self.template = hook, template
        self.recorded_guid = recorded_guid
        self.guid = recorded_guid  # the recorded one, else the first member's once read
        self.numbers = dict(numbers or {})
        self._adopted = recorded_guid is not None
        self._last = 0  # the file number of the member checked last

    def keeps(self, directory: str, name: str, size: int) -> bool:
        """Whether the file ``name`` already in ``directory`` may stand for the member of ``size``
        bytes: only when :func:`proves` says the recorded GUID is the file's, and the file has the
        size and the member's file number (no round trip when no GUID was recorded, which proves
        nothing; the header is read only at that size)."""
        if self.recorded_guid is None or self.hook.file_size(directory, name) != size:
            return False
        found = header(self.hook, directory, name)
        if not proves(self.recorded_guid, found.guid) or self._misplaced(name, found.number):
            return False
        self._accept(name, found.number)
        return True

    def adopt_or_compare(
        self, directory: str, names: list[str], *, known: dict[str, Header] | None = None
    ) -> dict[str, str]:
        """The files among ``names`` (in member order) that are not the members they are named as,
        each with what its header holds instead (``dump GUID ...``, ``file number ...``).

        With no GUID recorded, the first file's is adopted as the set's: this mutates the
        identity, whose later checks and :attr:`guid` then use it. ``known``: headers the caller
        has read already.
        """
        faults: dict[str, str] = {}
        for name in names:
            found = (known or {}).get(name) or header(self.hook, directory, name)
            if not self._adopted:
                self.guid, self._adopted = found.guid, True
            why = self._fault(name, found)
            if why:
                faults[name] = why
            else:
                self._accept(name, found.number)
        return faults

    def prove(self, directory: str, name: str, *, shown_as: str | None = None, remove: bool = False) -> None:
        """TransferError unless the file ``name`` (a member, or its copy under a temporary name
        ``shown_as`` the member) is that member of the set; with ``remove`` a wrong one is
        deleted first."""
        member = shown_as or name
        found = {member: header(self.hook, directory, name)}
        for why in self.adopt_or_compare(directory, [member], known=found).values():
            if remove:
                self.hook.delete_file(directory, name)
            raise TransferError(
                f"{member} in {directory} is not of the set {self.template}: its {why}; "
                + ("the copy was removed" if remove else "nothing was changed"),
                file_name=member,
            )

    def records(self, entry: dict[str, Any], name: str, size: int) -> bool:
        """Whether a manifest's ``entry`` for an object already at the destination records the
        member ``name`` of ``size`` bytes of this set: its size, a GUID that :func:`proves` it,
        and its file number where the entry has one (a manifest of older versions has none)."""
        number = self.numbers.get(name)
        same = entry.get("size") == size and entry.get("file_number", number) == number
        return same and proves(entry.get("guid"), self.guid)

    def copy(self, name: str, size: int, *, kept: bool = False, sha256: str | None = None) -> MemberCopy:
        """The record of the member ``name`` once kept or proved: the set's GUID, its file number."""
        return MemberCopy(name, size, kept, sha256, self.guid, self.numbers.get(name))

    def _fault(self, name: str, found: Header) -> str | None:
        if found.guid != self.guid:
            return f"dump GUID {found.guid}, not the set's {self.guid}"
        return self._misplaced(name, found.number)

    def _misplaced(self, name: str, number: int | None) -> str | None:
        """Why a file of the set's export is not the member ``name``, by its file ``number``."""
        if number is None or self.guid is None:
            return None  # not a dump: it has no file number to compare
        wanted = self.numbers.get(name)
        if wanted is not None and number != wanted:
            return f"file number {number} in the export, not {name}'s {wanted}"
        if wanted is None and number <= self._last:
            return f"file number {number} in the export, not one after {self._last}, the member's before"
        return None

    def _accept(self, name: str, number: int | None) -> None:
        if number is not None:
            self.numbers.setdefault(name, number)
            self._last = max(self._last, number)


def header(hook: Files, directory: str, name: str) -> Header:
    """A file's dump GUID, exporting job's name and file number; :data:`NOT_A_DUMP` if not a dump."""
    try:
        info = hook.dumpfile_info(directory, name)
    except DatabaseCallError as error:
        if error.code != "ORA-39211":
            raise
        return NOT_A_DUMP
    return header_of(info)


def header_of(info: DumpFileInfo) -> Header:
    if not info.is_datapump:
        return NOT_A_DUMP
    number = info.get("file_number") or ""
    job_name = (info.get("job_name") or "").split(".")[-1].strip('"')
    return Header(info.get("guid"), job_name, int(number) if number.strip().isdigit() else None)


def _export_log(hook: Files, directory: str, job_name: str) -> list[str] | None:
    """The export's log lines when it is in ``directory`` under its default name."""
    if not job_name:
        return None
    log_file = naming.default_log_file(job_name)
    if hook.file_size(directory, log_file) is None:
        return None
    return hook.read_file(directory, log_file)[0].splitlines()


def _gaps(hook: Files, directory: str, template: str, found: int) -> list[str]:
    """Members after the first missing one mean the set has a hole (probe a few further)."""
    if not has_substitution(template):
        return []
    for number in range(found + 2, found + 5):
        name = transfer.member_name(template, number)
        if hook.file_size(directory, name) is not None:
            missing = transfer.member_name(template, found + 1)
            return [f"dump file {missing} is missing from the set {template} (it has {name})"]
    return []


def _unlisted(
    hook: Files, directory: str, template: str, members: list[str], lines: list[str], log_file: str
) -> list[str]:
    """Members the export's log lists but the directory lacks: a missing LAST member."""
    if not has_substitution(template):
        return []
    return [
        f"dump file {name} is missing from the set {template} (the export log {log_file} lists it)"
        for name in transfer.members_of(template, transfer.dump_files_logged(lines))
        if name not in members and hook.file_size(directory, name) is None
    ]
