"""Write a constraints file from ``pip freeze`` (on stdin), keeping the pins chosen by hand.

    pip freeze --exclude-editable | python scripts/pin_constraints.py FILE AIRFLOW PYTHON

A pin in the old FILE with a comment just above it was chosen on purpose, usually older than
what pip would pick (Airflow 3.0.6 needs PyJWT 2.10.1 and FastAPI before 0.132): the comment
says why. Such a pin and its comment are kept as they are; every other line is the freeze's.
``make constraints`` runs this, so re-pinning never silently drops what keeps an Airflow working.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADER = (
    "# Every package the development environment installs, pinned (Airflow {airflow}, Python {python}).\n"
    "# Regenerate with: make constraints   (after changing pyproject.toml's dependencies)\n"
)


def package(line: str) -> str:
    """The normalised project name a requirement line pins (PEP 503: case, ``-``, ``_``, ``.``)."""
    name = re.split(r"[=<>!~ ;\[]", line.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def kept_pins(old: str) -> dict[str, str]:
    """Each commented pin of the old file, by package: its comment lines and its own line."""
    kept: dict[str, str] = {}
    comment: list[str] = []
    for number, line in enumerate(old.splitlines(keepends=True)):
        if line.startswith("#"):
            if number >= HEADER.count("\n"):  # the header is rewritten, not kept
                comment.append(line)
        elif line.strip():
            if comment:
                kept[package(line)] = "".join(comment) + line
            comment = []
    return kept


def constraints(frozen: str, old: str, airflow: str, python: str) -> str:
    if not frozen.strip():
        raise SystemExit("pip freeze listed nothing: the constraints file is left as it was")
    kept = kept_pins(old)
    lines = [HEADER.format(airflow=airflow, python=python)]
    for line in frozen.splitlines(keepends=True):
        if line.strip():
            lines.append(kept.pop(package(line), line if line.endswith("\n") else line + "\n"))
    if kept:  # a hand-chosen pin of a package no longer installed: say so rather than drop it
        raise SystemExit(
            "pinned by hand but not installed any more: "
            + ", ".join(sorted(kept))
            + "; remove its lines from the old file first if it is meant to go"
        )
    return "".join(lines)


def main(argv: list[str]) -> None:
    target, airflow, python = Path(argv[1]), argv[2], argv[3]
    old = target.read_text() if target.exists() else ""
    text = constraints(sys.stdin.read(), old, airflow, python)
    target.write_text(text)


if __name__ == "__main__":
    main(sys.argv)
