"""A DAG that exports with every route the encryption password can take (issue 9 §5).

Loaded by tests/operators/test_password_routes.py as the DAG processor would load it; the
templated routes read Variables the test puts in the environment.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_datapump import JobSpec
from airflow_datapump.operators import ExportOperator

# Long enough that Airflow masks them without its "short secret" warning; all distinct.
PASSWORDS = {
    name: f"dp-{name}-Qx7Lm2Vr9Tk4" for name in ("kwarg", "kwarg_tpl", "map", "pairs", "tpl", "var", "spec")
}
ENCRYPT = {"ENCRYPTION_MODE": "PASSWORD"}
SPEC = JobSpec(
    "EXPORT", "SCHEMA", schemas=["HR"], dump_files=["spec.dmp"], parameters=ENCRYPT,
    encryption_password=PASSWORDS["spec"],
)  # fmt: skip
ROUTES = {
    "kwarg": {"encryption_password": PASSWORDS["kwarg"], "parameters": ENCRYPT},
    "kwarg_tpl": {"encryption_password": "{{ var.value.dp_pw_kwarg_tpl }}", "parameters": ENCRYPT},
    "map": {"parameters": {"encryption_password": PASSWORDS["map"], **ENCRYPT}},
    "pairs": {"parameters": [("ENCRYPTION_PASSWORD", PASSWORDS["pairs"]), ("ENCRYPTION_MODE", "PASSWORD")]},
    "tpl": {"parameters": {"ENCRYPTION_PASSWORD": "{{ var.value.dp_pw_tpl }}", **ENCRYPT}},
    "var": {"encryption_password_variable": "dp_pw_var", "parameters": ENCRYPT},
    "spec": {"spec": SPEC},
}

with DAG("password_routes", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC")) as dag:
    for route, arguments in ROUTES.items():
        files = {} if "spec" in arguments else {"schemas": ["HR"], "dump_files": [f"{route}.dmp"]}
        ExportOperator(task_id=f"export_{route}", deferrable=True, **files, **arguments)
