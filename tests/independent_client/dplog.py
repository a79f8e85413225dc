"""Reading a job's log file from the database server, with no access to its file system.

Two ways DBAs do it: a BFILE locator (``BFILENAME``) read through the driver's LOB API, and
UTL_FILE line by line. Both need READ on the directory object.
"""

from __future__ import annotations

import oracledb


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
