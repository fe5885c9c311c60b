"""Roll-ups worded: `kehoach status` and `kehoach report` over several plans.

The status roll-up is a headline (how many plans, overall completion, the
Government Office roll-up) and two tables, by plan and by lead body, as a
terminal table, Markdown or JSON (docs/status.md). The report roll-up is a
document (`rollup.*` templates): its header is the first plan's (put the
province's own plan first), a table of the plans' results in the period, a
table by lead body, and a table per plan of its unfinished work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kehoach.base.messages import render, text
from kehoach.base.numbers import mean_percent
from kehoach.base.vndates import long_date, short_date, span_label

if TYPE_CHECKING:
    from kehoach.judge.rollup import PlanPeriod, RollupStatus
    from kehoach.views.letterhead import Head, RecipientLine, SignerLine
    from kehoach.views.reportview import SpanRef

JSON_VERSION = 1
PLAN_COLUMNS = ("plan", "tasks", "done_on_time", "done_late", "not_done_within", "not_done_overdue", "ongoing",
                "suspended", "completion")
BODY_COLUMNS = ("body", "plans", "tasks", "done", "not_done_overdue", "due_soon", "completion")


def _plan_name(plan: Any) -> str:
    info = plan.plan
    return f"{info.number} — {info.title}" if info.number else info.title


def status_rows(r: RollupStatus, compact: bool = False) -> tuple[list[list[str]], list[list[str]]]:
    """The two tables as text cells: by plan, by body (`compact`, for a terminal: plans by id,
    bodies by short name)."""
    plans = []
    for p in r.plans:
        name = p.plan.plan.id if compact else f"{p.plan.plan.id} — {_plan_name(p.plan)}"
        counts = [str(p.rollup[k]) for k in PLAN_COLUMNS[2:-1]]  # done on time … continuous
        plans.append([name, str(p.rollup["total"]), *counts, f"{p.completion}%"])
    bodies = [[b.short if compact else b.name, str(b.plans), str(b.rollup["total"]),
               str(b.rollup["done_on_time"] + b.rollup["done_late"]), str(b.rollup["not_done_overdue"]),
               str(b.counts["due_soon"]), f"{b.completion}%"] for b in r.bodies]
    return plans, bodies


def rollup_headline(r: RollupStatus, lang: str) -> list[str]:
    ongoing = render("rollup-ongoing", "message", r.rollup, lang)
    if r.rollup["suspended"]:
        ongoing += render("rollup-suspended", "message", r.rollup, lang)
    return [text("rollup.title", lang, n=len(r.plans)),
            text("headline.when", lang, date=long_date(r.as_of, lang), completion=r.completion),
            render("rollup-line", "message", r.rollup, lang), ongoing]


def status_json(r: RollupStatus) -> dict[str, Any]:
    """`kehoach status --format json` over several plans (docs/status.md)."""
    return {
        "version": JSON_VERSION,
        "rollup": True,
        "as_of": r.as_of.isoformat(),
        "summary": {"plans": len(r.plans), "counts": r.counts, "rollup": r.rollup, "completion": r.completion},
        "plans": [{"file": p.path, "id": p.plan.plan.id, "title": p.plan.plan.title, "number": p.plan.plan.number,
                   "counts": p.counts, "rollup": p.rollup, "completion": p.completion} for p in r.plans],
        "bodies": [{"id": b.id, "name": b.name, "plans": b.plans, "counts": b.counts, "rollup": b.rollup,
                    "completion": b.completion} for b in r.bodies],
    }


# ---------------------------------------------------------------- the report of several plans


@dataclass
class RollupPlanRow:
    stt: str
    id: str
    name: str
    judged: str  # the work the period concerns: the sum of the next five
    done_on_time: str
    done_late: str
    unfinished: str
    continuing: str  # continuous work that reported in the period
    unreported: str  # continuous work that did not
    completion: str


@dataclass
class RollupBodyRow:
    stt: str
    name: str
    judged: str  # the sum of the next four
    done: str
    unfinished: str
    continuing: str
    unreported: str


# the verdicts a roll-up counts (work done before the period, not yet due, or suspended is not the period's)
# the verdicts each column counts (`judge.evaluation.Verdict`): continuous work every lead reported on
# for the period is "có báo cáo", one with a review period a lead did not report on "chưa báo cáo"
COUNTED = {"done_on_time": "done_on_time", "done_late": "done_late", "unfinished_overdue": "unfinished",
           "unfinished": "unfinished", "maintained": "continuing", "gaps": "unreported"}


@dataclass
class RollupUnfinished:
    stt: str
    id: str
    title: str
    lead: str
    deadline: str
    percent: str
    last_note: str


@dataclass
class RollupPlanSection:
    number: str
    name: str
    period: str
    rows: list[RollupUnfinished]


@dataclass
class RollupContext:
    lang: str
    w: dict[str, str]
    doc: Head
    period: SpanRef
    opening: str
    plans: list[RollupPlanRow]
    total: RollupPlanRow
    bodies: list[RollupBodyRow]
    sections: list[RollupPlanSection]
    signers: list[SignerLine]
    recipients: list[RecipientLine]


def build_rollup_report(periods: list[PlanPeriod], lang: str = "vi", number: str | None = None) -> RollupContext:
    """The report of several plans over one period; the first plan gives the header and signers."""
    from kehoach.plan.bodies import Bodies
    from kehoach.views.letterhead import header, report_recipients, signers
    from kehoach.views.reportview import SpanRef, doc_words

    host = periods[0]
    span = host.span
    as_of = host.evaluation.as_of
    head = header(host.plan, min(as_of, span.end) if as_of > span.end else as_of, lang, "BC", number,
                  text("doc.report", lang), text("rollup.summary", lang, period=span_label(span, lang)))
    plan_rows = []
    sums = dict.fromkeys(("done_on_time", "done_late", "unfinished", "continuing", "unreported"), 0)
    tops: list[float] = []
    bodies: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    sections = []
    for i, p in enumerate(periods, start=1):
        c = dict.fromkeys(sums, 0)
        for verdict, n in p.verdicts.items():
            if verdict in COUNTED:
                c[COUNTED[verdict]] += n
        for k in sums:
            sums[k] += c[k]
        tops += p.evaluation.status.top_percents(p.evaluation.scope)
        plan_rows.append(RollupPlanRow(str(i), p.plan.plan.id, _plan_name(p.plan), str(sum(c.values())),
                                       **{k: str(v) for k, v in c.items()}, completion=str(p.evaluation.completion())))
        b = Bodies(p.plan)
        for j in p.evaluation.judged:
            if j.verdict not in COUNTED:
                continue
            for ident in b.expand(j.node.lead):
                names.setdefault(ident, b.name(ident))
                tally = bodies.setdefault(ident, dict.fromkeys(("done", "unfinished", "continuing", "unreported"), 0))
                key = COUNTED[j.verdict]
                if j.verdict == "gaps" and ident not in j.missing:
                    key = "continuing"  # this lead reported for every review period: another did not
                tally["done" if key in ("done_on_time", "done_late") else key] += 1
        rows = []
        for n, j in enumerate(p.evaluation.unfinished, start=1):
            last = j.last
            rows.append(RollupUnfinished(
                str(n), j.node.id, j.task.title, b.shorts(j.node.lead),
                short_date(j.due, lang) if j.due else "", f"{j.percent}%",
                text("letter.last", lang, date=short_date(last.date, lang), note=last.note) if last else ""))
        sections.append(RollupPlanSection(str(i), _plan_name(p.plan), span_label(p.span, lang), rows))
    from kehoach.base.text import vi_sort_key

    total = RollupPlanRow("", "", text("rollup.total", lang), str(sum(sums.values())),
                          **{k: str(v) for k, v in sums.items()},
                          completion=str(mean_percent(tops)))
    body_rows = [RollupBodyRow(str(k), names[i], str(sum(t.values())), str(t["done"]), str(t["unfinished"]),
                               str(t["continuing"]), str(t["unreported"]))
                 for k, (i, t) in enumerate(sorted(bodies.items(), key=lambda x: vi_sort_key(names[x[0]])), start=1)]
    return RollupContext(
        lang=lang, w=doc_words(lang), doc=head,
        period=SpanRef(span.code, span_label(span, lang), short_date(span.start, lang), short_date(span.end, lang),
                       long_date(as_of, lang)),
        opening=text("rollup.opening", lang, n=len(periods), period=span_label(span, lang),
                     start=short_date(span.start, lang), end=short_date(span.end, lang)),
        plans=plan_rows, total=total, bodies=body_rows, sections=sections,
        signers=signers(host.plan), recipients=report_recipients(host.plan, lang),
    )

