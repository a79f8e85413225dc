"""Read expdp/impdp parameters as the Data Pump clients read them, before any meaning is given.

Oracle's Utilities guide ("About Data Pump Export Parameters", "Use of Quotation Marks On the
Data Pump Command Line") fixes the rules followed here:

- A parameter is ``KEYWORD=value`` or ``KEYWORD=value1,value2`` or ``KEYWORD=(value1, value2)``;
  keywords are case-insensitive and parameters are separated by white space (a parameter file
  may spread them over lines).
- In a parameter file ``#`` starts a comment that runs to the end of the line, unless it is
  inside quotation marks (so ``TABLES=emp#`` names ``EMP``, as the guide warns).
- Double quotation marks belong to the value: they make a name case-sensitive (``"Emp"``) or
  enclose a clause (``TABLE:"IN ('EMP')"``, ``QUERY=EMP:"WHERE ..."``), and are kept.
  Single quotation marks protect what they enclose (``TABLES='"Emp#"'``) and are removed.
- On a shell command line the shell removes its own quoting first (``\\"`` becomes ``"``), so
  :func:`command_line_text` splits the text as a POSIX shell would and hands what expdp would
  receive to the same reader.

The reader knows no parameter names; :mod:`airflow_datapump.core.expdp` gives them meaning.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from airflow_datapump.exceptions import SpecError

_SPACE = " \t\r\n\f\v"
_STOP = _SPACE + ",()"


@dataclass(frozen=True)
class Entry:
    """One ``KEYWORD=value[,value...]``; ``values`` is None for a word with no ``=``."""

    keyword: str
    values: tuple[str, ...] | None


def command_words(command: str | Sequence[str]) -> list[str]:
    """The words expdp receives from a shell command line (its ``argv``).

    A string is split as a POSIX shell would split it (removing the shell's quotes and
    backslashes); a sequence is taken as already split (``sys.argv``).
    """
    if not isinstance(command, str):
        return list(command)
    try:
        return shlex.split(command, posix=True)
    except ValueError as error:
        raise SpecError("command line", command, f"balanced shell quoting ({error})") from None


def command_line_text(command: str | Sequence[str]) -> str:
    """The words of a command line as one text for :func:`read` (expdp reads them so)."""
    return " ".join(command_words(command))


def read(text: str, *, comments: bool) -> list[Entry]:
    """Split parameter text into entries; ``comments`` is True for a parameter file."""
    return _Reader(text, comments).entries()


class _Reader:
    def __init__(self, text: str, comments: bool) -> None:
        self.text = text
        self.comments = comments
        self.pos = 0

    def entries(self) -> list[Entry]:
        found: list[Entry] = []
        while self._skip_space():
            keyword = self._word("=")
            if not keyword:
                self._fail("a parameter such as SCHEMAS=HR")
            if self._skip_space() and self._peek() == "=":
                self.pos += 1
                found.append(Entry(keyword, self._values(keyword)))
            else:
                found.append(Entry(keyword, None))
        return found

    # -- values ---------------------------------------------------------------------------

    def _values(self, keyword: str) -> tuple[str, ...]:
        if not self._skip_space(inline=True):
            raise SpecError(keyword.upper(), "", "a value after =")
        if self._peek() == "(":
            self.pos += 1
            values = self._list(keyword, closing=")")
        else:
            values = self._list(keyword, closing=None)
        return tuple(values)

    def _list(self, keyword: str, closing: str | None) -> list[str]:
        values: list[str] = []
        while True:
            self._skip_space()
            value = self._word("")
            if not value:
                raise SpecError(keyword.upper(), self._rest(), "a value (lists are value1,value2)")
            values.append(value)
            more = self._skip_space() if closing else self._skip_space(inline=True)
            if more and self._peek() == ",":
                self.pos += 1
                continue
            if closing is None:
                return values
            if more and self._peek() == closing:
                self.pos += 1
                return values
            raise SpecError(keyword.upper(), self._rest(), "a list closed by )")

    def _word(self, extra_stops: str) -> str:
        """Unquoted text and quoted sections up to white space, a comma or a parenthesis.

        Unquoted text directly followed by ``(`` is a function call, such as
        ``TO_TIMESTAMP('...', '...')``, and keeps its balanced parentheses.
        """
        parts: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == '"':
                parts.append('"' + self._quoted('"') + '"')
            elif char == "'":
                parts.append(self._quoted("'"))
            elif char == "(" and parts and parts[-1][-1:] not in ('"', ""):
                parts.append(self._call())
            elif char in _STOP or char in extra_stops or (self.comments and char == "#"):
                break
            else:
                parts.append(char)
                self.pos += 1
        return "".join(parts)

    def _quoted(self, quote: str) -> str:
        end = self.text.find(quote, self.pos + 1)
        if end < 0:
            self._fail(f"a closing {quote}")
        body = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return body

    def _call(self) -> str:
        depth, start = 0, self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in "'\"":
                self._quoted(char)
                continue
            self.pos += 1
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                return self.text[start : self.pos]
        return self._fail("a closing )")

    # -- white space and comments ---------------------------------------------------------

    def _skip_space(self, *, inline: bool = False) -> bool:
        """Skip white space (and comments); True when text remains.

        ``inline`` stops at the end of a line inside a parameter file, where a value list
        may not continue on the next line without parentheses.
        """
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\n" and inline and self.comments:
                return False
            if char in _SPACE:
                self.pos += 1
            elif self.comments and char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return True
        return False

    def _peek(self) -> str:
        return self.text[self.pos]

    def _rest(self) -> str:
        return self.text[self.pos : self.pos + 40]

    def _fail(self, expected: str) -> str:
        where = "parameter file" if self.comments else "command line"
        raise SpecError(where, self._rest() or "(end of text)", f"expected {expected}")
