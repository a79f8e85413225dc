"""Control-flow signals and the raising of PL/SQL exceptions."""

from __future__ import annotations

from airflow_datapump.testing._plsql.errors import OracleError, ora_line, sqlerrm
from airflow_datapump.testing._values import Value


class ExitLoop(Exception):  # noqa: N818 - a signal, not an error
    """EXIT or CONTINUE travelling to the loop it names (``label`` None: the innermost)."""

    def __init__(self, label: str | None, is_continue: bool) -> None:
        super().__init__(label)
        self.label = label
        self.is_continue = is_continue


class ReturnFrom(Exception):  # noqa: N818 - a signal, not an error
    """RETURN leaving the current subprogram (or the anonymous block)."""

    def __init__(self, value: Value) -> None:
        super().__init__()
        self.value = value


def exception_error(code: int | None, ident: object | None, line: int) -> OracleError:
    """The error RAISE name produces: a code-less user exception is ORA-06510 when unhandled."""
    if code is None:
        err = OracleError(6510, ora_line(6510), ident=ident)
    else:
        # a code the program chose (PRAGMA EXCEPTION_INIT): Oracle's text, or its "not found"
        err = OracleError(code, sqlerrm(-code), ident=ident)
    err.raise_line = line
    return err


def handler_matches(err: OracleError, code: int | None, ident: object | None) -> bool:
    if ident is not None and err.ident is ident:
        return True
    return code is not None and err.code == code and not (err.ident is not None and code == 6510)
