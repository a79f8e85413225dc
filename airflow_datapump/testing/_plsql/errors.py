"""Oracle-style errors: one exception class that carries the whole error stack.

Oracle reports an error as a stack of lines (the error, then ``ORA-06512`` lines for every
frame it left). The driver exposes the first line's code and the whole text, so the stack is
kept as text and only ever appended to, exactly as the server builds it.
"""

from __future__ import annotations

MESSAGES: dict[int, str] = {
    0: "normal, successful completion",
    1: "unique constraint (%s.%s) violated",
    28: "your session has been killed",
    600: (
        "internal error code, arguments: "
        "[%s], [%s], [%s], [%s], [%s], [%s], [%s], [%s], [%s], [%s], [%s], [%s]"
    ),
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
    920: "invalid relational operator",
    922: "missing or invalid option",
    923: "FROM keyword not found where expected",
    924: "missing BY keyword",
    925: "missing INTO keyword",
    926: "missing VALUES keyword",
    927: "missing equal sign",
    928: "missing SELECT keyword",
    932: "inconsistent datatypes: expected %s got %s",
    933: "SQL command not properly ended",
    934: "group function is not allowed here",
    936: "missing expression",
    940: "invalid ALTER command",
    942: "table or view does not exist",
    947: "not enough values",
    950: "invalid DROP option",
    955: "name is already used by an existing object",
    959: "tablespace '%s' does not exist",
    969: "missing ON keyword",
    971: "missing SET keyword",
    979: "not a GROUP BY expression",
    988: "missing or invalid password(s)",
    990: "missing or invalid privilege",
    1001: "invalid cursor",
    1008: "not all variables bound",
    1012: "not logged on",
    1013: "user requested cancel of current operation",
    1017: "invalid username/password; logon denied",
    1031: "insufficient privileges",
    1036: "illegal variable name/number",
    1045: "user %s lacks CREATE SESSION privilege; logon denied",
    1086: "savepoint '%s' never established in this session or is invalid",
    1119: "error in creating database file '%s'",
    1144: "File size (%s blocks) exceeds maximum of %s blocks",
    1400: "cannot insert NULL into (%s)",
    1403: "no data found",
    1407: "cannot update (%s) to NULL",
    1408: "such column list already indexed",
    1418: "specified index does not exist",
    1422: "exact fetch returns more than requested number of rows",
    1425: "escape character must be character string of length 1",
    1426: "numeric overflow",
    1427: "single-row subquery returns more than one row",
    1435: "user does not exist",
    1436: "CONNECT BY loop in user data",
    1438: "value larger than specified precision allowed for this column",
    1442: "column to be modified to NOT NULL is already NOT NULL",
    1449: "column contains NULL values; cannot alter to NOT NULL",
    1451: "column to be modified to NULL cannot be modified to NULL",
    1452: "cannot CREATE UNIQUE INDEX; duplicate keys found",
    1476: "divisor is equal to zero",
    1481: "invalid number format model",
    1536: "space quota exceeded for tablespace '%s'",
    1537: "cannot add file '%s' - file already part of database",
    1543: "tablespace '%s' already exists",
    1549: "tablespace not empty, use INCLUDING CONTENTS option",
    1722: "invalid number",
    1732: "data manipulation operation not legal on this view",
    1740: "missing double quote in identifier",
    1741: "illegal zero-length identifier",
    1756: "quoted string not properly terminated",
    1785: "ORDER BY item must be the number of a SELECT-list expression",
    1788: "CONNECT BY clause required in this query block",
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
    1874: "time zone hour must be between -15 and 15",
    1875: "time zone minute must be between -59 and 59",
    1882: "timezone region not found",
    1917: "user or role '%s' does not exist",
    1918: "user '%s' does not exist",
    1919: "role '%s' does not exist",
    1920: "user name '%s' conflicts with another user or role name",
    1921: "role name '%s' conflicts with another user or role name",
    1922: "CASCADE must be specified to drop '%s'",
    1950: "no privileges on tablespace '%s'",
    1952: "system privileges not granted to '%s'",
    2003: "invalid USERENV parameter",
    2011: "duplicate database link name",
    2019: "connection description for remote database not found",
    2024: "database link not found",
    2180: "invalid option for CREATE TABLESPACE",
    2199: "missing DATAFILE/TEMPFILE clause",
    2236: "invalid file name",
    2248: "invalid option for ALTER SESSION",
    2251: "subquery not allowed here",
    2253: "constraint specification not allowed here",
    2256: "number of referencing columns must match referenced columns",
    2260: "table can have only one primary key",
    2261: "such unique or primary key already exists in the table",
    2264: "name already used by an existing constraint",
    2266: "unique/primary keys in table referenced by enabled foreign keys",
    2268: "referenced table does not have a primary key",
    2270: "no matching unique or primary key for this column-list",
    2273: "this unique/primary key is referenced by some foreign keys",
    2290: "check constraint (%s.%s) violated",
    2291: "integrity constraint (%s.%s) violated - parent key not found",
    2292: "integrity constraint (%s.%s) violated - child record found",
    2293: "cannot validate (%s.%s) - check constraint violated",
    2296: "cannot enable (%s.%s) - null values found",
    2297: "cannot disable constraint (%s.%s) - dependencies exist",
    2298: "cannot validate (%s.%s) - parent keys not found",
    2299: "cannot validate (%s.%s) - duplicate keys found",
    2429: "cannot drop index used for enforcement of unique/primary key",
    2430: "cannot enable constraint (%s) - no such constraint",
    2431: "cannot disable constraint (%s) - no such constraint",
    2432: "cannot enable primary key - primary key not defined for table",
    2433: "cannot disable primary key - primary key not defined for table",
    2436: "date or system variable wrongly specified in CHECK constraint",
    2437: "cannot validate (%s.%s) - primary key violated",
    2438: "Column check constraint cannot reference other columns",
    2443: "Cannot drop constraint  - nonexistent constraint",
    2449: "unique/primary keys in table referenced by foreign keys",
    3001: "unimplemented feature",
    3113: "end-of-file on communication channel",
    3114: "not connected to ORACLE",
    3135: "connection lost contact",
    3115: "unsupported network datatype or representation",
    3137: "malformed TTC packet from client rejected: [%s] [%s] [%s] [%s] [%s] [%s] [%s] [%s]",
    3290: "Invalid truncate command - missing CLUSTER or TABLE keyword",
    4043: "object %s does not exist",
    6500: "PL/SQL: storage error",
    6501: "PL/SQL: program error",
    6502: "PL/SQL: numeric or value error",
    6503: "PL/SQL: Function returned without value",
    6510: "PL/SQL: unhandled user-defined exception",
    6511: "PL/SQL: cursor already open",
    6512: "at %sline %s",
    6513: "PL/SQL: index for PL/SQL table out of range for host language array",
    6530: "Reference to uninitialized composite",
    6531: "Reference to uninitialized collection",
    6532: "Subscript outside of limit",
    6533: "Subscript beyond count",
    6550: "line %s, column %s:",
    6553: "PLS-%s: %s",
    6592: "CASE not found while executing CASE statement",
    8180: "no snapshot found based on specified time",
    8181: "specified number is not a valid system change number",
    12154: "TNS:could not resolve the connect identifier specified",
    12514: "TNS:listener does not currently know of service requested in connect descriptor",
    12525: "TNS:listener has not received client's request in time allowed",
    12541: "TNS:no listener",
    12899: "value too large for column %s (actual: %s, maximum: %s)",
    12906: "cannot drop default temporary tablespace",
    12910: "cannot specify temporary tablespace as default tablespace",
    12911: "permanent tablespace cannot be temporary tablespace",
    12919: "Can not drop the default permanent tablespace",
    19504: 'failed to create file "%s"',
    19505: 'failed to identify file "%s"',
    21000: "error number argument to raise_application_error of %s%s is out of range",
    21560: "argument %s is null, invalid, or out of range",
    21700: "object does not exist or is marked for delete",
    22275: "invalid LOB locator specified",
    22285: "non-existent directory or file for %s operation",
    22286: "insufficient privileges on file or directory to perform %s operation",
    22288: "file or LOB operation %s failed",
    22289: "cannot perform %s operation on an unopened file or LOB",
    22290: "operation would exceed the maximum number of opened files or LOBs",
    22905: "cannot access rows from a non-nested table item",
    22926: "specified trim length is greater than current LOB value's length",
    22993: "specified input amount is greater than actual source amount",
    22994: "source offset is beyond the end of the source LOB",
    24381: "error(s) in array DML",
    27037: "unable to obtain file status",
    27038: "created file already exists",
    27040: "file create error, unable to create file",
    27046: "file size is not a multiple of logical block size",
    28000: "The account is locked.",
    28009: "connection as SYS should be as SYSDBA or SYSOPER",
    29280: "invalid directory object",
    29281: "invalid mode",
    29282: "invalid file ID",
    29283: "invalid file operation",
    29284: "file read error",
    29285: "file write error",
    29286: "internal error",
    29287: "invalid maximum line size",
    29288: "invalid file name",
    29289: "directory access denied",
    29290: "invalid offset specified for seek",
    29291: "file remove operation failed",
    29292: "file rename operation failed",
    29298: "Character set mismatch",
    30009: "Not enough memory for %s operation",
    30013: "undo tablespace '%s' is currently in use",
    30041: "Cannot grant quota on the tablespace",
    31619: 'invalid dump file "%s"',
    31623: "a job is not attached to this session via the specified handle",
    31625: "Schema %s is needed to import this object, but is unaccessible",
    31626: "job does not exist",
    31627: "API call succeeded but more information is available",
    31631: "privileges are required",
    31633: 'unable to create master table "%s.%s"',
    31634: "job already exists",
    31640: 'unable to open dump file "%s" for read',
    31641: 'unable to create dump file "%s"',
    31655: "no data or metadata objects selected for job",
    31665: "mode can only be defaulted for IMPORT and SQL_FILE operations",
    31684: "Object type %s already exists",
    31693: "Table data object %s failed to load/unload and is being skipped due to error:",
    32774: "more than one file was specified for bigfile tablespace %s",
    39000: "bad dump file specification",
    39001: "invalid argument value",
    39002: "invalid operation",
    39004: "invalid state",
    39005: "inconsistent arguments",
    39006: "internal error",
    39019: "invalid operation type %s",
    39023: "Version %s is not supported.",
    39035: "Data filter %s has already been specified.",
    39036: "invalid metadata filter name %s",
    39042: "invalid transform name %s",
    39045: "invalid metadata remap name %s",
    39046: "Metadata remap %s has already been specified.",
    39050: "parameter %s is incompatible with parameter %s",
    39059: "dump file set is incomplete",
    39070: "Unable to open the log file.",
    39083: "Object type %s failed to create with error:",
    39087: "directory name %s is invalid",
    39088: "file name cannot contain a path specification",
    39095: "Dump file space has been exhausted: Unable to allocate %s bytes",
    39120: "Table %s can't be truncated, data will be skipped. Failing error is:",
    39124: 'dump file name "%s" contains an invalid substitution variable',
    39126: "Worker unexpected fatal error in %s [%s]",
    39137: "cannot specify a TABLE_EXISTS_ACTION of %s for a job with no metadata",
    39142: 'incompatible version number %s in dump file "%s"',
    39143: 'dump file "%s" may be an original export dump file',
    39144: "file name parameter must be specified and non-null",
    39145: "directory object parameter must be specified and non-null",
    39151: (
        "Table %s exists. All dependent metadata and data will be skipped due to table_exists_action of %s"
    ),
    39152: (
        "Table %s exists. Data will be appended to existing table but all dependent metadata will be "
        "skipped due to table_exists_action of %s"
    ),
    39153: (
        "Table %s exists and has been truncated. Data will be loaded but all dependent metadata will be "
        "skipped due to table_exists_action of %s"
    ),
    39161: "Full database jobs require privileges",
    39165: "Schema %s was not found.",
    39166: "Object %s was not found or could not be exported or imported.",
    39174: "Encryption password must be supplied.",
    39176: "Encryption password is incorrect.",
    39205: "Transforms are not supported in transportable jobs.",
    39207: "Value %s for parameter %s is invalid.",
    39208: "Parameter %s is invalid for %s jobs.",
    39211: "unable to retrieve dumpfile information as specified",
    39232: "invalid remap function: %s",
    39246: "cannot locate master table within provided dump files",
    39358: "Export dump file version %s not compatible with target version %s",
    44001: "invalid schema",
    44002: "invalid object name",
    44003: "invalid SQL name",
    44004: "invalid qualified SQL name",
    39041: 'Filter "%s" either identifies all object types or no object types.',
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
        self.rowcount = 0  # see OracleErrorLike.rowcount
        self.transaction_in_progress: bool | None = None  # and its transaction_in_progress
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


def message_text(code: int, *args: object) -> str:
    """The text after ``ORA-nnnnn: `` for a code, its ``%s`` slots filled from ``args``.

    A code outside the catalogue is a KeyError: the emulator never invents a text. Codes of
    RAISE_APPLICATION_ERROR's range (20000-20999) carry the caller's text as their one
    argument. One argument given to a text without a slot is appended after ``: ``, the way
    Oracle appends a root cause to ORA-29283 or a feature name to ORA-03001. No arguments for
    a text with slots leave them empty, as Oracle does for an exception raised by name
    ("unique constraint (.) violated").
    """
    if 20000 <= code <= 20999:
        return str(args[0]) if args else ""
    text = MESSAGES[code]
    slots = text.count("%s")
    if len(args) == slots:
        return text % args if slots else text
    if not args:  # raised by name (RAISE DUP_VAL_ON_INDEX): Oracle leaves the slots empty
        return text % (("",) * slots)
    if slots == 0 and len(args) == 1:
        return f"{text}: {args[0]}" if args[0] else text
    raise TypeError(f"ORA-{code:05d} has {slots} slot(s) in {text!r}, given {len(args)} argument(s)")


def leading(code: int, *first: object) -> tuple[object, ...]:
    """Arguments for a text of many bracketed slots (ORA-00600, ORA-03137): ``first`` fill the
    leading slots and the rest stay empty, printed "[]" as Oracle prints the ones it leaves
    unused. Kept apart from :func:`message_text`, which refuses a short argument list so that
    every other call must fill exactly the slots its text has."""
    unused = MESSAGES[code].count("%s") - len(first)
    if unused < 0:
        raise TypeError(f"ORA-{code:05d} has {len(first) + unused} slot(s), given {len(first)}")
    return (*first, *("",) * unused)


def ora_line(code: int, *args: object) -> str:
    """One line of an error stack, ``ORA-nnnnn: text``, its text from :data:`MESSAGES`."""
    return f"ORA-{code:05d}: {message_text(code, *args)}"


def ora(code: int, *args: object) -> OracleError:
    """Build an ``ORA-nnnnn`` error whose one line is :func:`ora_line`'s."""
    return OracleError(code, ora_line(code, *args))


def sqlerrm(code: int) -> str:
    """SQLERRM(code) as PL/SQL computes it: SQLCODE-style input, 100 meaning no data found."""
    if code == 0:
        return "ORA-0000: normal, successful completion"
    if code == 100:
        return ora_line(1403)
    if code == 1:
        return "User-Defined Exception"
    if code > 0:
        return f"-{code}: non-ORACLE exception "
    if -code not in MESSAGES and not 20000 <= -code <= 20999:
        return f"ORA{code:06d}: Message {-code} not found;  product=RDBMS; facility=ORA"
    return ora_line(-code)


def sqlcode_of(err: OracleError) -> int:
    """SQLCODE for a caught error: +100 for NO_DATA_FOUND, 1 for user exceptions without code."""
    if err.ident is not None and err.code == 6510:
        return 1
    if err.code == 1403:
        return 100
    return -err.code


def internal_error(exc: BaseException) -> OracleError:
    """Surface an emulator bug as ORA-00600 so tests see it instead of a stray Python error."""
    return ora(600, *leading(600, f"{type(exc).__name__}: {exc}"))
