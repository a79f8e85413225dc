"""The emulator's Oracle Net server, and a schema in a tablespace of its own, made with plain SQL.

This is the only module of the package that imports ``airflow_datapump``: it starts the
server; everything else reaches it through python-oracledb and the server's address.
"""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle

SERVICE = "FREEPDB1"
ADMIN = ("system", "oracle")
SETUP = (
    "create tablespace app_data datafile 'app_data01.dbf' size 20m autoextend on maxsize unlimited",
    "create tablespace app_copy datafile 'app_copy01.dbf' size 20m autoextend on maxsize unlimited",
    "create user app identified by app_pw default tablespace app_data quota unlimited on app_data",
    "grant create session, create table to app",
    "create table app.customers (id number(6) primary key, name varchar2(40) not null) tablespace app_data",
    "create table app.orders (id number(8) primary key, customer_id number(6), note varchar2(60))"
    " tablespace app_data",
)


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def dsn(oracle: EmulatedOracle) -> str:
    """The server's address with an APP schema loaded: 30 customers, 120 orders."""
    address = oracle.dsn(SERVICE)
    with oracledb.connect(user=ADMIN[0], password=ADMIN[1], dsn=address) as conn, conn.cursor() as cursor:
        for statement in SETUP:
            cursor.execute(statement)
        cursor.executemany(
            "insert into app.customers values (:1, :2)", [(i, f"customer {i}") for i in range(30)]
        )
        cursor.executemany(
            "insert into app.orders values (:1, :2, :3)", [(i, i % 30, f"order {i}") for i in range(120)]
        )
        conn.commit()
    return address
