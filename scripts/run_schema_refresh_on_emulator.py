"""Run the nightly schema refresh example end to end on the Oracle emulator.

    python scripts/run_schema_refresh_on_emulator.py

No Oracle database is involved: two emulated databases (PROD and TEST) stand in, and the DAG
runs unchanged under ``dag.test()``, deferring to its trigger exactly as it would in a real
deployment. It prints what the TEST database holds afterwards.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="airflow-datapump-demo-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "example_dags")
os.environ["AIRFLOW__DATAPUMP__POLL_INTERVAL"] = "0.1"
os.environ["AIRFLOW_CONN_ORACLE_SOURCE"] = "oracle://system:x@prod.example.com:1521?service_name=PROD"
os.environ["AIRFLOW_CONN_ORACLE_TARGET"] = "oracle://system:x@test.example.com:1521?service_name=TEST"


def main() -> int:
    from airflow.utils.db import resetdb

    from airflow_datapump.testing import emulated_oracle

    resetdb()
    with emulated_oracle(clock="wall") as oracle:
        prod, test = oracle.database("PROD"), oracle.database("TEST")
        prod.load_sample_hr()
        test.execute(
            "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY x "
            "USING 'prod.example.com/PROD'"
        )
        spec = importlib.util.spec_from_file_location(
            "refresh", ROOT / "example_dags" / "datapump_schema_refresh.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["refresh"] = module
        spec.loader.exec_module(module)
        run = module.dag.test()
        print(f"\nDAG run: {run.state}")
        for table in ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES"):
            rows = test.rows("HR_TEST", table)
            same = rows == prod.rows("HR", table)
            verdict = "equal to" if same else "DIFFERENT from"
            print(f"TEST.HR_TEST.{table}: {len(rows)} rows, {verdict} PROD.HR.{table}")
        return 0 if str(run.state) == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
