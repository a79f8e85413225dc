"""Dump file names: substitution variables and FILESIZE values (§2.2, §7.1).

Substitution rules:

- ``%U`` (or ``%u``) expands to a two-digit number 01..99; several ``%U`` in one name all
  take the same number (§7.1, V). A ``%U`` template therefore yields at most 99 files.
- ``%L`` (or ``%l``, 12.2+) is an incrementing number that can pass 99. Width rule chosen
  here **[U]**: at least two digits, zero-padded (01..99), then as many digits as the number
  needs (100, 101 ... 2147483646, the emulator's upper bound). Mixed ``%U``/``%L`` in one
  name share the number; the name is then limited to 99 like ``%U``.
- ``%%`` would be a literal ``%`` in some tools; Oracle documents no escape, so any other
  ``%`` sequence (``%D``, ``%T``, ``%%`` ...) is refused with ORA-39124 **[U]**.

FILESIZE: digits with an optional unit B, K/KB, M/MB, G/GB, T/TB (case-insensitive, powers of
1024). The result is rounded *down* to a whole number of 4 KB blocks, as the Utilities guide
says ("may be rounded down slightly"), and must be at least ten blocks (40960 bytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .errors import bad_substitution, filesize_too_small, invalid_filesize

BLOCK_SIZE = 4096
MIN_FILESIZE = 10 * BLOCK_SIZE
MAX_U = 99
MAX_L = 2_147_483_646

_VAR_RE = re.compile(r"%(.)", re.DOTALL)
_SIZE_RE = re.compile(r"^\s*(\d+)\s*([BKMGT]B?)?\s*$", re.IGNORECASE)
_UNITS = {"B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def substitution_limit(template: str) -> int:
    """How many names ``template`` can produce: 1 (plain), 99 (%U) or :data:`MAX_L` (%L only).

    Raises ORA-39124 for an unknown substitution variable.
    """
    kinds = {m.group(1).upper() for m in _VAR_RE.finditer(template)}
    if template.endswith("%") or kinds - {"U", "L"}:
        raise bad_substitution(template)
    if not kinds:
        return 1
    return MAX_U if "U" in kinds else MAX_L


def expand_name(template: str, number: int) -> str:
    """``template`` with every %U/%L replaced by ``number`` (see the module width rules)."""
    if not 1 <= number <= substitution_limit(template):
        raise ValueError(f"{template!r} cannot produce member number {number}")
    text = f"{number:02d}"
    return _VAR_RE.sub(lambda _m: text, template)


def generate_names(templates: list[str]) -> Iterator[str]:
    """Member names in creation order: first one per template, then more from variable ones.

    Every template is instantiated once up front, as Oracle does when a file specification is
    defined (Utilities guide, DUMPFILE). Extra files come from the first template with a
    substitution variable until it runs out, then the next one **[U: Oracle documents no
    order]**. Duplicate names are skipped.
    """
    limits = [substitution_limit(t) for t in templates]
    seen: set[str] = set()
    for template in templates:
        name = expand_name(template, 1) if substitution_limit(template) > 1 else template
        if name not in seen:
            seen.add(name)
            yield name
    for template, limit in zip(templates, limits, strict=True):
        for number in range(2, limit + 1):
            name = expand_name(template, number)
            if name not in seen:
                seen.add(name)
                yield name


def max_members(templates: list[str]) -> int:
    """How many distinct files the templates can produce at most (ignoring duplicates)."""
    return sum(substitution_limit(t) for t in templates)


def parse_filesize(text: str | int | None) -> int | None:
    """ADD_FILE's ``filesize`` (``'2G'``, ``'500M'``, ``'65536'``, None) as bytes, validated.

    None, ``''`` and ``0`` mean unlimited (the Utilities guide's default of 0) and return None.
    """
    if text is None:
        return None
    if isinstance(text, int):
        size = text
    else:
        match = _SIZE_RE.match(text)
        if not match:
            if not text.strip():
                return None
            raise invalid_filesize(text)
        unit = (match.group(2) or "B").upper()[0]
        size = int(match.group(1)) * _UNITS[unit]
    if size == 0:
        return None
    return check_filesize(size)


def check_filesize(size: int) -> int:
    """Round ``size`` down to whole blocks and refuse it below ten blocks (Utilities guide)."""
    rounded = size // BLOCK_SIZE * BLOCK_SIZE
    if rounded < MIN_FILESIZE:
        raise filesize_too_small(size, MIN_FILESIZE)
    return rounded


def template_regex(template: str) -> re.Pattern[str]:
    """A regex matching the names ``template`` can produce, capturing the number (if any)."""
    substitution_limit(template)
    parts = _VAR_RE.split(template)
    pattern = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern += re.escape(part)
        else:
            pattern += r"(?P=n)" if "(?P<n>" in pattern else r"(?P<n>\d{2,10})"
    return re.compile(pattern)


def member_number(template: str, name: str) -> int | None:
    """The number ``name`` was expanded from, 0 for a plain template's own name, else None."""
    match = template_regex(template).fullmatch(name)
    if match is None:
        return None
    if "n" not in match.groupdict():
        return 0
    number = int(match.group("n"))
    limit = substitution_limit(template)
    if not 1 <= number <= limit or expand_name(template, number) != name:
        return None
    return number
