"""Property tests: a value either is refused or survives the trip into a filter expression.

The parser below is written independently of the production code, following the SQL rule
for string literals (a quote inside is doubled), so the two cannot share a bug.
"""

from __future__ import annotations

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from airflow_datapump import Condition, JobSpec, SpecError

EXPORT = {"operation": "EXPORT", "mode": "SCHEMA", "dump_files": ["x.dmp"]}
# Quotes, backslashes, newlines, NUL, SQL punctuation and non-ASCII get drawn often.
tricky = st.text(
    alphabet=st.sampled_from("'\"\\\n\x00;-/*()%_ aZ9$#éß😀,.:=") | st.characters(),
    max_size=40,
)


def parse_literal(text: str, start: int) -> tuple[str, int]:
    """Read one SQL string literal at ``start``; return its value and the index after it."""
    assert text[start] == "'", f"expected a quote at {start} in {text!r}"
    position, parts = start + 1, []
    while True:
        end = text.index("'", position)  # ValueError: the literal never ends
        parts.append(text[position:end])
        if text[end + 1 : end + 2] == "'":
            parts.append("'")
            position = end + 2
            continue
        return "".join(parts), end + 1


def parse_literal_list(text: str) -> list[str]:
    values, position = [], 0
    while True:
        value, position = parse_literal(text, position)
        values.append(value)
        if position == len(text):
            return values
        assert text[position] == ",", f"expected a comma at {position} in {text!r}"
        position += 1


def schema_list(spec: JobSpec) -> str:
    (call,) = [c for c in spec.metadata_filters() if c.name == "SCHEMA_LIST"]
    return call.value


@given(tricky)
@example("0")  # hypothesis once found it as the unquoted text '"0"'
@settings(max_examples=400)
def test_any_quoted_schema_is_refused_or_comes_back_exactly(text: str) -> None:
    try:
        spec = JobSpec(**EXPORT, schemas=['"' + text + '"'])
    except SpecError:
        return
    assert parse_literal_list(schema_list(spec)) == [text]


@given(tricky)
@settings(max_examples=400)
def test_any_unquoted_schema_is_refused_or_comes_back_as_oracle_stores_it(text: str) -> None:
    assume(not text.startswith('"'))  # '"0"' is a quoted name, stored as 0: the test above
    try:
        spec = JobSpec(**EXPORT, schemas=[text])
    except SpecError:
        return
    assert parse_literal_list(schema_list(spec)) == [text.upper()]
    assert text.isascii()
    assert text[0].isalpha()


@given(st.lists(tricky, min_size=1, max_size=5))
def test_several_schemas_are_one_list_filter(texts: list[str]) -> None:
    try:
        spec = JobSpec(**EXPORT, schemas=['"' + t + '"' for t in texts])
    except SpecError:
        return
    calls = [c for c in spec.metadata_filters() if c.name.startswith("SCHEMA")]
    assert len(calls) == 1
    assert parse_literal_list(calls[0].value) == texts


@given(tricky, st.sampled_from(["LIKE", "NOT LIKE", "=", "!="]))
@settings(max_examples=400)
def test_any_pattern_is_refused_or_comes_back_exactly(text: str, operator: str) -> None:
    try:
        spec = JobSpec(
            **EXPORT,
            name_filters=[{"object_path": "TABLE", "operator": operator, "values": [text]}],
        )
    except SpecError:
        return
    (call,) = [c for c in spec.metadata_filters() if c.name == "NAME_EXPR"]
    assert call.value.startswith(operator + " ")
    value, end = parse_literal(call.value, len(operator) + 1)
    assert (value, end) == (text, len(call.value))


@given(st.lists(tricky, min_size=1, max_size=4), st.sampled_from(["IN", "NOT IN"]))
def test_conditions_render_and_parse_back_to_themselves(texts: list[str], operator: str) -> None:
    try:
        condition = Condition(operator, tuple(texts))
    except SpecError:
        return
    rendered = condition.render()
    assert rendered.startswith(operator + " (")
    assert rendered.endswith(")")
    assert parse_literal_list(rendered[len(operator) + 2 : -1]) == texts
    assert Condition.parse(rendered, "test") == condition


@given(tricky, tricky)
def test_table_names_are_refused_or_reach_the_name_list_exactly(schema: str, table: str) -> None:
    try:
        spec = JobSpec(
            operation="EXPORT", mode="TABLE", dump_files=["x.dmp"], tables=[f'"{schema}"."{table}"']
        )
    except SpecError:
        return
    calls = {c.name: c.value for c in spec.metadata_filters()}
    assert parse_literal_list(calls["SCHEMA_LIST"]) == [schema]
    assert parse_literal_list(calls["NAME_LIST"]) == [table]
