"""Which objects a job's metadata filters let through (reference §2.4).

Filters are ANDed. Name filters with an ``object_path`` apply to objects on that path and
their dependents (a TABLE name filter also decides the table's data and grants); path
filters include or exclude an object when its path or any ancestor matches. Paths may be
given with or without the mode prefix (``SCHEMA_EXPORT/TABLE`` or ``TABLE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_datapump.testing._datapump.context import WorkContext

_PREFIXES = ("DATABASE_EXPORT/SCHEMA/", "DATABASE_EXPORT/", "SCHEMA_EXPORT/", "TABLE_EXPORT/")

# The relative paths of the objects the emulator moves, and their ancestors.
PATHS = {
    "USER": ("USER",),
    "SYSTEM_GRANT": ("SYSTEM_GRANT", "GRANT"),
    "ROLE_GRANT": ("ROLE_GRANT", "GRANT"),
    "TABLESPACE_QUOTA": ("TABLESPACE_QUOTA",),
    "TABLE": ("TABLE",),
    "TABLE_DATA": ("TABLE", "TABLE/TABLE_DATA", "TABLE_DATA"),
    "OBJECT_GRANT": ("TABLE", "TABLE/GRANT", "GRANT", "TABLE/GRANT/OWNER_GRANT/OBJECT_GRANT", "OBJECT_GRANT"),
    "DEFAULT_ROLE": ("DEFAULT_ROLE",),
    "PROCACT_SCHEMA": ("PRE_SCHEMA", "PRE_SCHEMA/PROCACT_SCHEMA", "PROCACT_SCHEMA"),
    "INDEX": ("TABLE", "TABLE/INDEX", "TABLE/INDEX/INDEX", "INDEX"),
    "CONSTRAINT": ("TABLE", "TABLE/CONSTRAINT", "TABLE/CONSTRAINT/CONSTRAINT", "CONSTRAINT"),
    # CONSTRAINT covers referential constraints too (SCHEMA_EXPORT_OBJECTS: "Constraints
    # (including referential constraints)").
    "REF_CONSTRAINT": (
        "TABLE",
        "TABLE/CONSTRAINT",
        "CONSTRAINT",
        "TABLE/CONSTRAINT/REF_CONSTRAINT",
        "CONSTRAINT/REF_CONSTRAINT",
        "REF_CONSTRAINT",
    ),
    "INDEX_STATISTICS": (
        "TABLE",
        "TABLE/INDEX",
        "INDEX",
        "TABLE/INDEX/STATISTICS",
        "INDEX/STATISTICS",
        "STATISTICS",
        "TABLE/INDEX/STATISTICS/INDEX_STATISTICS",
        "INDEX_STATISTICS",
    ),
    "TABLE_STATISTICS": (
        "TABLE",
        "TABLE/STATISTICS",
        "STATISTICS",
        "TABLE/STATISTICS/TABLE_STATISTICS",
        "TABLE_STATISTICS",
    ),
    "MARKER": ("STATISTICS", "STATISTICS/MARKER", "MARKER", "TABLE/STATISTICS", "TABLE/STATISTICS/MARKER"),
}
# The object types whose own name a name filter on their own path compares (an index's or
# a constraint's name); on the TABLE path the same filter compares their table's name.
_OWN_NAMES = {
    "INDEX": ("INDEX",),
    "CONSTRAINT": ("CONSTRAINT",),
    "REF_CONSTRAINT": ("CONSTRAINT", "REF_CONSTRAINT"),
}


def relative(path: str) -> str:
    upper = path.upper()
    for prefix in _PREFIXES:
        if upper.startswith(prefix):
            return upper[len(prefix) :]
    return upper


@dataclass(frozen=True)
class Candidate:
    kind: str  # USER, TABLE, TABLE_DATA, OBJECT_GRANT
    schema: str
    name: str  # the table's name for its data and grants; the user's name for USER
    tablespace: str | None = None
    object_name: str | None = None  # an index's or constraint's own name


def _path_hit(ctx: WorkContext, paths: tuple[str, ...], value: str, is_list: bool) -> bool:
    return any(ctx.matches(path, value, is_list=is_list) for path in paths)


def _name_applies(filter_path: str | None, kind: str) -> bool:
    if filter_path is None:
        return True
    return relative(filter_path) in PATHS[kind]


def _filtered_name(filter_path: str | None, item: Candidate) -> str:
    """The name a name filter compares: the object's own on its own path, else its table's."""
    own = _OWN_NAMES.get(item.kind, ())
    if (
        filter_path is not None
        and item.object_name is not None
        and relative(filter_path).split("/")[-1] in own
    ):
        return item.object_name
    return item.name


def accepts(
    ctx: WorkContext, filters: list[dict[str, Any]], item: Candidate, *, skip_schema: bool = False
) -> bool:
    paths = PATHS[item.kind]
    for f in filters:
        name, value, path = f["name"], f["value"], f.get("object_path")
        is_list = name.endswith("_LIST")
        if name.startswith("SCHEMA_") and not skip_schema:
            if not ctx.matches(item.schema, value, is_list=is_list):
                return False
        elif name in ("NAME_EXPR", "NAME_LIST"):
            if _name_applies(path, item.kind) and not ctx.matches(
                _filtered_name(path, item), value, is_list=is_list
            ):
                return False
        elif name in ("EXCLUDE_NAME_EXPR", "EXCLUDE_NAME_LIST"):
            if _name_applies(path, item.kind) and ctx.matches(
                _filtered_name(path, item), value, is_list=is_list
            ):
                return False
        elif name.startswith("TABLESPACE_"):
            if item.tablespace is not None and not ctx.matches(item.tablespace, value, is_list=is_list):
                return False
        elif name.startswith("INCLUDE_PATH_"):
            if not _path_hit(ctx, paths, value, is_list):
                return False
        elif name.startswith("EXCLUDE_PATH_") and _path_hit(ctx, paths, value, is_list):
            return False
    return True


def named_in_lists(filters: list[dict[str, Any]], prefix: str) -> list[str]:
    """The names ``*_LIST`` filters spell out, to report those that were not found (§2.4)."""
    names: list[str] = []
    for f in filters:
        if f["name"] == f"{prefix}_LIST":
            names.extend(literals(f["value"]))
    return names


def literals(text: str) -> list[str]:
    """The values of a ``'A','B'`` list (already checked by the SQL engine at filter time)."""
    values, current, quoted, position = [], "", False, 0
    while position < len(text):
        char = text[position]
        if char == "'":
            if quoted and text[position + 1 : position + 2] == "'":
                current += "'"
                position += 2
                continue
            quoted = not quoted
        elif quoted:
            current += char
        elif char == ",":
            values.append(current)
            current = ""
        position += 1
    values.append(current)
    return values
