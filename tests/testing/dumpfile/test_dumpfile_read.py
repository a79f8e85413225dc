"""Reading dump file sets back: round trips and every refusal (§2.17, §5.1, §7.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dumpfile_builders import make_contents

from airflow_datapump.testing._dumpfile import (
    Compression,
    DumpFileError,
    Encryption,
    expand_templates,
    read_dump_set,
    read_member,
    write_dump_set,
)


def _paths(folder: Path, template: str = "hr_%U.dmp") -> list[Path]:
    return expand_templates(folder, [template])


def test_round_trip_plain(tmp_path: Path) -> None:
    """§7.1: an export read back by an import gives the same contents."""
    original = make_contents(rows=300)
    write_dump_set(original, tmp_path, ["hr_%U.dmp"], degree=3)
    assert read_dump_set(_paths(tmp_path), password=None) == original


def test_round_trip_compressed_is_smaller(tmp_path: Path) -> None:
    """§2.17 DATA_COMPRESSED: compressed data round-trips and takes less space."""
    plain = make_contents(rows=3000)
    packed = make_contents(rows=3000, compression=Compression(data=True, algorithm="HIGH"))
    a = write_dump_set(plain, tmp_path, ["p.dmp"])
    b = write_dump_set(packed, tmp_path, ["c.dmp"])
    assert b[0].size < a[0].size
    assert read_dump_set([tmp_path / "c.dmp"], password=None) == packed


def test_round_trip_with_filesize_spread(tmp_path: Path) -> None:
    """§2.2 filesize: a set spread over many files reassembles in file-number order."""
    original = make_contents(rows=3000)
    written = write_dump_set(original, tmp_path, ["hr_%U.dmp"], filesize=40960)
    assert read_dump_set(list(reversed([w.path for w in written])), password=None) == original


def test_encrypted_right_wrong_and_missing_password(tmp_path: Path) -> None:
    """§2.17 ENCRYPTION_MODE password: only the right password opens the body."""
    enc = Encryption.with_password("PASSWORD", "s3cret")
    original = make_contents(rows=50, encryption=enc)
    write_dump_set(original, tmp_path, ["e.dmp"], password="s3cret")
    raw = (tmp_path / "e.dmp").read_bytes()
    assert b"name-000001" not in raw
    assert b"s3cret" not in raw
    assert read_dump_set([tmp_path / "e.dmp"], password="s3cret") == original
    with pytest.raises(DumpFileError) as wrong:
        read_dump_set([tmp_path / "e.dmp"], password="nope")
    assert wrong.value.lines == (
        "ORA-39002: invalid operation",
        "ORA-39176: Encryption password is incorrect.",
    )
    with pytest.raises(DumpFileError) as missing:
        read_dump_set([tmp_path / "e.dmp"], password=None)
    assert missing.value.codes == (39002, 39174)


def test_dual_and_transparent_open_without_password(tmp_path: Path) -> None:
    """§2.17 ENCRYPTION_MODE dual/transparent: the (emulated) wallet opens the dump."""
    dual = make_contents(encryption=Encryption.with_password("DUAL", "pw"))
    tde = make_contents(encryption=Encryption("TRANSPARENT", data=True))
    write_dump_set(dual, tmp_path, ["d.dmp"], password="pw")
    write_dump_set(tde, tmp_path, ["t.dmp"])
    assert read_dump_set([tmp_path / "d.dmp"], password=None) == dual
    assert read_dump_set([tmp_path / "t.dmp"], password=None) == tde
    with pytest.raises(DumpFileError) as info:
        read_dump_set([tmp_path / "d.dmp"], password="bad")
    assert info.value.codes == (39002, 39176)


def test_header_only_read_per_file(tmp_path: Path) -> None:
    """§2.17: every member's header describes it (number, guid, job) without the body."""
    original = make_contents(rows=200)
    written = write_dump_set(original, tmp_path, ["h%U.dmp"], degree=2)
    second = read_member(written[1].path)
    assert second.file_number == 2
    assert second.contents.guid == original.guid
    assert second.contents.job_name == "EXP_HR_01"
    assert second.contents.objects == []
    assert second.master_present is False


def test_guid_mismatch_is_ora_31619(tmp_path: Path) -> None:
    """§5.1 / ORA-31619: a member of another set is an invalid dump file."""
    write_dump_set(make_contents(), tmp_path, ["a%U.dmp"], degree=2)
    (tmp_path / "other").mkdir()
    write_dump_set(make_contents(), tmp_path / "other", ["a%U.dmp"], degree=2)
    stranger = tmp_path / "other" / "a02.dmp"
    with pytest.raises(DumpFileError) as info:
        read_dump_set([tmp_path / "a01.dmp", stranger], password=None)
    assert info.value.lines[-1] == f'ORA-31619: invalid dump file "{stranger}"'
    assert info.value.lines[1] == "ORA-39000: bad dump file specification"


def test_missing_member_after_gap_is_ora_31640(tmp_path: Path) -> None:
    """§7.1 / ORA-31640: a %U member the master names but that is gone cannot be opened."""
    write_dump_set(make_contents(rows=300), tmp_path, ["g%U.dmp"], degree=3)
    (tmp_path / "g02.dmp").unlink()
    paths = expand_templates(tmp_path, ["g%U.dmp"])
    assert tmp_path / "g02.dmp" in paths
    assert tmp_path / "g03.dmp" in paths
    with pytest.raises(DumpFileError) as info:
        read_dump_set(paths, password=None)
    assert info.value.lines[2:] == (
        f'ORA-31640: unable to open dump file "{tmp_path / "g02.dmp"}" for read',
        "ORA-27037: unable to obtain file status",
    )


def test_unnamed_member_makes_set_incomplete(tmp_path: Path) -> None:
    """§7.1: the file specification must cover the whole set (ORA-39059, [U])."""
    write_dump_set(make_contents(), tmp_path, ["a.dmp", "b.dmp"])
    with pytest.raises(DumpFileError) as info:
        read_dump_set(expand_templates(tmp_path, ["a.dmp"]), password=None)
    assert info.value.codes[-1] == 39059


def test_master_file_not_named_is_ora_39246(tmp_path: Path) -> None:
    """§2.17 MASTER_PRESENT: without the master file the set cannot be imported."""
    write_dump_set(make_contents(), tmp_path, ["a.dmp", "b.dmp"])
    with pytest.raises(DumpFileError) as info:
        read_dump_set([tmp_path / "b.dmp"], password=None)
    assert info.value.codes == (39002, 39246)


def test_classic_export_file_is_ora_39143(tmp_path: Path) -> None:
    """§2.17 filetype 2: an original exp file is refused with ORA-39143."""
    old = tmp_path / "old.dmp"
    old.write_bytes(b"\x03\x03\x69EXPORT:V11.02.00\nDSYSTEM\n" + bytes(100))
    with pytest.raises(DumpFileError) as info:
        read_dump_set([old], password=None)
    assert info.value.lines[-1] == f'ORA-39143: dump file "{old}" may be an original export dump file'


@pytest.mark.parametrize("data", [b"", b"hello world", b"AIRFLOW-DATAPUMP-EMULATED-DUMP\ntrash"])
def test_non_dump_file_is_ora_31619(tmp_path: Path, data: bytes) -> None:
    """§5.1 / ORA-31619: anything else (empty, text, truncated) is an invalid dump file."""
    junk = tmp_path / "junk.dmp"
    junk.write_bytes(data)
    with pytest.raises(DumpFileError) as info:
        read_dump_set([junk], password=None)
    assert info.value.lines == (
        "ORA-39001: invalid argument value",
        "ORA-39000: bad dump file specification",
        f'ORA-31619: invalid dump file "{junk}"',
    )


def test_missing_plain_file_is_ora_31640(tmp_path: Path) -> None:
    """§5.1: a named dump file that does not exist cannot be opened for read."""
    with pytest.raises(DumpFileError) as info:
        read_dump_set(expand_templates(tmp_path, ["none.dmp"]), password=None)
    assert info.value.codes == (39001, 39000, 31640, 27037)


def test_version_too_new_is_ora_39142(tmp_path: Path) -> None:
    """§10: a 19c (format 5.1) dump cannot be read by 12.1 (ORA-39142)."""
    write_dump_set(make_contents(), tmp_path, ["v.dmp"])
    with pytest.raises(DumpFileError) as info:
        read_dump_set([tmp_path / "v.dmp"], password=None, db_version="12.1.0.2.0")
    assert info.value.lines[-1] == (
        f'ORA-39142: incompatible version number 5.1 in dump file "{tmp_path / "v.dmp"}"'
    )


def test_version_parameter_allows_older_target(tmp_path: Path) -> None:
    """§2.1 OPEN version: a dump written with version 12.1 imports into 12.1."""
    original = make_contents(version="12.1.0")
    write_dump_set(original, tmp_path, ["v.dmp"])
    assert read_dump_set([tmp_path / "v.dmp"], password=None, db_version="12.1.0.2.0") == original


def test_same_format_newer_compatibility_is_ora_39358(tmp_path: Path) -> None:
    """§10: 21c and 19c share format 5.1; the VERSION check refuses (ORA-39358, [P])."""
    write_dump_set(make_contents(version="21.0.0"), tmp_path, ["v.dmp"])
    with pytest.raises(DumpFileError) as info:
        read_dump_set([tmp_path / "v.dmp"], password=None, db_version="19.0.0.0.0")
    assert info.value.codes == (39002, 39358)
