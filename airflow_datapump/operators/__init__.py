"""Operators: Data Pump jobs (ExportOperator, ImportOperator) and moving their dump files."""

from airflow_datapump.operators.datapump import ExportOperator, ImportOperator
from airflow_datapump.operators.in_database import DbmsCloudTransferOperator, RdsS3TransferOperator
from airflow_datapump.operators.transfer import (
    CopyDumpFilesOperator,
    DumpFromObjectStorageOperator,
    DumpToObjectStorageOperator,
)

__all__ = [
    "CopyDumpFilesOperator",
    "DbmsCloudTransferOperator",
    "DumpFromObjectStorageOperator",
    "DumpToObjectStorageOperator",
    "ExportOperator",
    "ImportOperator",
    "RdsS3TransferOperator",
]
