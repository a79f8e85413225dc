"""airflow-datapump: Oracle Data Pump exports and imports from Apache Airflow.

The top level is Airflow-free: importing it to build or check a :class:`JobSpec` does not
import Airflow. The Airflow pieces live in ``airflow_datapump.hooks``, ``.operators``,
``.sensors`` and ``.triggers``; the Oracle emulator for tests in ``airflow_datapump.testing``.
"""

import os
from importlib.metadata import PackageNotFoundError, version

from airflow_datapump.core import (
    Condition,
    DataFilter,
    JobSpec,
    Mode,
    NameFilter,
    Operation,
    Remap,
    Secret,
    TableRef,
    Transform,
)
from airflow_datapump.exceptions import DatapumpError, SpecError

try:
    __version__ = version("airflow-datapump")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Condition",
    "DataFilter",
    "DatapumpError",
    "JobSpec",
    "Mode",
    "NameFilter",
    "Operation",
    "Remap",
    "Secret",
    "SpecError",
    "TableRef",
    "Transform",
    "__version__",
]

# A parent process that runs the Oracle emulator passes it on through the environment, so
# that an Airflow worker or triggerer it starts talks to the same emulated database.
if os.environ.get("AIRFLOW_DATAPUMP_EMULATOR"):
    from airflow_datapump.testing import activate_from_environment

    activate_from_environment()
