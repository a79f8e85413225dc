from decimal import Decimal

import pytest

from airflow_datapump.testing._plsql.lexer import LexError, bind_names, tokenize


def kinds_values(text: str) -> list[tuple[str, str | Decimal]]:
    return [(str(t.kind), t.value) for t in tokenize(text)][:-1]


def test_identifiers_are_upper_cased_unless_quoted() -> None:
    assert kinds_values('abc "MixedCase" ku$_Status') == [
        ("ID", "ABC"),
        ("QID", "MixedCase"),
        ("ID", "KU$_STATUS"),
    ]


def test_numbers_and_range_operator() -> None:
    assert kinds_values("1..10 1.5 1e3 .5") == [
        ("NUM", Decimal(1)),
        ("OP", ".."),
        ("NUM", Decimal(10)),
        ("NUM", Decimal("1.5")),
        ("NUM", Decimal("1e3")),
        ("NUM", Decimal(".5")),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'it''s'", "it's"),
        ("q'[a 'b' c]'", "a 'b' c"),
        ("q'{x}'", "x"),
        ("q'<x>'", "x"),
        ("q'(x)'", "x"),
        ("q'!it's!'", "it's"),
        ("N'abc'", "abc"),
    ],
)
def test_string_literals(text: str, value: str) -> None:
    assert kinds_values(text) == [("STR", value)]


def test_operators_longest_match() -> None:
    ops = [v for _, v in kinds_values("a := b => c || d ** e <= f >= g <> h != i ^= j ~= k")]
    assert {":=", "=>", "||", "**"} <= set(ops)
    assert {"<=", ">=", "<>", "!=", "^=", "~="} <= set(ops)


def test_binds_and_positions() -> None:
    tokens = tokenize("BEGIN\n  :Out := :1; -- c :skip\n/* :x */ END;")
    binds = [(t.value, t.line, t.col) for t in tokens if t.kind == "BIND"]
    assert binds == [("OUT", 2, 3), ("1", 2, 11)]


def test_bind_names_skip_strings_and_comments_and_dedupe() -> None:
    text = "SELECT ':no' FROM t WHERE a = :b AND c = :B /* :x */ AND d = :1 -- :y"
    assert bind_names(text) == ["B", "1"]


def test_quoted_bind_keeps_case() -> None:
    assert bind_names('BEGIN :"Mixed" := 1; END;') == ["Mixed"]


def test_unterminated_string_is_ora_01756() -> None:
    with pytest.raises(LexError) as info:
        tokenize("SELECT 'abc FROM dual")
    assert info.value.code == 1756


def test_invalid_character() -> None:
    with pytest.raises(LexError) as info:
        tokenize("SELECT 1 FROM dual ?")
    assert info.value.code == 911


def test_public_surface_is_pinned() -> None:
    import airflow_datapump.testing._plsql as engine

    assert sorted(engine.__all__) == [
        "CallContext", "ExecutionResult", "OracleError", "PackageSpec", "Param",
        "ParsedStatement", "Runtime", "Subprogram", "TableSource", "bind_names", "execute",
        "ora", "ora_line", "package_error", "parse", "run",
    ]  # fmt: skip
