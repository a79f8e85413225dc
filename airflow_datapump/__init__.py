"""airflow-datapump: Oracle Data Pump exports and imports from Apache Airflow.

The top level is Airflow-free: importing it to build or check a :class:`JobSpec` does not
import Airflow. The Airflow pieces live in ``airflow_datapump.hooks``, ``.operators``,
``.sensors`` and ``.triggers``; the Oracle emulator for tests in ``airflow_datapump.testing``.
"""

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
