"""The task-tracking table for spreadsheets: `kehoach export --format csv|xlsx|json`.

One row per task and subtask, in plan order: id, title, lead, support, the
deadline in words and its date, status, percent, and the last progress entry's
date and note. JSON is exactly `kehoach status --format json`; the CSV and the
workbook are built from that same JSON, row for row, so the three never
disagree. CSV is UTF-8 with a byte order mark (Excel then reads Vietnamese
correctly); the workbook has a header row, frozen panes, filters and column widths,
and is laid out for paper (`spreadsheet.for_print`): A4 landscape, one page wide at
10 pt or more, bordered, the header row repeated on each page, its pages numbered.
Plan text that begins like a formula is written so that no spreadsheet runs it.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from kehoach.base.messages import text
from kehoach.base.text import listed
from kehoach.outputs.spreadsheet import csv_text, fit_row, put_text, text_lines

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from kehoach.judge.scope import Scope
    from kehoach.judge.status import PlanStatus
    from kehoach.views.statusview import Row

FORMATS = ("csv", "xlsx", "json")
COLUMNS = ("id", "title", "lead", "support", "deadline", "due", "status", "percent", "last_progress", "last_note")
# printed at 10 pt or more: they add up to no more than spreadsheet.PRINT_WIDTH
WIDTHS = {"id": 7, "title": 31, "lead": 14, "support": 15, "deadline": 14, "due": 11, "status": 14, "percent": 7,
          "last_progress": 11, "last_note": 24}
WRAPPED = ("title", "lead", "support", "deadline", "status", "last_note")


def status_json(ps: PlanStatus, lang: str = "vi", path: str | None = None, scope: Scope | None = None,
                statuses: list[str] | None = None) -> dict[str, Any]:
    """What `kehoach status --format json` writes (docs/status.md)."""
    from kehoach.views.statusview import filter_rows, make_rows, to_json

    rows = filter_rows(make_rows(ps, lang), scope, statuses)
    return to_json(ps, rows, lang, path, scope)


def note_said(note: str | None, by: str | None, names: dict[str, str], lang: str) -> str | None:
    """The last note as a table for people gives it: with who said it when several lead ("BCSĐ
    UBND tỉnh: Báo cáo năm số 301/BC-UBND": the note alone read as if every lead had reported)."""
    if note is None or not by:
        return note
    return text("row.note-by", lang, body=names.get(by, by), note=note)


def table_rows(rows: Iterable[Row], names: dict[str, str], lang: str = "vi") -> Iterator[dict[str, Any]]:
    """`table(to_json(...), names)` from the status rows themselves, one row at a time: the same
    rows of the spreadsheet, without the whole JSON shape, or the whole table, made first."""
    for r in rows:
        yield {
            "id": r.id, "title": r.title,
            "lead": listed(names.get(b, b) for b in r.lead),
            "support": listed(names.get(b, b) for b in r.support),
            "deadline": r.deadline, "due": r.due.isoformat() if r.due else None,
            "status": r.status_label, "percent": r.percent,
            "last_progress": r.last_date.isoformat() if r.last_date else None,
            "last_note": note_said(r.last_note, r.last_by, names, lang),
        }


def table(data: dict[str, Any], names: dict[str, str], lang: str = "vi") -> list[dict[str, Any]]:
    """The rows of the spreadsheet, from the status JSON: bodies by their short names."""
    out = []
    for t in data["tasks"]:
        out.append({
            "id": t["id"], "title": t["title"],
            "lead": listed(names.get(b, b) for b in t["lead"]),
            "support": listed(names.get(b, b) for b in t["support"]),
            "deadline": t["deadline"]["text"], "due": t["deadline"]["due"],
            "status": t["status_label"], "percent": t["percent"],
            "last_progress": t["last_progress"],
            "last_note": note_said(t["last_note"], t.get("last_by"), names, lang),
        })
    return out


def to_csv(rows: Iterable[dict[str, Any]], lang: str = "vi") -> bytes:
    """UTF-8 with a BOM, a header row in the user's language, formulas neutralised."""
    buffer = io.StringIO("\ufeff")
    buffer.seek(1)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([text(f"export.col.{c}", lang) for c in COLUMNS])
    for row in rows:
        writer.writerow([csv_text(row[c]) for c in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows: Iterable[dict[str, Any]], lang: str = "vi", title: str = "", as_of: str = "") -> bytes:
    """A workbook: the header row frozen, columns sized, dates as dates, text kept text; bordered,
    each row as tall as its wrapped text, printed one page wide on A4 landscape. Written row by
    row (openpyxl's write-only workbook): a plan of 10,000 tasks is not held as 100,000 cells."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from kehoach.base.text import printable
    from kehoach.outputs.spreadsheet import FONT, base_font, for_print, one_page_wide

    title = " ".join(printable(title).split())  # the plan's title: a control character in it is not XML
    wb = Workbook(write_only=True)
    base_font(wb)
    ws = wb.create_sheet(text("export.sheet", lang))
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    heading = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill = PatternFill("solid", fgColor="EDEDED")
    aligned = {key: Alignment(wrap_text=key in WRAPPED, vertical="top") for key in COLUMNS}
    # what the sheet says before its rows (widths, the frozen panes, the first row's height)
    for col, key in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    ws.freeze_panes = "C2"
    one_page_wide(ws)
    fit_row(ws, 1, max(text_lines(text(f"export.col.{k}", lang), WIDTHS[k], 11, True) for k in COLUMNS))
    header = []
    for key in COLUMNS:
        cell = WriteOnlyCell(ws, value=text(f"export.col.{key}", lang))
        cell.font, cell.alignment, cell.border, cell.fill = bold, heading, box, fill
        header.append(cell)
    ws.append(header)
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        fit_row(ws, r, max(text_lines(str(row[k] or ""), WIDTHS[k]) for k in WRAPPED), grow=True)
        cells = []
        for key in COLUMNS:
            data_cell = WriteOnlyCell(ws)
            value = row[key]
            if key in ("due", "last_progress") and value:
                data_cell.value = dt.date.fromisoformat(value)
                data_cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, str):
                put_text(data_cell, value)
            else:
                data_cell.value = value
            data_cell.font, data_cell.border, data_cell.alignment = plain, box, aligned[key]
            cells.append(data_cell)
        ws.append(cells)
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(count + 1, 1)}"
    for_print(ws, f"A1:{last}{count + 1}", "1:1", lang, left=title, right=as_of)  # on paper: as of when
    wb.properties.creator = "kehoach"
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(ps: PlanStatus, fmt: str, lang: str = "vi", path: str | None = None, scope: Scope | None = None,
           statuses: list[str] | None = None) -> bytes:
    """The table in one format. JSON is written row by row (`statusview.json_chunks`), the
    spreadsheets are made from the status rows: the whole JSON shape is never held."""
    from kehoach.plan.bodies import Bodies
    from kehoach.views.statusview import filter_rows, json_chunks, make_rows

    found = filter_rows(make_rows(ps, lang), scope, statuses)
    if fmt == "json":  # `status_json_bytes`, its chunks gathered into one buffer as they come
        out = io.BytesIO()
        for chunk in json_chunks(ps, found, lang, path, scope):
            out.write(chunk)
        return out.getvalue()
    bodies = Bodies(ps.plan)
    rows = table_rows(found, {b: bodies.short(b) for b in bodies.by_id}, lang)
    if fmt == "csv":
        return to_csv(rows, lang)
    from kehoach.base.messages import text
    from kehoach.base.vndates import short_date

    return to_xlsx(rows, lang, ps.plan.plan.title, text("export.as-of", lang, date=short_date(ps.as_of, lang)))
