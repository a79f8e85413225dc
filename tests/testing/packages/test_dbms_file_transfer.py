"""DBMS_FILE_TRANSFER through its PackageSpec, against the 19c Packages Reference notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from packages_fakes import FakeFiles, Session, call

from airflow_datapump.testing._packages import dbms_file_transfer
from airflow_datapump.testing._plsql.errors import OracleError

DUMP = bytes(range(256)) * 4  # 1024 bytes: a multiple of 512


@pytest.fixture
def files(tmp_path: Path) -> FakeFiles:
    fake = FakeFiles(tmp_path / "local")
    fake.add("DATA_PUMP_DIR").joinpath("x.dmp").write_bytes(DUMP)
    fake.add("BACKUP_DIR")
    fake.add("RO_DIR", "READ")
    remote = FakeFiles(tmp_path / "remote")
    remote.add("DATA_PUMP_DIR")
    fake.links["SRC_DB"] = remote
    return fake


def _args(**over: str) -> dict[str, str]:
    base = {
        "source_directory_object": "data_pump_dir",
        "source_file_name": "x.dmp",
        "destination_directory_object": "BACKUP_DIR",
        "destination_file_name": "y.dmp",
    }
    return {**base, **over}


def test_copy_file_binary_and_uppercases_names(files: FakeFiles) -> None:
    """COPY_FILE copies bytes unchanged; unquoted directory names are upper-cased."""
    spec = dbms_file_transfer.build(files)
    call(spec, "COPY_FILE", Session(), **_args())
    assert (files.paths["BACKUP_DIR"] / "y.dmp").read_bytes() == DUMP


@pytest.mark.parametrize(
    ("over", "code", "detail"),
    [
        (
            {"destination_file_name": "x.dmp", "destination_directory_object": "DATA_PUMP_DIR"},
            19504,
            "ORA-27038: created file already exists",
        ),
        ({"source_file_name": "none.dmp"}, 19505, "ORA-27037: unable to obtain file status"),
        ({"destination_directory_object": "RO_DIR"}, 22286, None),
        ({"source_directory_object": '"data_pump_dir"'}, 22285, None),
    ],
)
def test_copy_file_errors(files: FakeFiles, over: dict[str, str], code: int, detail: str | None) -> None:
    """An existing destination is ORA-19504/ORA-27038; a missing source ORA-19505/ORA-27037;
    WRITE is needed on the destination; quoted names keep their case [P/U codes]."""
    spec = dbms_file_transfer.build(files)
    with pytest.raises(OracleError) as err:
        call(spec, "COPY_FILE", Session(), **_args(**over))
    assert err.value.code == code
    if detail:
        assert err.value.lines[1] == detail


def test_size_must_be_multiple_of_512(files: FakeFiles) -> None:
    """Files must be a multiple of 512 bytes (19c usage notes): ORA-19505 / ORA-27046 [P]."""
    (files.paths["DATA_PUMP_DIR"] / "x.log").write_bytes(b"abc")
    spec = dbms_file_transfer.build(files)
    with pytest.raises(OracleError) as err:
        call(spec, "COPY_FILE", Session(), **_args(source_file_name="x.log"))
    assert err.value.code == 19505
    assert "ORA-27046" in err.value.message


def test_get_and_put_over_a_link(files: FakeFiles) -> None:
    """PUT_FILE writes into the remote database's directory; GET_FILE reads from it; an
    unknown link is ORA-02019 from the backend."""
    spec = dbms_file_transfer.build(files)
    s = Session()
    call(
        spec,
        "PUT_FILE",
        s,
        **_args(destination_directory_object="DATA_PUMP_DIR"),
        destination_database="src_db",
    )
    remote = files.links["SRC_DB"]
    assert (remote.paths["DATA_PUMP_DIR"] / "y.dmp").read_bytes() == DUMP
    call(
        spec,
        "GET_FILE",
        s,
        **_args(source_file_name="y.dmp", destination_file_name="z.dmp"),
        source_database="SRC_DB",
    )
    assert (files.paths["BACKUP_DIR"] / "z.dmp").read_bytes() == DUMP
    with pytest.raises(OracleError) as err:
        call(spec, "GET_FILE", s, **_args(), source_database="NOWHERE")
    assert err.value.code == 2019
