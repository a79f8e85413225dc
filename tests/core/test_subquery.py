"""The SUBQUERY guard reads quotes as Oracle does: a ``;`` or comment outside them is refused.

The payloads below each hid a second statement or a comment from the previous guard, which
read ``q'[...]'`` and ``"..."`` as if their inner quotes opened string literals.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_datapump import JobSpec, SpecError
from airflow_datapump.core.names import quote_literal
from airflow_datapump.core.subquery import ALLOWED, check_clause

EXPORT = {"operation": "EXPORT", "mode": "SCHEMA", "dump_files": ["hr.dmp"]}

HIDDEN = [
    # Oracle: q-literal q'[']', then "; DELETE ..." outside; a plain-literal reading sees '['
    # and then the literal "'; DELETE FROM hr.emp --'".
    "WHERE a = q'[']'; DELETE FROM hr.emp --'",
    # Oracle: the name "x'", then "= 1; ..." outside.
    "WHERE \"x'\" = 1; DROP TABLE hr.emp --'",
    # Oracle: q-literal q'{'}', then a comment that swallows the rest of Data Pump's query.
    "WHERE a = q'{'}' -- comment'",
    "WHERE a = Nq'<'>' /* comment'",
    "WHERE a = q'!'!'; COMMIT --'",
]


@pytest.mark.parametrize("clause", HIDDEN)
def test_a_semicolon_or_comment_hidden_by_quotes_is_refused(clause: str) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec(**EXPORT, query=clause)  # type: ignore[arg-type]
    assert caught.value.field == "data_filters.SUBQUERY"
    assert caught.value.value == clause
    assert ALLOWED in str(caught.value)


ACCEPTED = [
    "WHERE name = 'a;b -- c /* d'",
    "WHERE name = 'it''s; fine'",
    "WHERE name = q'[it's; -- fine]'",
    "WHERE name = Q'{a}b; c}'",
    "WHERE name = nq'<x;'y>'",
    "WHERE name = N'a;b'",
    'WHERE "Odd;Name--" = 1',
    "WHERE abq'x' IS NULL",  # the word abq, then a plain literal: no q-quote
    "WHERE a - 1 > 0 / 2",
    'ORDER BY "a/*b"',
]


@pytest.mark.parametrize("clause", ACCEPTED)
def test_quoted_semicolons_and_comment_marks_are_data(clause: str) -> None:
    spec = JobSpec(**EXPORT, query=clause)  # type: ignore[arg-type]
    assert spec.data_filters[0].value == clause


@pytest.mark.parametrize(
    "clause",
    [
        "WHERE a = q'[never closed'",
        "WHERE a = q' x '",  # a space cannot delimit a q-quote
        'WHERE "open = 1',
        "WHERE a = N'open",
        "WHERE a = q'",
        "WHERE éq'[';]' = 1",  # éq is one word or é then q'[, depending on the character set
    ],
)
def test_unclosed_or_ambiguous_quotes_are_refused(clause: str) -> None:
    with pytest.raises(SpecError, match="closed string literals"):
        check_clause(clause, "query")


_PIECES = st.one_of(
    st.sampled_from(["'", '"', "q'", "nq'", "N'", "[", "]", "{", "}", "<", ">", "(", ")", "!"]),
    st.sampled_from(["-", "/", "*", " ", "a", "q", "n", "x", "1", "=", "é", "\n"]),
)


@given(st.lists(_PIECES, max_size=25).map("".join))
def test_an_accepted_clause_cannot_be_followed_by_a_statement_or_comment(body: str) -> None:
    """Whatever quoting the clause uses, once accepted it is closed: what follows is outside."""
    clause = "WHERE " + body
    try:
        check_clause(clause, "query")
    except SpecError:
        return
    for tail in ("; DROP TABLE t", " -- c", " /* c */"):
        with pytest.raises(SpecError):
            check_clause(clause + tail, "query")


_BODY = st.text(alphabet=st.sampled_from("'\";-/*[]{}<>()!ab q\n"), max_size=12)


@st.composite
def _q_literal(draw: st.DrawFn) -> str:
    opening = draw(st.sampled_from("[{<(!#|~"))
    closing = {"[": "]", "{": "}", "<": ">", "(": ")"}.get(opening, opening)
    body = draw(_BODY.filter(lambda text: closing + "'" not in text))
    return draw(st.sampled_from(["q", "Q", "nq", "NQ"])) + "'" + opening + body + closing + "'"


_TOKENS = st.one_of(
    _q_literal(),
    _BODY.map(quote_literal),
    _BODY.map(lambda text: "N" + quote_literal(text)),
    _BODY.filter(lambda text: '"' not in text).map(lambda text: f'"{text}x"'),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}|[=<>+-]|[0-9]{1,3}", fullmatch=True),
)


@settings(max_examples=400)
@given(st.lists(_TOKENS, min_size=1, max_size=8))
def test_quotes_of_every_kind_hide_nothing_that_follows_them(tokens: list[str]) -> None:
    """A clause built from Oracle's own quoting, whatever the quotes hold, is accepted; the
    same clause followed by a second statement or a comment never is."""
    clause = "WHERE " + " ".join(tokens)
    check_clause(clause, "query")
    for tail in ("; DROP TABLE t", " -- c", " /* c */"):
        with pytest.raises(SpecError):
            check_clause(clause + tail, "query")


@given(st.text(max_size=40))
def test_any_text_inside_a_quoted_literal_is_data(text: str) -> None:
    if "\x00" in text:
        return
    check_clause(f"WHERE name = {quote_literal(text)} AND {_quoted_name(text)} = 1", "query")


def _quoted_name(text: str) -> str:
    return '"' + text.replace('"', "") + '"'
