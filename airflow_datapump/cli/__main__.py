"""``python -m airflow_datapump.cli``: the standalone ``airflow-datapump`` program.

Where the package is importable but its console script was not installed (a checkout on
``PYTHONPATH``, an image that copies site-packages only), the same commands, help and exit
codes are reached through the interpreter.
"""

from __future__ import annotations

from airflow_datapump.cli.main import console_script

if __name__ == "__main__":
    console_script()
