"""The cost targets of the hook hold (counted by the emulator, not timed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def test_hook_costs_meet_their_targets() -> None:
    path = Path(__file__).parent.parent / "benchmarks" / "hook_costs.py"
    spec = importlib.util.spec_from_file_location("hook_costs", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hook_costs"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    results = {m.what: m.value for m in module.measure()}
    submits = [v for k, v in results.items() if k.startswith("round trips per submit")]
    assert submits == [1, 1, 1, 1]  # one round trip whatever the spec holds
    assert results["round trips per status poll"] == 1
    assert results["round trips per MB of log read"] <= 1
    assert results["sessions opened per async poll after warm-up"] == 0
