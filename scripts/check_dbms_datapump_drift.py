"""Compare DBMS_DATAPUMP and the ku$ types of a real database with what the emulator enforces.

    AIRFLOW_DATAPUMP_LIVE_DSN=user/password@host:port/service python scripts/check_dbms_datapump_drift.py
    python scripts/check_dbms_datapump_drift.py --emulator      # the emulator's side only

Against a real database it prints the package's subprograms (from ALL_ARGUMENTS) and the
ku$ types' attributes (from ALL_TYPE_ATTRS), then every line found on one side only. The
emulator's side for one release is checked in (tests/behaviour/expected_dbms_datapump.txt)
and a test compares it with the emulator's own tables, so neither drifts silently.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from typing import Any

ARGUMENTS = """
SELECT object_name, overload, position, argument_name, data_type, type_name, in_out, defaulted
  FROM all_arguments
 WHERE owner = 'SYS' AND package_name = 'DBMS_DATAPUMP' AND data_level = 0
 ORDER BY object_name, overload, position"""
TYPE_ATTRIBUTES = """
SELECT type_name, attr_no, attr_name, attr_type_name
  FROM all_type_attrs
 WHERE owner = 'SYS' AND type_name LIKE 'KU$\\_%' ESCAPE '\\'
 ORDER BY type_name, attr_no"""
_COMPOSITE = ("OBJECT", "TABLE", "VARRAY", "PL/SQL RECORD", "PL/SQL TABLE")


def _signature(name: str, params: list[str], returns: str | None) -> str:
    kind = "FUNCTION" if returns else "PROCEDURE"
    text = f"{kind} DBMS_DATAPUMP.{name}({', '.join(params)})"
    return f"{text} RETURN {returns}" if returns else text


def emulator_catalog() -> list[str]:
    """The subprograms and types the emulator enforces, one line each."""
    from airflow_datapump.testing._datapump import package, types
    from airflow_datapump.testing._values import ObjectType

    spec = package.build(None)  # type: ignore[arg-type]  # signatures need no backend
    lines = []
    for name, overloads in spec.subprograms.items():
        for sub in overloads:
            params = [
                f"{p.name} {_type_name(p.type)} {p.mode}{' DEFAULT' if p.has_default else ''}"
                for p in sub.params
            ]
            lines.append(_signature(name, params, _type_name(sub.returns) if sub.returns else None))
    for type_name, data_type in types.TYPES.items():
        if data_type.name != type_name:
            continue  # a public synonym, not a type
        if isinstance(data_type, ObjectType):  # collections have no rows in ALL_TYPE_ATTRS
            attrs = ", ".join(f"{a} {_type_name(t)}" for a, t in data_type.attributes)
            lines.append(f"TYPE {type_name}: {attrs}")
    return sorted(lines)


def _type_name(data_type: Any) -> str:
    return str(getattr(data_type, "name", data_type))


def live_catalog(connection: Any) -> list[str]:
    """The same lines read from a real database's dictionary."""
    cursor = connection.cursor()
    grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in cursor.execute(ARGUMENTS):
        grouped[(row[0], str(row[1] or ""))].append(row)
    lines = []
    for (name, _), rows in grouped.items():
        returns, params = None, []
        for _, _, position, argument, data_type, type_name, in_out, defaulted in rows:
            shown = type_name if data_type in _COMPOSITE and type_name else data_type
            if position == 0 and argument is None:
                returns = shown
            elif argument is not None:
                mode = {"IN/OUT": "IN OUT"}.get(in_out, in_out)
                params.append(f"{argument} {shown} {mode}{' DEFAULT' if defaulted == 'Y' else ''}")
        lines.append(_signature(name, params, returns))
    attributes: dict[str, list[str]] = defaultdict(list)
    for type_name, _, attr, attr_type in cursor.execute(TYPE_ATTRIBUTES):
        attributes[type_name].append(f"{attr} {attr_type}")
    lines += [f"TYPE {name}: {', '.join(attrs)}" for name, attrs in attributes.items()]
    return sorted(lines)


def differences(live: list[str], emulated: list[str]) -> list[str]:
    only_live = sorted(set(live) - set(emulated))
    only_emulated = sorted(set(emulated) - set(live))
    return [f"only in the database: {line}" for line in only_live] + [
        f"only in the emulator: {line}" for line in only_emulated
    ]


def main(argv: list[str]) -> int:
    emulated = emulator_catalog()
    if "--emulator" in argv:
        print("\n".join(emulated))
        return 0
    dsn = os.environ.get("AIRFLOW_DATAPUMP_LIVE_DSN")
    if not dsn:
        print(
            "set AIRFLOW_DATAPUMP_LIVE_DSN=user/password@host:port/service (or pass --emulator)",
            file=sys.stderr,
        )
        return 2
    import oracledb

    credentials, _, address = dsn.partition("@")
    user, _, password = credentials.partition("/")
    with oracledb.connect(user=user, password=password, dsn=address) as connection:
        live = live_catalog(connection)
    print("\n".join(live))
    found = differences(live, emulated)
    print(f"\n{len(found)} difference(s) between the database and the emulator:")
    print("\n".join(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
