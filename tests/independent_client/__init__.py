"""A small Data Pump client of its own, written the way a DBA writes one against Oracle 19c.

It exists to check the emulator from outside: it knows python-oracledb, the standard library
and Oracle's documentation (DBMS_DATAPUMP, UTL_FILE and DBMS_LOB in the PL/SQL Packages
reference, the Utilities guide's expdp/impdp parameters), and nothing of the provider. The
one place that touches ``airflow_datapump`` is ``conftest.py``, which starts the emulator's
Oracle Net server; ``test_independence.py`` holds that line.
"""
