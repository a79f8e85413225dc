"""Hooks: DatapumpHook, the Data Pump job lifecycle over an Airflow Oracle connection."""
