"""A temporary AIRFLOW_HOME for a benchmark run on its own, removed when the run ends.

Every benchmark imports Airflow, which needs a home; a run must not touch the user's own.
One is made only when none is set (the test suite sets its own), and it is removed at exit,
so runs leave nothing behind in the temporary directory.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

PREFIX = "airflow-datapump-bench-"


def airflow_home() -> str:
    """AIRFLOW_HOME as set, or a new temporary one removed when this process exits."""
    if os.environ.get("AIRFLOW_HOME"):
        return os.environ["AIRFLOW_HOME"]
    home = tempfile.mkdtemp(prefix=PREFIX)
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home
