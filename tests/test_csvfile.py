"""CSV downloads neutralise formula cells."""

from __future__ import annotations

import csv
import io

import pytest

from devisus_xblocks.common.csvfile import BOM, csv_text, neutralise


@pytest.mark.parametrize("cell", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell, expected", [("plain", "plain"), ("a=b", "a=b"), (-2, -2), (3.5, 3.5), (None, "")])
def test_other_cells_are_kept(cell, expected):
    assert neutralise(cell) == expected


def test_csv_text_has_a_bom_and_neutralised_rows():
    text = csv_text(["code", "why"], [["Pr1", '=HYPERLINK("http://x")'], ["Pr2", 'said "hi", then left']])
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["code", "why"], ["Pr1", '\'=HYPERLINK("http://x")'], ["Pr2", 'said "hi", then left']]
