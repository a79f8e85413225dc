"""The values of expdp/impdp parameters: YES/NO, ``dir:file``, ``table:"clause"``, ``old:new``.

Each function takes the parameter's name (for the error) and what
:mod:`.expdp_syntax` read, and returns the value in the form the job model takes. Double
quotation marks that enclose a clause are removed here; those around a name stay, since they
make the name case-sensitive.
"""

from __future__ import annotations

import datetime as dt
import re

from airflow_datapump.core import catalog
from airflow_datapump.core.catalog import Kind
from airflow_datapump.exceptions import SpecError

_YES, _NO = ("YES", "Y"), ("NO", "N")
# expdp's DATA_OPTIONS words and the KU$_DATAOPT_* names the job model takes.
DATA_OPTION_WORDS = {
    "SKIP_CONSTRAINT_ERRORS": "SKIP_CONST_ERR",
    "XML_CLOBS": "XMLTYPE_CLOB",
    "DISABLE_APPEND_HINT": "DISABL_APPEND_HINT",
    "REJECT_ROWS_WITH_REPL_CHAR": "REJECT_ROWS_REPCHR",
    "ENABLE_NETWORK_COMPRESSION": "ENABLE_NET_COMP",
    "GROUP_PARTITION_TABLE_DATA": "GRP_PART_TAB",
    "TRUST_EXISTING_TABLE_PARTITIONS": "TRUST_EXIST_TB_PAR",
    "VALIDATE_TABLE_DATA": "VALIDATE_TBL_DATA",
    "VERIFY_STREAM_FORMAT": "VERIFY_STREAM_FORM",
    "CONTINUE_LOAD_ON_FORMAT_ERROR": "CONT_LD_ON_FMT_ERR",
}
_TIMESTAMP_CALL = re.compile(
    r"(TO_TIMESTAMP(?:_TZ)?|TO_DATE)\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)\Z", re.IGNORECASE
)
# Oracle datetime format elements and their strptime equivalents (longest first).
_FORMAT_ELEMENTS = (
    ("HH24", "%H"),
    ("YYYY", "%Y"),
    ("FF6", "%f"),
    ("FF", "%f"),
    ("MON", "%b"),
    ("TZH:TZM", "%z"),
    ("MM", "%m"),
    ("DD", "%d"),
    ("MI", "%M"),
    ("SS", "%S"),
)


def unquote(value: str) -> str:
    """Remove one pair of enclosing double quotation marks."""
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    return value


def scalar(name: str, values: tuple[str, ...], *, keep_quotes: bool = False, secret: bool = False) -> str:
    if len(values) != 1:
        raise SpecError(name, "***" if secret else list(values), "one value")
    return values[0] if keep_quotes else unquote(values[0])


def flag(name: str, values: tuple[str, ...]) -> bool:
    word = scalar(name, values).upper()
    if word in _YES or word in _NO:
        return word in _YES
    raise SpecError(name, values[0], "YES or NO (or Y, N)")


def clause(name: str, value: str) -> str:
    del name  # the job model checks the clause itself and names the field
    return unquote(value)


def split_outside_quotes(text: str, separator: str = ":") -> list[str]:
    """Split at each ``separator`` that is outside single or double quotation marks."""
    parts, start, quote = [], 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == separator:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def directory_file(name: str, value: str) -> tuple[str | None, str]:
    """``[directory:]file`` as DUMPFILE, LOGFILE and SQLFILE take it."""
    parts = split_outside_quotes(value)
    if len(parts) == 1:
        return None, unquote(value)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], unquote(parts[1])
    raise SpecError(name, value, "[directory_object:]file_name")


def name_and_clause(name: str, value: str) -> tuple[str | None, str]:
    """``[[schema.]table:]clause`` as QUERY and SAMPLE take it; the clause unquoted."""
    parts = split_outside_quotes(value)
    if len(parts) == 1:
        return None, unquote(value)
    if len(parts) == 2 and parts[0]:
        return parts[0], unquote(parts[1])
    raise SpecError(name, value, '[schema.]table:"clause" or "clause"')


def pair(name: str, value: str) -> tuple[str, str]:
    """``old:new`` as REMAP_SCHEMA/TABLE/TABLESPACE/DATAFILE take it."""
    text = unquote(value) if name == "REMAP_DATAFILE" else value
    parts = split_outside_quotes(text)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise SpecError(name, value, "old_value:new_value")
    if name == "REMAP_DATAFILE":
        return parts[0].strip("'"), parts[1].strip("'")
    return parts[0], parts[1]


def transform(name: str, value: str) -> dict[str, object]:
    """``TRANSFORM=transform_name:value[:object_type]`` as impdp takes it."""
    parts = split_outside_quotes(value)
    if len(parts) not in (2, 3) or not all(parts):
        raise SpecError(name, value, "transform_name:value[:object_type]")
    key = parts[0].upper()
    info = catalog.TRANSFORMS.get(key)
    setting: object = unquote(parts[1])
    if info is not None and info.kind is Kind.FLAG:
        setting = int(flag(f"{name}={key}", (parts[1],)))
    return {"name": key, "value": setting, "object_type": parts[2] if len(parts) == 3 else None}


def data_options(name: str, values: tuple[str, ...]) -> list[str]:
    result = []
    for value in values:
        word = unquote(value).upper()
        if word not in DATA_OPTION_WORDS:
            raise SpecError(name, value, "one or more of " + ", ".join(DATA_OPTION_WORDS))
        result.append(DATA_OPTION_WORDS[word])
    return result


def flashback_time(name: str, value: str) -> str:
    """FLASHBACK_TIME as expdp takes it, made a plain timestamp the job model keeps.

    ``SYSTIMESTAMP`` stays a keyword; ``TO_TIMESTAMP('25-08-2008 14:35:00', 'DD-MM-YYYY
    HH24:MI:SS')`` (also TO_TIMESTAMP_TZ and TO_DATE) is evaluated here with the common format
    elements, so no SQL text of the user's reaches the database.
    """
    match = _TIMESTAMP_CALL.match(value.strip())
    if match is None:
        return value
    python_format = match.group(3).upper()
    for element, code in _FORMAT_ELEMENTS:
        python_format = python_format.replace(element, code)
    try:
        moment = dt.datetime.strptime(match.group(2), python_format)
    except ValueError:
        raise SpecError(
            name,
            value,
            "a timestamp matching its format; format elements YYYY MM DD MON HH24 MI SS FF TZH:TZM",
        ) from None
    return moment.isoformat(sep=" ")
