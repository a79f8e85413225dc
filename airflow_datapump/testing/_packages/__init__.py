"""PL/SQL packages that touch files: UTL_FILE, DBMS_LOB (with BFILENAME), DBMS_FILE_TRANSFER.

Each module exposes ``build(files)`` returning a :class:`~.._plsql.packages.PackageSpec`; the
database backend supplies ``files`` (see :mod:`.files_api`) and registers the result.
"""
