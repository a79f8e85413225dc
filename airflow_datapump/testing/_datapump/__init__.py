"""DBMS_DATAPUMP, emulated as Oracle documents it (the sources: docs/oracle-sources.md).

``package`` holds the specification, ``api_define``/``api_control``/``status`` the
subprograms, ``model`` the job record, ``progress`` how a started job moves on the database's
clock, ``plan_export``/``plan_import``/``apply`` what it moves, ``logfile`` what it writes,
and ``views`` the dictionary views. :func:`register` plugs it all into the backend.
"""

from __future__ import annotations

import sqlite3

from airflow_datapump.testing._backend import engine, runtime
from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._datapump import model, package, types
from airflow_datapump.testing._datapump import views as _views  # noqa: F401  (registers the views)
from airflow_datapump.testing._datapump.common import release_if_unattached


def _on_session_end(database: Database, db: sqlite3.Connection, sid: int) -> None:
    """A session that ends detaches from its jobs; a DEFINING job it created goes (§2.13)."""
    attached = db.execute("SELECT owner, job_name FROM attachments WHERE sid = ?", (sid,)).fetchall()
    db.execute("DELETE FROM attachments WHERE sid = ?", (sid,))
    for owner, name in attached:
        job = model.load(db, owner, name)
        if job is not None:
            release_if_unattached(db, job)


def register() -> None:
    runtime.PACKAGES["DBMS_DATAPUMP"] = package.build
    if types.lookup not in runtime.TYPE_PROVIDERS:
        runtime.TYPE_PROVIDERS.append(types.lookup)
    if _on_session_end not in engine.SESSION_END_HOOKS:
        engine.SESSION_END_HOOKS.append(_on_session_end)
