"""The Airflow-free core: the job model, its checks, and the SQL fragments it renders.

Nothing here imports Airflow or opens a connection, so it can be used and tested anywhere,
and the hook, operators and triggers share one definition of what a job is.
"""

from airflow_datapump.core.conditions import Condition
from airflow_datapump.core.filters import DataFilterCall, FilterCall
from airflow_datapump.core.names import identifier, literal_list, quote_literal
from airflow_datapump.core.parts import (
    DataFilter,
    NameFilter,
    Parameter,
    Remap,
    TableRef,
    Transform,
)
from airflow_datapump.core.secret import Secret
from airflow_datapump.core.spec import JobSpec, Mode, Operation

__all__ = [
    "Condition",
    "DataFilter",
    "DataFilterCall",
    "FilterCall",
    "JobSpec",
    "Mode",
    "NameFilter",
    "Operation",
    "Parameter",
    "Remap",
    "Secret",
    "TableRef",
    "Transform",
    "identifier",
    "literal_list",
    "quote_literal",
]
