"""The stack's ``[core] hostname_callable``: every component is reached on loopback.

Airflow records where a task ran and which triggerer holds its trigger by this name, and the
api-server fetches a running or deferred task's log from that host's log server. The machine's
own name may resolve to another address than the one the stack's servers listen on
(127.0.1.1 on many Debian hosts), so the stack names loopback itself. Airflow's components
import this module (the stack puts this folder on their PYTHONPATH); nothing else is in it.
"""

from __future__ import annotations


def hostname() -> str:
    return "127.0.0.1"
