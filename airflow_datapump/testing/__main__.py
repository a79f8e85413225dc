"""``python -m airflow_datapump.testing serve``: the emulated databases as an Oracle server.

Serves every database under ``--state`` (a new temporary folder when omitted) to any Oracle
client over Oracle Net until interrupted, printing the DSN of each service it knows. A service
name not seen before creates a new database on first connection, as the in-process emulator
does. SYS and SYSTEM log on with the password ``oracle`` until it is changed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from pathlib import Path

DEFAULT_SERVICE = "FREEPDB1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m airflow_datapump.testing")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the emulated databases over Oracle Net")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=1521, help="port to listen on (default 1521; 0 = any)")
    serve.add_argument("--state", type=Path, default=None, help="state folder (default: a new temporary one)")
    serve.add_argument(
        "--clock", default="wall", choices=("wall", "manual"), help="emulated clock (default wall)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return _serve(args.host, args.port, args.state, args.clock)


def _serve(host: str, port: int, state: Path | None, clock: str) -> int:
    from airflow_datapump.testing import EmulatedOracle

    if state is not None:
        state.mkdir(parents=True, exist_ok=True)  # a new folder is a new set of databases
    oracle = EmulatedOracle(state, clock=clock, host=host, port=port)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with oracle:
        services = sorted({DEFAULT_SERVICE, *(p.name for p in oracle.state_dir.iterdir() if p.is_dir())})
        print(f"Oracle Net server on {oracle.host}:{oracle.port}, state in {oracle.state_dir}", flush=True)
        for service in services:
            print(f"  {service}: {oracle.dsn(service)}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stopped.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
