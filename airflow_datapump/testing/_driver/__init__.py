"""The emulated python-oracledb driver: DB-API objects over an :class:`Engine`.

Exceptions raised are python-oracledb's own classes::

    oracledb.Error
    ├── oracledb.InterfaceError        DPY-1xxx (DPY-1001: not connected to database)
    └── oracledb.DatabaseError         ORA-xxxxx and DPY-4xxx
        ├── oracledb.ProgrammingError  DPY-2xxx
        ├── oracledb.NotSupportedError DPY-3xxx
        ├── oracledb.IntegrityError    ORA-00001, ORA-02291 ...
        └── oracledb.OperationalError  DPY-6xxx, ORA-01013, ORA-01033 ...
"""

from .connection import AsyncConnection, Connection
from .cursor import AsyncCursor, Cursor
from .dbobject import DbObject, DbObjectAttr, DbObjectType
from .engine import (
    ColumnDescription,
    ConnectRequest,
    Engine,
    EngineError,
    OracleErrorLike,
    SessionRef,
    SessionUpdate,
    StatementKind,
    StatementResult,
)
from .errors import database_error
from .lob import LOB, AsyncLOB
from .patching import EmulatorPatch
from .pool import AsyncConnectionPool, ConnectionPool
from .var import Var

__all__ = [
    "LOB",
    "AsyncConnection",
    "AsyncConnectionPool",
    "AsyncCursor",
    "AsyncLOB",
    "ColumnDescription",
    "ConnectRequest",
    "Connection",
    "ConnectionPool",
    "Cursor",
    "DbObject",
    "DbObjectAttr",
    "DbObjectType",
    "EmulatorPatch",
    "Engine",
    "EngineError",
    "OracleErrorLike",
    "SessionRef",
    "SessionUpdate",
    "StatementKind",
    "StatementResult",
    "Var",
    "database_error",
]
