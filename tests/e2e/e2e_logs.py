"""What an operator of the stack sees in its logs: read every line, keep the ones that matter.

The stack's process logs (``process-logs/*.log``, structlog's console lines) and the task and
trigger logs Airflow writes (``logs/**/*.log``, one JSON object a line) are read after the
stack has stopped. A line at error level or above that neither Airflow's known noise
(:data:`AIRFLOW_NOISE`, each entry saying why it is not ours) nor a test (:class:`Expected`)
accounts for is reported; so is a warning from one of our loggers (any logger with
``airflow_datapump`` in its name: ours, and Airflow's ``airflow.task.operators.airflow_datapump...``
for our operators) that no test expects. Continuation lines (a traceback) belong to the entry
before them: an entry's text holds them, so an expectation can name the exception it is about.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# 2026-12-02T07:34:54.426096Z [error    ] XCom not found      [airflow.sdk.api.client] key=...
# (task processes under the LocalExecutor print "2026-12-02 07:38:58.410869+00:00" instead; an
# event that ends in a newline has its logger at the start of the next line)
CONSOLE = re.compile(
    r"^\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:\d\d) \[(?P<level>[a-z]+) *\] "
    r"(?P<event>.*?)(?: +\[(?P<logger>[\w.]+)\](?: |$)|$)"
)
NEXT_LINE_LOGGER = re.compile(r"^ \[(?P<logger>[\w.]+)\](?: |$)")
SEVERE = ("error", "critical", "fatal", "exception")
OURS = "airflow_datapump"


@dataclass(frozen=True)
class Line:
    """One log entry: the file it is in (relative to the Airflow home), level, logger, text."""

    where: str
    level: str
    logger: str
    event: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text[:400]}"


@dataclass(frozen=True)
class Expected:
    """Lines a test or a known cause accounts for: the logger's name starts with ``logger``, the
    event starts with ``event``, the whole line contains ``containing``; ``why`` is for readers."""

    logger: str
    event: str
    why: str
    containing: str = ""

    def covers(self, line: Line) -> bool:
        return (
            line.logger.startswith(self.logger)
            and line.event.startswith(self.event)
            and self.containing in line.text
        )


# Airflow's own lines at error level, in a stack like ours, that are none of the provider's doing.
AIRFLOW_NOISE: tuple[Expected, ...] = (
    # Airflow's log server (a Starlette StaticFiles) declares a log file's size when the request
    # arrives and then reads to its end: a line written in between (a running task's, or a
    # trigger's, which writes as the job's log grows) makes the response longer than declared,
    # so uvicorn breaks it off and the api-server reading the log reports a broken stream. Any
    # deployment that reads a live log through a log server meets it; the next read succeeds.
    Expected(
        "uvicorn.error",
        "Exception in ASGI application",
        "a log file grew while Airflow's log server sent it",
        "Response content longer than Content-Length",
    ),
    Expected(
        "airflow.utils.log.file_task_handler",
        "Error reading log stream",
        "the api-server's side of the same broken response",
        "IncompleteRead",
    ),
)


def read(home: Path) -> Iterator[Line]:
    """Every entry of the stack's process logs and of the task and trigger logs under ``home``."""
    for path in sorted((home / "process-logs").glob("*.log")):
        yield from _console(path.name, path.read_text(errors="replace").splitlines())
    for path in sorted((home / "logs").rglob("*.log")):
        where = str(path.relative_to(home))
        for text in path.read_text(errors="replace").splitlines():
            entry = _json(text)
            if entry is not None:
                level, logger = str(entry.get("level", "")), str(entry.get("logger", ""))
                yield Line(where, level, logger, str(entry.get("event", "")), text)


def _console(where: str, texts: list[str]) -> Iterator[Line]:
    """Entries of structlog's console lines: each with the lines that follow it (a traceback)."""
    starts = [i for i, text in enumerate(texts) if CONSOLE.match(text)] + [len(texts)]
    for start, end in itertools.pairwise(starts):
        match = CONSOLE.match(texts[start])
        assert match is not None
        logger = match["logger"]
        if logger is None and start + 1 < end and (following := NEXT_LINE_LOGGER.match(texts[start + 1])):
            logger = following["logger"]
        text = "\n".join(texts[start:end])
        yield Line(where, match["level"], logger or "", match["event"], text)


def _json(text: str) -> dict[str, object] | None:
    if not text.startswith("{"):
        return None
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def unexpected(lines: Iterable[Line], expected: Iterable[Expected]) -> list[Line]:
    """The lines an operator would have to look into: severe ones, and our warnings, unexplained."""
    known = (*AIRFLOW_NOISE, *expected)
    found = []
    for line in lines:
        level = line.level.lower()
        ours = OURS in line.logger and level == "warning"
        if (level in SEVERE or ours) and not any(entry.covers(line) for entry in known):
            found.append(line)
    return found


def check(home: Path, expected: Iterable[Expected]) -> None:
    """Fail naming each line no one accounts for (after the stack has stopped: all are written)."""
    found = unexpected(read(home), expected)
    if found:
        shown = "\n".join(str(line) for line in found[:30])
        raise AssertionError(f"{len(found)} unexpected line(s) in the stack's logs:\n{shown}")
