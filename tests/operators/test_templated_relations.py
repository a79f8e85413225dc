"""Parse-time checks that a templated field can settle, and network_link as a template field."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_datapump import SpecError
from airflow_datapump.operators import ExportOperator, ImportOperator
from airflow_datapump.testing import DatabaseHandle


def _op(cls: type[Any], **kwargs: Any) -> Any:
    return cls(task_id="t", deferrable=False, poll_interval=0.001, **kwargs)


def test_parallel_is_left_to_run_time_when_a_dump_file_is_templated() -> None:
    """The template may render to hr_%U.dmp, which allows any degree: not a parse error."""
    op = _op(ExportOperator, schemas=["HR"], dump_files=["a.dmp", "{{ params.f }}"], parallel=4)
    assert op.parallel == 4
    with pytest.raises(SpecError) as caught:
        _op(ExportOperator, schemas=["HR"], dump_files=["a.dmp", "b.dmp"], parallel=4)
    assert caught.value.field == "parallel"


def test_a_templated_parallel_renders_to_a_string_that_counts_as_its_number(db: DatabaseHandle) -> None:
    """Jinja renders to text: "4" is the degree 4, as the same digits given directly are."""
    assert "parallel" in ExportOperator.template_fields
    op = _op(ExportOperator, schemas=["HR"], dump_files=["hr_%U.dmp"], parallel="{{ params.p }}")
    op.render_template_fields({"params": {"p": 4}})  # type: ignore[arg-type]
    assert op.parallel == "4"
    assert op.build_spec({}).parallel == 4
    assert _op(ExportOperator, schemas=["HR"], parallel="2").build_spec({}).parallel == 2


@pytest.mark.parametrize("value", ["four", "4.5", "0", 4.0, True])
def test_a_parallel_that_is_not_a_whole_number_is_refused_naming_it(
    db: DatabaseHandle, value: object
) -> None:
    with pytest.raises(SpecError) as caught:  # given directly: at parse
        _op(ExportOperator, schemas=["HR"], dump_files=["hr_%U.dmp"], parallel=value)
    assert (caught.value.field, caught.value.value) == ("parallel", value)
    assert "a whole number >= 1" in str(caught.value)
    op = _op(ExportOperator, schemas=["HR"], dump_files=["hr_%U.dmp"], parallel="{{ params.p }}")
    op.render_template_fields({"params": {"p": value}})  # type: ignore[arg-type]
    with pytest.raises(SpecError) as caught:  # rendered: when the task builds its job
        op.build_spec({})
    assert caught.value.field == "parallel"


def test_network_link_is_a_template_field() -> None:
    assert "network_link" in ImportOperator.template_fields
    assert "network_link" in ExportOperator.template_fields


def test_a_templated_network_link_defers_the_rules_that_depend_on_it(db: DatabaseHandle) -> None:
    """With the link unknown at parse, an import without dump files may be a network import."""
    op = _op(ImportOperator, schemas=["HR"], network_link="{{ params.link }}")
    op.render_template_fields({"params": {"link": "SRC_LINK"}})  # type: ignore[arg-type]
    assert op.network_link == "SRC_LINK"
    assert op.build_spec({}).network_link == "SRC_LINK"
    with pytest.raises(SpecError) as caught:  # without any link the same import is refused at parse
        _op(ImportOperator, schemas=["HR"])
    assert caught.value.field == "dump_files"


def test_a_rendered_network_link_is_still_checked(db: DatabaseHandle) -> None:
    op = _op(ImportOperator, schemas=["HR"], network_link="{{ params.link }}")
    op.render_template_fields({"params": {"link": "x'; DROP"}})  # type: ignore[arg-type]
    with pytest.raises(SpecError) as caught:
        op.build_spec({})
    assert caught.value.field == "network_link"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"link": "L'; DROP TABLE x; --"}, "link"),
        ({"dump_files": ["../etc/hr_%U.dmp"]}, "dump_files[0]"),
        ({"dump_files": ["hr_%D.dmp"]}, "dump_files[0]"),
        ({"source_directory": "dp dir"}, "source_directory"),
    ],
)
def test_a_copy_checks_its_rendered_values_before_any_database_call(
    changes: dict[str, Any], field: str
) -> None:
    """Templated values are checked when rendered, naming the field, with no connection made."""
    from airflow_datapump.operators import CopyDumpFilesOperator

    arguments = {"link": "SRC_LINK", "dump_files": ["hr_%U.dmp"], **changes}
    op = CopyDumpFilesOperator(
        task_id="c", source_conn_id="nowhere_a", destination_conn_id="nowhere_b", **arguments
    )
    with pytest.raises(SpecError) as caught:
        op.execute({})
    assert caught.value.field == field
