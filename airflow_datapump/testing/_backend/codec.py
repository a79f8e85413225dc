"""Values and column types as JSON, for rows and definitions kept in the store.

JSON has no Decimal, datetime or bytes, so those are tagged; everything else is plain.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from airflow_datapump.testing._values import LobValue, ScalarType, TypeKind, Value


def encode_value(value: Value) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, dt.datetime):
        return {"d": value.isoformat()}
    if isinstance(value, bytes):
        return {"b": value.hex()}
    if isinstance(value, LobValue):  # a CLOB or BLOB column's value, kept whole
        data = value.data
        return {"c": data} if isinstance(data, str) else {"l": data.hex()}
    raise TypeError(f"a {type(value).__name__} cannot be stored in a table column")


def decode_value(data: Any) -> Value:
    if data is None or isinstance(data, bool | str):
        return data
    if isinstance(data, dict):
        if "n" in data:
            return Decimal(data["n"])
        if "d" in data:
            return dt.datetime.fromisoformat(data["d"])
        if "b" in data:
            return bytes.fromhex(data["b"])
        if "c" in data:
            return LobValue(TypeKind.CLOB, data["c"])
        if "l" in data:
            return LobValue(TypeKind.BLOB, bytes.fromhex(data["l"]))
    raise ValueError(f"not an encoded value: {data!r}")


def encode_row(values: tuple[Value, ...]) -> str:
    return json.dumps([encode_value(v) for v in values])


def decode_row(text: str) -> tuple[Value, ...]:
    return tuple(decode_value(v) for v in json.loads(text))


def encode_type(data_type: ScalarType) -> dict[str, Any]:
    return {
        "kind": data_type.kind.value,
        "name": data_type.name,
        "size": data_type.size,
        "precision": data_type.precision,
        "scale": data_type.scale,
    }


def decode_type(data: dict[str, Any]) -> ScalarType:
    return ScalarType(
        TypeKind(data["kind"]),
        data["name"],
        data.get("size"),
        data.get("precision"),
        data.get("scale"),
    )
