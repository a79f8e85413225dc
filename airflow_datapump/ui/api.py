"""The Data Pump page's HTTP API, mounted in Airflow's api-server by the provider's plugin.

Every endpoint needs an authenticated Airflow user (the api-server's own JWT, from the
``Authorization`` header or the UI's session cookie) and asks Airflow's auth manager about the
connection it touches: reading jobs and logs needs read access to the connection, stopping,
killing, restarting and cleaning up need edit access. State-changing calls are POSTs that must
carry the ``X-Datapump-Request`` header and, when the browser sends one, a same-origin
``Origin``: a cross-site form or image cannot set a custom header, so it cannot reach them.

Endpoints are plain functions, so FastAPI runs them in its thread pool: the hook's calls block.
Nothing here reads a connection's password; the hook does, inside the database call.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from airflow_datapump.core.logtail import HEAD_BYTES
from airflow_datapump.core.names import identifier
from airflow_datapump.core.naming import default_log_file
from airflow_datapump.core.status import JobState, read_outcome
from airflow_datapump.exceptions import DatapumpError, JobNotFoundError, SpecError
from airflow_datapump.ui import views
from airflow_datapump.ui.access import (
    CSRF_HEADER,
    DEFAULT_DIRECTORY,
    Access,
    allowed_connections,
    require,
)

log = logging.getLogger(__name__)

#: Live jobs whose progress the jobs list looks up (one short status call each).
MAX_PROGRESS_LOOKUPS = 50
# The final line and what LOGTIME or a trailing blank line may put after it.
ENDING_LINES = 5

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

router = APIRouter()
Reader = Annotated[Access, Depends(require("GET"))]
Editor = Annotated[Access, Depends(require("PUT"))]


@contextmanager
def _hook(access: Access) -> Iterator[Any]:
    """A hook on the connection for one request, with its errors turned into HTTP answers."""
    from airflow_datapump.hooks.datapump import DatapumpHook

    hook = DatapumpHook(oracle_conn_id=access.connection_id)
    try:
        yield hook
    except JobNotFoundError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except SpecError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    except DatapumpError as error:
        raise HTTPException(status_code=502, detail=str(error)) from error
    finally:
        hook.close()


def _key(access: Access, owner: str, job_name: str) -> views.JobKey:
    try:
        return views.JobKey.parse(access.connection_id, owner, job_name)
    except SpecError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error


def _audit(access: Access, action: str, key: views.JobKey) -> None:
    """Every change made from the page is in the api-server's log, with who made it."""
    who, where = access.user, key.connection_id
    log.info("Data Pump page: %s %s %s.%s on %s", who, action, key.owner, key.job_name, where)


def _log_location(job_name: str, directory: str | None, log_file: str | None) -> tuple[str, str]:
    """Where the job's log is: as given, or where the operators put it by default."""
    try:
        return (
            identifier(directory or DEFAULT_DIRECTORY, "directory"),
            log_file or default_log_file(job_name),
        )
    except SpecError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error


def _static(name: str) -> str:
    return resources.files("airflow_datapump.ui").joinpath("static", name).read_text(encoding="utf-8")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page() -> Response:
    return Response(_static("index.html"), media_type="text/html", headers=_SECURITY_HEADERS)


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    types = {"app.js": "text/javascript", "app.css": "text/css"}
    if name not in types:
        raise HTTPException(status_code=404, detail="not found")
    return Response(_static(name), media_type=types[name], headers=_SECURITY_HEADERS)


@router.get("/api/connections")
def connections(ids: Annotated[list[str], Depends(allowed_connections)]) -> dict[str, Any]:
    return {"connections": ids, "csrf_header": CSRF_HEADER}


@router.get("/api/connections/{connection_id}/jobs")
def jobs(access: Reader) -> dict[str, Any]:
    with _hook(access) as hook:
        rows = hook.list_jobs()
        live = [r for r in rows if r.state in views.STOPPABLE or r.state is JobState.COMPLETING]
        progress = {}
        for row in live[:MAX_PROGRESS_LOOKUPS]:
            progress[(row.owner, row.job_name)] = hook.status(row.job_name, row.owner)
    return {"jobs": [views.job_row(r, progress.get((r.owner, r.job_name))) for r in rows]}


@router.get("/api/connections/{connection_id}/jobs/{owner}/{job_name}")
def job(
    access: Reader,
    owner: str,
    job_name: str,
    directory: str | None = None,
    log_file: str | None = None,
) -> dict[str, Any]:
    key = _key(access, owner, job_name)
    location = _log_location(key.job_name, directory, log_file)
    with _hook(access) as hook:
        status = hook.status(key.job_name, key.owner)
        row = hook.find_job(key.job_name, key.owner)
        size = hook.file_size(*location)
        head = hook.read_range(*location, 0, min(size, HEAD_BYTES)) if size else ""
        # A finished job has left the dictionary: only its log's last lines say how it ended.
        tail = hook.read_log_page(*location, lines=ENDING_LINES) if size and status.is_gone else None
    ended = read_outcome(list(tail.lines), key.job_name).line if tail else None
    return views.job_detail(status, views.started_by(head), row, ended=ended)


@router.get("/api/connections/{connection_id}/jobs/{owner}/{job_name}/log")
def job_log(
    access: Reader,
    owner: str,
    job_name: str,
    directory: str | None = None,
    log_file: str | None = None,
    lines: Annotated[int, Query(ge=1, le=views.LOG_MAX_LINES)] = views.LOG_PAGE_LINES,
    before: Annotated[int | None, Query(ge=0)] = None,
) -> dict[str, Any]:
    """The log's last ``lines`` lines before byte ``before``, read backwards in bounded chunks."""
    key = _key(access, owner, job_name)
    location = _log_location(key.job_name, directory, log_file)
    with _hook(access) as hook:
        page = hook.read_log_page(*location, lines=lines, before=before)
    if page is None:
        raise HTTPException(status_code=404, detail=f"no log file {location[1]} in {location[0]}")
    return {**page.to_dict(), "directory": location[0], "log_file": location[1]}


@router.post("/api/connections/{connection_id}/jobs/{owner}/{job_name}/stop")
def stop(access: Editor, owner: str, job_name: str) -> dict[str, Any]:
    """Stop the job and keep its master table, so it can be restarted."""
    key = _key(access, owner, job_name)
    with _hook(access) as hook:
        hook.stop(key.job_name, key.owner, immediate=True, keep_master=True)
        _audit(access, "stopped", key)
        return views.job_detail(hook.status(key.job_name, key.owner), None)


@router.post("/api/connections/{connection_id}/jobs/{owner}/{job_name}/kill")
def kill(access: Editor, owner: str, job_name: str) -> dict[str, Any]:
    """Stop the job and drop its master table: it cannot be restarted."""
    key = _key(access, owner, job_name)
    with _hook(access) as hook:
        existed = hook.kill(key.job_name, key.owner)
        _audit(access, "killed", key)
    return {"owner": key.owner, "job_name": key.job_name, "killed": existed}


@router.post("/api/connections/{connection_id}/jobs/{owner}/{job_name}/restart")
def restart(access: Editor, owner: str, job_name: str) -> dict[str, Any]:
    key = _key(access, owner, job_name)
    with _hook(access) as hook:
        hook.restart(key.job_name, key.owner)
        _audit(access, "restarted", key)
        return views.job_detail(hook.status(key.job_name, key.owner), None)


IdleMinutes = Annotated[float, Query(gt=0, le=525_600)]


@router.get("/api/connections/{connection_id}/orphans")
def orphans(access: Reader, idle_minutes: IdleMinutes = views.DEFAULT_IDLE_MINUTES) -> dict[str, Any]:
    """What a clean-up would drop: a dry run, changing nothing."""
    with _hook(access) as hook:
        report = hook.cleanup_orphans(
            dry_run=True, owner=views.CLEANUP_OWNER, older_than=dt.timedelta(minutes=idle_minutes)
        )
    return views.orphan_report(report)


@router.post("/api/connections/{connection_id}/orphans/cleanup")
def cleanup(access: Editor, idle_minutes: IdleMinutes = views.DEFAULT_IDLE_MINUTES) -> dict[str, Any]:
    """Drop the jobs that are provably orphaned now, with the threshold the dry run showed."""
    with _hook(access) as hook:
        report = hook.cleanup_orphans(
            dry_run=False, owner=views.CLEANUP_OWNER, older_than=dt.timedelta(minutes=idle_minutes)
        )
    dropped = len(report.orphans)
    log.info(
        "Data Pump page: %s dropped %d orphaned job(s) on %s", access.user, dropped, access.connection_id
    )
    return views.orphan_report(report)


def create_app() -> FastAPI:
    """The app the plugin mounts at ``/datapump`` in the api-server."""
    app = FastAPI(title="Oracle Data Pump", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)
    return app
