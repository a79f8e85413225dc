"""Rows kept apart from their object: written and read a chunk at a time (format.py body).

An object with a ``row_count`` has its rows streamed from the caller on export and back to the
caller on import, so neither side holds a whole table; compression, encryption and the cut
into members work across chunk and key-stream block boundaries.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from dumpfile_builders import CLOCK

from airflow_datapump.testing._dumpfile import (
    Compression,
    DumpContents,
    DumpFileError,
    Encryption,
    read_dump_set,
    write_dump_set,
)

ROWS = 40_000  # about 3 MB of body: several read chunks and many key-stream blocks


def _row(table: int, i: int) -> str:
    return json.dumps([{"n": str(i)}, f"t{table} row {i} ünïcode \u2028", {"c": "line\nbreak"}])


def _contents(**facts: object) -> DumpContents:
    objects = [
        {"kind": "TABLE", "name": "A"},
        {"kind": "TABLE_DATA", "name": "A", "row_count": ROWS},
        {"kind": "TABLE_DATA", "name": "EMPTY", "row_count": 0},
        {"kind": "TABLE_DATA", "name": "B", "row_count": 3},
    ]
    sources = {1: lambda: (_row(1, i) for i in range(ROWS)), 3: lambda: (_row(3, i) for i in range(3))}
    return DumpContents(
        job_name="EXP", job_owner="SYSTEM", job_mode="SCHEMA", creation_time=CLOCK, objects=objects,
        rows=lambda index: sources[index](), **facts,  # type: ignore[arg-type]
    )  # fmt: skip


def _read(paths: list[Path], password: str | None = None) -> tuple[DumpContents, dict[int, list[str]]]:
    got: dict[int, list[str]] = {}

    def sink(index: int, lines: Iterator[str]) -> None:
        got[index] = list(lines)

    return read_dump_set(paths, password=password, rows=sink), got


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"compression": Compression(data=True, algorithm="LOW")},
        {"encryption": Encryption.with_password("PASSWORD", "pw")},
        {"compression": Compression(data=True), "encryption": Encryption("TRANSPARENT", data=True)},
    ],
    ids=["plain", "compressed", "password", "compressed-transparent"],
)
def test_rows_round_trip_across_members(tmp_path: Path, facts: dict[str, object]) -> None:
    original = _contents(**facts)
    password = "pw" if "encryption" in facts and original.encryption.needs_password else None
    written = write_dump_set(original, tmp_path, ["r%U.dmp"], filesize=1 << 20, password=password)
    contents, rows = _read([w.path for w in reversed(written)], password)
    assert contents == dataclasses.replace(original, master_present=True)
    assert rows[1] == [_row(1, i) for i in range(ROWS)]
    assert rows[3] == [_row(3, i) for i in range(3)]
    assert 2 not in rows  # no rows, no call
    if not facts:
        assert len(written) > 2  # the body really was cut into members


def test_rows_can_be_read_past(tmp_path: Path) -> None:
    written = write_dump_set(_contents(), tmp_path, ["r.dmp"])
    assert read_dump_set([written[0].path]).objects[1]["row_count"] == ROWS


def test_a_row_count_that_does_not_match_its_rows_is_refused(tmp_path: Path) -> None:
    wrong = dataclasses.replace(_contents(), rows=lambda index: iter(["[1]"]))
    with pytest.raises(ValueError, match="row_count"):
        write_dump_set(wrong, tmp_path, ["r.dmp"])
    assert list(tmp_path.iterdir()) == []


def test_a_member_cut_short_is_an_invalid_dump(tmp_path: Path) -> None:
    written = write_dump_set(_contents(), tmp_path, ["r%U.dmp"], degree=2)
    data = written[1].path.read_bytes()
    written[1].path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DumpFileError) as info:
        _read([w.path for w in written])
    assert info.value.lines[-1] == f'ORA-31619: invalid dump file "{written[1].path}"'
