"""Calls: matching arguments to parameters, choosing an overload, and invoking.

Overload choice follows Oracle's observable behaviour closely enough for client code: every
overload whose parameters accept the arguments is scored (same type family scores above an
implicit conversion); the best score wins, and a tie is PLS-00307.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from airflow_datapump.testing._plsql.errors import OracleError, internal_error, ora_line
from airflow_datapump.testing._plsql.nodes import Arg, Pos
from airflow_datapump.testing._plsql.packages import CallContext, Param, Subprogram
from airflow_datapump.testing._plsql.scope import CExpr, Env, Getter, Place, pls
from airflow_datapump.testing._plsql.typesys import convert, match_rank
from airflow_datapump.testing._values import DataType, Value

Invoke = Callable[[Env, dict[str, Value]], Value]


@dataclass
class Callee:
    """A subprogram the engine can call: a package member or a nested PROCEDURE/FUNCTION.

    ``invoke(env, args)`` gets the Env of the level the subprogram was declared at (for
    nested ones; the caller's Env for package members) and the arguments by name.
    ``level`` is that declaration level, or None for package members.
    """

    name: str
    params: tuple[Param, ...]
    returns: DataType | None
    invoke: Invoke
    level: int | None = None
    defaults: dict[str, Getter] = field(default_factory=dict)


@dataclass
class Match:
    callee: Callee
    bound: list[tuple[Param, CExpr | None, Place | None]]


def package_callee(sub: Subprogram) -> Callee:
    """Wrap a package Subprogram so Python errors in it surface as ORA-00600."""

    def invoke(env: Env, args: dict[str, Value]) -> Value:
        m = env.m
        stack: tuple[str, ...] = ()
        trace: tuple[str, ...] = ()
        if m.handling:
            err = m.handling[-1]
            stack = tuple(err.lines)
            trace = tuple(line for line in stack if line.startswith("ORA-06512"))
            if err.raise_line is not None:
                trace = (ora_line(6512, "", err.raise_line), *trace)
        ctx = CallContext(m.runtime.session(), m.runtime, stack, env.line, trace)
        try:
            return sub.impl(ctx, args)
        except OracleError:
            raise
        except Exception as exc:
            raise internal_error(exc) from exc

    return Callee(sub.name, sub.params, sub.returns, invoke)


def check_notation(pos: Pos, name: str, args: tuple[Arg, ...]) -> None:
    named: set[str] = set()
    for arg in args:
        if arg.name is None:
            if named:
                raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
        elif arg.name in named:
            raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
        else:
            named.add(arg.name)


def _score(callee: Callee, args: tuple[Arg, ...], values: list[CExpr]) -> int | None:
    params = {p.name: p for p in callee.params}
    given: dict[str, int] = {}
    for i, arg in enumerate(args):
        if arg.name is None:
            if i >= len(callee.params):
                return None
            given[callee.params[i].name] = i
        elif arg.name in params:
            given[arg.name] = i
        else:
            return None
    total = 0
    for p in callee.params:
        if p.name not in given:
            if not (p.has_default or p.name in callee.defaults) or p.mode != "IN":
                return None
            continue
        src = values[given[p.name]].type
        rank = match_rank(src, p.type) if p.mode != "OUT" else 2
        if p.mode != "IN" and src is not None:
            back = match_rank(p.type, src)
            rank = None if back is None or rank is None else min(rank, back)
        if rank is None:
            return None
        total += rank
    return total


def choose(
    pos: Pos,
    name: str,
    candidates: list[Callee],
    args: tuple[Arg, ...],
    values: list[CExpr],
    want_function: bool,
) -> Callee:
    """The overload a call selects, or the PLS error Oracle gives."""
    check_notation(pos, name, args)
    kinds = [c for c in candidates if (c.returns is not None) == want_function]
    if not kinds:
        if want_function:
            raise pls(pos, 222, f"no function with name '{name}' exists in this scope")
        raise pls(pos, 221, f"'{name}' is not a procedure or is undefined")
    scored = [(s, c) for c in kinds if (s := _score(c, args, values)) is not None]
    if not scored:
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    best = max(s for s, _ in scored)
    winners = [c for s, c in scored if s == best]
    if len(winners) > 1:
        raise pls(pos, 307, f"too many declarations of '{name}' match this call")
    return winners[0]


def bind(
    callee: Callee,
    args: tuple[Arg, ...],
    values: list[CExpr],
    place_of: Callable[[int], Place],
) -> Match:
    """Pair each parameter with its argument; OUT ones need an assignable place."""
    by_name = {a.name: i for i, a in enumerate(args) if a.name is not None}
    bound: list[tuple[Param, CExpr | None, Place | None]] = []
    for pi, p in enumerate(callee.params):
        idx = by_name.get(p.name, pi if pi < len(args) and args[pi].name is None else None)
        if idx is None:
            bound.append((p, None, None))
        elif p.mode == "IN":
            bound.append((p, values[idx], None))
        else:
            bound.append((p, values[idx], place_of(idx)))
    return Match(callee, bound)


def make_call(match: Match, level: int) -> Getter:
    """The run-time closure of a call compiled at scope level ``level``."""
    callee = match.callee
    hops = 0 if callee.level is None else level - callee.level

    def call(env: Env) -> Value:
        decl_env = env.up(hops)
        args: dict[str, Value] = {}
        for p, value, place in match.bound:
            if value is None:
                default = callee.defaults.get(p.name)
                raw = default(decl_env) if default is not None else p.default
            elif p.mode == "OUT":
                raw = None
            else:
                raw = place.get(env) if place is not None else value.fn(env)
            args[p.name] = convert(raw, p.type)
        result = callee.invoke(decl_env if callee.level is not None else env, args)
        for p, _value, place in match.bound:
            if place is not None and place.set is not None:
                place.set(env, args.get(p.name))
        return result

    return call
