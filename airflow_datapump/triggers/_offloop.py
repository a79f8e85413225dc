"""Importing what a trigger runs on, off the triggerer's event loop.

Airflow's triggerer imports a trigger's class with a plain, synchronous import on its event
loop (``get_trigger_by_classpath`` in ``create_triggers``), so while that import runs every
trigger of the process waits. The hook, python-oracledb and the Oracle provider take about
100 ms of CPU to import, two to three times that on a busy machine: a stall Airflow's
watchdog reports as a "badly-written trigger". So a trigger's module imports only what
building and serializing a trigger needs, and the rest is imported in a worker thread the
first time a trigger of the process runs. The loop keeps running meanwhile: the importing
thread hands the interpreter back every switch interval.

"Imported" is recorded only once the thread has finished: a module is in ``sys.modules``
from the start of its import, and importing a half-imported module from the loop would wait
on its import lock, on the loop.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Iterable

_done: set[str] = set()
_lock = threading.Lock()


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)
    with _lock:
        _done.update(names)


async def imported(names: Iterable[str]) -> None:
    """Return once every module of ``names`` is fully imported, never importing on the loop."""
    wanted = tuple(names)
    with _lock:
        missing = tuple(name for name in wanted if name not in _done)
    if missing:
        await asyncio.to_thread(_import_all, missing)
