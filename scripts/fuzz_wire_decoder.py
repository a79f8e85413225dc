"""Feed random and mutated requests to the Oracle Net decoders; any non-ProtocolError is a bug.

Usage: ``python scripts/fuzz_wire_decoder.py [COUNT]`` (default 100000). Inputs are random
bytes and single-byte mutations of real requests (a logon, an execute with binds), so most
reach deep into the decoders rather than failing on the first byte.
"""

from __future__ import annotations

import random
import sys

from airflow_datapump.testing._net import requests
from airflow_datapump.testing._net.buffer import ProtocolError
from airflow_datapump.testing._net.packets import parse_connect, parse_header_and_body

SEEDS = [
    bytes.fromhex("035e0101" + "0" * 8),
    # an execute of "select :a from dual" with one VARCHAR bind, as the thin driver sends it
    bytes.fromhex(
        "035e02028061000114011301000001020001000000000000000000000000000000000000000000"
        "1373656c656374203a612066726f6d206475616c"
        "01010000000000000000000000000000000000000000000000000000"
        "0101000000000000000000000000000000000000000000000000000000"
    ),
]


def main(count: int) -> int:
    rng = random.Random(20261202)
    failures = 0
    for index in range(count):
        if index % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        else:
            seed = bytearray(rng.choice(SEEDS))
            for _ in range(rng.randrange(1, 4)):
                seed[rng.randrange(len(seed))] = rng.randrange(256)
            data = bytes(seed[: rng.randrange(len(seed) + 1)])
        for decode in (_request, _packet):
            try:
                decode(data)
            except ProtocolError:
                pass
            except Exception as exc:
                failures += 1
                print(f"{decode.__name__} {data.hex()}: {type(exc).__name__}: {exc}")
    print(f"{count} inputs, {failures} unexpected exceptions")
    return 1 if failures else 0


def _request(data: bytes) -> None:
    requests.parse(data)


def _packet(data: bytes) -> None:
    header = data[:8].ljust(8, b"\0")
    packet = parse_header_and_body(header, lambda n: data[8 : 8 + n].ljust(n, b"\0"), large=False)
    if packet.type == 1:
        parse_connect(packet)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
