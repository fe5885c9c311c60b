"""The view models of the documents the bodies send: the periodic or thematic
report, and the assignment checklist.

Everything a template shows is computed here and handed over as plain values
(text already written as a Vietnamese document writes it): templates hold
layout only. The variables are listed in docs/templates.md; a test keeps the
two in step.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import periods
from .dues import due_items
from .errors import UsageError
from .messages import did_you_mean, render
from .status import DONE, PlanStatus, compute_status, label
from .statusview import Bodies
from .textutil import fold, lower_first, suggest
from .vndates import date_param, deadline_text, long_date, period_label, place_date, short_date

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
        "no_problems": "Không có nhiệm vụ quá hạn; các nhiệm vụ thường xuyên đều đã có báo cáo trong kỳ.",
        "problems": "Nhiệm vụ quá hạn hoặc chưa báo cáo trong kỳ:",
        "difficulties": "Khó khăn, vướng mắc được báo cáo trong kỳ:",
        "no_proposals": "Không có kiến nghị, đề xuất trong kỳ.",
        "no_next": "Không có nhiệm vụ đến hạn trong kỳ tới.",
        "continuing": "Tiếp tục thực hiện {n} nhiệm vụ thường xuyên.",
        "other": "Nhiệm vụ khác",
        "occurrences": "Thực hiện chế độ báo cáo, hội nghị trong kỳ",
        "col_stt": "STT", "col_id": "Mã", "col_task": "Nội dung nhiệm vụ", "col_lead": "Cơ quan chủ trì",
        "col_support": "Cơ quan phối hợp", "col_deadline": "Thời hạn", "col_deliverables": "Sản phẩm",
        "col_status": "Tình trạng", "col_percent": "Tiến độ (%)", "col_updated": "Cập nhật", "col_note": "Ghi chú",
        "col_date": "Thời gian", "col_what": "Nội dung",
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
        "no_problems": "No task is overdue; every continuous task was reported on in the period.",
        "problems": "Tasks overdue or not reported on in the period:",
        "difficulties": "Difficulties reported in the period:",
        "no_proposals": "No recommendations in the period.",
        "no_next": "Nothing falls due in the next period.",
        "continuing": "Carry on {n} continuous tasks.",
        "other": "Other tasks",
        "occurrences": "Reports and conferences in the period",
        "col_stt": "No.", "col_id": "Id", "col_task": "Task", "col_lead": "Lead", "col_support": "Support",
        "col_deadline": "Deadline", "col_deliverables": "Deliverables", "col_status": "Status",
        "col_percent": "Progress (%)", "col_updated": "Updated", "col_note": "Note",
        "col_date": "When", "col_what": "What",
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
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


class ReportError(UsageError):
    """A report cannot be made as asked (unknown topic, unreadable period)."""


@dataclass(frozen=True)
class Span:
    """The reporting window: a named period (Q2, H1, …) or a custom range."""

    start: dt.date
    end: dt.date
    key: str | None  # Q2, H1, 9M, Y, M05; None for --from/--to
    year: int

    def label(self, lang: str) -> str:
        if self.key:
            return period_label(self.key, self.year, lang)
        if lang == "en":
            return f"from {short_date(self.start, lang)} to {short_date(self.end, lang)}"
        return f"từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"

    @property
    def code(self) -> str:
        return f"{self.year}-{self.key}" if self.key else f"{self.start.isoformat()}..{self.end.isoformat()}"

    def next(self, convention: str) -> "Span":
        """The period after this one: Q2 → Q3, H1 → H2, 9M → Q4, Y → next year."""
        follow = {"Q1": "Q2", "Q2": "Q3", "Q3": "Q4", "H1": "H2", "9M": "Q4"}
        if self.key in follow:
            p = periods.report_period(follow[self.key], self.year, convention)
            return Span(p.start, p.end, p.key, p.year)
        if self.key in ("Q4", "H2", "Y"):
            key = {"Q4": "Q1", "H2": "H1", "Y": "Y"}[self.key]
            p = periods.report_period(key, self.year + 1, convention)
            return Span(p.start, p.end, p.key, p.year)
        if self.key and self.key.startswith("M"):
            month = int(self.key[1:]) % 12 + 1
            year = self.year + (1 if month == 1 else 0)
            p = periods.report_period(f"M{month:02d}", year, convention)
            return Span(p.start, p.end, p.key, p.year)
        length = self.end - self.start
        start = self.end + dt.timedelta(days=1)
        return Span(start, start + length, None, start.year)


def resolve_span(plan, period: str | None, start: dt.date | None, end: dt.date | None) -> Span:
    """The report window; it must overlap the plan period."""
    convention = plan.convention
    if period and (start or end):
        raise ReportError("period-and-range")
    if period:
        try:
            p = periods.parse_period(period, plan.plan.period.start.year, convention)
        except periods.PeriodError as exc:
            raise ReportError("bad-period", {"value": period}) from exc
        span = Span(p.start, p.end, p.key, p.year)
    elif start and end:
        if end < start:
            raise ReportError("range-reversed", {"start": date_param(start), "to": date_param(end)})
        span = Span(start, end, None, start.year)
    else:
        raise ReportError("need-period")
    info = plan.plan.period
    if span.end < info.start or span.start > info.end:
        raise ReportError("period-outside-plan", {
            "label": {"vi": span.label("vi"), "en": span.label("en")},
            "start": date_param(info.start), "end": date_param(info.end)})
    return span


# ---------------------------------------------------------------- shared pieces


def _number(value: int | float, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale="vi" if lang == "vi" else "en")


def _percent(value: int, lang: str) -> str:
    return f"{_number(value, lang)}%"


def _doc_code(plan) -> str:
    """The issuers' code of the plan's number: '04-KH/BDVTU-BCSĐUBND' → 'BDVTU-BCSĐUBND'."""
    number = plan.plan.number or ""
    return number.split("/", 1)[1] if "/" in number else ""


def header(plan, day: dt.date, lang: str, doc_type: str, number: str | None) -> dict:
    bodies = Bodies(plan)
    issuers = [bodies.name(i) for i in plan.plan.issuers]
    names = list(plan.plan.header) or [
        n.upper() + (" -" if i < len(issuers) - 1 else "") for i, n in enumerate(issuers)
    ]
    code = _doc_code(plan)
    if number:
        num = number if number.lower().startswith(("số", "no")) else f"{WORDS[lang]['number']} {number}"
    else:
        blank = "\u00a0" * 8  # left blank, to fill in by hand
        num = f"{WORDS[lang]['number']}{blank}-{doc_type}/{code}" if code else f"{WORDS[lang]['number']}{blank}"
    return {
        "issuers": names,
        "issuer_names": issuers,
        "party": WORDS[lang]["party"],
        "number": num,
        "place_date": place_date(plan.plan.place, day, lang),
    }


def recipients(plan) -> list[dict]:
    out = []
    for r in plan.recipients:
        name, purpose = (r, None) if isinstance(r, str) else (r.name, r.purpose)
        out.append({"name": name, "purpose": purpose or "", "text": f"- {name}" + (f" ({purpose})" if purpose else "") + ";"})
    if out:
        out[-1]["text"] = out[-1]["text"].rstrip(";") + "."
    return out


def signers(plan) -> list[dict]:
    return [{"authority": s.authority or "", "title": s.title, "name": s.name} for s in plan.signers]


def _plan_citation(plan, lang: str) -> str:
    info = plan.plan
    bodies = Bodies(plan)
    who = " và ".join(bodies.name(i) for i in info.issuers) if lang == "vi" else " and ".join(
        bodies.name(i) for i in info.issuers)
    title = lower_first(info.title)
    if lang == "en":
        return f"Plan No. {info.number or '—'} of {short_date(info.issued, lang) if info.issued else '—'} of {who} on {info.title}"
    issued = f" ngày {short_date(info.issued)}" if info.issued else ""
    return f"Kế hoạch số {info.number or '…'}{issued} của {who} về {title}"


def _entry(e, task, lang: str) -> dict:
    return {
        "date": short_date(e.date, lang),
        "iso": e.date.isoformat(),
        "note": e.note,
        "by": e.by or "",
        "evidence": e.evidence or "",
        "kind": str(e.kind),
        "percent": e.percent,
        "task_id": task.id,
        "task_title": task.title,
        "occurrence": e.occurrence or "",
    }


def _row(ts, bodies: Bodies, lang: str, stt: str = "") -> dict:
    t = ts.task
    return {
        "stt": stt,
        "id": t.id,
        "title": t.title,
        "depth": ts.depth,
        "lead": ", ".join(bodies.short(i) for i in t.lead),
        "support": ", ".join(bodies.short(i) for i in t.support),
        "deadline": deadline_text(t.deadline, lang) if t.deadline is not None else "",
        "due": short_date(ts.due, lang) if ts.due else "",
        "status": label(ts.status, lang),
        "status_code": ts.status,
        "percent": ts.percent,
        "percent_text": _percent(ts.percent, lang),
        "updated": short_date(ts.last_date, lang) if ts.last_date else "",
        "deliverables": "; ".join(t.deliverables),
        "done": ts.status in DONE,
        "box": "☑" if ts.status in DONE else "☐",
    }


def _groups(plan, status: PlanStatus, keep) -> list[tuple[str, str, list]]:
    """Top-level tasks grouped by the top section of the plan they sit in, in plan order."""
    titles = {s.id: s.title for s in plan.sections}
    order: list[str] = []
    groups: dict[str, list] = {}
    for ts in status.tasks:
        if not keep(ts):
            continue
        section = ts.task.section or ""
        top = section.split(".")[0] if section else ""
        if top not in groups:
            order.append(top)
            groups[top] = []
        groups[top].append(ts)
    return [(key, titles.get(key, ""), groups[key]) for key in order]


def _walk(ts):
    yield ts
    for c in ts.children:
        yield from _walk(c)


def _topic_filter(plan, topic: str | None):
    if topic is None:
        return None, (lambda ts: True), (lambda ts: True)
    topics = {t.id: t for t in plan.reporting.topics}
    if topic not in topics:
        match = [t.id for t in plan.reporting.topics if t.name.lower() == topic.lower()]
        if not match:
            near = suggest(topic, list(topics) + [t.name for t in plan.reporting.topics])
            raise ReportError("unknown-topic", {"value": topic, "suggest": did_you_mean(near),
                                                "allowed": ", ".join(topics)})
        topic = match[0]

    def tagged(ts) -> bool:
        return topic in ts.task.topics

    def under(ts, inherited=False) -> bool:
        return inherited or tagged(ts) or any(under(c) for c in ts.children)

    def node_keep(ts) -> bool:
        return tagged(ts)

    return topics[topic], under, node_keep


# ---------------------------------------------------------------- the report


def build_report(
    plan,
    span: Span,
    as_of: dt.date | None = None,
    lang: str = "vi",
    topic: str | None = None,
    number: str | None = None,
    soon_days: int = 14,
) -> dict:
    """The whole context of a report for `span`, as plain values."""
    as_of = as_of or span.end
    status = compute_status(plan, as_of, soon_days)
    bodies = Bodies(plan)
    words = WORDS[lang]
    topic_obj, keep_top, keep_node = _topic_filter(plan, topic)

    def in_span_day(day: dt.date) -> bool:
        return span.start <= day <= span.end

    def in_span(e) -> bool:
        return in_span_day(e.date)

    # I. results, one item per top-level task, grouped by plan section
    results = []
    for gi, (key, title, tops) in enumerate(_groups(plan, status, keep_top)):
        items = []
        for ti, ts in enumerate(tops):
            entries = []
            occurrences = []
            for node in _walk(ts):
                inherited = topic_obj is None or any(keep_node(a) for a in _ancestry(ts, node))
                if not inherited:
                    continue
                entries += [_entry(e, node.task, lang) for e in node.entries if in_span(e)]
                occurrences += [
                    {"label": _occurrence_label(node, o, lang), "status": label(o.status, lang),
                     "status_code": o.status, "due": short_date(o.due, lang),
                     "done_on": short_date(o.done_on, lang) if o.done_on else ""}
                    for o in node.occurrences if span.start <= o.due <= span.end
                ]
            entries.sort(key=lambda e: e["iso"])
            row = _row(ts, bodies, lang, stt=f"{gi + 1}.{ti + 1}")
            row.update(entries=entries, occurrences=occurrences,
                       subtasks=[_row(c, bodies, lang) for c in ts.children])
            items.append(row)
        heading = _HEADINGS[lang].get(fold(title), title) if title else words["other"]
        results.append({"number": str(gi + 1), "key": key, "title": heading, "items": items})

    # II. assessment
    kept_tops = [top for top in status.tasks if keep_top(top)]
    leaves_kept = [node for top in kept_tops for node in _walk(top) if node.leaf
                   and (topic_obj is None or any(keep_node(a) for a in _ancestry(top, node)))]
    r = status.rollup(leaves_kept)
    counts = {k: _number(v, lang) for k, v in r.items()}
    problems = [
        _row(ts, bodies, lang, stt=str(i + 1))
        for i, ts in enumerate(t for t in leaves_kept if t.status in ("overdue", "ongoing_stale"))
    ]
    all_entries = [
        _entry(e, ts.task, lang) for top in status.tasks if keep_top(top) for ts in _walk(top)
        for e in ts.entries if in_span(e)
    ]
    all_entries.sort(key=lambda e: e["iso"])
    difficulties = [e for e in all_entries if e["kind"] == "difficulty"]
    proposals = [e for e in all_entries if e["kind"] == "proposal"]
    strengths = []  # what was completed in the period
    for top in status.tasks:
        if not keep_top(top):
            continue
        for ts in _walk(top):
            if ts.leaf and ts.done_on and in_span_day(ts.done_on):
                what = label(ts.status, lang).lower()
                if lang == "vi":
                    note = f"Hoàn thành {lower_first(ts.task.title)} ({what}, ngày {short_date(ts.done_on)})."
                else:
                    note = f"Completed: {ts.task.title} ({what}, {short_date(ts.done_on, lang)})."
                strengths.append({"note": note, "task_id": ts.task.id, "date": short_date(ts.done_on, lang),
                                  "iso": ts.done_on.isoformat()})
    strengths.sort(key=lambda e: e["iso"])
    rollup_text = render("rollup-sentence", "message", {
        **counts, "as_of": long_date(as_of, lang),
        "done": _number(r["done_on_time"] + r["done_late"], lang),
        "not_done": _number(r["not_done_within"] + r["not_done_overdue"], lang),
        "suspended_text": ({"vi": f"; tạm dừng {counts['suspended']}", "en": f"; suspended {counts['suspended']}"}
                           if r["suspended"] else ""),
    }, lang)

    # III. next period
    nxt = span.next(plan.convention)
    upcoming = []
    continuing = 0
    for top in status.tasks:
        if not keep_top(top):
            continue
        for ts in _walk(top):
            if not ts.leaf:
                continue
            if ts.kind == "continuous" and ts.status not in DONE:
                continuing += 1
            if ts.kind == "recurring":
                for o in ts.occurrences:
                    if nxt.start <= o.due <= nxt.end and o.status not in DONE:
                        upcoming.append((o.due, _occurrence_label(ts, o, lang), ts))
            elif ts.due and nxt.start <= ts.due <= nxt.end and ts.status not in DONE:
                upcoming.append((ts.due, f"{ts.task.id}. {ts.task.title}", ts))
            elif ts.due and ts.status == "overdue":
                upcoming.append((ts.due, f"{ts.task.id}. {ts.task.title}", ts))
    for item in due_items(plan):
        if item.kind == "meeting" and nxt.start <= item.due <= nxt.end:
            name = item.meeting.name
            if item.period is not None:
                name += f" — {period_label(item.period.key, item.period.year, lang)}"
            upcoming.append((item.due, name, None))
    upcoming.sort(key=lambda x: x[0])
    next_items = [
        {"date": short_date(d, lang), "what": what,
         "lead": ", ".join(bodies.short(i) for i in ts.task.lead) if ts else "",
         "overdue": bool(ts and ts.status == "overdue")}
        for d, what, ts in upcoming
    ]

    kind_word = {"vi": "Báo cáo chuyên đề", "en": "Thematic report"}[lang] if topic_obj else None
    plan_name = plan.plan.title
    if span.key:  # "… năm 2021" + "quý II năm 2021": say the year once
        plan_name = re.sub(rf"\s+năm {span.year}(?=\s*(\(|$))", "", plan_name)
    if lang == "vi":
        summary = f"Kết quả thực hiện Kế hoạch {lower_first(plan_name)} {span.label(lang)}"
        if topic_obj:
            summary = f"Kết quả thực hiện chuyên đề {lower_first(topic_obj.name)} {span.label(lang)}"
        who = " và ".join(bodies.name(i) for i in plan.plan.issuers)
        opening = (
            f"Thực hiện {_plan_citation(plan, lang)}, {who} báo cáo kết quả thực hiện "
            f"{'chuyên đề ' + lower_first(topic_obj.name) + ' ' if topic_obj else ''}"
            f"{span.label(lang)} (từ ngày {short_date(span.start)} đến ngày {short_date(span.end)}) như sau:"
        )
    else:
        summary = f"Results of the plan \u201c{plan_name}\u201d, {span.label(lang)}"
        if topic_obj:
            summary = f"Results on the topic \u201c{topic_obj.name}\u201d, {span.label(lang)}"
        opening = (
            f"Pursuant to {_plan_citation(plan, lang)}, this report gives the results for {span.label(lang)} "
            f"({short_date(span.start, lang)} to {short_date(span.end, lang)}):"
        )

    appendix = []
    for top in status.tasks:
        if not keep_top(top):
            continue
        for ts in _walk(top):
            appendix.append(_row(ts, bodies, lang, stt=str(len(appendix) + 1)))

    return {
        "lang": lang,
        "w": words,
        "doc": {
            **header(plan, span.end if as_of > span.end else as_of, lang, "BC", number),
            "type": words["report"],
            "kind": kind_word or "",
            "summary": summary,
            "opening": opening,
        },
        "plan": {"id": plan.plan.id, "title": plan.plan.title, "number": plan.plan.number or "",
                 "citation": _plan_citation(plan, lang)},
        "period": {"code": span.code, "label": span.label(lang), "start": short_date(span.start, lang),
                   "end": short_date(span.end, lang), "as_of": short_date(as_of, lang),
                   "as_of_long": long_date(as_of, lang)},
        "topic": {"id": topic_obj.id, "name": topic_obj.name} if topic_obj else None,
        "sections": {"results": ROMAN[0], "evaluation": ROMAN[1], "next": ROMAN[2], "proposals": ROMAN[3]},
        "results": results,
        "evaluation": {
            "rollup_text": rollup_text,
            "counts": counts,
            "completion": _percent(status.completion(kept_tops), lang),
            "strengths": strengths,
            "problems": problems,
            "difficulties": difficulties,
        },
        "next": {"label": nxt.label(lang), "items": next_items,
                 "continuing": words["continuing"].format(n=continuing) if continuing else ""},
        "proposals": proposals,
        "recipients": recipients(plan),
        "signers": signers(plan),
        "appendix": appendix,
        "charts": charts(plan, status, span, lang, keep_top),
    }


def _ancestry(top, node):
    """The chain from `top` down to `node` (both included)."""
    if top is node:
        return [top]
    for c in top.children:
        chain = _ancestry(c, node)
        if chain:
            return [top] + chain
    return []


def _occurrence_label(ts, o, lang: str) -> str:
    year = int(o.code.split("-")[0])
    return f"{ts.task.title} — {period_label(o.key, year, lang)}"


# ---------------------------------------------------------------- charts (HTML)


def charts(plan, status: PlanStatus, span: Span, lang: str, keep_top) -> dict:
    """Geometry for the HTML page's timeline, body bars and completion trend, in 0–100 units."""
    start, end = plan.plan.period.start, plan.plan.period.end
    total = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(100 * min(max((day - start).days, 0), total) / total, 2)

    rows = []
    for ts in status.tasks:
        if not keep_top(ts):
            continue
        t = ts.task
        if ts.kind == "continuous" or ts.due is None:
            a, b = start, end
        else:
            window_start = start
            if isinstance(t.deadline, (str, int)):
                w = periods.parse_deadline(str(t.deadline))
                window_start = w.start if w.kind in ("range",) else start
            a, b = window_start, ts.due
        rows.append({"id": t.id, "title": t.title, "x": x(a), "w": max(round(x(b) - x(a), 2), 0.8),
                     "status_code": ts.status, "status": label(ts.status, lang), "percent": ts.percent,
                     "continuous": ts.kind == "continuous"})
    months = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        months.append({"x": x(day), "label": f"{day.month}/{day.year % 100:02d}" if lang == "en" else f"T{day.month}"})
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    from .statusview import body_completion

    bodies = [{"name": g.title, "percent": g.percent} for g in body_completion(status, lang)]
    trend = []
    day = dt.date(start.year, start.month, 1)
    while day <= min(status.as_of, end):
        month_end = periods.month_end(day.year, day.month)
        point = min(month_end, status.as_of)
        value = compute_status(plan, point, status.soon_days).completion()
        trend.append({"x": x(point), "value": value, "label": short_date(point, lang)})
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return {
        "timeline": rows,
        "months": months,
        "today_x": x(status.as_of),
        "span_x": x(span.start),
        "span_w": round(x(span.end) - x(span.start), 2),
        "bodies": bodies,
        "trend": trend,
    }


# ---------------------------------------------------------------- the checklist


def build_checklist(plan, as_of: dt.date, lang: str = "vi", body: str | None = None, number: str | None = None) -> dict:
    """The assignment table: one row per task, grouped by plan section; one body or all."""
    status = compute_status(plan, as_of)
    bodies = Bodies(plan)
    wanted = None
    body_name = ""
    if body:
        match = bodies.require(body)
        wanted = set(match)
        body_name = ", ".join(bodies.name(i) for i in match)

    def keep(ts) -> bool:
        return wanted is None or bodies.involves(list(ts.task.lead) + list(ts.task.support), wanted)

    groups = []
    for gi, (key, title, tops) in enumerate(_groups(plan, status, lambda ts: True)):
        rows = []
        for ts in tops:
            for node in _walk(ts):
                if keep(node):
                    rows.append(_row(node, bodies, lang, stt=""))
        for i, row in enumerate(rows):
            row["stt"] = str(i + 1)
        if rows:
            groups.append({"number": key or (ROMAN[gi] if gi < len(ROMAN) else str(gi + 1)), "key": key,
                           "title": title or WORDS[lang]["other"], "rows": rows})
    words = WORDS[lang]
    if lang == "vi":
        summary = f"Thực hiện {_plan_citation(plan, lang)}"
        subtitle = f"Cơ quan: {body_name}" if body_name else "Tất cả cơ quan"
        as_of_text = f"Tình trạng tính đến {long_date(as_of)}"
    else:
        summary = f"Implementing {_plan_citation(plan, lang)}"
        subtitle = f"Body: {body_name}" if body_name else "All bodies"
        as_of_text = f"Status as of {long_date(as_of, lang)}"
    return {
        "lang": lang,
        "w": words,
        "doc": {**header(plan, as_of, lang, "KH", number), "type": words["checklist"], "summary": summary,
                "subtitle": subtitle, "as_of": as_of_text},
        "plan": {"id": plan.plan.id, "title": plan.plan.title, "number": plan.plan.number or ""},
        "body": body_name,
        "groups": groups,
        "count": sum(len(g["rows"]) for g in groups),
        "signers": signers(plan),
        "recipients": recipients(plan),
    }
