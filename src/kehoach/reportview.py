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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import periods
from .bodies import Bodies
from .deadlines import Continuous
from .errors import UsageError
from .evaluation import Evaluation, Judged, Upcoming, evaluate
from .messages import Localized, has, text, words
from .periods import Span
from .schedule import Node, build_schedule
from .scope import select
from .status import DONE, TaskStatus, compute_status, label
from .textutil import fold
from .vndates import (
    date_param,
    deadline_text,
    long_date,
    occurrence_text,
    period_label,
    period_short,
    place_date,
    short_date,
    span_label,
)

if TYPE_CHECKING:
    from .model import Plan, Progress

CONTEXT_VERSION = 2

def doc_words(lang: str) -> dict[str, str]:
    """The fixed words of the documents (`doc.*` in the catalogue), as templates read them: `w.results`."""
    return words("doc", lang)


def verdict_label(code: str, lang: str) -> str:
    return text(f"verdict.{code}", lang)


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass(frozen=True, eq=False)
class SpanWords(Localized):
    """A report window as a message parameter, worded in the message's language."""

    span: Span

    def localize(self, lang: str) -> str:
        return span_label(self.span, lang)


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
    body_ids: list[str]  # the ids of the bodies --body matched
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


def context_json(ctx: Any) -> dict[str, Any]:
    """A document's context (a report, a checklist, a reminder letter) as plain JSON values,
    versioned (`kehoach report --format json`)."""
    data = {k: v for k, v in dataclasses.asdict(ctx).items() if k != "w"}
    kind = {"ReportContext": "report", "ChecklistContext": "checklist", "RemindContext": "remind",
            "RollupContext": "rollup"}[type(ctx).__name__]
    return {"version": CONTEXT_VERSION, "document": kind, **data}


# ---------------------------------------------------------------- the reporting window


def resolve_span(plan: Plan, period: str | None, start: dt.date | None, end: dt.date | None,
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
            "label": SpanWords(span),
            "start": date_param(info.start), "end": date_param(info.end)})
    return span


# ---------------------------------------------------------------- shared pieces


def _number(value: int | float, lang: str) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=text("locale.numbers", lang)))


def _percent(value: int, lang: str) -> str:
    return f"{_number(value, lang)}%"


def _doc_code(plan: Plan, senders: list[str] | None = None) -> str:
    """The issuers' code of the plan's number: '04-KH/BDVTU-BCSĐUBND' → 'BDVTU-BCSĐUBND'; for a
    document some of the issuers send alone, their part of it ('BDVTU')."""
    number = plan.plan.number or ""
    code = number.split("/", 1)[1] if "/" in number else ""
    parts = code.split("-")
    if senders is not None and len(parts) == len(plan.plan.issuers):
        return "-".join(p for p, i in zip(parts, plan.plan.issuers, strict=True) if i in senders)
    return code


def document_number(plan: Plan, doc_type: str, number: str | None, lang: str,
                    senders: list[str] | None = None) -> str:
    """'Số 15-BC/BDVTU-BCSĐUBND' from `--number 15`; a blank to fill by hand without it.

    A number given whole ('15-BC/BDVTU', 'Số 15-BC/…') is kept as written."""
    word = text("doc.number", lang)
    code = _doc_code(plan, senders)
    if number:
        number = number.strip()
        if number.lower().startswith(("số", "no")):
            return number
        if re.fullmatch(r"\d+", number):
            return f"{word} {number}-{doc_type}/{code}" if code else f"{word} {number}"
        return f"{word} {number}"
    blank = "\u00a0" * 8  # left blank, to fill in by hand
    return f"{word}{blank}-{doc_type}/{code}" if code else f"{word}{blank}"


def header(plan: Plan, day: dt.date, lang: str, doc_type: str, number: str | None, type_word: str,
           summary: str, senders: list[str] | None = None) -> Head:
    """The head of a document the plan's issuers send (or some of them: `senders`)."""
    bodies = Bodies(plan)
    ids = senders if senders is not None else list(plan.plan.issuers)
    issuers = [bodies.name(i) for i in ids]
    written = list(plan.plan.header) if ids == list(plan.plan.issuers) else []  # the plan's own letterhead
    names = written or [n.upper() + (" -" if i < len(issuers) - 1 else "") for i, n in enumerate(issuers)]
    return Head(issuers=names, issuer_names=issuers, party=text("doc.party", lang),
                number=document_number(plan, doc_type, number, lang, senders),
                place_date=place_date(plan.plan.place, day, lang), type=type_word, summary=summary)


def recipients(plan: Plan) -> list[dict[str, str]]:
    out = []
    for r in plan.recipients:
        name, purpose = (r, None) if isinstance(r, str) else (r.name, r.purpose)
        line = f"- {name}" + (f" ({purpose})" if purpose else "") + ";"
        out.append({"name": name, "purpose": purpose or "", "text": line})
    if out:
        out[-1]["text"] = out[-1]["text"].rstrip(";") + "."
    return out


def signers(plan: Plan) -> list[dict[str, str]]:
    return [{"authority": s.authority or "", "title": s.title, "name": s.name} for s in plan.signers]


def _plan_citation(plan: Plan, lang: str) -> str:
    info = plan.plan
    bodies = Bodies(plan)
    names = text("join.and", lang).join(bodies.name(i) for i in info.issuers)
    issued = text("citation.issued", lang, date=short_date(info.issued, lang)) if info.issued else ""
    return text("citation", lang, number=info.number or text("citation.no-number", lang), issued=issued,
                issuers=names, title=info.title)


def _entry(e: Progress, node: Node, lang: str) -> EntryLine:
    return EntryLine(date=short_date(e.date, lang), iso=e.date.isoformat(), note=e.note, by=e.by or "",
                     evidence=e.evidence or "", kind=str(e.kind), percent=e.percent, task_id=node.id,
                     task_title=node.task.title, occurrence=e.occurrence or "")


def _deadline_words(ts: TaskStatus, lang: str) -> str:
    """The deadline in words; for a parent without its own, the latest due date of its subtasks."""
    if ts.task.deadline is not None:
        return deadline_text(ts.task.deadline, lang)
    if ts.children and ts.due:
        return text("deadline.parent-latest", lang, date=short_date(ts.due, lang))
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
    period unless the name says it already ("Báo cáo quý — quý II năm 2021")."""
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
    ev = evaluate(plan, span, as_of, soon_days, scope)
    bodies = Bodies(plan)
    topic_obj = scope.topic
    body_name = ", ".join(scope.body_names)
    head = _report_head(plan, ev, lang, number, body_name)
    return ReportContext(
        lang=lang,
        w=doc_words(lang),
        doc=head,
        plan={"id": plan.plan.id, "title": plan.plan.title, "number": plan.plan.number or "",
              "citation": _plan_citation(plan, lang)},
        period={"code": span.code, "label": span_label(span, lang), "start": short_date(span.start, lang),
                "end": short_date(span.end, lang), "as_of": short_date(ev.as_of, lang),
                "as_of_long": long_date(ev.as_of, lang)},
        topic={"id": topic_obj.id, "name": topic_obj.name} if topic_obj else None,
        body=body_name,
        body_ids=list(scope.body_ids),
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


def _report_head(plan: Plan, ev: Evaluation, lang: str, number: str | None, body_name: str) -> Head:
    span = ev.span
    topic = ev.scope.topic
    period = span_label(span, lang)
    plan_name = plan.plan.title
    if span.key:  # "… năm 2021" + "quý II năm 2021": say the year once
        plan_name = re.sub(rf"\s+năm {span.year}(?=\s*(\(|$))", "", plan_name)
    issuers = text("join.and", lang).join(Bodies(plan).name(i) for i in plan.plan.issuers)
    if topic:
        summary = text("report.summary-topic", lang, topic=topic.name, period=period)
    else:
        summary = text("report.summary", lang, plan=plan_name, period=period)
    if body_name:
        summary = text("report.summary-body", lang, summary=summary, body=body_name)
    window = text("report.window", lang, start=short_date(span.start, lang),
                  end=short_date(span.end, lang)) if span.key else ""
    citation = _plan_citation(plan, lang)
    if topic:
        opening = text("report.opening-topic", lang, citation=citation, issuers=issuers, topic=topic.name,
                       period=period, window=window)
    else:
        opening = text("report.opening", lang, citation=citation, issuers=issuers, period=period, window=window)
    head = header(plan, ev.cut, lang, "BC", number, text("doc.report", lang), summary)
    head.kind = text("doc.kind_thematic", lang) if topic else ""
    head.opening = opening
    return head


def _badge(ev: Evaluation, ts: TaskStatus, lang: str) -> tuple[str, str]:
    """What the period says of a top-level item, or nothing when that says nothing.

    A leaf: its verdict (with the completion date, or the percent of unfinished
    work); continuous work that reported says nothing more than its entries.
    A parent: how many of its subtasks in scope due by the period's end are done."""
    mine = [j for j in ev.judged_of(ts.node) if j.occurrence is None]
    if ts.leaf and mine:
        j = mine[0]
        verdict = verdict_label(j.verdict, lang)
        if j.verdict in ("done_on_time", "done_late") and j.done_on:
            return text("badge.with-date", lang, verdict=verdict, date=short_date(j.done_on, lang)), j.verdict
        if j.verdict in ("unfinished_overdue", "unfinished", "in_progress"):
            return text("badge.with-percent", lang, verdict=verdict, percent=_percent(j.percent, lang)), j.verdict
        if j.verdict in ("unreported", "suspended", "not_started", "done_before"):
            return verdict, j.verdict
        return "", j.verdict
    if not ts.leaf:
        due = [c for c in ts.walk() if c.leaf and ev.scope.includes(c.node) and c.status != "suspended"
               and c.kind in ("dated", "undated", "triggered") and c.due is not None and c.due <= ev.span.end]
        if due:
            done = sum(1 for c in due if c.status in DONE)
            return (text("badge.parent", lang, done=done, n=len(due)),
                    "done_on_time" if done == len(due) else "unfinished_overdue")
    return "", ""


def _results(ev: Evaluation, bodies: Bodies, lang: str) -> list[ResultGroup]:
    """I. One item per top-level task in scope, grouped by plan section."""
    out = []
    for gi, (key, title, tops) in enumerate(_section_groups(ev.plan, ev.tops())):
        items = []
        for ti, ts in enumerate(tops):
            entries = [_entry(e, n, lang) for e, n in _node_results(ev, ts.node)]
            occurrences = [
                OccurrenceLine(label=_what(j, lang), status=verdict_label(j.verdict, lang), status_code=j.verdict,
                               due=short_date(j.due, lang), done_on=short_date(j.done_on, lang))
                for j in ev.occurrences_of(ts.node)
            ]
            badge, code = _badge(ev, ts, lang)
            items.append(ResultItem(
                stt=f"{gi + 1}.{ti + 1}", id=ts.id, title=ts.task.title, badge=badge, badge_code=code,
                entries=entries, occurrences=occurrences,
                subtasks=[_row(c, bodies, lang) for c in ts.children if ev.scope.includes(c.node)],
            ))
        out.append(ResultGroup(number=str(gi + 1), key=key, title=_heading(title, lang), items=items))
    return out


def _heading(title: str, lang: str) -> str:
    """How a report heads the results of a plan section: the usual sections of a coordination
    plan have their own words (`heading.*`), any other keeps its title."""
    if not title:
        return text("doc.other", lang)
    key = "heading." + fold(title).replace(" ", "-")
    return text(key, lang) if has(key, lang) else title


def _node_results(ev: Evaluation, node: Node) -> list[tuple[Progress, Node]]:
    return [(r.entry, r.node) for r in ev.results_below(node)]


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
    return text("report.last-note", lang, note=j.last.note, date=short_date(j.last.date, lang))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _assessment(ev: Evaluation, bodies: Bodies, lang: str) -> Assessment:
    """II. The roll-up, strengths, and shortcomings: unfinished, late, unreported, difficulties."""
    r = ev.rollup()
    counts = {k: _number(v, lang) for k, v in r.items()}
    suspended = text("rollup.suspended-text", lang, n=counts["suspended"]) if r["suspended"] else ""
    rollup_text = text("rollup-sentence", lang, **counts, as_of=long_date(ev.cut, lang),
                       done=_number(r["done_on_time"] + r["done_late"], lang),
                       not_done=_number(r["not_done_within"] + r["not_done_overdue"], lang),
                       suspended_text=suspended)
    strengths = [Line(text("report.strength", lang, what=_what(j, lang), date=short_date(j.done_on, lang)),
                      j.node.id, short_date(j.done_on, lang), _iso(j.done_on)) for j in ev.strengths]
    strengths.sort(key=lambda x: x.iso)
    reporting = ev.reporting
    continuing = text("report.continuing", lang, n=len(reporting),
                      ids=", ".join(j.node.id for j in reporting)) if reporting else ""
    unfinished = []
    for i, j in enumerate(sorted(ev.unfinished, key=lambda x: (x.due or ev.span.end))):
        note = _last_note(j, lang)
        if j.done_after:
            done = text("report.done-after", lang, date=short_date(j.done_after, lang))
            note = text("report.note-and", lang, note=note, more=done) if note else done
        unfinished.append(ProblemRow(
            stt=str(i + 1), id=j.node.id, title=_name(j, lang),
            lead=", ".join(bodies.short(b) for b in j.node.lead), deadline=_judged_deadline(j, lang),
            due=short_date(j.due, lang), percent=j.percent, percent_text=_percent(j.percent, lang),
            status=verdict_label(j.verdict, lang), status_code=j.verdict, last_note=note))
    late = [Line(text("report.late", lang, what=_what(j, lang), deadline=_judged_deadline(j, lang),
                      date=short_date(j.done_on, lang)), j.node.id, short_date(j.done_on, lang), _iso(j.done_on))
            for j in ev.late]
    unreported = [Line(text("report.unreported", lang, what=_what(j, lang),
                            lead=", ".join(bodies.short(b) for b in j.node.lead)), j.node.id)
                  for j in ev.unreported]
    gaps = [Line(text("report.gaps", lang, what=_what(j, lang),
                      missed=", ".join(period_short(p.key, p.year, lang) for p in j.gaps)), j.node.id)
            for j in ev.gaps]
    difficulties = [_entry(ref.entry, ref.node, lang) for ref in ev.difficulties]
    return Assessment(
        rollup_text=rollup_text, counts=counts, completion=_percent(ev.completion(), lang),
        strengths=strengths, continuing=continuing, unfinished=unfinished, late=late, unreported=unreported,
        gaps=gaps, difficulties=difficulties, clear=not (unfinished or late or unreported or gaps),
    )


def _next(ev: Evaluation, bodies: Bodies, lang: str) -> NextPeriod:
    """III. Unfinished work carried forward, then what falls due in the next period."""
    carried, items = [], []
    unfinished = {(id(j.node), id(j.occurrence)): j for j in ev.unfinished}
    for u in ev.upcoming:
        lead = ", ".join(bodies.short(b) for b in u.node.lead) if u.node else ""
        if u.carried:
            j = unfinished[(id(u.node), id(u.occurrence))]
            deadline = _judged_deadline(j, lang)
            note = (text("report.carried-percent", lang, deadline=deadline, percent=_percent(j.percent, lang))
                    if j.percent else text("report.carried", lang, deadline=deadline))
            carried.append(NextItem(short_date(u.day, lang), _what(u, lang), lead, True, note))
        else:
            items.append(NextItem(short_date(u.day, lang), _what(u, lang), lead, False, ""))
    n = len(ev.continuing)
    label_ = span_label(ev.next_span, lang)
    return NextPeriod(label=label_, carried=carried, items=items,
                      heading=text("doc.due_next", lang, label=label_),
                      continuing=text("doc.continuing", lang, n=n) if n else "")


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
        months.append({"x": x(day), "label": text("chart.month", lang, m=day.month)})
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


def build_checklist(plan: Plan, as_of: dt.date, lang: str = "vi", body: str | None = None,
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
                                         title=title or text("doc.other", lang), rows=rows))
    summary = text("checklist.summary", lang, citation=_plan_citation(plan, lang))
    head = header(plan, as_of, lang, "KH", number, text("doc.checklist", lang), summary)
    head.subtitle = (text("checklist.subtitle-body", lang, body=body_name) if body_name
                     else text("checklist.subtitle-all", lang))
    head.as_of = text("checklist.as-of", lang, date=long_date(as_of, lang))
    return ChecklistContext(
        lang=lang, w=doc_words(lang), doc=head,
        plan={"id": plan.plan.id, "title": plan.plan.title, "number": plan.plan.number or ""},
        body=body_name, groups=groups, count=sum(len(g.rows) for g in groups),
        signers=signers(plan), recipients=recipients(plan),
    )


def checklists(plan: Plan, as_of: dt.date, lang: str = "vi", body: str | None = None,
               per_body: bool = False) -> list[tuple[str, ChecklistContext]]:
    """(file stem, context) of the checklist for all bodies or one (`body`), or of one checklist
    per lead body (`per_body`, groups expanded to their members)."""
    from .documents import stem

    bodies = Bodies(plan)
    if per_body:
        leads = dict.fromkeys(bodies.expand([i for t, _ in plan.iter_tasks() for i in t.lead]))
        return [(stem(plan, "bang-phan-cong", i), build_checklist(plan, as_of, lang, i)) for i in leads]
    name = stem(plan, "bang-phan-cong", "-".join(bodies.require(body)) if body else "")
    return [(name, build_checklist(plan, as_of, lang, body))]
