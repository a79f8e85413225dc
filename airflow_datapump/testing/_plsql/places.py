"""Storage locations: variables, binds, object attributes, record fields, collection elements.

Reads return the stored value itself, so a chain like ``st.job_status.files(i).file_name :=``
mutates the object in place; :func:`~.typesys.convert` copies composites on assignment, which
gives PL/SQL's value semantics.
"""

from __future__ import annotations

from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.scope import CExpr, Env, Place, VarSym
from airflow_datapump.testing._plsql.typesys import (
    convert,
    static_type_of_value,
    text_length,
    to_number,
    to_text,
)
from airflow_datapump.testing._values import (
    VARCHAR2,
    Bind,
    CollectionKind,
    CollectionType,
    CollectionValue,
    DataType,
    ObjectType,
    ObjectValue,
    RecordType,
    RecordValue,
    ScalarType,
    Value,
)


def initial_value(t: DataType) -> Value:
    """What a declared variable holds before assignment: records and index-by tables exist
    (empty), objects and other collections are atomically NULL."""
    if isinstance(t, RecordType):
        return RecordValue(t, {name: initial_value(ft) for name, ft in t.fields})
    if isinstance(t, CollectionType) and t.collection_kind == CollectionKind.INDEX_BY:
        return CollectionValue(t)
    return None


def var_place(sym: VarSym, level: int) -> Place:
    hops, slot, t = level - sym.level, sym.slot, sym.type
    not_null = sym.not_null

    def get(env: Env) -> Value:
        return env.up(hops).vals.get(slot)

    def put(env: Env, value: Value) -> None:
        converted = convert(value, t)
        if converted is None and not_null:
            raise ora(6502)
        env.up(hops).vals[slot] = converted

    assignable = sym.mode in ("VAR", "OUT", "IN OUT")
    return Place(t, get, put if assignable else None, sym.name)


def bind_type(bind: Bind) -> DataType:
    if bind.type is not None:
        return bind.type
    t = static_type_of_value(bind.value)
    return t if t is not None else VARCHAR2


def bind_place(name: str, t: DataType) -> Place:
    def get(env: Env) -> Value:
        return env.m.binds[name].value

    def put(env: Env, value: Value) -> None:
        bind = env.m.binds[name]
        converted = convert(value, t)
        too_long = (
            isinstance(converted, str)
            and isinstance(t, ScalarType)
            and bind.size is not None
            and text_length(converted, t) > bind.size
        )
        if too_long:
            raise ora(6502, "character string buffer too small")
        too_many = (
            isinstance(converted, CollectionValue)
            and bind.array_size is not None
            and len(converted.elements) > bind.array_size
        )
        if too_many:
            raise ora(6513)
        bind.value = converted
        bind.assigned = True

    return Place(t, get, put, f":{name}")


def attr_place(base: Place, name: str, attr_type: DataType) -> Place:
    def get(env: Env) -> Value:
        holder = base.get(env)
        if holder is None:
            return None  # reading an attribute of a NULL object yields NULL in PL/SQL
        assert isinstance(holder, ObjectValue | RecordValue)
        values = holder.attrs if isinstance(holder, ObjectValue) else holder.fields
        return values.get(name)

    def put(env: Env, value: Value) -> None:
        holder = base.get(env)
        if holder is None:
            raise ora(6530)
        assert isinstance(holder, ObjectValue | RecordValue)
        values = holder.attrs if isinstance(holder, ObjectValue) else holder.fields
        values[name] = convert(value, attr_type)

    label = f"{base.label}.{name}"
    return Place(attr_type, get, put if base.set is not None else None, label)


def index_key(t: CollectionType, raw: Value) -> int | str:
    if raw is None:
        raise ora(6502, "NULL index table key value")
    if t.index_type is not None and t.index_type.kind.value in ("VARCHAR2", "CHAR"):
        text = to_text(raw)
        assert text is not None
        return text
    number = to_number(raw)
    assert number is not None
    return int(number.to_integral_value())


def _check_dense(t: CollectionType, coll: CollectionValue, key: int | str) -> None:
    """Errors for a nested table or varray subscript that holds no element."""
    assert isinstance(key, int)
    size = max((k for k in coll.elements if isinstance(k, int)), default=0)
    if key < 1 or (t.max_size is not None and key > t.max_size):
        raise ora(6532)
    if key > size:
        raise ora(6533)
    raise ora(1403)


def element_place(base: Place, t: CollectionType, index: CExpr) -> Place:
    idx = index.fn
    element = t.element
    index_by = t.collection_kind == CollectionKind.INDEX_BY

    def get(env: Env) -> Value:
        coll = base.get(env)
        if coll is None:
            raise ora(6531)
        assert isinstance(coll, CollectionValue)
        key = index_key(t, idx(env))
        if key in coll.elements:
            return coll.elements[key]
        if index_by:
            raise ora(1403)
        _check_dense(t, coll, key)
        return None  # pragma: no cover - _check_dense always raises

    def put(env: Env, value: Value) -> None:
        coll = base.get(env)
        if coll is None:
            raise ora(6531)
        assert isinstance(coll, CollectionValue)
        key = index_key(t, idx(env))
        if not index_by and key not in coll.elements:
            size = max((k for k in coll.elements if isinstance(k, int)), default=0)
            assert isinstance(key, int)
            if not 1 <= key <= size:
                _check_dense(t, coll, key)
        coll.elements[key] = convert(value, element)

    return Place(element, get, put if base.set is not None else None, f"{base.label}(...)")


def constant_place(label: str, t: DataType, value: Value) -> Place:
    return Place(t, lambda env: value, None, label)


def value_place(label: str, compiled: CExpr, t: DataType) -> Place:
    return Place(t, compiled.fn, None, label)


def new_object(t: ObjectType, args: dict[str, Value]) -> ObjectValue:
    return ObjectValue(t, {name: convert(args.get(name), at) for name, at in t.attributes})


def new_collection(t: CollectionType, items: list[Value]) -> CollectionValue:
    if t.max_size is not None and len(items) > t.max_size:
        raise ora(6532)
    return CollectionValue(t, {i + 1: convert(v, t.element) for i, v in enumerate(items)})
