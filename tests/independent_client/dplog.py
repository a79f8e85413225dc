"""Reading a job's log file from the database server, with no access to its file system.

Two ways DBAs do it: a BFILE locator (``BFILENAME``) read through the driver's LOB API, and
UTL_FILE line by line. Both need READ on the directory object.
"""

from __future__ import annotations

import oracledb

NO_DATA_FOUND = 1403  # what GET_LINE raises past the last line (PL/SQL Packages reference, UTL_FILE)


def read_with_bfile(cursor: oracledb.Cursor, directory: str, file_name: str) -> str:
    """Open a BFILE on the log and read it whole; the log is text in the database character set."""
    cursor.execute(
        "select bfilename(:directory, :file_name) from dual", directory=directory, file_name=file_name
    )
    (locator,) = cursor.fetchone()
    locator.open()
    try:
        data = locator.read()
    finally:
        locator.close()
    return data.decode() if isinstance(data, bytes) else str(data)


def read_with_utl_file(cursor: oracledb.Cursor, directory: str, file_name: str) -> list[str]:
    """Read the log line by line: FOPEN, GET_LINE until NO_DATA_FOUND, FCLOSE, one call each.

    The open file travels between the calls as the UTL_FILE.FILE_TYPE record itself, bound
    IN OUT, so nothing is held in package state between round trips.
    """
    handle = cursor.var(cursor.connection.gettype("SYS.UTL_FILE.FILE_TYPE"))
    cursor.execute(
        "begin :handle := utl_file.fopen(:directory, :file_name, 'r', 32767); end;",
        handle=handle,
        directory=directory,
        file_name=file_name,
    )
    line = cursor.var(str, 32767)
    lines: list[str] = []
    try:
        while True:
            try:
                cursor.execute("begin utl_file.get_line(:handle, :line); end;", handle=handle, line=line)
            except oracledb.DatabaseError as error:
                if error.args[0].code == NO_DATA_FOUND:
                    return lines
                raise
            lines.append(line.getvalue() or "")
    finally:
        cursor.execute("begin utl_file.fclose(:handle); end;", handle=handle)
