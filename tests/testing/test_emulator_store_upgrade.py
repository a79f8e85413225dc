"""A state folder an earlier emulator wrote opens and keeps its tables' keys: its ``indexes``
lacks the ``uniq`` column, and its in-line keys are flags on their columns, not constraints.
The old layout is made here from a folder this emulator wrote, then opened again."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import oracledb
import pytest

from airflow_datapump.testing import emulated_oracle


def _make_old(folder: Path) -> None:
    """Turn the folder into the earlier layout: no ``indexes.uniq``, and T's keys (which an
    earlier emulator kept as column flags when written in line) back on their columns."""
    for path in folder.rglob("db.sqlite"):
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute("ALTER TABLE indexes DROP COLUMN uniq")
            for owner, name, text in db.execute(
                "SELECT owner, name, definition FROM tables WHERE name = 'T'"
            ):
                data = json.loads(text)
                kinds = {k["columns"][0]: k["kind"] for k in data["constraints"]}
                for column in data["columns"]:
                    column["primary_key"] = kinds.get(column["name"]) == "PRIMARY KEY"
                    column["unique"] = kinds.get(column["name"]) == "UNIQUE"
                data["constraints"] = []
                db.execute(
                    "UPDATE tables SET definition = ? WHERE owner = ? AND name = ?",
                    (json.dumps(data), owner, name),
                )


def test_a_folder_in_the_earlier_layout_opens_with_its_keys(tmp_path: Path) -> None:
    with emulated_oracle(tmp_path) as oracle:
        oracle.database("FREEPDB1").create_user("APP", "app")
        with oracledb.connect(user="app", password="app", dsn=oracle.dsn()) as conn:
            cursor = conn.cursor()
            cursor.execute("CREATE TABLE t (id NUMBER PRIMARY KEY, code VARCHAR2(5) UNIQUE)")
            cursor.executemany("INSERT INTO t VALUES (:1, :2)", [(1, "a"), (2, "b")])
            conn.commit()
    _make_old(tmp_path)
    with (
        emulated_oracle(tmp_path) as oracle,
        oracledb.connect(user="app", password="app", dsn=oracle.dsn()) as conn,
    ):
        cursor = conn.cursor()
        cursor.execute("SELECT id, code FROM t ORDER BY id")
        assert cursor.fetchall() == [(1, "a"), (2, "b")]
        cursor.execute("SELECT constraint_name, constraint_type FROM user_constraints WHERE table_name = 'T'")
        names = {kind: name for name, kind in cursor.fetchall()}
        assert sorted(names) == ["P", "U"]
        assert names["P"] != names["U"]  # each key its own name
        with pytest.raises(oracledb.DatabaseError, match=rf"ORA-00001: .*\(APP.{names['P']}\)"):
            cursor.execute("INSERT INTO t VALUES (1, 'c')")
        with pytest.raises(oracledb.DatabaseError, match=rf"ORA-00001: .*\(APP.{names['U']}\)"):
            cursor.execute("INSERT INTO t VALUES (3, 'a')")
        cursor.execute(f"ALTER TABLE t DISABLE CONSTRAINT {names['U']}")
        cursor.execute("INSERT INTO t VALUES (3, 'a')")
        cursor.execute("CREATE UNIQUE INDEX t_u ON t (id, code)")
        cursor.execute("SELECT index_name, uniqueness FROM user_indexes WHERE table_name = 'T' ORDER BY 1")
        assert cursor.fetchall() == sorted([(names["P"], "UNIQUE"), ("T_U", "UNIQUE")])
