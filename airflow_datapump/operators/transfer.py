"""Operators that move dump file sets: over a database link, or through the worker to object storage.

Each copies every member of the sets (``%U``/``%L`` resolved), keeps members a previous try
already verified, gives a member its final name only once its copy is verified, and deletes
the originals only when asked and only after every copy is verified (hooks/files.py and
hooks/objectstore.py). Each returns a small JSON summary and puts it in the events of its
Asset outlets; the object storage operators add their destination's Asset to their outlets
when the destination is not templated.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from airflow.sdk import BaseOperator

from airflow_datapump import assets
from airflow_datapump.core import names, transfer
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators._fields import check_choice

DIRECTIONS = ("get", "put")


class _TransferOperator(BaseOperator):
    """What the three share: rendered file lists, the about-the-export extra, the Asset events.

    :param about: an export task's summary (``"{{ ti.xcom_pull('export_hr') }}"`` rendered as
        native objects, or a mapping): its job name, SCN and row counts join the Asset extra.
    """

    ui_color = "#9fd8cb"

    def __init__(self, *, dump_files: Sequence[str] | str, about: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dump_files = dump_files
        self.about = about

    def _report(self, context: Any, result: dict[str, Any]) -> dict[str, Any]:
        about = self.about if isinstance(self.about, Mapping) else {}
        for key in ("job_name", "flashback_scn", "rows"):
            if about.get(key) is not None:
                result[key] = about[key]
        result["templates"] = transfer.check_dump_files("dump_files", self.dump_files)  # as rendered
        assets.emit(context, self.outlets, result)
        return result


class CopyDumpFilesOperator(_TransferOperator):
    """Copy a dump file set between two databases over a database link (DBMS_FILE_TRANSFER).

    With ``direction="get"`` (default) the destination database pulls the files through
    ``link``, a link it has to the source; with ``put`` the source pushes them through a link
    it has to the destination.

    :param source_conn_id: the ``oracle`` connection of the database holding the files.
    :param destination_conn_id: the ``oracle`` connection of the database receiving them.
    :param link: the database link DBMS_FILE_TRANSFER uses. (templated)
    :param dump_files: file names or templates (``hr_%U.dmp``). (templated)
    :param source_directory: the source's directory object. (templated) Default DATA_PUMP_DIR.
    :param destination_directory: the destination's. (templated) Default DATA_PUMP_DIR.
    :param delete_source: delete the source files after every copy is verified. Default False.
    """

    template_fields: Sequence[str] = (
        "link", "dump_files", "source_directory", "destination_directory", "about",
    )  # fmt: skip

    def __init__(
        self,
        *,
        source_conn_id: str,
        destination_conn_id: str,
        link: str,
        dump_files: Sequence[str] | str,
        direction: str = "get",
        source_directory: str = "DATA_PUMP_DIR",
        destination_directory: str = "DATA_PUMP_DIR",
        delete_source: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(dump_files=dump_files, **kwargs)
        check_choice("direction", direction, DIRECTIONS)
        self.source_conn_id = source_conn_id
        self.destination_conn_id = destination_conn_id
        self.link = link
        self.direction = direction
        self.source_directory = source_directory
        self.destination_directory = destination_directory
        self.delete_source = delete_source

    def execute(self, context: Any) -> dict[str, Any]:
        files = transfer.check_dump_files("dump_files", self.dump_files)
        link = names.db_link(self.link, "link")  # rendered values, checked before any call
        self.source_directory = names.identifier(self.source_directory, "source_directory")
        self.destination_directory = names.identifier(self.destination_directory, "destination_directory")
        source = DatapumpHook(oracle_conn_id=self.source_conn_id, retry=RetryPolicy())
        destination = DatapumpHook(oracle_conn_id=self.destination_conn_id, retry=RetryPolicy())
        local, remote = (destination, source) if self.direction == "get" else (source, destination)
        try:
            members = local.copy_dump_files(
                files,
                remote=remote,
                link=link,
                direction="get" if self.direction == "get" else "put",
                source_directory=self.source_directory,
                destination_directory=self.destination_directory,
                delete_source=self.delete_source,
            )
        finally:
            source.close()
            destination.close()
        result = transfer.summary(
            members,
            source=f"{self.source_conn_id}:{self.source_directory}",
            destination=f"{self.destination_conn_id}:{self.destination_directory}",
        )
        result["directory"] = self.destination_directory
        return self._report(context, result)


class _ObjectStorageOperator(_TransferOperator):
    """One database directory, one object storage folder, and how to stream between them.

    :param chunk_bytes: bytes per round trip (1 MB to 256 MB); memory held is about one
        chunk. Default 8 MB.
    :param verify: ``checksum`` (default: the copy is read back and its SHA-256 compared) or
        ``size``.
    :param delete_source: delete the originals after every copy is verified. Default False.
    """

    def __init__(
        self,
        *,
        oracle_conn_id: str = "oracle_default",
        directory: str = "DATA_PUMP_DIR",
        chunk_bytes: int = transfer.DEFAULT_CHUNK_BYTES,
        verify: str = "checksum",
        delete_source: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.oracle_conn_id = oracle_conn_id
        self.directory = directory
        self.chunk_bytes = transfer.check_chunk_bytes(chunk_bytes)
        self.verify = transfer.check_verify(verify)
        self.delete_source = delete_source

    def _add_outlet(self, location: Any) -> None:
        """The folder's Asset joins the outlets when its URI is known before the run."""
        from airflow.sdk import Asset

        text = str(location)
        if "{{" not in text and "{%" not in text and "://" in text:
            parts = urllib.parse.urlsplit(text.rstrip("/"))
            # s3://aws_conn@bucket/key names a connection, not part of where the data is
            asset = Asset(uri=parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl())
            if all(getattr(o, "uri", None) != asset.uri for o in self.outlets):
                self.outlets = [*self.outlets, asset]

    def hook(self) -> DatapumpHook:
        return DatapumpHook(oracle_conn_id=self.oracle_conn_id, retry=RetryPolicy())


class DumpToObjectStorageOperator(_ObjectStorageOperator):
    """Upload a dump file set from a directory object to an object storage folder.

    :param destination: the folder, as an ``ObjectStoragePath`` or a URI
        (``s3://aws_default@bucket/dumps/hr``). (templated)
    :param dump_files: file names or templates in ``directory``. (templated)
    :param directory: the directory object holding them. (templated) Default DATA_PUMP_DIR.
    """

    template_fields: Sequence[str] = ("destination", "dump_files", "directory", "about")

    def __init__(self, *, destination: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.destination = destination
        self._add_outlet(destination)

    def execute(self, context: Any) -> dict[str, Any]:
        self.directory = names.identifier(self.directory, "directory")
        hook = self.hook()
        try:
            members = hook.upload_dump_files(
                self.directory,
                transfer.check_dump_files("dump_files", self.dump_files),
                self.destination,
                chunk_bytes=self.chunk_bytes,
                verify=self.verify,
                delete_source=self.delete_source,
            )
        finally:
            hook.close()
        result = transfer.summary(members, source=self.directory, destination=str(self.destination))
        return self._report(context, result)


class DumpFromObjectStorageOperator(_ObjectStorageOperator):
    """Download a dump file set from an object storage folder into a directory object.

    :param source: the folder, as an ``ObjectStoragePath`` or a URI. (templated)
    :param dump_files: file names or templates to fetch. (templated)
    :param directory: the directory object to write them to. (templated) Default DATA_PUMP_DIR.
    """

    template_fields: Sequence[str] = ("source", "dump_files", "directory", "about")

    def __init__(self, *, source: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source

    def execute(self, context: Any) -> dict[str, Any]:
        self.directory = names.identifier(self.directory, "directory")
        hook = self.hook()
        try:
            members = hook.download_dump_files(
                self.source,
                transfer.check_dump_files("dump_files", self.dump_files),
                self.directory,
                chunk_bytes=self.chunk_bytes,
                verify=self.verify,
                delete_source=self.delete_source,
            )
        finally:
            hook.close()
        result = transfer.summary(members, source=str(self.source), destination=self.directory)
        result["directory"] = self.directory
        return self._report(context, result)


__all__ = ["CopyDumpFilesOperator", "DumpFromObjectStorageOperator", "DumpToObjectStorageOperator"]
