"""DBMS_CLOUD copies: the calls that make the database move a file to or from object storage.

Pure values, no I/O (the hook runs them). The data never passes through the worker: one
round trip per member moves it, and one more reads the object's size to check the copy. An
object store writes an object whole or not at all, so an upload needs no temporary name; a
download lands as ``<name>.part`` and is renamed once its size matches the object's.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from airflow_datapump.core import plsql
from airflow_datapump.core.calls import Call, Out, Rows, Values
from airflow_datapump.exceptions import SpecError

NOT_FOUND = "ORA-20404"  # DBMS_CLOUD's error for an object that does not exist (HTTP 404)


def check_folder_uri(value: Any) -> str:
    """The folder's URI, ``https://...`` as DBMS_CLOUD takes it, without a trailing slash."""
    if not isinstance(value, str) or urllib.parse.urlsplit(value).scheme != "https" or "?" in value:
        raise SpecError(
            "object_uri",
            value,
            "the https:// URI of an object storage folder, e.g. "
            "https://objectstorage.<region>.oraclecloud.com/n/<namespace>/b/<bucket>/o/<prefix>",
        )
    return value.rstrip("/")


# A pre-authenticated request: ``https://objectstorage.<region>.oraclecloud.com/p/<token>/n/...``.
# Anyone holding the token reads (or writes) the bucket, so it is a secret.
_PAR = re.compile(r"(?<=/p/)[^/]+(?=/)")
REDACTED = "***"


def par_token(uri: str) -> str | None:
    """The secret part of a pre-authenticated request URI, or None for an ordinary URI."""
    match = _PAR.search(uri)
    return match.group(0) if match else None


def redacted_uri(uri: str) -> str:
    """The URI with a pre-authenticated request's token replaced by ``***``: what logs,
    errors, XCom and Asset events may show."""
    return _PAR.sub(REDACTED, uri)


def check_credential_name(value: Any) -> str | None:
    """A credential made by DBMS_CLOUD.CREATE_CREDENTIAL, or None for a resource principal."""
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise SpecError("credential_name", value, "the name of a DBMS_CLOUD credential, or None")
    return value


def package_missing(error: BaseException, name: str) -> bool:
    """Whether a call failed because the database does not know the package ``name``.

    PL/SQL says PLS-00201; SQL says ORA-00904 naming the package or its schema.
    """
    text = f"{error} {error.__cause__ or ''}"
    return "PLS-00201" in text or ("ORA-00904" in text and f'"{name.upper()}' in text.upper())


def object_uri(folder: str, name: str) -> str:
    """The URI of member ``name`` in ``folder`` (the name percent-encoded)."""
    return f"{folder}/{urllib.parse.quote(name)}"


def put_object(credential: str | None, uri: str, directory: str, file_name: str) -> Call[None]:
    binds = {"credential_name": credential, "object_uri": uri, "directory": directory, "file_name": file_name}
    return Call(plsql.CLOUD_PUT_OBJECT, binds, lambda v, r: None)


def get_object(credential: str | None, uri: str, directory: str, file_name: str) -> Call[None]:
    binds = {"credential_name": credential, "object_uri": uri, "directory": directory, "file_name": file_name}
    return Call(plsql.CLOUD_GET_OBJECT, binds, lambda v, r: None)


def delete_object(credential: str | None, uri: str) -> Call[None]:
    binds = {"credential_name": credential, "object_uri": uri}
    return Call(plsql.CLOUD_DELETE_OBJECT, binds, lambda v, r: None)


def object_size(credential: str | None, uri: str) -> Call[int | None]:
    """The object's size from GET_METADATA's Content-Length (any letter case)."""

    def parse(values: Values, rows: Rows) -> int | None:
        return content_length(values.get("metadata"))

    binds = {"credential_name": credential, "object_uri": uri}
    return Call(plsql.CLOUD_METADATA, binds, parse, {"metadata": Out("clob")})


def list_objects(credential: str | None, folder: str) -> Call[dict[str, int]]:
    """Every object under ``folder`` (names relative to it) with its size: one round trip."""

    def parse(values: Values, rows: Rows) -> dict[str, int]:
        return {str(name): int(size or 0) for name, size in rows}

    binds = {"credential_name": credential, "location_uri": folder + "/"}
    return Call(plsql.CLOUD_LIST_OBJECTS, binds, parse, query=True)


def content_length(metadata: Any) -> int | None:
    """Content-Length from GET_METADATA's JSON; None when it is missing or not a number."""
    try:
        found = json.loads(str(metadata)) if metadata else {}
    except ValueError:
        return None
    if not isinstance(found, dict):
        return None
    sizes = [v for k, v in found.items() if str(k).lower() == "content-length"]
    try:
        return int(sizes[0]) if sizes else None
    except (TypeError, ValueError):
        return None
