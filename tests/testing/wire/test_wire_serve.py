"""The ``serve`` command and the packet decoder's robustness."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import oracledb
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_datapump.testing._net import requests
from airflow_datapump.testing._net.buffer import ProtocolError
from airflow_datapump.testing._net.packets import parse_connect, parse_header_and_body


def test_serve_prints_dsns_and_serves_the_real_driver(tmp_path: object) -> None:
    command = [
        sys.executable,
        "-m",
        "airflow_datapump.testing",
        "serve",
        "--port",
        "0",
        "--state",
        str(tmp_path),
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith("Oracle Net server on 127.0.0.1:")
        service, dsn = server.stdout.readline().strip().split(": ")
        assert service == "FREEPDB1"
        connection = oracledb.connect(user="system", password="oracle", dsn=dsn)
        assert connection.cursor().execute("select 40 + 2 from dual").fetchone() == (42,)
        connection.close()
    finally:
        os.kill(server.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert server.returncode == 0


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_request_decoder_raises_only_protocol_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        requests.parse(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=8, max_size=8), st.binary(max_size=200))
def test_packet_decoder_raises_only_protocol_errors(header: bytes, body: bytes) -> None:
    try:
        packet = parse_header_and_body(header, lambda n: body[:n].ljust(n, b"\0"), large=False)
        if packet.type == 1:
            parse_connect(packet)
    except ProtocolError:
        pass
