"""The pickled object image format: values round-trip, and malformed images are refused."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._datapump import types
from airflow_datapump.testing._net import objects
from airflow_datapump.testing._net.buffer import ProtocolError
from airflow_datapump.testing._packages import utl_file

LINE = types.TYPES["KU$_LOGLINE1010"]
ENTRY = types.TYPES["KU$_LOGENTRY1010"]
STATUS = types.TYPES["KU$_STATUS1220"]
assert isinstance(LINE, v.ObjectType)
assert isinstance(ENTRY, v.CollectionType)
assert isinstance(STATUS, v.ObjectType)

_numbers = st.none() | st.decimals(
    allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12
)
_texts = st.none() | st.text(min_size=1, max_size=400).filter(lambda s: "\x00" not in s)
_lines = st.builds(
    lambda n, e, t: v.ObjectValue(LINE, {"LOGLINENUMBER": n, "ERRORNUMBER": e, "LOGTEXT": t}),
    _numbers,
    _numbers,
    _texts,
)
_entries = st.lists(st.none() | _lines, max_size=30).map(
    lambda items: v.CollectionValue(ENTRY, dict(enumerate(items, 1)))
)


def _normal(value: v.Value) -> v.Value:
    """Decimals compared by value (0.100 == 0.1), other values as they are."""
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, v.ObjectValue):
        return ("object", value.type.name, {k: _normal(x) for k, x in value.attrs.items() if x is not None})
    if isinstance(value, v.CollectionValue):
        return ("collection", value.type.name, {k: _normal(x) for k, x in value.elements.items()})
    return value


@given(_entries, _entries, st.none() | _numbers)
@settings(max_examples=60, deadline=None)
def test_a_status_round_trips_through_its_image(
    wip: v.CollectionValue, error: v.CollectionValue, mask: Decimal
) -> None:
    status = v.ObjectValue(STATUS, {"MASK": mask, "WIP": wip, "ERROR": error})
    assert _normal(objects.decode(objects.encode(status, STATUS), STATUS)) == _normal(status)


def test_a_record_with_integers_and_a_boolean_round_trips() -> None:
    record = v.RecordValue(utl_file.FILE_TYPE, {"ID": Decimal(-7), "DATATYPE": Decimal(1), "BYTE_MODE": True})
    assert objects.decode(objects.encode(record, utl_file.FILE_TYPE), utl_file.FILE_TYPE) == record


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_decode_or_are_refused(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        objects.decode(data, STATUS)


def test_an_image_stored_in_a_lob_is_refused() -> None:
    with pytest.raises(ProtocolError, match="LOB"):
        objects.decode(bytes([objects.IMAGE_V81 | objects.IMAGE_DEGENERATE, 1, 3]), STATUS)
