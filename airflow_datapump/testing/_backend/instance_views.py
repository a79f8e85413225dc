"""Views about the database and instance, and the Data Pump object-path views.

Columns follow Oracle's Database Reference (V$DATABASE, V$INSTANCE, V$VERSION,
PRODUCT_COMPONENT_VERSION, NLS_DATABASE_PARAMETERS, DATABASE_PROPERTIES, V$SESSION and
DATABASE_/SCHEMA_/TABLE_/TABLESPACE_EXPORT_OBJECTS). Values are those of an Oracle Database
19c pluggable database on Linux x86 64-bit; the release follows ``db.set_version``.
V$SESSION lists user sessions and, while a Data Pump job executes, its master (DM00) and
worker (DWnn) processes with the SADDR that DBA_DATAPUMP_SESSIONS gives them, so the
Utilities guide's join of the two views finds them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zlib
from decimal import Decimal

from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.views import Row, register_view, text
from airflow_datapump.testing._values import DATE, NUMBER

PLATFORM = (13, "Linux x86 64-bit")


def dbid(service: str) -> int:
    """A stable DBID per database (Oracle derives it when the database is created)."""
    return 1000000000 + zlib.crc32(service.encode()) % 1000000000


def _created(db: sqlite3.Connection) -> dt.datetime:
    row = db.execute("SELECT value FROM settings WHERE key = 'created'").fetchone()
    return dt.datetime.fromisoformat(row[0]) if row else dt.datetime(2026, 1, 1)


def _version(db: sqlite3.Connection) -> str:
    row = db.execute("SELECT value FROM settings WHERE key = 'db_version'").fetchone()
    return str(row[0]) if row else "19.0.0.0.0"


@register_view(
    "V$DATABASE",
    [
        ("DBID", NUMBER), ("NAME", text(9)), ("CREATED", DATE), ("LOG_MODE", text(12)),
        ("CURRENT_SCN", NUMBER), ("OPEN_MODE", text(20)), ("DATABASE_ROLE", text(16)),
        ("PLATFORM_ID", NUMBER), ("PLATFORM_NAME", text(101)), ("DB_UNIQUE_NAME", text(30)),
        ("FLASHBACK_ON", text(18)), ("CDB", text(3)), ("CON_ID", NUMBER),
    ],
    catalog_role=True,
)  # fmt: skip
def _v_database(session: Session, db: sqlite3.Connection) -> list[Row]:
    (scn,) = db.execute("SELECT value FROM settings WHERE key = 'scn'").fetchone()
    name = session.database.service[:9]
    return [
        (
            Decimal(dbid(session.database.service)), name, _created(db), "NOARCHIVELOG", Decimal(scn),
            "READ WRITE", "PRIMARY", Decimal(PLATFORM[0]), PLATFORM[1], name, "NO", "YES", Decimal(0),
        )
    ]  # fmt: skip


@register_view(
    "V$INSTANCE",
    [
        ("INSTANCE_NUMBER", NUMBER), ("INSTANCE_NAME", text(16)), ("HOST_NAME", text(64)),
        ("VERSION", text(17)), ("VERSION_FULL", text(17)), ("STARTUP_TIME", DATE), ("STATUS", text(12)),
        ("DATABASE_STATUS", text(17)), ("INSTANCE_ROLE", text(18)), ("EDITION", text(7)), ("CON_ID", NUMBER),
    ],
    catalog_role=True,
)  # fmt: skip
def _v_instance(session: Session, db: sqlite3.Connection) -> list[Row]:
    version = _version(db)
    return [
        (
            Decimal(1), session.database.service[:16], "localhost", version, version, _created(db), "OPEN",
            "ACTIVE", "PRIMARY_INSTANCE", "EE", Decimal(0),
        )
    ]  # fmt: skip


def _banner(version: str) -> str:
    release = version.split(".")[0]
    return f"Oracle Database {release}c Enterprise Edition Release {version} - Production"


@register_view(
    "V$VERSION",
    [("BANNER", text(80)), ("BANNER_FULL", text(160)), ("BANNER_LEGACY", text(80)), ("CON_ID", NUMBER)],
    catalog_role=False,
)
def _v_version(session: Session, db: sqlite3.Connection) -> list[Row]:
    version = _version(db)
    banner = _banner(version)
    return [(banner, f"{banner}\nVersion {version}", banner, Decimal(0))]


@register_view(
    "PRODUCT_COMPONENT_VERSION",
    [("PRODUCT", text(80)), ("VERSION", text(80)), ("VERSION_FULL", text(80)), ("STATUS", text(80))],
    catalog_role=False,
)
def _product_component_version(session: Session, db: sqlite3.Connection) -> list[Row]:
    version = _version(db)
    release = version.split(".")[0]
    return [(f"Oracle Database {release}c Enterprise Edition ", version, version, "Production")]


_NLS = (
    ("NLS_RDBMS_VERSION", None), ("NLS_CHARACTERSET", "AL32UTF8"), ("NLS_NCHAR_CHARACTERSET", "AL16UTF16"),
    ("NLS_LANGUAGE", "AMERICAN"), ("NLS_TERRITORY", "AMERICA"), ("NLS_CURRENCY", "$"),
    ("NLS_ISO_CURRENCY", "AMERICA"), ("NLS_NUMERIC_CHARACTERS", ".,"), ("NLS_CALENDAR", "GREGORIAN"),
    ("NLS_DATE_FORMAT", "DD-MON-RR"), ("NLS_DATE_LANGUAGE", "AMERICAN"), ("NLS_SORT", "BINARY"),
    ("NLS_TIME_FORMAT", "HH.MI.SSXFF AM"), ("NLS_TIMESTAMP_FORMAT", "DD-MON-RR HH.MI.SSXFF AM"),
    ("NLS_TIME_TZ_FORMAT", "HH.MI.SSXFF AM TZR"),
    ("NLS_TIMESTAMP_TZ_FORMAT", "DD-MON-RR HH.MI.SSXFF AM TZR"), ("NLS_DUAL_CURRENCY", "$"),
    ("NLS_COMP", "BINARY"), ("NLS_LENGTH_SEMANTICS", "BYTE"), ("NLS_NCHAR_CONV_EXCP", "FALSE"),
)  # fmt: skip


@register_view("NLS_DATABASE_PARAMETERS", [("PARAMETER", text()), ("VALUE", text(64))], catalog_role=False)
def _nls_database(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [(name, value or _version(db)) for name, value in _NLS]


@register_view("NLS_SESSION_PARAMETERS", [("PARAMETER", text()), ("VALUE", text(64))], catalog_role=False)
def _nls_session(session: Session, db: sqlite3.Connection) -> list[Row]:
    """The database's values overridden by ALTER SESSION SET NLS_... (character sets and
    the RDBMS version are database-only, as the Reference's list shows)."""
    database_only = ("NLS_RDBMS_VERSION", "NLS_CHARACTERSET", "NLS_NCHAR_CHARACTERSET")
    return [
        (name, session.attributes.get(name) or value) for name, value in _NLS if name not in database_only
    ]


@register_view(
    "DATABASE_PROPERTIES",
    [("PROPERTY_NAME", text()), ("PROPERTY_VALUE", text(4000)), ("DESCRIPTION", text(4000))],
    catalog_role=False,
)
def _database_properties(session: Session, db: sqlite3.Connection) -> list[Row]:
    from airflow_datapump.testing._backend.environment import db_timezone

    return [
        ("DEFAULT_PERMANENT_TABLESPACE", "USERS", "Name of default permanent tablespace"),
        ("DEFAULT_TEMP_TABLESPACE", "TEMP", "Name of default temporary tablespace"),
        ("DBTIMEZONE", db_timezone(session), "DB time zone"),
        ("GLOBAL_DB_NAME", session.database.service, "Global database name"),
        ("NLS_CHARACTERSET", "AL32UTF8", "Character set"),
    ]


# -- V$SESSION -----------------------------------------------------------------------------


def _bring_jobs_up_to_date(session: Session) -> None:
    from airflow_datapump.testing._datapump.views import bring_up_to_date

    bring_up_to_date(session)


@register_view(
    "V$SESSION",
    [
        ("SADDR", text(16)), ("SID", NUMBER), ("SERIAL#", NUMBER), ("USERNAME", text()),
        ("STATUS", text(8)), ("SCHEMANAME", text()), ("PROGRAM", text(84)), ("TYPE", text(10)),
        ("MODULE", text(64)), ("ACTION", text(64)), ("LOGON_TIME", DATE),
    ],
    catalog_role=True,
    prepare=lambda session: _bring_jobs_up_to_date(session),
)  # fmt: skip
def _v_session(session: Session, db: sqlite3.Connection) -> list[Row]:
    from airflow_datapump.testing._datapump.views import process_sessions

    rows: list[Row] = []
    found = db.execute("SELECT sid, serial, username, killed, program, logon_time FROM sessions ORDER BY sid")
    for sid, serial, user, killed, program, logon in found.fetchall():
        module = program if sid != session.sid else session.attributes.get("MODULE") or program
        rows.append(
            (
                f"{sid:016X}", Decimal(sid), Decimal(serial), user, "KILLED" if killed else "ACTIVE", user,
                program, "USER", module, None, dt.datetime.fromisoformat(logon),
            )
        )  # fmt: skip
    start = 10000
    for offset, (saddr, owner, role) in enumerate(process_sessions(db), start=start):
        program = f"oracle@localhost ({role})"
        rows.append(
            (saddr, Decimal(offset), Decimal(1), owner, "ACTIVE", owner, program, "USER", "Data Pump Worker"
             if role.startswith("DW") else "Data Pump Master", None, None)
        )  # fmt: skip
    return rows


# -- *_EXPORT_OBJECTS ----------------------------------------------------------------------

# (relative path, comment, named): object types of a schema, as Oracle lists them. Only a
# part of Oracle's rows: the object types clients filter on most.
_SCHEMA_PATHS = (
    ("USER", "User definitions for users associated with the selected schemas", "N"),
    ("SYSTEM_GRANT", "System privileges granted to users associated with the selected schemas", "N"),
    ("ROLE_GRANT", "Role grants to users associated with the selected schemas", "N"),
    ("DEFAULT_ROLE", "Default roles granted to users associated with the selected schemas", "N"),
    ("TABLESPACE_QUOTA", "Tablespace quota granted to users associated with the selected schemas", "N"),
    ("SEQUENCE", "Sequences in the selected schemas and their dependent grants and audits", "Y"),
    ("TABLE", "Tables in the selected schemas and their dependent objects", "Y"),
    ("TABLE/TABLE_DATA", "Row data for tables in the selected schemas", "N"),
    ("TABLE_DATA", "Row data for tables in the selected schemas", "N"),
    ("TABLE/GRANT", "Object grants on the selected tables", "N"),
    ("TABLE/GRANT/OWNER_GRANT/OBJECT_GRANT", "Object grants on the selected tables", "N"),
    ("OBJECT_GRANT", "Object grants on the selected tables", "N"),
    ("GRANT", "Object grants on the selected objects", "N"),
    ("TABLE/INDEX", "Indexes on the selected tables", "Y"),
    ("INDEX", "Indexes", "Y"),
    ("TABLE/CONSTRAINT", "Constraints on the selected tables", "Y"),
    ("CONSTRAINT", "Constraints (including referential constraints)", "Y"),
    ("TABLE/CONSTRAINT/REF_CONSTRAINT", "Referential constraints on the selected tables", "Y"),
    ("CONSTRAINT/REF_CONSTRAINT", "Referential constraints", "Y"),
    ("REF_CONSTRAINT", "Referential constraints", "Y"),
    ("TABLE/COMMENT", "Comments on the selected tables", "N"),
    ("COMMENT", "Comments on the selected objects", "N"),
    ("TABLE/TRIGGER", "Triggers on the selected tables", "Y"),
    ("TRIGGER", "Triggers", "Y"),
    ("TABLE/STATISTICS/TABLE_STATISTICS", "Statistics on the selected tables", "N"),
    ("STATISTICS", "Precomputed statistics", "N"),
    ("VIEW", "Views in the selected schemas and their dependent objects", "Y"),
    ("SYNONYM", "Private synonyms in the selected schemas", "Y"),
    ("TYPE", "Types in the selected schemas and their dependent grants and audits", "Y"),
    ("PACKAGE", "Packages in the selected schemas and their dependent grants and audits", "Y"),
    ("FUNCTION", "Functions in the selected schemas and their dependent grants and audits", "Y"),
    ("PROCEDURE", "Procedures in the selected schemas and their dependent grants and audits", "Y"),
    ("DB_LINK", "Private database links in the selected schemas", "Y"),
    ("MATERIALIZED_VIEW", "Materialized views", "Y"),
    ("JOB", "Jobs in the selected schemas", "N"),
)
_DATABASE_ONLY = (
    ("TABLESPACE", "Tablespace definitions", "Y"),
    ("PROFILE", "Profiles", "Y"),
    ("ROLE", "Roles", "Y"),
    ("DIRECTORY", "Directory objects", "Y"),
    ("SCHEMA", "Schemas and their dependent objects", "Y"),
    ("PUBLIC_SYNONYM", "Public synonyms", "Y"),
)
_TABLE_TYPES = {"TABLE", "TABLE_DATA", "GRANT", "OBJECT_GRANT", "INDEX", "CONSTRAINT", "REF_CONSTRAINT"}
_TABLE_TYPES |= {"COMMENT", "TRIGGER", "STATISTICS"}


def _paths(prefix: str, entries: tuple[tuple[str, str, str], ...]) -> list[Row]:
    rows: list[Row] = []
    for path, comment, named in entries:
        rows.append((path, comment, named))
        rows.append((prefix + path, comment, named))
    return rows


_EXPORT_COLUMNS = [("OBJECT_PATH", text(200)), ("COMMENTS", text(2000)), ("NAMED", text(1))]
_TABLE_PATHS = tuple(e for e in _SCHEMA_PATHS if e[0].split("/")[0] in _TABLE_TYPES)
EXPORT_OBJECTS = {
    "DATABASE_EXPORT_OBJECTS": _paths("DATABASE_EXPORT/", _DATABASE_ONLY)
    + _paths("DATABASE_EXPORT/SCHEMA/", _SCHEMA_PATHS),
    "SCHEMA_EXPORT_OBJECTS": _paths("SCHEMA_EXPORT/", _SCHEMA_PATHS),
    "TABLE_EXPORT_OBJECTS": _paths("TABLE_EXPORT/", _TABLE_PATHS),
    "TABLESPACE_EXPORT_OBJECTS": _paths("TABLE_EXPORT/", _TABLE_PATHS),
}


def _register_export_views() -> None:
    for name, rows in EXPORT_OBJECTS.items():

        def produce(session: Session, db: sqlite3.Connection, rows: list[Row] = rows) -> list[Row]:
            return list(rows)

        register_view(name, _EXPORT_COLUMNS, catalog_role=False)(produce)


_register_export_views()
