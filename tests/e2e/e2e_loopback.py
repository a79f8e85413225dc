"""What the stack's Airflow components import to be reached on loopback, as one host's deployment.

``hostname`` is their ``[core] hostname_callable``: Airflow records where a task ran and which
triggerer holds its trigger by this name, and the api-server fetches a running or deferred
task's log from that host's log server. The machine's own name may resolve to another address
than the one the stack listens on (127.0.1.1 on many Debian hosts), so the stack names loopback.

``python -m e2e_loopback PORT`` runs Airflow's own log server application on 127.0.0.1: the
one each worker and triggerer would start listens on every interface, and two triggerers on
one host would contend for its one port. The stack puts this folder on the components'
PYTHONPATH; nothing else of the tests is imported by them.
"""

from __future__ import annotations

import sys

HOST = "127.0.0.1"


def hostname() -> str:
    return HOST


def serve_logs(port: int) -> None:
    """Serve the Airflow home's log folder as Airflow's log server does, on loopback only."""
    try:
        from airflow.utils.serve_logs.log_server import get_app  # Airflow 3.1+: an ASGI app
    except ImportError:  # Airflow 3.0: a Flask app that Airflow runs under gunicorn
        from airflow.utils.serve_logs import (  # type: ignore[attr-defined]
            GunicornOption,
            StandaloneGunicornApplication,
            create_app,
        )

        options = [GunicornOption("bind", f"{HOST}:{port}"), GunicornOption("workers", 1)]
        StandaloneGunicornApplication(create_app(), options).run()
        return
    import uvicorn

    uvicorn.run(get_app(), host=HOST, port=port, log_config=None, access_log=False)


if __name__ == "__main__":
    serve_logs(int(sys.argv[1]))
