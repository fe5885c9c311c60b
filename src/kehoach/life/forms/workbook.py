"""A return form as a workbook: laid out for a body to fill in, and read back as it returns.

`write_form` lays a form out: a header (the plan, the body, the period, the date the
answer is due), one row per task or occurrence asked (its id, title, role, deadline,
status and percent, locked) and columns to fill in: percent, date, result, difficulty,
proposal, evidence, reported by, with data validation. A very hidden sheet records what
the form was made from (plan id, the plan file's hash, body, period, rows and a
fingerprint of each task), signed (`kehoach.life.forms.keys`), so that `collect`
recognises it. Plan text that Excel would take for a formula (`=`, `+`, `-`, `@`) is
written as text.

`read_form` reads a returned .xlsx (openpyxl, read-only, through defusedxml) or an .ods
saved by LibreOffice (its content.xml through defusedxml) into Cells, after
`kehoach.life.forms.screen` has passed the file; nothing is evaluated, and a formula in a
cell to fill in is refused at its cell. A row asked is known by the task and period it
shows, never by its place alone; each answered row's cells are read as an entry's
(percent, date, plain text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import Diagnostic
from kehoach.base.messages import Msg, text
from kehoach.base.periods import LATE_REPORT_DAYS
from kehoach.life.forms.keys import sign
from kehoach.life.forms.screen import FormError, inspect_file
from kehoach.outputs.spreadsheet import put_text

if TYPE_CHECKING:

    from kehoach.base.periods import Span

FORM_VERSION = 3  # 3: a guide sheet first, laid out for paper; 2: signed, rows by their sheet row (read too)
META = "_kehoach"  # the very hidden sheet
# the plan's columns (locked), in the order the hidden sheet keeps what each row showed
INFO = ("stt", "id", "occurrence", "title", "role", "deadline", "status", "percent_now")
INPUT = ("percent", "date", "result", "difficulty", "proposal", "evidence", "by")  # the body's to fill in
# the sheet's columns, left to right: all but the last are printed; the status stays on screen
COLUMNS = ("stt", "id", "occurrence", "title", "role", "deadline", "percent_now", *INPUT, "status")
PRINTED = COLUMNS[:-1]
WIDTHS = {"stt": 4.5, "id": 6.5, "occurrence": 9, "title": 23, "role": 8.5, "deadline": 11, "percent_now": 6.5,
          "percent": 6.5, "date": 11, "result": 20, "difficulty": 11.5, "proposal": 11.5, "evidence": 9.5, "by": 9,
          "status": 18}
HEADER_ROW = 11  # the row of column headings; the rows of tasks follow
MAX_ROWS = 5000  # the rows of a returned form read at most, below its header; a form with more is refused
ROLES = {"lead": "form.role.lead", "member": "form.role.member", "standing": "form.role.standing",
         "support": "form.role.support"}  # a row's role, in words
GRACE_DAYS = LATE_REPORT_DAYS  # a row's result may be dated this long after its period ends (mailed late)
GUIDE = ("form.guide.1", "form.guide.2", "form.guide.3", "form.guide.4",  # the guide's paragraphs
         "form.guide.5", "form.guide.6", "form.guide.7", "form.guide.8")


# ---------------------------------------------------------------- what a form holds


@dataclass
class FormRow:
    task_id: str
    occurrence: str  # the period the row asks about: an occurrence (2021-Q3) or a review period; else ""
    title: str
    role: str  # lead | member (of a lead group) | standing (a lead's standing unit) | support
    deadline: str  # in words
    status: str  # code
    percent: int  # where the body's own part stands now (a lead's); the task's for others
    fingerprint: str  # the task's title, deadline and bodies when the form was made
    kind: str = "dated"  # dated | recurring | continuous: what the row asks
    period: str = ""  # the occurrence in words ("quý III năm 2021")

    @property
    def asks_percent(self) -> bool:
        """Only a lead body says how far a dated deliverable or a duty's occurrence is;
        continuous work has no percent, and a supporting body's result never moves a task."""
        return self.role != "support" and self.kind != "continuous"


@dataclass
class RequestForm:
    plan_id: str
    plan_title: str
    plan_number: str
    plan_file: str
    plan_hash: str
    body_id: str
    body_name: str
    span: Span
    as_of: dt.date
    due: dt.date
    rows: list[FormRow]
    plan_start: dt.date | None = None  # the first day a report may be dated (the plan's start)
    return_to: str = ""  # where the form goes back, in words (the standing units, else the issuers)
    contact: str = ""  # the person to ask, when the office names one; else a line to fill in by hand
    letter: str = ""  # the number of the cover letter, when known; else a line to fill in by hand
    shared: bool = False  # a group whose members the plan does not list: one form for all of them

    @property
    def stem(self) -> str:
        """The file name (without suffix): `<plan>-phieu-<period>-<body>`."""
        return f"{self.plan_id}-phieu-{self.span.code}-{self.body_id}"

    @property
    def last_day(self) -> dt.date:
        """The last day a result on this form is dated without a warning: GRACE_DAYS after the
        period (the date the form is due back, when that is later)."""
        return max(self.span.end + dt.timedelta(days=GRACE_DAYS), self.due)


# ---------------------------------------------------------------- writing a form


@dataclass
class _Styles:
    """The fonts, fills and borders of a form: 11 pt and more, so that it prints at 10 pt or more."""

    lang: str
    font: Any = None
    bold: Any = None
    box: Any = None
    grey: Any = None
    yellow: Any = None

    def __post_init__(self) -> None:
        from openpyxl.styles import Border, Font, PatternFill, Side

        from kehoach.outputs.spreadsheet import FONT

        self.font, self.bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
        thin = Side(style="thin", color="808080")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.grey, self.yellow = PatternFill("solid", fgColor="EDEDED"), PatternFill("solid", fgColor="FFF9E0")


def write_form(form: RequestForm, secret: bytes, lang: str = "vi") -> bytes:
    """The workbook of one form (xlsx bytes): the guide first, then the form, laid out for paper,
    and its hidden sheet, signed with the plan owner's key."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from kehoach.base.vndates import span_label
    from kehoach.outputs.spreadsheet import base_font, for_print

    wb = Workbook()
    base_font(wb)
    guide = wb.active
    assert guide is not None
    ws = wb.create_sheet(text("form.sheet", lang))
    style = _Styles(lang)
    _write_guide(guide, form, ws.title, lang)
    _write_head(ws, form, guide.title, style)
    locked_rows = _write_rows(ws, form, style)
    end = _write_signatures(ws, HEADER_ROW + max(len(form.rows), 1) + 2, style)
    for_print(ws, f"A1:{get_column_letter(len(PRINTED))}{end}", f"{HEADER_ROW}:{HEADER_ROW}", lang,
              left=f"{form.body_name} – {span_label(form.span, lang)}")
    ws.protection.sheet = True  # the plan's columns are locked; the body's are not
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _write_meta(wb, form, ws.title, locked_rows, secret)
    stamp = dt.datetime.combine(form.as_of, dt.time(0, 0))
    wb.properties.creator = "kehoach"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _facts(form: RequestForm, lang: str) -> list[tuple[str, str]]:
    """What the form is, and where it goes back: (message, its words), the header's and the guide's."""
    from kehoach.base.vndates import long_date, short_date, span_label

    body = text("form.body", lang, body=form.body_name)
    return [
        ("form.body", text("form.shared", lang, body=body) if form.shared else body),
        ("form.period", text("form.period", lang, period=span_label(form.span, lang),
                             start=short_date(form.span.start, lang), end=short_date(form.span.end, lang))),
        ("form.due", text("form.due", lang, date=long_date(form.due, lang))),
        ("form.return-to", text("form.return-to", lang, to=form.return_to)),
    ]


def _write_head(ws: Any, form: RequestForm, guide: str, style: _Styles) -> None:
    """The form's header: what it is, for whom and for when, where it goes back and by when, the
    cover letter and the person to ask (a line to fill in when the plan does not say), how to fill
    it in, and the column headings."""
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter

    from kehoach.outputs.spreadsheet import FONT, fit_row, text_lines

    lang = style.lang
    last = get_column_letter(len(PRINTED))
    facts = dict(_facts(form, lang))
    big, red = Font(name=FONT, bold=True, size=14), Font(name=FONT, bold=True, size=12, color="C00000")
    bold12, plain12 = Font(name=FONT, bold=True, size=12), Font(name=FONT, size=12)
    letter = (text("form.letter", lang, number=form.letter) if form.letter else text("form.letter-blank", lang))
    contact = (text("form.contact", lang, contact=form.contact) if form.contact
               else text("form.contact-blank", lang))
    head: list[tuple[str, Any, str, bool]] = [  # words, font, alignment, typed in by the office
        (text("form.title", lang), big, "center", False),
        (text("form.plan", lang, number=form.plan_number or "…", title=form.plan_title), bold12, "center", False),
        (facts["form.body"], bold12, "center", False),
        (facts["form.period"], plain12, "center", False),
        (facts["form.due"], red, "left", False),
        (facts["form.return-to"], plain12, "left", False),
        (letter, plain12, "left", not form.letter),  # a line to fill in when the office gave none
        (contact, plain12, "left", not form.contact),
        (text("form.how", lang, guide=guide), Font(name=FONT, italic=True, size=11), "left", False),
    ]
    width = sum(WIDTHS[k] for k in PRINTED)
    for r, (words, font, align, blank) in enumerate(head, start=1):
        ws.merge_cells(f"A{r}:{last}{r}")
        cell = ws.cell(row=r, column=1)
        put_text(cell, words)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if blank:
            cell.protection = Protection(locked=False)
        fit_row(ws, r, text_lines(words, width, font.sz, bool(font.b)), font.sz)  # a merged cell never fits itself
    ws.row_dimensions[HEADER_ROW - 1].height = 6
    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=text(f"form.col.{key}", lang))
        cell.font = style.bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = style.box
        cell.fill = style.grey if key in INFO else style.yellow
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    fit_row(ws, HEADER_ROW, max(text_lines(text(f"form.col.{k}", lang), WIDTHS[k], 11, True) for k in COLUMNS))


def _write_rows(ws: Any, form: RequestForm, style: _Styles) -> list[list[str]]:
    """One row per task or period asked: the plan's cells locked on grey, the body's to fill in on
    yellow, with their rules (a percent from where it stands to 100, a date in the form's time).
    Each row is as tall as its wrapped text, two lines at least (room to write by hand), and free
    to grow as it is filled in. What each row showed, in INFO's order, is returned for the hidden
    sheet."""
    from openpyxl.styles import Alignment, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kehoach.base.vndates import short_date
    from kehoach.judge.status import STATUS_CODES, label
    from kehoach.outputs.spreadsheet import fit_row, text_lines

    lang = style.lang
    wrap = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(horizontal="center", vertical="top", wrap_text=True)
    pct_rules: dict[int, DataValidation] = {}
    first = form.plan_start or form.span.start
    date_rule = DataValidation(type="date", operator="between", allow_blank=True, showErrorMessage=True,
                               formula1=_excel_date(first), formula2=_excel_date(form.last_day),
                               errorTitle=text("form.bad-date-title", lang),
                               error=text("form.bad-date", lang, start=short_date(first, lang),
                                          end=short_date(form.last_day, lang), grace=GRACE_DAYS))
    ws.add_data_validation(date_rule)
    locked_rows: list[list[str]] = []
    for n, row in enumerate(form.rows, start=1):
        r = HEADER_ROW + n
        values: dict[str, str | int] = {"stt": n, "id": row.task_id, "occurrence": row.period, "title": row.title,
                  "role": text(ROLES[row.role], lang), "deadline": row.deadline,
                  "status": label(row.status, lang) if row.status in STATUS_CODES else row.status,
                  "percent_now": row.percent if row.asks_percent else ""}
        locked_rows.append([str(values[k]) for k in INFO])
        for col, key in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=col)
            value = values.get(key)
            if isinstance(value, str):
                put_text(cell, value)
            elif value is not None:
                cell.value = value
            cell.font = style.font
            cell.alignment = centred if key in ("stt", "percent_now", "percent", "date") else wrap
            cell.border = style.box
            if key in INPUT and not (key == "percent" and not row.asks_percent):
                cell.protection = Protection(locked=False)
                cell.fill = style.yellow
            elif key == "percent":  # only a lead body says how far dated work is
                cell.fill = style.grey
        fit_row(ws, r, max(2, *(text_lines(str(values[k]), WIDTHS[k]) for k in values)), grow=True)
        date_cell = ws.cell(row=r, column=COLUMNS.index("date") + 1)
        date_cell.number_format = "dd/mm/yyyy"
        date_rule.add(date_cell.coordinate)
        if not row.asks_percent:
            continue
        rule = pct_rules.get(row.percent)
        if rule is None:
            rule = pct_rules[row.percent] = DataValidation(
                type="whole", operator="between", formula1=str(row.percent), formula2="100", allow_blank=True,
                showErrorMessage=True, errorTitle=text("form.bad-percent-title", lang),
                error=text("form.bad-percent", lang, percent=row.percent))
            ws.add_data_validation(rule)
        rule.add(ws.cell(row=r, column=COLUMNS.index("percent") + 1).coordinate)
    ws.freeze_panes = f"{get_column_letter(COLUMNS.index('title') + 2)}{HEADER_ROW + 1}"
    return locked_rows


def _write_signatures(ws: Any, top: int, style: _Styles) -> int:
    """Where the form is signed, below its rows: the person who filled it in on the left, the head of
    the body (the date, the seal) on the right. Its words sit in the plan's columns (the first cell of
    each merged block), so that a returned form's rows are read as before: a row is read for what
    its yellow cells hold. The last row printed is returned."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from kehoach.outputs.spreadsheet import FONT

    lang = style.lang
    split = PRINTED.index("percent_now")
    left = (get_column_letter(1), get_column_letter(split))
    right = (get_column_letter(split + 1), get_column_letter(len(PRINTED)))
    italic, bold = Font(name=FONT, italic=True, size=12), Font(name=FONT, bold=True, size=12)
    blocks = [(None, ("form.sign.date", italic)), (("form.sign.maker", bold), ("form.sign.head", bold)),
              (("form.sign.maker-note", italic), ("form.sign.head-note", italic))]
    for r, pair in enumerate(blocks, start=top):
        for (a, b), item in zip((left, right), pair, strict=True):
            ws.merge_cells(f"{a}{r}:{b}{r}")
            if item is None:
                continue
            cell = ws[f"{a}{r}"]
            cell.value = text(item[0], lang)
            cell.font = item[1]
            cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[r].height = 19
    ws.row_dimensions[top + len(blocks)].height = 70  # room to sign
    return top + len(blocks)


def _write_guide(ws: Any, form: RequestForm, sheet: str, lang: str) -> None:
    """The first sheet: a page of guidance for the body that fills the form in (what the form is,
    where and by when it goes back, then the paragraphs `GUIDE`), printed on one A4 page in 12 pt."""
    from openpyxl.styles import Alignment, Font

    from kehoach.outputs.spreadsheet import FONT, PRINT_WIDTH, fit_row, for_print, text_lines

    ws.title = text("form.guide.sheet", lang)
    width = PRINT_WIDTH - 10
    ws.column_dimensions["A"].width = width
    lines: list[tuple[str, Any]] = [(text("form.guide.title", lang), Font(name=FONT, bold=True, size=14)), ("", None)]
    lines += [(words, Font(name=FONT, bold=True, size=12)) for _, words in _facts(form, lang)]
    lines += [("", None)] + [(text(key, lang, sheet=sheet, grace=GRACE_DAYS), Font(name=FONT, size=12))
                             for key in GUIDE]
    for r, (words, font) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1)
        if not words:
            ws.row_dimensions[r].height = 8
            continue
        put_text(cell, words)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if r == 1 else "left")
        fit_row(ws, r, text_lines(words, width, font.sz, bool(font.b)), font.sz)
    for_print(ws, f"A1:A{len(lines)}", None, lang)
    ws.protection.sheet = True


def _write_meta(wb: Any, form: RequestForm, sheet: str, locked_rows: list[list[str]], secret: bytes) -> None:
    """The very hidden sheet: what the form was made from, each row asked, signed."""
    first = form.plan_start or form.span.start
    meta = wb.create_sheet(META)
    meta.sheet_state = "veryHidden"
    pairs: list[tuple[str, str]] = [
        ("format", "kehoach-form"), ("version", str(FORM_VERSION)), ("plan", form.plan_id),
        ("plan_file", form.plan_file), ("plan_sha256", form.plan_hash), ("body", form.body_id),
        ("period", form.span.code), ("start", form.span.start.isoformat()), ("end", form.span.end.isoformat()),
        ("as_of", form.as_of.isoformat()), ("due", form.due.isoformat()), ("sheet", sheet),
        ("header_row", str(HEADER_ROW)), ("columns", ",".join(COLUMNS)), ("first_day", first.isoformat())]
    rows = [[str(HEADER_ROW + n), row.task_id, row.occurrence, row.role, str(row.percent), row.fingerprint, row.kind,
             json.dumps(locked, ensure_ascii=False)]
            for n, (row, locked) in enumerate(zip(form.rows, locked_rows, strict=True), start=1)]
    pairs.append(("signature", sign(secret, pairs, rows)))
    for i, (name, value) in enumerate(pairs, start=1):
        put_text(meta.cell(row=i, column=1), name)
        put_text(meta.cell(row=i, column=2), value)
    start = len(pairs) + 2
    for i, items in enumerate(rows):
        for col, item in enumerate(items, start=1):
            put_text(meta.cell(row=start + i, column=col), item)


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


# ---------------------------------------------------------------- reading a returned form


@dataclass
class Answer:
    """One row a body filled in."""

    file: str
    sheet: str
    row: int
    task_id: str
    occurrence: str
    percent: int | None
    day: dt.date | None
    result: str | None
    difficulty: str | None
    proposal: str | None
    evidence: str | None
    by: str | None
    cells: dict[str, str]  # column key → its cell ("H9")
    problems: list[Diagnostic] = field(default_factory=list)
    asked: bool = True  # a row the form asked (its hidden sheet names it), not one typed in


@dataclass
class ReturnedForm:
    file: str
    meta: dict[str, str]
    rows: dict[tuple[str, str], dict[str, Any]]  # (task, occurrence) → what the form asked (role, percent, …)
    answers: list[Answer]
    problems: list[Diagnostic] = field(default_factory=list)  # rows refused as read
    warnings: list[Diagnostic] = field(default_factory=list)  # locked cells changed by the body
    pairs: list[tuple[str, str]] = field(default_factory=list)  # the hidden sheet as stored (for its signature)
    meta_rows: list[list[str]] = field(default_factory=list)
    saved: dt.datetime | None = None  # when the body's program last saved it (the workbook's own record)

    @property
    def body(self) -> str:
        return self.meta.get("body", "")

    def content(self) -> tuple[Any, ...]:
        """What the body wrote, for telling a re-sent form from a changed one."""
        return tuple((a.task_id, a.occurrence, a.percent, a.day, a.result, a.difficulty, a.proposal, a.evidence,
                      a.by) for a in self.answers)

    def digest(self) -> str:
        return hashlib.sha256(repr(self.content()).encode("utf-8")).hexdigest()[:16]


@dataclass
class Cell:
    """A cell as a returned form holds it, whatever the program that saved it."""

    value: Any
    formula: bool = False
    percent_format: bool = False  # shown as a percentage: 0.75 is "75%"
    error: bool = False  # an error value ("#REF!", "#N/A"): what a broken formula or a pasted cell leaves


def _is_ods(path: Path) -> bool:
    """An OpenDocument spreadsheet (LibreOffice's own format): its first member says so."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("mimetype")[:64].strip() == b"application/vnd.oasis.opendocument.spreadsheet"
    except (KeyError, zipfile.BadZipFile, OSError):
        return False


def read_form(path: str | os.PathLike[str]) -> ReturnedForm:
    """A returned form's rows as the body wrote them (.xlsx, or .ods saved by LibreOffice); a
    FormError when the file is refused. Whatever the file holds, the answer is a form or a
    FormError (exit 2), never another exception: a part that cannot be read, a value no
    spreadsheet program writes or a hidden sheet that does not hold together is `form-damaged`."""
    path = Path(path)
    name = str(path)
    inspect_file(path)
    sheets, saved = (_ods_sheets if _is_ods(path) else _xlsx_sheets)(path)
    try:
        return _read_sheets(sheets, saved, name)
    except FormError:
        raise
    except Exception as exc:  # a hidden sheet or a grid no reader foresaw: refused, never a traceback
        raise FormError("form-damaged", {"path": name, "detail": _damaged(exc)}) from None


def _read_sheets(sheets: dict[str, Grid], saved: dt.datetime | None, name: str) -> ReturnedForm:
    """The form the sheets of a returned workbook hold: its hidden sheet checked, its rows read."""
    if META not in sheets:
        raise FormError("form-not-ours", {"path": name})
    pairs: list[tuple[str, str]] = []
    meta_rows: list[list[str]] = []
    blank = False
    for cells in sheets[META]:
        values = ["" if c.value is None else str(c.value) for c in cells]
        while values and not values[-1]:
            values.pop()
        if not values or not values[0]:
            blank = True
            continue
        if not blank:
            pairs.append((values[0], values[1] if len(values) > 1 else ""))
        else:
            meta_rows.append(values)
    meta = dict(pairs)
    if meta.get("format") != "kehoach-form":
        raise FormError("form-not-ours", {"path": name})
    _check_meta(meta, name)
    rows = _asked_rows(meta, meta_rows, name)
    if meta["sheet"] not in sheets or meta["sheet"] == META:
        raise FormError("form-sheet-missing", {"path": name, "sheet": meta["sheet"]})
    answers, problems, warnings = _answers(sheets[meta["sheet"]], meta["sheet"], name, meta, meta_rows)
    return ReturnedForm(name, meta, rows, answers, problems, warnings, pairs, meta_rows, saved)


def _asked_rows(meta: dict[str, str], meta_rows: list[list[str]], name: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The rows the form asked, from its hidden sheet: (task, occurrence) → role, percent, fingerprint."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    v1 = meta.get("version") == "1"
    for values in meta_rows:
        values = values + [""] * 8
        if v1:  # task, occurrence, role, percent, fingerprint
            task, occ, role, percent, print_, kind = values[0], values[1], values[2], values[3], values[4], ""
        else:  # row, task, occurrence, role, percent, fingerprint, kind, locked values
            task, occ, role, percent, print_, kind = values[1], values[2], values[3], values[4], values[5], values[6]
        try:
            number = int(float(percent)) if percent not in ("", None) else 0
        except (ValueError, OverflowError):
            raise FormError("form-damaged", {"path": name, "detail": Msg("form.damaged-meta")}) from None
        out[(task, occ)] = {"role": role, "percent": number, "fingerprint": print_, "kind": kind}
    return out


Grid = list[list[Cell]]


ROW_LIMIT = HEADER_ROW + MAX_ROWS  # the last row of a sheet read; a value below it refuses the form


class _Damaged(Exception):
    """A value no spreadsheet program writes (an infinite number, a number past a double's range):
    the file was made or edited by hand."""

    def __init__(self, sheet: str, ref: str, value: object) -> None:
        super().__init__(ref)
        self.detail = Msg("form.damaged-cell", {"cell": cell_ref(sheet, ref), "value": excerpt(repr(value), 30)})


def _guarded(value: Any, sheet: str, row: int, column: int) -> Any:
    """A cell's value as read, or `_Damaged`: numbers finite and within a double's range (what
    Excel and LibreOffice store), dates and times as the reader made them (valid by construction),
    text and booleans as they are; any other kind of value is refused."""
    if value is None or isinstance(value, (str, bool, dt.date, dt.time, dt.timedelta)):
        return value
    if isinstance(value, int):
        if abs(value) < 2**53:
            return value
        try:  # a spreadsheet keeps a double: a longer whole number is one no program wrote
            float(value)
        except OverflowError:
            pass
        else:
            return value
    elif isinstance(value, float) and math.isfinite(value):
        return value
    from openpyxl.utils import get_column_letter

    raise _Damaged(sheet, f"{get_column_letter(min(max(column, 1), 18278))}{row}", value)


def _sheet_rows(ws: Any, width: int) -> Any:
    """The rows of a sheet opened read-only, as (row number, cells), only those the file holds:
    openpyxl's own `iter_rows` fills every row missing before one numbered far below, which a row
    numbered 1,000,000,000 would make endless. (openpyxl's parser, as `iter_rows` drives it.)"""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=False, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, found in parser.parse():
            yield number, [ReadOnlyCell(ws, **c) for c in found if 1 <= c["column"] <= width]


def _xlsx_sheets(path: Path) -> tuple[dict[str, Grid], dt.datetime | None]:
    """Every sheet's cells (at most ROW_LIMIT rows of the columns a form has), read by openpyxl in
    read-only mode: no formula evaluated, no external link followed, XML through defusedxml. Any
    failure of the reader, a value no program writes or a value below the last row read refuses the
    file; the reader's warnings (which quote the workbook's text) are kept off the terminal."""
    import warnings

    from openpyxl import load_workbook
    from openpyxl.utils.escape import unescape

    name = str(path)
    width = len(COLUMNS) + 8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns with the file's own text: never shown raw
        try:
            wb = load_workbook(path, read_only=True, data_only=False, keep_vba=False, keep_links=False)
        except Exception as exc:  # a damaged or hostile workbook: refused, never a traceback
            if "Forbidden" in type(exc).__name__:  # defusedxml: a DTD or an entity our scan did not see
                raise FormError("form-entities", {"path": name}) from None
            raise FormError("form-damaged", {"path": name, "detail": _damaged(exc)}) from None
        try:
            sheets: dict[str, Grid] = {}
            for ws in wb.worksheets:
                grid: Grid = []
                for number, cells in _sheet_rows(ws, width):
                    if number > ROW_LIMIT:
                        if any(c.value is not None for c in cells):
                            raise FormError("form-too-many-rows", {"path": name, "sheet": ws.title, "limit": MAX_ROWS})
                        continue
                    while len(grid) < number:
                        grid.append([])
                    row = [Cell(None)] * width
                    for c in cells:
                        # the text as Excel reads it (`spreadsheet.ooxml_escaped` undone; a code for a
                        # control character becomes that character, which the checks then refuse)
                        value = unescape(c.value) if isinstance(c.value, str) else c.value
                        row[c.column - 1] = Cell(_guarded(value, ws.title, number, c.column), c.data_type == "f",
                                                 "%" in (c.number_format or ""), c.data_type == "e")
                    while row and row[-1].value is None and not row[-1].formula:
                        row.pop()
                    grid[number - 1] = row
                sheets[ws.title] = grid
            # openpyxl gives a workbook without its saved time the time it is read: none is none
            saved = wb.properties.modified if wb.properties is not None and _stamped(path) else None
        except FormError:
            raise
        except _Damaged as exc:
            raise FormError("form-damaged", {"path": name, "detail": exc.detail}) from None
        except Exception as exc:  # damaged parts are found while reading
            raise FormError("form-damaged", {"path": name, "detail": _damaged(exc)}) from None
        finally:
            wb.close()
    return sheets, saved if isinstance(saved, dt.datetime) else None


def _stamped(path: Path) -> bool:
    """Whether the workbook records when it was last saved (`dcterms:modified` in its properties)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 1 << 20:  # properties are a few hundred bytes
                return False
            return b":modified" in zf.read(info)  # <dcterms:modified …>, not a title that says "modified"
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return False


_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _ods_sheets(path: Path) -> tuple[dict[str, Grid], dt.datetime | None]:
    """Every sheet's cells of an OpenDocument spreadsheet: its content.xml read as events
    (defusedxml: no DTD, no entity), repeated rows and columns expanded only as far as a form
    reaches; a formula is kept as a formula, never computed. A value below ROW_LIMIT refuses the
    file (`form-too-many-rows`), as does a value no program writes or a part that cannot be read
    (`form-damaged`)."""
    import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]

    name = str(path)
    t, o, x = (f"{{{_ODS[k]}}}" for k in ("table", "office", "text"))
    width = len(COLUMNS) + 8
    sheets: dict[str, Grid] = {}
    sheet = ""
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            grid: Grid = []
            row: list[Cell] = []
            repeat_row = 1
            number = 0  # the rows of the sheet so far, repeated ones counted
            for event, el in SafeET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == t + "table":
                        grid, number, sheet = [], 0, el.get(t + "name", "")
                    elif tag == t + "table-row":
                        row = []
                        repeat_row = max(min(int(el.get(t + "number-rows-repeated", "1")), 10**7), 1)
                    continue
                if tag in (t + "table-cell", t + "covered-table-cell"):
                    repeat = min(int(el.get(t + "number-columns-repeated", "1")), width)
                    cell = _ods_cell(el, o, t, x, sheet, number + 1, len(row) + 1)
                    row.extend(cell for _ in range(min(repeat, max(width - len(row), 0))))
                    el.clear()
                elif tag == t + "table-row":
                    empty = all(c.value is None and not c.formula for c in row)
                    if not empty and number + repeat_row > ROW_LIMIT:
                        raise FormError("form-too-many-rows", {"path": name, "sheet": sheet, "limit": MAX_ROWS})
                    grid.extend(list(row) for _ in range(min(repeat_row, ROW_LIMIT - len(grid))))
                    number += repeat_row
                    el.clear()
                elif tag == t + "table":
                    sheets[sheet] = grid
                    el.clear()
    except FormError:
        raise
    except _Damaged as exc:
        raise FormError("form-damaged", {"path": name, "detail": exc.detail}) from None
    except Exception as exc:  # defusedxml's refusals, a damaged part: never a traceback
        if "Forbidden" in type(exc).__name__:
            raise FormError("form-entities", {"path": name}) from None
        raise FormError("form-damaged", {"path": name, "detail": _damaged(exc)}) from None
    return sheets, _ods_saved(path)


def _ods_saved(path: Path) -> dt.datetime | None:
    """When an OpenDocument file was last saved (`dc:date` of its meta.xml), if it says."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open("meta.xml") as fh:
            head = fh.read(64 * 1024)  # read as bytes, never parsed: only the date is taken
        found = re.search(rb"<dc:date>([0-9T:.\-]{19,})", head)
        return dt.datetime.fromisoformat(found.group(1).decode()[:19]) if found else None
    except (KeyError, OSError, ValueError, zipfile.BadZipFile):
        return None


def _damaged(exc: BaseException) -> Msg:
    """Why a workbook could not be read, in words: a part missing or broken (what the parser
    said, in brackets, for whoever looks into it)."""
    return Msg("form.damaged", {"what": type(exc).__name__})


def _ods_cell(el: Any, o: str, t: str, x: str, sheet: str, row: int, column: int) -> Cell:
    kind = el.get(o + "value-type")
    formula = el.get(t + "formula") is not None
    if kind in ("float", "percentage", "currency"):
        raw = el.get(o + "value", "")
        try:
            number: float | int = float(raw)
        except ValueError:
            return Cell(raw, formula)
        number = _guarded(number, sheet, row, column)  # "inf", "nan", "1e999": no program writes them
        if number == int(number) and abs(number) < 1e15:
            number = int(number)
        return Cell(number, formula, kind == "percentage")
    if kind == "date":
        raw = el.get(o + "date-value", "")
        try:
            return Cell(dt.date.fromisoformat(raw[:10]), formula)
        except ValueError:
            return Cell(raw, formula)
    if kind == "boolean":
        return Cell(el.get(o + "boolean-value") == "true", formula)
    paragraphs = ["".join(p.itertext()) for p in el.iter(x + "p")]
    return Cell("\n".join(paragraphs) if paragraphs else None, formula)


REQUIRED = ("id", "occurrence", "percent", "date", "result", "difficulty", "proposal", "evidence", "by")


def _check_meta(meta: dict[str, str], name: str) -> None:
    """The hidden sheet as `request` wrote it, or a FormError: a form whose hidden sheet was edited
    cannot be trusted to say which rows and which columns are which. (Whether its period is the
    plan's is `collect`'s to say: it has the plan.)"""
    try:
        header = int(meta.get("header_row", ""))
        start = dt.date.fromisoformat(meta.get("start", ""))
        end = dt.date.fromisoformat(meta.get("end", ""))
        due = dt.date.fromisoformat(meta.get("due", ""))
        if meta.get("first_day"):
            dt.date.fromisoformat(meta["first_day"])
    except ValueError:
        raise FormError("form-damaged", {"path": name, "detail": Msg("form.damaged-meta")}) from None
    columns = meta.get("columns", "").split(",")
    if (not 1 <= header <= 50 or any(c not in columns for c in REQUIRED) or len(set(columns)) != len(columns)
            or len(columns) > len(COLUMNS) + 8 or not meta.get("sheet") or not meta.get("period")
            or not meta.get("body") or not start <= end or due < start):
        raise FormError("form-damaged", {"path": name, "detail": Msg("form.damaged-meta")})


def _answers(grid: Grid, sheet: str, name: str, meta: dict[str, str], meta_rows: list[list[str]]
             ) -> tuple[list[Answer], list[Diagnostic], list[Diagnostic]]:
    """The rows a body filled in. A row the form asked is known by the task and period it shows
    (locked cells the hidden sheet signed), in its place or moved (a row inserted or deleted
    above it): never by its place alone, so that a moved row is never taken for another task.
    The other locked cells are compared with what the form showed: a change is a warning. A row
    typed in below is read by its id."""
    from openpyxl.utils import get_column_letter

    signed_header = int(meta["header_row"])
    header, columns = _layout(grid, signed_header, meta["columns"].split(","), name, sheet,
                              meta.get("version") not in ("1", "2"))
    shift = header - signed_header  # rows inserted (or deleted) above the table
    asked_at: dict[int, tuple[str, str, list[str], bool]] = {}  # row → task, period, locked cells, percent asked
    by_label: dict[tuple[str, str], tuple[str, str, list[str], bool]] = {}
    period_code: dict[str, str] = {}  # a period in words → its code, for a row typed in
    if meta.get("version") != "1":
        for values in meta_rows:
            values = values + [""] * 8
            try:
                locked = [str(v) for v in json.loads(values[7])] if values[7] else []
                item = (values[1], values[2], locked,
                        FormRow(values[1], values[2], "", values[3], "", "", 0, "", values[6] or "dated").asks_percent)
                asked_at[int(values[0]) + shift] = item
            except (ValueError, TypeError, RecursionError):
                raise FormError("form-damaged", {"path": name, "detail": Msg("form.damaged-meta")}) from None
            if len(locked) > 2:
                by_label[(locked[1].strip(), locked[2].strip())] = item
                period_code[locked[2].strip()] = values[2]
    answers: list[Answer] = []
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    used: set[tuple[str, str]] = set()
    for r in range(header + 1, len(grid) + 1):  # the grid stops at ROW_LIMIT: a value below refused the file
        row = grid[r - 1]
        cells = {key: row[i] for i, key in enumerate(columns) if key and i < len(row)}
        where = {key: f"{get_column_letter(i + 1)}{r}" for i, key in enumerate(columns) if key}
        shown_id, shown_period = _str(cells.get("id")), _str(cells.get("occurrence"))
        if not any(not _blank(cells.get(key)) for key in INPUT):
            continue
        known = _asked_row(cells, asked_at.get(r), by_label.get((shown_id, shown_period)))
        if known is not None:
            task_id, occurrence, locked, asks_percent = known
            for key, expected in zip(INFO, locked, strict=False):
                cell = cells.get(key)
                now = "" if cell is None or cell.value is None else str(cell.value)
                if key != "stt" and key in cells and now.strip() != expected.strip():
                    warnings.append(Diagnostic("form-locked-changed", "warning", r, columns.index(key) + 1,
                                               {"column": Msg(f"form.col.{key}"), "shown": excerpt(expected, 60),
                                                "now": excerpt(now, 60)}, file=name, cell=cell_ref(sheet, where[key])))
            # a percent in a cell the form did not ask (grey, locked: continuous work, a supporter's row):
            # a number is read (collect says it is not counted), anything else is left out, never the row
            pct = cells.get("percent")
            if not asks_percent and not _blank(pct) and pct is not None and not _reads_as_percent(pct):
                warnings.append(Diagnostic("form-not-asked-ignored", "warning", r, columns.index("percent") + 1,
                                           {"column": Msg("form.col.percent"), "value": excerpt(str(pct.value), 30)},
                                           file=name, cell=cell_ref(sheet, where["percent"])))
                cells["percent"] = Cell(None)
                if all(_blank(cells.get(key)) for key in INPUT):
                    continue
        elif not shown_id:
            problems.append(Diagnostic("form-row-unknown", "error", r, 1, {}, file=name, cell=cell_ref(sheet, f"A{r}")))
            continue
        else:  # a row typed in by hand: read by its id
            task_id, occurrence = shown_id, period_code.get(shown_period, shown_period)
        answer = Answer(name, sheet, r, task_id, occurrence, None, None, None, None, None, None, None, where,
                        asked=known is not None or meta.get("version") == "1")
        if known is not None:
            if (task_id, occurrence) in used:
                problems.append(Diagnostic("form-duplicate-row", "error", r, columns.index("id") + 1,
                                           {"id": task_id}, file=name, cell=cell_ref(sheet, where["id"])))
                continue
            used.add((task_id, occurrence))
        for key in INPUT:
            cell = cells.get(key)
            if _blank(cell):
                continue
            assert cell is not None
            bad = _Blame(answer, key, columns)
            if _formula(cell):
                bad("form-formula", formula=excerpt(str(cell.value), 60))
            elif cell.error:
                bad("form-error-value", value=excerpt(str(cell.value), 20))
            elif key == "percent":
                answer.percent = _percent(cell, bad)
            elif key == "date":
                answer.day = _day(cell.value, bad)
            else:  # the formula check again on the text as it would be stored: stripped, its lines joined
                words = _clean(cell.value, bad)
                if words is not None and words.startswith("="):
                    bad("form-formula", formula=excerpt(words, 60))
                else:
                    setattr(answer, key, words)
        answers.append(answer)
        problems += answer.problems
    return answers, problems, warnings


_WEIGHTS = {"id": 2, "occurrence": 1, "title": 3}  # what tells one asked row from another (the rest: 1)
_LAYOUT_ROWS = 60  # rows above the table a body may have added (or removed) and the table still be found


def _asked_row(cells: dict[str, Cell], here: tuple[str, str, list[str], bool] | None,
               shown: tuple[str, str, list[str], bool] | None) -> tuple[str, str, list[str], bool] | None:
    """Which asked row a row of the sheet is: the one signed at its place (`here`) or the one whose
    task and period it shows (`shown`: the row moved, rows inserted or deleted in the table), the
    one whose locked cells it agrees with most (its title above all): a task code typed over in
    a locked cell does not make a row another task's. None: a row typed in by hand (it agrees with
    neither on its task code or its title)."""

    def agreement(item: tuple[str, str, list[str], bool]) -> int:
        points = 0
        for key, expected in zip(INFO, item[2], strict=False):
            if key != "stt" and key in cells and _str(cells[key]) == expected.strip():
                points += _WEIGHTS.get(key, 1)
        return points

    best, score = None, 0
    for item in (here, shown):
        if item is None:
            continue
        if len(item[2]) <= 3:  # a form that kept no title: known by its task and period only
            points = 10 if [_str(cells.get("id")), _str(cells.get("occurrence"))] == item[2][1:3] else 0
        else:
            points = agreement(item)
        if points > score:
            best, score = item, points
    if best is None or best is shown:
        return best
    # the row at its place: only when it still shows its title or its task code
    title_or_code = [key for key in ("id", "title") if key in cells
                     and _str(cells[key]) == best[2][INFO.index(key)].strip()]
    return best if title_or_code else None


def _layout(grid: Grid, header: int, columns: list[str], name: str, sheet: str,
            headed: bool) -> tuple[int, list[str | None]]:
    """The table as the sheet has it now: its heading row, and the key of each column (None: a
    column the form did not have), found by the headings the form wrote (in either language): a
    row inserted or deleted above the table, a column inserted, deleted or moved, and every value
    is still read from its own column. A heading of a column the body fills in, or of the task
    and period, that is gone (the column deleted, its heading typed over): FormError naming it.
    No row holding the headings: a FormError for a form that wrote them (`headed`: this
    version's), else (a form of an earlier version) the table as it was signed."""
    from kehoach.base.messages import LANGS

    def words(value: object) -> str:
        return " ".join(unicodedata.normalize("NFC", str(value)).split()).casefold() if value is not None else ""

    best: tuple[int, int, dict[str, int]] | None = None
    for lang in LANGS:
        labels = {words(text(f"form.col.{key}", lang)): key for key in columns}
        for r in range(1, min(len(grid), header + _LAYOUT_ROWS) + 1):
            found: dict[str, int] = {}
            for i, cell in enumerate(grid[r - 1]):
                key = labels.get(words(cell.value))
                if key is not None and key not in found:
                    found[key] = i
            if len(found) * 2 > len(columns) and (best is None or len(found) > best[1]):
                best = (r, len(found), found)
    if best is None:
        if headed:
            raise FormError("form-header-missing", {"path": name, "sheet": sheet})
        return header, list(columns)
    row, _, found = best
    missing = [key for key in REQUIRED if key in columns and key not in found]
    if missing:
        raise FormError("form-columns-changed", {"path": name, "sheet": sheet, "row": row,
                                                 "column": Msg(f"form.col.{missing[0]}")})
    layout: list[str | None] = [None] * (max(found.values()) + 1)
    for key, i in found.items():
        layout[i] = key
    return row, layout


def _formula(cell: Cell) -> bool:
    """A formula, or text that would be one: "=…" after any blank, tab, line break or byte order
    mark before it (a spreadsheet program reading the text back takes it for a formula)."""
    return cell.formula or (isinstance(cell.value, str) and re.match(r"[\s\ufeff]*=", cell.value) is not None)


def _blank(cell: Cell | None) -> bool:
    return cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


@dataclass
class _Blame:
    """Records a problem at one cell of an answered row."""

    answer: Answer
    key: str
    columns: list[str | None]

    def __call__(self, message: str, **params: object) -> None:
        a = self.answer
        a.problems.append(Diagnostic(message, "error", a.row, self.columns.index(self.key) + 1, dict(params),
                                     file=a.file, cell=cell_ref(a.sheet, a.cells[self.key])))


def cell_ref(sheet: str, ref: str) -> str:
    """A cell as Excel names it: `'Phiếu báo cáo'!H9` (a sheet name with spaces is quoted)."""
    return f"'{sheet}'!{ref}" if re.search(r"[^\w]", sheet) else f"{sheet}!{ref}"


def cell_column(ref: str) -> int:
    """The column number of a cell ("H9": 8), whichever layout its form has."""
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(ref.rstrip("0123456789"))


def _str(cell: Cell | None) -> str:
    return "" if cell is None or cell.value is None else str(cell.value).strip()


def _reads_as_percent(cell: Cell) -> bool:
    """Whether a cell holds a percent `_percent` takes (a whole number from 0 to 100, "50%")."""
    if _formula(cell):
        return False
    said: list[str] = []
    _percent(cell, lambda *_, **__: said.append("bad"))
    return not said


def _percent(cell: Cell, bad: Any) -> int | None:
    value = cell.value
    if isinstance(value, bool):
        bad("form-bad-percent", value=str(value))
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if cell.percent_format and number <= 1:
            number *= 100  # "75%" typed in a cell formatted as a percentage is 0.75
    else:
        m = re.fullmatch(r"\s*(\d{1,3}(?:[.,]\d{1,6})?)\s*%?\s*", str(value)[:40])
        if not m:
            bad("form-bad-percent", value=excerpt(str(value), 40))
            return None
        number = float(m.group(1).replace(",", "."))
    if number != number or not 0 <= number <= 100 or number != int(number):  # NaN, out of range, a fraction
        bad("form-bad-percent", value=excerpt(str(value), 40))
        return None
    return int(number)


def _day(value: Any, bad: _Blame) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    typed = str(value).strip()
    words = typed[:40]
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", words)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", words)  # not the other ISO forms ("2021-W37-2")
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:  # the form is right, the day is not in the calendar (31/9, 29/2/2021)
        bad("form-no-such-date", value=excerpt(typed, 40))
        return None
    bad("form-bad-date", value=excerpt(typed, 40))
    return None


def _clean(value: Any, bad: _Blame) -> str | None:
    """A cell's text as an entry's: NFC (text typed with combining marks is the same text), lines
    joined ("Alt+Enter" in a cell), a byte order mark at its start dropped; a control character or
    an invisible one (a zero-width space, a mark that reorders text) refused, naming where it is."""
    from kehoach.base.errors import UsageError as _Usage
    from kehoach.base.text import nfc
    from kehoach.life.log import clean_text

    if isinstance(value, dt.datetime | dt.date):  # a date typed in a text column: as it was typed
        words = f"{value.day:02d}/{value.month:02d}/{value.year}"
        if isinstance(value, dt.datetime) and (value.hour, value.minute) != (0, 0):
            words += f" {value.hour:02d}:{value.minute:02d}"
        return words
    words = nfc(str(value)).removeprefix("\ufeff")
    at = hidden_at(words)
    if at is not None:
        before = re.sub(r"[\t\n\r]+", " ", words[:at]).rstrip()
        where = (Msg("form.hidden-after", {"text": tail(before, 24)}) if before.strip()
                 else Msg("form.hidden-first"))
        bad("form-control-character", code=f"{ord(words[at]):04X}", where=where)
        return None
    try:
        return clean_text(words, "form")
    except _Usage as exc:  # what hidden_at does not know: refused as `kehoach log` refuses it
        if exc.code == "text-too-long":
            bad("form-text-too-long", length=exc.params["length"], limit=exc.params["limit"])
        else:
            bad("form-control-character", code=exc.params.get("code", ""), where="")
        return None


# characters that show nothing, or reorder what is shown: a name or a result holding one reads
# other than it is written, or is not the same text as the one typed again ("Trojan source")
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2060\u2066\u2067\u2068\u2069\u061c\ufeff")


def hidden_at(words: str) -> int | None:
    """Where the first character a reader cannot see stands in `words` (a control character other
    than tab and line breaks, a zero-width or bidirectional mark, a byte order mark, a tag
    character), or None."""
    import unicodedata

    if words.isascii() and words.isprintable():
        return None
    for i, ch in enumerate(words):
        if ch in INVISIBLE or "\U000e0000" <= ch <= "\U000e007f" or (
                unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") and ch not in "\t\n\r"):
            return i
    return None


def excerpt(words: str, limit: int) -> str:
    """`words` as a message quotes them: whole when short, else cut at a word's end, with "…"."""
    words = words.replace("\n", " ")
    if len(words) <= limit:
        return words
    cut = words[:limit]
    if re.match(r"\w", words[limit]):  # a word runs on past the limit: left out, unless it is all there is
        cut = re.sub(r"\w+$", "", cut) or cut
    return cut.rstrip(" ,;:") + "…"


def tail(words: str, limit: int) -> str:
    """The end of `words` as a message quotes it: whole when short, else "…" and its last words."""
    if len(words) <= limit:
        return words
    cut = words[-limit:]
    space = cut.find(" ")
    if 0 <= space <= limit // 2:
        cut = cut[space + 1:]
    return "…" + cut.lstrip()
