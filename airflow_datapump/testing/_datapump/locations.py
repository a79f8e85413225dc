"""Where a job's file lies: a directory object's folder, or (URI dump files) the object store.

ADD_FILE with KU$_FILE_TYPE_URIDUMP_FILE (5) takes an object storage URI as the file name and
the DBMS_CLOUD credential where the directory would go (PL/SQL Packages reference, ADD_FILE;
Autonomous Database, "Use Data Pump from PL/SQL with DBMS_DATAPUMP"). Such members are
objects in the emulated object store DBMS_CLOUD shares (``<state>/object-store``), so
DBMS_CLOUD.GET_OBJECT and GET_METADATA see what an export wrote. A member's object name is the
URI's last segment with %U/%L expanded, next to the others under the same prefix.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._backend.runtime import package_setting
from airflow_datapump.testing._datapump.common import WorkContext
from airflow_datapump.testing._datapump.model import FILE_URI
from airflow_datapump.testing._packages.dbms_cloud import object_path
from airflow_datapump.testing._plsql.errors import ora_line

# The URI filetype needs Data Pump with object store support: 19c with DBMS_CLOUD installed
# (19.9+ in Oracle's notes; the emulator does not model update levels), 21c and later.
URI_MIN_RELEASE = 19


def _setting(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def uri_refusal(ctx: WorkContext, credential: str, uri: str) -> list[str] | None:
    """Why ADD_FILE refuses a URI dump file here (the error lines), or None when it may."""
    release = int(str(ctx.database.version).split(".")[0])
    if release < URI_MIN_RELEASE or _setting(ctx.db, package_setting("DBMS_CLOUD")) != "enabled":
        return [ora_line(39001), "Invalid file type: 5 (no object store support)"]
    if _setting(ctx.db, f"dbms_cloud credential {credential.upper()}") is None:
        return [ora_line(39000), ora_line(20000, f"Credential {credential.upper()} does not exist")]
    try:
        object_path(ctx.backend.root / "object-store", uri)
    except Exception:  # the package's ORA-20000 for a URI naming no object
        return [ora_line(39000), f"Invalid object URI - {uri}"]
    return None


def file_place(ctx: WorkContext, spec: dict[str, Any]) -> tuple[Path, str]:
    """(folder, file name) of an ADD_FILE entry: the directory's path, or the object's prefix."""
    if spec["type"] == FILE_URI:
        path = object_path(ctx.backend.root / "object-store", str(spec["name"]))
        return path.parent, path.name
    found = catalog.directory(ctx.db, str(spec["directory"]))
    assert found is not None  # ADD_FILE checked the directory
    return Path(found.path), str(spec["name"])
