"""DBMS_ASSERT: the checks Oracle offers for names and literals that must become SQL text.

Code that cannot bind a value (a table name in DROP TABLE) quotes it with ENQUOTE_NAME or
checks it with SIMPLE_SQL_NAME and friends; the emulator gives those functions the behaviour
the PL/SQL Packages and Types Reference documents (DBMS_ASSERT chapter, and the OCI functions
Oracle documents as their C equivalents), so a block that relies on them is refused or passed
as Oracle would. Where the documentation leaves a case open the reading taken is in
docs/emulator.md ("DBMS_ASSERT").

Grammar (SIMPLE_SQL_NAME usage notes): an unquoted name starts with a letter and goes on with
letters, digits, ``_``, ``$`` and ``#``; a quoted name is any text between double quotes, a
quote inside it written as two; whitespace may surround either; the length is not checked. A
qualified name is simple names joined by ``.``, with up to two ``@`` parts for a database link
and its connection (QUALIFIED_SQL_NAME usage notes).
"""

from __future__ import annotations

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._backend.runtime import OPTIONAL_PACKAGES, PACKAGES
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._packages.files_api import frame, param, text_arg
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Subprogram, package_error
from airflow_datapump.testing._values import BOOLEAN, CLOB, VARCHAR2, Value

_LINE = 206  # plausible package line for the ORA-06512 frame; not Oracle's exact number

INVALID_SCHEMA_NAME = 44001
INVALID_OBJECT_NAME = 44002
INVALID_SQL_NAME = 44003
INVALID_QUALIFIED_SQL_NAME = 44004
VALUE_ERROR = 6502


def _error(code: int) -> OracleError:
    return package_error(code, frame("DBMS_ASSERT", _LINE))


def _quoted_body_ok(body: str, quote: str) -> bool:
    """True when every ``quote`` inside ``body`` is one of an adjacent pair."""
    return body.replace(quote * 2, "").count(quote) == 0


def _unquoted_ok(text: str) -> bool:
    return bool(text) and text[0].isalpha() and all(c.isalnum() or c in "_$#" for c in text[1:])


def simple_name(text: str) -> str | None:
    """The name ``text`` stands for (unquoted upper-cased, quoted taken as written with its
    doubled quotes undone), or None when ``text`` is not a simple SQL name."""
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] == '"' and stripped[-1] == '"':
        body = stripped[1:-1]
        return body.replace('""', '"') if body and _quoted_body_ok(body, '"') else None
    return stripped.upper() if _unquoted_ok(stripped) else None


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside double quotes."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def qualified_parts(text: str) -> list[list[str]] | None:
    """The names of a qualified SQL name, one list per ``@`` part, or None when it is not one."""
    segments = _split(text, "@")
    if len(segments) > 3:
        return None
    resolved: list[list[str]] = []
    for segment in segments:
        names = [simple_name(part) for part in _split(segment, ".")]
        if any(name is None for name in names):
            return None
        resolved.append([name for name in names if name is not None])
    return resolved


def enquote_name(ctx: CallContext, args: dict[str, Value]) -> str:
    """Quotes added unless already there; the unquoted text upper-cased when CAPITALIZE is
    TRUE (the default); the result must then be a quoted simple SQL name (ORA-44003)."""
    text = text_arg(args, "STR") or ""
    if not text.startswith('"'):
        text = '"' + (text.upper() if args.get("CAPITALIZE") is not False else text) + '"'
    if len(text) < 3 or not text.endswith('"') or not _quoted_body_ok(text[1:-1], '"'):
        raise _error(INVALID_SQL_NAME)
    return text


def enquote_literal(ctx: CallContext, args: dict[str, Value]) -> str:
    """Single quotes added unless already there; a quote inside must be one of a pair, or the
    package's value error (the chapter's operational notes) is raised."""
    text = text_arg(args, "STR") or ""
    if not (len(text) >= 2 and text[0] == "'" and text[-1] == "'"):
        text = f"'{text}'"
    if not _quoted_body_ok(text[1:-1], "'"):
        raise _error(VALUE_ERROR)
    return text


def simple_sql_name(ctx: CallContext, args: dict[str, Value]) -> str:
    text = text_arg(args, "STR")
    if text is None or simple_name(text) is None:
        raise _error(INVALID_SQL_NAME)
    return text


def qualified_sql_name(ctx: CallContext, args: dict[str, Value]) -> str:
    text = text_arg(args, "STR")
    if text is None or qualified_parts(text) is None:
        raise _error(INVALID_QUALIFIED_SQL_NAME)
    return text


def schema_name(ctx: CallContext, args: dict[str, Value]) -> str:
    """An existing user's name exactly as stored: no upper-casing, no quotes taken off."""
    session = ctx.session
    assert isinstance(session, Session)
    text = text_arg(args, "STR")
    with session.database.store.read() as db:
        exists = text is not None and catalog.user_exists(db, text)
    if not exists:
        raise _error(INVALID_SCHEMA_NAME)
    assert text is not None
    return text


def _package_exists(owner: str | None, name: str) -> bool:
    key = name if owner in (None, "SYS", "PUBLIC") else f"{owner}.{name}"
    return key in PACKAGES and key not in OPTIONAL_PACKAGES


def sql_object_name(ctx: CallContext, args: dict[str, Value]) -> str:
    """A local name of an existing table or (SYS or public) package; a name through a
    database link is not resolved, so it is refused (docs/emulator.md lists the differences)."""
    session = ctx.session
    assert isinstance(session, Session)
    text = text_arg(args, "STR")
    parts = qualified_parts(text) if text is not None else None
    if parts is None or len(parts) != 1 or len(parts[0]) > 2:
        raise _error(INVALID_OBJECT_NAME)
    names = parts[0]
    owner, name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
    with session.database.store.read() as db:
        found = catalog.table(db, owner or session.user, name) is not None
    if not (found or _package_exists(owner, name)):
        raise _error(INVALID_OBJECT_NAME)
    assert text is not None
    return text


def noop(ctx: CallContext, args: dict[str, Value]) -> Value:
    return args.get("STR")


def build() -> PackageSpec:
    text = (param("STR", VARCHAR2),)
    checks = {
        "SIMPLE_SQL_NAME": simple_sql_name,
        "QUALIFIED_SQL_NAME": qualified_sql_name,
        "SCHEMA_NAME": schema_name,
        "SQL_OBJECT_NAME": sql_object_name,
        "ENQUOTE_LITERAL": enquote_literal,
    }
    subprograms = {name: [Subprogram(name, text, VARCHAR2, impl)] for name, impl in checks.items()}
    name_params = (param("STR", VARCHAR2), param("CAPITALIZE", BOOLEAN, default=True, opt=True))
    subprograms["ENQUOTE_NAME"] = [Subprogram("ENQUOTE_NAME", name_params, VARCHAR2, enquote_name)]
    subprograms["NOOP"] = [
        Subprogram("NOOP", text, VARCHAR2, noop),
        Subprogram("NOOP", (param("STR", CLOB),), CLOB, noop),
    ]
    exceptions = {
        "INVALID_SCHEMA_NAME": -INVALID_SCHEMA_NAME,
        "INVALID_OBJECT_NAME": -INVALID_OBJECT_NAME,
        "INVALID_SQL_NAME": -INVALID_SQL_NAME,
        "INVALID_QUALIFIED_SQL_NAME": -INVALID_QUALIFIED_SQL_NAME,
    }
    return PackageSpec("DBMS_ASSERT", exceptions=exceptions, subprograms=subprograms)
