"""Triggers: JobTrigger, which waits on a job in the triggerer without a worker slot."""

from airflow_datapump.triggers.datapump import JobTrigger

__all__ = ["JobTrigger"]
