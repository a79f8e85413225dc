"""Malformed, unsupported and failing requests are answered with Oracle errors; the fuzz
harness (scripts/fuzz_wire_decoder.py) finds no input that ends a connection unanswered."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle
from airflow_datapump.testing._engine import ConnectRequest
from airflow_datapump.testing._net import requests
from airflow_datapump.testing._net.session import WireSession

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "fuzz_wire_decoder.py"


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_wire_decoder", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def seeds(fuzz: ModuleType, oracle: EmulatedOracle) -> list[bytes]:
    recorded: list[bytes] = fuzz.recorded_requests(oracle.dsn())
    return recorded


def _session(oracle: EmulatedOracle) -> WireSession:
    session = WireSession(oracle.backend, "FREEPDB1", lambda service, user: None)
    session.session = oracle.backend.connect(ConnectRequest("FREEPDB1", "SYSTEM", "oracle"))
    return session


def _select(seeds: list[bytes]) -> bytes:
    return next(s for s in seeds if b"select :a from dual" in s)


def test_a_malformed_request_is_ora_03137_and_the_session_goes_on(
    oracle: EmulatedOracle, seeds: list[bytes]
) -> None:
    session = _session(oracle)
    valid = _select(seeds)
    reply = session.handle(valid[:40])  # cut short inside the execute's header
    assert b"ORA-03137: malformed TTC packet from client rejected: [message truncated" in reply
    answer = session.handle(valid)
    assert b"text" in answer  # the bind's value, selected
    assert b"ORA-03137" not in answer


def test_an_unimplemented_function_is_ora_03001(oracle: EmulatedOracle) -> None:
    reply = _session(oracle).handle(bytes([requests.MSG_FUNCTION, 200, 1]))
    assert b"ORA-03001: unimplemented feature" in reply


def test_a_one_way_message_gets_no_reply(oracle: EmulatedOracle) -> None:
    assert _session(oracle).handle(bytes([requests.MSG_ONEWAY, requests.FN_SESSION_RELEASE, 1, 0, 0])) == b""


def test_an_emulator_bug_is_answered_with_ora_00600(
    oracle: EmulatedOracle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver treats ORA-00600 as fatal to the session (DPY-4011, as against Oracle), but
    the error it reports carries the server's answer: an internal error, and which."""

    def broken(*args: Any) -> None:
        raise KeyError("a bug")

    conn = oracledb.connect(user="system", password="oracle", dsn=oracle.dsn())
    cursor = conn.cursor()
    cursor.arraysize = 1
    cursor.execute("select username from all_users")
    cursor.fetchone()
    monkeypatch.setattr(oracle.backend, "fetch_round_trip", broken)
    with pytest.raises(oracledb.DatabaseError) as raised:
        cursor.fetchmany(5)
    message = raised.value.args[0].message
    assert f"ORA-00600: internal error code, arguments: [KeyError], [broken]{', []' * 10}" in message
    assert "a bug" not in message  # an exception's text stays in the server's log
    monkeypatch.undo()
    with oracledb.connect(user="system", password="oracle", dsn=oracle.dsn()) as again:
        assert again.cursor().execute("select 1 from dual").fetchone() == (1,)


def test_the_decoders_raise_nothing_but_protocol_errors(fuzz: ModuleType, seeds: list[bytes]) -> None:
    assert fuzz.fuzz_decoders(3000, fuzz.SEEDS + seeds) == 0


def test_no_fuzzed_request_ends_a_connection_unanswered(
    fuzz: ModuleType, oracle: EmulatedOracle, seeds: list[bytes]
) -> None:
    outcomes = fuzz.fuzz_session(oracle.backend, seeds, 150)
    assert outcomes == {"answered": 150}


def test_the_hand_kept_execute_seeds_decode_to_what_they_claim(fuzz: ModuleType) -> None:
    """A seed that no longer decodes only reaches the decoder's first refusal; the kept ones
    are recordings of the real driver, so they decode to the statement their comment names."""
    select, plsql = (requests.parse(seed) for seed in fuzz.SEEDS[1:3])
    assert (select.sql, select.rows) == ("select :a from dual", [[b"text"]])
    assert plsql.sql is not None
    assert plsql.sql.startswith("declare l ku$_logline1010 := :l;")
