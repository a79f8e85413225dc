"""The client shares no code with the provider: only the fixture module may import it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent
ALLOWED = {"oracledb", "__future__"} | set(sys.stdlib_module_names)
FIXTURE_ONLY = {"conftest.py": {"airflow_datapump", "pytest"}}
TEST_HELPERS = {"pytest"}


def _imports(path: Path) -> set[str]:
    """Top-level names of absolute imports; relative imports stay inside the package."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_client_imports_only_oracledb_and_the_standard_library() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert {m.name for m in modules} >= {"dpargs.py", "dpclient.py", "dpstatus.py", "dplog.py"}
    for module in modules:
        extra = FIXTURE_ONLY.get(module.name, TEST_HELPERS if module.name.startswith("test_") else set())
        unexpected = _imports(module) - ALLOWED - extra
        assert not unexpected, f"{module.name} imports {sorted(unexpected)}"


def test_the_check_sees_a_provider_import() -> None:
    sample = PACKAGE / "conftest.py"
    assert "airflow_datapump" in _imports(sample)
