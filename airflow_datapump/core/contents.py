"""What a dump file set holds, read before importing it: pure parsing, no I/O.

Three sources, each the database's own account: the dump file header (GET_DUMPFILE_INFO),
the DDL a SQL_FILE job writes for every object in the set (grouped under its ``-- new object
type path:`` comments), and the row counts the export's log reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_PATH = re.compile(r"^-- new object type path: (\S+)")
_CREATE = re.compile(
    r"^\s*CREATE (?:OR REPLACE )?(?:NON)?(?:EDITIONABLE )?(?:UNIQUE |BITMAP |GLOBAL TEMPORARY )?"
    r'([A-Z][A-Z ]*?) "([^"]+)"(?:\."([^"]+)")?'
)


@dataclass(frozen=True)
class DumpObject:
    """One object the SQL_FILE job found: its object path, type, schema (None for a user) and name."""

    path: str
    type: str
    schema: str | None
    name: str


@dataclass(frozen=True)
class DumpContents:
    """A dump file set, as its header, its SQL_FILE DDL and its export log describe it."""

    files: list[str]
    header: dict[str, str]
    objects: list[DumpObject] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def tables(self) -> list[str]:
        """``SCHEMA.TABLE`` of every table in the set."""
        return [f"{o.schema}.{o.name}" for o in self.objects if o.type == "TABLE"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "header": self.header,
            "objects": [o.__dict__ for o in self.objects],
            "rows": self.rows,
        }


def objects_in(sql: str) -> list[DumpObject]:
    """The objects a SQL_FILE job's script creates, in its order."""
    found: list[DumpObject] = []
    path = ""
    for line in sql.splitlines():
        if match := _PATH.match(line):
            path = match.group(1)
        elif match := _CREATE.match(line):
            kind, first, second = match.groups()
            schema, name = (first, second) if second else (None, first)
            found.append(DumpObject(path, kind.strip(), schema, name))
    return found
