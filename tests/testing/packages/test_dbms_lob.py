"""DBMS_LOB and BFILENAME through their PackageSpecs, against the 19c Packages Reference."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from packages_fakes import FakeFiles, Session, call

from airflow_datapump.testing._packages import dbms_lob
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import PackageSpec
from airflow_datapump.testing._values import BFileValue, LobValue, TypeKind

MAX = 18446744073709551615


@pytest.fixture
def files(tmp_path: Path) -> FakeFiles:
    fake = FakeFiles(tmp_path)
    fake.add("DATA_PUMP_DIR").joinpath("exp.log").write_bytes("caf\u00e9\nok\n".encode())
    fake.add("NO_READ", "WRITE")
    return fake


@pytest.fixture
def spec(files: FakeFiles) -> PackageSpec:
    return dbms_lob.build(files)


def _bfile(name: str = "exp.log", directory: str = "DATA_PUMP_DIR") -> BFileValue:
    result, _ = call(
        dbms_lob.build_standard(FakeFiles(Path())),
        "BFILENAME",
        None,
        directory=directory,
        filename=name,
    )
    assert isinstance(result, BFileValue)
    return result


def test_constants() -> None:
    """Documented constants: LOBMAXSIZE, DEFAULT_CSID, DEFAULT_LANG_CTX, FILE_READONLY ..."""
    consts = dbms_lob.build(FakeFiles(Path())).constants
    assert consts["LOBMAXSIZE"][1] == Decimal(MAX)
    assert consts["DEFAULT_CSID"][1] == consts["DEFAULT_LANG_CTX"][1] == Decimal(0)
    assert consts["CALL"][1] == Decimal(12)
    assert consts["SESSION"][1] == Decimal(10)


def test_reference_11_5_whole_log_as_clob(spec: PackageSpec) -> None:
    """Reference 11.5: CREATETEMPORARY, FILEOPEN, LOADCLOBFROMFILE(LOBMAXSIZE) loads the whole
    file; DEST_OFFSET advances in characters, SRC_OFFSET in bytes; WARNING is NO_WARNING."""
    s = Session()
    b = _bfile()
    _, out = call(spec, "CREATETEMPORARY", s, lob=LobValue(TypeKind.CLOB, ""), cache=True)
    c = out["LOB"]
    assert c == LobValue(TypeKind.CLOB, "")
    call(spec, "FILEOPEN", s, file_loc=b, open_mode=0)
    _, out = call(
        spec,
        "LOADCLOBFROMFILE",
        s,
        dest_lob=c,
        src_bfile=b,
        amount=MAX,
        dest_offset=1,
        src_offset=1,
        bfile_csid=0,
        lang_context=0,
        warning=None,
    )
    call(spec, "FILECLOSE", s, file_loc=b)
    assert out["DEST_LOB"] == LobValue(TypeKind.CLOB, "caf\u00e9\nok\n")
    assert (out["DEST_OFFSET"], out["SRC_OFFSET"], out["WARNING"]) == (9, 10, 0)


def test_unopened_and_missing_bfiles(spec: PackageSpec) -> None:
    """Reading an unopened BFILE is UNOPENED_FILE (ORA-22289); FILEOPEN of a missing file is
    ORA-22288 with the OS detail; a missing directory ORA-22285; no READ ORA-22286."""
    s = Session()
    with pytest.raises(OracleError) as err:
        call(spec, "SUBSTR", s, file_loc=_bfile())
    assert err.value.code == 22289
    with pytest.raises(OracleError) as err:
        call(spec, "FILEOPEN", s, file_loc=_bfile("none.log"))
    assert err.value.code == 22288
    assert err.value.lines[1] == "No such file or directory"
    with pytest.raises(OracleError) as err:
        call(spec, "FILEOPEN", s, file_loc=_bfile(directory="data_pump_dir"))
    assert err.value.code == 22285
    with pytest.raises(OracleError) as err:
        call(spec, "FILEOPEN", s, file_loc=_bfile(directory="NO_READ"))
    assert err.value.code == 22286
    with pytest.raises(OracleError) as err:
        call(spec, "FILECLOSE", s, file_loc=_bfile())
    assert err.value.code == 22289


def test_bfile_queries(spec: PackageSpec) -> None:
    """FILEEXISTS returns 1/0; FILEISOPEN 1/0; FILEGETNAME gives the alias and name;
    GETLENGTH of a BFILE needs no FILEOPEN; SUBSTR/INSTR/READ of an open BFILE are bytes."""
    s = Session()
    b = _bfile()
    assert call(spec, "FILEEXISTS", s, file_loc=b)[0] == 1
    assert call(spec, "FILEEXISTS", s, file_loc=_bfile("x"))[0] == 0
    assert call(spec, "GETLENGTH", s, file_loc=b)[0] == 9
    assert call(spec, "FILEISOPEN", s, file_loc=b)[0] == 0
    call(spec, "FILEOPEN", s, file_loc=b)
    assert call(spec, "FILEISOPEN", s, file_loc=b)[0] == 1
    assert call(spec, "SUBSTR", s, file_loc=b, amount=3, offset=1)[0] == b"caf"
    assert call(spec, "INSTR", s, file_loc=b, pattern=b"ok")[0] == 7
    _, out = call(spec, "READ", s, file_loc=b, amount=100, offset=7, buffer=None)
    assert (out["AMOUNT"], out["BUFFER"]) == (3, b"ok\n")
    _, out = call(spec, "FILEGETNAME", s, file_loc=b, dir_alias=None, filename=None)
    assert (out["DIR_ALIAS"], out["FILENAME"]) == ("DATA_PUMP_DIR", "exp.log")
    call(spec, "FILECLOSEALL", s)
    assert call(spec, "FILEISOPEN", s, file_loc=b)[0] == 0


def test_clob_reads_and_writes(spec: PackageSpec) -> None:
    """CLOB offsets count characters; SUBSTR returns NULL past the end; READ past the end is
    NO_DATA_FOUND; WRITE pads a gap with spaces; TRIM beyond the length is ORA-22926."""
    s = Session()
    c = LobValue(TypeKind.CLOB, "h\u00e9llo")
    assert call(spec, "GETLENGTH", s, lob_loc=c)[0] == 5
    assert call(spec, "SUBSTR", s, lob_loc=c, amount=2, offset=2)[0] == "\u00e9l"
    assert call(spec, "SUBSTR", s, lob_loc=c, amount=2, offset=9)[0] is None
    with pytest.raises(OracleError) as err:
        call(spec, "READ", s, lob_loc=c, amount=1, offset=6, buffer=None)
    assert err.value.code == 1403
    _, out = call(spec, "WRITE", s, lob_loc=c, amount=2, offset=8, buffer="xyz")
    assert out["LOB_LOC"] == LobValue(TypeKind.CLOB, "h\u00e9llo  xy")
    _, out = call(spec, "WRITEAPPEND", s, lob_loc=c, amount=1, buffer="!")
    assert out["LOB_LOC"] == LobValue(TypeKind.CLOB, "h\u00e9llo!")
    _, out = call(spec, "APPEND", s, dest_lob=c, src_lob=LobValue(TypeKind.CLOB, "+"))
    assert out["DEST_LOB"] == LobValue(TypeKind.CLOB, "h\u00e9llo+")
    _, out = call(spec, "TRIM", s, lob_loc=c, newlen=1)
    assert out["LOB_LOC"] == LobValue(TypeKind.CLOB, "h")
    with pytest.raises(OracleError) as err:
        call(spec, "TRIM", s, lob_loc=c, newlen=9)
    assert err.value.code == 22926
    with pytest.raises(OracleError) as err:
        call(spec, "WRITEAPPEND", s, lob_loc=None, amount=1, buffer="x")
    assert err.value.code == 22275


def test_blob_load_and_copy(spec: PackageSpec) -> None:
    """LOADBLOBFROMFILE copies bytes; an AMOUNT past the end of the BFILE (other than
    LOBMAXSIZE) is ORA-22993 [U]; COPY pads a BLOB gap with zero bytes."""
    s = Session()
    b = _bfile()
    call(spec, "FILEOPEN", s, file_loc=b)
    blob = LobValue(TypeKind.BLOB, b"")
    _, out = call(
        spec,
        "LOADBLOBFROMFILE",
        s,
        dest_lob=blob,
        src_bfile=b,
        amount=4,
        dest_offset=1,
        src_offset=2,
    )
    assert out["DEST_LOB"] == LobValue(TypeKind.BLOB, b"af\xc3\xa9")
    assert (out["DEST_OFFSET"], out["SRC_OFFSET"]) == (5, 6)
    with pytest.raises(OracleError) as err:
        call(
            spec,
            "LOADBLOBFROMFILE",
            s,
            dest_lob=blob,
            src_bfile=b,
            amount=50,
            dest_offset=1,
            src_offset=1,
        )
    assert err.value.code == 22993
    _, out = call(
        spec,
        "COPY",
        s,
        dest_lob=LobValue(TypeKind.BLOB, b"a"),
        src_lob=LobValue(TypeKind.BLOB, b"xy"),
        amount=2,
        dest_offset=3,
    )
    assert out["DEST_LOB"] == LobValue(TypeKind.BLOB, b"a\x00xy")


def test_temporary_lobs(spec: PackageSpec) -> None:
    """CREATETEMPORARY gives an empty LOB of the overload's type; DUR other than SESSION or
    CALL is INVALID_ARGVAL (ORA-21560); FREETEMPORARY leaves the locator NULL."""
    s = Session()
    _, out = call(spec, "CREATETEMPORARY", s, lob=LobValue(TypeKind.BLOB, b"x"), cache=False, dur=12)
    assert out["LOB"] == LobValue(TypeKind.BLOB, b"")
    assert call(spec, "ISTEMPORARY", s, lob_loc=out["LOB"])[0] == 1
    with pytest.raises(OracleError) as err:
        call(spec, "CREATETEMPORARY", s, lob=None, cache=True, dur=99)
    assert err.value.code == 21560
    _, out = call(spec, "FREETEMPORARY", s, lob=out["LOB"])
    assert out["LOB"] is None
