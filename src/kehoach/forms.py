"""Return forms in Excel: `kehoach request` writes one per body, `kehoach collect`
records what the bodies write in them.

The standing unit sends each body that leads or supports work of the period a
workbook: a header (the plan, the body, the period, the date the answer is
due), one row per task and per open occurrence of a recurring duty that
concerns the body (its id, title, role, deadline, status and percent, locked),
and columns to fill in: percent, date, result, difficulty, proposal, evidence,
reported by. A very hidden sheet records what the form was made from (plan id,
the plan file's hash, body, period, rows and a fingerprint of each task), so
that `collect` recognises it.

A returned workbook comes from outside the office and is data, never code: it
is refused before it is opened when it is too large, a zip bomb, macro-enabled
(`.xlsm`, a VBA project), encrypted or an old `.xls`, or holds a DTD or an
entity (XML attacks); openpyxl reads it (with defusedxml) without evaluating
anything, and a formula in a cell to fill in is refused, not computed. Plan
text written into a form that Excel would take for a formula (`=`, `+`, `-`,
`@`) is written as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic
from .errors import KehoachError, UsageError
from .files import zip_bomb
from .messages import Localized, Msg, text
from .spreadsheet import put_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .evaluation import Judged
    from .model import Plan, Task
    from .periods import Span

FORM_VERSION = 1
META = "_kehoach"  # the very hidden sheet
# the columns: the first eight are the plan's (locked), the rest the body's to fill in
INFO = ("stt", "id", "occurrence", "title", "role", "deadline", "status", "percent_now")
INPUT = ("percent", "date", "result", "difficulty", "proposal", "evidence", "by")
COLUMNS = INFO + INPUT
WIDTHS = {"stt": 5, "id": 9, "occurrence": 9, "title": 46, "role": 10, "deadline": 16, "status": 20,
          "percent_now": 9, "percent": 9, "date": 12, "result": 40, "difficulty": 28, "proposal": 28,
          "evidence": 22, "by": 16}
HEADER_ROW = 8  # the row of column headings; the rows of tasks follow
# a returned workbook: refused above these
MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member
MAX_MEMBERS = 2000
MAX_ROWS = 5000


class FormError(UsageError):
    """A workbook refused as a whole (exit 2): not a form, too large, macro-enabled, hostile."""


# ---------------------------------------------------------------- what a form holds


@dataclass
class FormRow:
    task_id: str
    occurrence: str  # the occurrence code of a recurring duty (2021-Q3), else ""
    title: str
    role: str  # lead | support
    deadline: str  # in words
    status: str  # code
    percent: int  # where it stands now
    fingerprint: str  # the task's title, deadline and bodies when the form was made


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

    @property
    def stem(self) -> str:
        """The file name (without suffix): `<plan>-phieu-<period>-<body>`."""
        return f"{self.plan_id}-phieu-{self.span.code}-{self.body_id}"


def plan_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def fingerprint(task: Task) -> str:
    """What a body was asked about: the task's title, deadline and bodies."""
    from .model import written_form

    data = [task.title, written_form(task.deadline) if task.deadline is not None else None,
            list(task.lead), list(task.support)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _wanted(j: Judged, span: Span) -> bool:
    """A row of the period's form: work due in it (or before it and still open), work in
    progress, continuous work, and work whose window has begun by the period's end; not an
    event's duty before the event (a task "sau khi … phê duyệt" waits for it)."""
    from .deadlines import Dated, Triggered

    deadline = j.node.deadline
    if isinstance(deadline, Triggered) and deadline.triggered_on is None:
        return False
    if j.verdict in ("unfinished_overdue", "unfinished", "in_progress", "continuing", "unreported"):
        return True
    if j.verdict == "not_started":
        return not isinstance(deadline, Dated) or deadline.start <= span.end
    return False


def build_requests(plan: Plan, span: Span, as_of: dt.date, plan_file: str, raw: bytes, due: dt.date | None = None,
                   body: str | None = None, lang: str = "vi") -> list[RequestForm]:
    """One form per body that leads or supports open work of the period (`body`: that one only;
    groups are sent to their members). The period's evaluation says which work; where each
    stands is its status on `as_of` (work completed since is not asked about again)."""
    from .bodies import Bodies
    from .evaluation import evaluate
    from .status import compute_status
    from .vndates import deadline_text

    ev = evaluate(plan, span, as_of)
    now = compute_status(plan, as_of).by_id()
    bodies = Bodies(plan)
    wanted_ids = set(bodies.require(body)) if body is not None else None
    due = due or default_due(plan, span, as_of)
    digest = plan_hash(raw)
    per_body: dict[str, list[FormRow]] = {}
    for j in ev.judged:
        if not _wanted(j, span):
            continue
        node = j.node
        ts = now[node.id]
        occurrence = j.occurrence.code if j.occurrence is not None else ""
        if j.occurrence is not None:
            occ = next(o for o in ts.occurrences if o.code == occurrence)
            status, percent = occ.status, occ.percent
        else:
            status, percent = ts.status, ts.percent
        if status in ("done_on_time", "done_late"):
            continue  # completed since the period's close: nothing to ask
        for role, ids in (("lead", node.lead), ("support", node.support)):
            for ident in bodies.expand(ids):
                if wanted_ids is not None and not bodies.involves([ident], wanted_ids):
                    continue
                rows = per_body.setdefault(ident, [])
                if any(r.task_id == node.id and r.occurrence == occurrence for r in rows):
                    continue  # a body that both leads and supports: once, as lead
                kind = role if role == "support" or ident in node.lead else "member"  # a lead group's member
                words = deadline_text(node.deadline, lang) if node.deadline is not None else ""
                rows.append(FormRow(node.id, occurrence, node.task.title, kind, words, status, percent,
                                    fingerprint(node.task)))
    info = plan.plan
    return [RequestForm(info.id, info.title, info.number or "", plan_file, digest, ident, bodies.name(ident), span,
                        as_of, due, rows)
            for ident, rows in per_body.items() if ident in bodies.by_id]


def role_of(node: Any, body: str, bodies: Any) -> str:
    """How a body stands to a task: `lead` (named as lead), `member` (of a lead group), `support`."""
    if body in node.lead:
        return "lead"
    return "member" if bodies.involves(node.lead, {body}) else "support"


def default_due(plan: Plan, span: Span, as_of: dt.date) -> dt.date:
    """Five working days before the period's end; five after today when that is later."""
    from .workdays import next_working_day, previous_working_day

    day = span.end + dt.timedelta(days=1)
    for _ in range(5):
        day = previous_working_day(day, plan)
    if day < as_of:
        day = as_of
        for _ in range(5):
            day = next_working_day(day, plan)
    return day


# ---------------------------------------------------------------- writing a form


def write_form(form: RequestForm, lang: str = "vi") -> bytes:
    """The workbook of one form (xlsx bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .status import STATUS_CODES, label
    from .vndates import long_date, short_date, span_label

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = text("form.sheet", lang)
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=11)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill_info = PatternFill("solid", fgColor="EDEDED")
    fill_input = PatternFill("solid", fgColor="FFF9E0")
    last = get_column_letter(len(COLUMNS))

    head = [
        (text("form.title", lang), Font(name="Times New Roman", bold=True, size=14)),
        (text("form.plan", lang, number=form.plan_number or "…", title=form.plan_title), bold),
        (text("form.body", lang, body=form.body_name), bold),
        (text("form.period", lang, period=span_label(form.span, lang), start=short_date(form.span.start, lang),
              end=short_date(form.span.end, lang)), plain),
        (text("form.due", lang, date=long_date(form.due, lang)), Font(name="Times New Roman", bold=True, size=11,
                                                                       color="C00000")),
        (text("form.how", lang), Font(name="Times New Roman", italic=True, size=10)),
    ]
    for i, (words, font) in enumerate(head, start=1):
        ws.merge_cells(f"A{i}:{last}{i}")
        cell = ws.cell(row=i, column=1)
        put_text(cell, words)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if i <= 3 else "left", vertical="center", wrap_text=True)
    ws.row_dimensions[6].height = 45
    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=text(f"form.col.{key}", lang))
        cell.font = Font(name="Times New Roman", bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        cell.fill = fill_info if key in INFO else fill_input
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    ws.row_dimensions[HEADER_ROW].height = 32

    pct_rules: dict[int, DataValidation] = {}
    latest = form.due + dt.timedelta(days=60)
    date_rule = DataValidation(type="date", operator="between", allow_blank=True, showErrorMessage=True,
                               formula1=_excel_date(form.span.start), formula2=_excel_date(latest),
                               errorTitle=text("form.bad-date-title", lang), error=text("form.bad-date", lang))
    ws.add_data_validation(date_rule)
    for n, row in enumerate(form.rows, start=1):
        r = HEADER_ROW + n
        values: dict[str, str | int] = {"stt": n, "id": row.task_id, "occurrence": row.occurrence, "title": row.title,
                  "role": text(f"form.role.{row.role}", lang), "deadline": row.deadline,
                  "status": label(row.status, lang) if row.status in STATUS_CODES else row.status,
                  "percent_now": row.percent}
        for col, key in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=col)
            value = values.get(key)
            if isinstance(value, str):
                put_text(cell, value)
            elif value is not None:
                cell.value = value
            cell.font = plain
            cell.alignment = wrap if key not in ("stt", "percent_now", "percent") else Alignment(
                horizontal="center", vertical="top")
            cell.border = box
            if key in INPUT and not (key == "percent" and row.role != "lead"):
                cell.protection = Protection(locked=False)
                cell.fill = fill_input
            elif key == "percent":  # only the lead body says how far the task is
                cell.fill = fill_info
        # wrapped text needs its height: as many lines as its longest cell takes
        lines = max(-(-len(str(values[k])) // max(WIDTHS[k] - 2, 1)) for k in ("title", "deadline", "status"))
        ws.row_dimensions[r].height = max(2, lines) * 15
        date_cell = ws.cell(row=r, column=COLUMNS.index("date") + 1)
        date_cell.number_format = "dd/mm/yyyy"
        date_rule.add(date_cell.coordinate)
        if row.role != "lead":
            continue
        rule = pct_rules.get(row.percent)
        if rule is None:
            rule = pct_rules[row.percent] = DataValidation(
                type="whole", operator="between", formula1=str(row.percent), formula2="100", allow_blank=True,
                showErrorMessage=True, errorTitle=text("form.bad-percent-title", lang),
                error=text("form.bad-percent", lang, percent=row.percent))
            ws.add_data_validation(rule)
        rule.add(ws.cell(row=r, column=COLUMNS.index("percent") + 1).coordinate)
    end_row = HEADER_ROW + max(len(form.rows), 1)
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last}{end_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.protection.sheet = True  # the plan's columns are locked; the body's are not
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    meta = wb.create_sheet(META)
    meta.sheet_state = "veryHidden"
    pairs: list[tuple[str, str | int]] = [("format", "kehoach-form"), ("version", FORM_VERSION), ("plan", form.plan_id),
             ("plan_file", form.plan_file), ("plan_sha256", form.plan_hash), ("body", form.body_id),
             ("period", form.span.code), ("start", form.span.start.isoformat()), ("end", form.span.end.isoformat()),
             ("as_of", form.as_of.isoformat()), ("due", form.due.isoformat()), ("sheet", ws.title),
             ("header_row", HEADER_ROW), ("columns", ",".join(COLUMNS))]
    for i, (key, pair) in enumerate(pairs, start=1):
        meta.cell(row=i, column=1, value=key)
        put_text(meta.cell(row=i, column=2), str(pair))
    start = len(pairs) + 2
    for i, row in enumerate(form.rows):
        for col, item in enumerate((row.task_id, row.occurrence, row.role, row.percent, row.fingerprint), start=1):
            cell = meta.cell(row=start + i, column=col)
            if isinstance(item, str):
                put_text(cell, item)
            else:
                cell.value = item
    stamp = dt.datetime.combine(form.as_of, dt.time(0, 0))
    wb.properties.creator = "kehoach"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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


@dataclass
class ReturnedForm:
    file: str
    meta: dict[str, str]
    rows: dict[tuple[str, str], dict[str, Any]]  # (task, occurrence) → what the form asked (role, percent, …)
    answers: list[Answer]
    problems: list[Diagnostic] = field(default_factory=list)  # rows refused as read

    @property
    def body(self) -> str:
        return self.meta.get("body", "")


def inspect_file(path: Path) -> None:
    """Refuse a workbook that is not a plain .xlsx of a sensible size, before any parser opens it."""
    name = str(path)
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam"):
        raise FormError("form-macro", {"path": name})
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FormError("form-not-found", {"path": name}) from None
    except OSError as exc:
        raise FormError("form-unreadable", {"path": name, "detail": exc.strerror or str(exc)}) from None
    if not path.is_file():
        raise FormError("form-unreadable", {"path": name, "detail": Msg("form.not-a-file")})
    if size > MAX_BYTES:
        raise FormError("form-too-large", {"path": name, "size": size // 1024, "limit": MAX_BYTES // 1024})
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: an encrypted workbook, or an old .xls
        raise FormError("form-encrypted", {"path": name})
    if not magic.startswith(b"PK"):
        raise FormError("form-not-xlsx", {"path": name})
    try:
        with zipfile.ZipFile(path) as zf:
            if zip_bomb(zf, MAX_UNZIPPED, MAX_RATIO, MAX_MEMBERS):
                raise FormError("form-bomb", {"path": name})
            members = zf.infolist()
            names = {m.filename for m in members}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise FormError("form-macro", {"path": name})
            types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise FormError("form-macro", {"path": name})
            for m in members:
                if m.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with zf.open(m) as member:
                        head = member.read(1024 * 1024)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise FormError("form-entities", {"path": name})
    except zipfile.BadZipFile:
        raise FormError("form-not-xlsx", {"path": name}) from None


def read_form(path: str | os.PathLike[str]) -> ReturnedForm:
    """A returned form's rows as the body wrote them; a FormError when the file is refused."""
    from openpyxl import load_workbook

    path = Path(path)
    name = str(path)
    inspect_file(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_vba=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile workbook: refused, never a traceback
        if "Forbidden" in type(exc).__name__:  # defusedxml: a DTD or an entity our scan did not see
            raise FormError("form-entities", {"path": name}) from None
        raise FormError("form-unreadable", {"path": name, "detail": type(exc).__name__}) from None
    try:
        if META not in wb.sheetnames:
            raise FormError("form-not-ours", {"path": name})
        meta_ws = wb[META]
        pairs: dict[str, str] = {}
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        blank = False
        for values in meta_ws.iter_rows(max_row=MAX_ROWS, values_only=True):
            first = values[0] if values else None
            if first is None:
                blank = True
                continue
            if not blank:
                pairs[str(first)] = "" if len(values) < 2 or values[1] is None else str(values[1])
            else:
                task, occ, role, percent, print_ = (list(values) + [None] * 5)[:5]
                rows[(str(task), "" if occ is None else str(occ))] = {
                    "role": str(role or ""), "percent": percent if isinstance(percent, int) else 0,
                    "fingerprint": str(print_ or "")}
        if pairs.get("format") != "kehoach-form":
            raise FormError("form-not-ours", {"path": name})
        _check_meta(pairs, name)
        if pairs["sheet"] not in wb.sheetnames or pairs["sheet"] == META:
            raise FormError("form-sheet-missing", {"path": name, "sheet": pairs.get("sheet", "")})
        ws = wb[pairs["sheet"]]
        answers, problems = _answers(ws, name, pairs)
    finally:
        wb.close()
    return ReturnedForm(name, pairs, rows, answers, problems)


REQUIRED = ("id", "occurrence", "percent", "date", "result", "difficulty", "proposal", "evidence", "by")


def _check_meta(meta: dict[str, str], name: str) -> None:
    """The hidden sheet as `request` wrote it, or a FormError: a form whose hidden sheet was edited
    cannot be trusted to say which rows and which columns are which."""
    try:
        header = int(meta.get("header_row", ""))
        dt.date.fromisoformat(meta.get("start", ""))
        dt.date.fromisoformat(meta.get("end", ""))
        dt.date.fromisoformat(meta.get("due", ""))
    except ValueError:
        raise FormError("form-damaged", {"path": name}) from None
    columns = meta.get("columns", "").split(",")
    if not 1 <= header <= 50 or any(c not in columns for c in REQUIRED) or len(set(columns)) != len(columns):
        raise FormError("form-damaged", {"path": name})


def _answers(ws: Worksheet, name: str, meta: dict[str, str]) -> tuple[list[Answer], list[Diagnostic]]:
    from openpyxl.utils import get_column_letter

    header = int(meta["header_row"])
    columns = meta["columns"].split(",")
    answers: list[Answer] = []
    problems: list[Diagnostic] = []
    for r, row in enumerate(ws.iter_rows(min_row=header + 1, max_row=header + MAX_ROWS), start=header + 1):
        cells = {key: row[i] for i, key in enumerate(columns) if i < len(row)}
        ident = cells.get("id")
        if ident is None or ident.value is None or not str(ident.value).strip():
            continue
        where = {key: f"{get_column_letter(i + 1)}{r}" for i, key in enumerate(columns)}
        answer = Answer(name, ws.title, r, str(ident.value).strip(), _str(cells.get("occurrence")), None, None,
                        None, None, None, None, None, where)
        filled = False
        for key in INPUT:
            cell = cells.get(key)
            if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            filled = True
            bad = _Blame(answer, key, columns)
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                bad("form-formula", formula=str(cell.value)[:40])
            elif key == "percent":
                answer.percent = _percent(cell, bad)
            elif key == "date":
                answer.day = _day(cell.value, bad)
            else:
                setattr(answer, key, _clean(cell.value, bad))
        if filled:
            answers.append(answer)
            problems += answer.problems
    return answers, problems


@dataclass
class _Blame:
    """Records a problem at one cell of an answered row."""

    answer: Answer
    key: str
    columns: list[str]

    def __call__(self, message: str, **params: object) -> None:
        a = self.answer
        a.problems.append(Diagnostic(message, "error", a.row, self.columns.index(self.key) + 1, dict(params),
                                     file=a.file, cell=_cell(a.sheet, a.cells[self.key])))


def _cell(sheet: str, ref: str) -> str:
    """A cell as Excel names it: `'Phiếu báo cáo'!H9` (a sheet name with spaces is quoted)."""
    return f"'{sheet}'!{ref}" if re.search(r"[^\w]", sheet) else f"{sheet}!{ref}"


def _str(cell: Any) -> str:
    return "" if cell is None or cell.value is None else str(cell.value).strip()


def _percent(cell: Any, bad: _Blame) -> int | None:
    value = cell.value
    if isinstance(value, bool):
        bad("form-bad-percent", value=str(value))
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if "%" in (cell.number_format or "") and number <= 1:
            number *= 100  # "75%" typed in a cell formatted as a percentage is 0.75
    else:
        m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*%?\s*", str(value))
        if not m:
            bad("form-bad-percent", value=str(value)[:20])
            return None
        number = float(m.group(1).replace(",", "."))
    if number != int(number) or not 0 <= number <= 100:
        bad("form-bad-percent", value=str(value)[:20])
        return None
    return int(number)


def _day(value: Any, bad: _Blame) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    words = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", words)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", words)  # not the other ISO forms ("2021-W37-2")
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:  # the form is right, the day is not in the calendar (31/9, 29/2/2021)
        bad("form-no-such-date", value=words[:20])
        return None
    bad("form-bad-date", value=words[:20])
    return None


def _clean(value: Any, bad: _Blame) -> str | None:
    """A cell's text as an entry's: NFC (text typed with combining marks is the same text), lines
    joined ("Alt+Enter" in a cell), a control character refused."""
    from .errors import UsageError as _Usage
    from .textutil import nfc
    from .writeback import clean_text

    try:
        return clean_text(nfc(str(value)), "form")
    except _Usage as exc:
        bad("form-control-character", code=exc.params.get("code", ""))
        return None


# ---------------------------------------------------------------- collecting


@dataclass
class Planned:
    """An entry a row will add to the plan, and the row it comes from."""

    answer: Answer
    task_id: str
    entry: dict[str, Any]


@dataclass
class CollectResult:
    plan_path: str
    forms: list[ReturnedForm]
    planned: list[Planned]  # accepted, in order
    refused: list[Diagnostic]  # rows refused (at their cells) and whole forms refused
    warnings: list[Diagnostic]
    repeated: list[Answer]  # rows already recorded: nothing to add
    written: bool = False
    dry_run: bool = False
    partial: bool = False

    @property
    def rows(self) -> int:
        return len({(p.answer.file, p.answer.row) for p in self.planned})


def collect(plan_path: str | os.PathLike[str], files: list[str | os.PathLike[str]], today: dt.date,
            partial: bool = False, dry_run: bool = False) -> CollectResult:
    """Read returned forms and record their rows as progress, as `kehoach log` would: all in one
    atomic write, nothing when a row is refused (unless `partial`) or with `dry_run`."""
    from .loader import read_bytes, require_plan
    from .writeback import LogError, append_entries

    path = Path(plan_path)
    plan = require_plan(path).plan
    assert plan is not None
    raw, _ = read_bytes(path)
    digest = plan_hash(raw or b"")
    forms = [read_form(f) for f in files]  # a hostile file stops everything: FormError
    result = CollectResult(str(path), forms, [], [], [], [], dry_run=dry_run, partial=partial)
    tasks = {t.id: t for t, _ in plan.iter_tasks()}
    from .bodies import Bodies
    from .schedule import build_schedule

    nodes = build_schedule(plan).by_id()
    bodies = Bodies(plan)
    seen: set[tuple[str, str, str]] = set()
    planned_keys: set[tuple[Any, ...]] = set()  # entries already planned in this run (a form sent twice)
    forms_of: dict[tuple[str, str], str] = {}  # (body, period) → the first form read
    for form in forms:
        result.refused += form.problems
        meta = form.meta
        other = forms_of.setdefault((form.body, meta.get("period", "")), form.file)
        if other != form.file:
            result.refused.append(Diagnostic("form-twice", "error", file=form.file, cell=META,
                                             params={"other": other, "body": bodies.name(form.body),
                                                     "period": meta.get("period", "")}))
            continue
        if meta.get("plan") != plan.plan.id:
            result.refused.append(Diagnostic("form-other-plan", "error", file=form.file, cell=META,
                                             params={"plan": meta.get("plan", "?"), "ours": plan.plan.id}))
            continue
        if form.body not in bodies.by_id:
            result.refused.append(Diagnostic("form-unknown-body", "error", file=form.file, cell=META,
                                             params={"body": form.body}))
            continue
        start, end = dt.date.fromisoformat(meta["start"]), dt.date.fromisoformat(meta["end"])
        # a row without its date: the date the form was due back, within the period and the plan,
        # never later than today (the same date every time the form is collected)
        undated = min(dt.date.fromisoformat(meta["due"]), end, plan.plan.period.end, today)
        changed = meta.get("plan_sha256") != digest
        body_name = bodies.name(form.body)
        for answer in form.answers:
            if answer.problems:
                continue
            where = answer.cells

            def refuse(key: str, code: str, answer: Answer = answer, where: dict[str, str] = where,
                       **params: object) -> None:
                result.refused.append(Diagnostic(code, "error", answer.row, COLUMNS.index(key) + 1, dict(params),
                                                 file=answer.file, cell=_cell(answer.sheet, where[key])))

            key = (form.file, answer.task_id, answer.occurrence)
            if key in seen:
                refuse("id", "form-duplicate-row", id=answer.task_id)
                continue
            seen.add(key)
            node = nodes.get(answer.task_id)
            if node is None:
                refuse("id", "form-unknown-task", id=answer.task_id)
                continue
            if not bodies.involves(node.lead + node.support, {form.body}):
                refuse("id", "form-not-this-body", id=answer.task_id, body=bodies.name(form.body))
                continue
            asked = form.rows.get((answer.task_id, answer.occurrence))
            if asked is None and answer.occurrence:
                refuse("occurrence", "form-bad-occurrence", id=answer.task_id, occurrence=answer.occurrence)
                continue
            if changed and asked is not None and asked["fingerprint"] != fingerprint(tasks[answer.task_id]):
                result.warnings.append(Diagnostic("form-task-changed", "warning", answer.row, 2,
                                                  {"id": answer.task_id}, file=answer.file,
                                                  cell=_cell(answer.sheet, where["id"])))
            role = role_of(node, form.body, bodies)
            if role != "lead" and answer.percent is not None:
                result.warnings.append(Diagnostic("form-percent-not-lead", "warning", answer.row,
                                                  COLUMNS.index("percent") + 1, {"body": body_name, "id": node.id},
                                                  file=answer.file, cell=_cell(answer.sheet, where["percent"])))
            planned = _entries(answer, node, start, undated, today, refuse, role, body_name)
            if planned is None:
                continue
            fresh = [p for p in planned
                     if not _recorded(tasks[answer.task_id], p.entry) and _key(p) not in planned_keys]
            if not fresh:
                result.repeated.append(answer)
                continue
            planned_keys.update(_key(p) for p in fresh)
            result.planned += fresh
    if not result.planned:
        return result
    try:
        batch = append_entries(path, [(p.task_id, p.entry) for p in result.planned], partial=partial,
                               dry_run=dry_run or (bool(result.refused) and not partial))
    except LogError:
        raise
    for index, error in batch.refused:
        p = result.planned[index]
        result.refused.append(Diagnostic("form-log-refused", "error", p.answer.row, 1,
                                         {"id": p.task_id, "detail": Why(error)},
                                         file=p.answer.file, cell=_cell(p.answer.sheet, p.answer.cells["percent"])))
    refused_rows = {(result.planned[i].answer.file, result.planned[i].answer.row) for i, _ in batch.refused}
    result.planned = [p for p in result.planned if (p.answer.file, p.answer.row) not in refused_rows]
    result.written = batch.saved
    return result


@dataclass(frozen=True, eq=False)
class Why(Localized):
    """Why `kehoach log` refused an entry, worded in the language of the message holding it."""

    error: KehoachError

    def localize(self, lang: str) -> str:
        return "; ".join(d.message(lang) for d in self.error.diagnostics) or self.error.message(lang)


def _entries(answer: Answer, node: Any, start: dt.date, undated: dt.date, today: dt.date, refuse: Any,
             role: str = "lead", body_name: str = "") -> list[Planned] | None:
    """The progress entries of one answered row (a result, a difficulty, a proposal), or None
    when the row is refused. Only the lead body's percent moves the task; a supporting body's
    (or one member's of a lead group) results are recorded at the task's percent, in its name."""
    from .deadlines import Recurring

    day = answer.day or undated
    if day > today:
        refuse("date", "form-future-date", date=_shown(day))
        return None
    if day < start:
        refuse("date", "form-date-before-period", date=_shown(day), start=_shown(start))
        return None
    current = node_percent(node.task, answer.occurrence, day)
    percent = answer.percent if role == "lead" else current  # only the lead's percent moves the task
    if percent is None:
        percent = current
        if answer.result is not None:
            refuse("percent", "form-need-percent")
            return None
    if answer.result is None and answer.percent is not None and role == "lead":
        refuse("result", "form-need-result")
        return None
    if percent < current:
        refuse("percent", "form-percent-down", percent=percent, current=current)
        return None
    if isinstance(node.deadline, Recurring) and not answer.occurrence:
        refuse("occurrence", "form-need-occurrence", id=answer.task_id)
        return None
    by = ", ".join(x for x in (answer.by, body_name) if x) or None  # who wrote it, and for which body
    base = {"date": day, "percent": percent, "occurrence": answer.occurrence or None, "by": by}
    out = []
    if answer.result is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.result, "evidence": answer.evidence}))
    if answer.difficulty is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.difficulty, "kind": "difficulty"}))
    if answer.proposal is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.proposal, "kind": "proposal"}))
    if not out:
        refuse("result", "form-need-result")
        return None
    return out


def node_percent(task: Task, occurrence: str, day: dt.date) -> int:
    """Where a task (or one occurrence of it) stands on `day`: its highest percent logged by then."""
    entries = [e for e in task.progress if (not occurrence or e.occurrence == occurrence) and e.date <= day]
    return max((e.percent for e in entries), default=0)


def _key(p: Planned) -> tuple[Any, ...]:
    """What makes two entries the same report: the task, its period, the kind, the words and the
    percent (not the date: a form collected again, or sent twice, says nothing new)."""
    from .textutil import nfc

    e = p.entry
    return (p.task_id, e.get("occurrence"), e.get("kind") or "result", nfc(e["note"]), e["percent"])


def _recorded(task: Task, entry: dict[str, Any]) -> bool:
    """The same report is in the plan already (the form was collected before)."""
    from .textutil import nfc

    mine = (entry.get("occurrence"), entry.get("kind") or "result", nfc(entry["note"]), entry["percent"])
    return any((e.occurrence, str(e.kind), nfc(e.note), e.percent) == mine for e in task.progress)


def _shown(day: dt.date) -> Any:
    from .vndates import date_param

    return date_param(day)


# ---------------------------------------------------------------- the commands' work


def make_requests(plan_path: str | os.PathLike[str], period: str, as_of: dt.date, out_dir: str | os.PathLike[str],
                  due: dt.date | None = None, body: str | None = None, force: bool = False,
                  lang: str = "vi") -> list[tuple[RequestForm, Path]]:
    """Write the period's forms into `out_dir` (made if missing), one per body; refused when a form
    file is there already (a returned one could be lost), unless `force`."""
    from .loader import read_bytes, require_plan
    from .output import write
    from .reportview import resolve_span

    loaded = require_plan(plan_path)
    assert loaded.plan is not None
    raw, _ = read_bytes(plan_path)
    span = resolve_span(loaded.plan, period, None, None)
    if due is not None and (due < as_of or due < span.start):
        raise UsageError("request-bad-due", {"due": _shown(due), "as_of": _shown(as_of), "start": _shown(span.start)})
    forms = build_requests(loaded.plan, span, as_of, Path(plan_path).name, raw or b"", due, body, lang)
    if not forms:
        raise KehoachError("request-nothing", {"period": span.code})
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError("request-not-folder", {"path": str(folder)})
    targets = [(form, folder / f"{form.stem}.xlsx") for form in forms]
    if not force:
        there = [str(p) for _, p in targets if p.exists()]
        if there:
            raise UsageError("request-exists", {"path": there[0], "n": len(there)})
    folder.mkdir(parents=True, exist_ok=True)
    for form, target in targets:
        write(write_form(form, lang), target)
    return targets


def format_collect(result: CollectResult, lang: str = "vi") -> str:
    """What collect adds (a line per entry), what it refused (as `kehoach check` shows problems),
    and what it did."""
    from .diagnostics import CheckResult, format_text
    from .textutil import visible
    from .vndates import short_date

    lines = []
    if result.planned:
        lines.append(text("collect.heading-written" if result.written else "collect.heading", lang))
        for p in result.planned:
            e = p.entry
            kind = text(f"collect.kind.{e.get('kind') or 'result'}", lang)
            occ = f" ({e['occurrence']})" if e.get("occurrence") else ""
            where = f"{p.answer.file}:{_cell(p.answer.sheet, p.answer.cells['id'])}"
            line = f"  {where}  {p.task_id}{occ}  {short_date(e['date'], lang)}  {e['percent']}%  {kind}: {e['note']}"
            lines.append(visible(line, newlines=False))
    problems = CheckResult(result.refused + result.warnings, [f.file for f in result.forms])
    if problems.diagnostics:
        lines.append(format_text(problems, lang, summary=False).rstrip("\n"))
    key = ("collect.written" if result.written else "collect.dry-run" if result.dry_run
           else "collect.not-written" if result.refused and not result.partial else "collect.nothing")
    refused_rows = len({(d.file, d.line if d.cell != META else -1) for d in result.refused})
    lines.append(text(key, lang, entries=len(result.planned), rows=result.rows, refused=refused_rows,
                      repeated=len(result.repeated), forms=len(result.forms), plan=result.plan_path))
    return "\n".join(lines) + "\n"


def collect_json(result: CollectResult, lang: str = "vi") -> dict[str, Any]:
    """The same as JSON values (documented in docs/forms.md)."""
    def diag(d: Diagnostic) -> dict[str, Any]:
        return {"file": d.file, "cell": d.cell, "severity": d.severity, "code": d.code, "message": d.message(lang)}

    return {
        "version": 1,
        "plan": result.plan_path,
        "written": result.written,
        "forms": [{"file": f.file, "body": f.body, "period": f.meta.get("period")} for f in result.forms],
        "entries": [{"file": p.answer.file, "cell": _cell(p.answer.sheet, p.answer.cells["id"]), "task": p.task_id,
                     "occurrence": p.entry.get("occurrence"), "date": p.entry["date"].isoformat(),
                     "percent": p.entry["percent"], "kind": p.entry.get("kind") or "result", "note": p.entry["note"],
                     "by": p.entry.get("by"), "evidence": p.entry.get("evidence")} for p in result.planned],
        "refused": [diag(d) for d in result.refused],
        "warnings": [diag(d) for d in result.warnings],
        "repeated": [{"file": a.file, "row": a.row, "task": a.task_id} for a in result.repeated],
    }
