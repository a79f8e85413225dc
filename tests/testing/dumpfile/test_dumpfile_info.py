"""GET_DUMPFILE_INFO over emulated, classic and other files (§2.17, §2.19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dumpfile_builders import make_contents

from airflow_datapump.testing._dumpfile import (
    Compression,
    DumpFileError,
    Encryption,
    dumpfile_info,
    resolve_version,
    write_dump_set,
)


def test_items_for_master_file(tmp_path: Path) -> None:
    """§2.17: filetype 1 and items 1..23 for a Data Pump dump file."""
    contents = make_contents()
    written = write_dump_set(contents, tmp_path, ["i%U.dmp"], degree=2)
    filetype, items = dumpfile_info(written[0].path)
    assert filetype == 1
    values = dict(items)
    assert [code for code, _ in items] == list(range(1, 24))
    assert values[1] == "5.1"
    assert values[2] == "1"
    assert values[3] == contents.guid.upper()
    assert values[4] == "1"
    assert values[5] == "873"
    assert values[6] == "Sun Nov 22 10:00:00 2026"
    assert values[8] == '"SYSTEM"."EXP_HR_01"'
    assert values[12] == "4096"
    assert values[13] == "1"
    assert values[15] == "19.00.00.00.00"
    assert (values[16], values[17]) == ("1", "1")
    assert values[22] == "2"


def test_items_for_second_file(tmp_path: Path) -> None:
    """§2.17: MASTER_PRESENT 0 and FILE_NUMBER 2 in a non-master member, same GUID."""
    contents = make_contents()
    written = write_dump_set(contents, tmp_path, ["i%U.dmp"], degree=2)
    values = dict(dumpfile_info(written[1].path)[1])
    assert (values[2], values[4], values[17]) == ("0", "2", "0")
    assert values[3] == contents.guid.upper()


def test_compression_and_encryption_items(tmp_path: Path) -> None:
    """§2.17: DATA_COMPRESSED, *_ENCRYPTED, ENCRYPTION_MODE 3 and COMPRESSION_ALG 6 (HIGH)."""
    contents = make_contents(
        compression=Compression(metadata=True, data=True, algorithm="HIGH"),
        encryption=Encryption.with_password("PASSWORD", "pw", columns=True),
    )
    written = write_dump_set(contents, tmp_path, ["ce.dmp"], password="pw")
    values = dict(dumpfile_info(written[0].path)[1])
    assert (values[14], values[18]) == ("1", "1")
    assert (values[19], values[20], values[21]) == ("1", "1", "1")
    assert values[22] == "3"
    assert values[23] == "6"


def test_version_parameter_sets_file_version(tmp_path: Path) -> None:
    """§2.1 OPEN version / §2.17 FILE_VERSION: VERSION=11.2 writes format 3.1."""
    contents = make_contents(version=resolve_version("11.2", "19.0.0.0.0"))
    written = write_dump_set(contents, tmp_path, ["old.dmp"])
    assert dict(dumpfile_info(written[0].path)[1])[1] == "3.1"
    assert resolve_version("COMPATIBLE", "19.0.0.0.0") == "19.0.0"


def test_classic_export_is_filetype_2(tmp_path: Path) -> None:
    """§2.17: filetype 2 (classic exp dump), with no items."""
    old = tmp_path / "old.dmp"
    old.write_bytes(b"\x03\x00\x01EXPORT:V10.02.01\n" + bytes(64))
    assert dumpfile_info(old) == (2, [])


@pytest.mark.parametrize("data", [b"", b"just text\n", b"\x03\x00no export mark"])
def test_other_readable_file_is_filetype_0(tmp_path: Path, data: bytes) -> None:
    """§2.17: filetype 0 (unknown) for a readable file that is no dump."""
    other = tmp_path / "x.log"
    other.write_bytes(data)
    assert dumpfile_info(other) == (0, [])


def test_missing_file_is_ora_39211(tmp_path: Path) -> None:
    """§2.17 / §2.19: NO_DUMPFILE_INFO (ORA-39211) when the file cannot be read."""
    for target in (tmp_path / "none.dmp", tmp_path):
        with pytest.raises(DumpFileError) as info:
            dumpfile_info(target)
        assert info.value.code == 39211
        assert info.value.lines == ("ORA-39211: unable to retrieve dumpfile information as specified",)
