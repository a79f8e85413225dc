"""Operators: ExportOperator and ImportOperator, which submit a job and wait for it."""

from airflow_datapump.operators.datapump import ExportOperator, ImportOperator

__all__ = ["ExportOperator", "ImportOperator"]
