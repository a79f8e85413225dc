"""Make the fake runtime helper importable, and keep these tests independent of the rest of
the emulator: the engine imports nothing from ``airflow_datapump.testing`` but ``_values``, so
if that package's ``__init__`` cannot be imported yet (it is assembled by other parts), a bare
package object stands in for it here only."""

import importlib
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

try:
    importlib.import_module("airflow_datapump.testing")
except ImportError:  # pragma: no cover - depends on the state of sibling parts
    _root = Path(__file__).resolve().parents[3] / "airflow_datapump" / "testing"
    _stub = types.ModuleType("airflow_datapump.testing")
    _stub.__path__ = [str(_root)]
    sys.modules["airflow_datapump.testing"] = _stub
