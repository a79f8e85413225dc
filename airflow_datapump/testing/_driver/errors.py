"""python-oracledb exceptions, built the way python-oracledb builds them.

An engine error becomes python-oracledb's own ``_Error`` object inside the PEP 249 class the
real driver would choose, because ``_Error`` applies the driver's rules in one place: the code
tables that pick ``IntegrityError`` or ``OperationalError``, the cross reference that turns
ORA-03113 into DPY-4011, and the help URL thin mode appends. Reusing it keeps ``str(exc)``
identical to the real driver's instead of a hand-kept imitation.
"""

from __future__ import annotations

from typing import Any

from oracledb import errors as _ora_errors

from .engine import OracleErrorLike


def database_error(error: OracleErrorLike) -> Exception:
    """Return the exception python-oracledb raises for this server (or driver) error."""
    prefix = error.prefix.upper()
    width = 4 if prefix == "DPY" else 5
    message = error.message.rstrip()
    if not message.startswith(f"{prefix}-"):
        message = f"{prefix}-{error.code:0{width}d}: {message}"
    isrecoverable = bool(getattr(error, "isrecoverable", False))
    if prefix == "ORA":
        err = _ora_errors._Error(message, code=error.code, offset=error.offset, isrecoverable=isrecoverable)
    else:
        # DPY errors carry no server code; PLS codes must not be read as ORA codes.
        err = _ora_errors._Error(message, offset=error.offset, isrecoverable=isrecoverable)
        if prefix != "DPY":
            err.code = error.code
    exc: Exception = err.exc_type(err)
    return exc


def driver_error(error_num: int, **args: Any) -> Exception:
    """Return a driver-side (DPY) exception such as DPY-1001, exactly as the driver words it."""
    exc: Exception = _ora_errors._create_exception(error_num, **args)
    return exc


def is_session_dead(exc: BaseException) -> bool:
    """Whether python-oracledb would consider the connection lost after this error."""
    err = exc.args[0] if exc.args else None
    return bool(getattr(err, "is_session_dead", False))


NOT_CONNECTED = _ora_errors.ERR_NOT_CONNECTED
CURSOR_NOT_OPEN = _ora_errors.ERR_CURSOR_NOT_OPEN
NOT_A_QUERY = _ora_errors.ERR_NOT_A_QUERY
NO_STATEMENT = _ora_errors.ERR_NO_STATEMENT
EMPTY_STATEMENT = _ora_errors.ERR_EMPTY_STATEMENT
MIXED_BINDS = _ora_errors.ERR_MIXED_POSITIONAL_AND_NAMED_BINDS
WRONG_EXECUTE_PARAMETERS = _ora_errors.ERR_WRONG_EXECUTE_PARAMETERS_TYPE
WRONG_EXECUTEMANY_PARAMETERS = _ora_errors.ERR_WRONG_EXECUTEMANY_PARAMETERS_TYPE
ARGS_AND_KEYWORD_ARGS = _ora_errors.ERR_ARGS_AND_KEYWORD_ARGS
INVALID_ARRAYSIZE = _ora_errors.ERR_INVALID_ARRAYSIZE
MISSING_TYPE_NAME = _ora_errors.ERR_MISSING_TYPE_NAME_FOR_OBJECT_VAR
PYTHON_VALUE_NOT_SUPPORTED = _ora_errors.ERR_PYTHON_VALUE_NOT_SUPPORTED
PYTHON_TYPE_NOT_SUPPORTED = _ora_errors.ERR_PYTHON_TYPE_NOT_SUPPORTED
DB_TYPE_NOT_SUPPORTED = _ora_errors.ERR_DB_TYPE_NOT_SUPPORTED
EXPECTING_LIST_FOR_ARRAY_VAR = _ora_errors.ERR_EXPECTING_LIST_FOR_ARRAY_VAR
OBJECT_IS_NOT_A_COLLECTION = _ora_errors.ERR_OBJECT_IS_NOT_A_COLLECTION
INVALID_COLL_INDEX_GET = _ora_errors.ERR_INVALID_COLL_INDEX_GET
WRONG_OBJECT_TYPE = _ora_errors.ERR_WRONG_OBJECT_TYPE
POOL_NOT_OPEN = _ora_errors.ERR_POOL_NOT_OPEN
POOL_HAS_BUSY_CONNECTIONS = _ora_errors.ERR_POOL_HAS_BUSY_CONNECTIONS
POOL_NO_CONNECTION_AVAILABLE = _ora_errors.ERR_POOL_NO_CONNECTION_AVAILABLE
POOL_MAX_LESS_THAN_MIN = _ora_errors.ERR_POOL_MAX_LESS_THAN_MIN
CONNECTION_FAILED = _ora_errors.ERR_CONNECTION_FAILED
LISTENER_REFUSED_CONNECTION = _ora_errors.ERR_LISTENER_REFUSED_CONNECTION
INVALID_CONNECT_PARAMS = _ora_errors.ERR_INVALID_CONNECT_PARAMS
NAMED_POOL_EXISTS = _ora_errors.ERR_NAMED_POOL_EXISTS
