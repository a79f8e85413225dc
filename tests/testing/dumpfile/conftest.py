"""Fixtures for the dump file set tests."""

from __future__ import annotations

import pytest
from dumpfile_builders import make_contents

from airflow_datapump.testing._dumpfile import DumpContents


@pytest.fixture
def contents() -> DumpContents:
    """A small schema export with one table's data."""
    return make_contents()
