"""The task-tracking table for spreadsheets: `kehoach export --format csv|xlsx|json`.

One row per task and subtask, in plan order: id, title, lead, support, the
deadline in words and its date, status, percent, and the last progress entry's
date and note. JSON is exactly `kehoach status --format json`; the CSV and the
workbook are built from that same JSON, row for row, so the three never
disagree. CSV is UTF-8 with a byte order mark (Excel then reads Vietnamese
correctly); the workbook has a header row, frozen panes and column widths.
Plan text that begins like a formula is written so that no spreadsheet runs it.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from kehoach.base.messages import text
from kehoach.outputs.spreadsheet import csv_text, put_text

if TYPE_CHECKING:
    from kehoach.judge.scope import Scope
    from kehoach.judge.status import PlanStatus

FORMATS = ("csv", "xlsx", "json")
COLUMNS = ("id", "title", "lead", "support", "deadline", "due", "status", "percent", "last_progress", "last_note")
WIDTHS = {"id": 9, "title": 60, "lead": 22, "support": 28, "deadline": 26, "due": 12, "status": 26, "percent": 9,
          "last_progress": 13, "last_note": 60}


def status_json(ps: PlanStatus, lang: str = "vi", path: str | None = None, scope: Scope | None = None,
                statuses: list[str] | None = None) -> dict[str, Any]:
    """What `kehoach status --format json` writes (docs/status.md)."""
    from kehoach.views.statusview import filter_rows, make_rows, to_json

    rows = filter_rows(make_rows(ps, lang), scope, statuses)
    return to_json(ps, rows, lang, path, scope)


def table(data: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of the spreadsheet, from the status JSON: bodies by their short names."""
    out = []
    for t in data["tasks"]:
        out.append({
            "id": t["id"], "title": t["title"],
            "lead": ", ".join(names.get(b, b) for b in t["lead"]),
            "support": ", ".join(names.get(b, b) for b in t["support"]),
            "deadline": t["deadline"]["text"], "due": t["deadline"]["due"],
            "status": t["status_label"], "percent": t["percent"],
            "last_progress": t["last_progress"], "last_note": t["last_note"],
        })
    return out


def to_csv(rows: list[dict[str, Any]], lang: str = "vi") -> bytes:
    """UTF-8 with a BOM, a header row in the user's language, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([text(f"export.col.{c}", lang) for c in COLUMNS])
    for row in rows:
        writer.writerow([csv_text(row[c]) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict[str, Any]], lang: str = "vi", title: str = "") -> bytes:
    """A workbook: the header row frozen, columns sized, dates as dates, text kept text."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = text("export.sheet", lang)
    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=text(f"export.col.{key}", lang))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    for r, row in enumerate(rows, start=2):
        for col, key in enumerate(COLUMNS, start=1):
            data_cell = ws.cell(row=r, column=col)
            value = row[key]
            if key in ("due", "last_progress") and value:
                data_cell.value = dt.date.fromisoformat(value)
                data_cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, str):
                put_text(data_cell, value)
            else:
                data_cell.value = value
            data_cell.alignment = Alignment(wrap_text=key in ("title", "last_note"), vertical="top")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(rows) + 1, 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wb.properties.creator = "kehoach"
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(ps: PlanStatus, fmt: str, lang: str = "vi", path: str | None = None, scope: Scope | None = None,
           statuses: list[str] | None = None) -> bytes:
    """The table in one format."""
    from kehoach.base.text import json_text
    from kehoach.plan.bodies import Bodies

    data = status_json(ps, lang, path, scope, statuses)
    if fmt == "json":
        return json_text(data).encode("utf-8")
    bodies = Bodies(ps.plan)
    rows = table(data, {b: bodies.short(b) for b in bodies.by_id})
    if fmt == "csv":
        return to_csv(rows, lang)
    return to_xlsx(rows, lang, ps.plan.plan.title)
