"""Is a dump file set in a directory whole? The checks an import precheck and every copy share.

A set may have a hole (``02`` missing, ``03`` there), lack its last member (only the export
log's list shows that: probing stops at the first missing name), come from an export that
failed or still runs (its log's last line), or be a copy that never finished (the marker a
download or copy writes, incomplete until the last member is verified). Each check names the
members at fault. Without the export's log under its default name a missing last member is
not seen here; Oracle's import refuses such a set.
"""

from __future__ import annotations

from airflow_datapump.core import naming, transfer
from airflow_datapump.core.calls import DumpFileInfo
from airflow_datapump.core.names import has_substitution
from airflow_datapump.core.status import Outcome, read_outcome
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks._moving import Files, read_marker

_UNFINISHED = {
    Outcome.FAILED: "stopped due to a fatal error",
    Outcome.STOPPED: "was stopped before it finished",
    Outcome.UNKNOWN: "has not logged how it ended (still running, or killed)",
}


def set_problems(
    hook: Files,
    directory: str,
    template: str,
    members: list[str],
    *,
    first: tuple[str | None, str] | None = None,
) -> list[str]:
    """Why the set ``template`` in ``directory`` (its ``members`` found) is not whole; empty if it is.

    ``first`` is the first member's :func:`header` when the caller has read it already.
    """
    guid, job_name, problems = None, "", [f"dump file {template} was not found in directory {directory}"]
    if members:
        guid, job_name = first or header(hook, directory, members[0])
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


def checked_set(hook: Files, directory: str, template: str) -> tuple[list[str], str | None]:
    """The members of a set about to be copied or uploaded, and its dump GUID (for the marker
    the copy writes); TransferError if the set is not whole or a member is of another export.

    A dump file of another export renamed into the set leaves no gap to see; only its dump
    header shows it. One GET_DUMPFILE_INFO per member (the first's serves the whole-set check).
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
    guid = first[0]
    strange = strangers(hook, directory, members[1:], guid)
    if strange:
        name, theirs = next(iter(strange.items()))
        raise TransferError(
            f"{name} in {directory} is not a member of the set {template}: its dump GUID "
            f"{theirs} is not {guid}, that of {members[0]}; nothing is moved",
            file_name=name,
        )
    return members, guid


def strangers(hook: Files, directory: str, names: list[str], guid: str | None) -> dict[str, str | None]:
    """The files among ``names`` whose dump GUID is not the set's ``guid``, with the one each has
    (None: not a dump file). A name says nothing about which export wrote a file; this does."""
    found = {name: header(hook, directory, name)[0] for name in names}
    return {name: theirs for name, theirs in found.items() if theirs != guid}


def proves(recorded: str | None, guid: str | None) -> bool:
    """Whether a GUID ``recorded`` for a copy (by a manifest) proves it is of the set whose GUID
    is ``guid``: only a GUID proves it; two sets of files that are not dumps (None) do not."""
    return guid is not None and recorded == guid


class SetIdentity:
    """The dump GUID every member of a set must carry, wherever it is moved: the one check of all
    movers, for members kept because they were already there and for members just copied.

    Size proves nothing (two exports of one schema often have same-size members, so yesterday's
    member kept as today's is a silent wrong restore); the header's GUID does. ``recorded`` says
    whether ``guid`` was recorded by the source of truth (the source set's headers, or a manifest
    that records one). Only then is a file already at the destination kept, when it carries that
    GUID: without one, the files there could be a whole stale set of one export, and the first
    read would lend its GUID to all. Copies just made are still proved: when nothing recorded
    the GUID, the first one gives it and the others must carry the same (one export, if not a
    known one).
    """

    def __init__(self, hook: Files, template: str, guid: str | None, *, recorded: bool) -> None:
        self.hook, self.template = hook, template
        self.guid, self.recorded = guid, recorded
        self.can_keep = recorded and guid is not None  # decided now: a GUID read later is no record

    def keeps(self, directory: str, name: str, size: int) -> bool:
        """Whether the file ``name`` already in ``directory`` may stand for the member of ``size``
        bytes: only when the set's GUID was recorded and the file has the size and carries the
        GUID (no round trip when nothing was recorded; the header is read only at that size)."""
        return (
            self.can_keep
            and self.hook.file_size(directory, name) == size
            and not self.strangers(directory, [name])
        )

    def strangers(self, directory: str, names: list[str]) -> dict[str, str | None]:
        """The files among ``names`` not carrying the set's GUID, with the one each has."""
        if not self.recorded and names:
            self.guid, self.recorded = header(self.hook, directory, names[0])[0], True
            return strangers(self.hook, directory, names[1:], self.guid)
        return strangers(self.hook, directory, names, self.guid)

    def prove(self, directory: str, name: str, *, shown_as: str | None = None, remove: bool = False) -> None:
        """TransferError unless the file ``name`` (a member, or its copy under a temporary name
        ``shown_as`` the member) carries the set's GUID; with ``remove`` a stranger is deleted first."""
        for theirs in self.strangers(directory, [name]).values():
            if remove:
                self.hook.delete_file(directory, name)
            raise TransferError(
                f"{shown_as or name} in {directory} is not of the set {self.template}: its dump GUID "
                f"{theirs} is not the set's {self.guid}; "
                + ("the copy was removed" if remove else "nothing was changed"),
                file_name=shown_as or name,
            )


def header(hook: Files, directory: str, name: str) -> tuple[str | None, str]:
    """The first member's dump GUID and exporting job's name; (None, "") for a non-dump file."""
    try:
        info = hook.dumpfile_info(directory, name)
    except DatabaseCallError as error:
        if error.code != "ORA-39211":
            raise
        return None, ""
    return header_of(info)


def header_of(info: DumpFileInfo) -> tuple[str | None, str]:
    if not info.is_datapump:
        return None, ""
    return info.get("guid"), (info.get("job_name") or "").split(".")[-1].strip('"')


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
