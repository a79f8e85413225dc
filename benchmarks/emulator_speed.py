"""How fast the emulator is: per-row cost of export and import, per-row cost of keyed inserts,
per-parent cost of deleting parent rows against their number, CPU per GET_STATUS poll
against the number of running jobs, and whether readers wait for a writer.

    python benchmarks/emulator_speed.py            # small sizes, a minute or so
    python benchmarks/emulator_speed.py --full     # the sizes of issue #16 (10 x 100,000 rows ...)

prints a Markdown table. Each figure is measured at two sizes in the same run so that what a
test holds is a ratio (cost per row at the large size over the small one), never a wall-clock
threshold. Export + import runs in a child process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import oracledb

from airflow_datapump.testing import ADMIN_PASSWORD, DatabaseHandle, EmulatedOracle, emulated_oracle
from airflow_datapump.testing._backend import tables
from airflow_datapump.testing._values import LobValue, TypeKind, Value

COLUMNS = ("ID NUMBER PRIMARY KEY", "NAME VARCHAR2(40)", "AMOUNT NUMBER", "CREATED DATE", "NOTES CLOB")


@dataclass(frozen=True)
class Measure:
    what: str
    value: float
    target: str


def _connect(oracle: EmulatedOracle) -> oracledb.Connection:
    return oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn("BENCH"))


def _row(i: int) -> tuple[object, ...]:
    created = dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i)
    return (i, f"name-{i:08d}", Decimal(i % 1000) / 7, created, f"notes for row {i} " * 3)


def _load(db: DatabaseHandle, schema: str, table: str, rows: int, start: int = 0) -> None:
    """Create (at ``start`` 0) and fill one table straight into the store: set-up, not measured.

    Going through a client costs about a millisecond a row in the SQL engine, which would make
    a million-row set-up take longer than everything measured; the rows and their key index
    end up the same as an INSERT leaves them.
    """
    if start == 0:
        db.execute(f'CREATE TABLE "{schema}"."{table}" ({", ".join(COLUMNS)})')
    store = db._database.store
    for first in range(start, start + rows, 10_000):
        batch = [_value_row(i) for i in range(first, min(start + rows, first + 10_000))]
        with store.write() as conn:
            tables.insert_rows(conn, schema, table, batch)


def _value_row(i: int) -> tuple[Value, ...]:
    ident, name, amount, created, notes = _row(i)
    return (Decimal(ident), name, amount, created, LobValue(TypeKind.CLOB, notes))  # type: ignore[return-value]


_RUN = """
DECLARE
  h NUMBER;
  st VARCHAR2(30);
BEGIN
  h := DBMS_DATAPUMP.OPEN(:op, 'SCHEMA', NULL, :job);
  DBMS_DATAPUMP.ADD_FILE(h, :dmp, 'DATA_PUMP_DIR');
  DBMS_DATAPUMP.METADATA_FILTER(h, 'SCHEMA_EXPR', 'IN (''SRC'')');
  IF :op = 'IMPORT' THEN
    DBMS_DATAPUMP.METADATA_REMAP(h, 'REMAP_SCHEMA', 'SRC', 'DST');
  END IF;
  DBMS_DATAPUMP.START_JOB(h);
  DBMS_DATAPUMP.WAIT_FOR_JOB(h, st);
  :state := st;
END;
"""


def _datapump(oracle: EmulatedOracle, op: str, job: str) -> str:
    with _connect(oracle) as conn, conn.cursor() as cur:
        state = cur.var(str)
        cur.execute(_RUN, op=op, job=job, dmp="bench.dmp", state=state)
        return str(state.getvalue())


def export_import_child(tables: int, rows: int) -> dict[str, float]:
    """Load, then time export + import of ``tables`` x ``rows``; runs in its own process."""
    with emulated_oracle() as oracle:
        db = oracle.database("BENCH")
        db.create_user("SRC", "src")
        db.create_user("DST", "dst")
        for n in range(tables):
            _load(db, "SRC", f"T{n:02d}", rows)
        start, cpu_start = time.perf_counter(), time.process_time()
        exported = _datapump(oracle, "EXPORT", "BENCH_EXP")
        middle = time.perf_counter()
        imported = _datapump(oracle, "IMPORT", "BENCH_IMP")
        end, cpu_end = time.perf_counter(), time.process_time()
        loaded = db.execute('SELECT COUNT(*) FROM "DST"."T00"')[0][0]
    assert exported == imported == "COMPLETED", (exported, imported)
    assert loaded == rows, loaded
    return {
        "export_s": middle - start,
        "import_s": end - middle,
        "cpu_s": cpu_end - cpu_start,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _export_import(tables: int, rows: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(tables), str(rows)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def keyed_insert_cost(total: int, batch: int = 1000) -> tuple[float, float]:
    """CPU microseconds per row of a client's batch into a keyed table holding 0, then ``total``.

    Both batches go through a client connection (executemany, commit); the rows in between
    are set up straight into the store.
    """
    with emulated_oracle() as oracle:
        db = oracle.database("BENCH")
        db.create_user("SRC", "src")
        db.execute(f'CREATE TABLE "SRC"."KEYED" ({", ".join(COLUMNS)})')
        costs: list[float] = []
        with _connect(oracle) as conn, conn.cursor() as cur:
            for start in (0, total):
                if start:
                    _load(db, "SRC", "KEYED", total - batch, start=batch)
                rows = [_row(i) for i in range(start, start + batch)]
                began = time.process_time()  # CPU: the emulator runs in this process
                cur.executemany('INSERT INTO "SRC"."KEYED" VALUES (:1, :2, :3, :4, :5)', rows)
                conn.commit()
                costs.append((time.process_time() - began) / batch * 1e6)
        (count,) = db.execute('SELECT COUNT(*) FROM "SRC"."KEYED"')[0]
    assert count == total + batch, count
    return costs[0], costs[-1]


def parent_delete_cost(parents: int, on_delete: str = "") -> float:
    """CPU microseconds per parent row of one DELETE of ``parents`` parents (all but one),
    their child table as long, every child on the parent that stays (or, with ``on_delete``,
    one child on each parent, which the clause then deletes or empties)."""
    with emulated_oracle() as oracle:
        oracle.database("BENCH").create_user("SRC", "src")
        with _connect(oracle) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE src.p (id NUMBER PRIMARY KEY)")
            cur.execute(f"CREATE TABLE src.c (id NUMBER, pid NUMBER REFERENCES src.p {on_delete})")
            cur.executemany("INSERT INTO src.p VALUES (:1)", [(i,) for i in range(parents + 1)])
            parent_of = (lambda i: i + 1) if on_delete else (lambda i: 0)
            cur.executemany("INSERT INTO src.c VALUES (:1, :2)", [(i, parent_of(i)) for i in range(parents)])
            conn.commit()
            gc.collect()  # not the garbage of what ran before
            began = time.process_time()
            cur.execute("DELETE FROM src.p WHERE id > 0")
            spent = time.process_time() - began
            assert cur.rowcount == parents
    return spent / parents * 1e6


_START = """
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, :job);
  DBMS_DATAPUMP.ADD_FILE(h, :job || '.dmp', 'DATA_PUMP_DIR');
  DBMS_DATAPUMP.METADATA_FILTER(h, 'SCHEMA_EXPR', 'IN (''HR'')');
  DBMS_DATAPUMP.START_JOB(h);
  :h := h;
END;
"""

_POLL = """
DECLARE
  st ku$_Status;
  js VARCHAR2(30);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :pct := st.job_status.percent_done;
END;
"""


def poll_cpu(jobs: int, polls: int = 20) -> float:
    """CPU milliseconds per GET_STATUS poll of one job while ``jobs`` jobs are running.

    The clock moves half a second between polls (not measured), as a waiting client's does.
    """
    with emulated_oracle() as oracle:
        db = oracle.database("BENCH")
        db.load_sample_hr()
        db.set_job_rate(1.0)  # a byte per second: every job stays EXECUTING
        with _connect(oracle) as conn, conn.cursor() as cur:
            handle = cur.var(int)
            for n in range(jobs):
                cur.execute(_START, job=f"RUN_{n:04d}", h=handle)
            pct = cur.var(Decimal)
            cur.execute(_POLL, h=handle.getvalue(), pct=pct)  # warm-up
            spent = 0.0
            for _ in range(polls):
                db.advance(0.5)
                began = time.process_time()
                cur.execute(_POLL, h=handle.getvalue(), pct=pct)
                spent += time.process_time() - began
        assert [j["state"] for j in db.jobs()] == ["EXECUTING"] * jobs
    return spent / polls * 1000


def reader_wait(oracle: EmulatedOracle, hold: float = 0.5) -> tuple[float, float]:
    """Seconds a one-row query takes alone, and while another thread holds a long write."""
    db = oracle.database("BENCH")
    db.create_user("SRC", "src")
    db.create_table("SRC", "SMALL", ["ID NUMBER"], [(1,)])
    store = db._database.store  # the writer: a long transaction as a long export holds one
    with _connect(oracle) as conn, conn.cursor() as cur:
        query = 'SELECT COUNT(*) FROM "SRC"."SMALL"'
        began = time.perf_counter()
        cur.execute(query).fetchall()
        alone = time.perf_counter() - began
        entered = threading.Event()

        def writer() -> None:
            with store.write():
                entered.set()
                time.sleep(hold)

        thread = threading.Thread(target=writer)
        thread.start()
        entered.wait()
        began = time.perf_counter()
        cur.execute(query).fetchall()
        during = time.perf_counter() - began
        thread.join()
    return alone, during


def measure(full: bool = False) -> list[Measure]:
    tables, small_rows, big_rows = (10, 1000, 100_000) if full else (2, 500, 5000)
    results: list[Measure] = []
    small = _export_import(tables, small_rows)
    big = _export_import(tables, big_rows)
    per_row = {
        size: run["cpu_s"] / (tables * size) * 1e6 for size, run in ((small_rows, small), (big_rows, big))
    }
    label = f"{tables} tables x {big_rows:,} rows"
    results += [
        Measure(
            f"export + import seconds, {label}", big["export_s"] + big["import_s"], "< 20 s at 10 x 100,000"
        ),
        Measure(f"export + import CPU seconds, {label}", big["cpu_s"], ""),
        Measure(f"export + import CPU us per row, {label}", per_row[big_rows], "~20"),
        Measure(
            f"per-row CPU ratio, {big_rows:,} vs {small_rows:,} rows a table",
            per_row[big_rows] / per_row[small_rows],
            "<= 2 (linear)",
        ),
        Measure(f"peak memory MB (max RSS, whole child process), {label}", big["max_rss_mb"], "< 300"),
        Measure(
            f"peak memory ratio, {big_rows:,} vs {small_rows:,} rows a table",
            big["max_rss_mb"] / small["max_rss_mb"],
            "<= 1.5 (streamed)",
        ),
    ]
    total = 1_000_000 if full else 50_000
    first, last = keyed_insert_cost(total)
    results += [
        Measure("keyed insert CPU us per row, 1,000 rows into an empty table", first, ""),
        Measure(f"keyed insert CPU us per row, 1,000 rows into {total:,}", last, ""),
        Measure(
            f"keyed insert per-row ratio, into {total:,} vs into 0 rows", last / first, "<= 2 (constant)"
        ),
    ]
    for on_delete in ("", "ON DELETE CASCADE"):
        few, more = parent_delete_cost(500, on_delete), parent_delete_cost(2000, on_delete)
        what = f"DELETE of parent rows{', ' + on_delete if on_delete else ''}"
        results += [
            Measure(f"{what}: CPU us per parent, 2,000 parents and children", more, ""),
            Measure(f"{what}: per-parent ratio, 2,000 vs 500", more / few, "<= 2 (linear)"),
        ]
    many = 1000 if full else 100
    one, lots = poll_cpu(1), poll_cpu(many)
    results += [
        Measure("GET_STATUS CPU ms per poll, 1 running job", one, ""),
        Measure(f"GET_STATUS CPU ms per poll, {many} running jobs", lots, "< 2"),
        Measure(f"GET_STATUS CPU ratio, {many} vs 1 running jobs", lots / one, "<= 2 (constant)"),
    ]
    with emulated_oracle() as oracle:
        alone, during = reader_wait(oracle)
    results.append(Measure("one-row query seconds while a writer holds 0.5 s", during, "~ alone"))
    results.append(Measure("one-row query seconds alone", alone, ""))
    return results


def table(results: list[Measure]) -> str:
    lines = ["| what | measured | target |", "|---|---:|---|"]
    lines += [f"| {m.what} | {m.value:,.3f} | {m.target} |" for m in results]
    return "\n".join(lines)


def _child(args: list[str]) -> Iterator[str]:
    tables, rows = int(args[0]), int(args[1])
    yield json.dumps(export_import_child(tables, rows))


if __name__ == "__main__":
    from _home import airflow_home

    os.environ["AIRFLOW_HOME"] = airflow_home()
    if sys.argv[1:2] == ["--child"]:
        print(*_child(sys.argv[2:]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the sizes of issue #16 (minutes)")
    print(table(measure(full=parser.parse_args().full)))
