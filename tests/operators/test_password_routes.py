"""The encryption password, by every route an operator takes it, never lands anywhere at rest.

One DAG exports with each route (issue 9 §5): a literal argument, a template argument, a
mapping and a list of pairs in ``parameters``, a template in ``parameters``, the Variable
named by ``encryption_password_variable``, and a whole JobSpec. ``dag.test()`` runs it with
every wait deferred. Afterwards the metadata database (rendered fields, serialized DAG,
XCom, task instances, the trigger table; read row by row and as raw file bytes), every file
under AIRFLOW_HOME, the task logs, and every trigger's serialized kwargs are searched: none
holds a password. Each dump is then imported with the password it should carry, which
proves a templated password was rendered before the dump was encrypted with it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airflow_datapump import JobSpec, SpecError
from airflow_datapump.core.parts import Parameter
from airflow_datapump.core.secret import Secret
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from airflow_datapump.triggers.datapump import JobTrigger
from tests.emulator_access import admin_uri
from tests.operators.conftest import load_dag_file

DAGS = Path(__file__).parent / "dags"
ENCRYPT = {"ENCRYPTION_MODE": "PASSWORD"}


@pytest.fixture
def db(airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", "0.05")
    for name in ("kwarg_tpl", "tpl", "var"):  # Variables from the environment: not in the metadata DB
        monkeypatch.setenv(f"AIRFLOW_VAR_DP_PW_{name.upper()}", f"dp-{name}-Qx7Lm2Vr9Tk4")
    with emulated_oracle(clock="wall") as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", admin_uri(oracle, "op-Zt5Kq8Wn3Hc"))
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        handle.set_job_rate(50_000_000)
        yield handle


def _metadata_text() -> tuple[str, bytes]:
    """Every row of every table of the metadata database, and the database file's bytes."""
    from airflow.configuration import conf
    from sqlalchemy import MetaData, create_engine, select

    url = conf.get("database", "sql_alchemy_conn")
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    parts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                parts.append(f"{table.name}: {row!r}")
    engine.dispose()
    path = url.removeprefix("sqlite:///")
    return "\n".join(parts), Path(path).read_bytes() if url.startswith("sqlite") else b""


@pytest.mark.slow
@pytest.mark.dag_test
def test_no_password_route_leaves_the_password_at_rest(
    db: DatabaseHandle,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    try:
        from airflow.serialization.serialized_objects import DagSerialization as Serializer
    except ImportError:  # Airflow 3.0
        from airflow.serialization.serialized_objects import SerializedDAG as Serializer
    from airflow.utils.state import DagRunState

    serialized: list[str] = []
    original = JobTrigger.serialize
    monkeypatch.setattr(
        JobTrigger, "serialize", lambda self: serialized.append(repr(original(self))) or original(self)
    )
    import airflow.settings

    monkeypatch.setattr(airflow.settings, "DAGS_FOLDER", str(DAGS))
    module = load_dag_file(DAGS / "password_routes.py")
    dag, passwords = module.dag, module.PASSWORDS
    run = dag.test()
    assert run.state == DagRunState.SUCCESS
    assert len(serialized) >= len(passwords)  # every export deferred

    output = capfd.readouterr()
    task_logs = "\n".join((caplog.text, output.out, output.err))
    assert "Submitted Data Pump job" in task_logs  # the task logs are in what is searched
    rows, raw = _metadata_text()
    for table in ("rendered_task_instance_fields", "serialized_dag", "xcom", "task_instance"):
        assert f"{table}: " in rows  # the places searched hold rows of this run
    places = {
        "metadata rows": rows,
        "metadata file": raw.decode("latin-1"),
        "serialized DAG": json.dumps(Serializer.to_dict(dag), default=str),
        "task logs": task_logs,
        "trigger kwargs": "\n".join(serialized),
        "AIRFLOW_HOME files": _files_text(Path(os.environ["AIRFLOW_HOME"])),
    }
    for route, password in passwords.items():
        for place, text in places.items():
            assert password not in text, f"the {route} password is in the {place}"
    assert "op-Zt5Kq8Wn3Hc" not in task_logs

    hook = DatapumpHook(oracle_conn_id="oracle_default")
    try:
        for route, password in passwords.items():
            _import_with(hook, route, password)
    finally:
        hook.close()


def _files_text(home: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("latin-1")
        for path in home.rglob("*")
        if path.is_file() and path.suffix != ".db"
    )


def _import_with(hook: DatapumpHook, route: str, password: str) -> None:
    """The dump of ``route`` opens with ``password``: it was encrypted with the rendered text."""
    spec = JobSpec(
        "SQL_FILE", "SCHEMA", dump_files=[f"{route}.dmp"], sql_file=f"{route}.sql",
        job_name=f"CHECK_{route.upper()}", encryption_password=password,
    )  # fmt: skip
    result = hook.wait(hook.submit(spec), poll_interval=0.05, timeout=60)
    assert result.outcome.outcome.value == "successfully completed", (route, result)


PW = "dp-unit-Hq3Rw8Zx5Ny1"


def _export(**kwargs: Any) -> ExportOperator:
    return ExportOperator(task_id="exp", schemas=["HR"], dump_files=["hr.dmp"], **kwargs)


@pytest.mark.parametrize(
    "arguments",
    [
        {"parameters": {"ENCRYPTION_PASSWORD": "{{ pw }}", **ENCRYPT}},
        {"parameters": [["encryption_password", "{{ pw }}"], ["ENCRYPTION_MODE", "PASSWORD"]]},
        {"encryption_password": "{{ pw }}", "parameters": ENCRYPT},
    ],
)
def test_a_templated_password_is_rendered_before_it_becomes_a_secret(arguments: dict[str, Any]) -> None:
    op = _export(**arguments)
    op.render_template_fields({"pw": PW})  # type: ignore[arg-type]
    secret = op.build_spec({"pw": PW, "run_id": "r1"}).encryption_password
    assert secret is not None
    assert secret.reveal() == PW


@pytest.mark.parametrize(
    "parameters",
    [
        {"Encryption_Password": PW, **ENCRYPT},
        [("ENCRYPTION_PASSWORD", PW), ("ENCRYPTION_MODE", "PASSWORD")],
        (["ENCRYPTION_PASSWORD", PW], ["ENCRYPTION_MODE", "PASSWORD"]),
        [Parameter("ENCRYPTION_PASSWORD", Secret(PW)), ("ENCRYPTION_MODE", "PASSWORD")],
    ],
)
def test_a_password_in_parameters_never_stays_in_a_template_field(parameters: Any) -> None:
    op = _export(parameters=parameters)
    assert PW not in repr([getattr(op, name) for name in op.template_fields])
    op.render_template_fields({})  # type: ignore[arg-type]
    assert PW not in repr([getattr(op, name) for name in op.template_fields])
    secret = op.build_spec({"run_id": "r1"}).encryption_password
    assert secret is not None
    assert secret.reveal() == PW


def test_a_password_that_rendering_puts_into_parameters_is_taken_out_again() -> None:
    op = _export(parameters="{{ everything }}")
    op.parameters = {"ENCRYPTION_PASSWORD": PW, **ENCRYPT}  # what a native-object render gives
    op.render_template_fields({})  # type: ignore[arg-type]
    assert op.parameters == ENCRYPT
    assert op.build_spec({"run_id": "r1"}).encryption_password == Secret(PW)


def test_a_password_variable_satisfies_encryption_mode_password_at_parse() -> None:
    op = _export(encryption_password_variable="dp_pw", parameters=ENCRYPT)
    assert op.encryption_password_variable == "dp_pw"


def test_a_password_given_twice_is_refused() -> None:
    with pytest.raises(SpecError, match="the password only once"):
        _export(encryption_password=PW, parameters={"ENCRYPTION_PASSWORD": PW})
