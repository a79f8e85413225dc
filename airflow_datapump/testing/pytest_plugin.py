"""The ``emulated_oracle`` pytest fixture, registered through the ``pytest11`` entry point.

Installing airflow-datapump makes the fixture available in any project's tests::

    def test_my_refresh(emulated_oracle):
        db = emulated_oracle.database("FREEPDB1")
        db.load_sample_hr()
        ...

Each test gets a fresh emulator (its own state folder) that is active for the test's
duration and stopped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from airflow_datapump.testing import EmulatedOracle


@pytest.fixture(name="emulated_oracle")
def emulated_oracle_fixture() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as oracle:
        yield oracle
