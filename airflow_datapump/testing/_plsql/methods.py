"""Collection methods: COUNT, FIRST, LAST, NEXT, PRIOR, EXISTS, LIMIT, EXTEND, DELETE, TRIM."""

from __future__ import annotations

from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.nodes import Pos
from airflow_datapump.testing._plsql.places import index_key
from airflow_datapump.testing._plsql.scope import CExpr, Env, Exec, Place, pls
from airflow_datapump.testing._plsql.typesys import to_number
from airflow_datapump.testing._values import (
    BOOLEAN,
    PLS_INTEGER,
    CollectionKind,
    CollectionType,
    CollectionValue,
    DataType,
    Value,
)

FUNCTIONS = {"COUNT": 0, "FIRST": 0, "LAST": 0, "NEXT": 1, "PRIOR": 1, "EXISTS": 1, "LIMIT": 0}
PROCEDURES = {"EXTEND": 2, "DELETE": 2, "TRIM": 1}


def _sorted_keys(coll: CollectionValue) -> list[int | str]:
    return sorted(coll.elements, key=lambda k: (isinstance(k, str), k))


def _collection(base: Place, env: Env) -> CollectionValue:
    coll = base.get(env)
    if coll is None:
        raise ora(6531)
    assert isinstance(coll, CollectionValue)
    return coll


def method_value(pos: Pos, base: Place, t: CollectionType, name: str, args: list[CExpr]) -> CExpr:
    if len(args) != FUNCTIONS[name]:
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    key_type: DataType = t.index_type if t.index_type is not None else PLS_INTEGER
    arg = args[0].fn if args else None

    def run(env: Env) -> Value:
        if name == "EXISTS":
            coll = base.get(env)
            assert arg is not None
            raw = arg(env)
            if not isinstance(coll, CollectionValue) or raw is None:
                return False
            return index_key(t, raw) in coll.elements
        if name == "LIMIT":
            _collection(base, env)
            return None if t.max_size is None else to_number(str(t.max_size))
        coll = _collection(base, env)
        keys = _sorted_keys(coll)
        if name == "COUNT":
            return to_number(str(len(keys)))
        if name in ("FIRST", "LAST"):
            key = (keys[0] if name == "FIRST" else keys[-1]) if keys else None
            return _key_value(key)
        assert arg is not None
        raw = arg(env)
        if raw is None:
            return None
        pivot = index_key(t, raw)
        if name == "NEXT":
            later = [k for k in keys if _after(k, pivot)]
            return _key_value(later[0] if later else None)
        earlier = [k for k in keys if _after(pivot, k)]
        return _key_value(earlier[-1] if earlier else None)

    result: DataType = (
        BOOLEAN if name == "EXISTS" else (PLS_INTEGER if name in ("COUNT", "LIMIT") else key_type)
    )
    return CExpr(result, run)


def _after(a: int | str, b: int | str) -> bool:
    return (isinstance(a, str), a) > (isinstance(b, str), b)


def _key_value(key: int | str | None) -> Value:
    if key is None or isinstance(key, str):
        return key
    return to_number(str(key))


def _count_arg(fn: CExpr | None, env: Env, default: int) -> int:
    if fn is None:
        return default
    number = to_number(fn.fn(env))
    if number is None:
        raise ora(6502)
    return int(number)


def method_exec(pos: Pos, base: Place, t: CollectionType, name: str, args: list[CExpr]) -> Exec:
    if len(args) > PROCEDURES[name] or base.set is None:
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    if t.collection_kind == CollectionKind.INDEX_BY and name != "DELETE":
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    first = args[0] if args else None
    second = args[1] if len(args) > 1 else None

    def run(env: Env) -> None:
        coll = _collection(base, env)
        if name == "EXTEND":
            _extend(t, coll, _count_arg(first, env, 1), second, env)
        elif name == "TRIM":
            count = _count_arg(first, env, 1)
            keys = [k for k in _sorted_keys(coll) if isinstance(k, int)]
            if count > len(keys):
                raise ora(6533)
            for key in keys[len(keys) - count :]:
                del coll.elements[key]
        else:
            _delete(t, coll, first, second, env)

    return run


def _extend(t: CollectionType, coll: CollectionValue, count: int, source: CExpr | None, env: Env) -> None:
    keys = [k for k in coll.elements if isinstance(k, int)]
    size = max(keys, default=0)
    if t.max_size is not None and size + count > t.max_size:
        raise ora(6532)
    value: Value = None
    if source is not None:
        value = coll.elements.get(index_key(t, source.fn(env)))
    for i in range(size + 1, size + count + 1):
        coll.elements[i] = value


def _delete(
    t: CollectionType, coll: CollectionValue, first: CExpr | None, second: CExpr | None, env: Env
) -> None:
    if first is None:
        coll.elements.clear()
        return
    low = first.fn(env)
    high = second.fn(env) if second is not None else low
    if low is None or high is None:
        return
    lo, hi = index_key(t, low), index_key(t, high)
    for key in list(coll.elements):
        if not _after(lo, key) and not _after(key, hi):
            del coll.elements[key]
