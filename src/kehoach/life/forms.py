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

from kehoach.base.diagnostics import Diagnostic
from kehoach.base.errors import KehoachError, UsageError
from kehoach.base.files import zip_bomb
from kehoach.base.messages import Localized, Msg, text
from kehoach.outputs.spreadsheet import put_text

if TYPE_CHECKING:

    from kehoach.base.periods import Span
    from kehoach.judge.evaluation import Judged
    from kehoach.plan.model import Plan, Task

FORM_VERSION = 2  # 2: signed, one row per review period of continuous work, rows by their sheet row
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
    occurrence: str  # the period the row asks about: an occurrence (2021-Q3) or a review period; else ""
    title: str
    role: str  # lead | member (of a lead group) | support
    deadline: str  # in words
    status: str  # code
    percent: int  # where the body's own part stands now (a lead's); the task's for others
    fingerprint: str  # the task's title, deadline and bodies when the form was made
    kind: str = "dated"  # dated | recurring | continuous: what the row asks
    period: str = ""  # the occurrence in words ("quý III/2021")

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

    @property
    def stem(self) -> str:
        """The file name (without suffix): `<plan>-phieu-<period>-<body>`."""
        return f"{self.plan_id}-phieu-{self.span.code}-{self.body_id}"


def plan_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------- the key that signs a form

KEY_FILE = ".kehoach-key"  # beside the plan; never in a form, never mailed
LEDGER_FILE = ".kehoach-forms.json"  # the forms collected (body, period, when saved), beside the key


def key_path(plan_path: str | os.PathLike[str]) -> Path:
    """Where the key that signs the plan's forms is kept: $KEHOACH_FORM_KEY (a file), else
    `.kehoach-key` in the plan's folder."""
    named = os.environ.get("KEHOACH_FORM_KEY", "").strip()
    return Path(named) if named else Path(plan_path).resolve().parent / KEY_FILE


def form_key(plan_path: str | os.PathLike[str], create: bool = False) -> bytes | None:
    """The plan owner's key (made, readable by its owner only, on the first `request`), or None
    when there is none and `create` is false."""
    path = key_path(plan_path)
    try:
        words = path.read_text(encoding="ascii").strip()
        if re.fullmatch(r"[0-9a-f]{64}", words):
            return bytes.fromhex(words)
        raise FormError("form-key-damaged", {"path": str(path)})
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError("form-key-unreadable",
                        {"path": str(path), "detail": getattr(exc, "strerror", "") or str(exc)}) from None
    import secrets

    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
    except FileExistsError:  # made meanwhile by another run: use that one
        return form_key(plan_path)
    except OSError as exc:
        raise FormError("form-key-unwritable", {"path": str(path), "detail": exc.strerror or str(exc)}) from None
    return key


def ledger_path(plan_path: str | os.PathLike[str]) -> Path:
    """The list of forms collected for the plans of a folder: beside the key."""
    return key_path(plan_path).with_name(LEDGER_FILE)


def read_ledger(plan_path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The forms collected before (none when the list is missing or unreadable: it only warns)."""
    try:
        data = json.loads(ledger_path(plan_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def add_to_ledger(plan_path: str | os.PathLike[str], records: list[dict[str, str]]) -> None:
    """Record forms collected (atomically; a list that cannot be written is said, not fatal)."""
    from kehoach.base.files import atomic_write_bytes

    path = ledger_path(plan_path)
    data = read_ledger(plan_path) + records
    try:
        atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError:
        pass


def sign(key: bytes, pairs: list[tuple[str, str]], rows: list[list[str]]) -> str:
    """The HMAC-SHA256 of a form's hidden sheet (as stored: the text a cell keeps)."""
    import hmac

    from kehoach.base.text import printable

    data = json.dumps([[printable(v) for v in pair] for pair in pairs if pair[0] != "signature"]
                      + [[printable(v) for v in row] for row in rows], ensure_ascii=False)
    return hmac.new(key, data.encode("utf-8"), hashlib.sha256).hexdigest()


def fingerprint(task: Task) -> str:
    """What a body was asked about: the task's title, deadline and bodies."""
    from kehoach.plan.model import written_form

    data = [task.title, written_form(task.deadline) if task.deadline is not None else None,
            list(task.lead), list(task.support)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _wanted(j: Judged, span: Span) -> bool:
    """A row of the period's form: work due in it (or before it and still open), work in
    progress, continuous work, and work whose window has begun by the period's end; not an
    event's duty before the event (a task "sau khi … phê duyệt" waits for it)."""
    from kehoach.base.deadlines import Dated

    if j.verdict == "not_triggered":
        return False
    if j.verdict in ("unfinished_overdue", "unfinished", "in_progress", "continuing", "maintained", "gaps"):
        return True
    if j.verdict == "not_started":
        deadline = j.node.deadline
        return not isinstance(deadline, Dated) or deadline.start <= span.end
    return False


def _review_periods(plan: Plan, span: Span, review: str) -> list[Any]:
    """The review periods of continuous work a form of `span` asks about: those overlapping it."""
    from kehoach.base.periods import periods_between

    start, end = max(span.start, plan.plan.period.start), min(span.end, plan.plan.period.end)
    return periods_between(review, start, end, plan.convention) if start <= end else []


def build_requests(plan: Plan, span: Span, as_of: dt.date, plan_file: str, raw: bytes, due: dt.date | None = None,
                   body: str | None = None, lang: str = "vi") -> list[RequestForm]:
    """One form per body that leads or supports open work of the period (`body`: that one only;
    groups are sent to their members). The period's evaluation says which work; where each
    stands is its status on `as_of`: a lead that has finished its part is not asked again, and
    continuous work gets a row per review period of the form's period."""
    from kehoach.base.deadlines import Continuous
    from kehoach.base.vndates import deadline_text, occurrence_text
    from kehoach.judge.evaluation import evaluate
    from kehoach.judge.status import compute_status
    from kehoach.plan.reporters import JOINT, LeadState, Reporters

    ev = evaluate(plan, span, as_of)
    reporters = Reporters(plan)
    now = compute_status(plan, as_of, reporters=reporters).by_id()
    bodies = reporters.bodies
    wanted_ids = set(bodies.require(body)) if body is not None else None
    due = due or default_due(plan, span, as_of)
    digest = plan_hash(raw)
    per_body: dict[str, list[FormRow]] = {}
    for j in ev.judged:
        if not _wanted(j, span):
            continue
        node = j.node
        ts = now[node.id]
        words = deadline_text(node.deadline, lang) if node.deadline is not None else ""
        asks: list[tuple[str, str, str, str, list[LeadState] | None]]
        if isinstance(node.deadline, Continuous):
            asks = [(p.code, occurrence_text(p.key, p.year, lang), "continuous", ts.status, None)
                    for p in _review_periods(plan, span, node.deadline.review)]
        elif j.occurrence is not None:
            occ = next(o for o in ts.occurrences if o.code == j.occurrence.code)
            if occ.status in ("done_on_time", "done_late"):
                continue  # completed since the period's close: nothing to ask
            asks = [(occ.code, occurrence_text(occ.key, int(occ.code.split("-")[0]), lang), "recurring", occ.status,
                     occ.leads)]
        else:
            if ts.status in ("done_on_time", "done_late"):
                continue
            asks = [("", "", "dated", ts.status, ts.leads)]
        leads_named = set(bodies.expand(node.lead))  # a body named to support is asked as a supporter,
        for ident in bodies.expand([*node.lead, *node.support]):  # even one whose reports count for a lead
            if wanted_ids is not None and not bodies.involves([ident], wanted_ids):
                continue
            owner = reporters.lead_of(ident, node.lead) if ident in leads_named else None
            kind = ("support" if owner in (None, JOINT) else "lead" if ident in node.lead
                    else "member")  # a member of a lead group leads its own part
            rows = per_body.setdefault(ident, [])
            for code, period, what, status, leads in asks:
                if any(r.task_id == node.id and r.occurrence == code for r in rows):
                    continue  # named twice (a body that both leads and supports): once
                state: LeadState | None = (next((s for s in leads or [] if s.body == owner), None)
                                           if kind != "support" else None)
                if state is not None and state.done_on is not None:
                    continue  # this lead has finished its part; the others are asked
                percent = state.percent if state is not None else (ts.percent or 0)
                rows.append(FormRow(node.id, code, node.task.title, kind, words, status, percent,
                                    fingerprint(node.task), what, period))
    info = plan.plan
    return [RequestForm(info.id, info.title, info.number or "", plan_file, digest, ident, bodies.name(ident), span,
                        as_of, due, rows, info.period.start)
            for ident, rows in per_body.items() if ident in bodies.by_id and rows]


def default_due(plan: Plan, span: Span, as_of: dt.date) -> dt.date:
    """Five working days before the period's end; five after today when that is later."""
    from kehoach.base.workdays import next_working_day, previous_working_day

    day = span.end + dt.timedelta(days=1)
    for _ in range(5):
        day = previous_working_day(day, plan)
    if day <= as_of:  # never due back the day the form is made
        day = as_of
        for _ in range(5):
            day = next_working_day(day, plan)
    return day


# ---------------------------------------------------------------- writing a form


def write_form(form: RequestForm, secret: bytes, lang: str = "vi") -> bytes:
    """The workbook of one form (xlsx bytes); its hidden sheet signed with the plan owner's key."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kehoach.base.vndates import long_date, short_date, span_label
    from kehoach.judge.status import STATUS_CODES, label

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
    first = form.plan_start or form.span.start
    latest = form.due + dt.timedelta(days=60)
    date_rule = DataValidation(type="date", operator="between", allow_blank=True, showErrorMessage=True,
                               formula1=_excel_date(first), formula2=_excel_date(latest),
                               errorTitle=text("form.bad-date-title", lang),
                               error=text("form.bad-date", lang, start=short_date(first, lang),
                                          end=short_date(latest, lang)))
    ws.add_data_validation(date_rule)
    locked_rows: list[list[str]] = []
    for n, row in enumerate(form.rows, start=1):
        r = HEADER_ROW + n
        values: dict[str, str | int] = {"stt": n, "id": row.task_id, "occurrence": row.period, "title": row.title,
                  "role": text(f"form.role.{row.role}", lang), "deadline": row.deadline,
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
            cell.font = plain
            cell.alignment = wrap if key not in ("stt", "percent_now", "percent") else Alignment(
                horizontal="center", vertical="top")
            cell.border = box
            if key in INPUT and not (key == "percent" and not row.asks_percent):
                cell.protection = Protection(locked=False)
                cell.fill = fill_input
            elif key == "percent":  # only a lead body says how far dated work is
                cell.fill = fill_info
        # wrapped text needs its height: as many lines as its longest cell takes
        lines = max(-(-len(str(values[k])) // max(WIDTHS[k] - 2, 1)) for k in ("title", "deadline", "status"))
        ws.row_dimensions[r].height = max(2, lines) * 15
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
    pairs: list[tuple[str, str]] = [
        ("format", "kehoach-form"), ("version", str(FORM_VERSION)), ("plan", form.plan_id),
        ("plan_file", form.plan_file), ("plan_sha256", form.plan_hash), ("body", form.body_id),
        ("period", form.span.code), ("start", form.span.start.isoformat()), ("end", form.span.end.isoformat()),
        ("as_of", form.as_of.isoformat()), ("due", form.due.isoformat()), ("sheet", ws.title),
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


def inspect_file(path: Path) -> None:
    """Refuse a workbook that is not a plain .xlsx or .ods of a sensible size, before any parser
    opens it."""
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
            if any(n.lower().endswith("vbaproject.bin") or n.lower().startswith("basic/") for n in names):
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


def _is_ods(path: Path) -> bool:
    """An OpenDocument spreadsheet (LibreOffice's own format): its first member says so."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("mimetype")[:64].strip() == b"application/vnd.oasis.opendocument.spreadsheet"
    except (KeyError, zipfile.BadZipFile, OSError):
        return False


def read_form(path: str | os.PathLike[str]) -> ReturnedForm:
    """A returned form's rows as the body wrote them (.xlsx, or .ods saved by LibreOffice); a
    FormError when the file is refused."""
    path = Path(path)
    name = str(path)
    inspect_file(path)
    sheets, saved = (_ods_sheets if _is_ods(path) else _xlsx_sheets)(path)
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
        raise FormError("form-sheet-missing", {"path": name, "sheet": meta.get("sheet", "")})
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
            raise FormError("form-damaged", {"path": name}) from None
        out[(task, occ)] = {"role": role, "percent": number, "fingerprint": print_, "kind": kind}
    return out


Grid = list[list[Cell]]


def _xlsx_sheets(path: Path) -> tuple[dict[str, Grid], dt.datetime | None]:
    """Every sheet's cells (at most MAX_ROWS rows of the columns a form has), read by openpyxl in
    read-only mode: no formula evaluated, no external link followed, XML through defusedxml."""
    from openpyxl import load_workbook

    name = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_vba=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile workbook: refused, never a traceback
        if "Forbidden" in type(exc).__name__:  # defusedxml: a DTD or an entity our scan did not see
            raise FormError("form-entities", {"path": name}) from None
        raise FormError("form-unreadable", {"path": name, "detail": _damaged(exc)}) from None
    try:
        sheets: dict[str, Grid] = {}
        for ws in wb.worksheets:
            grid: Grid = []
            for row in ws.iter_rows(max_row=HEADER_ROW + MAX_ROWS, max_col=len(COLUMNS) + 8):
                grid.append([Cell(c.value, getattr(c, "data_type", None) == "f",
                                  "%" in (getattr(c, "number_format", "") or "")) for c in row])
            sheets[ws.title] = grid
        saved = wb.properties.modified if wb.properties is not None else None
    except Exception as exc:  # noqa: BLE001 - damaged parts are found while reading
        raise FormError("form-unreadable", {"path": name, "detail": _damaged(exc)}) from None
    finally:
        wb.close()
    return sheets, saved if isinstance(saved, dt.datetime) else None


_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _ods_sheets(path: Path) -> tuple[dict[str, Grid], dt.datetime | None]:
    """Every sheet's cells of an OpenDocument spreadsheet: its content.xml read as events
    (defusedxml: no DTD, no entity), repeated rows and columns expanded only as far as a form
    reaches; a formula is kept as a formula, never computed."""
    import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]

    name = str(path)
    t, o, x = (f"{{{_ODS[k]}}}" for k in ("table", "office", "text"))
    width = len(COLUMNS) + 8
    sheets: dict[str, Grid] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            grid: Grid = []
            row: list[Cell] = []
            repeat_row = 1
            for event, el in SafeET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == t + "table":
                        grid = []
                    elif tag == t + "table-row":
                        row = []
                        repeat_row = min(int(el.get(t + "number-rows-repeated", "1")), HEADER_ROW + MAX_ROWS)
                    continue
                if tag in (t + "table-cell", t + "covered-table-cell"):
                    repeat = min(int(el.get(t + "number-columns-repeated", "1")), width)
                    cell = _ods_cell(el, o, t, x)
                    row.extend(cell for _ in range(min(repeat, max(width - len(row), 0))))
                    el.clear()
                elif tag == t + "table-row":
                    if len(grid) < HEADER_ROW + MAX_ROWS:
                        empty = all(c.value is None for c in row)
                        grid.extend(list(row) for _ in range(1 if empty and repeat_row > 1 else repeat_row))
                    el.clear()
                elif tag == t + "table":
                    sheets[el.get(t + "name", "")] = grid
                    el.clear()
    except Exception as exc:  # noqa: BLE001 - defusedxml's refusals, a damaged part: never a traceback
        if "Forbidden" in type(exc).__name__:
            raise FormError("form-entities", {"path": name}) from None
        raise FormError("form-unreadable", {"path": name, "detail": _damaged(exc)}) from None
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


def _ods_cell(el: Any, o: str, t: str, x: str) -> Cell:
    kind = el.get(o + "value-type")
    formula = el.get(t + "formula") is not None
    if kind in ("float", "percentage", "currency"):
        raw = el.get(o + "value", "")
        try:
            number: float | int = float(raw)
        except ValueError:
            return Cell(raw, formula)
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


def _answers(grid: Grid, sheet: str, name: str, meta: dict[str, str], meta_rows: list[list[str]]
             ) -> tuple[list[Answer], list[Diagnostic], list[Diagnostic]]:
    """The rows a body filled in. A row the form asked is known by the task and period it shows
    (locked cells the hidden sheet signed), in its place or moved (a row inserted or deleted
    above it): never by its place alone, so that a moved row is never taken for another task.
    The other locked cells are compared with what the form showed: a change is a warning. A row
    typed in below is read by its id."""
    from openpyxl.utils import get_column_letter

    header = int(meta["header_row"])
    columns = meta["columns"].split(",")
    asked_at: dict[int, tuple[str, str, list[str]]] = {}
    by_label: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    period_code: dict[str, str] = {}  # a period in words → its code, for a row typed in
    if meta.get("version") != "1":
        for values in meta_rows:
            values = values + [""] * 8
            try:
                locked = [str(v) for v in json.loads(values[7])] if values[7] else []
                item = (values[1], values[2], locked)
                asked_at[int(values[0])] = item
            except (ValueError, TypeError):
                raise FormError("form-damaged", {"path": name}) from None
            if len(locked) > 2:
                by_label[(locked[1].strip(), locked[2].strip())] = item
                period_code[locked[2].strip()] = values[2]
    answers: list[Answer] = []
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    used: set[tuple[str, str]] = set()
    for r in range(header + 1, min(len(grid), header + MAX_ROWS) + 1):
        row = grid[r - 1]
        cells = {key: row[i] for i, key in enumerate(columns) if i < len(row)}
        where = {key: f"{get_column_letter(i + 1)}{r}" for i, key in enumerate(columns)}
        shown_id, shown_period = _str(cells.get("id")), _str(cells.get("occurrence"))
        if not any(not _blank(cells.get(key)) for key in INPUT):
            continue
        known = asked_at.get(r)
        if known is not None and known[2][1:3] != [shown_id, shown_period] and len(known[2]) > 2:
            known = by_label.get((shown_id, shown_period))  # the row moved: known by what it shows
        elif known is None and asked_at:
            known = by_label.get((shown_id, shown_period))
        if known is not None:
            task_id, occurrence, locked = known
            for key, expected in zip(INFO, locked, strict=False):
                cell = cells.get(key)
                now = "" if cell is None or cell.value is None else str(cell.value)
                if key != "stt" and now.strip() != expected.strip():
                    warnings.append(Diagnostic("form-locked-changed", "warning", r, columns.index(key) + 1,
                                               {"column": Msg(f"form.col.{key}"), "shown": expected[:60],
                                                "now": now[:60]}, file=name, cell=_cell(sheet, where[key])))
        elif not shown_id:
            problems.append(Diagnostic("form-row-unknown", "error", r, 1, {}, file=name, cell=_cell(sheet, f"A{r}")))
            continue
        else:  # a row typed in by hand: read by its id
            task_id, occurrence = shown_id, period_code.get(shown_period, shown_period)
        answer = Answer(name, sheet, r, task_id, occurrence, None, None, None, None, None, None, None, where,
                        asked=known is not None or meta.get("version") == "1")
        if known is not None:
            if (task_id, occurrence) in used:
                problems.append(Diagnostic("form-duplicate-row", "error", r, columns.index("id") + 1,
                                           {"id": task_id}, file=name, cell=_cell(sheet, where["id"])))
                continue
            used.add((task_id, occurrence))
        for key in INPUT:
            cell = cells.get(key)
            if _blank(cell):
                continue
            assert cell is not None
            bad = _Blame(answer, key, columns)
            if cell.formula or (isinstance(cell.value, str) and cell.value.lstrip().startswith("=")):
                bad("form-formula", formula=str(cell.value)[:40])
            elif key == "percent":
                answer.percent = _percent(cell, bad)
            elif key == "date":
                answer.day = _day(cell.value, bad)
            else:
                setattr(answer, key, _clean(cell.value, bad))
        answers.append(answer)
        problems += answer.problems
    if len(grid) > header + MAX_ROWS:
        problems.append(Diagnostic("form-too-many-rows", "error", header + MAX_ROWS + 1, 1, {"limit": MAX_ROWS},
                                   file=name, cell=_cell(sheet, f"A{header + MAX_ROWS + 1}")))
    return answers, problems, warnings


def _blank(cell: Cell | None) -> bool:
    return cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


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


def _str(cell: Cell | None) -> str:
    return "" if cell is None or cell.value is None else str(cell.value).strip()


def _percent(cell: Cell, bad: _Blame) -> int | None:
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
            bad("form-bad-percent", value=str(value)[:20])
            return None
        number = float(m.group(1).replace(",", "."))
    if number != number or not 0 <= number <= 100 or number != int(number):  # NaN, out of range, a fraction
        bad("form-bad-percent", value=str(value)[:20])
        return None
    return int(number)


def _day(value: Any, bad: _Blame) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    words = str(value).strip()[:40]
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
    from kehoach.base.errors import UsageError as _Usage
    from kehoach.base.text import nfc
    from kehoach.life.log import clean_text

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
    keys: set[tuple[Any, ...]] = field(default_factory=set)  # the reports planned so far (`_key`)

    @property
    def rows(self) -> int:
        return len({(p.answer.file, p.answer.row) for p in self.planned})


def collect(plan_path: str | os.PathLike[str], files: list[str | os.PathLike[str]], today: dt.date,
            partial: bool = False, dry_run: bool = False, allow_unsigned: bool = False) -> CollectResult:
    """Read returned forms, in whatever order the mail brought them, and record their rows as
    progress, each in the name of the body whose form it is: all in one atomic write, sorted
    by date; nothing when a row is refused (unless `partial`) or with `dry_run`.

    A form is refused whole when its hidden sheet is not what `request` signed (edited, forged,
    or made for another office); with `partial`, an unreadable or refused form is reported and
    the others are read. A form sent twice is recorded once; two different versions of one body's
    form for one period: the later one is kept, and the run says so."""
    from kehoach.base.files import read_bytes
    from kehoach.life.log import append_entries
    from kehoach.plan.loader import require_plan
    from kehoach.plan.reporters import Reporters
    from kehoach.plan.schedule import build_schedule

    path = Path(plan_path)
    plan = require_plan(path).plan
    assert plan is not None
    raw, _ = read_bytes(path)
    digest = plan_hash(raw or b"")
    result = CollectResult(str(path), [], [], [], [], [], dry_run=dry_run, partial=partial)
    for f in files:
        try:
            result.forms.append(read_form(f))
        except FormError as exc:
            if not partial:
                raise  # a hostile or unreadable file stops everything (exit 2), unless --partial
            result.refused.append(Diagnostic(exc.code, "error", 0, 0, params=exc.params, file=str(f)))
    key = form_key(path)
    tasks = {t.id: t for t, _ in plan.iter_tasks()}
    nodes = build_schedule(plan).by_id()
    reporters = Reporters(plan)
    accepted: list[ReturnedForm] = []
    for form in result.forms:
        why = _refuse_form(form, plan.plan.id, key, allow_unsigned, reporters.bodies)
        if why is not None:
            result.refused.append(why)
            continue
        if form.meta.get("version") == "1":
            result.warnings.append(Diagnostic("form-unsigned-accepted", "warning", file=form.file, cell=META))
        accepted.append(form)
    ledger = read_ledger(path)
    kept = []
    for form in _latest_versions(accepted, result):
        if _older_than_collected(form, ledger, plan.plan.id, result):
            continue
        kept.append(form)
        result.refused += form.problems
        result.warnings += form.warnings
        _plan_rows(form, result, plan, tasks, nodes, reporters, today, digest)
    if not result.planned:
        return result
    result.planned.sort(key=lambda p: p.entry["date"])  # the plan's log in date order, whatever the mail's
    batch = append_entries(path, [(p.task_id, p.entry) for p in result.planned], partial=partial,
                           dry_run=dry_run or (bool(result.refused) and not partial))
    for index, error in batch.refused:
        p = result.planned[index]
        result.refused.append(Diagnostic("form-log-refused", "error", p.answer.row, 1,
                                         {"id": p.task_id, "detail": Why(error)},
                                         file=p.answer.file, cell=_cell(p.answer.sheet, p.answer.cells["result"])))
    refused_rows = {(result.planned[i].answer.file, result.planned[i].answer.row) for i, _ in batch.refused}
    result.planned = [p for p in result.planned if (p.answer.file, p.answer.row) not in refused_rows]
    result.written = batch.saved
    if batch.saved:
        written_forms = {p.answer.file for p in result.planned}
        add_to_ledger(path, [{"plan": plan.plan.id, "body": f.body, "period": f.meta.get("period", ""),
                              "saved": _saved(f)[0].isoformat(), "content": f.digest(), "file": Path(f.file).name,
                              "collected": today.isoformat()} for f in kept if f.file in written_forms])
    return result


def _older_than_collected(form: ReturnedForm, ledger: list[dict[str, str]], plan_id: str,
                          result: CollectResult) -> bool:
    """A version of this body's form for this period was collected before (another batch): an
    older version arriving now is not recorded; a newer one is, and the run says the older one's
    entries stay in the plan (append-only) for the office to remove if they are superseded."""
    saved = _saved(form)[0].isoformat()
    before = [r for r in ledger if r.get("plan") == plan_id and r.get("body") == form.body
              and r.get("period") == form.meta.get("period") and r.get("content") != form.digest()]
    if not before:
        return False
    latest = max(before, key=lambda r: r.get("saved", ""))
    if latest.get("saved", "") > saved:
        result.warnings.append(Diagnostic("form-older-than-collected", "warning", 0, 0, file=form.file, params={
            "other": latest.get("file", "?"), "collected": latest.get("collected", "?")}))
        result.repeated += form.answers
        return True
    result.warnings.append(Diagnostic("form-newer-than-collected", "warning", 0, 0, file=form.file, params={
        "other": latest.get("file", "?"), "collected": latest.get("collected", "?")}))
    return False


def _refuse_form(form: ReturnedForm, plan_id: str, key: bytes | None, allow_unsigned: bool,
                 bodies: Any) -> Diagnostic | None:
    """Why a whole form is refused, or None: another plan's, an unknown body's, unsigned, or a
    hidden sheet that is not what `request` signed with this office's key."""
    import hmac

    meta = form.meta

    def refused(code: str, **params: object) -> Diagnostic:
        return Diagnostic(code, "error", file=form.file, cell=META, params=dict(params))

    if meta.get("plan") != plan_id:
        return refused("form-other-plan", plan=meta.get("plan", "?"), ours=plan_id)
    if meta.get("version") == "1":
        if not allow_unsigned:
            return refused("form-unsigned")
    elif key is None:
        return refused("form-no-key")
    elif not hmac.compare_digest(sign(key, form.pairs, form.meta_rows), meta.get("signature", "")):
        return refused("form-forged")
    if form.body not in bodies.by_id:
        return refused("form-unknown-body", body=form.body)
    return None


def _latest_versions(forms: list[ReturnedForm], result: CollectResult) -> list[ReturnedForm]:
    """One form per body and period: a copy sent again is recorded once (its rows counted as
    recorded); of two different versions the later saved one is kept, and the other named."""
    kept: dict[tuple[str, str], ReturnedForm] = {}
    for form in forms:
        slot = (form.body, form.meta.get("period", ""))
        other = kept.get(slot)
        if other is None:
            kept[slot] = form
            continue
        if other.content() == form.content():
            result.repeated += form.answers  # the same form again: nothing new
            continue
        newer, older = (form, other) if _saved(form) >= _saved(other) else (other, form)
        kept[slot] = newer
        result.warnings.append(Diagnostic("form-superseded", "warning", file=older.file, cell=META,
                                          params={"newer": newer.file, "period": form.meta.get("period", "")}))
    return list(kept.values())


def _saved(form: ReturnedForm) -> tuple[dt.datetime, float]:
    """When a returned form was last saved: the workbook's own record (else the file's time), and
    the file's time to tell two saved in the same second."""
    try:
        mtime = Path(form.file).stat().st_mtime
    except OSError:
        mtime = 0.0
    own = form.saved.replace(tzinfo=None) if form.saved is not None else dt.datetime.fromtimestamp(mtime)
    return own, mtime


def _plan_rows(form: ReturnedForm, result: CollectResult, plan: Plan, tasks: dict[str, Task], nodes: dict[str, Any],
               reporters: Any, today: dt.date, digest: str) -> None:
    """The entries of one form's answered rows, checked as `kehoach log` checks one, added to
    `result` (or refused at their cells)."""
    meta = form.meta
    start, end = dt.date.fromisoformat(meta["start"]), dt.date.fromisoformat(meta["end"])
    first = dt.date.fromisoformat(meta["first_day"]) if meta.get("first_day") else plan.plan.period.start
    # a row without its date: the date the form was due back, within the period and the plan,
    # never later than today (the same date every time the form is collected)
    undated = min(dt.date.fromisoformat(meta["due"]), end, plan.plan.period.end, today)
    changed = meta.get("plan_sha256") != digest
    seen: set[tuple[str, str]] = set()
    window = (start, end)
    planned_keys = set(result.keys)
    for answer in form.answers:
        if answer.problems:
            continue
        where = answer.cells

        def refuse(key: str, code: str, answer: Answer = answer, where: dict[str, str] = where,
                   **params: object) -> None:
            result.refused.append(Diagnostic(code, "error", answer.row, COLUMNS.index(key) + 1, dict(params),
                                             file=answer.file, cell=_cell(answer.sheet, where[key])))

        def warn(key: str, code: str, answer: Answer = answer, where: dict[str, str] = where,
                 **params: object) -> None:
            result.warnings.append(Diagnostic(code, "warning", answer.row, COLUMNS.index(key) + 1, dict(params),
                                              file=answer.file, cell=_cell(answer.sheet, where[key])))

        if (answer.task_id, answer.occurrence) in seen:
            refuse("id", "form-duplicate-row", id=answer.task_id)
            continue
        seen.add((answer.task_id, answer.occurrence))
        node = nodes.get(answer.task_id)
        if node is None or not node.leaf:
            refuse("id", "form-unknown-task", id=answer.task_id)
            continue
        asked = form.rows.get((answer.task_id, answer.occurrence))
        # what the form asked decides: a lead (its percent counts) or a supporter (results only)
        role = ({"support": "support"}.get(asked["role"], "lead") if asked is not None and asked.get("role")
                else reporters.role(form.body, node))
        if role == "other":
            refuse("id", "form-not-this-body", id=answer.task_id, body=reporters.bodies.name(form.body))
            continue
        if asked is None and answer.occurrence and answer.asked:
            refuse("occurrence", "form-bad-occurrence", id=answer.task_id, occurrence=answer.occurrence)
            continue
        if changed and asked is not None and asked["fingerprint"] != fingerprint(tasks[answer.task_id]):
            warn("id", "form-task-changed", id=answer.task_id)
        planned = _entries(answer, node, form.body, role, (first, start, end, undated, today), refuse, warn,
                           reporters)
        if planned is None:
            continue
        fresh = [p for p in planned
                 if not _recorded(tasks[answer.task_id], p.entry, window) and _key(p, window) not in planned_keys]
        if not fresh:
            result.repeated.append(answer)
            continue
        planned_keys.update(_key(p, window) for p in fresh)
        result.keys.update(_key(p, window) for p in fresh)
        result.planned += fresh


@dataclass(frozen=True, eq=False)
class Why(Localized):
    """Why `kehoach log` refused an entry, worded in the language of the message holding it."""

    error: KehoachError

    def localize(self, lang: str) -> str:
        said = dict.fromkeys(d.message(lang) for d in self.error.diagnostics)  # each once
        return "; ".join(said) or self.error.message(lang)


def _entries(answer: Answer, node: Any, body: str, role: str,
             days: tuple[dt.date, dt.date, dt.date, dt.date, dt.date], refuse: Any, warn: Any,
             reporters: Any) -> list[Planned] | None:
    """The progress entries of one answered row (a result, a difficulty, a proposal), in the name
    of the form's body, or None when the row is refused. Only a lead body's percent counts, and
    only for dated work and a duty's occurrence: continuous work has none, and a supporting
    body's result never moves or closes a task (its percent, if typed, is left out, with a
    warning). `days`: the plan's first day, the form's period, its due-back date, today."""
    from kehoach.base.deadlines import Continuous, Recurring

    first, start, end, undated, today = days
    day = answer.day or undated
    if day > today:
        refuse("date", "form-future-date", date=_shown(day))
        return None
    if day < first:
        refuse("date", "form-date-before-plan", date=_shown(day), start=_shown(first))
        return None
    continuous = isinstance(node.deadline, Continuous)
    window = _row_window(answer.occurrence, node, (start, end), reporters.plan) if continuous else (start, end)
    late = continuous and window[1] < day <= window[1] + dt.timedelta(days=60)  # a period's report, mailed after
    if not window[0] <= day <= window[1] and not late:
        warn("date", "form-date-other-period", date=_shown(day), start=_shown(window[0]), end=_shown(window[1]))
    percent = answer.percent
    said = any(x is not None for x in (answer.result, answer.difficulty, answer.proposal))
    if percent is not None and (role != "lead" or continuous) and said:
        warn("percent", "form-percent-not-counted" if continuous else "form-percent-not-lead",
             body=reporters.bodies.name(body), id=node.id)
        percent = None
    elif percent is not None and (role != "lead" or continuous):
        percent = None  # a percent alone, from a body whose percent counts for nothing: nothing to record
    if role == "lead" and not continuous:
        current = node_percent(node.task, answer.occurrence, day, body, node.lead, reporters)
        if percent is None and answer.result is not None:
            refuse("percent", "form-need-percent")
            return None
        if percent is not None and percent < current:
            refuse("percent", "form-percent-down", percent=percent, current=current)
            return None
        if answer.result is None and percent is not None:
            refuse("result", "form-need-result")
            return None
    if isinstance(node.deadline, Recurring) and not answer.occurrence:
        refuse("occurrence", "form-need-occurrence", id=answer.task_id)
        return None
    base = {"date": day, "body": body, "occurrence": answer.occurrence or None, "by": answer.by}
    out = []
    if answer.result is not None:
        out.append(Planned(answer, answer.task_id, {**base, "percent": percent, "note": answer.result,
                                                    "evidence": answer.evidence}))
    if answer.difficulty is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.difficulty, "kind": "difficulty"}))
    if answer.proposal is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.proposal, "kind": "proposal"}))
    if not out:
        refuse("result", "form-need-result")
        return None
    return out


def _row_window(occurrence: str, node: Any, period: tuple[dt.date, dt.date], plan: Plan) -> tuple[dt.date, dt.date]:
    """The days a continuous work's row reports on: its review period (the form's, without one)."""
    from kehoach.base.periods import PeriodError, parse_period

    try:
        p = parse_period(occurrence, period[0].year, plan.convention) if occurrence else None
    except PeriodError:
        p = None
    return (p.start, p.end) if p is not None else period


def node_percent(task: Task, occurrence: str, day: dt.date, body: str | None = None, leads: Any = (),
                 reporters: Any = None) -> int:
    """Where a lead body's part of a task (or of one occurrence) stands on `day`: the highest
    percent it (or the leads jointly) logged by then; without a body, the highest of anyone's."""
    from kehoach.plan.reporters import lead_entries

    entries = lead_entries(task, body, leads, reporters) if reporters is not None else list(task.progress)
    entries = [e for e in entries if (not occurrence or (e.occurrence or "").upper() == occurrence.upper())
               and e.date <= day]
    return max((e.percent or 0 for e in entries), default=0)


def _key(p: Planned, period: tuple[dt.date, dt.date]) -> tuple[Any, ...]:
    """What makes two entries the same report: the task, the body, its period, the kind, the words
    and the percent, from a form of the same period (not the date: a form collected again, or
    sent twice, says nothing new; the same words in next quarter's form are a new report)."""
    from kehoach.base.text import nfc

    e = p.entry
    return (p.task_id, e.get("body"), e.get("occurrence"), e.get("kind") or "result", nfc(e["note"]),
            e.get("percent"), period)


def _recorded(task: Task, entry: dict[str, Any], period: tuple[dt.date, dt.date]) -> bool:
    """The same report is in the plan already: the same words from the same body, dated on the
    same day or within the form's period (the form was collected before)."""
    from kehoach.base.text import nfc

    mine = (entry.get("body"), entry.get("occurrence"), entry.get("kind") or "result", nfc(entry["note"]),
            entry.get("percent"))
    return any((e.body, e.occurrence, str(e.kind), nfc(e.note), e.percent) == mine
               and (e.date == entry["date"] or period[0] <= e.date <= period[1]) for e in task.progress)


def _shown(day: dt.date) -> Any:
    from kehoach.base.vndates import date_param

    return date_param(day)


# ---------------------------------------------------------------- the commands' work


def make_requests(plan_path: str | os.PathLike[str], period: str, as_of: dt.date, out_dir: str | os.PathLike[str],
                  due: dt.date | None = None, body: str | None = None, force: bool = False,
                  lang: str = "vi") -> list[tuple[RequestForm, Path]]:
    """Write the period's forms into `out_dir` (made if missing), one per body; refused when a form
    file is there already (a returned one could be lost), unless `force`."""
    from kehoach.base.files import read_bytes
    from kehoach.judge.scope import report_span
    from kehoach.outputs.targets import write
    from kehoach.plan.loader import require_plan

    loaded = require_plan(plan_path)
    assert loaded.plan is not None
    raw, _ = read_bytes(plan_path)
    span = report_span(loaded.plan, period, None, None)
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
    key = form_key(plan_path, create=True)
    assert key is not None  # made when missing
    folder.mkdir(parents=True, exist_ok=True)
    for form, target in targets:
        write(write_form(form, key, lang), target)
    return targets


def format_collect(result: CollectResult, lang: str = "vi") -> str:
    """What collect adds (a line per entry), what it refused (as `kehoach check` shows problems),
    and what it did."""
    from kehoach.base.diagnostics import CheckResult, format_text
    from kehoach.base.text import visible
    from kehoach.base.vndates import short_date

    lines = []
    if result.planned:
        lines.append(text("collect.heading-written" if result.written else "collect.heading" if result.dry_run
                          or not result.refused or result.partial else "collect.heading-refused", lang))
        for p in result.planned:
            e = p.entry
            kind = text(f"collect.kind.{e.get('kind') or 'result'}", lang)
            occ = f" ({e['occurrence']})" if e.get("occurrence") else ""
            where = f"{p.answer.file}:{_cell(p.answer.sheet, p.answer.cells['id'])}"
            pct = f"  {e['percent']}%" if e.get("percent") is not None else ""
            line = f"  {where}  {p.task_id}{occ}  {short_date(e['date'], lang)}{pct}  {kind}: {e['note']}"
            lines.append(visible(line, newlines=False))
    problems = CheckResult(result.refused + result.warnings, [f.file for f in result.forms])
    if problems.diagnostics:
        lines.append(format_text(problems, lang, summary=False).rstrip("\n"))
    key = ("collect.written" if result.written else "collect.dry-run" if result.dry_run
           else "collect.not-written" if result.refused and not result.partial else "collect.nothing")
    whole = {d.file for d in result.refused if d.cell == META or d.line == 0}  # forms refused whole
    refused_rows = len({(d.file, d.line) for d in result.refused if d.file not in whole})
    read = len(result.forms) - len(whole & {f.file for f in result.forms})
    lines.append(text(key, lang, entries=len(result.planned), rows=result.rows, refused=refused_rows,
                      repeated=len(result.repeated), forms=read, plan=result.plan_path))
    if whole:
        lines.append(text("collect.forms-refused", lang, n=len(whole)))
    return "\n".join(lines) + "\n"


def collect_json(result: CollectResult, lang: str = "vi") -> dict[str, Any]:
    """The same as JSON values (documented in docs/forms.md)."""
    def diag(d: Diagnostic) -> dict[str, Any]:
        return {"file": d.file, "cell": d.cell, "severity": d.severity, "code": d.code, "message": d.message(lang)}

    return {
        "version": 2,
        "plan": result.plan_path,
        "written": result.written,
        "forms": [{"file": f.file, "body": f.body, "period": f.meta.get("period")} for f in result.forms],
        "entries": [{"file": p.answer.file, "cell": _cell(p.answer.sheet, p.answer.cells["id"]), "task": p.task_id,
                     "body": p.entry.get("body"), "occurrence": p.entry.get("occurrence"),
                     "date": p.entry["date"].isoformat(), "percent": p.entry.get("percent"),
                     "kind": p.entry.get("kind") or "result", "note": p.entry["note"], "by": p.entry.get("by"),
                     "evidence": p.entry.get("evidence")} for p in result.planned],
        "refused": [diag(d) for d in result.refused],
        "warnings": [diag(d) for d in result.warnings],
        "repeated": [{"file": a.file, "row": a.row, "task": a.task_id} for a in result.repeated],
    }
