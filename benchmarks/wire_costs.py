"""Costs of the Oracle Net server: the median loopback round trip through the real driver.

Usage: ``python benchmarks/wire_costs.py [ROUND_TRIPS]`` (default 2000). Reports the median
and 90th-percentile time of ``conn.ping()`` (one empty round trip: packet framing, decode,
engine call, reply) and of ``select 1 from dual`` re-executed on one cursor, and the time
of a full logon (O5LOGON with PBKDF2), all through python-oracledb thin mode on 127.0.0.1.
The goal for the round trip is under 1 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import oracledb

from airflow_datapump.testing import EmulatedOracle


def _timings(action: Callable[[], object], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def _report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    median = statistics.median(ordered) * 1e3
    p90 = ordered[int(len(ordered) * 0.9)] * 1e3
    print(f"{label:<28} median {median:7.3f} ms   p90 {p90:7.3f} ms   (n={len(samples)})")


def main(count: int) -> None:
    with EmulatedOracle() as oracle:
        dsn = oracle.dsn()
        conn = oracledb.connect(user="system", password="oracle", dsn=dsn)
        cursor = conn.cursor()
        _report("ping round trip", _timings(conn.ping, count))
        _report(
            "select 1 from dual", _timings(lambda: cursor.execute("select 1 from dual").fetchall(), count)
        )
        logons = _timings(lambda: oracledb.connect(user="system", password="oracle", dsn=dsn).close(), 20)
        _report("logon + logoff", logons)
        conn.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
