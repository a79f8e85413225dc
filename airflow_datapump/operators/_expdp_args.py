"""``parfile=``, ``expdp_args=`` and ``impdp_args=``: an operator's job written as expdp/impdp takes it.

They are another way to describe the whole job, so they exclude the other job arguments;
``encryption_password`` (or ``encryption_password_variable``) answers
``ENCRYPTION_PWD_PROMPT=YES``, and ``delete_dump_files`` (a step after the job, which no impdp
parameter says) is kept. All three are templated. A parameter file is read when the
task runs, on the worker, as expdp reads it on the client; the other parameters are also
checked when the DAG is parsed if not templated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_datapump.core import expdp, expdp_syntax
from airflow_datapump.core.secret import Secret
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.exceptions import SpecError

NAMES = ("parfile", "expdp_args", "impdp_args")


def given(arguments: Mapping[str, Any]) -> bool:
    return any(arguments.get(name) is not None for name in NAMES)


def spec(operation: str, arguments: Mapping[str, Any], *, password: Secret | None = None) -> JobSpec:
    """The job the arguments describe, its parameter file read now.

    ``password`` (``encryption_password`` or ``encryption_password_variable``) answers
    ``ENCRYPTION_PWD_PROMPT=YES`` in the parameters.
    """
    tool = _check(operation, arguments)
    parfile = arguments.get("parfile")
    text = "" if parfile is None else expdp.read_parfile(str(parfile))
    command = arguments.get(f"{tool}_args") or ()
    return expdp.parse(
        tool,
        parfile_text=text,
        command=command,
        encryption_password=password,
        delete_dump_files=bool(arguments.get("delete_dump_files")),
    )


def check_at_parse(
    operation: str, arguments: Mapping[str, Any], *, password: Secret | None, templated: bool
) -> None:
    """Check what can be checked while the DAG is parsed: no parameter file is read then.

    Which arguments were given is known even when the expdp/impdp text is a template, so a
    combination that can never run fails here, not after the tasks before this one have run.
    """
    _check(operation, arguments)
    if operation != "IMPORT" and arguments.get("delete_dump_files"):
        raise SpecError("delete_dump_files", True, "only for a file-based import")
    if arguments.get("parfile") is None and not templated:
        spec(operation, arguments, password=password)


def _check(operation: str, arguments: Mapping[str, Any]) -> str:
    tool = "expdp" if operation == "EXPORT" else "impdp"
    _no_password_in(f"{tool}_args", arguments.get(f"{tool}_args"))
    wrong = "impdp_args" if tool == "expdp" else "expdp_args"
    if arguments.get(wrong) is not None:
        raise SpecError(wrong, arguments[wrong], f"{tool}_args: this operator runs {tool}")
    allowed = (*NAMES, "mode", "delete_dump_files")
    others = [k for k, v in arguments.items() if v is not None and k not in allowed]
    if others:
        raise SpecError(
            others[0], arguments[others[0]], f"not with {', '.join(NAMES)}: they describe the whole job"
        )
    return tool


def _no_password_in(field: str, words: Any) -> None:
    """A template field is stored rendered, so it may hold no password (a parameter file may)."""
    if words is None or (isinstance(words, str) and "{{" in words):
        return
    for entry in expdp_syntax.read(expdp_syntax.command_line_text(words), comments=False):
        if entry.keyword.upper() == "ENCRYPTION_PASSWORD":
            raise SpecError(
                field,
                "ENCRYPTION_PASSWORD=***",
                "no password here (Airflow stores rendered template fields): write "
                "ENCRYPTION_PWD_PROMPT=YES and give encryption_password_variable",
            )
