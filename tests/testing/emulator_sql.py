"""Helpers for the emulator's SQL-level tests."""

from __future__ import annotations

from collections.abc import Mapping

import oracledb
import pytest


def code_of(cur: oracledb.Cursor, sql: str, binds: Mapping[str, object] | None = None) -> str:
    """The ORA- code a statement fails with (the test fails if it succeeds)."""
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(sql, dict(binds or {}))
    return str(caught.value.args[0].full_code)
