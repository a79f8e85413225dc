"""Bind variables: ``cursor.var()`` and ``cursor.arrayvar()`` results, and implicit binds.

A Var owns one :class:`~airflow_datapump.testing._values.Bind` per position; those very Bind
objects go to the engine, which writes OUT values into them, so reading a Var after execute
needs no copying back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airflow_datapump.testing import _values as v

from . import errors
from .convert import Converter, Flavor, to_value

Converter_ = Callable[[Any], Any]


class Var:
    """Mirrors ``oracledb.Var``."""

    def __init__(
        self,
        dtype: v.DataType | None,
        public_type: Any,
        converter: Converter,
        *,
        flavor: Flavor = None,
        size: int = 0,
        num_elements: int = 1,
        is_array: bool = False,
        inconverter: Converter_ | None = None,
        outconverter: Converter_ | None = None,
        convert_nulls: bool = False,
    ) -> None:
        self._dtype = dtype
        self._public_type = public_type
        self._converter = converter
        self._flavor = flavor
        self._size = size
        self._num_elements = num_elements
        self._is_array = is_array
        self.inconverter = inconverter
        self.outconverter = outconverter
        self.convert_nulls = convert_nulls
        bind_size = size or None
        if is_array and dtype is not None:
            coll_type = v.CollectionType(None, "", dtype, v.CollectionKind.INDEX_BY, index_type=v.PLS_INTEGER)
            self._binds = [v.Bind(v.CollectionValue(coll_type), coll_type, bind_size, num_elements)]
        else:
            self._binds = [v.Bind(None, dtype, bind_size) for _ in range(num_elements)]

    def bind(self, pos: int = 0) -> v.Bind:
        """The Bind for one position (executemany uses one position per row)."""
        return self._binds[pos]

    def getvalue(self, pos: int = 0) -> Any:
        value = self._binds[pos].value
        if self._is_array:
            items = value.ordered() if isinstance(value, v.CollectionValue) else []
            return [self._out(item) for item in items]
        return self._out(value)

    def setvalue(self, pos: int, value: Any) -> None:
        if self.inconverter is not None:
            value = self.inconverter(value)
        bind = self._binds[pos]
        bind.assigned = False
        if not self._is_array:
            bind.value = to_value(value)
            return
        if not isinstance(value, list):
            raise errors.driver_error(errors.EXPECTING_LIST_FOR_ARRAY_VAR)
        assert isinstance(bind.type, v.CollectionType)
        elements: dict[int | str, v.Value] = {i + 1: to_value(x) for i, x in enumerate(value)}
        bind.value = v.CollectionValue(bind.type, elements)

    def _out(self, value: v.Value) -> Any:
        result = self._converter.to_python(value, self._flavor)
        if self.outconverter is not None and (result is not None or self.convert_nulls):
            result = self.outconverter(result)
        return result

    @property
    def values(self) -> list[Any]:
        if self._is_array:
            return list(self.getvalue(0))
        return [self.getvalue(i) for i in range(self._num_elements)]

    @property
    def type(self) -> Any:
        return self._public_type

    @property
    def size(self) -> int:
        return self._size

    @property
    def buffer_size(self) -> int:
        return self._size * 4 if self._size else 22

    @property
    def num_elements(self) -> int:
        return self._num_elements

    @property
    def actual_elements(self) -> int:
        if self._is_array:
            value = self._binds[0].value
            return len(value.elements) if isinstance(value, v.CollectionValue) else 0
        return self._num_elements

    def __repr__(self) -> str:
        name = getattr(self._public_type, "name", self._public_type)
        return f"<oracledb.Var of type {name} with value {self.getvalue()!r}>"
