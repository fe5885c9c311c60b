"""Cells for spreadsheets: plan text written so that Excel never runs it.

Text that begins like a formula (`=`, `+`, `-`, `@`, a tab or a carriage
return) would be evaluated by Excel or LibreOffice when a CSV is opened, or
when a cell is edited (formula injection). In an .xlsx file it is written as a
text cell with Excel's "quote prefix"; in a CSV it gets a leading apostrophe,
which spreadsheet programs show and do not evaluate. Control characters
(ESC, BEL …), which .xlsx cannot hold and a terminal showing a CSV would act
on, are taken out first (textutil.printable).
"""

from __future__ import annotations

from typing import Any

from kehoach.base.text import printable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put_text(cell: Any, value: str) -> None:
    """Plan text into an openpyxl cell, always as text."""
    value = printable(value)
    cell.value = value
    if value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def csv_text(value: object) -> str:
    """A value for a CSV cell; text that begins like a formula gets a leading apostrophe."""
    words = "" if value is None else printable(str(value))
    return "'" + words if words.startswith(FORMULA_START) else words
