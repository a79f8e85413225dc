"""Operators that have the database move a dump file set to or from object storage itself.

No bytes pass through the worker: on Oracle Autonomous Database (and 19c+ with DBMS_CLOUD
installed) DBMS_CLOUD.PUT_OBJECT/GET_OBJECT copy each member; on Amazon RDS for Oracle the
instance's S3 tasks do, and the operator polls the task's log in the worker every
``poll_interval`` seconds. The rules are those of the other transfer operators
(operators/transfer.py): every member of the sets, nothing deleted before its copy is
verified, a JSON summary returned and put in the Asset events of the outlets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_datapump.core import cloud, transfer
from airflow_datapump.core.coerce import as_seconds
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators._fields import check_choice
from airflow_datapump.operators._password import mask_par
from airflow_datapump.operators.transfer import _TransferOperator

DIRECTIONS = ("upload", "download")


class _InDatabaseOperator(_TransferOperator):
    def __init__(
        self,
        *,
        direction: str,
        oracle_conn_id: str = "oracle_default",
        directory: str = "DATA_PUMP_DIR",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        check_choice("direction", direction, DIRECTIONS)
        self.direction = direction
        self.oracle_conn_id = oracle_conn_id
        self.directory = directory

    def _summary(self, members: list[transfer.MemberCopy], remote: str, context: Any) -> dict[str, Any]:
        here = f"{self.oracle_conn_id}:{self.directory}"
        source, destination = (here, remote) if self.direction == "upload" else (remote, here)
        result = transfer.summary(members, source=source, destination=destination)
        if self.direction == "download":
            result["directory"] = self.directory
        return self._report(context, result)


class DbmsCloudTransferOperator(_InDatabaseOperator):
    """Upload or download a dump file set with DBMS_CLOUD (Autonomous Database, 19c+ where installed).

    :param direction: ``upload`` (directory to object storage) or ``download``.
    :param object_uri: the https URI of the object storage folder, e.g.
        ``https://objectstorage.<region>.oraclecloud.com/n/<namespace>/b/<bucket>/o/refresh``.
        (templated)
        A pre-authenticated request URI (``.../p/<token>/n/...``) is a secret: its token is
        masked in the task log (Airflow's secrets masker) from the moment the URI is given or
        rendered, and XCom, the rendered fields and Asset events carry ``/p/***/``. Give it
        through a template (``{{ conn.par.password }}``, a Variable) so that the DAG file and
        the serialized DAG do not hold it.
    :param credential_name: a DBMS_CLOUD credential of the connecting user (CREATE_CREDENTIAL),
        or None for a resource principal or a pre-authenticated request URI. (templated)
    :param dump_files: file names or templates (``hr_%U.dmp``). (templated)
    :param directory: the directory object. (templated) Default DATA_PUMP_DIR.
    :param delete_source: delete the originals after every copy is verified. Default False.
    """

    template_fields: Sequence[str] = ("object_uri", "credential_name", "dump_files", "directory", "about")

    def __init__(
        self, *, object_uri: str, credential_name: str | None, delete_source: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.object_uri = object_uri
        self.credential_name = credential_name
        self.delete_source = delete_source
        mask_par(object_uri)

    def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
        """Rendering may bring a pre-authenticated URI in: mask it before the rendered fields
        are stored, then keep the clear URI apart (for the database call) and show the redacted one."""
        super().render_template_fields(context, jinja_env)
        mask_par(self.object_uri)
        self._clear_uri = self.object_uri
        self.object_uri = (
            cloud.redacted_uri(self.object_uri) if isinstance(self.object_uri, str) else self.object_uri
        )

    def execute(self, context: Any) -> dict[str, Any]:
        files = transfer.check_dump_files("dump_files", self.dump_files)
        hook = DatapumpHook(oracle_conn_id=self.oracle_conn_id, retry=RetryPolicy())
        try:
            uri = getattr(self, "_clear_uri", self.object_uri)
            if self.direction == "upload":
                members = hook.cloud_upload_dump_files(
                    self.directory, files, uri,
                    credential_name=self.credential_name, delete_source=self.delete_source,
                )  # fmt: skip
            else:
                members = hook.cloud_download_dump_files(
                    uri, files, self.directory,
                    credential_name=self.credential_name, delete_source=self.delete_source,
                )  # fmt: skip
        finally:
            hook.close()
        return self._summary(members, cloud.redacted_uri(uri), context)


class RdsS3TransferOperator(_InDatabaseOperator):
    """Upload or download a dump file set with Amazon RDS for Oracle's S3 integration tasks.

    :param direction: ``upload`` (directory to S3) or ``download``.
    :param bucket_name: the S3 bucket the instance's S3_INTEGRATION role reaches. (templated)
    :param s3_prefix: the key prefix, e.g. ``refresh/hr/``. (templated) Default ''.
    :param dump_files: file names or templates (``hr_%U.dmp``). (templated)
    :param directory: the directory object. (templated) Default DATA_PUMP_DIR.
    :param delete_source: upload only: delete the originals after every task succeeded.
    :param replace_existing: download only: delete members already in the directory first
        (RDS would skip them and keep files it cannot verify). Default False.
    :param poll_interval: seconds between reads of the task's log. Default 10.
    :param timeout: seconds to wait for one task. Default 3600.
    """

    template_fields: Sequence[str] = ("bucket_name", "s3_prefix", "dump_files", "directory", "about")

    def __init__(
        self,
        *,
        bucket_name: str,
        s3_prefix: str = "",
        delete_source: bool = False,
        replace_existing: bool = False,
        poll_interval: float = 10.0,
        timeout: float = 3600.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.bucket_name = bucket_name
        self.s3_prefix = s3_prefix
        self.delete_source = delete_source
        self.replace_existing = replace_existing
        self.poll_interval = as_seconds(poll_interval, "poll_interval")
        self.timeout = as_seconds(timeout, "timeout")

    def execute(self, context: Any) -> dict[str, Any]:
        files = transfer.check_dump_files("dump_files", self.dump_files)
        hook = DatapumpHook(oracle_conn_id=self.oracle_conn_id, retry=RetryPolicy())
        waiting = {"poll_interval": self.poll_interval, "timeout": self.timeout}
        try:
            if self.direction == "upload":
                members = hook.rds_upload_dump_files(
                    self.directory, files, self.bucket_name,
                    s3_prefix=self.s3_prefix, delete_source=self.delete_source, **waiting,
                )  # fmt: skip
            else:
                members = hook.rds_download_dump_files(
                    self.bucket_name, files, self.directory,
                    s3_prefix=self.s3_prefix, replace_existing=self.replace_existing, **waiting,
                )  # fmt: skip
        finally:
            hook.close()
        return self._summary(members, f"s3://{self.bucket_name}/{self.s3_prefix}", context)


__all__ = ["DbmsCloudTransferOperator", "RdsS3TransferOperator"]
