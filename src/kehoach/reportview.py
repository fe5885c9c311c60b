"""The view models of the documents the bodies send: the periodic or thematic
report, and the assignment checklist.

The judgement is made once, in `evaluation.evaluate` (the report) and
`status.compute_status` (the checklist); the builders here only write it down
as typed values, with every text already as a Vietnamese document writes it.
Templates hold layout only. `kehoach report --format json` writes the same
context (`context_json`); docs/templates.md lists every value, and a test
keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import periods
from .bodies import Bodies
from .deadlines import Continuous
from .errors import UsageError
from .evaluation import Evaluation, Judged, Upcoming, evaluate
from .periods import Span
from .schedule import Node, build_schedule
from .scope import Scope, select
from .status import DONE, PlanStatus, TaskStatus, compute_status, label
from .textutil import fold, lower_first
from .vndates import (
    date_param,
    deadline_text,
    long_date,
    occurrence_text,
    period_label,
    place_date,
    short_date,
    span_label,
)

if TYPE_CHECKING:
    from .model import Plan, Progress

CONTEXT_VERSION = 2

WORDS = {
    "vi": {
        "party": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "report": "BÁO CÁO",
        "checklist": "BẢNG PHÂN CÔNG NHIỆM VỤ",
        "number": "Số",
        "results": "KẾT QUẢ THỰC HIỆN",
        "evaluation": "ĐÁNH GIÁ CHUNG",
        "strengths": "Ưu điểm",
        "limits": "Hạn chế, khó khăn",
        "next": "PHƯƠNG HƯỚNG, NHIỆM VỤ",
        "proposals": "KIẾN NGHỊ, ĐỀ XUẤT",
        "recipients": "Nơi nhận:",
        "appendix": "PHỤ LỤC",
        "appendix_title": "Bảng theo dõi tiến độ thực hiện nhiệm vụ",
        "no_entries": "Trong kỳ chưa có báo cáo kết quả.",
        "no_strengths": "Trong kỳ chưa có nhiệm vụ hoàn thành.",
        "done_in_period": "Các nhiệm vụ hoàn thành đúng hạn trong kỳ:",
        "no_problems": "Không có nhiệm vụ đến hạn mà chưa hoàn thành hoặc hoàn thành chậm; các nhiệm vụ thường xuyên đều báo cáo đủ các kỳ.",
        "unfinished": "Nhiệm vụ đến hạn nhưng chưa hoàn thành:",
        "late": "Nhiệm vụ hoàn thành chậm so với thời hạn:",
        "unreported": "Nhiệm vụ thường xuyên chưa có báo cáo trong kỳ:",
        "gaps": "Nhiệm vụ thường xuyên chưa báo cáo đủ các kỳ:",
        "difficulties": "Khó khăn, vướng mắc được báo cáo trong kỳ:",
        "no_proposals": "Không có kiến nghị, đề xuất trong kỳ.",
        "no_next": "Không có nhiệm vụ đến hạn trong kỳ tới.",
        "carried": "Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành:",
        "due_next": "Các nhiệm vụ đến hạn trong {label}:",
        "continuing": "Tiếp tục thực hiện {n} nhiệm vụ thường xuyên.",
        "other": "Nhiệm vụ khác",
        "col_stt": "STT", "col_id": "Mã", "col_task": "Nội dung nhiệm vụ", "col_lead": "Cơ quan chủ trì",
        "col_support": "Cơ quan phối hợp", "col_deadline": "Thời hạn", "col_deliverables": "Sản phẩm",
        "col_status": "Tình trạng", "col_percent": "Tiến độ (%)", "col_updated": "Cập nhật", "col_note": "Ghi chú",
        "col_last": "Kết quả, lý do", "col_date": "Thời gian", "col_what": "Nội dung",
        "timeline": "Tiến độ theo thời gian", "trend": "Tỷ lệ hoàn thành qua các tháng",
        "by_body": "Tiến độ theo cơ quan chủ trì", "today": "Ngày báo cáo",
        "evidence": "Minh chứng", "reported_by": "Báo cáo",
    },
    "en": {
        "party": "COMMUNIST PARTY OF VIETNAM",
        "report": "REPORT",
        "checklist": "ASSIGNMENT TABLE",
        "number": "No.",
        "results": "RESULTS",
        "evaluation": "OVERALL ASSESSMENT",
        "strengths": "Strengths",
        "limits": "Shortcomings and difficulties",
        "next": "TASKS FOR THE NEXT PERIOD",
        "proposals": "RECOMMENDATIONS",
        "recipients": "Recipients:",
        "appendix": "APPENDIX",
        "appendix_title": "Task tracking table",
        "no_entries": "No results were reported in the period.",
        "no_strengths": "No task was completed in the period.",
        "done_in_period": "Completed on time in the period:",
        "no_problems": "Nothing due is unfinished or late; every continuous task reported in each review period.",
        "unfinished": "Tasks due but not completed:",
        "late": "Tasks completed after their deadline:",
        "unreported": "Continuous tasks with no report in the period:",
        "gaps": "Continuous tasks that missed some review periods:",
        "difficulties": "Difficulties reported in the period:",
        "no_proposals": "No recommendations in the period.",
        "no_next": "Nothing falls due in the next period.",
        "carried": "Carry on the unfinished tasks:",
        "due_next": "Due in {label}:",
        "continuing": "Carry on {n} continuous tasks.",
        "other": "Other tasks",
        "col_stt": "No.", "col_id": "Id", "col_task": "Task", "col_lead": "Lead", "col_support": "Support",
        "col_deadline": "Deadline", "col_deliverables": "Deliverables", "col_status": "Status",
        "col_percent": "Progress (%)", "col_updated": "Updated", "col_note": "Note",
        "col_last": "Result, reason", "col_date": "When", "col_what": "What",
        "timeline": "Timeline", "trend": "Completion over the months",
        "by_body": "Completion by lead body", "today": "Report date",
        "evidence": "Evidence", "reported_by": "Reported by",
    },
}
# How a report heads the results of the usual sections of a coordination plan.
_HEADINGS = {
    "vi": {
        "noi dung phoi hop": "Kết quả thực hiện các nội dung phối hợp",
        "phan cong trach nhiem": "Thực hiện trách nhiệm được phân công",
        "to chuc thuc hien": "Tổ chức thực hiện, chế độ thông tin, báo cáo và hội nghị",
    },
    "en": {
        "noi dung phoi hop": "Coordination contents",
        "phan cong trach nhiem": "Responsibilities of each body",
        "to chuc thuc hien": "Implementation, reporting and conferences",
    },
}
# How the report states each verdict of the period (its badges and tables).
VERDICT_LABELS = {
    "vi": {
        "done_on_time": "Hoàn thành đúng hạn", "done_late": "Hoàn thành quá hạn",
        "done_before": "Đã hoàn thành kỳ trước", "unfinished_overdue": "Chưa hoàn thành, quá hạn",
        "unfinished": "Chưa hoàn thành, đến hạn trong kỳ", "in_progress": "Đang thực hiện, trong hạn",
        "not_started": "Chưa triển khai", "continuing": "Thường xuyên",
        "unreported": "Thường xuyên, chưa báo cáo trong kỳ", "suspended": "Tạm dừng",
    },
    "en": {
        "done_on_time": "Done on time", "done_late": "Done late", "done_before": "Done in an earlier period",
        "unfinished_overdue": "Not done, overdue", "unfinished": "Not done, due in the period",
        "in_progress": "In progress, within deadline", "not_started": "Not started", "continuing": "Continuous",
        "unreported": "Continuous, no report in the period", "suspended": "Suspended",
    },
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


class ReportError(UsageError):
    """A report cannot be made as asked (unknown topic, unreadable period)."""


# ---------------------------------------------------------------- the typed context


@dataclass
class Head:
    issuers: list[str]  # the issuing bodies as the header prints them, one line each
    issuer_names: list[str]
    party: str
    number: str
    place_date: str
    type: str
    summary: str
    kind: str = ""  # "Báo cáo chuyên đề"
    opening: str = ""
    subtitle: str = ""  # checklist: which body
    as_of: str = ""  # checklist: "Tình trạng tính đến …"


@dataclass
class TaskRow:
    stt: str
    id: str
    title: str
    depth: int
    lead: str
    support: str
    deadline: str  # the deadline in words; a parent without one: the latest due date of its subtasks
    due: str
    status: str
    status_code: str
    percent: int
    percent_text: str
    updated: str
    deliverables: str
    done: bool
    box: str


@dataclass
class EntryLine:
    date: str
    iso: str
    note: str
    by: str
    evidence: str
    kind: str
    percent: int
    task_id: str
    task_title: str
    occurrence: str


@dataclass
class OccurrenceLine:
    label: str
    status: str
    status_code: str  # a verdict code
    due: str
    done_on: str


@dataclass
class ResultItem:
    stt: str
    id: str
    title: str
    badge: str  # what the period says of it ("Hoàn thành đúng hạn (18/6/2021)"); empty when nothing
    badge_code: str
    entries: list[EntryLine]
    occurrences: list[OccurrenceLine]
    subtasks: list[TaskRow]


@dataclass
class ResultGroup:
    number: str
    key: str
    title: str
    items: list[ResultItem]


@dataclass
class Line:
    """A sentence about one task: `text`, and the task it names."""

    text: str
    task_id: str
    date: str = ""
    iso: str = ""


@dataclass
class ProblemRow:
    stt: str
    id: str
    title: str
    lead: str
    deadline: str
    due: str
    percent: int
    percent_text: str
    status: str
    status_code: str  # a verdict code
    last_note: str  # the last progress note (its date), or empty


@dataclass
class Assessment:
    rollup_text: str
    counts: dict[str, str]
    completion: str
    strengths: list[Line]
    continuing: str  # one sentence on the continuous work with results in the period
    unfinished: list[ProblemRow]
    late: list[Line]
    unreported: list[Line]
    gaps: list[Line]
    difficulties: list[EntryLine]
    clear: bool  # nothing unfinished, late or unreported


@dataclass
class NextItem:
    date: str
    what: str
    lead: str
    carried: bool  # unfinished work brought forward
    note: str  # for carried work: its deadline and percent


@dataclass
class NextPeriod:
    label: str
    carried: list[NextItem]
    items: list[NextItem]
    heading: str  # "Các nhiệm vụ đến hạn trong quý III năm 2021:"
    continuing: str


@dataclass
class ReportContext:
    lang: str
    w: dict[str, str]
    doc: Head
    plan: dict[str, str]
    period: dict[str, str]
    topic: dict[str, str] | None
    body: str  # the body the report is narrowed to (--body), empty for all
    sections: dict[str, str]
    results: list[ResultGroup]
    evaluation: Assessment
    next: NextPeriod
    proposals: list[EntryLine]
    recipients: list[dict[str, str]]
    signers: list[dict[str, str]]
    appendix: list[TaskRow]
    charts: dict[str, Any]


@dataclass
class ChecklistGroup:
    number: str
    key: str
    title: str
    rows: list[TaskRow]


@dataclass
class ChecklistContext:
    lang: str
    w: dict[str, str]
    doc: Head
    plan: dict[str, str]
    body: str
    groups: list[ChecklistGroup]
    count: int
    signers: list[dict[str, str]]
    recipients: list[dict[str, str]]


def context_json(ctx: ReportContext | ChecklistContext) -> dict[str, Any]:
    """The context as plain JSON values, versioned (`kehoach report --format json`)."""
    data = {k: v for k, v in dataclasses.asdict(ctx).items() if k != "w"}
    kind = "report" if isinstance(ctx, ReportContext) else "checklist"
    return {"version": CONTEXT_VERSION, "document": kind, **data}


# ---------------------------------------------------------------- the reporting window


def resolve_span(plan: "Plan", period: str | None, start: dt.date | None, end: dt.date | None,
                 whole_until: dt.date | None = None) -> Span:
    """The report window; it must overlap the plan period. Without a period or range,
    `whole_until` (a thematic report) gives the plan period up to that date."""
    convention = plan.convention
    info = plan.plan.period
    if period and (start or end):
        raise ReportError("period-and-range")
    if period:
        try:
            p = periods.parse_period(period, info.start.year, convention)
        except periods.PeriodError as exc:
            raise ReportError("bad-period", {"value": period}) from exc
        span = Span.of(p)
    elif start and end:
        if end < start:
            raise ReportError("range-reversed", {"start": date_param(start), "to": date_param(end)})
        span = Span(start, end, None, start.year)
    elif start or end:
        raise ReportError("need-to")
    elif whole_until is not None:
        last = min(max(whole_until, info.start), info.end)
        span = Span(info.start, last, None, info.start.year)
    else:
        raise ReportError("need-period")
    if span.end < info.start or span.start > info.end:
        raise ReportError("period-outside-plan", {
            "label": {"vi": span_label(span, "vi"), "en": span_label(span, "en")},
            "start": date_param(info.start), "end": date_param(info.end)})
    return span


# ---------------------------------------------------------------- shared pieces


def _number(value: int | float, lang: str) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale="vi" if lang == "vi" else "en"))


def _percent(value: int, lang: str) -> str:
    return f"{_number(value, lang)}%"


def _doc_code(plan: "Plan") -> str:
    """The issuers' code of the plan's number: '04-KH/BDVTU-BCSĐUBND' → 'BDVTU-BCSĐUBND'."""
    number = plan.plan.number or ""
    return number.split("/", 1)[1] if "/" in number else ""


def document_number(plan: "Plan", doc_type: str, number: str | None, lang: str) -> str:
    """'Số 15-BC/BDVTU-BCSĐUBND' from `--number 15`; a blank to fill by hand without it.

    A number given whole ('15-BC/BDVTU', 'Số 15-BC/…') is kept as written."""
    word = WORDS[lang]["number"]
    code = _doc_code(plan)
    if number:
        number = number.strip()
        if number.lower().startswith(("số", "no")):
            return number
        if re.fullmatch(r"\d+", number):
            return f"{word} {number}-{doc_type}/{code}" if code else f"{word} {number}"
        return f"{word} {number}"
    blank = "\u00a0" * 8  # left blank, to fill in by hand
    return f"{word}{blank}-{doc_type}/{code}" if code else f"{word}{blank}"


def header(plan: "Plan", day: dt.date, lang: str, doc_type: str, number: str | None, type_word: str,
           summary: str) -> Head:
    bodies = Bodies(plan)
    issuers = [bodies.name(i) for i in plan.plan.issuers]
    names = list(plan.plan.header) or [
        n.upper() + (" -" if i < len(issuers) - 1 else "") for i, n in enumerate(issuers)
    ]
    return Head(issuers=names, issuer_names=issuers, party=WORDS[lang]["party"],
                number=document_number(plan, doc_type, number, lang),
                place_date=place_date(plan.plan.place, day, lang), type=type_word, summary=summary)


def recipients(plan: "Plan") -> list[dict[str, str]]:
    out = []
    for r in plan.recipients:
        name, purpose = (r, None) if isinstance(r, str) else (r.name, r.purpose)
        out.append({"name": name, "purpose": purpose or "", "text": f"- {name}" + (f" ({purpose})" if purpose else "") + ";"})
    if out:
        out[-1]["text"] = out[-1]["text"].rstrip(";") + "."
    return out


def signers(plan: "Plan") -> list[dict[str, str]]:
    return [{"authority": s.authority or "", "title": s.title, "name": s.name} for s in plan.signers]


def _plan_citation(plan: "Plan", lang: str) -> str:
    info = plan.plan
    bodies = Bodies(plan)
    names = [bodies.name(i) for i in info.issuers]
    if lang == "en":
        issued = short_date(info.issued, lang) if info.issued else "—"
        return f"Plan No. {info.number or '—'} of {issued} of {' and '.join(names)} on {info.title}"
    issued = f" ngày {short_date(info.issued)}" if info.issued else ""
    return f"Kế hoạch số {info.number or '…'}{issued} của {' và '.join(names)} về {lower_first(info.title)}"


def _entry(e: "Progress", node: Node, lang: str) -> EntryLine:
    return EntryLine(date=short_date(e.date, lang), iso=e.date.isoformat(), note=e.note, by=e.by or "",
                     evidence=e.evidence or "", kind=str(e.kind), percent=e.percent, task_id=node.id,
                     task_title=node.task.title, occurrence=e.occurrence or "")


def _deadline_words(ts: TaskStatus, lang: str) -> str:
    """The deadline in words; for a parent without its own, the latest due date of its subtasks."""
    if ts.task.deadline is not None:
        return deadline_text(ts.task.deadline, lang)
    if ts.children and ts.due:
        return short_date(ts.due, lang) if lang == "en" else f"chậm nhất {short_date(ts.due)}"
    return ""


def _row(ts: TaskStatus, bodies: Bodies, lang: str, stt: str = "") -> TaskRow:
    t = ts.task
    return TaskRow(
        stt=stt, id=t.id, title=t.title, depth=ts.depth,
        lead=", ".join(bodies.short(i) for i in t.lead),
        support=", ".join(bodies.short(i) for i in t.support),
        deadline=_deadline_words(ts, lang),
        due=short_date(ts.due, lang) if ts.due else "",
        status=label(ts.status, lang), status_code=ts.status,
        percent=ts.percent, percent_text=_percent(ts.percent, lang),
        updated=short_date(ts.last_date, lang) if ts.last_date else "",
        deliverables="; ".join(t.deliverables),
        done=ts.status in DONE, box="☑" if ts.status in DONE else "☐",
    )


def _section_groups(plan: "Plan", tops: list[TaskStatus]) -> list[tuple[str, str, list[TaskStatus]]]:
    """Top-level tasks grouped by the top section of the plan they sit in, in plan order."""
    titles = {s.id: s.title for s in plan.sections}
    order: list[str] = []
    groups: dict[str, list[TaskStatus]] = {}
    for ts in tops:
        section = ts.task.section or ""
        top = section.split(".")[0] if section else ""
        if top not in groups:
            order.append(top)
            groups[top] = []
        groups[top].append(ts)
    return [(key, titles.get(key, ""), groups[key]) for key in order]


def _what(j: Judged | Upcoming, lang: str) -> str:
    """How a report names one piece of work: 'II.5.a. <title>', an occurrence, or a meeting."""
    occ = j.occurrence
    meeting = j.meeting
    if occ is not None:
        year = int(occ.code.split("-")[0])
        name = meeting.name if meeting is not None else j.node.task.title if j.node else ""
        when = period_label(occ.key, year, lang)
        if meeting is not None and fold(when) in fold(name):
            return f"{j.node.id}. {name}" if j.node else name
        return f"{j.node.id}. {name} — {when}" if j.node else f"{name} — {when}"
    if meeting is not None and j.node is None:
        period = getattr(j, "period", None)
        return meeting.name + (f" — {period_label(period.key, period.year, lang)}"
                               if period is not None and fold(period_label(period.key, period.year, lang)) not in fold(meeting.name) else "")
    if meeting is not None:
        return f"{j.node.id}. {meeting.name}" if j.node else meeting.name
    return f"{j.node.id}. {j.node.task.title}" if j.node else ""


# ---------------------------------------------------------------- the report, section by section


def build_report(
    plan: "Plan",
    span: Span,
    as_of: dt.date | None = None,
    lang: str = "vi",
    topic: str | None = None,
    number: str | None = None,
    soon_days: int = 14,
    body: str | None = None,
) -> ReportContext:
    """The whole context of a report for `span`: the evaluation, written down."""
    schedule = build_schedule(plan)
    scope = select(schedule, topic, body)
    ev = evaluate(plan, span, as_of, soon_days, scope)
    bodies = Bodies(plan)
    words = WORDS[lang]
    topic_obj = scope.topic
    body_name = ", ".join(scope.body_names)
    head = _report_head(plan, ev, lang, number, body_name)
    return ReportContext(
        lang=lang,
        w=words,
        doc=head,
        plan={"id": plan.plan.id, "title": plan.plan.title, "number": plan.plan.number or "",
              "citation": _plan_citation(plan, lang)},
        period={"code": span.code, "label": span_label(span, lang), "start": short_date(span.start, lang),
                "end": short_date(span.end, lang), "as_of": short_date(ev.as_of, lang),
                "as_of_long": long_date(ev.as_of, lang)},
        topic={"id": topic_obj.id, "name": topic_obj.name} if topic_obj else None,
        body=body_name,
        sections={"results": ROMAN[0], "evaluation": ROMAN[1], "next": ROMAN[2], "proposals": ROMAN[3]},
        results=_results(ev, bodies, lang),
        evaluation=_assessment(ev, bodies, lang),
        next=_next(ev, bodies, lang),
        proposals=[_entry(r.entry, r.node, lang) for r in ev.proposals],
        recipients=recipients(plan),
        signers=signers(plan),
        appendix=_appendix(ev, bodies, lang),
        charts=charts(ev, lang),
    )


def _report_head(plan: "Plan", ev: Evaluation, lang: str, number: str | None, body_name: str) -> Head:
    span = ev.span
    topic = ev.scope.topic
    words = WORDS[lang]
    label_ = span_label(span, lang)
    plan_name = plan.plan.title
    if span.key:  # "… năm 2021" + "quý II năm 2021": say the year once
        plan_name = re.sub(rf"\s+năm {span.year}(?=\s*(\(|$))", "", plan_name)
    who = [Bodies(plan).name(i) for i in plan.plan.issuers]
    if lang == "vi":
        summary = f"Kết quả thực hiện Kế hoạch {lower_first(plan_name)} {label_}"
        if topic:
            summary = f"Kết quả thực hiện chuyên đề {lower_first(topic.name)} {label_}"
        if body_name:
            summary += f" (nhiệm vụ của {body_name})"
        window = "" if not span.key else f" (từ ngày {short_date(span.start)} đến ngày {short_date(span.end)})"
        subject = f"chuyên đề {lower_first(topic.name)} " if topic else ""
        opening = (f"Thực hiện {_plan_citation(plan, lang)}, {' và '.join(who)} báo cáo kết quả thực hiện "
                   f"{subject}{label_}{window} như sau:")
    else:
        summary = f"Results of the plan \u201c{plan_name}\u201d, {label_}"
        if topic:
            summary = f"Results on the topic \u201c{topic.name}\u201d, {label_}"
        if body_name:
            summary += f" (tasks of {body_name})"
        window = "" if not span.key else f" ({short_date(span.start, lang)} to {short_date(span.end, lang)})"
        opening = f"Pursuant to {_plan_citation(plan, lang)}, this report gives the results for {label_}{window}:"
    head = header(plan, ev.cut, lang, "BC", number, words["report"], summary)
    head.kind = ({"vi": "Báo cáo chuyên đề", "en": "Thematic report"}[lang]) if topic else ""
    head.opening = opening
    return head


def _badge(ev: Evaluation, ts: TaskStatus, lang: str) -> tuple[str, str]:
    """What the period says of a top-level item, or nothing when that says nothing.

    A leaf: its verdict (with the completion date, or the percent of unfinished
    work); continuous work that reported says nothing more than its entries.
    A parent: how many of its judged subtasks in scope are done."""
    mine = [j for j in ev.judged if j.node.id == ts.id and j.occurrence is None]
    if ts.leaf and mine:
        j = mine[0]
        text = VERDICT_LABELS[lang][j.verdict]
        if j.verdict in ("done_on_time", "done_late") and j.done_on:
            return f"{text} ({short_date(j.done_on, lang)})", j.verdict
        if j.verdict in ("unfinished_overdue", "unfinished", "in_progress"):
            return f"{text} ({_percent(j.percent, lang)})", j.verdict
        if j.verdict in ("unreported", "suspended", "not_started", "done_before"):
            return text, j.verdict
        return "", j.verdict
    if not ts.leaf:
        due = [c for c in ts.walk() if c.leaf and ev.scope.includes(c.node) and c.status != "suspended"
               and c.kind in ("dated", "undated", "triggered") and c.due is not None and c.due <= ev.span.end]
        if due:
            done = sum(1 for c in due if c.status in DONE)
            text = (f"hoàn thành {done}/{len(due)} nhiệm vụ đến hạn" if lang == "vi"
                    else f"{done} of {len(due)} tasks due are done")
            return text, "done_on_time" if done == len(due) else "unfinished_overdue"
    return "", ""


def _results(ev: Evaluation, bodies: Bodies, lang: str) -> list[ResultGroup]:
    """I. One item per top-level task in scope, grouped by plan section."""
    words = WORDS[lang]
    out = []
    for gi, (key, title, tops) in enumerate(_section_groups(ev.plan, ev.tops())):
        items = []
        for ti, ts in enumerate(tops):
            entries = [_entry(e, n, lang) for e, n in _node_results(ev, ts.node)]
            occurrences = [
                OccurrenceLine(label=_what(j, lang), status=VERDICT_LABELS[lang][j.verdict], status_code=j.verdict,
                               due=short_date(j.due, lang), done_on=short_date(j.done_on, lang))
                for j in ev.occurrences_of(ts.node)
            ]
            badge, code = _badge(ev, ts, lang)
            items.append(ResultItem(
                stt=f"{gi + 1}.{ti + 1}", id=ts.id, title=ts.task.title, badge=badge, badge_code=code,
                entries=entries, occurrences=occurrences,
                subtasks=[_row(c, bodies, lang) for c in ts.children if ev.scope.includes(c.node)],
            ))
        heading = _HEADINGS[lang].get(fold(title), title) if title else words["other"]
        out.append(ResultGroup(number=str(gi + 1), key=key, title=heading, items=items))
    return out


def _node_results(ev: Evaluation, node: Node) -> list[tuple["Progress", Node]]:
    ids = {n.id for n in node.walk() if ev.scope.includes(n)}
    return [(r.entry, r.node) for r in ev.results if r.node.id in ids]


def _judged_deadline(j: Judged, lang: str) -> str:
    """The deadline of a judged piece of work, as the plan writes it (an occurrence: its period)."""
    if j.occurrence is not None:
        return occurrence_text(j.occurrence.key, int(j.occurrence.code[:4]), lang)
    if j.task.deadline is not None:
        return deadline_text(j.task.deadline, lang)
    return short_date(j.due, lang)


def _last_note(j: Judged, lang: str) -> str:
    if j.last is None:
        return ""
    return f"{j.last.note} ({short_date(j.last.date, lang)})"


def _assessment(ev: Evaluation, bodies: Bodies, lang: str) -> Assessment:
    """II. The roll-up, strengths, and shortcomings: unfinished, late, unreported, difficulties."""
    from .messages import render

    r = ev.rollup()
    counts = {k: _number(v, lang) for k, v in r.items()}
    rollup_text = render("rollup-sentence", "message", {
        **counts, "as_of": long_date(ev.cut, lang),
        "done": _number(r["done_on_time"] + r["done_late"], lang),
        "not_done": _number(r["not_done_within"] + r["not_done_overdue"], lang),
        "suspended_text": ({"vi": f"; tạm dừng {counts['suspended']}", "en": f"; suspended {counts['suspended']}"}
                           if r["suspended"] else ""),
    }, lang)
    strengths = []
    for j in ev.strengths:
        when = short_date(j.done_on, lang)
        text = (f"{_what(j, lang)}: hoàn thành ngày {when}." if lang == "vi"
                else f"{_what(j, lang)}: done on {when}.")
        strengths.append(Line(text, j.node.id, when, j.done_on.isoformat() if j.done_on else ""))
    strengths.sort(key=lambda x: x.iso)
    reporting = ev.reporting
    continuing = ""
    if reporting:
        ids = ", ".join(j.node.id for j in reporting)
        continuing = (f"Duy trì thực hiện thường xuyên, có kết quả trong kỳ: {len(reporting)} nhiệm vụ ({ids})."
                      if lang == "vi" else f"Continuous work with results in the period: {len(reporting)} tasks ({ids}).")
    unfinished = []
    for i, j in enumerate(sorted(ev.unfinished, key=lambda x: (x.due or ev.span.end))):
        deadline = _judged_deadline(j, lang)
        note = _last_note(j, lang)
        if j.done_after:
            done = f"đã hoàn thành ngày {short_date(j.done_after)}" if lang == "vi" else \
                f"done on {short_date(j.done_after, lang)}"
            note = f"{note}; {done}" if note else done
        unfinished.append(ProblemRow(
            stt=str(i + 1), id=j.node.id, title=_what(j, lang).split(". ", 1)[-1],
            lead=", ".join(bodies.short(b) for b in j.node.lead), deadline=deadline,
            due=short_date(j.due, lang), percent=j.percent, percent_text=_percent(j.percent, lang),
            status=VERDICT_LABELS[lang][j.verdict], status_code=j.verdict, last_note=note))
    late = []
    for j in ev.late:
        deadline = _judged_deadline(j, lang)
        what = _what(j, lang)
        when = short_date(j.done_on, lang)
        text = (f"{what}: hạn {deadline}, hoàn thành ngày {when}." if lang == "vi"
                else f"{what}: due {deadline}, done on {when}.")
        late.append(Line(text, j.node.id, when, j.done_on.isoformat() if j.done_on else ""))
    unreported = [Line(f"{_what(j, lang)} ({', '.join(bodies.short(b) for b in j.node.lead)})", j.node.id)
                  for j in ev.unreported]
    gaps = []
    for j in ev.gaps:
        missed = ", ".join(period_label(p.key, p.year, lang).removesuffix(f" năm {ev.span.year}")
                           .removesuffix(f" {ev.span.year}") for p in j.gaps)
        text = f"{_what(j, lang)}: chưa báo cáo {missed}." if lang == "vi" else f"{_what(j, lang)}: no report for {missed}."
        gaps.append(Line(text, j.node.id))
    difficulties = [_entry(ref.entry, ref.node, lang) for ref in ev.difficulties]
    return Assessment(
        rollup_text=rollup_text, counts=counts, completion=_percent(ev.completion(), lang),
        strengths=strengths, continuing=continuing, unfinished=unfinished, late=late, unreported=unreported,
        gaps=gaps, difficulties=difficulties, clear=not (unfinished or late or unreported or gaps),
    )


def _next(ev: Evaluation, bodies: Bodies, lang: str) -> NextPeriod:
    """III. Unfinished work carried forward, then what falls due in the next period."""
    words = WORDS[lang]
    carried, items = [], []
    for u in ev.upcoming:
        lead = ", ".join(bodies.short(b) for b in u.node.lead) if u.node else ""
        if u.carried:
            j = next(x for x in ev.unfinished if x.node is u.node and x.occurrence is u.occurrence)
            deadline = _judged_deadline(j, lang)
            if lang == "vi":
                note = f"hạn {deadline}" + (f", đạt {_percent(j.percent, lang)}" if j.percent else "")
            else:
                note = f"due {deadline}" + (f", {_percent(j.percent, lang)} done" if j.percent else "")
            carried.append(NextItem(short_date(u.day, lang), _what(u, lang), lead, True, note))
        else:
            items.append(NextItem(short_date(u.day, lang), _what(u, lang), lead, False, ""))
    n = len(ev.continuing)
    label_ = span_label(ev.next_span, lang)
    return NextPeriod(label=label_, carried=carried, items=items,
                      heading=words["due_next"].format(label=label_),
                      continuing=words["continuing"].format(n=n) if n else "")


def _appendix(ev: Evaluation, bodies: Bodies, lang: str) -> list[TaskRow]:
    rows: list[TaskRow] = []
    for ts in ev.status.walk():
        if ev.scope.includes(ts.node):
            rows.append(_row(ts, bodies, lang, stt=str(len(rows) + 1)))
    return rows


# ---------------------------------------------------------------- charts (HTML)


def charts(ev: Evaluation, lang: str) -> dict[str, Any]:
    """Geometry for the HTML page's timeline, body bars and completion trend, in 0–100 units."""
    from .statusview import body_completion

    plan = ev.plan
    start, end = plan.plan.period.start, plan.plan.period.end
    total = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(100 * min(max((day - start).days, 0), total) / total, 2)

    rows = []
    for ts in ev.tops():
        continuous = isinstance(ts.task.deadline, Continuous)
        if continuous or ts.due is None:
            a, b = start, end
        else:
            first = ts.node.dues[0] if ts.node.dues and ts.node.dues[0].kind == "dated" else None
            a = first.start if first is not None and first.start and first.start < first.due else start
            b = ts.due
        rows.append({"id": ts.id, "title": ts.task.title, "x": x(a), "w": max(round(x(b) - x(a), 2), 0.8),
                     "status_code": ts.status, "status": label(ts.status, lang), "percent": ts.percent,
                     "continuous": continuous})
    months = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        months.append({"x": x(day), "label": f"{day.month}/{day.year % 100:02d}" if lang == "en" else f"T{day.month}"})
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    bodies = [{"name": g.title, "percent": g.percent} for g in body_completion(ev.status, lang, ev.scope)]
    trend = [{"x": x(point), "value": value, "label": short_date(point, lang)} for point, value in ev.trend()]
    return {
        "timeline": rows,
        "months": months,
        "today_x": x(ev.cut),
        "span_x": x(ev.span.start),
        "span_w": round(x(ev.span.end) - x(ev.span.start), 2),
        "bodies": bodies,
        "trend": trend,
    }


# ---------------------------------------------------------------- the checklist


def build_checklist(plan: "Plan", as_of: dt.date, lang: str = "vi", body: str | None = None,
                    number: str | None = None) -> ChecklistContext:
    """The assignment table: one row per task, grouped by plan section; one body or all."""
    status = compute_status(plan, as_of)
    scope = select(status.schedule, None, body)
    bodies = Bodies(plan)
    body_name = ", ".join(scope.body_names)
    groups = []
    for gi, (key, title, tops) in enumerate(_section_groups(plan, status.tasks)):
        rows = [_row(node, bodies, lang) for ts in tops for node in ts.walk() if scope.includes(node.node)]
        for i, row in enumerate(rows):
            row.stt = str(i + 1)
        if rows:
            groups.append(ChecklistGroup(number=key or (ROMAN[gi] if gi < len(ROMAN) else str(gi + 1)), key=key,
                                         title=title or WORDS[lang]["other"], rows=rows))
    words = WORDS[lang]
    if lang == "vi":
        summary = f"Thực hiện {_plan_citation(plan, lang)}"
        subtitle = f"Cơ quan: {body_name}" if body_name else "Tất cả cơ quan"
        as_of_text = f"Tình trạng tính đến {long_date(as_of)}"
    else:
        summary = f"Implementing {_plan_citation(plan, lang)}"
        subtitle = f"Body: {body_name}" if body_name else "All bodies"
        as_of_text = f"Status as of {long_date(as_of, lang)}"
    head = header(plan, as_of, lang, "KH", number, words["checklist"], summary)
    head.subtitle = subtitle
    head.as_of = as_of_text
    return ChecklistContext(
        lang=lang, w=words, doc=head,
        plan={"id": plan.plan.id, "title": plan.plan.title, "number": plan.plan.number or ""},
        body=body_name, groups=groups, count=sum(len(g.rows) for g in groups),
        signers=signers(plan), recipients=recipients(plan),
    )
