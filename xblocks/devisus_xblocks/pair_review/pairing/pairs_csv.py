"""Reading a trainer's list of pairs (CSV text): one pair a line, two usernames (three for a trio).

Every defect is a ``ServiceError`` (400) naming its line, raised before anything is written, so
a bad file changes nothing and never reaches Python's ``csv`` module with what makes it fail
(``new-line character seen in unquoted field`` on carriage returns, ``field larger than field
limit`` on a 131,072-character cell):

- line endings: LF or CRLF, the same throughout (a carriage return alone, the old Mac format,
  or mixed endings are refused: lines would not be numbered as the trainer sees them);
- a UTF-8 byte order mark at the very start is a spreadsheet's signature and is skipped;
  anywhere else it is an invisible character, refused like NUL and every other control or
  format character (MariaDB ignores them when it compares usernames);
- at most ``MAX_LINE_LENGTH`` characters a line, ``MAX_USERNAME_LENGTH`` a username, three
  usernames a line, ``MAX_ROWS`` pairs;
- a cell that starts like a spreadsheet formula (``= + - @``) is refused: the list was exported
  with formulas instead of usernames.

Blank lines and lines starting with ``#`` are skipped, and so is a first line of column titles
(``username1,username2``). Cells are separated by commas, or by semicolons or tabs when the first
line listing a pair uses them (French spreadsheets write semicolons).
"""

from __future__ import annotations

import csv
import re

from ...common.csvfile import BOM
from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.keys import has_control

MAX_ROWS = 5_000  # pairs in one list
MAX_LINE_LENGTH = 1_000
MAX_USERNAME_LENGTH = 150  # Django's User.username and Participant.username
MIN_GROUP_SIZE = 2
MAX_GROUP_SIZE = 3
FORMULA_STARTS = ("=", "+", "-", "@")
DELIMITERS = (",", ";", "\t")
HEADER_WORDS = frozenset({"username", "usernames", "user", "learner", "learner1", "member", "member1", "username1"})
_SHOWN_LENGTH = 40  # a refused cell is echoed in the message, shortened
_LINE_END = re.compile(r"\r\n|\r|\n")


def _refuse(message: str, line: int, **params) -> ServiceError:
    return ServiceError(message, line=line, **params)


def _lines(text: str) -> list[str]:
    """The lines of ``text``; 400 on a lone carriage return or mixed line endings."""
    first = None
    for number, match in enumerate(_LINE_END.finditer(text), start=1):
        ending = match.group()
        if ending == "\r":
            raise _refuse(
                noop(
                    "Line %(line)s ends with a carriage return alone (an old Mac format): "
                    "save the list with Windows or Unix line endings."
                ),
                number,
            )
        if first is None:
            first = ending
        elif ending != first:
            raise _refuse(
                noop(
                    "Line %(line)s ends differently from the lines before it (mixed line endings): "
                    "save the list again as plain text."
                ),
                number,
            )
    return text.split(first) if first else [text]


def _cells(line: str, number: int, delimiter: str) -> list[str]:
    try:
        rows = list(csv.reader([line], delimiter=delimiter, skipinitialspace=True, strict=True))
    except csv.Error:
        raise _refuse(noop("Line %(line)s cannot be read as CSV."), number) from None
    cells = [cell.strip() for row in rows for cell in row]
    return [cell for cell in cells if cell]


def _check_cell(cell: str, number: int) -> None:
    shown = cell[:_SHOWN_LENGTH]
    if has_control(cell):
        raise _refuse(
            noop(
                "Line %(line)s contains a control or invisible character (such as NUL or a tab "
                "inside a name): retype the line."
            ),
            number,
        )
    if len(cell) > MAX_USERNAME_LENGTH:
        raise _refuse(
            noop("Line %(line)s: a username has at most %(limit)s characters."), number, limit=MAX_USERNAME_LENGTH
        )
    if cell.startswith(FORMULA_STARTS):
        raise _refuse(
            noop("Line %(line)s: %(cell)s looks like a spreadsheet formula, not a username."), number, cell=shown
        )


def parse_pairs_csv(text: str) -> list[tuple[int, list[str]]]:
    """(line number, usernames) for each pair of the list; 400 naming the line of the first defect."""
    text = str(text or "")
    if text.startswith(BOM):
        text = text[len(BOM) :]
    rows: list[tuple[int, list[str]]] = []
    delimiter = None
    header_possible = True
    for number, line in enumerate(_lines(text), start=1):
        if len(line) > MAX_LINE_LENGTH:
            raise _refuse(
                noop("Line %(line)s is too long (at most %(limit)s characters)."), number, limit=MAX_LINE_LENGTH
            )
        if has_control(line.replace("\t", "")):
            raise _refuse(
                noop(
                    "Line %(line)s contains a control or invisible character (such as NUL or a tab "
                    "inside a name): retype the line."
                ),
                number,
            )
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if delimiter is None:
            delimiter = next((candidate for candidate in DELIMITERS if candidate in line), DELIMITERS[0])
        cells = _cells(line, number, delimiter)
        if not cells:
            continue
        if header_possible:
            header_possible = False
            if cells[0].lower() in HEADER_WORDS:
                continue
        for cell in cells:
            _check_cell(cell, number)
        if not MIN_GROUP_SIZE <= len(cells) <= MAX_GROUP_SIZE:
            raise _refuse(noop("Line %(line)s: a pair needs two usernames (three for a trio)."), number)
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise _refuse(
                noop("Line %(line)s: the list has too many pairs (at most %(limit)s)."), number, limit=MAX_ROWS
            )
    return rows
