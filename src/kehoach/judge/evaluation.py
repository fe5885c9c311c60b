"""The evaluation of a period: what a careful official writes in a report.

`evaluate(plan, span, as_of)` judges every task and every occurrence of a
recurring duty over the report's window (`Span`), once, in the domain; every
document reads the result and none judges again. The rules:

- The period is judged at the close of its last day, or of `as_of` when that
  comes first (`cut`). Progress dated after `as_of` does not exist yet.
- Work due on or before the period's end and not completed by the cut is
  unfinished (`unfinished_overdue`, or `unfinished` in an interim report written
  before its due date): it goes under the shortcomings with its lead body,
  percent and last note, and is carried into the next period. So does an
  occurrence of a recurring duty (a quarterly report, a conference) due in the
  period, or earlier, and still open — into the next year too, after the
  plan's last period (what the plan dates after it is not carried).
- Work completed in the period on time is a strength; work completed late is
  reported as late, with its date, never as a strength.
- Continuous work is never completed and has no percent. It is judged per
  review period of its cadence that ended in the period, by each lead:
  `maintained` when every lead reported for every one of them, else `gaps`,
  with the periods each lead is missing (`missing`); `continuing` when none has
  ended yet. A report counts for the review period it names (`occurrence`), so
  a Q3 report mailed on 5 October is Q3's; a supporting body's report, or a
  district's, is a result but never the lead's report.
- Conditional work whose event has not happened is `not_triggered`: never
  unfinished, never "within its deadline".
- The plan's own periodic report that this report is (`own_report`: the
  occurrence of a cadence's task, or of a task drafting it (`drafting`: the
  standing units' "tham mưu báo cáo"), for the report's period, and, as offices merge
  them, one for a shorter period ending with it: the Q4 report in the year's,
  Q2's in the 6 months') is `this_report` while it is not done by the as-of
  date: the report never lists itself as unfinished nor carries itself forward
  (one sent on its own, the Q2 report mailed on 3 July, is judged as any other).
- Entries of kind `difficulty` are difficulties, of kind `proposal` proposals;
  neither is a result. A proposal whose task was completed after it (by the
  as-of date) is resolved and left out.
- A thematic or one-body evaluation (`scope`) counts, lists and carries forward
  only the tasks in scope.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from kehoach.base import periods
from kehoach.base.deadlines import Continuous
from kehoach.base.periods import Span
from kehoach.judge.scope import Scope
from kehoach.judge.status import (
    OccurrenceStatus,
    PlanStatus,
    Status,
    TaskStatus,
    compute_status,
    parent_code,
    rollup,
)
from kehoach.plan.reporters import LeadState, Reporters, last_word, lead_states, reported_periods
from kehoach.plan.schedule import Due, Node, Schedule, build_schedule

if TYPE_CHECKING:
    from kehoach.plan.model import Meeting, Plan, Progress, Task


class Verdict(StrEnum):
    """The judgement of a task (or an occurrence of a recurring duty) over a report's period;
    `verdict.<code>` in the catalogue words it."""

    DONE_ON_TIME = "done_on_time"  # completed in the period, on or before its due date
    DONE_LATE = "done_late"  # completed in the period, after its due date
    DONE_BEFORE = "done_before"  # completed before the period began: nothing to report again
    UNFINISHED_OVERDUE = "unfinished_overdue"  # due by the cut, not completed
    UNFINISHED = "unfinished"  # due later in the period than the cut (an interim report), not completed
    IN_PROGRESS = "in_progress"  # due after the period, started
    NOT_STARTED = "not_started"  # due after the period, no progress yet
    MAINTAINED = "maintained"  # continuous work: every lead reported for every review period ended in the period
    GAPS = "gaps"  # continuous work: a lead has no report for a review period that ended in the period
    CONTINUING = "continuing"  # continuous work none of whose review periods has ended yet
    NOT_TRIGGERED = "not_triggered"  # conditional work whose event has not happened
    THIS_REPORT = "this_report"  # an occurrence of the plan's periodic report that this very report is
    SUSPENDED = "suspended"


VERDICTS = list(Verdict)
UNFINISHED = {Verdict.UNFINISHED_OVERDUE, Verdict.UNFINISHED}


@dataclass(slots=True)
class Judged:
    """One leaf task, or one occurrence of a recurring duty, judged over the period."""

    node: Node
    status: TaskStatus
    verdict: Verdict
    due: dt.date | None
    done_on: dt.date | None  # completed (by the cut)
    percent: int
    entries: list[Progress]  # its entries in the period, every kind, up to the cut
    last: Progress | None  # its leads' last result or difficulty up to the cut (any period): where it stands
    occurrence: OccurrenceStatus | None = None
    done_after: dt.date | None = None  # unfinished at the cut, but completed by the as-of date
    leads: list[LeadState] = field(default_factory=list)  # each lead's state (at the cut)
    # continuous: the review periods of the period that ended, and those each lead has no report for
    reviewed: list[periods.ReportPeriod] = field(default_factory=list)
    missing: dict[str, list[periods.ReportPeriod]] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """`task` or `occurrence` (one occurrence of a recurring duty): what a count counts."""
        return "occurrence" if self.occurrence is not None else "task"

    @property
    def task(self) -> Task:
        return self.node.task

    @property
    def meeting(self) -> Meeting | None:
        return self.occurrence.meeting if self.occurrence is not None else None

    @property
    def carried(self) -> bool:
        """Goes into the next period: unfinished, and not completed since."""
        return self.verdict in UNFINISHED and self.done_after is None


@dataclass(slots=True)
class EntryRef:
    """A progress entry and the task it was logged on; `earlier`: the review period of continuous
    work it reports on, when that period ended before this one and the report was sent in this
    one (the February report sent on 5/4: the Q1 report had been made without it)."""

    entry: Progress
    node: Node
    earlier: periods.ReportPeriod | None = None


@dataclass(slots=True)
class Upcoming:
    """Something the next period must do: a task, an occurrence, or a meeting of its own."""

    day: dt.date
    node: Node | None
    occurrence: OccurrenceStatus | None = None
    meeting: Meeting | None = None
    period: periods.ReportPeriod | None = None  # the meeting's occurrence, for a meeting of its own
    carried: bool = False  # unfinished work brought forward from this period


@dataclass
class Evaluation:
    plan: Plan
    span: Span
    as_of: dt.date
    cut: dt.date  # judged at the close of this day: min(as_of, span.end)
    scope: Scope
    status: PlanStatus  # at the close of the cut
    judged: list[Judged]  # in plan order; leaves and occurrences in scope
    results: list[EntryRef]  # entries of kind result in the period, by date
    difficulties: list[EntryRef]
    proposals: list[EntryRef]  # unresolved
    resolved: list[EntryRef]  # proposals whose task was completed after them
    next_span: Span
    upcoming: list[Upcoming]  # carried work first, then the next period's dates
    continuing: list[Node]  # continuous work in scope that goes on
    later: list[Node] = field(default_factory=list)  # deliverables begun or not, due after the next period
    own: frozenset[tuple[str, str]] = frozenset()  # (task, occurrence code) of the report's own occurrences
    now: PlanStatus | None = None  # where the work stands on the as-of date, the day the report is dated

    @property
    def today(self) -> PlanStatus:
        """Where the work stands on the day the report is dated (`as_of`): what its appendix shows,
        as `status` does that day (a report written after its period sees the reports sent since)."""
        return self.now or self.status

    def is_this_report(self, ts: TaskStatus) -> bool:
        """Whether a task's current occurrence (the one its status names) is this report, not done."""
        o = ts.occurrence
        return o is not None and o.done_on is None and (ts.id, o.code) in self.own

    def shown_status(self, ts: TaskStatus) -> str:
        """A task's status as the report's tables give it: `this_report` for the occurrence this report
        is; a parent judged again with those occurrences as work in progress (the heading of the
        reporting duties was "overdue" for the report being made); else its status."""
        if self.is_this_report(ts):
            return Verdict.THIS_REPORT
        if not ts.children or not any(self.is_this_report(x) for x in ts.walk()):
            return ts.status
        codes = [Status.IN_PROGRESS if s == Verdict.THIS_REPORT else Status(s)
                 for s in (self.shown_status(c) for c in ts.children)]
        return parent_code(ts, codes, self.today.as_of, self.today.closed)

    def tops(self) -> list[TaskStatus]:
        """Top-level tasks in scope."""
        return [ts for ts in self.status.tasks if self.scope.includes(ts.node)]

    def leaves(self) -> list[TaskStatus]:
        return self.status.leaves(self.scope)

    def rollup(self) -> dict[str, int]:
        return rollup(self.status.counts(self.leaves()))

    def completion(self) -> int:
        return self.status.completion(self.scope)

    def with_verdict(self, *verdicts: str) -> list[Judged]:
        return [j for v in verdicts for j in self._by_verdict.get(v, [])] if len(verdicts) == 1 else [
            j for j in self.judged if j.verdict in verdicts]

    @functools.cached_property
    def _by_verdict(self) -> dict[str, list[Judged]]:
        out: dict[str, list[Judged]] = {}
        for j in self.judged:
            out.setdefault(j.verdict, []).append(j)
        return out

    @functools.cached_property
    def _judged_at(self) -> dict[str, list[tuple[int, Judged]]]:
        """Each node's judged items (with their place in `judged`), so that a document that
        asks about every task does not scan every item for each: linear, not quadratic."""
        out: dict[str, list[tuple[int, Judged]]] = {}
        for i, j in enumerate(self.judged):
            out.setdefault(j.node.id, []).append((i, j))
        return out

    @functools.cached_property
    def _results_at(self) -> dict[str, list[tuple[int, EntryRef]]]:
        out: dict[str, list[tuple[int, EntryRef]]] = {}
        for i, r in enumerate(self.results):
            out.setdefault(r.node.id, []).append((i, r))
        return out

    def judged_of(self, node: Node) -> list[Judged]:
        """What the period judged of this one task (its own occurrences included)."""
        return [j for _, j in self._judged_at.get(node.id, [])]

    def results_below(self, node: Node) -> list[EntryRef]:
        """The results in the period logged on `node` or below it (in scope), by date."""
        found = [pair for n in node.walk() if self.scope.includes(n) for pair in self._results_at.get(n.id, [])]
        return [r for _, r in sorted(found, key=lambda pair: pair[0])]

    @property
    def strengths(self) -> list[Judged]:
        """Completed in the period on time: tasks and occurrences of recurring duties."""
        return self.with_verdict(Verdict.DONE_ON_TIME)

    @property
    def maintained(self) -> list[Judged]:
        """Continuous work every lead reported on for every review period that ended."""
        return self.with_verdict(Verdict.MAINTAINED)

    @property
    def late(self) -> list[Judged]:
        return self.with_verdict(Verdict.DONE_LATE)

    @property
    def unfinished(self) -> list[Judged]:
        return self.with_verdict(*UNFINISHED)

    @property
    def gaps(self) -> list[Judged]:
        """Continuous work with a review period that ended without a lead's report."""
        return self.with_verdict(Verdict.GAPS)

    @property
    def not_triggered(self) -> list[Judged]:
        return self.with_verdict(Verdict.NOT_TRIGGERED)

    def node_entries(self, node: Node) -> list[Progress]:
        """The entries of kind result in the period logged on `node` or below it (in scope)."""
        return [r.entry for r in self.results_below(node)]

    def occurrences_of(self, node: Node) -> list[Judged]:
        """The judged occurrences of the recurring duties at or below `node` that the period holds."""
        found = [pair for n in node.walk() for pair in self._judged_at.get(n.id, [])]
        return [j for _, j in sorted(found, key=lambda pair: pair[0]) if j.occurrence is not None
                and (self.span.contains(j.occurrence.due) or j.verdict in UNFINISHED)]

    def trend(self) -> list[tuple[dt.date, int]]:
        """Completion at the end of each month of the plan, up to the cut."""
        return month_trend(self.plan, self.cut, self.scope, self.status.soon_days, self.status.schedule)


def month_trend(plan: Plan, cut: dt.date, scope: Scope, soon_days: int = 14, schedule: Schedule | None = None,
                reporters: Reporters | None = None) -> list[tuple[dt.date, int]]:
    """Completion of `scope` at the end of each month of the plan, up to `cut` (the trend of
    `Evaluation.trend`): the plan judged at each month's end, one month at a time."""
    start = plan.plan.period.start
    schedule = schedule or build_schedule(plan)
    reporters = reporters or Reporters(plan)
    out = []
    day = dt.date(start.year, start.month, 1)
    stop = min(cut, plan.plan.period.end)
    while day <= stop:
        point = min(periods.month_end(day.year, day.month), stop)
        ps = compute_status(plan, point, soon_days, schedule, closed=True, reporters=reporters)
        out.append((point, ps.completion(scope)))
        del ps  # one month's judgement held at a time
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def _named_period(code: str, year: int, convention: str) -> periods.ReportPeriod | None:
    """The period an entry's `occurrence` names ("2021-Q1", "2021-M02"), or None when it names none."""
    try:
        return periods.parse_period(code, year, convention)
    except periods.PeriodError:
        return None


def late_reports(plan: Plan, span: Span, today: dt.date) -> tuple[int, dt.date]:
    """The reports on the period's own occurrences and review periods mailed after it (a Q1
    report sent on 2/4; up to `periods.LATE_REPORT_DAYS` after the end, as a returned form may date
    them, never after today): how many, and the day of the last. A report made at the period's
    end does not see them; one made `--as-of` that day does."""
    limit = min(span.end + dt.timedelta(days=periods.LATE_REPORT_DAYS), today)
    count, last = 0, span.end
    for task, _parent in plan.iter_tasks():
        for e in task.progress:
            if not e.occurrence or not span.end < e.date <= limit or e.kind == "proposal":
                continue
            p = _named_period(e.occurrence, span.year, plan.convention)
            if p is not None and span.start <= p.end <= span.end:
                count += 1
                last = max(last, e.date)
    return count, last


def evaluate(plan: Plan, span: Span, as_of: dt.date | None = None, soon_days: int = 14,
             scope: Scope | None = None, schedule: Schedule | None = None, own_report: bool = False) -> Evaluation:
    """Judge every task and occurrence in `scope` over `span`, as at `as_of` (default: the span's end);
    `schedule`: the plan's, when the caller has built it already; `own_report`: the judgement is the
    plan's own periodic report of the span (`kehoach report --period`), which is not unfinished work."""
    as_of = as_of or span.end
    cut = min(as_of, span.end)
    scope = scope or Scope()
    reporters = Reporters(plan)
    status = compute_status(plan, cut, soon_days, schedule, closed=True, reporters=reporters)
    later = compute_status(plan, as_of, soon_days, status.schedule, reporters=reporters) if as_of > cut else status
    later_by_id = later.by_id()
    judge = _Judge(plan, span, cut, reporters, _report_tasks(plan, span, scope) if own_report else frozenset())
    judged: list[Judged] = []
    results: list[EntryRef] = []
    difficulties: list[EntryRef] = []
    proposals: list[EntryRef] = []
    resolved: list[EntryRef] = []
    for ts in status.walk():
        if not scope.includes(ts.node):
            continue
        now = later_by_id[ts.id]
        for e in now.entries:
            earlier = judge.sent_late(e, ts.node)
            if earlier is None and not judge.reports_on(e, ts.node):
                continue
            ref = EntryRef(e, ts.node, earlier)
            if e.kind == "difficulty":
                difficulties.append(ref)
            elif e.kind == "proposal":
                (resolved if _resolved(e, now) else proposals).append(ref)
            else:
                results.append(ref)
        if ts.leaf:
            judged += judge.leaf(ts, now)
    for bucket in (results, difficulties, proposals, resolved):
        bucket.sort(key=lambda r: r.entry.date)
    next_span = span.next(plan.convention)
    # the next period lies in the plan, most of it (under `nd09` the year 2022 begins on 15/12/2021)
    overlap = (min(next_span.end, plan.plan.period.end) - next_span.start).days + 1
    inside = 2 * overlap >= (next_span.end - next_span.start).days + 1
    upcoming = _upcoming(judged, status, scope, span, next_span, later_by_id)
    if not inside:  # past the plan: its deliverables go on, and the duties of the report's last period
        # (the year's report, the year-end conference, a report due days after the year): an earlier
        # missed report stays under "Hạn chế", nobody sends the Q2 report in the next year
        upcoming = [u for u in upcoming if not u.carried or u.occurrence is None or u.occurrence.end >= span.end]
    continuing = [j.node for j in judged if isinstance(j.node.deadline, Continuous)
                  and j.verdict in (Verdict.MAINTAINED, Verdict.GAPS, Verdict.CONTINUING)] if inside else []
    beyond = _beyond(judged, status, scope, next_span, later_by_id, upcoming)
    own = frozenset((j.node.id, j.occurrence.code) for j in judged
                    if j.verdict == Verdict.THIS_REPORT and j.occurrence is not None)
    return Evaluation(plan, span, as_of, cut, scope, status, judged, results, difficulties, proposals, resolved,
                      next_span, upcoming, continuing, beyond, own, later if later is not status else None)


def _report_tasks(plan: Plan, span: Span, scope: Scope) -> frozenset[str]:
    """The tasks of the plan's periodic reports (its cadences') that a report of the whole plan over
    a named period may be an occurrence of; none for a report of a topic, of one body, or of a range
    of days."""
    if span.key is None or not scope.whole:
        return frozenset()
    return frozenset(t for c in plan.reporting.cadences if c.every is not None for t in [c.task, *c.drafting] if t)


def _beyond(judged: list[Judged], status: PlanStatus, scope: Scope, nxt: Span,
            later: dict[str, TaskStatus], upcoming: list[Upcoming]) -> list[Node]:
    """Work due after the next period, not completed by the as-of date, in plan order: a
    deliverable begun or not, and a recurring duty (a report, a conference) with an occurrence
    still to come after it; not one the next period's dates name already (a quarterly report
    whose next occurrence is due then: named once; a duty named only as carried unfinished, its
    next occurrence after the next period, stays)."""
    named = {u.node.id for u in upcoming if u.node is not None and not u.carried}
    ids = {j.node.id for j in judged if j.verdict in (Verdict.IN_PROGRESS, Verdict.NOT_STARTED)
           and j.occurrence is None and j.due is not None and j.due > nxt.end and later[j.node.id].done_on is None}

    def duty_goes_on(ts: TaskStatus) -> bool:
        return (ts.leaf and bool(ts.occurrences) and ts.status != Status.SUSPENDED and scope.includes(ts.node)
                and any(o.due > nxt.end and lo.done_on is None
                        for o, lo in zip(ts.occurrences, later[ts.id].occurrences, strict=True)))

    return [ts.node for ts in status.walk() if ts.id not in named and (ts.id in ids or duty_goes_on(ts))]


def _resolved(entry: Progress, ts: TaskStatus) -> bool:
    """A proposal is resolved when its task (or its occurrence) was completed on or after its date;
    continuous work is never completed, so its proposals stay open."""
    if ts.occurrences:
        for o in ts.occurrences:
            if any(e is entry for e in o.entries):
                return o.done_on is not None and o.done_on >= entry.date
        return False
    return ts.done_on is not None and ts.done_on >= entry.date


class _Judge:
    """The rules of one period's judgement (see the module's text)."""

    def __init__(self, plan: Plan, span: Span, cut: dt.date, reporters: Reporters,
                 reports: frozenset[str] = frozenset()):
        self.plan = plan
        self.reports = reports  # the tasks of the plan's periodic reports this report may be
        self.span = span
        self.cut = cut
        self.reporters = reporters
        self.convention = plan.convention
        start, end = plan.plan.period.start, plan.plan.period.end
        self.window = (max(span.start, start), min(cut, end))

    def reports_on(self, e: Progress, node: Node) -> bool:
        """Whether an entry belongs to the period: dated in it (up to the cut), or naming a
        period of its work that ends in it (a Q3 report mailed in October is Q3's)."""
        if e.occurrence and isinstance(node.deadline, Continuous):
            p = _named_period(e.occurrence, self.span.year, self.convention)
            if p is not None:
                return self.span.start <= p.end <= self.span.end
        return self.span.start <= e.date <= self.cut

    def sent_late(self, e: Progress, node: Node) -> periods.ReportPeriod | None:
        """The earlier review period a report on continuous work, sent in this period, is on (its
        own period ended before this one began), or None."""
        if not (e.occurrence and isinstance(node.deadline, Continuous) and self.span.start <= e.date <= self.cut):
            return None
        p = _named_period(e.occurrence, self.span.year, self.convention)
        return p if p is not None and p.end < self.span.start else None

    def reviewed(self, review: str) -> list[periods.ReportPeriod]:
        """The review periods of the plan that end in the period, by the cut."""
        a, b = self.window
        if a > b:
            return []
        return [p for p in periods.periods_between(review, a, b, self.convention)
                if self.span.start <= p.end <= self.cut]

    def leaf(self, ts: TaskStatus, later: TaskStatus) -> list[Judged]:
        span, cut = self.span, self.cut
        last = last_word(ts.entries, ts.leads)
        in_period = [e for e in later.entries if self.reports_on(e, ts.node)]
        if ts.status == Status.SUSPENDED:
            return [Judged(ts.node, ts, Verdict.SUSPENDED, ts.due, None, ts.percent or 0, in_period, last)]
        if ts.occurrences:
            out = []
            for o, lo in zip(ts.occurrences, later.occurrences, strict=True):
                if o.due > span.end and not (o.done_on and span.start <= o.done_on <= cut):
                    continue  # a later occurrence, not done in this period: the next period's
                verdict = _dated_verdict(o.done_on, o.due, span, cut)
                if verdict in (Verdict.DONE_BEFORE, Verdict.NOT_STARTED, Verdict.IN_PROGRESS):
                    continue
                if verdict in UNFINISHED and lo.done_on is None and ts.id in self.reports and o.end == span.end \
                        and o.start >= span.start:
                    verdict = Verdict.THIS_REPORT  # the report being made: neither unfinished nor carried
                mine = [e for e in o.entries if span.start <= e.date <= cut]
                out.append(Judged(ts.node, ts, verdict, o.due, o.done_on, o.percent, mine,
                                  last_word(o.entries, o.leads), occurrence=o, leads=o.leads,
                                  done_after=lo.done_on if verdict in UNFINISHED else None))
            return out
        if isinstance(ts.node.deadline, Continuous):
            review = ts.node.deadline.review
            reviewed = self.reviewed(review)
            # the leads' reports up to the as-of date: a period's report may come after it ends
            states = lead_states(later.entries, ts.node, self.reporters)
            reported = reported_periods(states, review, self.convention)
            missing = {s.body: [p for p in reviewed if p.code not in reported[s.body]] for s in states}
            missing = {body: gone for body, gone in missing.items() if gone}
            verdict = Verdict.CONTINUING if not reviewed else Verdict.GAPS if missing else Verdict.MAINTAINED
            return [Judged(ts.node, ts, verdict, None, None, 0, in_period, last, leads=states, reviewed=reviewed,
                           missing=missing)]
        if ts.status == Status.NOT_TRIGGERED:
            return [Judged(ts.node, ts, Verdict.NOT_TRIGGERED, None, None, ts.percent or 0, in_period, last,
                           leads=ts.leads)]
        verdict = _dated_verdict(ts.done_on, ts.due, span, cut, started=bool(ts.entries))
        done_after = later.done_on if verdict in UNFINISHED else None
        return [Judged(ts.node, ts, verdict, ts.due, ts.done_on, ts.percent or 0, in_period, last,
                       done_after=done_after, leads=ts.leads)]


def _dated_verdict(done_on: dt.date | None, due: dt.date | None, span: Span, cut: dt.date,
                   started: bool = True) -> Verdict:
    if done_on is not None:
        if done_on < span.start:
            return Verdict.DONE_BEFORE
        return Verdict.DONE_ON_TIME if due is None or done_on <= due else Verdict.DONE_LATE
    if due is not None and due <= span.end:
        return Verdict.UNFINISHED_OVERDUE if due <= cut else Verdict.UNFINISHED
    return Verdict.IN_PROGRESS if started else Verdict.NOT_STARTED


def _upcoming(judged: list[Judged], status: PlanStatus, scope: Scope, span: Span, nxt: Span,
              later: dict[str, TaskStatus]) -> list[Upcoming]:
    """Carried work (by due date), then what falls due in the next period (by date)."""
    carried = [Upcoming(j.due or span.end, j.node, j.occurrence, j.meeting, carried=True)
               for j in judged if j.carried]
    carried.sort(key=lambda u: u.day)
    ahead: list[Upcoming] = []
    for ts in status.walk():
        if not ts.leaf or not scope.includes(ts.node) or ts.status == Status.SUSPENDED:
            continue
        now = later[ts.id]
        if ts.occurrences:
            for o, lo in zip(ts.occurrences, now.occurrences, strict=True):
                if nxt.contains(o.due) and o.due > span.end and lo.done_on is None:
                    ahead.append(Upcoming(o.item.day if o.item else o.due, ts.node, o, o.meeting))
        elif ts.due is not None and nxt.contains(ts.due) and ts.due > span.end and now.done_on is None:
            due_item: Due | None = ts.node.dues[0] if ts.node.dues else None
            ahead.append(Upcoming(due_item.day if due_item else ts.due, ts.node,
                                  meeting=due_item.meeting if due_item else None))
    for md in status.schedule.meetings:  # meetings no task's date holds
        linked = status.schedule.by_id().get(md.task.id) if md.task is not None else None
        if linked is not None and not scope.includes(linked):
            continue
        if linked is None and not scope.whole:
            continue
        if nxt.contains(md.due) and md.due > span.end:
            ahead.append(Upcoming(md.due, linked, meeting=md.meeting, period=md.period))
    ahead.sort(key=lambda u: u.day)
    return carried + ahead
