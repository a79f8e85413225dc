"""Oracle-style errors: one exception class that carries the whole error stack.

Oracle reports an error as a stack of lines (the error, then ``ORA-06512`` lines for every
frame it left). The driver exposes the first line's code and the whole text, so the stack is
kept as text and only ever appended to, exactly as the server builds it.
"""

from __future__ import annotations

MESSAGES: dict[int, str] = {
    0: "normal, successful completion",
    1: "unique constraint violated",
    600: "internal error code, arguments: [%s]",
    900: "invalid SQL statement",
    901: "invalid CREATE command",
    902: "invalid datatype",
    903: "invalid table name",
    904: "%s: invalid identifier",
    905: "missing keyword",
    906: "missing left parenthesis",
    907: "missing right parenthesis",
    908: "missing NULL keyword",
    909: "invalid number of arguments",
    911: "invalid character",
    913: "too many values",
    918: "column ambiguously defined",
    922: "missing or invalid option",
    923: "FROM keyword not found where expected",
    924: "missing BY keyword",
    925: "missing INTO keyword",
    926: "missing VALUES keyword",
    927: "missing equal sign",
    928: "missing SELECT keyword",
    932: "inconsistent datatypes",
    933: "SQL command not properly ended",
    934: "group function is not allowed here",
    936: "missing expression",
    940: "invalid ALTER command",
    942: "table or view does not exist",
    947: "not enough values",
    950: "invalid DROP option",
    971: "missing SET keyword",
    979: "not a GROUP BY expression",
    988: "missing or invalid password(s)",
    1001: "invalid cursor",
    1008: "not all variables bound",
    1017: "invalid username/password; logon denied",
    1036: "illegal variable name/number",
    1400: "cannot insert NULL into (%s)",
    1403: "no data found",
    1407: "cannot update (%s) to NULL",
    1436: "CONNECT BY loop in user data",
    1422: "exact fetch returns more than requested number of rows",
    1425: "escape character must be character string of length 1",
    1426: "numeric overflow",
    1427: "single-row subquery returns more than one row",
    1438: "value larger than specified precision allowed for this column",
    1476: "divisor is equal to zero",
    1481: "invalid number format model",
    1722: "invalid number",
    1740: "missing double quote in identifier",
    30009: "Not enough memory for CONNECT BY operation",
    22905: "cannot access rows from a non-nested table item",
    1741: "illegal zero-length identifier",
    1756: "quoted string not properly terminated",
    1788: "CONNECT BY clause required in this query block",
    1785: "ORDER BY item must be the number of a SELECT-list expression",
    1789: "query block has incorrect number of result columns",
    1790: "expression must have same datatype as corresponding expression",
    1821: "date format not recognized",
    1830: "date format picture ends before converting entire input string",
    1840: "input value not long enough for date format",
    1843: "not a valid month",
    1847: "day of month must be between 1 and last day of month",
    1857: "not a valid time zone",
    1858: "a non-numeric character was found where a numeric was expected",
    1861: "literal does not match format string",
    3001: "unimplemented feature",
    3290: "Invalid truncate command - missing CLUSTER or TABLE keyword",
    6500: "PL/SQL: storage error",
    6501: "PL/SQL: program error",
    6502: "PL/SQL: numeric or value error",
    6503: "PL/SQL: Function returned without value",
    6510: "PL/SQL: unhandled user-defined exception",
    6511: "PL/SQL: cursor already open",
    6513: "PL/SQL: index for PL/SQL table out of range for host language array",
    6530: "Reference to uninitialized composite",
    6531: "Reference to uninitialized collection",
    6532: "Subscript outside of limit",
    6533: "Subscript beyond count",
    6592: "CASE not found while executing CASE statement",
    12899: "value too large for column %s",
    21000: "error number argument to raise_application_error of %s is out of range",
    31623: "a job is not attached to this session via the specified handle",
    31626: "job does not exist",
    31627: "API call succeeded but more information is available",
    31631: "privileges are required",
    31634: "job already exists",
    39001: "invalid argument value",
    39002: "invalid operation",
    39004: "invalid state",
    39005: "inconsistent arguments",
    39006: "internal error",
    39211: "Unable to retrieve dumpfile information as specified",
}

# Predefined exceptions of package STANDARD: name -> ORA code (positive, as the driver shows it).
PREDEFINED: dict[str, int] = {
    "NO_DATA_FOUND": 1403,
    "TOO_MANY_ROWS": 1422,
    "ZERO_DIVIDE": 1476,
    "VALUE_ERROR": 6502,
    "INVALID_NUMBER": 1722,
    "DUP_VAL_ON_INDEX": 1,
    "COLLECTION_IS_NULL": 6531,
    "SUBSCRIPT_BEYOND_COUNT": 6533,
    "SUBSCRIPT_OUTSIDE_LIMIT": 6532,
    "ACCESS_INTO_NULL": 6530,
    "CASE_NOT_FOUND": 6592,
    "INVALID_CURSOR": 1001,
    "CURSOR_ALREADY_OPEN": 6511,
    "LOGIN_DENIED": 1017,
    "STORAGE_ERROR": 6500,
    "PROGRAM_ERROR": 6501,
}


class OracleError(Exception):
    """An error as the database reports it.

    ``code`` and ``prefix`` describe the first line of the stack (``ORA-31626`` gives 31626 and
    "ORA"); ``message`` is the whole stack, lines joined by ``\\n``. ``ident`` is set only for
    user-defined exceptions, whose identity (not a code) decides which handler catches them.
    """

    def __init__(
        self,
        code: int,
        message: str,
        *,
        prefix: str = "ORA",
        offset: int = 0,
        ident: object | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.prefix = prefix
        self.message = message
        self.offset = offset
        self.ident = ident
        self.raise_line: int | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def lines(self) -> list[str]:
        return self.message.split("\n")

    def add_line(self, line: str) -> None:
        """Append a line to the stack, as each frame the error leaves does."""
        self.message = f"{self.message}\n{line}"
        self.args = (self.message,)


def message_text(code: int, arg: str | None = None) -> str:
    """The text after ``ORA-nnnnn: `` for a code, with ``arg`` filled in where it has a slot."""
    text = MESSAGES.get(code)
    if 20000 <= code <= 20999:
        return arg or ""
    if text is None:
        return f"Message {code} not found;  product=RDBMS; facility=ORA"
    if "%s" in text:
        return text % (arg if arg is not None else "")
    return f"{text}: {arg}" if arg else text


def ora(code: int, arg: str | None = None) -> OracleError:
    """Build an ``ORA-nnnnn`` error; ``arg`` fills the message's slot or is appended after ':'."""
    return OracleError(code, f"ORA-{code:05d}: {message_text(code, arg)}")


def ora_text(code: int, text: str) -> OracleError:
    """Build an ``ORA-nnnnn`` error with a caller-supplied message (packages use this)."""
    return OracleError(code, f"ORA-{code:05d}: {text}")


def sqlerrm(code: int) -> str:
    """SQLERRM(code) as PL/SQL computes it: SQLCODE-style input, 100 meaning no data found."""
    if code == 0:
        return "ORA-0000: normal, successful completion"
    if code == 100:
        return f"ORA-01403: {MESSAGES[1403]}"
    if code == 1:
        return "User-Defined Exception"
    if code > 0:
        return f"-{code}: non-ORACLE exception "
    return f"ORA-{-code:05d}: {message_text(-code)}"


def sqlcode_of(err: OracleError) -> int:
    """SQLCODE for a caught error: +100 for NO_DATA_FOUND, 1 for user exceptions without code."""
    if err.ident is not None and err.code == 6510:
        return 1
    if err.code == 1403:
        return 100
    return -err.code


def internal_error(exc: BaseException) -> OracleError:
    """Surface an emulator bug as ORA-00600 so tests see it instead of a stray Python error."""
    return ora(600, f"{type(exc).__name__}: {exc}")
