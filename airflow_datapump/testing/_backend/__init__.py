"""The emulated database's state and rules, apart from the layers that decode what arrives.

Like moto's backends: ``store`` keeps state on disk (so a worker, a triggerer and a test
process share one database), ``catalog`` holds users, grants, directories and tables,
``session`` is one logon, ``runtime`` answers the PL/SQL engine and ``engine`` answers the
driver.
"""
