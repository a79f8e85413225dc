"""Writing dump file sets: spreading, sizes, reuse, space (§2.2, §5.1, §7.1, §7.5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dumpfile_builders import make_contents

from airflow_datapump.testing._dumpfile import (
    MAGIC,
    DumpContents,
    DumpFileError,
    read_member,
    write_dump_set,
)


def test_plain_name_gives_exactly_one_file(tmp_path: Path, contents: DumpContents) -> None:
    """§7.1: a name without substitution variables is one file, even with degree 4."""
    written = write_dump_set(contents, tmp_path, ["hr.dmp"], degree=4)
    assert [w.name for w in written] == ["hr.dmp"]
    assert written[0].path.read_bytes().startswith(MAGIC)


def test_degree_creates_one_file_per_worker(tmp_path: Path, contents: DumpContents) -> None:
    """§7.1: with %U and degree > 1 each parallel worker gets its own file."""
    written = write_dump_set(contents, tmp_path, ["hr_%U.dmp"], degree=3)
    assert [w.name for w in written] == ["hr_01.dmp", "hr_02.dmp", "hr_03.dmp"]
    assert [w.file_number for w in written] == [1, 2, 3]


def test_filesize_forces_more_files(tmp_path: Path) -> None:
    """§2.2 filesize: data beyond one file's size spills into further %U files."""
    contents = make_contents(rows=3000)
    written = write_dump_set(contents, tmp_path, ["hr_%U.dmp"], filesize=40960)
    assert len(written) > 3
    assert all(w.size <= 40960 for w in written)
    assert all(w.path.stat().st_size == w.size for w in written)


def test_percent_l_goes_beyond_99_files(tmp_path: Path) -> None:
    """§7.1: %L keeps numbering past 99 (100, 101 ...)."""
    contents = make_contents(rows=60000)
    written = write_dump_set(contents, tmp_path, ["big_%L.dmp"], filesize=40960)
    names = [w.name for w in written]
    assert len(names) > 99
    assert names[:2] == ["big_01.dmp", "big_02.dmp"]
    assert "big_100.dmp" in names


def test_sizes_are_block_and_512_byte_multiples(tmp_path: Path) -> None:
    """§7.5: DBMS_FILE_TRANSFER needs 512-byte multiples; members are 4096-byte multiples."""
    written = write_dump_set(make_contents(rows=777), tmp_path, ["s%U.dmp"], degree=4)
    assert len(written) > 1
    for member in written:
        size = member.path.stat().st_size
        assert size % 4096 == 0
        assert size % 512 == 0


def test_master_only_in_file_one(tmp_path: Path) -> None:
    """§2.17: MASTER_PRESENT is set in the file holding the master (file 1) only."""
    written = write_dump_set(make_contents(rows=500), tmp_path, ["m%U.dmp"], degree=3)
    members = [read_member(w.path) for w in written]
    assert [m.master_present for m in members] == [True, False, False]
    assert members[0].members == ("m01.dmp", "m02.dmp", "m03.dmp")
    assert {m.file_count for m in members} == {3}


def test_existing_file_refused_without_reuse(tmp_path: Path, contents: DumpContents) -> None:
    """§2.2 reusefile NULL/0: an existing dump file is an error (ORA-31641 / ORA-27038)."""
    (tmp_path / "hr.dmp").write_bytes(b"old")
    with pytest.raises(DumpFileError) as info:
        write_dump_set(contents, tmp_path, ["hr.dmp"])
    assert info.value.lines == (
        "ORA-39001: invalid argument value",
        "ORA-39000: bad dump file specification",
        f'ORA-31641: unable to create dump file "{tmp_path / "hr.dmp"}"',
        "ORA-27038: created file already exists",
    )
    assert (tmp_path / "hr.dmp").read_bytes() == b"old"


def test_existing_file_overwritten_with_reuse(tmp_path: Path, contents: DumpContents) -> None:
    """§2.2 reusefile=1 overwrites the existing dump file."""
    (tmp_path / "hr.dmp").write_bytes(b"old")
    written = write_dump_set(contents, tmp_path, ["hr.dmp"], reuse=True)
    assert written[0].path.read_bytes().startswith(MAGIC)


def test_space_exhausted_with_plain_names(tmp_path: Path) -> None:
    """§5.1 / Utilities FILESIZE: data that does not fit raises ORA-39095, nothing written."""
    with pytest.raises(DumpFileError) as info:
        write_dump_set(make_contents(rows=3000), tmp_path, ["a.dmp", "b.dmp"], filesize=40960)
    assert info.value.lines == (
        "ORA-39095: Dump file space has been exhausted: Unable to allocate 8192 bytes",
    )
    assert info.value.code == 39095
    assert list(tmp_path.iterdir()) == []


def test_space_exhausted_after_99_percent_u_files(tmp_path: Path) -> None:
    """§7.1: %U allows 99 files at most; beyond that space is exhausted (ORA-39095)."""
    with pytest.raises(DumpFileError) as info:
        write_dump_set(make_contents(rows=60000), tmp_path, ["u%U.dmp"], filesize=40960)
    assert info.value.code == 39095


def test_filesize_too_small_refused(tmp_path: Path, contents: DumpContents) -> None:
    """§2.2: the minimum filesize is about 10 x the block size."""
    with pytest.raises(DumpFileError) as info:
        write_dump_set(contents, tmp_path, ["x%U.dmp"], filesize=8192)
    assert info.value.codes[:2] == (39001, 39000)
