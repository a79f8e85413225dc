"""Oracle datetime and number format models for TO_CHAR, TO_DATE and TO_TIMESTAMP."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from airflow_datapump.testing._plsql.errors import ora

DEFAULT_DATE_FORMAT = "DD-MON-RR"
DEFAULT_TIMESTAMP_FORMAT = "DD-MON-RR HH.MI.SSXFF AM"

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_NAMES = tuple(dt.date(2000, m, 1).strftime("%B").upper() for m in range(1, 13))
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_DAY_NAMES = tuple(dt.date(2024, 1, d).strftime("%A").upper() for d in range(1, 8))
_ELEMENTS = (
    "TZH",
    "TZM",
    "YYYY",
    "RRRR",
    "HH24",
    "HH12",
    "MONTH",
    "MON",
    "DAY",
    "DY",
    "YY",
    "RR",
    "MM",
    "DD",
    "HH",
    "MI",
    "SS",
    "FF1",
    "FF2",
    "FF3",
    "FF4",
    "FF5",
    "FF6",
    "FF7",
    "FF8",
    "FF9",
    "FF",
    "AM",
    "PM",
    "A.M.",
    "P.M.",
    "FM",
    "X",
    "D",
)


def _split(fmt: str) -> list[tuple[str, str]]:
    """Split a format model into (ELEMENT, as-written) pairs; literals get element ''."""
    out: list[tuple[str, str]] = []
    i = 0
    upper = fmt.upper()
    while i < len(fmt):
        if fmt[i] == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) if end < 0 else end
            out.append(("", fmt[i + 1 : end]))
            i = end + 1
            continue
        for element in _ELEMENTS:
            if upper.startswith(element, i):
                out.append((element, fmt[i : i + len(element)]))
                i += len(element)
                break
        else:
            if fmt[i].isalnum():
                raise ora(1821)
            out.append(("", fmt[i]))
            i += 1
    return out


def _cased(word: str, written: str) -> str:
    """Oracle copies the capitalisation of the format element: MON, Mon or mon."""
    if written.isupper():
        return word.upper()
    if written[:1].isupper():
        return word.capitalize()
    return word.lower()


def format_datetime(value: dt.datetime, fmt: str, zone: dt.timedelta | None = None) -> str:
    """TO_CHAR of a datetime; TZH and TZM give its offset, or ``zone`` for a value without one
    (SYSTIMESTAMP's values are the database clock's reading at that clock's offset)."""
    out: list[str] = []
    fill = True
    offset = value.utcoffset() if value.tzinfo is not None else zone
    for element, written in _split(fmt):
        if element == "FM":
            fill = not fill
            continue
        if element in ("TZH", "TZM"):
            out.append(_format_offset(offset or dt.timedelta(0), element))
            continue
        out.append(_format_element(value, element, written, fill))
    return "".join(out)


def _format_offset(offset: dt.timedelta, element: str) -> str:
    minutes = int(offset.total_seconds() // 60)
    if element == "TZH":
        return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}"
    return f"{abs(minutes) % 60:02d}"


def _format_element(value: dt.datetime, element: str, written: str, fill: bool) -> str:
    hour12 = value.hour % 12 or 12
    numeric = {
        "YYYY": (value.year, 4),
        "RRRR": (value.year, 4),
        "YY": (value.year % 100, 2),
        "RR": (value.year % 100, 2),
        "MM": (value.month, 2),
        "DD": (value.day, 2),
        "HH24": (value.hour, 2),
        "HH": (hour12, 2),
        "HH12": (hour12, 2),
        "MI": (value.minute, 2),
        "SS": (value.second, 2),
        "D": (value.isoweekday() % 7 + 1, 1),
    }
    if element in numeric:
        number, width = numeric[element]
        return str(number).zfill(width) if fill else str(number)
    if element.startswith("FF"):
        digits = int(element[2:] or "6")
        return f"{value.microsecond:06d}{'000'}"[:digits]
    words = {
        "MON": _MONTHS[value.month - 1],
        "MONTH": _MONTH_NAMES[value.month - 1].ljust(9 if fill else 0),
        "DY": _DAYS[value.weekday()],
        "DAY": _DAY_NAMES[value.weekday()].ljust(9 if fill else 0),
        "AM": "AM" if value.hour < 12 else "PM",
        "PM": "AM" if value.hour < 12 else "PM",
        "A.M.": "A.M." if value.hour < 12 else "P.M.",
        "P.M.": "A.M." if value.hour < 12 else "P.M.",
        "X": ".",
    }
    if element in words:
        return _cased(words[element], written)
    return written


def parse_datetime(text: str, fmt: str) -> dt.datetime:
    """TO_DATE / TO_TIMESTAMP: lenient about separators, strict about fields, like Oracle."""
    parts: dict[str, int] = {}
    pos = 0
    text = text.strip()
    elements = list(_split(fmt))
    for index, (element, written) in enumerate(elements):
        if element in ("", "X", "FM"):
            # A sign in front of TZH belongs to the offset, not to the separator.
            signed = index + 1 < len(elements) and elements[index + 1][0] == "TZH"
            while pos < len(text) and not text[pos].isalnum():
                if signed and text[pos] in "+-":
                    break
                pos += 1
            if element == "" and written.strip() and written.isalnum():
                pos += len(written)
            continue
        pos = _parse_element(text, pos, element, parts)
    if pos < len(text):
        raise ora(1830)
    return _build(parts)


def _parse_element(text: str, pos: int, element: str, parts: dict[str, int]) -> int:
    if element in ("MON", "MONTH", "DY", "DAY", "AM", "PM", "A.M.", "P.M."):
        match = re.match(r"[A-Za-z.]+", text[pos:])
        word = match.group(0).upper() if match else ""
        if element in ("MON", "MONTH"):
            names = _MONTHS if element == "MON" else _MONTH_NAMES
            if word not in names and word[:3] not in _MONTHS:
                raise ora(1843)
            parts["MM"] = (names.index(word) if word in names else _MONTHS.index(word[:3])) + 1
        elif element in ("AM", "PM", "A.M.", "P.M."):
            parts["PM"] = 1 if word.startswith("P") else 0
        return pos + len(word)
    if element in ("TZH", "TZM"):
        zone = re.match(r"[+-]?\d{1,2}" if element == "TZH" else r"\d{1,2}", text[pos:])
        if not zone:
            raise ora(1857)  # not a valid time zone
        parts[element] = int(zone.group(0))
        parts["TZ_NEGATIVE"] = int(parts.get("TZ_NEGATIVE", 0) or zone.group(0).startswith("-"))
        return pos + len(zone.group(0))
    width = {"YYYY": 4, "RRRR": 4, "YY": 2, "RR": 2}.get(element, 2)
    if element.startswith("FF"):
        width = 9
    match = re.match(rf"\d{{1,{width}}}", text[pos:])
    if not match:
        raise ora(1858) if pos < len(text) else ora(1840 if element[0] in "YR" else 1861)
    digits = match.group(0)
    key = "FF" if element.startswith("FF") else element
    parts[key] = int(digits.ljust(6, "0")[:6]) if key == "FF" else int(digits)
    return pos + len(digits)


def _build(parts: dict[str, int]) -> dt.datetime:
    year = parts.get("YYYY", parts.get("RRRR"))
    if year is None and "RR" in parts:
        year = 2000 + parts["RR"] if parts["RR"] < 50 else 1900 + parts["RR"]
    if year is None and "YY" in parts:
        year = 2000 + parts["YY"]
    today = dt.date.today()
    hour = parts.get("HH24", parts.get("HH", parts.get("HH12", 0)))
    if "PM" in parts and hour != 12:
        hour += 12 * parts["PM"]
    elif parts.get("PM") == 0 and hour == 12:
        hour = 0
    zone = None
    if "TZH" in parts:  # TO_TIMESTAMP_TZ: the offset the text gives
        minutes = abs(parts["TZH"]) * 60 + parts.get("TZM", 0)
        zone = dt.timezone(dt.timedelta(minutes=-minutes if parts.get("TZ_NEGATIVE") else minutes))
    try:
        return dt.datetime(
            year if year is not None else today.year,
            parts.get("MM", today.month if year is None else 1),
            parts.get("DD", 1),
            hour,
            parts.get("MI", 0),
            parts.get("SS", 0),
            parts.get("FF", 0),
            tzinfo=zone,
        )
    except ValueError as exc:
        raise ora(1847) from exc


def format_number(value: Decimal, fmt: str) -> str:
    """TO_CHAR(number, fmt) for the common models built from 9, 0, '.', ',' and FM."""
    upper = fmt.upper()
    fill = not upper.startswith("FM")
    model = upper[2:] if not fill else upper
    if not re.fullmatch(r"[90,]*(\.[90]*)?", model):
        raise ora(1481)
    int_part, _, frac_part = model.partition(".")
    scale = len(frac_part)
    rounded = value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    digits_int, _, digits_frac = f"{abs(rounded):f}".partition(".")
    slots = int_part.replace(",", "")
    if len(digits_int.lstrip("0")) > len(slots):
        return "#" * (len(model) + 1)
    zero_from = slots.find("0")
    min_len = len(slots) - zero_from if zero_from >= 0 else 0
    shown = digits_int.lstrip("0").rjust(min_len, "0") or ("0" if not scale else "")
    body = shown + ("." + digits_frac.ljust(scale, "0") if scale else "")
    text = sign + body
    return text.rjust(len(model) + 1) if fill else text
