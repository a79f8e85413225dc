"""Entry points: parse (cached by text), run against a Runtime, report errors as Oracle does."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

from airflow_datapump.testing._plsql import ddl
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql import sqlnodes as s
from airflow_datapump.testing._plsql.control import ReturnFrom
from airflow_datapump.testing._plsql.cstmt import StmtCompiler
from airflow_datapump.testing._plsql.errors import MESSAGES, OracleError, internal_error, ora, ora_line
from airflow_datapump.testing._plsql.lexer import LexError, Token, tokenize
from airflow_datapump.testing._plsql.parse_plsql import PlsqlParser
from airflow_datapump.testing._plsql.places import bind_type
from airflow_datapump.testing._plsql.runtime import Runtime, transaction_control
from airflow_datapump.testing._plsql.scope import CompileError, Env, FrameLayout, Machine, Scope
from airflow_datapump.testing._plsql.tokens import ParseError
from airflow_datapump.testing._values import Bind, DataType, Value

_DML_WORDS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
_DDL_WORDS = ("CREATE", "ALTER", "DROP", "GRANT", "REVOKE")


@dataclass(frozen=True)
class ParsedStatement:
    """A parsed statement; ``kind`` is PLSQL, SELECT, DML, DDL, COMMIT or ROLLBACK."""

    text: str
    kind: str
    node: n.Block | s.SqlStatement
    bind_names: tuple[str, ...]


@dataclass
class ExecutionResult:
    statement_kind: str
    columns: list[tuple[str, DataType]] | None = None
    rows: list[tuple[Value, ...]] = field(default_factory=list)
    rowcount: int = 0
    not_null: frozenset[int] = frozenset()  # positions of columns that cannot be null


def _pls_103(token: Token, expected: tuple[str, ...]) -> OracleError:
    symbol = token.text if token.kind != "STR" else f"'{token.value}'"
    lines = [
        ora_line(6550, token.line, token.col),
        f'PLS-00103: Encountered the symbol "{symbol.upper() if token.kind == "ID" else symbol}" '
        "when expecting one of the following:",
        "",
        "   " + " ".join(expected),
    ]
    return OracleError(6550, "\n".join(lines))


def _sql_parse_error(err: ParseError) -> OracleError:
    code = err.sql_code
    if code == 933 and err.token.is_op(";"):
        code = 911
    if code in MESSAGES and "%s" in MESSAGES[code]:
        return ora(code, f'"{err.token.text}"')
    return ora(code)


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> ParsedStatement:
    """Parse one statement as python-oracledb sends it (no trailing '/' or SQL ';')."""
    try:
        tokens = tokenize(text)
    except LexError as err:
        raise ora(err.code) from err
    first = tokens[0]
    if first.is_kw("DECLARE", "BEGIN") or first.is_op("<<"):
        names = tuple(dict.fromkeys(str(t.value) for t in tokens if t.kind == "BIND"))
        parser = PlsqlParser(tokens, text)
        try:
            label = None
            if parser.accept_op("<<"):
                label = parser.ident()
                parser.expect_op(">>")
            block = parser.block(label)
            if parser.cur.kind != "EOF":
                raise parser.error("end-of-file")
        except ParseError as err:
            raise _pls_103(err.token, err.expected) from err
        return ParsedStatement(text, "PLSQL", block, names)
    tokens = _occurrences_apart(tokens)
    names = tuple(str(t.value) for t in tokens if t.kind == "BIND")
    parser = PlsqlParser(tokens, text)
    parser.in_plsql = False
    try:
        kind, node = _sql_statement(parser, first)
        if parser.cur.kind != "EOF":
            raise parser.error(sql_code=933)
    except ParseError as err:
        raise _sql_parse_error(err) from err
    return ParsedStatement(text, kind, node, names)


#: Joins a bind name to the number of its occurrence in a SQL statement (never in a name).
OCCURRENCE = "\x1f"


def _occurrences_apart(tokens: list[Token]) -> list[Token]:
    """Give each repeated placeholder of a SQL statement a name of its own.

    In SQL, Oracle binds by position: every occurrence is a placeholder of its own
    (``select :a, :a from dual`` takes two values), and python-oracledb sends one value per
    occurrence, repeating a named one. In PL/SQL one name is one placeholder. The second ``:A``
    becomes ``A<US>2``; a value bound by name reaches every occurrence (see _normalise_binds).
    """
    seen: dict[str, int] = {}
    out: list[Token] = []
    for token in tokens:
        if token.kind == "BIND":
            name = str(token.value)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                token = dataclasses.replace(token, value=f"{name}{OCCURRENCE}{seen[name]}")
        out.append(token)
    return out


def _sql_statement(parser: PlsqlParser, first: Token) -> tuple[str, s.SqlStatement]:
    if first.is_kw("SELECT", "WITH") or first.is_op("("):
        return "SELECT", parser.query()
    if first.is_kw(*_DML_WORDS):
        return "DML", parser.dml()
    if first.is_kw("COMMIT", "ROLLBACK", "SAVEPOINT"):
        node = parser.transaction_control()
        return node.action, node
    if first.is_kw(*_DDL_WORDS):
        return "DDL", parser.ddl_statement()
    if first.is_kw("MERGE"):
        raise ora(3001)
    raise ora(900)


def _normalise_binds(parsed: ParsedStatement, binds: dict[str, Bind]) -> dict[str, Bind]:
    wanted = set(parsed.bind_names)
    normalised = {(k if k in wanted else k.upper()): v for k, v in binds.items()}
    for name in parsed.bind_names:  # a later occurrence in SQL takes the value bound by name
        base = name.partition(OCCURRENCE)[0]
        if name not in normalised and base != name and base in normalised:
            normalised[name] = normalised[base]
    if any(name not in normalised for name in parsed.bind_names):
        raise ora(1008)
    if any(name not in wanted for name in normalised):
        raise ora(1036)
    return normalised


def run(parsed: ParsedStatement, binds: dict[str, Bind], runtime: Runtime) -> ExecutionResult:
    """Execute a parsed statement. Only :class:`OracleError` ever escapes."""
    try:
        machine = Machine(runtime, _normalise_binds(parsed, binds))
        with runtime.statement():  # a client's call, or EXECUTE IMMEDIATE's, is one statement
            return _dispatch(parsed, machine)
    except OracleError:
        raise
    except Exception as exc:
        raise internal_error(exc) from exc


def run_nested(parsed: ParsedStatement, binds: dict[str, Bind], m: Machine) -> ExecutionResult:
    """EXECUTE IMMEDIATE: a statement of its own, in the same session."""
    return run(parsed, binds, m.runtime)


def execute(text: str, binds: dict[str, Bind], runtime: Runtime) -> ExecutionResult:
    try:
        parsed = parse(text)
    except OracleError:
        raise
    except Exception as exc:
        raise internal_error(exc) from exc
    return run(parsed, binds, runtime)


def returning_binds(text: str) -> int:
    """How many placeholders, the last ones, a DML statement's RETURNING INTO assigns; 0 for
    any other statement, or one that does not parse."""
    try:
        node = parse(text).node
    except OracleError:
        return 0
    returning = node.returning if isinstance(node, s.Insert | s.Update | s.Delete) else None
    return len(returning.targets) if returning is not None else 0


def _compile_failure(errors: list[tuple[n.Pos, str]]) -> OracleError:
    lines: list[str] = []
    for (line, col), text in errors:
        lines += [ora_line(6550, line, col), text]
    return OracleError(6550, "\n".join(lines))


def sql_failure(err: CompileError) -> OracleError:
    """A compile error of a SQL statement, as SQL reports it: an ORA line as it is, and a PL/SQL
    one (a call SQL makes to a PL/SQL function) inside ORA-06553, its number unpadded."""
    text = err.text
    if text.startswith("ORA-"):
        return OracleError(int(text[4:9]), text)
    if text.startswith("PLS-"):
        number, _, rest = text[4:].partition(": ")
        return OracleError(6553, ora_line(6553, int(number), rest))
    return ora(904, '"?"') if not text else OracleError(6550, text)


def _dispatch(parsed: ParsedStatement, m: Machine) -> ExecutionResult:
    compiler = StmtCompiler(m.runtime, {k: bind_type(b) for k, b in m.binds.items()})
    scope = Scope(None, 0, FrameLayout())
    node = parsed.node
    if isinstance(node, n.Block):
        program = compiler.block(node, scope)
        if compiler.errors:
            raise _compile_failure(compiler.errors)
        return _run_block(program, m)
    if isinstance(node, s.TransactionSql):
        transaction_control(m.runtime, node.action, node.savepoint)
        return ExecutionResult(node.action)
    try:
        if isinstance(node, s.Query):
            query = compiler.query(node, scope)
            rows = query.run(Env(m, None))
            return ExecutionResult("SELECT", query.columns, rows, len(rows), query.not_null)
        if isinstance(node, s.Insert | s.Update | s.Delete | s.Truncate):
            count = compiler.dml(node, scope)(Env(m, None))
            return ExecutionResult("DML", rowcount=count)
        return _run_ddl(node, compiler, scope, m)
    except CompileError as err:
        raise sql_failure(err) from err


def _run_block(program: object, m: Machine) -> ExecutionResult:
    env = Env(m, None)
    assert callable(program)
    try:
        program(env)
    except ReturnFrom:
        pass
    except OracleError as err:
        if err.raise_line is None:
            err.raise_line = env.line
        err.add_line(ora_line(6512, "", env.line))
        raise
    return ExecutionResult("PLSQL")


def _run_ddl(node: ddl.DdlStatement, compiler: StmtCompiler, scope: Scope, m: Machine) -> ExecutionResult:
    if isinstance(node, ddl.CreateTable) and node.as_query is not None:
        query = compiler.query(node.as_query, scope)
        rows = query.run(Env(m, None))
        columns = tuple(ddl.ColumnDef(name, t) for name, t in query.columns)
        node = dataclasses.replace(node, columns=columns, rows=tuple(rows))
    m.runtime.execute_ddl(node)
    return ExecutionResult("DDL")
