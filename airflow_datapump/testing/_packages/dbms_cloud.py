"""DBMS_CLOUD: copies between directory objects and object storage, done by the database.

Rules from the DBMS_CLOUD reference (19c+ where installed, Autonomous Database) and its
"Copy Files Between Object Store and a Directory" page: PUT_OBJECT reads ``file_name`` from
``directory_name`` (READ on the directory) and writes the object ``object_uri``; GET_OBJECT
writes the object to ``directory_name`` (WRITE on it) as ``file_name``, or as the last part of
the URI when ``file_name`` is NULL; a missing object is ORA-20404 (the HTTP status, as the
package reports it). ``credential_name`` names a credential made by CREATE_CREDENTIAL; NULL
means none (a public bucket or a resource principal). LIST_OBJECTS is a pipelined function
(``SELECT ... FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(credential_name, location_uri))``): a row per
object under the location, OBJECT_NAME relative to it, BYTES, CHECKSUM, CREATED, LAST_MODIFIED.

Objects are files under ``<state>/object-store/<bucket>/<key>`` (a bucket is a folder), shared
by every emulated database so one can write what another reads. The bucket is taken from the
URI: ``/b/<bucket>/o/<key>`` (Oracle Cloud's native form), ``<bucket>.s3.<region>.amazonaws.com/
<key>`` (S3's virtual-hosted form), else the first path segment. [U] The error texts for an
unknown credential and a bad URI, GET_METADATA's JSON keys beyond Content-Length, and
LIST_OBJECTS' answer for a missing bucket (ORA-20404 here, the HTTP status) and for a location
not ending in ``/``.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from airflow_datapump.testing._packages.files_api import (
    DirectoryError,
    FileAccess,
    Privilege,
    frame,
    has_separator,
    param,
    text_arg,
)
from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Subprogram, package_error
from airflow_datapump.testing._values import (
    BOOLEAN,
    CLOB,
    NUMBER,
    TIMESTAMP_TZ,
    VARCHAR2,
    CollectionKind,
    CollectionType,
    CollectionValue,
    LobValue,
    ObjectType,
    ObjectValue,
    TypeKind,
    Value,
)

# LIST_OBJECTS' rows (a pipelined function's, read with SELECT ... FROM TABLE(...)). [U] The
# type names, and which of CHECKSUM, CREATED and LAST_MODIFIED a store fills: here only the last.
OBJECT_ENTRY = ObjectType(
    "C##CLOUD$SERVICE",
    "LIST_OBJECT_RET_T",
    (
        ("OBJECT_NAME", VARCHAR2),
        ("BYTES", NUMBER),
        ("CHECKSUM", VARCHAR2),
        ("CREATED", TIMESTAMP_TZ),
        ("LAST_MODIFIED", TIMESTAMP_TZ),
    ),
)
OBJECT_LISTING = CollectionType(
    "C##CLOUD$SERVICE", "LIST_OBJECT_RET_TAB", OBJECT_ENTRY, CollectionKind.NESTED_TABLE
)
_LINE = 1205  # plausible package line for the ORA-06512 frame; not Oracle's exact number
# The session's database keeps its credentials: (session) -> (get, set) of a named setting.
Settings = Callable[[object], tuple[Callable[[str], str | None], Callable[[str, str], None]]]


def _error(code: int, text: str) -> OracleError:
    return package_error(code, frame("DBMS_CLOUD", _LINE), args=(text,))


def _bucket_and_key(uri: str | None) -> tuple[str, list[str]]:
    """The bucket a URI names and the key's segments after it (none for the bucket itself)."""
    parts = urllib.parse.urlsplit(uri or "")
    segments = [urllib.parse.unquote(s) for s in parts.path.split("/") if s]
    host = parts.hostname or ""
    if "b" in segments[:-1] and "o" in segments:
        bucket, key = segments[segments.index("b") + 1], segments[segments.index("o") + 1 :]
    elif ".s3." in host or host.endswith(".s3.amazonaws.com"):
        bucket, key = host.split(".s3.", 1)[0], segments
    else:
        bucket, key = (segments[0] if segments else ""), segments[1:]
    if parts.scheme not in ("https", "http") or not bucket or any(s in (".", "..") for s in key):
        raise _error(20000, f"Invalid object URI - {uri}")
    return bucket, key


def object_path(root: Path, uri: str | None) -> Path:
    """Where the object ``uri`` lives under ``root``; ORA-20000 for a URI naming no object."""
    bucket, key = _bucket_and_key(uri)
    if not key:
        raise _error(20000, f"Invalid object URI - {uri}")
    return root / bucket / Path(*key)


def listed_objects(root: Path, uri: str | None) -> list[tuple[str, Path]]:
    """The objects under the location ``uri`` (a bucket, or a folder in it), each with its name
    relative to the location, deeper folders' objects included; ORA-20404 for no such bucket.

    [U] A location not ending in ``/`` is read here as a key prefix, as the object store's own
    listing takes one (``.../o/hr`` also lists ``hrx.dmp``, named ``x.dmp``).
    """
    bucket, key = _bucket_and_key(uri)
    base = root / bucket
    if not base.is_dir():
        raise _error(20404, f"Bucket not found - {uri}")
    prefix = "/".join(key) + ("/" if key and (uri or "").endswith("/") else "")
    keys = sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())
    return [(k[len(prefix) :], base / k) for k in keys if k.startswith(prefix) and k != prefix]


def _directory(files: FileAccess, session: object, name: str | None, privilege: Privilege) -> Path:
    try:
        return files.directory_path(session, (name or "").upper(), privilege)
    except DirectoryError as exc:
        if exc.reason == "missing":
            raise _error(20000, f"Directory {name} does not exist") from exc
        raise _error(20000, f"{ora_line(1031)} on directory {name}") from exc


def build(files: FileAccess, root: Path, settings: Settings) -> PackageSpec:
    """DBMS_CLOUD with its credential and object procedures; objects live under ``root``."""

    def check_credential(ctx: CallContext, name: str | None) -> None:
        if name is not None and settings(ctx.session)[0](f"dbms_cloud credential {name.upper()}") is None:
            raise _error(20000, f"Credential {name.upper()} does not exist")

    def create_credential(ctx: CallContext, args: dict[str, Value]) -> Value:
        name = (text_arg(args, "CREDENTIAL_NAME") or "").upper()
        settings(ctx.session)[1](f"dbms_cloud credential {name}", "created")  # the secret is not kept
        return None

    def put_object(ctx: CallContext, args: dict[str, Value]) -> Value:
        check_credential(ctx, text_arg(args, "CREDENTIAL_NAME"))
        target = object_path(root, text_arg(args, "OBJECT_URI"))
        folder = _directory(files, ctx.session, text_arg(args, "DIRECTORY_NAME"), "READ")
        name = text_arg(args, "FILE_NAME") or ""
        if not name or has_separator(name) or not (folder / name).is_file():
            raise _error(20000, f"File {name} does not exist in directory {text_arg(args, 'DIRECTORY_NAME')}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((folder / name).read_bytes())
        return None

    def stored(ctx: CallContext, args: dict[str, Value]) -> Path:
        check_credential(ctx, text_arg(args, "CREDENTIAL_NAME"))
        uri = text_arg(args, "OBJECT_URI")
        source = object_path(root, uri)
        if not source.is_file():
            raise _error(20404, f"Object not found - {uri}")
        return source

    def get_object(ctx: CallContext, args: dict[str, Value]) -> Value:
        source = stored(ctx, args)
        folder = _directory(files, ctx.session, text_arg(args, "DIRECTORY_NAME"), "WRITE")
        name = text_arg(args, "FILE_NAME") or source.name
        if has_separator(name):
            raise _error(20000, f"Invalid file name {name}")
        (folder / name).write_bytes(source.read_bytes())
        return None

    def get_metadata(ctx: CallContext, args: dict[str, Value]) -> Value:
        source = stored(ctx, args)
        return LobValue(TypeKind.CLOB, json.dumps({"Content-Length": source.stat().st_size}))

    def list_objects(ctx: CallContext, args: dict[str, Value]) -> Value:
        check_credential(ctx, text_arg(args, "CREDENTIAL_NAME"))
        elements: dict[int | str, Value] = {}
        for number, (name, path) in enumerate(listed_objects(root, text_arg(args, "LOCATION_URI")), 1):
            info = path.stat()
            modified = dt.datetime.fromtimestamp(info.st_mtime, dt.UTC)
            attributes: dict[str, Value] = {"OBJECT_NAME": name, "BYTES": Decimal(info.st_size)}
            elements[number] = ObjectValue(OBJECT_ENTRY, {**attributes, "LAST_MODIFIED": modified})
        return CollectionValue(OBJECT_LISTING, elements)

    def delete_object(ctx: CallContext, args: dict[str, Value]) -> Value:
        check_credential(ctx, text_arg(args, "CREDENTIAL_NAME"))
        target = object_path(root, text_arg(args, "OBJECT_URI"))
        if target.is_file():
            target.unlink()
        elif not args.get("FORCE"):
            raise _error(20404, f"Object not found - {text_arg(args, 'OBJECT_URI')}")
        return None

    credential, uri = param("CREDENTIAL_NAME", VARCHAR2), param("OBJECT_URI", VARCHAR2)
    directory = param("DIRECTORY_NAME", VARCHAR2)
    subs = [
        Subprogram(
            "CREATE_CREDENTIAL",
            (credential, param("USERNAME", VARCHAR2, opt=True), param("PASSWORD", VARCHAR2, opt=True)),
            None,
            create_credential,
        ),
        Subprogram(
            "PUT_OBJECT",
            (
                credential,
                uri,
                directory,
                param("FILE_NAME", VARCHAR2),
                param("COMPRESSION", VARCHAR2, opt=True),
            ),
            None,
            put_object,
        ),
        Subprogram(
            "GET_OBJECT",
            (
                credential,
                uri,
                directory,
                param("FILE_NAME", VARCHAR2, opt=True),
                param("STARTOFFSET", NUMBER, opt=True),
                param("ENDOFFSET", NUMBER, opt=True),
                param("COMPRESSION", VARCHAR2, opt=True),
            ),
            None,
            get_object,
        ),
        Subprogram("GET_METADATA", (credential, uri), CLOB, get_metadata),
        Subprogram(
            "LIST_OBJECTS",
            (param("CREDENTIAL_NAME", VARCHAR2, opt=True), param("LOCATION_URI", VARCHAR2)),
            OBJECT_LISTING,
            list_objects,
        ),
        Subprogram(
            "DELETE_OBJECT", (credential, uri, param("FORCE", BOOLEAN, opt=True)), None, delete_object
        ),
    ]
    return PackageSpec("DBMS_CLOUD", subprograms={s.name: [s] for s in subs})
