"""Data Pump in the Airflow UI: a jobs page and a link from every Export/Import task to its job.

The provider registers :class:`~airflow_datapump.ui.plugin.DatapumpPlugin` (Airflow 3.1 and
later): a small FastAPI app mounted in the api-server at ``/datapump`` (:mod:`.api`), shown in
the UI's navigation as "Data Pump", and the "Data Pump job" extra link (:mod:`.links`).
"""
