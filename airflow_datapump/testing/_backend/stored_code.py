"""Stored PL/SQL packages: CREATE [OR REPLACE] PACKAGE [BODY], and calls into them.

A package's text is kept as the user sent it, in its owner's schema. When a block names
``[schema.]package.function``, the package is made a :class:`PackageSpec` whose subprograms
are the functions its specification declares, with the signatures its body gives them. A
call runs the body's declarations, as sent, in an anonymous block of the calling session
that hands the arguments in and the result out as binds. What this leaves out (said in
docs/emulator.md): package state does not outlive a call, an initialisation section is not
run, procedures are not callable, and the caller's rights are used rather than the owner's.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._plsql import ddl as nodes
from airflow_datapump.testing._plsql import declnodes as dn
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Param, Subprogram
from airflow_datapump.testing._plsql.typesys import TypeArgError, scalar_type
from airflow_datapump.testing._values import VARCHAR2, Bind, DataType, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.session import Session


def create(session: Session, db: sqlite3.Connection, st: nodes.CreatePackage) -> None:
    """Store a specification or body, after checking privileges and (a body) its syntax."""
    owner = st.schema or session.user
    catalog.require(db, session.user, "CREATE PROCEDURE" if owner == session.user else "CREATE ANY PROCEDURE")
    part = "BODY" if st.body else "SPEC"
    exists = db.execute(
        "SELECT 1 FROM plsql_packages WHERE owner = ? AND name = ? AND part = ?", (owner, st.name, part)
    ).fetchone()
    if exists and not st.or_replace:
        raise ora(955)
    if st.body:
        _parse_body(st.source)
    db.execute(
        "INSERT OR REPLACE INTO plsql_packages (owner, name, part, source, declared) VALUES (?, ?, ?, ?, ?)",
        (owner, st.name, part, st.source, " ".join(st.declared)),
    )


def _parse_body(source: str) -> n.Block:
    from airflow_datapump.testing._plsql import engine

    parsed = engine.parse(f"DECLARE\n{source}\nBEGIN\n  NULL;\nEND;")
    assert isinstance(parsed.node, n.Block)
    return parsed.node


def package(session: Session, name: str) -> PackageSpec | None:
    """The stored package ``name`` (``PKG`` in the session's schema, or ``OWNER.PKG``)."""
    owner, _, bare = name.rpartition(".")
    owner = owner or session.user
    with session.database.store.read() as db:
        rows = dict(
            db.execute(
                "SELECT part, source || CHAR(0) || declared FROM plsql_packages WHERE owner = ? AND name = ?",
                (owner, bare),
            ).fetchall()
        )
    if "SPEC" not in rows:
        return None
    declared = set(rows["SPEC"].split("\0", 1)[1].split())
    body = rows.get("BODY", "").split("\0", 1)[0]
    subprograms: dict[str, list[Subprogram]] = {}
    for decl in _parse_body(body).decls if body else ():
        if isinstance(decl, dn.SubprogramDecl) and decl.returns is not None and decl.name in declared:
            subprograms.setdefault(decl.name, []).append(_function(body, decl))
    return PackageSpec(f"{owner}.{bare}", subprograms=subprograms)


def _type(ref: dn.TypeRef) -> DataType:
    try:
        found = scalar_type(ref.name[-1], (), ref.char_semantics) if len(ref.name) == 1 else None
    except TypeArgError:
        found = None
    return found or VARCHAR2


def _function(body: str, decl: dn.SubprogramDecl) -> Subprogram:
    assert decl.returns is not None
    params = tuple(Param(p.name, _type(p.type), p.mode, None, p.default is not None) for p in decl.params)  # type: ignore[arg-type]
    names = [p.name for p in params]
    arguments = ", ".join(f"{name} => :A{i}" for i, name in enumerate(names))
    call = f"{decl.name}({arguments})" if names else decl.name
    text = f"DECLARE\n{body}\nBEGIN\n  :R := {call};\nEND;"

    def impl(ctx: CallContext, args: dict[str, Value]) -> Value:
        from airflow_datapump.testing._plsql import engine

        binds = {f"A{i}": Bind(args[name]) for i, name in enumerate(names)}
        binds["R"] = Bind(None, _type(decl.returns))  # type: ignore[arg-type]
        engine.execute(text, binds, ctx.runtime)
        return binds["R"].value

    return Subprogram(decl.name, params, _type(decl.returns), impl)
