"""Cells and pages for spreadsheets: plan text written so that Excel never runs it, and
sheets laid out to be printed.

Text that begins like a formula (`=`, `+`, `-`, `@`, a tab or a carriage
return) would be evaluated by Excel or LibreOffice when a CSV is opened, or
when a cell is edited (formula injection). In an .xlsx file it is written as a
text cell with Excel's "quote prefix": the cell shows the words as they are,
with no apostrophe (only the edit bar marks it, as Excel marks any text kept
from becoming a formula), and editing it keeps it text. A CSV has no types:
there the words get a leading apostrophe, which spreadsheet programs show and
do not evaluate; nothing else keeps `+cmd|calc` from running when it is opened. Control characters
(ESC, BEL …), which .xlsx cannot hold and a terminal showing a CSV would act
on, are taken out first (textutil.printable).

A sheet made to be printed (`for_print`): A4 landscape, as wide as one page, its
heading rows repeated on every page and "Trang 1/3" in the footer. Its columns are
measured in the workbook's own font (`base_font`: Times New Roman, which Excel has and
LibreOffice replaces by the metric-compatible Liberation Serif), so that the widths
chosen for a page hold in both programs; a sheet whose printed columns add up to at
most PRINT_WIDTH prints at 94 % or more, its 11 pt text at 10 pt or more.

Wrapped text needs its row's height: LibreOffice takes a row's height from the file and
does not fit it to the text when it opens one, and no program fits a merged cell. So
each row is given the height its text takes (`fit_row`: the lines of each cell, by the
widths of Times New Roman's letters, on the high side), and a row of cells to fill in
is left free to grow (`fit_row(..., grow=True)`: Excel and LibreOffice fit it again to
what is typed in).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from kehoach.base.text import printable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONT = "Times New Roman"
PRINT_WIDTH = 148  # the widths (Excel's units) of the printed columns, at most: see for_print


def ooxml_escaped(value: str) -> str:
    """Text as a workbook stores it: Excel reads `_x001B_` in a cell as the character U+001B (and
    any other code so written), so a `_` that begins such a code is stored as `_x005F_`."""
    return re.sub("_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", value) if "_x" in value else value


def put_text(cell: Any, value: str) -> None:
    """Plan text into an openpyxl cell, always as text, never read by Excel as another character."""
    value = ooxml_escaped(printable(value))
    cell.value = value
    if value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def csv_text(value: object) -> str:
    """A value for a CSV cell; text that begins like a formula gets a leading apostrophe."""
    words = "" if value is None else printable(str(value))
    return "'" + words if words.startswith(FORMULA_START) else words


def base_font(wb: Any, size: int = 11) -> None:
    """The workbook's own font (its "Normal" style), in which Excel and LibreOffice measure a
    column's width: Times New Roman, so that a width means the same page in both."""
    from openpyxl.styles import Font

    wb._fonts[0] = Font(name=FONT, size=size)  # openpyxl's Normal style is font 0; no public setter


FOOTER_PART = 70  # characters of one side of a footer, ampersands doubled: Excel holds 255 in the
# whole footer, its codes included (about 30 for each part's font, 15 for the page's number)


def footer_text(words: str) -> str:
    """Text for a page's header or footer: an ampersand there starts a code (`&P`), so doubled;
    cut to `FOOTER_PART` characters as written (never inside a doubled `&&`)."""
    written = printable(words).replace("&", "&&")
    if len(written) <= FOOTER_PART:
        return written
    cut = written[:FOOTER_PART - 1]
    if (len(cut) - len(cut.rstrip("&"))) % 2:  # an odd run of & at the end: half of a doubled one
        cut = cut[:-1]
    return cut + "…"


def for_print(ws: Any, area: str, title_rows: str | None, lang: str = "vi", left: str = "",
              right: str = "") -> None:
    """A sheet laid out for paper: A4 landscape, `area` printed, as wide as one page and as
    many pages long as it takes, `title_rows` ("8:8") repeated on each, centred, the page's
    number in the footer ("Trang 2/3"), `left` and `right` (plain words) at its sides."""
    from openpyxl.worksheet.worksheet import Worksheet

    from kehoach.base.messages import text

    ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # a constant a write-only sheet lacks
    one_page_wide(ws)
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.4
    margins.top, margins.bottom, margins.header, margins.footer = 0.5, 0.6, 0.25, 0.3
    for part, words in ((ws.oddFooter.center, text("print.page", lang)), (ws.oddFooter.left, footer_text(left)),
                        (ws.oddFooter.right, footer_text(right))):
        if words:
            part.text = words
            part.font = f"{FONT},Regular"
            part.size = 11


def one_page_wide(ws: Any) -> None:
    """Printed as wide as one page and as many pages long as it takes (part of `for_print`; a
    write-only sheet is told before its first row, which its properties go out with)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows take
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


# Times New Roman's letters, in ems (a letter with diacritics is as wide as its base letter)
_EMS = {**dict.fromkeys(" .,;:'!|ijlI", 0.28), **dict.fromkeys("ftr()[]/-\"*", 0.35),
        **dict.fromkeys("mwMW%@&", 0.8)}


def _em(ch: str) -> float:
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    if base in ("đ", "Đ"):
        base = "d" if base == "đ" else "D"
    found = _EMS.get(base)
    if found is not None:
        return found
    return 0.7 if base.isupper() else 0.5 if base.isdigit() else 0.47


def text_lines(words: str, width: float, size: float = 11, bold: bool = False) -> int:
    """The lines `words` take, wrapped at spaces, in a cell `width` units wide (Excel's units, in
    the workbook's Times New Roman) at `size` points: a little more than either program takes."""
    room = 5.25 * width - 2  # Excel draws a unit as 7 pixels of 0.75 pt, less the cell's margins
    em = size * (1.06 if bold else 1.0)
    lines = 0
    for paragraph in str(words).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            wide = sum(_em(ch) for ch in word) * em
            space = 0.28 * em if used else 0.0
            if used and used + space + wide > room:
                lines += 1
                used, space = 0.0, 0.0
            while wide > room:  # a word longer than the cell is broken
                lines += 1
                wide -= room
            used += space + wide
    return lines


def fit_row(ws: Any, row: int, lines: int, size: float = 11, grow: bool = False) -> None:
    """Give `row` the height of `lines` lines at `size` points. `grow`: the height is the program's
    to change (not marked as set by hand), so that the row fits what is typed into it later."""
    height = round(lines * size * 1.25 + 5, 1)
    if grow:
        ws.row_dimensions[row] = _fitted_row_class()(ws, index=row, ht=height)
    else:
        ws.row_dimensions[row].height = height


@functools.cache
def _fitted_row_class() -> type:
    from openpyxl.worksheet.dimensions import RowDimension

    class FittedRow(RowDimension):
        """A row whose height is written without `customHeight`: a height the program fits again."""

        @property
        def customHeight(self) -> bool:
            return False

    return FittedRow
