"""The language engine of the emulated Oracle database: PL/SQL and SQL text, executed.

``execute(text, binds, runtime)`` parses (cached by text), compiles the whole statement
(resolving every name and checking every call, as Oracle does before running anything) and
runs it. Everything outside the language (packages, schema types, tables, DDL, the clock, the
session) comes from a :class:`Runtime`. Errors are :class:`OracleError` with Oracle's code,
prefix and full message stack; a Python bug surfaces as ORA-00600, never as a stray exception.

Supported
    * Anonymous blocks ``[<<label>>] [DECLARE ...] BEGIN ... [EXCEPTION ...] END [label];``.
    * Declarations: scalar variables (NUMBER[(p[,s])], INTEGER, PLS_INTEGER, BINARY_INTEGER,
      NATURAL, POSITIVE, SIMPLE_INTEGER, VARCHAR2(n [BYTE|CHAR]), VARCHAR, CHAR, DATE,
      TIMESTAMP, BOOLEAN, CLOB, BLOB, BFILE, RAW), ``%TYPE``, ``table%ROWTYPE``, named types
      from the Runtime (``ku$_Status``, ``SYS.KU$_STATUS1120``) and packages
      (``UTL_FILE.FILE_TYPE``), CONSTANT, NOT NULL, ``:=``/DEFAULT, exceptions with PRAGMA
      EXCEPTION_INIT, local TABLE OF [INDEX BY], VARRAY and RECORD types, nested procedures
      and functions (IN / OUT / IN OUT, defaults, overloading, recursion).
    * Statements: NULL, assignment to any chain (``st.a.b(i).c``, ``:bind``), procedure calls
      in positional, named and mixed notation, IF, CASE (simple/searched, ORA-06592), LOOP,
      WHILE, numeric FOR [REVERSE], cursor FOR over an inline SELECT, EXIT/CONTINUE [label]
      [WHEN], RETURN, RAISE [name], nested blocks, EXECUTE IMMEDIATE [INTO] [USING [IN|OUT|IN
      OUT]], SELECT INTO, INSERT/UPDATE/DELETE with SQL%ROWCOUNT/%FOUND/%NOTFOUND, COMMIT,
      ROLLBACK, RAISE_APPLICATION_ERROR (range check, 2048-byte message, keep_errors).
    * Expressions: literals (incl. q'[...]', DATE '...'), arithmetic in Decimal, ``||``,
      comparisons, IS [NOT] NULL, [NOT] LIKE/IN/BETWEEN, three-valued AND/OR/NOT, CASE,
      function calls, constructors, collection methods, SQLCODE, SQLERRM[(n)], STANDARD
      functions (see :mod:`.builtins`), DBMS_UTILITY.FORMAT_ERROR_STACK/_BACKTRACE/GET_TIME
      and a silent DBMS_OUTPUT when the Runtime supplies no package of that name.
    * SQL: SELECT [DISTINCT] with joins (comma, [INNER] JOIN, LEFT [OUTER] JOIN, CROSS JOIN),
      inline views, DUAL, WHERE, GROUP BY, HAVING, COUNT/SUM/MIN/MAX/AVG [DISTINCT], ORDER BY
      (expressions, aliases, positions, NULLS FIRST/LAST with Oracle's defaults), OFFSET,
      FETCH FIRST; ROWNUM and hierarchical queries (CONNECT BY with PRIOR, START WITH, LEVEL;
      see :mod:`.sqlhier`); scalar, IN and EXISTS subqueries (correlated too); INSERT VALUES/SELECT,
      UPDATE, DELETE, TRUNCATE; DDL/DCL parsed into :mod:`.ddl` nodes for the Runtime.
    * Compile errors before execution: PLS-00201, 00302, 00306, 00307, 00363, 00221, 00222,
      00382, 00204 (DECODE and aggregates outside SQL), 00103 syntax errors, 00999 for
      unsupported constructs, and "PL/SQL: ORA-nnnnn" for SQL inside PL/SQL; every error
      found is reported, each as a pair of ORA-06550 lines.

Deliberately not supported (fail loudly): GOTO, MERGE (ORA-03001 / PLS-00999), explicit
cursors (CURSOR, OPEN, FETCH, CLOSE; OPEN ... FOR of a SYS_REFCURSOR is supported), FORALL,
SUBTYPE, set operators (UNION ...),
WITH, CONNECT BY NOCYCLE and over a comma join (ORA-03001), SYS_CONNECT_BY_PATH,
CONNECT_BY_ROOT/ISLEAF and ORDER SIBLINGS BY, ROWNUM outside SELECT, analytic functions,
forward declarations, subscripting a bind
directly (``:arr(1)``: PLS-00103, because Oracle's behaviour there is not documented),
declaring TIMESTAMP WITH TIME ZONE (SYSTIMESTAMP, CURRENT_TIMESTAMP and TO_TIMESTAMP_TZ
return that type) and INTERVAL types.

Uncertain in Oracle, chosen here
    * Reading an attribute of an atomically NULL object yields NULL (assigning one raises
      ACCESS_INTO_NULL), following the PL/SQL documentation.
    * Overload resolution scores each candidate (same type family beats implicit
      conversion) rather than reproducing Oracle's full ranking rules; a NULL literal that fits
      several overloads equally is PLS-00307.
    * EXECUTE IMMEDIATE binds USING arguments to the distinct placeholder names in order of
      first appearance (Oracle binds SQL placeholders by position of every occurrence).
    * ORA-06512 lines name the line of the statement running in each frame when the error
      left it; nested procedures report ``at line N`` like the anonymous block.
    * Not-GROUP-BY expressions in an aggregate query are not rejected (ORA-00979).
    * CHAR length semantics is recorded in ``ScalarType.name`` ("VARCHAR2 CHAR").
"""

from airflow_datapump.testing._plsql.engine import (
    ExecutionResult,
    ParsedStatement,
    execute,
    parse,
    run,
)
from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line
from airflow_datapump.testing._plsql.lexer import bind_names
from airflow_datapump.testing._plsql.packages import (
    CallContext,
    PackageSpec,
    Param,
    Subprogram,
    package_error,
)
from airflow_datapump.testing._plsql.runtime import Runtime, TableSource

__all__ = [
    "CallContext",
    "ExecutionResult",
    "OracleError",
    "PackageSpec",
    "Param",
    "ParsedStatement",
    "Runtime",
    "Subprogram",
    "TableSource",
    "bind_names",
    "execute",
    "ora",
    "ora_line",
    "package_error",
    "parse",
    "run",
]
