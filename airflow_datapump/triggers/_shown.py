"""How far a trigger has shown its job's log, kept where a rebuilt trigger can read it back.

A triggerer restart or fail-over rebuilds the trigger from the kwargs it was deferred with,
whose log position is where the operator left off, not where the trigger got to: without a
record it would show the log again from there. The trigger's own task instance's XCom is
reachable from the triggerer (the task state store is not, as of Airflow 3.3), survives the
restart, and is cleared before the task's next try. Where it is not available (no task
instance, an Airflow without async XCom) nothing is recorded and nothing breaks: lines may
then be shown twice after a restart, as before.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)
KEY = "datapump_log_shown"


def _xcom() -> Any:
    try:
        from airflow.sdk.execution_time.xcom import XCom
    except ImportError:  # pragma: no cover - Airflow before 3.0's SDK layout
        return None
    return XCom if hasattr(XCom, "aset") and hasattr(XCom, "aget_one") else None


def _where(trigger: Any) -> dict[str, Any] | None:
    ti = getattr(trigger, "task_instance", None)
    if ti is None:
        return None
    return {"dag_id": ti.dag_id, "task_id": ti.task_id, "run_id": ti.run_id, "map_index": ti.map_index}


async def load(trigger: Any) -> int:
    """The byte offset of the job's log already shown by this try's trigger; 0 if unknown."""
    xcom, where = _xcom(), _where(trigger)
    if xcom is None or where is None:
        return 0
    try:
        value = await xcom.aget_one(key=KEY, **where)
    except Exception:  # an unreachable store must never stop the wait
        log.debug("could not read how far the log was shown", exc_info=True)
        return 0
    if (
        isinstance(value, dict)
        and value.get("job") == trigger.job.get("job_name")
        and value.get("try") == getattr(trigger, "try_number", None)
    ):
        return int(value.get("position") or 0)
    return 0


async def save(trigger: Any, position: int) -> None:
    xcom, where = _xcom(), _where(trigger)
    if xcom is None or where is None:
        return
    value = {
        "job": trigger.job.get("job_name"),
        "try": getattr(trigger, "try_number", None),
        "position": position,
    }
    with contextlib.suppress(Exception):
        await xcom.aset(KEY, value, **where)
