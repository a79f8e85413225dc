"""Whose job is this: the run stamp written into a job's log, and the marks that follow it.

A job name is not an identity. A fixed ``job_name`` comes back with the next day's run, and
two DAGs may pick the same one; both find a job (or a log) of that name. So the submit block
writes one line into the job's own log with ``LOG_ENTRY`` (reference §2.16), naming the task
run that started it (DAG, task, run id, map index), the try, and a token unique to that one
submit call. The log outlives the job: it is there while the job runs, after it stops and
after it completes, and it is read the same way on Oracle as on the emulator (a BFILE), so
one look settles "mine or not" for every state.

Two more marks settle what clearing a deferred task means (README "Clearing a task"):

- ``claim``: a later try of the same run has taken over the running job;
- ``kill``: a try's ``on_kill`` is about to stop the job.

Each writer reads the log after its own mark is in it, and the order of the marks in the
log decides: a kill is honoured only when no later try started or claimed the job before
it; a claim made after an honoured kill is refused, and that try waits for the job to
stop and then starts afresh. Both sides read the same file in the same order, so they
always agree, whichever of them writes first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

MARKER = "airflow-datapump"
Kind = Literal["start", "claim", "kill"]
_MARK = re.compile(rf"{MARKER} (start|claim|kill) (\{{.*\}})\s*$")


@dataclass(frozen=True)
class RunStamp:
    """One task run: the same on every try, different for every other run or task."""

    dag: str
    task: str
    run: str
    map_index: int = -1

    def describe(self) -> str:
        mapped = f", map index {self.map_index}" if self.map_index >= 0 else ""
        return f"DAG {self.dag}, task {self.task}, run {self.run}{mapped}"

    def to_dict(self) -> dict[str, Any]:
        return {"dag": self.dag, "task": self.task, "run": self.run, "map_index": self.map_index}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunStamp:
        return cls(str(data["dag"]), str(data["task"]), str(data["run"]), int(data.get("map_index", -1)))


@dataclass(frozen=True)
class Mark:
    """One line the provider wrote into a job's log."""

    kind: Kind
    run: RunStamp | None
    try_number: int | None = None
    token: str | None = None
    #: When the mark was made, UTC, ISO 8601 to the second, by the writer's clock: a start
    #: mark says when the task started the job. None in marks written before it was kept.
    at: str | None = None

    def line(self) -> str:
        body: dict[str, Any] = {**(self.run.to_dict() if self.run else {}), "try": self.try_number}
        if self.token:
            body["token"] = self.token
        if self.at:
            body["at"] = self.at
        return f"{MARKER} {self.kind} {json.dumps(body, sort_keys=True, separators=(',', ':'))}"


def marks(lines: Iterable[str]) -> list[Mark]:
    """Every mark in a log, in order; a LOGTIME prefix or a malformed line is tolerated."""
    found = []
    for line in lines:
        match = _MARK.search(line)
        if match is None:
            continue
        try:
            body = json.loads(match.group(2))
            run = RunStamp.from_dict(body) if "dag" in body else None
        except (ValueError, KeyError, TypeError):
            continue
        tried = body.get("try")
        number = int(tried) if tried is not None else None
        at = body.get("at")
        kind, token = match.group(1), body.get("token")
        found.append(Mark(kind, run, number, token, at if isinstance(at, str) else None))  # type: ignore[arg-type]
    return found


def started_by(lines: Iterable[str]) -> Mark | None:
    """The mark of the submit that created the job this log belongs to (its first start)."""
    return next((m for m in marks(lines) if m.kind == "start"), None)


def submitted_with(lines: Iterable[str], token: str) -> bool:
    """Whether the submit call that used ``token`` got as far as starting its job."""
    return any(m.kind == "start" and m.token == token for m in marks(lines))


def new_mark(kind: Kind, run: RunStamp | None, try_number: int | None) -> Mark:
    """A mark with a token of its own, so its writer can tell it from every other."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Mark(kind, run, try_number, secrets.token_hex(6), now)


def _replay(found: list[Mark]) -> list[tuple[Mark, bool]]:
    """Each mark with whether it took effect: the one rule both sides of a clear apply."""
    owner: int | None = None
    dying = False
    decided = []
    for mark in found:
        number = mark.try_number or 0
        if mark.kind == "start":
            owner, dying, honoured = number, False, True
        elif mark.kind == "claim":
            honoured = not dying
            if honoured:
                owner = max(owner or 0, number)
        else:
            honoured = owner is None or number >= owner
            dying = dying or honoured
        decided.append((mark, honoured))
    return decided


def settle(lines: list[str], mark: Mark) -> bool:
    """Whether ``mark`` took effect, given the log read back after writing it.

    If the mark is not in the log yet (Oracle's master process writes LOG_ENTRY lines itself,
    and when is not documented), it is taken as the log's last line: the most it can be.
    """
    found = marks(lines)
    if mark not in found:
        found.append(mark)
    for each, ok in reversed(_replay(found)):
        if each == mark:
            return ok
    return False
