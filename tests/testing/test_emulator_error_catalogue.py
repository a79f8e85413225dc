"""The emulator's ORA texts come from one catalogue, ``MESSAGES``, and nowhere else.

The scan reads the emulator's source (not its behaviour), so a code raised on a path no other
test reaches is still checked: every ``ORA-nnnnn`` literal outside docstrings must be a bare
code (never ``"ORA-nnnnn: some text"``), and every code handed to an error builder must be in
the catalogue with as many arguments as its text has ``%s`` slots.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from airflow_datapump.testing._plsql import errors
from airflow_datapump.testing._plsql.errors import MESSAGES, message_text, ora, ora_line
from airflow_datapump.testing._plsql.verified_messages import (
    CHECKED,
    KINDS,
    NOT_FOUND,
    OLDER_BOOKS,
    ORACLE_DOCS,
    PUBLIC_COPIES,
)

ROOT = Path(errors.__file__).resolve().parents[1]
INLINE = re.compile(r"ORA-(\d{5}):")
LITERAL = re.compile(r"ORA-(\d{5})")
ROW = re.compile(r"\| ORA-(?P<code>\d{5}) \| `(?P<text>[^`]*)` \| (?P<kind>[^|]+?) \| (?P<source>[^|]+?) \|")
# Builders whose first argument is the code; the remaining positional arguments fill the slots.
BUILDERS = {"ora", "ora_line", "package_error", "utl_error", "lob_error"}
# Builders that take the code but add detail lines, not slot arguments.
CODE_FIRST = {"fail", "error", "OracleError", "exception_error"}
APPLICATION = range(20000, 21000)  # RAISE_APPLICATION_ERROR's range: the package writes the text


def _sources() -> list[Path]:
    """The emulator's modules, less the record of sources: it raises nothing, and the addresses
    of Oracle's pages it cites name other codes (the chapter page ORA-00910.htm holds ORA-00901)."""
    record = ROOT / "_plsql" / "verified_messages.py"
    return sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts and p != record)


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal outside docstrings; an f-string's constant parts joined by '{}'."""
    skip = _docstrings(tree)
    inner: set[int] = set()
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inner.add(id(value))
                parts.append(value.value if isinstance(value, ast.Constant) else "{}")
            out.append((node.lineno, "".join(str(p) for p in parts)))
    for node in ast.walk(tree):
        literal = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if literal and id(node) not in skip and id(node) not in inner:
            out.append((node.lineno, node.value))
    return out


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _int(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _code_uses(tree: ast.AST) -> list[tuple[int, int, int | None]]:
    """(line, code, slot arguments or None when unknown) for each literal code given a builder."""
    uses: list[tuple[int, int, int | None]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = node.args
        first = _int(args[0]) if args else None
        if name in BUILDERS | CODE_FIRST and first is not None:
            known = name in BUILDERS and not any(isinstance(a, ast.Starred) for a in args)
            uses.append((node.lineno, first, len(args) - 1 if known else None))
        second = _int(args[1]) if len(args) >= 2 else None
        if name in {"sql_error", "_error"} and second is not None:
            uses.append((node.lineno, second, len(args) - 2))
        for keyword in node.keywords:
            if keyword.arg == "sql_code" and isinstance(keyword.value, ast.Constant):
                uses.append((node.lineno, int(keyword.value.value), None))
    return uses


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT.parent)}:{line}"


def test_no_emulator_source_writes_an_ora_text_inline() -> None:
    inline = []
    for path in _sources():
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if INLINE.search(text):
                inline.append(f"{_where(path, line)}: {text!r}")
    assert inline == [], "ORA texts written inline instead of taken from MESSAGES:\n" + "\n".join(inline)


def test_every_code_the_emulator_names_is_in_the_catalogue() -> None:
    missing = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _strings(tree):
            for code in LITERAL.findall(text):
                if int(code) not in MESSAGES and int(code) not in APPLICATION:
                    missing.append(f"{_where(path, line)}: ORA-{code}")
        for line, code, _ in _code_uses(tree):
            if code not in MESSAGES and code not in APPLICATION:
                missing.append(f"{_where(path, line)}: {code}")
    assert missing == [], "codes raised that the catalogue lacks:\n" + "\n".join(missing)


def test_every_builder_call_fills_the_slots_its_text_has() -> None:
    wrong = []
    for path in _sources():
        for line, code, given in _code_uses(ast.parse(path.read_text(encoding="utf-8"))):
            if given is None or code in APPLICATION or code not in MESSAGES:
                continue
            slots = MESSAGES[code].count("%s")
            if given not in (slots, 1 if slots == 0 else slots):
                wrong.append(f"{_where(path, line)}: ORA-{code:05d} has {slots} slot(s), given {given}")
    assert wrong == [], "\n".join(wrong)


def test_the_scan_sees_the_builders_it_checks() -> None:
    """Guards the scan itself: if builders were renamed it would silently check nothing."""
    codes = set()
    for path in _sources():
        codes.update(code for _, code, _ in _code_uses(ast.parse(path.read_text(encoding="utf-8"))))
    assert {942, 959, 29283, 31626, 39001, 39088, 933} <= codes


@pytest.mark.parametrize(
    ("code", "args", "line"),
    [
        (959, ("USERS2",), "ORA-00959: tablespace 'USERS2' does not exist"),
        (6512, ('"SYS.UTL_FILE", ', 536), 'ORA-06512: at "SYS.UTL_FILE", line 536'),
        (6512, ("", 3), "ORA-06512: at line 3"),
        (
            39151,
            ('"HR"."EMP"', "skip"),
            'ORA-39151: Table "HR"."EMP" exists. All dependent metadata and data will be skipped due '
            "to table_exists_action of skip",
        ),
        (
            3001,
            ("CONNECT BY over a comma join",),
            "ORA-03001: unimplemented feature: CONNECT BY over a comma join",
        ),
        (30009, ("CONNECT BY",), "ORA-30009: Not enough memory for CONNECT BY operation"),
        # two adjacent slots; printed output shows the caller's number alone ("of 100 is", "of -1 is")
        (
            21000,
            ("100", ""),
            "ORA-21000: error number argument to raise_application_error of 100 is out of range",
        ),
    ],
)
def test_a_line_is_the_catalogue_text_with_its_slots_filled(
    code: int, args: tuple[object, ...], line: str
) -> None:
    assert ora_line(code, *args) == line
    assert ora(code, *args).code == code


def test_ora_00600_fills_its_first_bracket_and_prints_the_other_eleven_empty() -> None:
    """Oracle's ORA-00600 text has twelve bracketed slots; real output fills the first ones and
    prints the rest as "[]"."""
    line = errors.internal_error(KeyError("k")).message
    assert line == "ORA-00600: internal error code, arguments: [KeyError: 'k']" + ", []" * 11


def test_a_code_outside_the_catalogue_is_refused_rather_than_invented() -> None:
    with pytest.raises(KeyError, match="99999"):
        ora_line(99999)
    with pytest.raises(TypeError, match="ORA-00959"):
        message_text(959, "A", "B")


def test_every_catalogue_code_has_one_record_of_how_its_text_was_checked() -> None:
    """A code added to MESSAGES needs a line in verified_messages.CHECKED (and a row in the
    doc's table); a record for a code the catalogue dropped is stale."""
    assert sorted(set(MESSAGES) - set(CHECKED)) == [], "catalogue codes without a record in CHECKED"
    assert sorted(set(CHECKED) - set(MESSAGES)) == [], "records in CHECKED for codes not in MESSAGES"
    assert set(KINDS) == {  # the closed set: a new kind of source is a decision, made here too
        *("19c", "23ai", "19c+23ai"),
        *("18c", "12.2", "12.1", "11.1", "9.2", "8.0"),
        *("P message file", "P output", "P code", "P book copy"),
        "not found",
    }
    odd = {
        code: record for code, record in CHECKED.items() if record[0] not in KINDS or not record[1].strip()
    }
    assert odd == {}, "records with a kind outside KINDS or no source"


def _section() -> str:
    doc = (ROOT.parents[1] / "docs" / "emulator.md").read_text(encoding="utf-8")
    return doc.split("### Where the texts come from", 1)[1].split("\n## ", 1)[0]


def _row(code: int, text: str, kind: str, source: str) -> str:
    return f"| ORA-{code:05d} | `{text}` | {kind} | {source} |"


def test_the_doc_table_is_the_record_code_by_code() -> None:
    """docs/emulator.md's per-code table shows each text and how it was checked; it is compared
    with the catalogue and the record so that the two cannot drift apart."""
    rows: dict[int, tuple[str, str, str]] = {}
    for line in _section().splitlines():
        if not line.startswith("| ORA-"):
            continue
        match = ROW.fullmatch(line)
        assert match, f"table row not in the form | ORA-nnnnn | `text` | kind | source |: {line!r}"
        code = int(match["code"])
        assert code not in rows, f"ORA-{code:05d} has two rows"
        rows[code] = (match["text"], match["kind"], match["source"])
    expected = {code: (MESSAGES[code], *CHECKED[code]) for code in MESSAGES if code in CHECKED}
    missing = [_row(code, *expected[code]) for code in sorted(expected) if code not in rows]
    assert missing == [], "rows the doc table lacks, to add in code order:\n" + "\n".join(missing)
    assert sorted(set(rows) - set(expected)) == [], "doc rows for codes without a record"
    wrong = {code: (rows[code], want) for code, want in expected.items() if rows[code] != want}
    assert wrong == {}, "doc rows (as written, as recorded) that differ"


def test_the_doc_states_the_counts_per_kind() -> None:
    counts = Counter(kind for kind, _ in CHECKED.values())

    def group(kinds: tuple[str, ...]) -> str:
        return f"{sum(counts[k] for k in kinds)} ({', '.join(f'{k}: {counts[k]}' for k in kinds)})"

    figures = (
        f"Of the {len(CHECKED)} texts, {group(ORACLE_DOCS)} were checked against Oracle's "
        f"documentation of 19c or 23ai, {group(OLDER_BOOKS)} against older Oracle books only, "
        f"{group(PUBLIC_COPIES)} against public copies only, and {counts[NOT_FOUND]} were not found."
    )
    assert figures in " ".join(_section().split()), f"docs/emulator.md should state: {figures}"


def test_every_ora_code_the_provider_maps_is_one_the_emulator_can_raise() -> None:
    """The provider's error classes and its transient set name codes; each must be a code the
    emulator's catalogue knows, so the same situation on the emulator reaches the same class."""
    from airflow_datapump.core import call_errors

    codes = {c for c in [*call_errors._CLASSES, *call_errors.TRANSIENT_CODES] if c.startswith("ORA-")}
    assert codes, "the provider maps no ORA code?"
    assert {c for c in codes if int(c[4:]) not in MESSAGES} == set()


def test_a_code_raised_by_name_leaves_its_slots_empty_as_oracle_does() -> None:
    assert ora_line(1) == "ORA-00001: unique constraint (.) violated"


def test_sqlerrm_of_a_code_without_a_message_says_so_as_oracle_does() -> None:
    assert errors.sqlerrm(-1234) == "ORA-01234: Message 1234 not found;  product=RDBMS; facility=ORA"
    assert errors.sqlerrm(-942) == "ORA-00942: table or view does not exist"
