"""JobTrigger never imports the driver or the hook on the triggerer's event loop.

Airflow's triggerer imports a trigger's class synchronously on its event loop; the driver, the
Oracle provider and the hook cost about 100 ms of CPU to import, a stall every trigger of the
process would wait out. Checked in a fresh interpreter (in this one they are long imported),
with the triggerer's own modules loaded first, by recording which thread imports what.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from airflow_datapump import JobSpec
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers.datapump import RUNTIME_MODULES

HEAVY = ("oracledb", "airflow.providers.oracle.hooks.oracle", "airflow_datapump.hooks.datapump")

# Runs in the child: import as the triggerer does, then run one trigger to its event.
CHILD = """
import asyncio, importlib, json, sys, threading

heavy = set(sys.argv[2:])
importers = {}

def audit(event, args):
    if event == "import" and args[0] in heavy:
        importers.setdefault(args[0], threading.get_ident())

sys.addaudithook(audit)
import airflow.jobs.triggerer_job_runner

trigger_class = importlib.import_module("airflow_datapump.triggers.datapump").JobTrigger
after_class_import = sorted(name for name in heavy if name in sys.modules)

async def main():
    trigger = trigger_class(oracle_conn_id="oracle_default", job=json.loads(sys.argv[1]), poll_interval=0.01)
    async for event in trigger.run():
        return event.payload["status"]

status = asyncio.run(main())
print(json.dumps({
    "after_class_import": after_class_import,
    "on_loop": sorted(name for name, ident in importers.items() if ident == threading.main_thread().ident),
    "imported": sorted(importers),
    "loaded": sorted(name for name in heavy if name in sys.modules),
    "status": status,
}))
"""


def test_the_driver_and_hook_are_imported_off_the_event_loop(db: DatabaseHandle) -> None:
    hook = DatapumpHook()
    job = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["loop.dmp"])).to_dict()
    hook.close()
    db.set_clock("wall")
    db.set_job_rate(100_000_000)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(job), *HEAVY],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["status"] == "success"  # the trigger did run, on the real driver
    assert seen["after_class_import"] == []  # Airflow's import of the class pulls none of them
    assert seen["loaded"] == sorted(HEAVY)
    # The import statement is audited (importlib.import_module is not): the driver and the
    # Oracle provider are imported by the hook's module, so they are seen being imported ...
    assert {"oracledb", "airflow.providers.oracle.hooks.oracle"} <= set(seen["imported"])
    assert seen["on_loop"] == []  # ... and never by the event loop's thread


def test_the_modules_imported_off_the_loop_are_the_ones_the_trigger_uses() -> None:
    """A module the trigger's code imports but RUNTIME_MODULES lacks would be imported on the loop."""
    import ast
    from pathlib import Path

    import airflow_datapump.triggers.datapump as module

    tree = ast.parse(Path(module.__file__ or "").read_text())
    imported = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:  # ``from package import module`` imports the module
                    name = f"{node.module}.{alias.name}"
                    imported.add(name if _is_module(name) else node.module)
    assert imported, "the trigger imports its runtime modules inside its methods"
    assert imported <= set(RUNTIME_MODULES)


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
