"""Oracle names and the one function that turns text into SQL.

DBMS_DATAPUMP takes most values as plain bind variables, but its metadata filters take SQL
fragments (``IN ('HR','OE')``) that Data Pump splices into its own queries. Every name that
reaches such a fragment goes through :func:`quote_literal`, and nothing else builds SQL text:
a value can then never end the string literal it sits in, whatever it contains.

Names follow Oracle's identifier rules (SQL Language Reference, "Database Object Naming
Rules"): an unquoted name starts with a letter, continues with letters, digits, ``_``, ``$``
and ``#``, is not a reserved word, and is stored in upper case; a double-quoted name may hold
any character but ``"`` and NUL and is stored exactly. Both are at most 128 bytes (12.2+).
Unquoted names are limited to ASCII letters here; write other names in double quotes.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable

from airflow_datapump.exceptions import SpecError

MAX_IDENTIFIER_BYTES = 128

_UNQUOTED = re.compile(r"[A-Za-z][A-Za-z0-9_$#]*\Z")
_OBJECT_PATH = re.compile(r"[A-Z][A-Z0-9_]*(?:/[A-Z][A-Z0-9_]*)*\Z")
_DB_LINK = re.compile(r"[A-Za-z][A-Za-z0-9_$#]*(?:\.[A-Za-z][A-Za-z0-9_$#]*)*(?:@[A-Za-z][A-Za-z0-9_$#]*)?\Z")
_SUBSTITUTION = re.compile(r"%(.?)", re.DOTALL)  # any variable, to name the ones not allowed
SUBSTITUTION = re.compile(r"%[UuLl]")  # what numbers the members of a dump file set

# Oracle SQL reserved words (SQL Language Reference, appendix "Oracle SQL Reserved Words").
# They cannot be unquoted identifiers.
RESERVED_WORDS = frozenset(
    """
    ACCESS ADD ALL ALTER AND ANY AS ASC AUDIT BETWEEN BY CHAR CHECK CLUSTER COLUMN
    COLUMN_VALUE COMMENT COMPRESS CONNECT CREATE CURRENT DATE DECIMAL DEFAULT DELETE DESC
    DISTINCT DROP ELSE EXCLUSIVE EXISTS FILE FLOAT FOR FROM GRANT GROUP HAVING IDENTIFIED
    IMMEDIATE IN INCREMENT INDEX INITIAL INSERT INTEGER INTERSECT INTO IS LEVEL LIKE LOCK LONG
    MAXEXTENTS MINUS MLSLABEL MODE MODIFY NESTED_TABLE_ID NOAUDIT NOCOMPRESS NOT NOWAIT NULL
    NUMBER OF OFFLINE ON ONLINE OPTION OR ORDER PCTFREE PRIOR PUBLIC RAW RENAME RESOURCE
    REVOKE ROW ROWID ROWNUM ROWS SELECT SESSION SET SHARE SIZE SMALLINT START SUCCESSFUL
    SYNONYM SYSDATE TABLE THEN TO TRIGGER UID UNION UNIQUE UPDATE USER VALIDATE VALUES
    VARCHAR VARCHAR2 VIEW WHENEVER WHERE WITH
    """.split()
)

_IDENTIFIER_RULE = (
    "expected an Oracle name: a letter followed by letters, digits, _, $ or #, "
    f"at most {MAX_IDENTIFIER_BYTES} bytes, or a double-quoted name"
)


def encoded_length(text: str) -> int | None:
    """Length in UTF-8 bytes, or None for text no database can store (lone surrogates)."""
    try:
        return len(text.encode())
    except UnicodeEncodeError:
        return None


# The submit block binds its calls as text streams delimited by these (see core/plsql.py), so
# no value may hold them; every text field's check refuses them, naming the field.
STREAM_DELIMITERS = ("\x1e", "\x1f")
DELIMITERS_RULE = "text without the control characters \\x1e and \\x1f, which delimit the bound calls"


def has_delimiter(text: str) -> bool:
    return any(mark in text for mark in STREAM_DELIMITERS)


def quote_literal(text: str) -> str:
    """Return ``text`` as a SQL string literal; the only place SQL text is built from values."""
    return "'" + text.replace("'", "''") + "'"


def literal_list(values: Iterable[str]) -> str:
    """Render names as the comma-separated literal list the ``*_LIST`` filters take."""
    return ",".join(quote_literal(value) for value in values)


def identifier(value: object, field: str) -> str:
    """Return a name as Oracle stores it, or raise :class:`SpecError` naming ``field``."""
    if not isinstance(value, str):
        raise SpecError(field, value, _IDENTIFIER_RULE)
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        stored = value[1:-1]
        if not stored or '"' in stored or "\x00" in stored:
            raise SpecError(field, value, 'a double-quoted name must be non-empty, without " or NUL inside')
        if has_delimiter(stored):
            raise SpecError(field, value, "a name of " + DELIMITERS_RULE)
    else:
        if not _UNQUOTED.match(value):
            raise SpecError(field, value, _IDENTIFIER_RULE)
        stored = value.upper()
        if stored in RESERVED_WORDS:
            raise SpecError(field, value, f"{stored} is an Oracle reserved word; write it in double quotes")
    length = encoded_length(stored)
    if length is None or length > MAX_IDENTIFIER_BYTES:
        raise SpecError(field, value, f"a name of at most {MAX_IDENTIFIER_BYTES} bytes of UTF-8")
    return stored


def display_identifier(stored: str) -> str:
    """Write a stored name so that :func:`identifier` reads it back unchanged."""
    if _UNQUOTED.match(stored) and stored == stored.upper() and stored not in RESERVED_WORDS:
        return stored
    return f'"{stored}"'


def object_path(value: object, field: str) -> str:
    """Validate a Data Pump object path such as ``TABLE`` or ``SCHEMA_EXPORT/TABLE/INDEX``."""
    if isinstance(value, str) and _OBJECT_PATH.match(value.upper()):
        return value.upper()
    raise SpecError(
        field,
        value,
        "an object path: words of letters, digits and _ separated by /, "
        "as listed in SCHEMA_EXPORT_OBJECTS (e.g. TABLE, STATISTICS, TABLE/INDEX)",
    )


def db_link(value: object, field: str) -> str:
    """Validate a database link name (dotted domain parts and an @connection qualifier)."""
    if isinstance(value, str) and _DB_LINK.match(value) and len(value) <= 128:
        return value.upper()
    raise SpecError(
        field, value, "a database link name such as SRC_LINK or SRC.EXAMPLE.COM, at most 128 bytes"
    )


def file_name(value: object, field: str, *, substitution: bool) -> str:
    """Validate a dump, log or SQL file name, which Data Pump resolves in a directory object.

    A path gives ORA-39088 in Oracle, so it is refused here. Dump file names may carry the
    substitution variables ``%U`` (01-99) and ``%L`` (12.2+); anything else after ``%`` is
    ORA-39124 in Oracle. Log and SQL files take no substitution variables.
    """
    if not isinstance(value, str) or not value or value != value.strip():
        raise SpecError(field, value, "a non-empty file name without surrounding spaces")
    if "/" in value or "\\" in value:
        raise SpecError(field, value, "a file name without a path; the directory object gives it")
    if any(ord(ch) < 32 for ch in value):
        raise SpecError(field, value, "a file name without control characters")
    length = encoded_length(value)
    if length is None or length > 4000:
        raise SpecError(field, value, "a file name of at most 4000 bytes of UTF-8")
    variables = _SUBSTITUTION.findall(value)
    if variables and not substitution:
        raise SpecError(field, value, "a file name without substitution variables such as %U")
    for var in variables:
        if var.upper() not in ("U", "L"):
            raise SpecError(field, value, "a file name whose only substitution variables are %U and %L")
    return value


def dump_location(entry: str, default_directory: str) -> tuple[str, str]:
    """(directory object, file name) of a dump file entry: ``file`` lies in ``default_directory``,
    ``DIR:file`` in DIR (expdp's ``DUMPFILE=[directory_object:]file_name``). The directory is
    returned as Oracle stores it."""
    if entry.startswith('"'):
        end = entry.find('"', 1)
        if end > 0 and entry[end + 1 : end + 2] == ":":
            return entry[1:end], entry[end + 2 :]
        return default_directory, entry
    directory, sep, name = entry.partition(":")
    return (directory.upper(), name) if sep else (default_directory, entry)


def is_uri(entry: str) -> bool:
    """Whether a dump file entry is an object storage URI (KU$_FILE_TYPE_URIDUMP_FILE)."""
    return entry[:8].lower() == "https://"


def dump_uri(value: str, field: str) -> str:
    """A checked object storage URI for a dump file: https, a host, and an object name that
    may carry %U/%L as a file name may. Query strings are refused: Data Pump appends its own
    substitutions to the name, and a signed query would not survive them."""
    from airflow_datapump.core.cloud import redacted_uri  # a PAR token never reaches an error

    parts = urllib.parse.urlsplit(value)
    object_name = parts.path.rsplit("/", 1)[-1]
    shown = redacted_uri(value)
    allowed = "an https:// object URI, e.g. https://objectstorage.<region>.oraclecloud.com/n/<ns>/b/<bucket>/o/hr%U.dmp"
    if (
        not parts.netloc
        or not object_name
        or parts.query
        or parts.fragment
        or any(ord(ch) <= 32 for ch in value)
        or (encoded_length(value) or 4001) > 4000
    ):
        raise SpecError(field, shown, allowed)
    try:
        file_name(urllib.parse.unquote(object_name), field, substitution=True)
    except SpecError as error:
        raise SpecError(field, shown, error.allowed) from None
    if re.search(r"%[UuLl]", value[: len(value) - len(object_name)]):
        raise SpecError(field, shown, "substitution variables (%U, %L) only in the object name")
    return value


def dump_entry(value: object, field: str, directory: str) -> str:
    """A checked dump file entry, ``file``, ``DIR:file`` or an https:// object URI; DIR is
    dropped when it is ``directory``."""
    if isinstance(value, str) and is_uri(value):
        return dump_uri(value, field)
    if not isinstance(value, str) or (":" not in value):
        return file_name(value, field, substitution=True)
    if value.startswith('"'):
        end = value.find('"', 1)
        given, name = (value[: end + 1], value[end + 2 :]) if end > 0 else (value, "")
    else:
        given, _, name = value.partition(":")
    stored = identifier(given, field)
    checked = file_name(name, field, substitution=True)
    return checked if stored == directory else f"{display_identifier(stored)}:{checked}"


def has_substitution(name: str) -> bool:
    """Whether a dump file name stands for the several members of a set (holds ``%U`` or ``%L``)."""
    return SUBSTITUTION.search(name) is not None
