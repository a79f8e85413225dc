"""Importing this module registers every emulated package, type and view with the backend."""

from __future__ import annotations

from collections.abc import Callable

# -- file packages: UTL_FILE, DBMS_LOB (BFILE), DBMS_FILE_TRANSFER -----------------------
# Each factory builds the package over the backend's FileAccess; the backend builds a package
# once and keeps it, so per-session package state (open UTL_FILE handles, opened BFILEs)
# lives as long as the backend. BFILENAME is the language engine's own built-in.
from airflow_datapump.testing._backend.files import BackendFiles
from airflow_datapump.testing._backend.runtime import OPTIONAL_PACKAGES, PACKAGES
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._datapump import register as register_datapump
from airflow_datapump.testing._packages import (
    dbms_assert,
    dbms_cloud,
    dbms_file_transfer,
    dbms_lob,
    dbms_stats,
    rdsadmin,
    utl_file,
)

PACKAGES["UTL_FILE"] = lambda backend: utl_file.build(BackendFiles(backend))
PACKAGES["DBMS_LOB"] = lambda backend: dbms_lob.build(BackendFiles(backend))
PACKAGES["DBMS_FILE_TRANSFER"] = lambda backend: dbms_file_transfer.build(BackendFiles(backend))

# -- DBMS_CLOUD: only on databases whose handle enabled it (enable_package) ----------------


def _settings(session: object) -> tuple[Callable[[str], str | None], Callable[[str, str], None]]:
    assert isinstance(session, Session)
    return session.database.store.setting, session.database.store.set_setting


PACKAGES["DBMS_CLOUD"] = lambda backend: dbms_cloud.build(
    BackendFiles(backend), backend.root / "object-store", _settings
)
OPTIONAL_PACKAGES["DBMS_CLOUD"] = "DBMS_CLOUD"

# -- RDSADMIN (Amazon RDS for Oracle): S3 tasks and the file reader for their logs -----------


def _rds_site(session: object) -> rdsadmin.Site:
    assert isinstance(session, Session)
    database = session.database

    def next_task_id() -> str:
        number = int(database.store.setting("rds task counter") or 0) + 1
        database.store.set_setting("rds task counter", str(number))
        return f"{int(database.now().timestamp() * 1000)}-{number}"

    return rdsadmin.Site(database.folder / "bdump", database.now(), next_task_id)


PACKAGES["RDSADMIN.RDSADMIN_S3_TASKS"] = lambda backend: rdsadmin.build_s3_tasks(
    BackendFiles(backend), backend.root / "object-store", _rds_site
)
PACKAGES["RDSADMIN.RDS_FILE_UTIL"] = lambda backend: rdsadmin.build_file_util(
    BackendFiles(backend), _rds_site
)
OPTIONAL_PACKAGES["RDSADMIN.RDSADMIN_S3_TASKS"] = "RDSADMIN"
OPTIONAL_PACKAGES["RDSADMIN.RDS_FILE_UTIL"] = "RDSADMIN"
# -- end of file packages -----------------------------------------------------------------

# -- DBMS_STATS: the statistics Data Pump exports and imports ------------------------------
PACKAGES["DBMS_STATS"] = lambda backend: dbms_stats.build()

# -- DBMS_ASSERT: quoting and checking names that must become SQL text ---------------------
PACKAGES["DBMS_ASSERT"] = lambda backend: dbms_assert.build()

# -- DBMS_DATAPUMP, its ku$ types, its views and its session-end clean-up ------------------
register_datapump()

# -- the type dictionary (ALL_TYPES ...) and DBMS_PICKLER, which drivers use to describe types --
from airflow_datapump.testing._backend import type_dictionary  # noqa: E402
from airflow_datapump.testing._datapump import types as datapump_types  # noqa: E402
from airflow_datapump.testing._packages import dbms_pickler  # noqa: E402

if not type_dictionary.SQL_TYPES:
    type_dictionary.SQL_TYPES.append(lambda: datapump_types.TYPES.values())
PACKAGES["DBMS_PICKLER"] = lambda backend: dbms_pickler.build(
    type_dictionary.find,  # type: ignore[arg-type]
    type_dictionary.entry_of,  # type: ignore[arg-type]
)
