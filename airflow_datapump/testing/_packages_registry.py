"""Importing this module registers every emulated package, type and view with the backend."""

from __future__ import annotations

# -- file packages: UTL_FILE, DBMS_LOB (BFILE), DBMS_FILE_TRANSFER -----------------------
# Each factory builds the package over the backend's FileAccess; the backend builds a package
# once and keeps it, so per-session package state (open UTL_FILE handles, opened BFILEs)
# lives as long as the backend. BFILENAME is the language engine's own built-in.
from airflow_datapump.testing._backend.files import BackendFiles
from airflow_datapump.testing._backend.runtime import PACKAGES
from airflow_datapump.testing._datapump import register as register_datapump
from airflow_datapump.testing._packages import dbms_file_transfer, dbms_lob, utl_file

PACKAGES["UTL_FILE"] = lambda backend: utl_file.build(BackendFiles(backend))
PACKAGES["DBMS_LOB"] = lambda backend: dbms_lob.build(BackendFiles(backend))
PACKAGES["DBMS_FILE_TRANSFER"] = lambda backend: dbms_file_transfer.build(BackendFiles(backend))
# -- end of file packages -----------------------------------------------------------------

# -- DBMS_DATAPUMP, its ku$ types, its views and its session-end clean-up ------------------
register_datapump()
