"""The "Data Pump job" extra link on Export and Import tasks.

Airflow 3 computes extra links on the worker when a task run ends (also when it defers) and
keeps the URL in XCom, so the link is built from the operator that ran: the job it submitted
or found, or, for a task that resumed after deferring, the job named in its XCom summary.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from airflow.sdk import BaseOperatorLink

from airflow_datapump._compat import conf

#: Where the plugin mounts the page in the api-server.
PAGE_PATH = "/datapump/"


def page_url(
    connection_id: str,
    owner: str | None = None,
    job_name: str | None = None,
    *,
    log_directory: str | None = None,
    log_file: str | None = None,
) -> str:
    """The page's URL (under the api-server's base path), opened at one job when it is named.

    The job's log is named too when known: a job whose log is not where the operators put it
    by default (another directory, a chosen file name) shows its log and its run stamp.
    """
    base = urlsplit(conf.get("api", "base_url", fallback="") or "").path.rstrip("/")
    query: list[tuple[str, str]] = [("conn", connection_id)]
    if owner and job_name:
        query += [("owner", owner), ("job", job_name)]
        query += [(k, v) for k, v in (("dir", log_directory), ("log", log_file)) if v]
    return f"{base}{PAGE_PATH}?{urlencode(query)}"


class DatapumpJobLink(BaseOperatorLink):
    """Opens the Data Pump page at the task's job."""

    name = "Data Pump job"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        connection_id = getattr(operator, "oracle_conn_id", None)
        if not connection_id:
            return ""
        job = getattr(operator, "_job", None)
        if job is not None:
            where = {"log_directory": job.log_directory, "log_file": job.log_file}
            return page_url(connection_id, job.owner, job.job_name, **where)
        summary = _summary(ti_key)
        where = {"log_directory": summary.get("log_directory"), "log_file": summary.get("log_file")}
        return page_url(connection_id, summary.get("owner"), summary.get("job_name"), **where)


def _summary(ti: Any) -> dict[str, Any]:
    """The XCom summary a finished run left (``ti_key`` is the running task instance)."""
    pull = getattr(ti, "xcom_pull", None)
    if not callable(pull):
        return {}
    try:
        value = pull(task_ids=ti.task_id, key="return_value")
    except Exception:  # no XCom backend reachable here: a link to the page is still useful
        return {}
    return value if isinstance(value, dict) else {}
