"""Dump file sets as Airflow Assets, so an import can be scheduled on the export that feeds it.

A set in a directory object is named ``datapump://host:port/SERVICE/DIRECTORY/name``: the
database (as a connection reaches it), the directory object and a name the DAG author picks
for the set (usually its file template, which travels percent-encoded). Airflow reads the
scheme and its normaliser from ``get_provider_info()["asset-uris"]``. A set copied to object
storage is the Asset of its folder's own URI (``s3://bucket/dumps/hr``).

The files of one run (their names are often unique per run) travel in the Asset event's
``extra``: ``directory``, ``files``, ``bytes``, ``sizes``, and from an export's log
``job_name``, ``flashback_scn`` and ``rows``. A consumer reads them from
``triggering_asset_events``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import SplitResult

SCHEME = "datapump"
DEFAULT_PORT = 1521


def sanitize_uri(uri: SplitResult) -> SplitResult:
    """Airflow's normaliser for ``datapump://``: host lower case, port 1521 by default, service
    and directory upper case (unquoted Oracle names are), exactly three path parts."""
    if not uri.hostname:
        raise ValueError(
            "A datapump:// Asset URI must name the database host: datapump://host/SERVICE/DIR/name"
        )
    parts = uri.path.split("/")
    if len(parts) != 4 or not all(parts[1:]):
        raise ValueError(
            "A datapump:// Asset URI must have three path parts: /SERVICE/DIRECTORY/name, got " + uri.path
        )
    _, service, directory, name = parts
    netloc = f"{uri.hostname.lower()}:{uri.port or DEFAULT_PORT}"
    return uri._replace(netloc=netloc, path=f"/{service.upper()}/{directory.upper()}/{name}")


def dump_set_uri(database: str, directory: str, name: str) -> str:
    """The URI of a set: ``database`` is ``host[:port]/SERVICE`` as in an EZConnect string."""
    host, _, service = database.partition("/")
    if not host or not service:
        raise ValueError(
            f"database: {database!r} is not allowed; host[:port]/SERVICE, e.g. db.example.com/PROD"
        )
    quoted = urllib.parse.quote(name, safe="")
    return f"{SCHEME}://{host}/{service}/{directory}/{quoted}"


def dump_set_asset(database: str, directory: str, name: str, **kwargs: Any) -> Any:
    """The Asset of a dump file set in a directory object (see :func:`dump_set_uri`)."""
    from airflow.sdk import Asset

    return Asset(uri=dump_set_uri(database, directory, name), **kwargs)


def create_asset(*, host: str, service: str, directory: str, name: str, port: int = DEFAULT_PORT) -> Any:
    """Airflow's factory for the scheme (``asset-uris``), keyword for keyword."""
    return dump_set_asset(f"{host}:{port}/{service}", directory, name)


def emit(context: Mapping[str, Any], outlets: Iterable[Any], extra: Mapping[str, Any]) -> None:
    """Attach ``extra`` to the events of the task's Asset outlets (other outlets untouched)."""
    from airflow.sdk import Asset

    events = context.get("outlet_events")
    if events is None:
        return
    for outlet in outlets:
        if isinstance(outlet, Asset):
            events[outlet].extra.update(dict(extra))


def export_extra(summary: Mapping[str, Any], sizes: Mapping[str, int], scn: int | None) -> dict[str, Any]:
    """What an export's Asset event carries: the job, its SCN, its files and sizes, its rows."""
    return {
        "job_name": summary.get("job_name"),
        "owner": summary.get("owner"),
        "directory": summary.get("dump_directory"),
        "templates": list(summary.get("dump_files") or []),
        "files": list(sizes),
        "sizes": dict(sizes),
        "bytes": sum(sizes.values()),
        "flashback_scn": scn,
        "rows": dict(summary.get("rows") or {}),
    }


__all__ = ["SCHEME", "create_asset", "dump_set_asset", "dump_set_uri", "emit", "sanitize_uri"]
