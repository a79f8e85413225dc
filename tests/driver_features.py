"""What the installed python-oracledb offers: CI runs the suite with the newest driver and with
the oldest pyproject allows, and a few driver features are younger than that lower bound.
A test is version-aware only where the driver itself lacks what it would use."""

from __future__ import annotations

import oracledb


def driver_version() -> tuple[int, int]:
    major, minor = oracledb.__version__.split(".")[:2]
    return int(major), int(minor)


#: connect(program=...) came in 2.5; before it the driver names the process itself.
HAS_PROGRAM_PARAMETER = driver_version() >= (2, 5)
#: DbObjectAttr.max_size came in 3.0.
HAS_ATTRIBUTE_MAX_SIZE = driver_version() >= (3, 0)
#: Before 3.3 the thin driver did not mark a connection the database dropped as closed: the
#: next call raises AttributeError from its own transport instead of DPY-1001 (its 3.3
#: release note: "Fixed bug with detection of when a connection has been closed by the
#: database without notification").
NOTICES_A_DROPPED_CONNECTION = driver_version() >= (3, 3)
