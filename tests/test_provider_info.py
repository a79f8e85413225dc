"""The provider registers with Airflow as its providers manager expects (issue: foundation)."""

from __future__ import annotations

import importlib
import json
import pkgutil
from importlib.metadata import distribution, entry_points
from importlib.resources import files

import jsonschema
import pytest
from packaging.utils import canonicalize_name

import airflow_datapump
from airflow_datapump.get_provider_info import ROLE_MODULES, get_provider_info


def test_provider_info_matches_airflows_schema() -> None:
    schema = json.loads(files("airflow").joinpath("provider_info.schema.json").read_text())
    jsonschema.validate(get_provider_info(), schema)


def test_package_name_is_the_canonical_distribution_name() -> None:
    # Airflow compares the two and refuses the provider when they differ.
    dist_name = distribution("airflow-datapump").metadata["Name"]
    assert get_provider_info()["package-name"] == canonicalize_name(dist_name)


def test_entry_point_returns_the_provider_info() -> None:
    (entry,) = [
        e
        for e in entry_points(group="apache_airflow_provider")
        if e.dist and e.dist.name == "airflow-datapump"
    ]
    assert entry.load()() == get_provider_info()


@pytest.mark.parametrize("role", sorted(ROLE_MODULES))
def test_every_named_module_imports_and_every_module_is_named(role: str) -> None:
    package = importlib.import_module(f"airflow_datapump.{role}")
    on_disk = sorted(
        f"{package.__name__}.{m.name}"
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_")
    )
    named = get_provider_info().get(role, [{}])[0].get("python-modules", [])
    for module in named:
        importlib.import_module(module)
    assert sorted(named) == on_disk


def test_airflow_providers_manager_lists_the_provider() -> None:
    from airflow.providers_manager import ProvidersManager

    providers = ProvidersManager().providers
    assert "airflow-datapump" in providers
    assert providers["airflow-datapump"].version == airflow_datapump.__version__


def test_top_level_import_does_not_import_airflow() -> None:
    import subprocess
    import sys

    code = "import sys, airflow_datapump; print('airflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_surface_is_pinned() -> None:
    assert sorted(airflow_datapump.__all__) == [
        "Condition",
        "DataFilter",
        "DatapumpError",
        "JobSpec",
        "Mode",
        "NameFilter",
        "Operation",
        "Remap",
        "Secret",
        "SpecError",
        "TableRef",
        "Transform",
        "__version__",
    ]


def test_the_config_the_operators_read_is_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """`airflow config list` shows [datapump] poll_interval, and its default is the one used."""
    from airflow_datapump.operators import ExportOperator

    monkeypatch.delenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", raising=False)
    declared = get_provider_info()["config"]["datapump"]["options"]["poll_interval"]
    assert float(declared["default"]) == ExportOperator(task_id="t", schemas=["HR"]).poll_interval
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", "7")
    assert ExportOperator(task_id="t", schemas=["HR"]).poll_interval == 7
