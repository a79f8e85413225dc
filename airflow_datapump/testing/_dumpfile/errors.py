"""The Oracle errors the dump file layer raises, each built in one place.

Every failure is a :class:`DumpFileError` carrying the stack of ``ORA-`` lines Oracle prints
(outermost first), so the job engine and the DBMS_DATAPUMP layer can turn it into their own
error types without parsing prose. Each factory below says whether its codes and wording are
documented (Oracle's documentation, docs/oracle-sources.md; its error catalogue; or real
job logs) or inferred; inferred details carry **[U]**.
"""

from __future__ import annotations

from pathlib import Path

from airflow_datapump.testing._plsql.errors import ora_line

INVALID_ARGVAL = ora_line(39001)
INVALID_OPERATION = ora_line(39002)
BAD_DUMP_SPEC = ora_line(39000)


class DumpFileError(Exception):
    """A dump file problem, reported as the ``ORA-`` stack Oracle would show.

    :param lines: one ``"ORA-nnnnn: text"`` string per line, outermost error first.
    """

    def __init__(self, *lines: str) -> None:
        if not lines:
            raise ValueError("DumpFileError needs at least one ORA- line")
        self.lines: tuple[str, ...] = tuple(lines)
        super().__init__("\n".join(self.lines))

    @property
    def code(self) -> int:
        """The number of the first (outermost) line, e.g. 39001 for ``ORA-39001: ...``."""
        return self.codes[0]

    @property
    def codes(self) -> tuple[int, ...]:
        """Every ORA line's number, so callers can test for an inner cause such as 27038 (a
        detail line without a code, where Oracle documents none, has no number)."""
        return tuple(int(line[4:9]) for line in self.lines if line.startswith("ORA-"))


def file_exists(path: Path) -> DumpFileError:
    """An export would overwrite a dump file and REUSEFILE was not set.

    The three lines are the stack real expdp jobs print (ORA-27038 is the OS-dependent layer's
    "created file already exists") **[P: real job logs]**.
    """
    return DumpFileError(
        INVALID_ARGVAL,
        BAD_DUMP_SPEC,
        ora_line(31641, path),
        ora_line(27038),
    )


def cannot_create(path: Path, reason: str) -> DumpFileError:
    """The OS refused to create a member (permissions, a directory in the way ...).

    ORA-31641 is documented; the OS line Oracle adds varies by platform, so the emulator adds
    no ORA-27xxx line and keeps the Python reason out of the stack **[U]**.
    """
    del reason  # kept for debugging via __cause__; Oracle shows an OS-specific line here
    return DumpFileError(INVALID_ARGVAL, BAD_DUMP_SPEC, ora_line(31641, path))


def space_exhausted(needed: int = 8192) -> DumpFileError:
    """The data does not fit in the files FILESIZE and the templates allow.

    Wording from the Utilities guide (FILESIZE). Oracle reports the size of the object being
    written; the emulator reports a fixed 8192 by default **[U for the number]**.
    """
    return DumpFileError(ora_line(39095, needed))


def filesize_too_small(filesize: int, minimum: int) -> DumpFileError:
    """FILESIZE below the documented minimum of ten 4 KB blocks.

    The minimum is documented (Utilities guide, FILESIZE); the error stack is not, so the
    emulator reports ORA-39001/ORA-39000 and a third line in its own words, with no code, since
    none is documented for it **[U]**.
    """
    return DumpFileError(
        INVALID_ARGVAL, BAD_DUMP_SPEC, f"dump file size {filesize} is below the minimum of {minimum} bytes"
    )


def invalid_filesize(text: str) -> DumpFileError:
    """A FILESIZE value that is not a number with an optional B/K/M/G/T unit **[U stack]**."""
    return DumpFileError(INVALID_ARGVAL, f"invalid FILESIZE value {text!r}")


def bad_substitution(template: str) -> DumpFileError:
    """A ``%`` in a file name that is not a supported substitution variable.

    ORA-39124 is in §5.1 (V); its text is the one Database Error Messages prints (V).
    """
    return DumpFileError(INVALID_ARGVAL, ora_line(39124, template))


def cannot_open(path: Path) -> DumpFileError:
    """A named member does not exist or cannot be read.

    The stack matches real impdp logs (ORA-31640 + ORA-27037) **[P]**; Oracle adds OS lines
    (``Linux-x86_64 Error: 2``, ``Additional information: 7``) that are not ORA- lines and are
    left out.
    """
    return DumpFileError(
        INVALID_ARGVAL,
        BAD_DUMP_SPEC,
        ora_line(31640, path),
        ora_line(27037),
    )


def invalid_dump(path: Path) -> DumpFileError:
    """Not a dump file of this set (or not a dump file at all) **[P stack]**."""
    return DumpFileError(INVALID_ARGVAL, BAD_DUMP_SPEC, ora_line(31619, path))


def classic_export(path: Path) -> DumpFileError:
    """An original ``exp`` file given to a Data Pump import **[P: real impdp logs]**."""
    return DumpFileError(
        INVALID_ARGVAL,
        BAD_DUMP_SPEC,
        ora_line(39143, path),
    )


def version_too_new(path: Path, file_version: str) -> DumpFileError:
    """The dump file format is newer than the importing database reads.

    Stack and wording as real impdp logs show (12.1 importing a 19c dump prints
    ``incompatible version number 5.1``) **[P]**.
    """
    return DumpFileError(
        INVALID_ARGVAL,
        BAD_DUMP_SPEC,
        ora_line(39142, file_version, path),
    )


def compat_too_new(dump_version: str, target_version: str) -> DumpFileError:
    """Same file format, but the dump's VERSION is above the target's compatibility.

    From 12.2 every release writes format 5.1, so a 21c dump reaching 19c is refused on its
    VERSION instead; ORA-39358 is what 12.2+ report **[P]**, the ORA-39002 head is **[U]**.
    """
    return DumpFileError(
        INVALID_OPERATION,
        ora_line(39358, dump_version, target_version),
    )


def master_missing() -> DumpFileError:
    """No file of the set holds the master table (file 1 was not named) **[U stack]**."""
    return DumpFileError(INVALID_OPERATION, ora_line(39246))


def set_incomplete() -> DumpFileError:
    """The master names members that the file specification does not cover **[U]**.

    Oracle requires the DUMPFILE specification to "encompass the entire set" (Utilities guide,
    import DUMPFILE); the error number and wording here are the emulator's best recollection.
    """
    return DumpFileError(INVALID_ARGVAL, BAD_DUMP_SPEC, ora_line(39059))


def password_required() -> DumpFileError:
    """A password-encrypted dump imported without ENCRYPTION_PASSWORD **[P wording]**."""
    return DumpFileError(INVALID_OPERATION, ora_line(39174))


def password_incorrect() -> DumpFileError:
    """ENCRYPTION_PASSWORD does not match the export's **[P wording]**."""
    return DumpFileError(INVALID_OPERATION, ora_line(39176))


def no_dumpfile_info() -> DumpFileError:
    """GET_DUMPFILE_INFO could not read the file (NO_DUMPFILE_INFO, §2.19).

    The code is documented (V); the wording is Oracle's message text as remembered **[U]**.
    """
    return DumpFileError(ora_line(39211))
