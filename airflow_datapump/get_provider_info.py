"""What Airflow's providers manager reads from the ``apache_airflow_provider`` entry point.

The lists are written out rather than discovered: Airflow calls this while parsing DAGs and
must not import hooks to do it. A test keeps them equal to the modules that exist.
"""

from __future__ import annotations

from typing import Any

INTEGRATION = "Oracle Data Pump"

# Modules per Airflow role, filled as each role's module lands.
ROLE_MODULES: dict[str, list[str]] = {
    "hooks": [
        "airflow_datapump.hooks.datapump",
        "airflow_datapump.hooks.files",
        "airflow_datapump.hooks.objectstore",
        "airflow_datapump.hooks.cloud",
        "airflow_datapump.hooks.rds",
    ],
    "operators": [
        "airflow_datapump.operators.datapump",
        "airflow_datapump.operators.transfer",
        "airflow_datapump.operators.in_database",
    ],
    "sensors": ["airflow_datapump.sensors.datapump"],
    "triggers": ["airflow_datapump.triggers.datapump"],
}


# Read by the operators; declared here so `airflow config list` shows it with its default.
DEFAULT_POLL_INTERVAL = 30.0
DEFAULT_POOL_MAX_SESSIONS = 8
CONFIG: dict[str, Any] = {
    "datapump": {
        "description": "Defaults for the Data Pump operators and the triggerer's sessions.",
        "options": {
            "poll_interval": {
                "description": (
                    "Seconds between two status polls of a Data Pump job, by the worker or the "
                    "triggerer, when an operator does not set poll_interval."
                ),
                "version_added": "0.1.0",
                "type": "float",
                "example": "60",
                "default": str(DEFAULT_POLL_INTERVAL),
            },
            "pool_max_sessions": {
                "description": (
                    "The most sessions the triggerer's pool opens to one database for one "
                    "connection. The pool opens sessions only while every open one is busy and "
                    "closes idle ones, so this is a ceiling, not a size."
                ),
                "version_added": "0.1.0",
                "type": "integer",
                "example": "16",
                "default": str(DEFAULT_POOL_MAX_SESSIONS),
            },
        },
    }
}


def get_provider_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        # Must equal the canonical distribution name, or `airflow providers list` fails.
        "package-name": "airflow-datapump",
        "name": "Oracle Data Pump",
        "description": (
            "Run Oracle Data Pump exports and imports through DBMS_DATAPUMP from Airflow, "
            "deferrably, with no Oracle client installed."
        ),
        "integrations": [
            {
                "integration-name": INTEGRATION,
                "external-doc-url": (
                    "https://docs.oracle.com/en/database/oracle/oracle-database/19/arpls/DBMS_DATAPUMP.html"
                ),
                "tags": ["software"],
            }
        ],
    }
    info["config"] = CONFIG
    info["extra-links"] = ["airflow_datapump.ui.links.DatapumpJobLink"]
    # `airflow datapump ...` (Airflow 3.2+ loads provider CLI commands from this list).
    info["cli"] = ["airflow_datapump.cli.definition.get_cli_commands"]
    # Dump file sets as Assets (airflow_datapump/assets.py): the scheme and its normaliser.
    info["asset-uris"] = [
        {
            "schemes": ["datapump"],
            "handler": "airflow_datapump.assets.sanitize_uri",
            "factory": "airflow_datapump.assets.create_asset",
        }
    ]
    for role, modules in ROLE_MODULES.items():
        if modules:
            info[role] = [{"integration-name": INTEGRATION, "python-modules": list(modules)}]
    return info
