"""Airflow names that moved between 3.0 and 3.3, taken from where the running Airflow has them.

The provider supports apache-airflow >= 3.0. ``airflow.sdk.conf`` and the task exceptions in
``airflow.sdk.exceptions`` arrived in 3.2; before that they live in ``airflow.configuration``
and ``airflow.exceptions``. The exceptions are taken as one set, from one module, because the
task runner of that Airflow recognises skips, reschedules and deferrals by those classes.
"""

from __future__ import annotations

try:
    from airflow.sdk import conf
except ImportError:  # Airflow < 3.2
    from airflow.configuration import conf  # type: ignore[assignment]

try:
    from airflow.sdk.exceptions import (
        AirflowException,
        AirflowRescheduleException,
        AirflowSkipException,
        TaskDeferred,
    )
except ImportError:  # Airflow < 3.2
    from airflow.exceptions import (  # type: ignore[attr-defined, no-redef]
        AirflowException,
        AirflowRescheduleException,
        AirflowSkipException,
        TaskDeferred,
    )

__all__ = ["AirflowException", "AirflowRescheduleException", "AirflowSkipException", "TaskDeferred", "conf"]
