"""Log pages read backwards in bounded chunks (core/logtail.py), against bytes in memory."""

from __future__ import annotations

import pytest

from airflow_datapump.core import logtail
from airflow_datapump.core.logtail import LogPage, TailReader


def _page(data: bytes, lines: int, before: int | None = None) -> tuple[LogPage, list[tuple[int, int]]]:
    """Drive a reader as the hook does, decoding each range as LOADCLOBFROMFILE would."""
    reader, asked = TailReader(len(data), lines, before), []
    while (span := reader.next_range()) is not None:
        asked.append(span)
        position, size = span
        reader.feed(data[position : position + size].decode("utf-8", errors="replace"))
    return reader.page(), asked


def _walk_back(data: bytes, lines: int) -> list[str]:
    """Every line of the log, by paging from the end to the start."""
    page, _ = _page(data, lines)
    seen = list(page.lines)
    while page.first > 0:
        page, _ = _page(data, lines, before=page.first)
        seen[:0] = page.lines
    return seen


def test_the_last_lines_come_first_and_earlier_pages_join_up() -> None:
    text = "".join(f"line {n}\n" for n in range(10))
    page, _ = _page(text.encode(), 3)
    assert page.lines == ("line 7", "line 8", "line 9")
    assert page.first == text.index("line 7")
    earlier, _ = _page(text.encode(), 5, before=page.first)
    assert earlier.lines == tuple(f"line {n}" for n in range(2, 7))
    start, _ = _page(text.encode(), 5, before=text.index("line 2"))
    assert (start.lines, start.first) == (("line 0", "line 1"), 0)


def test_a_line_still_being_written_is_shown() -> None:
    page, _ = _page(b"one\ntwo\nthr", 2)
    assert page.lines == ("two", "thr")


@pytest.mark.parametrize("chunk", [7, 11, 64])
def test_multibyte_characters_cut_by_a_chunk_are_read_whole(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(logtail, "CHUNK_BYTES", chunk)
    lines = [f"Tabelle «Größe» {n} — ✓" for n in range(40)]
    data = ("\n".join(lines) + "\n").encode()
    assert _walk_back(data, 3) == lines


def test_a_line_longer_than_a_chunk_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logtail, "CHUNK_BYTES", 16)
    lines = ["short", "x" * 500, "end"]
    assert _walk_back(("\n".join(lines) + "\n").encode(), 2) == lines


def test_a_line_longer_than_a_page_is_cut_not_read_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logtail, "MAX_PAGE_BYTES", 1000)
    monkeypatch.setattr(logtail, "CHUNK_BYTES", 64)
    data = b"first\n" + b"y" * 5000 + b"\nlast\n"
    page, _ = _page(data, 2)
    assert page.lines[-1] == "last"
    assert 0 < page.first < len(data)
    assert page.bytes_read <= 1000


def test_a_page_of_a_50000_line_log_reads_a_bounded_number_of_bytes() -> None:
    data = "".join(f"ORA-39171 processing object {n:06d} of schema HR\n" for n in range(50_000)).encode()
    page, asked = _page(data, 200)
    assert len(page.lines) == 200
    assert page.lines[-1].endswith("049999 of schema HR")
    assert page.bytes_read == sum(size for _, size in asked) == logtail.CHUNK_BYTES
    assert page.bytes_read * 50 < len(data)  # about 2.5 MB of log, 32 KB read
    earlier, asked = _page(data, 200, before=page.first)
    assert earlier.lines[-1].endswith("049799 of schema HR")
    assert sum(size for _, size in asked) == logtail.CHUNK_BYTES


def test_before_past_the_end_is_the_end_and_zero_is_nothing() -> None:
    data = b"a\nb\n"
    assert _page(data, 5, before=99)[0].lines == ("a", "b")
    assert _page(data, 5, before=0)[0] == LogPage((), 0, 0, 4, 0)


def test_a_page_of_no_lines_is_refused() -> None:
    with pytest.raises(ValueError, match="lines"):
        TailReader(10, 0)
