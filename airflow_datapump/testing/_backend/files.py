"""The backend's side of the file packages' seam: directory objects and links for one Backend.

UTL_FILE, DBMS_LOB (BFILE) and DBMS_FILE_TRANSFER ask a :class:`~.._packages.files_api.
FileAccess` for a directory object's path and for the database behind a link; this is that
FileAccess. Directory names are matched exactly as given (they are case-sensitive in Oracle)
and the privilege is checked for the session's user with the catalog's rules: SYS holds every
directory privilege, anyone else needs the object grant, directly, through a role or through
PUBLIC (the creator of a directory holds READ and WRITE from its creation).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._packages.files_api import DirectoryError, FileAccess, Privilege

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend


class BackendFiles:
    """The FileAccess of every database of one :class:`Backend`; the session picks the database."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def directory_path(self, session: object, directory: str, privilege: Privilege) -> Path:
        """The directory object's OS path, after the session user's ``privilege`` check.

        ``missing`` when no directory object has exactly this name, ``denied`` when it exists
        but the user holds no ``privilege`` on it. The path is not checked: a directory object
        may name a folder that does not exist, and the file operation then fails.
        """
        current = _session(session)
        with current.database.store.read() as db:
            found = catalog.directory(db, directory)
            if found is None:
                raise DirectoryError(directory, "missing")
            allowed = catalog.directory_access(db, current.user, found.name, privilege)
        if not allowed:
            raise DirectoryError(directory, "denied")
        return Path(found.path)

    def remote(self, session: object, db_link: str) -> tuple[FileAccess, object]:
        """The FileAccess and session of the database behind ``db_link``.

        The remote session is the one :meth:`Backend.link_session` keeps per local session and
        link (ORA-02019 for an unknown link, a logon error for a bad one); the databases share
        this Backend, so the same FileAccess serves them.
        """
        return self, self._backend.link_session(_session(session), db_link)


def _session(session: object) -> Session:
    if not isinstance(session, Session):
        raise TypeError(f"expected a backend Session, got {type(session).__name__}")
    return session
