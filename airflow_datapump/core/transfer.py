"""Moving dump files: the calls that stream a file in chunks, and the rules a copy follows.

Pure values and logic, no I/O: the hook runs the calls and talks to object storage. The rules
are a DBA's: a member is written under a temporary name (``<name>.part``) and gets its final
name only after its size (and checksum, where the copy passes through the worker) is checked,
so a final name always means a complete copy and anything half-copied is visibly unfinished;
a manifest written after the last member says the whole set arrived.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from airflow_datapump.core import plsql
from airflow_datapump.core.calls import Call, Out, Rows, Values
from airflow_datapump.core.names import SUBSTITUTION, file_name, has_substitution

PART_SUFFIX = ".part"
MANIFEST_SUFFIX = ".manifest.json"
DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024  # per round trip; memory held is about one chunk
MIN_CHUNK_BYTES = 1024 * 1024
MAX_CHUNK_BYTES = 256 * 1024 * 1024
VERIFY_CHOICES = ("checksum", "size")


def member_name(template: str, number: int) -> str:
    """The ``number``-th member a template stands for: itself when it has no substitution."""
    return SUBSTITUTION.sub(f"{number:02d}", template)


def part_name(member: str) -> str:
    """Where a member is written until it is verified."""
    return member + PART_SUFFIX


def manifest_name(template: str) -> str:
    """The manifest of a set, named after its template (``hr_%U.dmp.manifest.json``)."""
    return SUBSTITUTION.sub("XX", template) + MANIFEST_SUFFIX


def template_pattern(template: str) -> re.Pattern[str]:
    """The member names a template stands for: ``%U`` two digits, ``%L`` two or more."""
    pieces = re.split(r"(%[UuLl])", template)
    regex = "".join(
        (r"\d{2}" if p.upper() == "%U" else r"\d{2,}") if SUBSTITUTION.fullmatch(p) else re.escape(p)
        for p in pieces
    )
    return re.compile(regex + r"\Z")


def members_of(template: str, names: list[str]) -> list[str]:
    """Every name (from a listing) that is a member of ``template``, in member order: "all"."""
    pattern = template_pattern(template)
    return sorted((n for n in names if pattern.match(n)), key=lambda n: (len(n), n))


def members_run(template: str, present: Callable[[str], bool]) -> list[str]:
    """The members of ``template`` from ``01`` up to the first that is not ``present``: the "run".

    ``present`` answers for one name: a probe of a directory (which cannot be listed), or a
    listing's ``__contains__``. ``%U`` stops at 99; a template without a substitution variable
    stands for itself alone.
    """
    if not has_substitution(template):
        return [template] if present(template) else []
    limit = 100 if "%U" in template.upper() else 10000
    found: list[str] = []
    for number in range(1, limit):
        name = member_name(template, number)
        if not present(name):
            break
        found.append(name)
    return found


_LOGTIME = re.compile(r"^\d{2}-[A-Z]{3}-\d{2} [\d:.]+: ")


def dump_files_logged(lines: list[str]) -> list[str]:
    """The file names an export log lists after ``Dump file set for ... is:``, paths dropped.

    Probing ``01``, ``02`` ... stops at the first missing member, so only this list (the
    export's own, the master table's view of the set) shows that the last member is gone.
    Lines may carry a LOGTIME prefix; the list ends at the first line that is not a path.
    """
    names: list[str] = []
    listing = False
    for raw in lines:
        line = _LOGTIME.sub("", raw).rstrip()
        if line.startswith("Dump file set for ") and line.endswith(" is:"):
            listing = True
            continue
        if listing:
            if not line.startswith((" ", "\t")) or not line.strip():
                listing = False
                continue
            names.append(re.split(r"[/\\]", line.strip())[-1])
    return names


def check_dump_files(field: str, value: Sequence[str] | str) -> list[str]:
    """The names of the sets to move, each checked as Data Pump checks a DUMPFILE (no path,
    %U/%L only): refused by ``field``, value and what is allowed before any database call."""
    from airflow_datapump.exceptions import SpecError

    files = [value] if isinstance(value, str) else list(value) if isinstance(value, Sequence) else [None]
    if not files or not all(isinstance(f, str) and f for f in files):
        raise SpecError(field, value, "one or more dump file names or templates (hr_%U.dmp)")
    for i, f in enumerate(files):
        if ":" in f:  # an export's DIR:file entry
            raise SpecError(
                f"{field}[{i}]",
                f,
                "a file name in this task's directory; dump files in several directory objects "
                "are moved by one task per directory",
            )
    return [file_name(f, f"{field}[{i}]", substitution=True) for i, f in enumerate(files)]


def check_chunk_bytes(value: int) -> int:
    from airflow_datapump.exceptions import SpecError

    if not isinstance(value, int) or not MIN_CHUNK_BYTES <= value <= MAX_CHUNK_BYTES:
        raise SpecError(
            "chunk_bytes", value, f"a whole number of bytes from {MIN_CHUNK_BYTES} to {MAX_CHUNK_BYTES}"
        )
    return value


def check_verify(value: str) -> str:
    from airflow_datapump.exceptions import SpecError

    if value not in VERIFY_CHOICES:
        raise SpecError("verify", value, f"one of {', '.join(VERIFY_CHOICES)}")
    return value


# -- calls --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataChunk:
    data: bytes
    position: int  # byte offset after this chunk
    length: int  # the file's length in bytes


def read_chunk(directory: str, file_name: str, *, position: int, max_bytes: int) -> Call[DataChunk]:
    """Up to ``max_bytes`` of a file from byte ``position``: see :data:`.plsql.READ_CHUNK`."""
    binds = {"directory": directory, "file_name": file_name, "position": position, "max_bytes": max_bytes}

    def parse(values: Values, rows: Rows) -> DataChunk:
        data = bytes(values.get("chunk") or b"")
        return DataChunk(data, position + len(data), int(values.get("file_length") or 0))

    outs = {"chunk": Out("blob"), "file_length": Out("number")}
    return Call(plsql.READ_CHUNK, binds, parse, outs)


def write_chunk(directory: str, file_name: str, data: bytes, *, position: int) -> Call[int]:
    """Append ``data`` to a file (create it when ``position`` is 0); the file's new length."""
    binds = {"directory": directory, "file_name": file_name, "chunk": data, "position": position}

    def parse(values: Values, rows: Rows) -> int:
        return int(values.get("file_length") or 0)

    return Call(plsql.WRITE_CHUNK, binds, parse, {"file_length": Out("number")}, blob_binds=("chunk",))


def rename_file(directory: str, file_name: str, new_name: str) -> Call[None]:
    binds = {"directory": directory, "file_name": file_name, "new_name": new_name}
    return Call(plsql.RENAME_FILE, binds, lambda v, r: None)


# -- what a copy did -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberCopy:
    """One member of a set after a copy: ``kept`` when a verified copy was already there."""

    name: str
    size: int
    kept: bool = False
    sha256: str | None = None
    guid: str | None = None
    file_number: int | None = None  # its number in its export's set, by its dump header

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


MARKER_STATES = ("incomplete", "complete")


@dataclass
class Manifest:
    """A set's marker: the members it must have, those verified so far, and its state.

    Written as ``incomplete``, with every expected member named, before the first member
    lands, and made ``complete`` after the last is verified: an object store folder (beside
    an upload) or a directory object (after a download or copy) holding it says whether the
    set there is whole. ``members`` holds the verified ones (size, checksum, dump GUID).
    """

    template: str
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    complete: bool = False
    expected: list[str] = field(default_factory=list)
    guid: str | None = None  # the set's dump GUID when known: a marker of another set is stale
    # A download's record of the files it found beside the set before its first task: not its
    # own, so a retry leaves them alone and removes only what the download itself brought.
    preexisting: list[str] | None = None

    def file_numbers(self) -> dict[str, int]:
        """The members' file numbers as recorded (a manifest written before they were has none)."""
        found = {n: m.get("file_number") for n, m in self.members.items()}
        return {n: number for n, number in found.items() if isinstance(number, int)}

    @property
    def state(self) -> str:
        return MARKER_STATES[self.complete]

    def to_json(self) -> str:
        raw = {"template": self.template, "state": self.state, "expected": self.expected, "guid": self.guid}
        if self.preexisting is not None:
            raw["preexisting"] = self.preexisting
        return json.dumps({**raw, "members": self.members}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        complete = raw["state"] == "complete" if "state" in raw else bool(raw.get("complete"))
        members = dict(raw.get("members") or {})
        expected = list(raw.get("expected") or members)
        before = raw.get("preexisting")
        preexisting = None if before is None else [str(name) for name in before]
        return cls(str(raw["template"]), members, complete, expected, raw.get("guid"), preexisting)

    def upload_problem(self, where: str, found: list[str] | None = None) -> str | None:
        """Why a download from ``where`` (holding ``found``, when listed) must not start; None if whole."""
        if not self.complete:
            missing = [n for n in self.expected if n not in self.members]
            return (
                f"the upload of {self.template} to {where} did not finish (its manifest is incomplete); "
                f"not recorded as uploaded: {', '.join(missing) or 'none, but it was not marked complete'}"
            )
        gone = [n for n in self.expected if found is not None and n not in found]
        if gone:
            return (
                f"{', '.join(gone)} of the set {self.template} are not in {where} (its manifest lists them)"
            )
        return None

    def problems(self, present: list[str], *, where: str) -> list[str]:
        """Why the set in ``where`` (its members ``present``) must not be used; empty if whole.

        An incomplete marker names the members still missing (those present are not verified
        either); a complete one must list exactly the members found.
        """
        marker = manifest_name(self.template)
        if not self.complete:
            missing = [n for n in self.expected if n not in present]
            return [
                f"the copy of {self.template} into {where} did not finish (its marker {marker} is "
                + (f"incomplete); missing: {', '.join(missing)}" if missing else "incomplete)")
            ]
        missing = [n for n in self.expected if n not in present]
        extra = [n for n in present if n not in self.expected]
        problems = [
            f"dump file {n} is missing from the set {self.template} ({marker} lists it)" for n in missing
        ]
        if extra:
            problems.append(f"{', '.join(extra)} in {where} are not in the set's marker {marker}")
        return problems


class Progress:
    """Bytes moved and the rate, for the task log; the caller supplies the clock."""

    def __init__(self, total: int, started: float) -> None:
        self.total = total
        self.started = started
        self.done = 0

    def add(self, count: int) -> None:
        self.done += count

    def line(self, name: str, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        rate = _size(int(self.done / elapsed))
        return f"{name}: {_size(self.done)} of {_size(self.total)}{share}, {rate}/s"


def _size(count: int) -> str:
    """MB, or KB or bytes for what would print as 0.0 MB (small members are common)."""
    if count >= 1048576:
        return f"{count / 1048576:.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count} bytes"


def summary(members: list[MemberCopy], *, source: str, destination: str) -> dict[str, Any]:
    """What a copy task returns (XCom) and puts in its Asset event: small, JSON, no secrets."""
    return {
        "source": source,
        "destination": destination,
        "files": [m.name for m in members],
        "bytes": sum(m.size for m in members),
        "kept": [m.name for m in members if m.kept],
        "members": [m.to_dict() for m in members],
    }
