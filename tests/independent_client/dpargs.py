"""expdp/impdp-style parameters (``KEY=VALUE`` words), checked before anything reaches a database.

Spellings follow the Utilities guide's parameter lists. Two liberties, both ours: a value
may be given as several words or repeated (``REMAP_SCHEMA=A:B REMAP_SCHEMA=C:D``), and
``REMAP_TABLESPACE=*:TARGET`` asks the client to remap every tablespace the remapped
schemas' segments use (found in DBA_SEGMENTS) to TARGET.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_$#]{0,127}$")
FLASHBACK_FORMAT = "YYYY-MM-DD HH24:MI:SS"
_FLASHBACK_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
TABLE_EXISTS_ACTIONS = ("SKIP", "APPEND", "TRUNCATE", "REPLACE")
_LISTS = ("SCHEMAS", "TABLES", "REMAP_SCHEMA", "REMAP_TABLESPACE", "EXCLUDE")
_SINGLE = (
    "DIRECTORY",
    "DUMPFILE",
    "LOGFILE",
    "PARALLEL",
    "FLASHBACK_TIME",
    "TABLE_EXISTS_ACTION",
    "JOB_NAME",
)
ANY_TABLESPACE = "*"


class ParameterError(ValueError):
    """A parameter the client refuses, naming it, the value and what is allowed."""


@dataclass
class Exclusion:
    """``EXCLUDE=object_type[:name_clause]``: the object path and an optional SQL name clause."""

    object_path: str
    name_clause: str | None = None


@dataclass
class Parameters:
    """One job's parameters as parsed; empty lists and None mean "not given"."""

    schemas: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    directory: str = "DATA_PUMP_DIR"
    dumpfile: str = "expdat.dmp"
    logfile: str | None = None
    parallel: int = 1
    remap_schema: list[tuple[str, str]] = field(default_factory=list)
    remap_tablespace: list[tuple[str, str]] = field(default_factory=list)
    flashback_time: str | None = None
    exclude: list[Exclusion] = field(default_factory=list)
    table_exists_action: str | None = None
    job_name: str | None = None


def parse(words: list[str]) -> Parameters:
    """Parse ``KEY=VALUE`` words as expdp and impdp take them on their command lines."""
    found: dict[str, list[str]] = {}
    for word in words:
        key, sep, value = word.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise ParameterError(f"{word!r}: expected KEY=VALUE with a non-empty value")
        if key not in _LISTS + _SINGLE:
            raise ParameterError(f"unknown parameter {key!r}: expected one of {', '.join(_LISTS + _SINGLE)}")
        if key in _SINGLE and key in found:
            raise ParameterError(f"{key} given twice ({found[key][0]!r}, {value!r}); it takes one value")
        found.setdefault(key, []).append(value.strip())
    params = Parameters()
    _fill_lists(params, found)
    _fill_single(params, found)
    if params.schemas and params.tables:
        raise ParameterError("SCHEMAS and TABLES given together: a job has one mode, choose one")
    return params


def _split(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _name(parameter: str, value: str) -> str:
    if not IDENTIFIER.match(value):
        raise ParameterError(
            f"{parameter}={value!r}: expected an unquoted Oracle name (letter, then A-Z 0-9 _ $ #)"
        )
    return value.upper()


def _pair(parameter: str, value: str, *, any_source: bool = False) -> tuple[str, str]:
    source, sep, target = value.partition(":")
    if not sep:
        raise ParameterError(f"{parameter}={value!r}: expected SOURCE:TARGET")
    if any_source and source == ANY_TABLESPACE:
        return ANY_TABLESPACE, _name(parameter, target)
    return _name(parameter, source), _name(parameter, target)


def _fill_lists(params: Parameters, found: dict[str, list[str]]) -> None:
    params.schemas = [_name("SCHEMAS", s) for s in _split(found.get("SCHEMAS", []))]
    for table in _split(found.get("TABLES", [])):
        params.tables.append(".".join(_name("TABLES", part) for part in table.split(".", 1)))
    params.remap_schema = [_pair("REMAP_SCHEMA", p) for p in _split(found.get("REMAP_SCHEMA", []))]
    params.remap_tablespace = [
        _pair("REMAP_TABLESPACE", p, any_source=True) for p in _split(found.get("REMAP_TABLESPACE", []))
    ]
    for value in found.get("EXCLUDE", []):  # not split on commas: a name clause may hold them
        path, _, clause = value.partition(":")
        if not re.match(r"^[A-Za-z][A-Za-z_/ ]*$", path):
            raise ParameterError(
                f"EXCLUDE={value!r}: expected object_type[:name_clause], e.g. INDEX or TABLE:\"IN ('X')\""
            )
        params.exclude.append(Exclusion(path.strip().upper(), clause.strip().strip('"') or None))


def _fill_single(params: Parameters, found: dict[str, list[str]]) -> None:
    def one(key: str) -> str | None:
        return found[key][0] if key in found else None

    if (directory := one("DIRECTORY")) is not None:
        params.directory = _name("DIRECTORY", directory)
    for key in ("DUMPFILE", "LOGFILE"):
        value = one(key)
        if value is not None and not re.match(r"^[A-Za-z0-9_.%-]+$", value):
            raise ParameterError(f"{key}={value!r}: expected a plain file name (letters, digits, _ . - %)")
    params.dumpfile = one("DUMPFILE") or params.dumpfile
    params.logfile = one("LOGFILE")
    if (parallel := one("PARALLEL")) is not None:
        if not parallel.isdigit() or int(parallel) < 1:
            raise ParameterError(f"PARALLEL={parallel!r}: expected a whole number of 1 or more")
        params.parallel = int(parallel)
    if (flashback := one("FLASHBACK_TIME")) is not None:
        flashback = flashback.strip('"')
        if not _FLASHBACK_TEXT.match(flashback):
            raise ParameterError(f"FLASHBACK_TIME={flashback!r}: expected a time as {FLASHBACK_FORMAT}")
        params.flashback_time = flashback
    if (action := one("TABLE_EXISTS_ACTION")) is not None:
        if action.upper() not in TABLE_EXISTS_ACTIONS:
            raise ParameterError(
                f"TABLE_EXISTS_ACTION={action!r}: expected one of {', '.join(TABLE_EXISTS_ACTIONS)}"
            )
        params.table_exists_action = action.upper()
    if (job_name := one("JOB_NAME")) is not None:
        params.job_name = _name("JOB_NAME", job_name)
