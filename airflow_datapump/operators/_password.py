"""The encryption password of an operator: taken apart from the template fields, rendered late.

Airflow stores template fields in the serialized DAG and, rendered, in the metadata database,
so the password never stays in ``parameters`` whatever shape that takes (a mapping, a list of
pairs or of :class:`Parameter`). It is kept on the operator as a :class:`Secret`, or as its
template text until the task runs: a template is not a secret, its rendering is, so it is
rendered only when the job is built, then wrapped and masked in the task log at once. The
Variable named by ``encryption_password_variable`` is read at that moment too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from airflow_datapump.core.parts import Parameter
from airflow_datapump.core.secret import MASK, Secret
from airflow_datapump.exceptions import SpecError
from airflow_datapump.operators._fields import templated

if TYPE_CHECKING:
    from airflow.sdk import Context

# Stands in for a password known only at run time, when a DAG is checked at parse.
STAND_IN = Secret("stand-in, never submitted")
Given = Secret | str | None  # a Secret, or the text of a template


def take(arguments: dict[str, Any]) -> Given:
    """Pop the password from the job arguments, from ``encryption_password`` or
    ``parameters``; a template stays text until :func:`for_run` renders it."""
    password = arguments.pop("encryption_password", None)
    rest, from_parameters = split(arguments.get("parameters"))
    if from_parameters is not None:
        if password is not None:
            raise SpecError("parameters.ENCRYPTION_PASSWORD", MASK, "the password only once")
        arguments["parameters"], password = rest, from_parameters
    if isinstance(password, str) and not templated(password):
        password = Secret(password)
    if password is not None and not isinstance(password, Secret | str):
        raise SpecError("encryption_password", MASK, "a string, a template, or a Secret")
    return password


def split(parameters: Any) -> tuple[Any, Any]:
    """``parameters`` without ENCRYPTION_PASSWORD, and that password (None when absent), for
    every shape ``parameters`` takes: a mapping, or a list of pairs or :class:`Parameter`."""
    if isinstance(parameters, Mapping):
        keys = [k for k in parameters if _is_password(k)]
        if not keys:
            return parameters, None
        if len(keys) > 1:
            raise SpecError("parameters.ENCRYPTION_PASSWORD", MASK, "the password only once")
        return {k: v for k, v in parameters.items() if k != keys[0]}, parameters[keys[0]]
    if isinstance(parameters, list | tuple):
        found = [item for item in parameters if _is_password(_parameter_name(item))]
        if not found:
            return parameters, None
        if len(found) > 1:
            raise SpecError("parameters.ENCRYPTION_PASSWORD", MASK, "the password only once")
        kept = [item for item in parameters if item is not found[0]]
        item = found[0]
        return kept, item.value if isinstance(item, Parameter) else item[1]
    return parameters, None


def _parameter_name(item: Any) -> Any:
    if isinstance(item, Parameter):
        return item.name
    if isinstance(item, list | tuple) and len(item) == 2:
        return item[0]
    return None


def _is_password(name: Any) -> bool:
    return isinstance(name, str) and name.strip().upper() == "ENCRYPTION_PASSWORD"


def to_check(given: Given, variable: str | None) -> Secret | None:
    """The password when it is known, a stand-in when it is only known at run time: for
    checks that submit nothing."""
    if isinstance(given, Secret):
        return given
    return STAND_IN if given is not None or variable else None


def for_run(operator: Any, given: Given, variable: str | None, context: Any) -> Secret | None:
    """This run's password: given, rendered from its template, or read from the Variable;
    masked in the task log from here on."""
    from airflow.sdk.log import mask_secret

    value = given
    if isinstance(value, str):
        value = Secret(_text(operator.render_template(value, cast("Context", context or {}))))
    if value is None and variable:
        from airflow.sdk import Variable

        value = Secret(_text(Variable.get(variable)))
    if value is not None and not value.is_redacted:
        mask_secret(value.reveal())
    return value


def after_rendering(operator: Any, given: Given) -> Given:
    """Take a password that rendering put into ``parameters`` out again, before Airflow
    stores the rendered fields; returns the password the operator now has."""
    rest, password = split(getattr(operator, "parameters", None))
    if password is None:
        return given
    if given is not None:
        raise SpecError("parameters.ENCRYPTION_PASSWORD", MASK, "the password only once")
    operator.parameters = rest
    return password if isinstance(password, Secret) else Secret(_text(password))


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise SpecError("encryption_password", MASK, "a template or Variable that gives a non-empty string")
    return value


def mask_par(uri: object) -> None:
    """Register a pre-authenticated request's token with Airflow's secrets masker: whoever
    holds it reads (or writes) the bucket, so it is a secret wherever the URI shows."""
    from airflow_datapump.core import cloud

    token = cloud.par_token(uri) if isinstance(uri, str) else None
    if token:
        from airflow.sdk.log import mask_secret

        mask_secret(token)


def mask_pars(value: object) -> None:
    """Mask the tokens of every URI in a dump file list (a list, or one string)."""
    for item in [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else ():
        mask_par(item)
