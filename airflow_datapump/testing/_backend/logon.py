"""Who may log on, and as whom: Oracle's logon rules, kept apart from the round trips.

Three callers meet these rules: a logon over Oracle Net (after O5LOGON has proven the
password, :mod:`..._net.o5logon`), a database link opening its session in the database it
points to, and Data Pump resolving a link's connect string to a service. The rules are
Oracle's (Database Security Guide, "Configuring Authentication"); passwords are kept only as
12c verifiers.
"""

from __future__ import annotations

import functools
import sqlite3

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._net import o5logon
from airflow_datapump.testing._plsql.errors import ora

SYSDBA = 2
#: The password of SYS and SYSTEM over Oracle Net until changed (documented in docs/emulator.md).
DEFAULT_ADMIN_PASSWORD = "oracle"


def canonical_user(user: str | None) -> str:
    if not user:
        raise ora(1017)
    if len(user) > 1 and user[0] == user[-1] == '"':
        return user[1:-1]
    return user.upper()


def stored_verifier(db: sqlite3.Connection, user: str) -> str | None:
    """``user``'s 12c verifier (SYS and SYSTEM's default one until a password is set); None
    for an unknown user or one with no verifier to prove a password against."""
    exists, stored = catalog.password_of(db, user)
    if not exists:
        return None
    if stored is None and user in ("SYS", "SYSTEM"):
        return default_admin_verifier()
    return stored if stored is not None and o5logon.is_verifier(stored) else None


def check_logon(db: sqlite3.Connection, user: str, password: str | None, sysdba: bool) -> None:
    """Oracle's logon rules.

    Passwords are kept only as 12c verifiers (see :mod:`..._net.o5logon`); SYS and SYSTEM use
    :data:`DEFAULT_ADMIN_PASSWORD` until a statement changes it. The server has proven the
    password by O5LOGON already; this check is what a database link's logon meets.
    """
    denied = ora(1017)
    exists, stored = catalog.password_of(db, user)
    if not exists:
        raise denied
    if user == "SYS" and not sysdba:
        raise ora(28009)
    if stored is None and user in ("SYS", "SYSTEM"):
        stored = default_admin_verifier()
    if stored is None or not o5logon.check_password(stored, password or ""):
        raise denied
    if sysdba and not catalog.has_privilege(db, user, "SYSDBA") and user != "SYS":
        raise denied
    status = db.execute("SELECT account_status FROM users WHERE name = ?", (user,)).fetchone()[0]
    if status == "LOCKED":
        raise ora(28000)
    if not sysdba and not catalog.has_privilege(db, user, "CREATE SESSION"):
        raise ora(1045, user)


@functools.cache
def default_admin_verifier() -> str:
    return o5logon.make_verifier(DEFAULT_ADMIN_PASSWORD)


def service_of(connect_string: str) -> str:
    """The service a link's USING string names: 'host:port/SERVICE', '//host/svc' or 'SVC'."""
    text = connect_string.strip()
    if "SERVICE_NAME=" in text.upper():
        upper = text.upper()
        start = upper.index("SERVICE_NAME=") + len("SERVICE_NAME=")
        return upper[start:].split(")")[0].strip()
    return text.rsplit("/", 1)[-1].split(":")[0].strip().upper()
