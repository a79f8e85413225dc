"""Functions the database answers rather than the language: SYS_CONTEXT, the time zones, and
the SCN-to-time mapping.

Sources (Oracle SQL Language Reference unless named): SYS_CONTEXT lists the USERENV
parameters and gives ORA-02003 for an unknown one; DBTIMEZONE and SESSIONTIMEZONE return
a time zone offset '[+|-]TZH:TZM' or a region name; ALTER SESSION SET TIME_ZONE takes
LOCAL, DBTIMEZONE, an offset or a region (ORA-01882 for an unknown region).
TIMESTAMP_TO_SCN and SCN_TO_TIMESTAMP read a mapping the database records as SCNs advance
("The association between an SCN and a timestamp ... is remembered by the database for a
limited period of time"); outside it they raise ORA-08180 and ORA-08181, followed by
ORA-06512 at the SYS function, as Oracle's stack shows.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import zoneinfo
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line
from airflow_datapump.testing._plsql.typesys import to_number, to_text
from airflow_datapump.testing._values import Value

if TYPE_CHECKING:  # the session module needs the database module, which records SCNs here
    from airflow_datapump.testing._backend.session import Session

SCHEMA = "CREATE TABLE IF NOT EXISTS scn_times (scn INTEGER PRIMARY KEY, moment TEXT NOT NULL)"
_OFFSET = re.compile(r"^([+-])(\d{1,2}):(\d{2})$")


def bootstrap(db: sqlite3.Connection, scn: int, moment: dt.datetime) -> None:
    db.execute(SCHEMA)
    record_scn(db, scn, moment)


def record_scn(db: sqlite3.Connection, scn: int, moment: dt.datetime) -> None:
    """Remember when an SCN was reached (Oracle keeps such a mapping for flashback)."""
    db.execute("INSERT OR REPLACE INTO scn_times VALUES (?, ?)", (scn, moment.isoformat()))


def _offset_text(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def db_timezone(session: Session) -> str:
    """The database time zone: the offset of the clock the database runs on."""
    return _offset_text(session.database.now().astimezone())


def session_timezone(session: Session) -> str:
    """ALTER SESSION SET TIME_ZONE's value, else the client's local offset (what an Oracle
    client sends at logon)."""
    value = session.attributes.get("TIME_ZONE")
    if value in (None, "LOCAL"):
        return _offset_text(dt.datetime.now().astimezone())
    if value == "DBTIMEZONE":
        return db_timezone(session)
    return str(value)


def check_time_zone(value: str) -> str:
    """A valid TIME_ZONE setting, normalised; ORA-01882 for an unknown region, ORA-01874 /
    ORA-01875 for an offset's hour / minute out of range (Database Error Messages)."""
    upper = value.upper()
    if upper in ("LOCAL", "DBTIMEZONE"):
        return upper
    match = _OFFSET.match(value)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
        if hours > 14 or (hours == 14 and minutes):
            raise ora(1874)
        if minutes > 59:
            raise ora(1875)
        return f"{sign}{hours:02d}:{minutes:02d}"
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ora(1882) from None
    return value


def _naive_local(moment: dt.datetime) -> dt.datetime:
    """The database clock's reading for a moment (the clock is naive local time)."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _with_stack(error: OracleError, function: str) -> OracleError:
    error.add_line(ora_line(6512, f'"SYS.{function}", ', 1))
    return error


def timestamp_to_scn(session: Session, moment: dt.datetime) -> int:
    wanted = _naive_local(moment)
    with session.database.store.read() as db:
        row = db.execute(
            "SELECT scn FROM scn_times WHERE moment <= ? ORDER BY scn DESC LIMIT 1", (wanted.isoformat(),)
        ).fetchone()
    if row is None or wanted > session.database.now():
        raise _with_stack(ora(8180), "TIMESTAMP_TO_SCN")
    return int(row[0])


def scn_to_timestamp(session: Session, scn: int) -> dt.datetime:
    with session.database.store.read() as db:
        row = db.execute(
            "SELECT moment FROM scn_times WHERE scn <= ? ORDER BY scn DESC LIMIT 1", (scn,)
        ).fetchone()
    if row is None or scn > session.database.current_scn():
        error = ora(8181)
        raise _with_stack(error, "SCN_TO_TIMESTAMP")
    return dt.datetime.fromisoformat(str(row[0]))


# -- SYS_CONTEXT('USERENV', ...) ----------------------------------------------------------


def _userenv(session: Session) -> dict[str, Callable[[], str | None]]:
    service = session.database.service
    attrs = session.attributes
    return {
        "CURRENT_SCHEMA": lambda: session.current_schema,
        "CURRENT_USER": lambda: session.user,
        "SESSION_USER": lambda: session.user,
        "AUTHENTICATED_IDENTITY": lambda: session.user,
        "AUTHENTICATION_METHOD": lambda: "PASSWORD",
        "CON_NAME": lambda: service,
        "DB_NAME": lambda: service,
        "DB_UNIQUE_NAME": lambda: service,
        "SERVICE_NAME": lambda: service,
        "INSTANCE_NAME": lambda: service,
        "DB_DOMAIN": lambda: None,
        "DATABASE_ROLE": lambda: "PRIMARY",
        "INSTANCE": lambda: "1",
        "CON_ID": lambda: "3",
        "SID": lambda: str(session.sid),
        "SESSIONID": lambda: str(session.sid * 1000 + session.serial),
        "ISDBA": lambda: "TRUE" if session.sysdba else "FALSE",
        "MODULE": lambda: attrs.get("MODULE"),
        "ACTION": lambda: attrs.get("ACTION"),
        "CLIENT_IDENTIFIER": lambda: attrs.get("CLIENT_IDENTIFIER"),
        "CLIENT_INFO": lambda: attrs.get("CLIENT_INFO"),
        "CURRENT_EDITION_NAME": lambda: "ORA$BASE",
        "LANGUAGE": lambda: "AMERICAN_AMERICA.AL32UTF8",
        "LANG": lambda: "US",
        "NLS_CALENDAR": lambda: attrs.get("NLS_CALENDAR") or "GREGORIAN",
        "NLS_CURRENCY": lambda: attrs.get("NLS_CURRENCY") or "$",
        "NLS_DATE_FORMAT": lambda: attrs.get("NLS_DATE_FORMAT") or "DD-MON-RR",
        "NLS_DATE_LANGUAGE": lambda: attrs.get("NLS_DATE_LANGUAGE") or "AMERICAN",
        "NLS_SORT": lambda: attrs.get("NLS_SORT") or "BINARY",
        "NLS_TERRITORY": lambda: attrs.get("NLS_TERRITORY") or "AMERICA",
        "PLATFORM_SLASH": lambda: "/",
        "SERVER_HOST": lambda: "localhost",
    }


def sys_context(session: Session, namespace: str, parameter: str) -> str | None:
    """SYS_CONTEXT: USERENV's documented parameters; another namespace has no attributes
    set in the emulator, so it answers NULL, as Oracle does for an unset attribute."""
    if namespace.upper() != "USERENV":
        return None
    found = _userenv(session).get(parameter.upper())
    if found is None:
        raise ora(2003)
    return found()


def call(session: Session, name: str, args: Sequence[Value]) -> Value:
    """Answer one of the database-level functions (see the module docstring)."""
    if name == "DBTIMEZONE":
        return db_timezone(session)
    if name == "SESSIONTIMEZONE":
        return session_timezone(session)
    if any(a is None for a in args):
        return None
    if name == "SYS_CONTEXT":
        return sys_context(session, to_text(args[0]) or "", to_text(args[1]) or "")
    if name == "TIMESTAMP_TO_SCN":
        moment = args[0]
        if not isinstance(moment, dt.datetime):
            raise ora(932, "TIMESTAMP", "NUMBER")
        return Decimal(timestamp_to_scn(session, moment))
    if name == "SCN_TO_TIMESTAMP":
        return scn_to_timestamp(session, int(to_number(args[0], sql=True) or 0))
    raise ora(904, f'"{name}"')
