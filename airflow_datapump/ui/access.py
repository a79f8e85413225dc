"""Who may do what on the Data Pump page: Airflow's own user and auth manager decide.

The page adds no users, roles or tokens of its own. A request's user is the one Airflow's
api-server authenticates (``get_user``: the bearer token or the UI's session cookie), and each
connection is checked with the auth manager's ``is_authorized_connection``: ``GET`` to see its
jobs and logs, ``PUT`` (edit) to stop, kill, restart or clean up. So whatever the deployment
uses (simple, FAB, Keycloak ...) governs the page exactly as it governs the Connections page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from airflow.api_fastapi.app import get_auth_manager
from airflow.api_fastapi.auth.managers.models.resource_details import ConnectionDetails
from airflow.api_fastapi.core_api.security import get_user
from fastapi import Depends, HTTPException, Request

#: The header every state-changing request must carry; browsers never send it cross-site
#: without a CORS preflight, which the api-server does not grant to other origins.
CSRF_HEADER = "X-Datapump-Request"
DEFAULT_DIRECTORY = "DATA_PUMP_DIR"

Method = Literal["GET", "PUT"]
User = Annotated[Any, Depends(get_user)]


@dataclass(frozen=True)
class Access:
    """A request allowed on one connection, and by whom (for the audit line in the log)."""

    connection_id: str
    user: str


def _name(user: Any) -> str:
    getter = getattr(user, "get_name", None)
    return str(getter() if callable(getter) else getattr(user, "username", "unknown"))


def _allowed(user: Any, connection_id: str, method: Method) -> bool:
    return bool(
        get_auth_manager().is_authorized_connection(
            method=method, details=ConnectionDetails(conn_id=connection_id), user=user
        )
    )


def require(method: Method) -> Any:
    """A dependency that lets the request through only with ``method`` access to its connection.

    Edit access (``PUT``) also asks for a same-origin request: one dependency, so neither check
    can be dropped from an endpoint without the other (FastAPI keeps only the last ``Depends``
    of an ``Annotated`` type).
    """

    def check(connection_id: str, user: User, request: Request) -> Access:
        if method != "GET":
            same_origin_post(request)
        if not _allowed(user, connection_id, method):
            action = "read" if method == "GET" else "change"
            raise HTTPException(
                status_code=403, detail=f"you may not {action} Data Pump jobs on connection {connection_id!r}"
            )
        return Access(connection_id, _name(user))

    return check


def same_origin_post(request: Request) -> None:
    """Refuse a state-changing request that a page on another site could have sent."""
    if request.headers.get(CSRF_HEADER) != "1":
        raise HTTPException(status_code=403, detail=f"missing the {CSRF_HEADER} header")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = request.headers.get("host", "")
        if urlsplit(origin).netloc != own:
            raise HTTPException(status_code=403, detail="cross-origin request refused")


def allowed_connections(user: User) -> list[str]:
    """The Oracle connections in the metadata database this user may read, by id."""
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session

    with create_session() as session:
        ids = [row[0] for row in session.query(Connection.conn_id).filter(Connection.conn_type == "oracle")]
    return sorted(conn_id for conn_id in ids if _allowed(user, conn_id, "GET"))
