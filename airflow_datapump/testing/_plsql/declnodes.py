"""Syntax tree of PL/SQL types and declarations: what a declare section, a package spec or a
parameter list holds.

Immutable like every node (see :mod:`nodes`), with ``pos`` = (line, column) of the first token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from airflow_datapump.testing._plsql.nodes import Expr, Pos

if TYPE_CHECKING:
    from airflow_datapump.testing._plsql.nodes import Block


@dataclass(frozen=True)
class TypeRef:
    """A type as written: ``VARCHAR2(30 CHAR)``, ``ku$_Status``, ``v%TYPE``, ``PKG.T``."""

    pos: Pos
    name: tuple[str, ...]
    args: tuple[int, ...] = ()
    char_semantics: bool = False
    attribute: str | None = None  # "TYPE" or "ROWTYPE"
    star_precision: bool = False  # NUMBER(*, 0)


@dataclass(frozen=True)
class VarDecl:
    pos: Pos
    name: str
    type: TypeRef
    constant: bool = False
    not_null: bool = False
    init: Expr | None = None


@dataclass(frozen=True)
class ExceptionDecl:
    pos: Pos
    name: str


@dataclass(frozen=True)
class PragmaExceptionInit:
    pos: Pos
    name: str
    code: int


@dataclass(frozen=True)
class CollectionTypeDecl:
    """``TYPE t IS TABLE OF x [INDEX BY k]`` or ``TYPE t IS VARRAY(n) OF x``."""

    pos: Pos
    name: str
    element: TypeRef
    varray_limit: int | None = None
    index_by: TypeRef | None = None


@dataclass(frozen=True)
class RecordTypeDecl:
    pos: Pos
    name: str
    fields: tuple[VarDecl, ...]


@dataclass(frozen=True)
class ParamDecl:
    pos: Pos
    name: str
    mode: str  # "IN", "OUT", "IN OUT"
    type: TypeRef
    default: Expr | None = None


@dataclass(frozen=True)
class SubprogramDecl:
    """A nested PROCEDURE or FUNCTION (``returns`` set) defined in a declare section."""

    pos: Pos
    name: str
    params: tuple[ParamDecl, ...]
    returns: TypeRef | None
    body: Block


@dataclass(frozen=True)
class UnsupportedDecl:
    """A declaration the emulator parses past but refuses to compile (cursors, subtypes)."""

    pos: Pos
    what: str


Decl = (
    VarDecl
    | ExceptionDecl
    | PragmaExceptionInit
    | CollectionTypeDecl
    | RecordTypeDecl
    | SubprogramDecl
    | UnsupportedDecl
)
