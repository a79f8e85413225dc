"""Sensors: JobSensor, which waits on an existing Data Pump job by name."""
