"""Oracle's internal formats, checked against values python-oracledb itself encodes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from airflow_datapump.testing._net import oratypes
from airflow_datapump.testing._net.buffer import Reader, Writer


def test_numbers_match_the_documented_examples() -> None:
    assert oratypes.encode_number(Decimal(1)) == bytes.fromhex("c102")
    assert oratypes.encode_number(Decimal(100)) == bytes.fromhex("c202")
    assert oratypes.encode_number(Decimal("0.5")) == bytes.fromhex("c033")
    assert oratypes.encode_number(Decimal(-1)) == bytes.fromhex("3e6466")
    assert oratypes.encode_number(Decimal(0)) == bytes.fromhex("80")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-(10**30), max_value=10**30))
def test_numbers_round_trip(value: Decimal) -> None:
    value = Decimal(format(value, ".20g"))  # NUMBER keeps 38-40 significant digits; stay well inside
    assert oratypes.decode_number(oratypes.encode_number(value)) == value


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_timestamps_round_trip(value: dt.datetime) -> None:
    assert oratypes.decode_date(oratypes.encode_date(value, oratypes.TIMESTAMP)) == value
    assert oratypes.decode_date(oratypes.encode_date(value, oratypes.DATE)) == value.replace(microsecond=0)


def test_timestamp_with_time_zone_is_sent_in_utc_with_its_offset() -> None:
    zone = dt.timezone(dt.timedelta(hours=5, minutes=30))
    value = dt.datetime(2024, 3, 1, 12, 0, tzinfo=zone)
    encoded = oratypes.encode_date(value, oratypes.TIMESTAMP_TZ)
    assert encoded[4] == 6 + 1
    assert encoded[5] == 30 + 1
    assert oratypes.decode_date(encoded) == value


@given(st.integers(min_value=0, max_value=2**64 - 1), st.binary(max_size=70000))
def test_universal_numbers_and_chunked_bytes_round_trip(number: int, data: bytes) -> None:
    written = Writer().ub8(number).bytes_(data).bytes2(data).getvalue()
    reader = Reader(written)
    assert reader.ub8() == number
    assert (reader.bytes_() or b"") == data
    assert (reader.bytes2() or b"") == data
    assert reader.remaining == 0


def test_verifiers_check_passwords_and_clear_text_matches_nothing() -> None:
    from airflow_datapump.testing._net import o5logon

    verifier = o5logon.make_verifier("tiger")
    assert o5logon.check_password(verifier, "tiger")
    assert not o5logon.check_password(verifier, "lion")
    assert not o5logon.check_password("tiger", "tiger")  # a clear value from old state
    assert o5logon.make_verifier("tiger") != verifier  # salted
