"""UTL_FILE through its PackageSpec, against the 19c PL/SQL Packages and Types Reference."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from packages_fakes import FakeFiles, Session, call

from airflow_datapump.testing._packages import utl_file
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import PackageSpec
from airflow_datapump.testing._values import RecordValue, Value


@pytest.fixture
def files(tmp_path: Path) -> FakeFiles:
    fake = FakeFiles(tmp_path)
    fake.add("DATA_PUMP_DIR")
    fake.add("RO_DIR", "READ")
    return fake


@pytest.fixture
def spec(files: FakeFiles) -> PackageSpec:
    return utl_file.build(files)


def _open(spec: PackageSpec, s: Session, name: str, mode: str, size: int = 1024) -> Value:
    handle, _ = call(
        spec, "FOPEN", s, location="DATA_PUMP_DIR", filename=name, open_mode=mode, max_linesize=size
    )
    return handle


def _code(excinfo: pytest.ExceptionInfo[OracleError]) -> int:
    return excinfo.value.code


def test_spec_has_documented_exceptions_and_file_type(spec: PackageSpec) -> None:
    """19c: package exceptions INVALID_PATH (-29280) .. CHARSETMISMATCH (-29298); FILE_TYPE is
    a record of ID, DATATYPE, BYTE_MODE."""
    assert spec.exceptions["INVALID_PATH"] == 29280
    assert spec.exceptions["INVALID_MAXLINESIZE"] == 29287
    assert spec.exceptions["CHARSETMISMATCH"] == 29298
    assert [f for f, _ in utl_file.FILE_TYPE.fields] == ["ID", "DATATYPE", "BYTE_MODE"]
    fopen = spec.subprograms["FOPEN"][0]
    assert [p.name for p in fopen.params] == ["LOCATION", "FILENAME", "OPEN_MODE", "MAX_LINESIZE"]
    assert fopen.params[3].default == Decimal(1024)


def test_write_then_read_lines(spec: PackageSpec, files: FakeFiles) -> None:
    """PUT_LINE writes a line terminator; GET_LINE returns lines without it and raises
    NO_DATA_FOUND at end of file; an empty line reads as NULL."""
    s = Session()
    f = _open(spec, s, "a.txt", "W")
    call(spec, "PUT_LINE", s, file=f, buffer="first")
    call(spec, "NEW_LINE", s, file=f)
    call(spec, "PUT", s, file=f, buffer="l\u00e4st")
    _, out = call(spec, "FCLOSE", s, file=f)
    assert out["FILE"].fields["ID"] is None  # type: ignore[union-attr]
    assert (files.paths["DATA_PUMP_DIR"] / "a.txt").read_bytes() == "first\n\nl\u00e4st".encode()
    r = _open(spec, s, "a.txt", "r")
    lines = [call(spec, "GET_LINE", s, file=r, buffer=None)[1]["BUFFER"] for _ in range(3)]
    assert lines == ["first", None, "l\u00e4st"]
    with pytest.raises(OracleError) as err:
        call(spec, "GET_LINE", s, file=r, buffer=None)
    assert _code(err) == 1403


def test_writes_are_buffered_until_fflush(spec: PackageSpec, files: FakeFiles) -> None:
    """Output is buffered; FFLUSH (or AUTOFLUSH => TRUE) writes it to the file."""
    s = Session()
    f = _open(spec, s, "b.txt", "w")
    call(spec, "PUT_LINE", s, file=f, buffer="x")
    path = files.paths["DATA_PUMP_DIR"] / "b.txt"
    assert path.read_bytes() == b""
    call(spec, "FFLUSH", s, file=f)
    assert path.read_bytes() == b"x\n"
    call(spec, "PUT_LINE", s, file=f, buffer="y", autoflush=True)
    assert path.read_bytes() == b"x\ny\n"


def test_append_mode_creates_missing_file(spec: PackageSpec, files: FakeFiles) -> None:
    """Mode 'a' on a missing file creates it (19c FOPEN open_mode description)."""
    s = Session()
    f = _open(spec, s, "new.log", "a")
    call(spec, "PUTF", s, file=f, format="%s=%s\\n", arg1="k", arg2="v")
    call(spec, "FCLOSE", s, file=f)
    assert (files.paths["DATA_PUMP_DIR"] / "new.log").read_text() == "k=v\n"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"open_mode": "x"}, 29281),
        ({"max_linesize": 0}, 29287),
        ({"max_linesize": 32768}, 29287),
        ({"filename": "../etc/passwd"}, 29288),
        ({"filename": "sub/x.txt"}, 29288),
        ({"location": "NOPE"}, 29280),
        ({"location": "data_pump_dir"}, 29280),
        ({"location": "RO_DIR", "open_mode": "w"}, 29289),
        ({"filename": "missing.txt"}, 29283),
    ],
)
def test_fopen_errors(spec: PackageSpec, kwargs: dict[str, object], code: int) -> None:
    """FOPEN: INVALID_MODE, INVALID_MAXLINESIZE (1..32767), INVALID_FILENAME, INVALID_PATH
    (names are case-sensitive), ACCESS_DENIED, INVALID_OPERATION for a missing file."""
    args: dict[str, object] = {
        "location": "DATA_PUMP_DIR",
        "filename": "missing.txt",
        "open_mode": "r",
        **kwargs,
    }
    with pytest.raises(OracleError) as err:
        call(spec, "FOPEN", Session(), **args)
    assert _code(err) == code
    assert err.value.lines[-1].startswith('ORA-06512: at "SYS.UTL_FILE"')


def test_line_longer_than_max_linesize(spec: PackageSpec, files: FakeFiles) -> None:
    """A line over MAX_LINESIZE is READ_ERROR (ORA-29284) on GET_LINE; with a smaller LEN the
    line comes back in pieces [U]. Writing one is WRITE_ERROR (ORA-29285)."""
    (files.paths["DATA_PUMP_DIR"] / "long.txt").write_text("abcdefghij\nk\n")
    s = Session()
    r = _open(spec, s, "long.txt", "r", size=5)
    with pytest.raises(OracleError) as err:
        call(spec, "GET_LINE", s, file=r, buffer=None)
    assert _code(err) == 29284
    r = _open(spec, s, "long.txt", "r", size=100)
    assert call(spec, "GET_LINE", s, file=r, buffer=None, len=4)[1]["BUFFER"] == "abcd"
    assert call(spec, "GET_LINE", s, file=r, buffer=None)[1]["BUFFER"] == "efghij"
    w = _open(spec, s, "out.txt", "w", size=3)
    call(spec, "PUT", s, file=w, buffer="ab")
    with pytest.raises(OracleError) as err:
        call(spec, "PUT", s, file=w, buffer="cd")
    assert _code(err) == 29285


def test_fseek_and_fgetpos_resume_a_tail(spec: PackageSpec, files: FakeFiles) -> None:
    """FGETPOS returns the byte offset after the last read; FSEEK(absolute_offset) resumes
    there (reference section 11.4). Offsets past the end are INVALID_OFFSET (ORA-29290);
    a relative seek before the start stops at 0."""
    (files.paths["DATA_PUMP_DIR"] / "exp.log").write_bytes("\u00e9t\u00e9\nb\n".encode())
    s = Session()
    r = _open(spec, s, "exp.log", "r")
    call(spec, "GET_LINE", s, file=r, buffer=None)
    pos, _ = call(spec, "FGETPOS", s, file=r)
    assert pos == Decimal(6)
    r2 = _open(spec, s, "exp.log", "r")
    call(spec, "FSEEK", s, file=r2, absolute_offset=6)
    assert call(spec, "GET_LINE", s, file=r2, buffer=None)[1]["BUFFER"] == "b"
    with pytest.raises(OracleError) as err:
        call(spec, "FSEEK", s, file=r2, absolute_offset=99)
    assert _code(err) == 29290
    call(spec, "FSEEK", s, file=r2, relative_offset=-100)
    assert call(spec, "FGETPOS", s, file=r2)[0] == Decimal(0)
    with pytest.raises(OracleError):
        call(spec, "FSEEK", s, file=r2)


def test_byte_mode_raw_io(spec: PackageSpec, files: FakeFiles) -> None:
    """wb/rb: PUT_RAW and GET_RAW move bytes as they are; text PUT in byte mode is
    INVALID_OPERATION (ORA-29283, documented for PUT)."""
    s = Session()
    w = _open(spec, s, "b.bin", "wb")
    assert isinstance(w, RecordValue)
    assert w.fields["BYTE_MODE"] is True
    call(spec, "PUT_RAW", s, file=w, buffer=b"\x00\x01\n\x02")
    with pytest.raises(OracleError) as err:
        call(spec, "PUT", s, file=w, buffer="x")
    assert _code(err) == 29283
    call(spec, "FCLOSE", s, file=w)
    r = _open(spec, s, "b.bin", "rb")
    assert call(spec, "GET_RAW", s, file=r, buffer=None, len=3)[1]["BUFFER"] == b"\x00\x01\n"
    assert call(spec, "GET_RAW", s, file=r, buffer=None)[1]["BUFFER"] == b"\x02"
    with pytest.raises(OracleError):
        call(spec, "GET_RAW", s, file=r, buffer=None)


def test_closed_and_foreign_handles_are_invalid(spec: PackageSpec, files: FakeFiles) -> None:
    """After FCLOSE a stale copy of the handle is INVALID_FILEHANDLE (ORA-29282); handles
    belong to their session; after FCLOSE_ALL IS_OPEN still says TRUE (19c usage notes) but
    the handle no longer works."""
    s = Session()
    f = _open(spec, s, "c.txt", "w")
    copy = f
    call(spec, "FCLOSE", s, file=f)
    with pytest.raises(OracleError) as err:
        call(spec, "PUT", s, file=copy, buffer="x")
    assert _code(err) == 29282
    g = _open(spec, s, "c.txt", "w")
    with pytest.raises(OracleError):
        call(spec, "PUT", Session(), file=g, buffer="x")
    call(spec, "FCLOSE_ALL", s)
    assert call(spec, "IS_OPEN", s, file=g)[0] is True
    with pytest.raises(OracleError) as err:
        call(spec, "PUT", s, file=g, buffer="x")
    assert _code(err) == 29282
    assert call(spec, "IS_OPEN", s, file=None)[0] is False


def test_read_handle_refuses_writes(spec: PackageSpec, files: FakeFiles) -> None:
    """Writing to a file opened with 'r' is INVALID_OPERATION (ORA-29283)."""
    (files.paths["DATA_PUMP_DIR"] / "r.txt").write_text("x\n")
    s = Session()
    r = _open(spec, s, "r.txt", "r")
    with pytest.raises(OracleError) as err:
        call(spec, "PUT_LINE", s, file=r, buffer="y")
    assert _code(err) == 29283


def test_fgetattr(spec: PackageSpec, files: FakeFiles) -> None:
    """FGETATTR: FEXISTS TRUE with the length in bytes; a missing file is not an error
    (FEXISTS FALSE) [U: lengths 0]; an unknown directory is INVALID_PATH."""
    (files.paths["DATA_PUMP_DIR"] / "x.dmp").write_bytes(b"a" * 1024)
    s = Session()
    _, out = call(
        spec,
        "FGETATTR",
        s,
        location="DATA_PUMP_DIR",
        filename="x.dmp",
        fexists=None,
        file_length=None,
        block_size=None,
    )
    assert (out["FEXISTS"], out["FILE_LENGTH"]) == (True, Decimal(1024))
    _, out = call(
        spec,
        "FGETATTR",
        s,
        location="DATA_PUMP_DIR",
        filename="y.dmp",
        fexists=None,
        file_length=None,
        block_size=None,
    )
    assert out["FEXISTS"] is False
    with pytest.raises(OracleError) as err:
        call(spec, "FGETATTR", s, location="X", filename="y", fexists=None)
    assert _code(err) == 29280


def test_fremove_frename_fcopy(spec: PackageSpec, files: FakeFiles) -> None:
    """FREMOVE deletes (missing file: ORA-29283; READ-only directory: ORA-29289); FRENAME
    refuses an existing destination unless OVERWRITE (ORA-29292); FCOPY copies a line range."""
    d = files.paths["DATA_PUMP_DIR"]
    (d / "a.txt").write_text("1\n2\n3\n4\n")
    s = Session()
    call(
        spec,
        "FCOPY",
        s,
        src_location="DATA_PUMP_DIR",
        src_filename="a.txt",
        dest_location="DATA_PUMP_DIR",
        dest_filename="b.txt",
        start_line=2,
        end_line=3,
    )
    assert (d / "b.txt").read_text() == "2\n3\n"
    with pytest.raises(OracleError) as err:
        call(
            spec,
            "FRENAME",
            s,
            src_location="DATA_PUMP_DIR",
            src_filename="a.txt",
            dest_location="DATA_PUMP_DIR",
            dest_filename="b.txt",
        )
    assert _code(err) == 29292
    call(
        spec,
        "FRENAME",
        s,
        src_location="DATA_PUMP_DIR",
        src_filename="a.txt",
        dest_location="DATA_PUMP_DIR",
        dest_filename="b.txt",
        overwrite=True,
    )
    assert (d / "b.txt").read_text() == "1\n2\n3\n4\n"
    assert not (d / "a.txt").exists()
    call(spec, "FREMOVE", s, location="DATA_PUMP_DIR", filename="b.txt")
    assert not (d / "b.txt").exists()
    with pytest.raises(OracleError) as err:
        call(spec, "FREMOVE", s, location="DATA_PUMP_DIR", filename="b.txt")
    assert _code(err) == 29283
    with pytest.raises(OracleError) as err:
        call(spec, "FREMOVE", s, location="RO_DIR", filename="b.txt")
    assert _code(err) == 29289


def test_state_is_per_package_instance(files: FakeFiles) -> None:
    """Rebuilding the package resets all sessions' handles (one reset point)."""
    s = Session()
    first = utl_file.build(files)
    f = _open(first, s, "z.txt", "w")
    with pytest.raises(OracleError):
        call(utl_file.build(files), "PUT", s, file=f, buffer="x")
