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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from kehoach.base.deadlines import Continuous, Triggered
from kehoach.base.messages import has, join_names, text, words
from kehoach.base.periods import ReportPeriod, Span
from kehoach.base.text import fold
from kehoach.base.vndates import (
    deadline_text,
    long_date,
    occurrence_text,
    period_label,
    period_short,
    short_date,
    span_label,
    triggered_since,
)
from kehoach.judge.evaluation import Evaluation, Judged, Upcoming, Verdict, evaluate, month_trend
from kehoach.judge.scope import select
from kehoach.judge.status import DONE, TaskStatus, compute_status, label
from kehoach.plan.bodies import Bodies
from kehoach.plan.reporters import LeadState
from kehoach.plan.schedule import Node, build_schedule
from kehoach.views.letterhead import (
    Head,
    PlanRef,
    RecipientLine,
    SignerLine,
    attached_to_plan,
    header,
    number_core,
    plan_citation,
    plan_issued,
    plan_name,
    plan_ref,
    report_recipients,
    signers,
)
from kehoach.views.statusview import deadline_words

if TYPE_CHECKING:
    from kehoach.plan.model import Plan, Progress

CONTEXT_VERSION = 2

def doc_words(lang: str) -> dict[str, str]:
    """The fixed words of the documents (`doc.*` in the catalogue), as templates read them: `w.results`."""
    return words("doc", lang)


def verdict_label(code: str, lang: str) -> str:
    return text(f"verdict.{code}", lang)


_V = TypeVar("_V")

# the check box of a checklist row: to tick, ticked (in Times New Roman, as every character of a document)
BOXES = {False: "□", True: "■"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


# ---------------------------------------------------------------- the typed context


@dataclass
class CitedPlanRef(PlanRef):
    citation: str  # "Kế hoạch số 04-KH/… ngày 04/01/2021 của … về …", as a report's opening cites it


@dataclass
class SpanRef:
    """A report's window, in words."""

    code: str
    label: str
    start: str
    end: str
    as_of: str


@dataclass
class PeriodRef(SpanRef):
    as_of_long: str


@dataclass
class TopicRef:
    id: str
    name: str


@dataclass
class Sections:
    """The Roman numerals of the report's four parts."""

    results: str
    evaluation: str
    next: str
    proposals: str


@dataclass(slots=True)
class TimelineRow:
    id: str
    title: str
    x: float
    w: float
    status_code: str
    status: str
    percent: int
    continuous: bool
    percent_shown: str = ""  # "40%"; empty for work without a percent (continuous, and a parent of only such)


@dataclass
class MonthMark:
    x: float
    label: str


@dataclass
class TrendPoint:
    x: float
    value: int
    label: str


@dataclass
class BodyBar:
    name: str
    percent: int


@dataclass
class Charts:
    """Geometry for the HTML page's timeline, body bars and completion trend, in 0–100 units."""

    timeline: list[TimelineRow]
    months: list[MonthMark]
    today_x: float
    span_x: float
    span_w: float
    bodies: list[BodyBar]
    trend: list[TrendPoint]


@dataclass(slots=True)
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
    percent: int | None  # None: continuous work (no percent), or a parent of only such work
    percent_text: str  # "70%", with each lead's own when they differ: "70% (BDVTU 100%, BCSĐ UBND tỉnh 40%)"
    updated: str
    deliverables: str
    done: bool
    box: str
    percent_shown: str = ""  # the percent alone, as a table's narrow column shows it: "70%"
    leads_text: str = ""  # each lead's own when they differ: "BDVTU 100%, BCSĐ UBND tỉnh 40%"
    status_text: str = ""  # the status, with each lead's own percent when they differ (the appendix)


@dataclass(slots=True)
class EntryLine:
    """One progress entry as a document states it: `text` says when, who and what."""

    date: str
    iso: str
    note: str
    body: str  # the reporting body's name (or, in a plan that recorded none, who `by:` says)
    by: str  # the person who reported, if given
    evidence: str
    kind: str
    percent: int | None
    task_id: str
    task_title: str
    occurrence: str
    text: str  # "20/3/2021 — Ban Dân vận Tỉnh ủy: … (Minh chứng: …)"


@dataclass(slots=True)
class ResultItem:
    """I. What was done in the period under one top-level task: its results, each with the body
    that reported it, and the completions of the period (tasks, occurrences of duties)."""

    stt: str  # its letter under its group: "b" (printed "b)")
    id: str
    title: str
    heading: str  # the title with the plan's code in brackets: "Quán triệt … (mục II.1 Kế hoạch)"
    lines: list[EntryLine]
    completions: list[str]  # "II.5.b. …: hoàn thành đúng hạn ngày 18/6/2021."


@dataclass
class ResultGroup:
    number: str
    key: str
    title: str
    heading: str  # the title with the plan's code in brackets: "… (mục II Kế hoạch)"
    items: list[ResultItem]


@dataclass(slots=True)
class Line:
    """A sentence about one piece of work: `text`, the task it names, and whether it counts as a
    task or as one occurrence of a recurring duty (`unit`)."""

    text: str
    task_id: str
    date: str = ""
    iso: str = ""
    unit: str = "task"


@dataclass
class Block:
    """A heading with a count and the lines it counts: `count` is always `len(lines)`."""

    code: str  # done_tasks, done_occurrences, maintained, late_tasks, late_occurrences, gaps, not_triggered …
    heading: str
    count: int
    lines: list[Line]


@dataclass(slots=True)
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
    unit: str = "task"  # task | occurrence
    percent_shown: str = ""  # the percent alone, for the table's narrow column: "50%"
    leads_text: str = ""  # each lead's own when they differ: "BDVTU 100%, BCSĐ UBND tỉnh 0%"
    result: str = ""  # the "Kết quả, lý do" column: each lead's own percent, then the last note


@dataclass
class Assessment:
    summary: str  # the period's counts in one sentence; each count is the length of a list below
    completion: str  # "Tiến độ chung … đạt 45%."
    tally: dict[str, int]  # the same counts, by code (done_tasks_on_time …)
    strengths: list[Block]
    unfinished_heading: str
    unfinished: list[ProblemRow]
    limits: list[Block]  # after the unfinished table: late work, continuous work with gaps
    others: list[Block]  # neither: work not triggered yet, suspended work
    difficulties: list[EntryLine]
    clear: bool  # nothing unfinished, late or missing


@dataclass(slots=True)
class NextItem:
    date: str
    what: str
    lead: str
    carried: bool  # unfinished work brought forward
    note: str  # carried work: its deadline and percent; work not due yet: its percent, if any


@dataclass
class NextPeriod:
    label: str
    carried: list[NextItem]
    items: list[NextItem]
    heading: str  # "Các nhiệm vụ đến hạn trong quý III năm 2021:"
    continuing: str
    later: str = ""  # the deliverables in progress due after the next period, in one sentence


@dataclass
class ReportContext:
    lang: str
    w: dict[str, str]
    doc: Head
    plan: CitedPlanRef
    period: PeriodRef
    topic: TopicRef | None
    body: str  # the body the report is narrowed to (--body), empty for all
    body_ids: list[str]  # the ids of the bodies --body matched
    sections: Sections
    results: list[ResultGroup]
    evaluation: Assessment
    next: NextPeriod
    proposals: list[EntryLine]
    resolved: list[EntryLine]  # proposals of the period whose task was completed after them
    recipients: list[RecipientLine]
    signers: list[SignerLine]
    appendix: list[TaskRow]
    charts: Charts


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
    plan: PlanRef
    body: str
    groups: list[ChecklistGroup]
    count: int
    signers: list[SignerLine]
    recipients: list[RecipientLine]


def context_json(ctx: Any) -> dict[str, Any]:
    """A document's context (a report, a checklist, a reminder letter) as plain JSON values,
    versioned (`kehoach report --format json`)."""
    data = {k: v for k, v in dataclasses.asdict(ctx).items() if k != "w"}
    kind = {"ReportContext": "report", "ChecklistContext": "checklist", "RemindContext": "remind",
            "RollupContext": "rollup"}[type(ctx).__name__]
    return {"version": CONTEXT_VERSION, "document": kind, **data}


# ---------------------------------------------------------------- the reporting window


# ---------------------------------------------------------------- shared pieces


# the number locales (`locale.numbers`) that write a whole number below 1000 as Python does:
# such a number needs no locale data (Babel's takes some 4 MB once loaded)
PLAIN_NUMBERS = frozenset({"vi", "en"})


def _number(value: int | float, lang: str) -> str:
    locale = text("locale.numbers", lang)
    if type(value) is int and 0 <= value < 1000 and locale in PLAIN_NUMBERS:
        return str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=locale))


def _percent(value: int, lang: str) -> str:
    return f"{_number(value, lang)}%"


def _entry(e: Progress, node: Node, bodies: Bodies, lang: str, earlier: ReportPeriod | None = None) -> EntryLine:
    """An entry as a report states it: when, which body (and who, when given), what, and its
    evidence. A plan that recorded no body (`by:` in words) shows its `by:` as it stands.
    `earlier`: the earlier period it reports on, sent in this one ("báo cáo bổ sung …")."""
    body = bodies.name(e.body) if e.body else (e.by or "")
    person = (e.by or "") if e.body else ""
    who = text("report.who-person", lang, body=body, person=person) if body and person else body
    day = short_date(e.date, lang)
    line = (text("report.entry", lang, date=day, who=who, note=e.note) if who
            else text("report.entry-nobody", lang, date=day, note=e.note))
    if e.evidence:
        line = text("report.with-evidence", lang, line=line, evidence=e.evidence)
    if earlier is not None:
        line = text("report.entry-earlier", lang, line=line, period=period_label(earlier.key, earlier.year, lang))
    return EntryLine(date=day, iso=e.date.isoformat(), note=e.note, body=body, by=person,
                     evidence=e.evidence or "", kind=str(e.kind), percent=e.percent, task_id=node.id,
                     task_title=node.task.title, occurrence=e.occurrence or "", text=line)


def _percent_text(ts: TaskStatus, bodies: Bodies, lang: str) -> str:
    """The percent of a task as a document shows it: empty for continuous work; with each lead's
    own when the leads stand at different percents."""
    if ts.percent is None:
        return ""
    return _lead_percents(ts.percent, ts.leads, bodies, lang)


def _lead_percents(percent: int, leads: list[LeadState], bodies: Bodies, lang: str) -> str:
    """"70%", or "70% (BDVTU 100%, BCSĐ UBND tỉnh 40%)" when the leads stand apart."""
    shown = _percent(percent, lang)
    parts = _leads_text(leads, bodies, lang)
    return text("report.percent-by-lead", lang, percent=shown, leads=parts) if parts else shown


def _leads_text(leads: list[LeadState], bodies: Bodies, lang: str) -> str:
    """Each lead's own percent when the leads stand apart ("BDVTU 100%, BCSĐ UBND tỉnh 40%"), else empty."""
    own = [s for s in leads if s.body]
    if len(own) > 1 and len({s.percent for s in own}) > 1:
        return ", ".join(text("report.lead-percent", lang, lead=bodies.short(s.body),
                              percent=_percent(s.percent, lang)) for s in own)
    return ""


def _row(ts: TaskStatus, bodies: Bodies, lang: str, stt: str = "", shown: str | None = None) -> TaskRow:
    """A task's row of a table; `shown`: its status as the report it is attached to gives it (the
    evaluation's `shown_status`: the occurrence the report is, a parent of one), else its own."""
    t = ts.task
    code = shown or ts.status
    this_report = code == Verdict.THIS_REPORT
    leads = _leads_text(ts.leads, bodies, lang) if ts.percent is not None and not this_report else ""
    status = verdict_label(code, lang) if this_report else label(code, lang)
    return TaskRow(
        stt=stt, id=t.id, title=t.title, depth=ts.depth,
        lead=bodies.shorts(t.lead),
        support=bodies.shorts(t.support),
        deadline=deadline_words(ts, lang),
        due=short_date(ts.due, lang) if ts.due else "",
        status=status, status_code=code,
        percent=ts.percent, percent_text=_percent_text(ts, bodies, lang),
        percent_shown=_percent(ts.percent, lang) if ts.percent is not None and not this_report else "",
        leads_text=leads,
        status_text=text("report.status-by-lead", lang, status=status, leads=leads) if leads else status,
        updated=short_date(ts.last_date, lang) if ts.last_date else "",
        deliverables="; ".join(t.deliverables),
        done=code in DONE, box=BOXES[code in DONE],
    )


def _section_groups(plan: Plan, tops: list[TaskStatus]) -> list[tuple[str, str, list[TaskStatus]]]:
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


def _name(j: Judged | Upcoming, lang: str) -> str:
    """What a piece of work is called: its title, or its meeting's name, with the occurrence's
    period unless the name says it already ("Báo cáo quý — quý II năm 2021"; a meeting whose name
    gives its year is named for its own occasion)."""
    occ = j.occurrence
    meeting = j.meeting
    node = j.node
    name = meeting.name if meeting is not None else node.task.title if node is not None else ""
    period = None
    if occ is not None:
        period = period_label(occ.key, int(occ.code.split("-")[0]), lang)
    elif isinstance(j, Upcoming) and j.period is not None:
        period = period_label(j.period.key, j.period.year, lang)
    if period is None or fold(period) in fold(name):
        return name
    if meeting is not None and occ is not None and occ.code.split("-")[0] in name:
        return name  # a meeting named for its own occasion ("… cuối năm 2021"): the name is the period
    return text("report.name-period", lang, name=name, period=period)


def _what(j: Judged | Upcoming, lang: str) -> str:
    """How a report names one piece of work in a sentence: 'II.5.a. <title>'."""
    if j.node is None:
        return _name(j, lang)
    return text("report.what", lang, id=j.node.id, name=_name(j, lang))


# ---------------------------------------------------------------- the report, section by section


def build_report(
    plan: Plan,
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
    # the trend judges the plan again at each month's end: before the period's judgement is held
    trend = month_trend(plan, min(as_of or span.end, span.end), scope, soon_days, schedule)
    ev = evaluate(plan, span, as_of, soon_days, scope, schedule, own_report=True)
    drawn = charts(ev, lang, trend)
    bodies = Bodies(plan)
    topic_obj = scope.topic
    body_name = ", ".join(scope.body_names)
    head = _report_head(plan, ev, lang, number, body_name)
    pool: dict[str, str] = {}
    return ReportContext(
        lang=lang,
        w=doc_words(lang),
        doc=head,
        plan=CitedPlanRef(plan.plan.id, plan.plan.title, plan.plan.number or "", plan_citation(plan, lang)),
        period=PeriodRef(span.code, span_label(span, lang), short_date(span.start, lang), short_date(span.end, lang),
                         short_date(ev.as_of, lang), long_date(ev.as_of, lang)),
        topic=TopicRef(topic_obj.id, topic_obj.name) if topic_obj else None,
        body=body_name,
        body_ids=list(scope.body_ids),
        sections=Sections(*ROMAN[:4]),
        results=_shared(_results(ev, bodies, lang), pool),
        evaluation=_shared(_assessment(ev, bodies, lang), pool),
        next=_shared(_next(ev, bodies, lang), pool),
        proposals=[_entry(r.entry, r.node, bodies, lang, r.earlier) for r in ev.proposals],
        resolved=[_entry(r.entry, r.node, bodies, lang, r.earlier) for r in ev.resolved],
        recipients=report_recipients(plan, lang),
        signers=signers(plan),
        appendix=_appendix(ev, bodies, lang, pool),
        charts=drawn,
    )


_FIELDS: dict[type, tuple[str, ...]] = {}


def _shared(value: _V, pool: dict[str, str]) -> _V:
    """`value` (a record of the view, or a list of them) with its equal strings made one string
    (`pool`): a large plan repeats its bodies, dates, percents and statuses in thousands of rows,
    each written afresh. Records and lists are walked; anything else is left as it is."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if type(item) is str:
                value[i] = pool.setdefault(item, item)
            else:
                _shared(item, pool)
        return value
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = (tuple(f.name for f in dataclasses.fields(value))
                                 if dataclasses.is_dataclass(value) else ())
    for name in names:
        item = getattr(value, name)
        if type(item) is str:
            setattr(value, name, pool.setdefault(item, item))
        elif isinstance(item, list) or type(item) in _FIELDS or dataclasses.is_dataclass(item):
            _shared(item, pool)
    return value


def _report_head(plan: Plan, ev: Evaluation, lang: str, number: str | None, body_name: str) -> Head:
    """The head of a report: its summary names the plan by its number and date, then the period ("kết
    quả thực hiện Kế hoạch số 04-KH/… ngày 04/01/2021 quý II năm 2021": the period is the report's, not
    the plan's), and the line its appendix is attached with."""
    span = ev.span
    topic = ev.scope.topic
    period = span_label(span, lang)
    info = plan.plan
    issuers = join_names([Bodies(plan).name(i) for i in info.issuers], lang)
    if topic:
        summary = text("report.summary-topic", lang, topic=topic.name, period=period)
    else:
        summary = text("report.summary", lang, plan=plan_name(plan, lang), issued=plan_issued(plan, lang),
                       period=period)
    if body_name:
        summary = text("report.summary-body", lang, summary=summary, body=body_name)
    window = text("report.window", lang, start=short_date(span.start, lang),
                  end=short_date(span.end, lang)) if span.key else ""
    citation = plan_citation(plan, lang)
    if topic:
        opening = text("report.opening-topic", lang, citation=citation, issuers=issuers, topic=topic.name,
                       period=period, window=window)
    else:
        opening = text("report.opening", lang, citation=citation, issuers=issuers, period=period, window=window)
    # dated the day it is written: the period's last day, or the as-of date of a report written
    # later (it speaks of work completed since, `done_after`); the judgement stays the period's
    head = header(plan, ev.as_of, lang, "BC", number, text("doc.report", lang), summary)
    head.kind = text("doc.kind_thematic", lang) if topic else ""
    head.opening = opening
    head.attached = text("attached.report", lang, number=number_core(plan, "BC", number, head.form),
                         date=short_date(ev.as_of, lang), long=long_date(ev.as_of, lang), issuers=issuers)
    return head


def _completion_line(j: Judged, lang: str) -> str:
    """A completion of the period as a result: 'II.5.b. …: hoàn thành đúng hạn ngày 18/6/2021.'"""
    key = "report.completed-on-time" if j.verdict == Verdict.DONE_ON_TIME else "report.completed-late"
    if key == "report.completed-on-time" and j.occurrence is None and j.node.task.carried_over is not None:
        key = "report.completed-carried"  # on time by this plan, after the old deadline it names: no "đúng hạn"
    return text(key, lang, what=_done_what(j, lang), date=short_date(j.done_on, lang))


def _done_what(j: Judged, lang: str) -> str:
    """A piece of work done, named: work carried over from last year's plan says so, with the
    deadline it had there ("đúng hạn" is against the new plan's: the old one had passed)."""
    carried = j.node.task.carried_over if j.node is not None and j.occurrence is None else None
    if carried is None:
        return _what(j, lang)
    from kehoach.views.statusview import old_deadline

    return text("report.what-carried", lang, what=_what(j, lang), deadline=old_deadline(carried, lang))


def _results(ev: Evaluation, bodies: Bodies, lang: str) -> list[ResultGroup]:
    """I. What was done: one item per top-level task in scope with results in the period, grouped by
    plan section; each result names the body that reported it. Nothing unfinished or unreported
    is said here (that is II's)."""
    out: list[ResultGroup] = []
    for key, title, tops in _section_groups(ev.plan, ev.tops()):
        items = []
        for ts in tops:
            lines = [_entry(r.entry, r.node, bodies, lang, r.earlier) for r in ev.results_below(ts.node)]
            completions = [_completion_line(j, lang) for n in ts.node.walk() for j in ev.judged_of(n)
                           if j.verdict in (Verdict.DONE_ON_TIME, Verdict.DONE_LATE) and j.done_on is not None]
            if lines or completions:
                items.append(ResultItem(stt="", id=ts.id, title=ts.task.title, lines=lines, completions=completions,
                                        heading=_coded(ts.task.title, ts.id, lang)))
        if items:
            number = str(len(out) + 1)
            for i, item in enumerate(items, start=1):
                item.stt = letter(i, lang)
            title = _heading(title, lang)
            out.append(ResultGroup(number=number, key=key, title=title, items=items,
                                   heading=_coded(title, key, lang) if key else title))
    return out


def letter(i: int, lang: str = "vi") -> str:
    """The i-th point's letter (1: "a"; past the last: "a1", "b1", …), in the language's own
    alphabet (`doc.point-letters`): a), b), … đ), e), g) in Vietnamese (NĐ 30 II.6), a) to z) in
    English."""
    letters = text("doc.point-letters", lang)
    n, k = divmod(i - 1, len(letters))
    return letters[k] + (str(n) if n else "")


def _coded(title: str, code: str, lang: str) -> str:
    """A heading of the report citing the plan's item it is about: "Quán triệt … (mục II.1 Kế hoạch)"
    (the plan's codes go in brackets, the report numbers its own headings: NĐ 30 II.6)."""
    return text("report.heading-code", lang, title=title, code=code)


def _heading(title: str, lang: str) -> str:
    """How a report heads the results of a plan section: the usual sections of a coordination
    plan have their own words (`heading.*`), any other keeps its title."""
    if not title:
        return text("doc.other", lang)
    key = "heading." + fold(title).replace(" ", "-")
    return text(key, lang) if has(key, lang) else title


def _judged_deadline(j: Judged, lang: str) -> str:
    """The deadline of a judged piece of work, as the plan writes it (an occurrence: its period,
    or the day it is due when that is not the period's last: a report due 5 days after its quarter)."""
    if j.occurrence is not None:
        if j.occurrence.due != j.occurrence.end:
            return short_date(j.occurrence.due, lang)
        return occurrence_text(j.occurrence.key, int(j.occurrence.code[:4]), lang)
    deadline = j.task.deadline
    if isinstance(deadline, Triggered) and deadline.triggered_on is not None and j.due is not None:
        return triggered_since(deadline, j.due, lang)  # the day it was judged against, with its event
    if deadline is not None:
        return deadline_text(deadline, lang)
    return short_date(j.due, lang)


def _last_note(j: Judged, bodies: Bodies, lang: str) -> str:
    """Where unfinished work stands in its leads' last word (the evaluation's), with who said it
    when several lead."""
    last = j.last
    if last is None:
        return ""
    note = text("report.last-note", lang, note=last.note, date=short_date(last.date, lang))
    several = len([s for s in j.leads if s.body]) > 1  # with several leads, say whose word it is
    return text("report.said-by", lang, body=bodies.short(last.body), note=note) if last.body and several else note


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


TALLY = ("done_tasks_on_time", "done_tasks_late", "unfinished_tasks", "done_occurrences_on_time",
         "done_occurrences_late", "unfinished_occurrences", "maintained", "gaps", "not_triggered", "suspended")
# the blocks of II (`report.block.<code>`) and the words of the tally (`report.tally.<word>`)
BLOCKS = ("done_tasks_on_time", "done_occurrences_on_time", "maintained", "done_tasks_late", "done_occurrences_late",
          "gaps", "not_triggered", "suspended")
TALLY_WORDS = tuple(f"done-{unit}.{split}" for unit in ("tasks", "occurrences")
                    for split in ("on-time", "late", "split")) + ("maintained", "gaps", "not-triggered", "suspended")


def _missing_text(j: Judged, bodies: Bodies, lang: str) -> str:
    """Who has not reported for which review periods: 'BDVTU chưa báo cáo quý III, quý IV; …'
    (leads missing the same periods named together)."""
    same: dict[tuple[str, ...], list[str]] = {}
    for lead, gone in j.missing.items():
        same.setdefault(tuple(period_short(p.key, p.year, lang) for p in gone), []).append(lead)
    parts = []
    for missed, leads in same.items():
        named = bodies.shorts(lead for lead in leads if lead)
        if named:
            parts.append(text("report.lead-missing", lang, lead=named, n=len([x for x in leads if x]),
                              periods=", ".join(missed)))
        else:
            parts.append(text("report.missing", lang, periods=", ".join(missed)))
    return "; ".join(parts)


def _block(code: str, lines: list[Line], lang: str) -> Block:
    return Block(code=code, heading=text(f"report.block.{code}", lang, n=_number(len(lines), lang)), count=len(lines),
                 lines=lines)


def _assessment(ev: Evaluation, bodies: Bodies, lang: str) -> Assessment:
    """II. The period's counts, strengths, shortcomings and difficulties. Every count is the
    number of lines listed under it, in one unit: tasks, occurrences of recurring duties
    (a quarterly report, a conference) and continuous work are counted apart."""

    def done(j: Judged) -> Line:
        date = short_date(j.done_on, lang)
        words = (text("report.strength", lang, what=_done_what(j, lang), date=date) if j.verdict == Verdict.DONE_ON_TIME
                 else text("report.late", lang, what=_what(j, lang), deadline=_judged_deadline(j, lang), date=date))
        return Line(words, j.node.id, date, _iso(j.done_on), j.unit)

    def by_unit(items: list[Judged], unit: str) -> list[Line]:
        return sorted((done(j) for j in items if j.unit == unit), key=lambda x: x.iso)

    on_time, late = ev.strengths, ev.late
    maintained = [Line(text("report.maintained", lang, what=_what(j, lang), n=len(j.reviewed),
                            periods=", ".join(period_short(p.key, p.year, lang) for p in j.reviewed)), j.node.id)
                  for j in ev.maintained]
    gaps = [Line(text("report.gaps", lang, what=_what(j, lang), missing=_missing_text(j, bodies, lang)), j.node.id)
            for j in ev.gaps]
    waiting = [Line(text("report.not-triggered", lang, what=_what(j, lang),
                         deadline=deadline_text(j.task.deadline, lang) if j.task.deadline is not None else ""),
                    j.node.id) for j in ev.not_triggered]
    held = [Line(_what(j, lang), j.node.id, unit=j.unit) for j in ev.with_verdict(Verdict.SUSPENDED)]
    strengths = [_block("done_tasks_on_time", by_unit(on_time, "task"), lang),
                 _block("done_occurrences_on_time", by_unit(on_time, "occurrence"), lang),
                 _block("maintained", maintained, lang)]
    limits = [_block("done_tasks_late", by_unit(late, "task"), lang),
              _block("done_occurrences_late", by_unit(late, "occurrence"), lang),
              _block("gaps", gaps, lang)]
    others = [_block("not_triggered", waiting, lang), _block("suspended", held, lang)]
    unfinished = []
    for i, j in enumerate(sorted(ev.unfinished, key=lambda x: (x.due or ev.span.end))):
        note = _last_note(j, bodies, lang)
        leads = _leads_text(j.leads, bodies, lang)
        if j.done_after:
            after = text("report.done-after", lang, date=short_date(j.done_after, lang))
            note = text("report.note-and", lang, note=note, more=after) if note else after
        unfinished.append(ProblemRow(
            stt=str(i + 1), id=j.node.id, title=_name(j, lang), lead=_open_leads(j, bodies),
            deadline=_judged_deadline(j, lang), due=short_date(j.due, lang), percent=j.percent,
            percent_text=_lead_percents(j.percent, j.leads, bodies, lang), status=verdict_label(j.verdict, lang),
            status_code=j.verdict,
            last_note=note, unit=j.unit, percent_shown=_percent(j.percent, lang), leads_text=leads,
            result=text("report.result-by-lead", lang, leads=leads, note=note) if leads and note else leads or note))
    tally = {
        "done_tasks_on_time": strengths[0].count, "done_tasks_late": limits[0].count,
        "unfinished_tasks": sum(r.unit == "task" for r in unfinished),
        "done_occurrences_on_time": strengths[1].count, "done_occurrences_late": limits[1].count,
        "unfinished_occurrences": sum(r.unit == "occurrence" for r in unfinished),
        "maintained": strengths[2].count, "gaps": limits[2].count,
        "not_triggered": others[0].count, "suspended": others[1].count,
    }
    difficulties = [_entry(ref.entry, ref.node, bodies, lang, ref.earlier) for ref in ev.difficulties]
    return Assessment(
        summary=_tally_text(tally, ev, lang),
        completion=text("report.completion", lang, date=long_date(ev.cut, lang),
                        percent=_percent(ev.completion(), lang)),
        tally=tally, strengths=[b for b in strengths if b.count],
        unfinished_heading=_unfinished_heading(tally, ev, lang), unfinished=unfinished,
        limits=[b for b in limits if b.count], others=[b for b in others if b.count], difficulties=difficulties,
        clear=not (unfinished or any(b.count for b in limits)),
    )


def _owing_percent(percent: int, leads: list[LeadState]) -> int:
    """The percent said beside the leads that still owe the work: the one lead's own when one owes
    it among several (the task's mean would put another lead's 100 % beside its name), else the
    task's."""
    owing = [s for s in leads if s.body and s.done_on is None]
    return owing[0].percent if len(owing) == 1 and len([s for s in leads if s.body]) > 1 else percent


def _open_leads(j: Judged, bodies: Bodies) -> str:
    """The lead bodies that still owe the work (all of them when none has finished its part)."""
    owing = [s.body for s in j.leads if s.body and s.done_on is None]
    return bodies.shorts(owing or list(j.node.lead))


def _tally_text(t: dict[str, int], ev: Evaluation, lang: str) -> str:
    """The period in one sentence, from the counts of the lists that follow it."""
    parts = []
    for unit in ("tasks", "occurrences"):
        on_time, late = t[f"done_{unit}_on_time"], t[f"done_{unit}_late"]
        if on_time or late:
            split = ("on-time" if not late else "late" if not on_time else "split")
            parts.append(text(f"report.tally.done-{unit}.{split}", lang, n=on_time + late, on_time=on_time,
                              late=late))
        if unit == "tasks" and t["unfinished_tasks"]:
            parts.append(text("report.tally.unfinished-tasks", lang, n=t["unfinished_tasks"]))
    if t["unfinished_occurrences"]:
        parts.append(text("report.tally.unfinished-occurrences", lang, n=t["unfinished_occurrences"]))
    for key in ("maintained", "gaps", "not_triggered", "suspended"):
        if t[key]:
            parts.append(text(f"report.tally.{key.replace('_', '-')}", lang, n=t[key]))
    period = _period_noun(ev.span, lang)
    if not parts:
        return text("report.tally.none", lang, period=period)
    return text("report.tally", lang, period=period, parts="; ".join(parts))


def _period_noun(span: Span, lang: str) -> str:
    """A period as a sentence names it after "trong", "sau": "quý II năm 2021"; a window of dates
    "thời gian từ ngày … đến ngày …" (never "trong từ ngày …")."""
    if span.key:
        return span_label(span, lang)
    return text("span.range-within", lang, start=short_date(span.start, lang), end=short_date(span.end, lang))


def _unfinished_heading(t: dict[str, int], ev: Evaluation, lang: str) -> str:
    tasks, occ = t["unfinished_tasks"], t["unfinished_occurrences"]
    date = short_date(ev.cut, lang)
    if tasks and occ:
        return text("report.unfinished.both", lang, date=date, tasks=tasks, occurrences=occ)
    if occ:
        return text("report.unfinished.occurrences", lang, date=date, occurrences=occ)
    return text("report.unfinished.tasks", lang, date=date, tasks=tasks)


def _next(ev: Evaluation, bodies: Bodies, lang: str) -> NextPeriod:
    """III. Unfinished work carried forward, then what falls due in the next period."""
    carried, items = [], []
    unfinished = {(id(j.node), id(j.occurrence)): j for j in ev.unfinished}
    status = ev.status.by_id() if any(not u.carried and u.node is not None for u in ev.upcoming) else {}
    for u in ev.upcoming:
        lead = bodies.shorts(u.node.lead) if u.node else ""
        if u.carried:
            j = unfinished[(id(u.node), id(u.occurrence))]
            lead = _open_leads(j, bodies)  # the leads that still owe it
            deadline = _judged_deadline(j, lang)
            percent = _owing_percent(j.percent, j.leads)
            note = (text("report.carried-percent", lang, deadline=deadline, percent=_percent(percent, lang))
                    if percent else text("report.carried", lang, deadline=deadline))
            carried.append(NextItem(short_date(u.day, lang), _what(u, lang), lead, True, note))
        else:  # not due yet: the leads that still owe it, and how far it has come
            ts = status.get(u.node.id) if u.node is not None and u.occurrence is None else None
            note = ""
            if ts is not None and ts.percent:
                owing = [s for s in ts.leads if s.body and s.done_on is None]
                lead = bodies.shorts(s.body for s in owing) if owing else lead
                percent = _owing_percent(ts.percent, ts.leads)
                note = text("report.next-percent", lang, percent=_percent(percent, lang)) if percent else ""
            items.append(NextItem(short_date(u.day, lang), _what(u, lang), lead, False, note))
    n = len(ev.continuing)
    label_ = _period_noun(ev.next_span, lang)
    later = text("report.later", lang, n=len(ev.later), label=label_,
                 ids=", ".join(node.id for node in ev.later)) if ev.later else ""
    return NextPeriod(label=label_, carried=carried, items=items,
                      heading=text("doc.due_next", lang, label=label_),
                      continuing=text("doc.continuing", lang, n=n) if n else "", later=later)


def _appendix(ev: Evaluation, bodies: Bodies, lang: str, pool: dict[str, str] | None = None) -> list[TaskRow]:
    """The table of every task in scope (`pool`: each row's strings shared as it is made)."""
    rows: list[TaskRow] = []
    for ts in ev.today.walk():  # as on the day the report is dated
        if ev.scope.includes(ts.node):
            row = _row(ts, bodies, lang, stt=str(len(rows) + 1), shown=ev.shown_status(ts))
            rows.append(row if pool is None else _shared(row, pool))
    return rows


# ---------------------------------------------------------------- charts (HTML)


def charts(ev: Evaluation, lang: str, trend: list[tuple[dt.date, int]] | None = None) -> Charts:
    """Geometry for the HTML page's timeline, body bars and completion trend, in 0–100 units
    (`trend`: `ev.trend()`, when the caller has it already)."""
    from kehoach.views.statusview import body_completion

    plan = ev.plan
    start, end = plan.plan.period.start, plan.plan.period.end
    total = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(100 * min(max((day - start).days, 0), total) / total, 2)

    rows: list[TimelineRow] = []
    for ts in ev.tops():
        continuous = isinstance(ts.task.deadline, Continuous)
        if continuous or ts.due is None:
            a, b = start, end
        else:
            first = ts.node.dues[0] if ts.node.dues and ts.node.dues[0].kind == "dated" else None
            a = first.start if first is not None and first.start and first.start < first.due else start
            b = ts.due
        rows.append(TimelineRow(ts.id, ts.task.title, x(a), max(round(x(b) - x(a), 2), 0.8), ts.status,
                                label(ts.status, lang), ts.percent or 0, continuous,
                                "" if ts.percent is None else f"{ts.percent}%"))
    months = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        months.append(MonthMark(x(day), text("chart.month", lang, m=day.month)))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    bodies = [BodyBar(g.title, g.percent) for g in body_completion(ev.status, lang, ev.scope)]
    points = [TrendPoint(x(point), value, short_date(point, lang))
              for point, value in (ev.trend() if trend is None else trend)]
    return Charts(rows, months, x(ev.cut), x(ev.span.start), round(x(ev.span.end) - x(ev.span.start), 2), bodies,
                  points)


# ---------------------------------------------------------------- the checklist


def build_checklist(plan: Plan, as_of: dt.date, lang: str = "vi", body: str | None = None,
                    number: str | None = None, closed: bool = False) -> ChecklistContext:
    """The assignment table: one row per task, grouped by plan section; one body or all. It is an
    appendix of the plan (NĐ 30 III.1): no number, signature or Nơi nhận of its own, and the line
    "(Kèm theo Kế hoạch số … ngày …)" under its title. `number` is not used (kept for callers).
    `closed`: judged at the close of `as_of` (the plan's last day, once it is over: work due that
    day and not done is overdue, as the year's report says, not "due soon")."""
    status = compute_status(plan, as_of, closed=closed)
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
                                         title=title or text("doc.other", lang), rows=rows))
    head = header(plan, as_of, lang, "KH", None, text("doc.checklist", lang), "")
    head.number = ""
    head.attached = attached_to_plan(plan, lang)
    head.subtitle = (text("checklist.subtitle-body", lang, body=body_name) if body_name
                     else text("checklist.subtitle-all", lang))
    head.as_of = text("checklist.as-of", lang, date=long_date(as_of, lang))
    return ChecklistContext(
        lang=lang, w=doc_words(lang), doc=head,
        plan=plan_ref(plan),
        body=body_name, groups=groups, count=sum(len(g.rows) for g in groups),
        signers=[], recipients=[],
    )


def checklists(plan: Plan, as_of: dt.date, lang: str = "vi", body: str | None = None,
               per_body: bool = False, closed: bool = False) -> list[tuple[str, ChecklistContext]]:
    """(file stem, context) of the checklist for all bodies or one (`body`), or of one checklist
    per body with work, lead or support (`per_body`, groups expanded to their members)."""
    from kehoach.base.text import stem

    bodies = Bodies(plan)
    if per_body:
        working = dict.fromkeys(bodies.expand([i for t, _ in plan.iter_tasks() for i in (*t.lead, *t.support)]))
        return [(stem(plan.plan.id, "bang-phan-cong", i), build_checklist(plan, as_of, lang, i, closed=closed))
                for i in working]
    name = stem(plan.plan.id, "bang-phan-cong", "-".join(bodies.require(body)) if body else "")
    return [(name, build_checklist(plan, as_of, lang, body, closed=closed))]
