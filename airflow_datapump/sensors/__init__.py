"""Sensors: JobSensor, which waits on an existing Data Pump job by name."""

from airflow_datapump.sensors.datapump import JobSensor

__all__ = ["JobSensor"]
