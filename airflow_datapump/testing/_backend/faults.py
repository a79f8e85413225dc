"""Faults injected on purpose, for reliability tests: failing calls, latency, outages.

Faults are rows in the database's store, so a fault set by the test process also strikes
the worker or triggerer process using the same database. Each fault fires as configured and
is then used up (``times``), except latency and outages, which last until cleared.

Errors are given as Oracle spells them ("ORA-03113", "DPY-4011"); the driver turns them into
the exception class python-oracledb would raise.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from airflow_datapump.testing._engine import EngineError
from airflow_datapump.testing._plsql.errors import MESSAGES as ERRORS
from airflow_datapump.testing._plsql.errors import OracleError

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.database import Database
    from airflow_datapump.testing._backend.session import Session

# The driver's own texts for the DPY faults; ORA faults take theirs from the emulator's one
# catalogue of Oracle messages.
DPY_MESSAGES = {
    "DPY-4011": "the database or network closed the connection",
    "DPY-6005": "cannot connect to database",
}


def error(spec: str, text: str | None = None) -> EngineError:
    """Build the error a fault raises from "ORA-03113" or "ORA-31626: job does not exist"."""
    code_part, _, given = spec.partition(":")
    prefix, _, number = code_part.strip().partition("-")
    if prefix not in ("ORA", "DPY") or not number.isdigit():
        raise ValueError(f"fault error {spec!r}: expected e.g. 'ORA-03113' or 'DPY-4011'")
    known = ERRORS.get(int(number)) if prefix == "ORA" else DPY_MESSAGES.get(code_part.strip())
    message = text or given.strip() or known or "injected fault"
    return EngineError(int(number), prefix, f"{code_part.strip()}: {message}")


def add(database: Database, fault: dict[str, Any]) -> None:
    error(fault.get("error", "ORA-03113"))  # validate now, not when it fires
    with database.store.write() as db:
        db.execute("INSERT INTO faults (data) VALUES (?)", (json.dumps(fault),))


def clear(database: Database, kind: str | None = None) -> None:
    with database.store.write() as db:
        for fid, data in db.execute("SELECT id, data FROM faults").fetchall():
            if kind is None or json.loads(data)["kind"] == kind:
                db.execute("DELETE FROM faults WHERE id = ?", (fid,))


def _take(db: sqlite3.Connection, match: Any) -> dict[str, Any] | None:
    """Find the first matching fault and use it up once; None if nothing matches."""
    for fid, data in db.execute("SELECT id, data FROM faults ORDER BY id").fetchall():
        fault = json.loads(data)
        if not match(fault):
            continue
        if fault["kind"] in ("latency", "down"):
            return dict(fault)
        if fault.get("skip", 0) > 0:
            fault["skip"] -= 1
            db.execute("UPDATE faults SET data = ? WHERE id = ?", (json.dumps(fault), fid))
            continue
        fault["times"] = fault.get("times", 1) - 1
        if fault["times"] <= 0:
            db.execute("DELETE FROM faults WHERE id = ?", (fid,))
        else:
            db.execute("UPDATE faults SET data = ? WHERE id = ?", (json.dumps(fault), fid))
        return dict(fault)
    return None


def _none_pending(database: Database, session: Session | None = None) -> bool:
    """No fault is set and the session is not marked killed: a read, so calls don't queue.

    Every round trip asks this first; only when there is something to use up does it take
    the write lock, so an idle fault table costs a reader nothing behind a long writer.
    """
    with database.store.read() as db:
        if db.execute("SELECT 1 FROM faults LIMIT 1").fetchone() is not None:
            return False
        if session is None:
            return True
        killed = db.execute("SELECT killed FROM sessions WHERE sid = ?", (session.sid,)).fetchone()
    return killed is None or killed[0] != 1


def is_down(database: Database) -> bool:
    """Whether an outage is in force (the listener then no longer offers the service)."""
    with database.store.read() as db:
        return _take(db, lambda f: f["kind"] == "down") is not None


def before_connect(database: Database) -> None:
    if _none_pending(database):
        return
    with database.store.write() as db:
        down = _take(db, lambda f: f["kind"] == "down")
        failed = None if down else _take(db, lambda f: f["kind"] == "connect")
    if down is not None:
        raise error("DPY-6005", "cannot connect to database (the emulated database is down)")
    if failed is not None:
        raise error(failed.get("error", "DPY-6005"))


def before_call(database: Database, session: Session, kind: str) -> None:
    """Run before every counted round trip: outages, latency, then the Nth-call faults."""
    if session.killed:
        raise error("DPY-4011")
    if _none_pending(database, session):
        return
    with database.store.write() as db:
        down = _take(db, lambda f: f["kind"] == "down")
        latency = _take(db, lambda f: f["kind"] == "latency")
        call = None if down else _take(db, lambda f: f["kind"] == "call" and f.get("call", kind) == kind)
        killed = db.execute("SELECT killed FROM sessions WHERE sid = ?", (session.sid,)).fetchone()
        if killed is not None and killed[0] == 1:
            db.execute("UPDATE sessions SET killed = 2 WHERE sid = ?", (session.sid,))
    if latency is not None:
        _sleep(session, float(latency["seconds"]))
    if down is not None:
        session.killed = True
        raise error("DPY-4011")
    if killed is not None and killed[0] == 1:
        session.killed = True
        raise error("ORA-00028")
    if call is not None:
        if call.get("error", "").startswith(("DPY-4011", "ORA-03113", "ORA-03135")):
            session.killed = True
        raise error(call.get("error", "ORA-03113"))


def after_call(database: Database, session: Session, kind: str) -> None:
    """Run after a round trip did its work: the reply is lost (a fault with ``lose_reply``)."""
    if _none_pending(database):
        return
    with database.store.write() as db:
        lost = _take(db, lambda f: f["kind"] == "reply" and f.get("call", kind) == kind)
    if lost is not None:
        session.killed = True
        raise error(lost.get("error", "DPY-4011"))


def before_subprogram(database: Database, name: str) -> None:
    """Run before a package subprogram executes, e.g. ``DBMS_DATAPUMP.GET_STATUS``."""
    if _none_pending(database):
        return
    with database.store.write() as db:
        fault = _take(db, lambda f: f["kind"] == "subprogram" and f["name"] == name)
    if fault is not None:
        # Raised inside PL/SQL, so as the database's own error: handlers can catch it.
        failure = error(fault.get("error", "ORA-03113"))
        raise OracleError(failure.code, failure.message, prefix=failure.prefix)


def _sleep(session: Session, seconds: float) -> None:
    """Latency counts against the call timeout, as a slow network does in thin mode."""
    timeout = session.call_timeout_ms / 1000
    if timeout and seconds > timeout:
        time.sleep(timeout)
        raise EngineError(4024, "DPY", f"DPY-4024: call timeout of {session.call_timeout_ms} ms exceeded")
    time.sleep(seconds)
