"""File name substitution and FILESIZE parsing (§2.2, §7.1)."""

from __future__ import annotations

import pytest

from airflow_datapump.testing._dumpfile import DumpFileError, expand_name, parse_filesize
from airflow_datapump.testing._dumpfile.names import generate_names, member_number


def test_percent_u_expands_two_digits_and_increments_together() -> None:
    """§7.1: %U is 01..99 and several %U in one name increment together."""
    assert expand_name("exp%Uaa%U.dmp", 1) == "exp01aa01.dmp"
    assert expand_name("exp%u.dmp", 99) == "exp99.dmp"
    with pytest.raises(ValueError, match="cannot produce"):
        expand_name("exp%U.dmp", 100)


def test_percent_l_goes_past_99() -> None:
    """§7.1: %L continues beyond 99 (width rule is the emulator's, marked [U])."""
    assert expand_name("exp%L.dmp", 7) == "exp07.dmp"
    assert expand_name("exp%l.dmp", 100) == "exp100.dmp"
    assert expand_name("exp%L.dmp", 1234) == "exp1234.dmp"


def test_unknown_substitution_variable_is_ora_39124() -> None:
    """§5.1: ORA-39124 for an invalid substitution variable."""
    with pytest.raises(DumpFileError) as info:
        expand_name("exp%X.dmp", 1)
    assert info.value.codes == (39001, 39124)


def test_generation_order_instantiates_every_template_first() -> None:
    """§7.1 / Utilities DUMPFILE: each template gives one file, then variable ones grow."""
    names = list(generate_names(["a.dmp", "b%U.dmp", "c%U.dmp"]))
    assert names[:4] == ["a.dmp", "b01.dmp", "c01.dmp", "b02.dmp"]
    assert len(names) == 1 + 99 + 99


def test_member_number_recognises_only_canonical_names() -> None:
    """§7.1: import matches names a template can produce (same number in every %U)."""
    assert member_number("e%U_%U.dmp", "e03_03.dmp") == 3
    assert member_number("e%U_%U.dmp", "e03_04.dmp") is None
    assert member_number("e%L.dmp", "e100.dmp") == 100
    assert member_number("e%L.dmp", "e007.dmp") is None
    assert member_number("plain.dmp", "plain.dmp") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2G", 2 * 1024**3),
        ("500M", 500 * 1024**2),
        ("64k", 65536),
        ("45000", 40960),
        (None, None),
        ("0", None),
    ],
)
def test_parse_filesize(text: str | None, expected: int | None) -> None:
    """§2.2: filesize like '2G' / '500M' / bytes, rounded down to whole 4 KB blocks."""
    assert parse_filesize(text) == expected


def test_filesize_below_ten_blocks_is_refused() -> None:
    """§2.2: the minimum filesize is about 10 x block size (ORA-39001 / ORA-39000)."""
    with pytest.raises(DumpFileError) as info:
        parse_filesize("40000")
    assert info.value.code == 39001
    assert info.value.lines[1] == "ORA-39000: bad dump file specification"
    with pytest.raises(DumpFileError):
        parse_filesize("lots")
