"""The Airflow plugin the provider registers: the Data Pump page and the task extra link.

``fastapi_apps`` mounts :func:`airflow_datapump.ui.api.create_app` at ``/datapump`` in the
api-server; ``external_views`` (Airflow 3.1 and later) puts it in the UI's Browse menu, shown
inside the UI at ``/plugin/datapump``.
"""

from __future__ import annotations

from typing import Any

from airflow.plugins_manager import AirflowPlugin

from airflow_datapump.ui.api import create_app
from airflow_datapump.ui.links import PAGE_PATH, DatapumpJobLink


class DatapumpPlugin(AirflowPlugin):
    name = "airflow_datapump"
    fastapi_apps: list[Any] = [
        {"app": create_app(), "url_prefix": PAGE_PATH.rstrip("/"), "name": "Data Pump"}
    ]
    external_views: list[Any] = [
        {
            "name": "Data Pump",
            "href": PAGE_PATH,
            "url_route": "datapump",
            "destination": "nav",
            "category": "browse",
        }
    ]
    operator_extra_links: list[Any] = [DatapumpJobLink()]
