"""Each behaviour test runs on the emulator, and on a real Oracle when one is configured."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from behaviour_backends import LIVE_DSN, Backend, EmulatorBackend, LiveBackend


@pytest.fixture(params=["emulator", pytest.param("live", marks=pytest.mark.live)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "live":
        only = request.node.get_closest_marker("emulator_only")
        if only is not None:
            pytest.skip(f"emulator only: {only.kwargs.get('reason', '')}")
        dsn = os.environ.get(LIVE_DSN)
        if not dsn:
            pytest.skip(f"live Oracle not configured: set {LIVE_DSN}=user/password@host:port/service")
        chosen: Backend = LiveBackend(dsn)
    else:
        chosen = EmulatorBackend()
    try:
        yield chosen
    finally:
        chosen.close()
