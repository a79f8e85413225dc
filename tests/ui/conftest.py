"""Airflow's own api-server app with the provider's plugin, over an emulated database.

The app is Airflow's (``airflow.api_fastapi.app.create_app``), so authentication is the real
SimpleAuthManager's JWT and the page is mounted by Airflow's plugin loader, as in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle, emulated_oracle
from tests.airflow_features import UI_PLUGIN_VIEWS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The page is for Airflow 3.1 and later (plugin views in the UI's navigation arrived then)."""
    if UI_PLUGIN_VIEWS:
        return
    skip = pytest.mark.skip(reason="the Data Pump page needs Airflow 3.1 or later")
    for item in items:
        if "tests/ui/" in item.nodeid and "test_ui_views" not in item.nodeid:
            item.add_marker(skip)


CONN_ID = "oracle_ui"
PASSWORD = "ui-page-secret-8c41"
USERS = {"admin": "admin", "viewer": "viewer", "op": "op"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatedOracle]:
    """One server per module, as the api-server app (built once per module) holds its address."""
    with emulated_oracle() as active:
        yield active


@pytest.fixture
def oracle(server: EmulatedOracle) -> EmulatedOracle:
    """The module's server with every database forgotten: each test starts from new ones."""
    server.reset()
    return server


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.execute(f'ALTER USER system IDENTIFIED BY "{PASSWORD}"')
    handle.load_sample_hr()
    handle.set_job_rate(10_000)
    return handle


@pytest.fixture
def api(api_app: Any, db: DatabaseHandle) -> Any:
    """The api-server client, signed out, over a fresh emulated database."""
    api_app.login(None)
    return api_app


@pytest.fixture(scope="module")
def api_app(airflow_db: None, server: EmulatedOracle) -> Iterator[Any]:
    """A TestClient on the api-server, and a way to act as each SimpleAuthManager user.

    Built once per module: creating Airflow's app (plugins, auth manager) is the slow part.
    """
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield from _api_app(monkeypatch, server)


def _api_app(monkeypatch: pytest.MonkeyPatch, server: EmulatedOracle) -> Iterator[Any]:
    from airflow.api_fastapi.app import create_app, get_auth_manager, purge_cached_app
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session
    from fastapi.testclient import TestClient

    monkeypatch.setenv(
        "AIRFLOW__CORE__AUTH_MANAGER",
        "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
    )
    # Authentication on, as deployed: never the all-admins shortcut.
    monkeypatch.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS", "False")
    monkeypatch.setenv(
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", ",".join(f"{u}:{r}" for u, r in USERS.items())
    )
    # The api-server reads connections from the metadata DB (airflow.api_fastapi.main marks its
    # process as a server); this test process keeps whichever secrets chain it loaded first, so the
    # hook is given the same connection through the environment as well.
    monkeypatch.setenv(f"AIRFLOW_CONN_{CONN_ID.upper()}", server.connection_uri(password=PASSWORD))
    with create_session() as session:
        session.query(Connection).filter(Connection.conn_id == CONN_ID).delete()
        session.add(
            Connection(
                conn_id=CONN_ID,
                conn_type="oracle",
                host=server.host,
                port=server.port,
                login="system",
                password=PASSWORD,
                extra='{"service_name": "FREEPDB1"}',
            )
        )
    purge_cached_app()
    app = create_app(apps="core")
    with TestClient(app, base_url="http://airflow.test") as client:

        def login(user: str | None) -> None:
            client.cookies.clear()
            client.headers.pop("Authorization", None)
            if user is not None:
                token = get_auth_manager().generate_jwt(
                    SimpleAuthManagerUser(username=user, role=USERS[user])
                )
                client.headers["Authorization"] = f"Bearer {token}"

        client.login = login  # type: ignore[attr-defined]
        yield client
    purge_cached_app()
