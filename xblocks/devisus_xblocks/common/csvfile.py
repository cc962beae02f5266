"""CSV text for downloads, safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as
a formula by spreadsheet software (CSV/formula injection, OWASP): such cells get a leading
apostrophe. Numbers are written as numbers. The text starts with a UTF-8 byte order mark so
spreadsheet software reads accented letters correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value):
    """A cell value that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The CSV text of ``header`` and ``rows``, byte order mark first, every cell neutralised."""
    return BOM + csv_rows([header, *rows])


def csv_chunks(rows: Iterable[Sequence], rows_per_chunk: int = 500) -> Iterator[str]:
    """The CSV text of ``rows`` (no byte order mark), ``rows_per_chunk`` rows at a time: what a
    streamed download sends, so that the whole text is never held in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    pending = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


def csv_rows(rows: Iterable[Sequence]) -> str:
    """CSV text (no byte order mark) of ``rows``, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
