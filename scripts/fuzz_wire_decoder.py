"""Feed random and mutated requests to the Oracle Net decoders; any non-ProtocolError is a bug.

Usage: ``python scripts/fuzz_wire_decoder.py [COUNT]`` (default 100000). Inputs are random
bytes and single-byte mutations of real requests (a logon, an execute with binds, an execute
with an object bind and a REF CURSOR bind) and of pickled object images (a whole ku$_Status
with collections and embedded objects), so most reach deep into the decoders rather than
failing on the first byte.
"""

from __future__ import annotations

import random
import sys

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._datapump import types
from airflow_datapump.testing._net import objects, requests
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
    # a PL/SQL execute with a KU$_LOGLINE1010 object IN bind and a REF CURSOR OUT bind
    bytes.fromhex(
        "035e050204290001015301010d0000000101047fffffff0101020000000000000000000100000000000000"
        "0000000000000000536465636c617265206c206b75245f6c6f676c696e6531303130203a3d203a6c3b2062"
        "6567696e206f70656e203a6320666f722073656c656374206c2e6c6f67746578742066726f6d206475616c"
        "3b20656e643b01010101000000000000000280000000006d0100000000000110101d4d1dd439da589b7143"
        "2ba38e63575e010100000000660100000104000000000000000007012424002202081d4d1dd439da589b71"
        "432ba38e63575e00000000000000000000000000010001000000010d01010d8401fe0000000d02c104ff01"
        "780100"
    ),
]
STATUS_TYPE = types.TYPES["KU$_STATUS1220"]
assert isinstance(STATUS_TYPE, v.ObjectType)


def _status_image() -> bytes:
    """A full ku$_Status1220 image: embedded objects, collections of objects, NULLs."""
    line = types.TYPES["KU$_LOGLINE1010"]
    entry = types.TYPES["KU$_LOGENTRY1010"]
    assert isinstance(line, v.ObjectType)
    assert isinstance(entry, v.CollectionType)
    lines = {
        i: v.ObjectValue(line, {"LOGLINENUMBER": v.normalize(i), "LOGTEXT": f"line {i}"}) for i in (1, 2)
    }
    job_status = STATUS_TYPE.attribute("JOB_STATUS")
    assert isinstance(job_status, v.ObjectType)
    status = v.ObjectValue(
        STATUS_TYPE,
        {"MASK": v.normalize(15), "WIP": v.CollectionValue(entry, dict(lines)),
         "JOB_STATUS": v.ObjectValue(job_status, {"STATE": "EXECUTING", "PERCENT_DONE": v.normalize(50)})},
    )  # fmt: skip
    return objects.encode(status, STATUS_TYPE)


IMAGES = [_status_image()]


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
        if index % 3 == 2:
            image = bytearray(rng.choice(IMAGES))
            for _ in range(rng.randrange(1, 4)):
                image[rng.randrange(len(image))] = rng.randrange(256)
            data = bytes(image[: rng.randrange(len(image) + 1)])
        for decode in (_request, _packet, _image):
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


def _image(data: bytes) -> None:
    objects.decode(data, STATUS_TYPE)


def _packet(data: bytes) -> None:
    header = data[:8].ljust(8, b"\0")
    packet = parse_header_and_body(header, lambda n: data[8 : 8 + n].ljust(n, b"\0"), large=False)
    if packet.type == 1:
        parse_connect(packet)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
