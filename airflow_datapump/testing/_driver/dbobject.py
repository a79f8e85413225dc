"""DbObjectType and DbObject, wrapping the value model's object and collection values.

python-oracledb numbers nested-table and varray elements from 0 while the value model keeps
Oracle's 1-based indexes; associative arrays use their own keys in both. Attribute names are
exposed upper case (``obj.JOB_NAME``) as python-oracledb exposes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airflow_datapump.testing import _values as v

from . import errors
from .convert import db_type, to_value

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from .convert import Converter

_TypeDef = v.ObjectType | v.CollectionType


class DbObjectAttr:
    """An attribute of an object type: its name and type (DbType or DbObjectType)."""

    def __init__(self, name: str, dtype: v.DataType, converter: Converter) -> None:
        self.name = name
        self._dtype = dtype
        self._converter = converter

    @property
    def type(self) -> Any:
        return _public_type(self._dtype, self._converter)

    def __repr__(self) -> str:
        return f"<oracledb.DbObjectAttr {self.name}>"


class DbObjectType:
    """Mirrors ``oracledb.DbObjectType``; call it (or ``newobject``) to build an instance."""

    def __init__(self, dtype: _TypeDef, converter: Converter) -> None:
        self._dtype = dtype
        self._converter = converter
        package, _, name = dtype.name.rpartition(".")
        self.name = name
        self.package_name = package or None
        self.schema = dtype.schema

    @property
    def attributes(self) -> list[DbObjectAttr]:
        if isinstance(self._dtype, v.CollectionType):
            return []
        return [DbObjectAttr(n, t, self._converter) for n, t in self._dtype.attributes]

    @property
    def iscollection(self) -> bool:
        return isinstance(self._dtype, v.CollectionType)

    @property
    def element_type(self) -> Any:
        if isinstance(self._dtype, v.CollectionType):
            return _public_type(self._dtype.element, self._converter)
        return None

    def newobject(self, value: Sequence[Any] | None = None) -> DbObject:
        if isinstance(self._dtype, v.CollectionType):
            obj = DbObject(v.CollectionValue(self._dtype), self._converter)
            if value is not None:
                obj.extend(value)
            return obj
        attrs: dict[str, v.Value] = {name: None for name, _ in self._dtype.attributes}
        return DbObject(v.ObjectValue(self._dtype, attrs), self._converter)

    __call__ = newobject

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DbObjectType) and other._dtype == self._dtype

    def __hash__(self) -> int:
        return hash(self._dtype)

    def __repr__(self) -> str:
        return f"<oracledb.DbObjectType {_full_name(self._dtype)}>"


class DbObject:
    """Mirrors ``oracledb.DbObject``: attributes for objects, element methods for collections."""

    _value: v.ObjectValue | v.CollectionValue
    _converter: Converter

    def __init__(self, value: v.ObjectValue | v.CollectionValue, converter: Converter) -> None:
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "_converter", converter)

    def __getattr__(self, name: str) -> Any:
        value = self._value
        if isinstance(value, v.ObjectValue) and value.type.attribute(name) is not None:
            return self._converter.to_python(value.attrs.get(name))
        raise AttributeError(name)

    def __setattr__(self, name: str, new: Any) -> None:
        value = self._value
        if isinstance(value, v.ObjectValue) and value.type.attribute(name) is not None:
            value.attrs[name] = to_value(new)
            return
        object.__setattr__(self, name, new)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.aslist())

    def __repr__(self) -> str:
        return f"<oracledb.DbObject {_full_name(self._value.type)} at {id(self):#x}>"

    @property
    def type(self) -> DbObjectType:
        return DbObjectType(self._value.type, self._converter)

    def copy(self) -> DbObject:
        value = self._value
        if isinstance(value, v.ObjectValue):
            return DbObject(v.ObjectValue(value.type, dict(value.attrs)), self._converter)
        return DbObject(v.CollectionValue(value.type, dict(value.elements)), self._converter)

    # Collection methods ---------------------------------------------------------------------

    def append(self, element: Any) -> None:
        coll = self._collection()
        last = self.last()
        self.setelement(0 if last is None else _next_index(coll, last), element)

    def asdict(self) -> dict[Any, Any]:
        return {k: self.getelement(k) for k in self._keys()}

    def aslist(self) -> list[Any]:
        return [self.getelement(k) for k in self._keys()]

    def delete(self, index: Any) -> None:
        self._collection().elements.pop(self._model_key(index), None)

    def exists(self, index: Any) -> bool:
        return self._model_key(index) in self._collection().elements

    def extend(self, seq: Sequence[Any]) -> None:
        for element in seq:
            self.append(element)

    def first(self) -> Any:
        keys = self._keys()
        return keys[0] if keys else None

    def last(self) -> Any:
        keys = self._keys()
        return keys[-1] if keys else None

    def next(self, index: Any) -> Any:
        later = [k for k in self._keys() if _sort_key(k) > _sort_key(index)]
        return later[0] if later else None

    def prev(self, index: Any) -> Any:
        earlier = [k for k in self._keys() if _sort_key(k) < _sort_key(index)]
        return earlier[-1] if earlier else None

    def getelement(self, index: Any) -> Any:
        elements = self._collection().elements
        key = self._model_key(index)
        if key not in elements:
            raise errors.driver_error(errors.INVALID_COLL_INDEX_GET, index=index)
        return self._converter.to_python(elements[key])

    def setelement(self, index: Any, value: Any) -> None:
        self._collection().elements[self._model_key(index)] = to_value(value)

    def size(self) -> int:
        return len(self._collection().elements)

    def trim(self, num: int) -> None:
        for key in self._keys()[len(self._keys()) - num :]:
            self.delete(key)

    def _collection(self) -> v.CollectionValue:
        if not isinstance(self._value, v.CollectionValue):
            raise errors.driver_error(errors.OBJECT_IS_NOT_A_COLLECTION, name=_full_name(self._value.type))
        return self._value

    def _indexed(self) -> bool:
        return self._collection().type.collection_kind is v.CollectionKind.INDEX_BY

    def _model_key(self, index: Any) -> int | str:
        return index if self._indexed() else int(index) + 1

    def _keys(self) -> list[Any]:
        keys = sorted(self._collection().elements, key=_sort_key)
        return keys if self._indexed() else [int(k) - 1 for k in keys]


def _next_index(coll: v.CollectionValue, last: Any) -> Any:
    return last + 1 if isinstance(last, int) else len(coll.elements)


def _sort_key(key: Any) -> tuple[int, Any]:
    return (0, key) if isinstance(key, int) else (1, key)


def _full_name(dtype: v.ObjectType | v.CollectionType) -> str:
    return f"{dtype.schema}.{dtype.name}" if dtype.schema else dtype.name


def _public_type(dtype: v.DataType, converter: Converter) -> Any:
    if isinstance(dtype, v.ObjectType | v.CollectionType):
        return DbObjectType(dtype, converter)
    return db_type(dtype)
