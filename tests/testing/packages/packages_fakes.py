"""A temp-dir FileAccess and a call helper, so the packages are tested without backend or
engine: ``call`` does what the engine does for a call (pick the overload, fill defaults,
pass OUT parameters as NULL, hand back the OUT values)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from airflow_datapump.testing._packages.files_api import DirectoryError, FileAccess, Privilege
from airflow_datapump.testing._plsql.packages import (
    CallContext,
    PackageSpec,
    Subprogram,
    package_error,
)
from airflow_datapump.testing._plsql.runtime import Runtime
from airflow_datapump.testing._values import BFileValue, LobValue, ScalarType, TypeKind, Value


class Session:
    """An opaque session object, as the backend would hand one to packages."""


class FakeFiles:
    """Directory objects under a temp dir; grants per directory; DB links to other fakes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.grants: dict[str, set[str]] = {}
        self.paths: dict[str, Path] = {}
        self.links: dict[str, FakeFiles] = {}

    def add(self, name: str, *privileges: str) -> Path:
        path = self.root / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        self.paths[name] = path
        self.grants[name] = set(privileges or ("READ", "WRITE"))
        return path

    def directory_path(self, session: object, directory: str, privilege: Privilege) -> Path:
        if directory not in self.paths:
            raise DirectoryError(directory, "missing")
        if privilege not in self.grants[directory]:
            raise DirectoryError(directory, "denied")
        return self.paths[directory]

    def remote(self, session: object, db_link: str) -> tuple[FileAccess, object]:
        if db_link not in self.links:
            raise package_error(2019)
        return self.links[db_link], Session()


def _fits(param_type: object, value: Value) -> bool:
    if not isinstance(param_type, ScalarType):
        return True
    kind = param_type.kind
    if isinstance(value, LobValue):
        return kind == value.kind
    if isinstance(value, BFileValue):
        return kind == TypeKind.BFILE
    if isinstance(value, bytes):
        return kind in (TypeKind.RAW, TypeKind.BLOB)
    if isinstance(value, str):
        return kind in (TypeKind.VARCHAR2, TypeKind.CLOB)
    return kind not in (TypeKind.CLOB, TypeKind.BLOB, TypeKind.BFILE) or value is None


def _pick(spec: PackageSpec, name: str, given: dict[str, Value]) -> Subprogram:
    for sub in spec.subprograms[name]:
        names = {p.name: p for p in sub.params}
        if set(given) <= set(names) and all(_fits(names[k].type, v) for k, v in given.items()):
            return sub
    raise AssertionError(f"no overload of {name} for {sorted(given)}")


def _value(value: Any) -> Value:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return cast(Value, value)


def call(spec: PackageSpec, name: str, session: object, **given: Any) -> tuple[Value, dict[str, Value]]:
    """Call ``spec.name`` with keyword arguments (lower case, Python ints allowed); returns
    (function result, the argument dict after the call, holding OUT values)."""
    values = {k.upper(): _value(v) for k, v in given.items()}
    sub = _pick(spec, name, values)
    args: dict[str, Value] = {}
    for p in sub.params:
        if p.name in values:
            args[p.name] = None if p.mode == "OUT" else values[p.name]
        elif p.has_default or p.mode == "OUT":
            args[p.name] = p.default if p.mode != "OUT" else None
        else:
            raise AssertionError(f"{name}: missing {p.name}")
    ctx = CallContext(session, cast(Runtime, None), (), 1)
    return sub.impl(ctx, args), args
