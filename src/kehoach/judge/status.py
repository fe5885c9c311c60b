"""Where every task stands at a date: a pure function of the plan and `as_of`.

`compute_status(plan, as_of, soon_days=14)` never reads the clock. Progress
entries dated after `as_of` are ignored, so the status at any past date can be
reproduced. Codes are stable; their words come from the catalogue (`label`).

With `closed=True` the plan is judged at the close of `as_of` (as a report
judges the last day of its period): work due on that day and not done is
overdue, and a review period ending that day has ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from kehoach.base import periods
from kehoach.base.deadlines import Continuous, Dated, Recurring, Triggered
from kehoach.base.messages import LANGS, text
from kehoach.base.numbers import mean_percent
from kehoach.base.records import field, record
from kehoach.plan.kinds import convention
from kehoach.plan.reporters import LeadState, Reporters, combined, lead_states, reported_periods
from kehoach.plan.schedule import Due, Node, Schedule, build_schedule

if TYPE_CHECKING:
    from kehoach.judge.scope import Scope
    from kehoach.plan.model import Meeting, Plan, Progress, Task

class Status(StrEnum):
    """Where a task stands on a date (docs/status.md); `status.<code>` in the catalogue words it."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"  # continuous work, reported for its last review period
    ONGOING_STALE = "ongoing_stale"  # continuous work whose last ended review period has no lead's report
    NOT_TRIGGERED = "not_triggered"  # conditional work whose event has not happened
    SUSPENDED = "suspended"


STATUS_CODES = list(Status)
DONE = {Status.DONE_ON_TIME, Status.DONE_LATE}
UNMEASURED = {Status.SUSPENDED, Status.NOT_TRIGGERED}  # work whose percent counts in no completion


def label(code: str, lang: str = "vi") -> str:
    """The words of a status code (`status.<code>` in the catalogue)."""
    words = _labels.get((code, lang))
    if words is None:
        words = _labels[(code, lang)] = text(f"status.{code}", lang)
    return words


_labels: dict[tuple[str, str], str] = {}


class _Labels(Mapping[str, dict[str, str]]):
    """The status labels of each language, read from the catalogue: LABELS["vi"]["overdue"]."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGS:
            raise KeyError(lang)
        return {code: label(code, lang) for code in STATUS_CODES}

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


LABELS = _Labels()


@record(slots=True)
class OccurrenceStatus:
    """One occurrence of a recurring duty (the 2021-Q2 report, the 6-month conference)."""

    code: str  # 2021-Q2
    key: str  # Q2
    start: dt.date
    end: dt.date
    due: dt.date
    status: Status
    percent: int
    done_on: dt.date | None
    entries: list[Progress] = field(default_factory=list)
    item: Due | None = None  # the schedule's date (with the meeting held on it, if any)
    leads: list[LeadState] = field(default_factory=list)  # each lead body's state of this occurrence

    @property
    def meeting(self) -> Meeting | None:
        return self.item.meeting if self.item is not None else None


@record(slots=True)
class TaskStatus:
    node: Node
    status: Status
    percent: int | None  # None for continuous work (it has no percent) and a parent of only such work
    due: dt.date | None
    last_date: dt.date | None
    done_on: dt.date | None = None
    review_period: periods.ReportPeriod | None = None  # continuous: the last ended review period
    occurrences: list[OccurrenceStatus] = field(default_factory=list)
    children: list[TaskStatus] = field(default_factory=list)
    entries: list[Progress] = field(default_factory=list)  # progress up to as_of, by date
    leads: list[LeadState] = field(default_factory=list)  # each lead body's state (a leaf task)
    stale_leads: list[str] = field(default_factory=list)  # continuous: the leads without a report for
    # the last ended review period (and none since)
    occurrence: OccurrenceStatus | None = None  # a recurring duty: the occurrence its status, due date,
    # percent and leads are of (the first overdue, else the first open, else the last)

    @property
    def task(self) -> Task:
        return self.node.task

    @property
    def id(self) -> str:
        return self.node.task.id

    @property
    def parent(self) -> str | None:
        return self.node.parent.id if self.node.parent is not None else None

    @property
    def depth(self) -> int:
        return self.node.depth

    @property
    def kind(self) -> str:
        """dated, continuous, recurring, triggered, parent or undated."""
        return self.node.kind

    @property
    def leaf(self) -> bool:
        return not self.children

    @property
    def periodic(self) -> bool:
        """A recurring duty: its percent is its current occurrence's, so the plan's completion and
        a parent's percent count it by its reports ("lượt"), never by that percent (which would
        fall each time a report was made and the next one opened)."""
        return isinstance(self.node.task.deadline, Recurring)

    def measured_percent(self) -> int | None:
        """The percent this task counts for in a completion; None for work without one
        (continuous, not triggered, suspended)."""
        return None if self.status in UNMEASURED else self.percent

    def lead_percent(self, lead: str) -> int | None:
        """How far one of its lead bodies has taken this task; None for work without a percent
        (continuous, not triggered, suspended)."""
        if self.percent is None or self.status in UNMEASURED:
            return None
        return next((s.percent for s in self.leads if s.body == lead), self.percent)

    def duty_percent(self, lead: str | None, as_of: dt.date, closed: bool = False) -> int | None:
        """A recurring duty's part in a completion by body: the share of its occurrences whose day
        has passed at `as_of` (its own day too when the day is `closed`; or done before it) that
        were done, by `lead` (its own part of each), else by the leads together; None while none
        has (no figure), or for work suspended."""
        if self.status in UNMEASURED:
            return None

        def done(o: OccurrenceStatus) -> bool:
            own = next((s for s in o.leads if s.body == lead), None) if lead is not None else None
            return (own.done_on if own is not None else o.done_on) is not None

        counted = [done(o) for o in self.occurrences if o.due < as_of or (closed and o.due == as_of) or done(o)]
        return mean_percent([100 if d else 0 for d in counted]) if counted else None

    def walk(self) -> Iterator[TaskStatus]:
        stack = [self]
        while stack:
            ts = stack.pop()
            yield ts
            stack.extend(reversed(ts.children))


@record
class PlanStatus:
    plan: Plan
    as_of: dt.date
    soon_days: int
    tasks: list[TaskStatus]  # top level, children inside
    schedule: Schedule
    closed: bool = False

    def walk(self) -> Iterator[TaskStatus]:
        for top in self.tasks:
            yield from top.walk()

    def by_id(self) -> dict[str, TaskStatus]:
        return {ts.id: ts for ts in self.walk()}

    def leaves(self, scope: Scope | None = None) -> list[TaskStatus]:
        return [ts for ts in self.walk() if ts.leaf and (scope is None or scope.includes(ts.node))]

    def counts(self, leaves: list[TaskStatus] | None = None) -> dict[str, int]:
        """How many leaf tasks (all of them, or those given) have each status."""
        out: dict[str, int] = {code: 0 for code in STATUS_CODES}
        for ts in self.leaves() if leaves is None else leaves:
            out[ts.status] += 1
        return out

    def rollup(self, leaves: list[TaskStatus] | None = None) -> dict[str, int]:
        """The Government Office roll-up over leaf tasks (all, or those given)."""
        return rollup(self.counts(leaves))

    def completion(self, scope: Scope | None = None) -> int:
        """Mean percent of the top-level tasks in scope, suspended ones left out; a parent
        counts the mean of its subtasks in scope."""
        return completion(self.top_percents(scope))

    def body_completion(self, tasks: Iterable[TaskStatus], body: str | None = None) -> int:
        """The completion of some leaf tasks: the mean of their percents (with `body`, that lead
        body's own part of each), work without a percent left out (continuous, not triggered,
        suspended); a recurring duty by the share of its occurrences due that were done
        (`duty_percent`: its current occurrence's percent fell each time a report was made and
        the next one opened)."""
        return completion([ts.duty_percent(body, self.as_of, self.closed) if ts.periodic
                           else ts.lead_percent(body) if body is not None else ts.measured_percent()
                           for ts in tasks if ts.leaf])

    def top_percents(self, scope: Scope | None = None) -> list[float]:
        """The percent of each top-level task in scope (a parent: the mean of its subtasks'),
        suspended ones and recurring duties left out: what `completion` averages (and a roll-up of
        plans, over all)."""

        def pct(ts: TaskStatus) -> float | None:
            if ts.status in UNMEASURED or (scope is not None and not scope.includes(ts.node)):
                return None
            if ts.leaf:
                return None if ts.periodic else ts.percent
            values = [v for v in (pct(c) for c in ts.children) if v is not None]
            return mean_percent(values) if values else None  # as the parent's row shows it

        return [v for v in (pct(t) for t in self.tasks) if v is not None]


def completion(percents: Iterable[float | None]) -> int:
    """The one completion formula: the rounded mean of the percents that are measured (None: work
    without a percent), 0 when none is."""
    measured = [p for p in percents if p is not None]
    return mean_percent(measured)


def rollup(c: dict[str, int]) -> dict[str, int]:
    """Status counts in the Government Office's terms: done (on time / late), not done
    (within deadline / overdue), continuous, suspended."""
    return {
        "done_on_time": c[Status.DONE_ON_TIME],
        "done_late": c[Status.DONE_LATE],
        "not_done_within": c[Status.IN_PROGRESS] + c[Status.NOT_STARTED] + c[Status.DUE_SOON],
        "not_done_overdue": c[Status.OVERDUE],
        "ongoing": c[Status.ONGOING] + c[Status.ONGOING_STALE],
        "not_triggered": c[Status.NOT_TRIGGERED],
        "suspended": c[Status.SUSPENDED],
        "total": sum(c.values()),
    }


def compute_status(plan: Plan, as_of: dt.date, soon_days: int = 14, schedule: Schedule | None = None,
                   closed: bool = False, reporters: Reporters | None = None) -> PlanStatus:
    """Every task's status at `as_of` (at the close of that day with `closed`)."""
    schedule = schedule or build_schedule(plan)
    ctx = _Ctx(plan, as_of, soon_days, closed, reporters or Reporters(plan))
    return PlanStatus(plan, as_of, soon_days, [ctx.task(n, False) for n in schedule.roots], schedule, closed)


def _before_event(task: Task, as_of: dt.date) -> bool:
    """Work due some days after an event that, at `as_of`, has not happened yet (a plan written
    later may give the day it did: the status at an earlier date does not know it)."""
    deadline = task.deadline
    return isinstance(deadline, Triggered) and deadline.triggered_on is not None and deadline.triggered_on > as_of


class _Ctx:
    def __init__(self, plan: Plan, as_of: dt.date, soon_days: int, closed: bool, reporters: Reporters):
        self.as_of = as_of
        self.soon = dt.timedelta(days=soon_days)
        self.start = plan.plan.period.start
        self.end = plan.plan.period.end
        self.convention = convention(plan)
        self.closed = closed
        self.reporters = reporters
        self._ended: dict[str, periods.ReportPeriod | None] = {}

    def passed(self, due: dt.date) -> bool:
        """Whether `due` is behind us: before as_of, or as_of itself once the day is closed."""
        return self.as_of > due or (self.closed and self.as_of == due)

    # -- one status for a dated piece of work, from its leads' states
    def dated(self, node: Node, entries: list[Progress], due: dt.date | None
              ) -> tuple[Status, int, dt.date | None, list[LeadState]]:
        leads = lead_states(entries, node, self.reporters)
        percent, done_on = combined(leads, self.reporters.rule(node))
        if done_on is not None:
            return (Status.DONE_ON_TIME if due is None or done_on <= due else Status.DONE_LATE), 100, done_on, leads
        if due is not None and self.passed(due):
            return Status.OVERDUE, percent, None, leads
        if due is not None and due - self.as_of <= self.soon:
            return Status.DUE_SOON, percent, None, leads
        started = any(s.entries or s.percent for s in leads)  # carried-over work stands where it stood
        return (Status.IN_PROGRESS if started else Status.NOT_STARTED), percent, None, leads

    def task(self, node: Node, held: bool) -> TaskStatus:
        """`held`: an ancestor is suspended, so this task is too."""
        task = node.task
        as_of = self.as_of
        entries = [e for e in node.progress if e.date <= as_of]
        last = entries[-1].date if entries else None
        held = held or task.suspended
        if node.children:
            children = [self.task(c, held) for c in node.children]
            return self.parent(node, children, entries, last)
        if held:
            pct = None if node.kind == "continuous" else max((e.percent or 0 for e in entries), default=0)
            return TaskStatus(node, Status.SUSPENDED, pct, None, last, entries=entries)
        match node.kind:
            case "recurring":
                return self.recurring(node, entries, last)
            case "continuous":
                return self.continuous(node, entries, last)
            case "undated":
                due: dt.date | None = self.end
            case "triggered" if not node.dues or _before_event(task, as_of):
                # the event has not happened (or happens after as_of): nothing is due yet
                if isinstance(task.deadline, Triggered):
                    status, pct, done_on, leads = self.dated(node, entries, None)
                    if status == Status.NOT_STARTED:
                        status = Status.NOT_TRIGGERED
                    return TaskStatus(node, status, pct, None, last, done_on, entries=entries, leads=leads)
                due = None
            case _:  # dated, or triggered with its event's date
                due = node.dues[0].due if node.dues else None
        status, pct, done_on, leads = self.dated(node, entries, due)
        return TaskStatus(node, status, pct, due, last, done_on, entries=entries, leads=leads)

    def continuous(self, node: Node, entries: list[Progress], last: dt.date | None) -> TaskStatus:
        """Continuous work is never completed and has no percent: it is judged per review
        period, by each lead: stale when a lead has no report for the last ended review period
        and none since."""
        deadline = node.deadline
        review = deadline.review if isinstance(deadline, Continuous) else "quarter"
        leads = lead_states(entries, node, self.reporters)
        ended = self.last_ended(review)
        stale: list[str] = []
        if ended is not None:
            reported = reported_periods(leads, review, self.convention)
            stale = [s.body for s in leads
                     if ended.code not in reported[s.body] and not any(e.date > ended.end for e in s.entries)]
        if self.as_of < self.start:
            status = Status.NOT_STARTED
        elif stale:
            status = Status.ONGOING_STALE  # a whole review period ended, and nothing since, without a lead's report
        else:
            status = Status.ONGOING
        return TaskStatus(node, status, None, None, last, None, review_period=ended, entries=entries, leads=leads,
                          stale_leads=stale)

    def last_ended(self, review: str) -> periods.ReportPeriod | None:
        """The last review period of the plan that has ended by as_of."""
        if review not in self._ended:
            self._ended[review] = self._last_ended(review)
        return self._ended[review]

    def _last_ended(self, review: str) -> periods.ReportPeriod | None:
        if self.as_of < self.start:
            return None
        ended = [p for p in periods.periods_between(review, self.start, min(self.as_of, self.end), self.convention)
                 if p.end < self.as_of or (self.closed and p.end == self.as_of)]
        return ended[-1] if ended else None

    def recurring(self, node: Node, entries: list[Progress], last: dt.date | None) -> TaskStatus:
        dues = [(d, d.period, d.period.code) for d in node.dues if d.period is not None]
        # an entry that names no occurrence counts for the first one whose window holds its date
        owner: dict[int, str | None] = {}
        for i, e in enumerate(entries):
            if e.occurrence is None:
                owner[i] = next((code for d, p, code in dues if p.start <= e.date <= d.due), None)
        occ = []
        for d, p, code in dues:
            mine = [e for i, e in enumerate(entries)
                    if (e.occurrence or "").upper() == code or owner.get(i) == code]
            status, pct, done_on, leads = self.dated(node, mine, d.due)
            occ.append(OccurrenceStatus(code, p.key, p.start, p.end, d.due, status, pct, done_on, mine, d, leads))
        open_ = [o for o in occ if o.status not in DONE]
        # the occurrence the duty's status, due date and percent are of: the first overdue, else the
        # first open, else the last (docs/status.md)
        current = next((o for o in occ if o.status == Status.OVERDUE), open_[0] if open_ else None) or (
            occ[-1] if occ else None)
        if current is None:
            status = Status.NOT_STARTED
        elif current in open_:
            status = current.status
            if status == Status.NOT_STARTED and len(open_) < len(occ):
                status = Status.IN_PROGRESS  # earlier occurrences done, the next not begun
        else:
            status = Status.DONE_LATE if any(o.status == Status.DONE_LATE for o in occ) else Status.DONE_ON_TIME
        done_on = current.done_on if current is not None and not open_ else None
        return TaskStatus(node, status, current.percent if current else 0, current.due if current else None, last,
                          done_on, occurrences=occ, entries=entries, leads=current.leads if current else [],
                          occurrence=current)

    def parent(self, node: Node, children: list[TaskStatus], entries: list[Progress],
               last: dt.date | None) -> TaskStatus:
        task = node.task
        active = [c for c in children if c.status not in (Status.SUSPENDED, Status.NOT_TRIGGERED)]
        measured = [c.percent for c in active if c.percent is not None and not c.periodic]
        pct = mean_percent(measured) if measured else None
        own_due = task.deadline.end if isinstance(task.deadline, Dated) else None
        # the latest date its subtasks run to: a recurring duty's last occurrence, not its current one
        child_dues = [c.occurrences[-1].due if c.occurrences else c.due for c in active if c.due]
        due = own_due or (max(child_dues) if child_dues else None)
        last = max([d for d in [last] + [c.last_date for c in children] if d], default=None)
        done_on = max((c.done_on for c in active if c.done_on), default=None)
        status = _parent_code(task.suspended, [c.status for c in children], own_due, done_on, self.passed)
        return TaskStatus(node, status, pct, due, last, done_on if status in DONE else None,
                          children=children, entries=entries)


def _parent_code(suspended: bool, codes: list[Status], own_due: dt.date | None, done_on: dt.date | None,
                 passed: Callable[[dt.date], bool]) -> Status:
    """A parent's status from its subtasks' (`codes`), its own deadline and the day its last one was
    done; `passed`: whether a day is behind the date judged."""
    active = {c for c in codes if c not in (Status.SUSPENDED, Status.NOT_TRIGGERED)}
    if suspended or all(c == Status.SUSPENDED for c in codes):
        return Status.SUSPENDED
    if not active:
        return Status.NOT_TRIGGERED
    if active <= DONE:
        late = Status.DONE_LATE in active or bool(own_due and done_on and done_on > own_due)
        return Status.DONE_LATE if late else Status.DONE_ON_TIME
    if Status.OVERDUE in active or (own_due and passed(own_due)):
        return Status.OVERDUE
    if Status.DUE_SOON in active:
        return Status.DUE_SOON
    if Status.ONGOING_STALE in active:
        return Status.ONGOING_STALE
    if active - DONE <= {Status.ONGOING}:
        return Status.ONGOING
    if active <= {Status.NOT_STARTED}:
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


def parent_code(ts: TaskStatus, codes: list[Status], as_of: dt.date, closed: bool = True) -> Status:
    """The status parent `ts` has with its subtasks' statuses taken as `codes` (a report shows the
    occurrence it is as work in progress), on `as_of` (the day closed when `closed`)."""
    deadline = ts.task.deadline
    own_due = deadline.end if isinstance(deadline, Dated) else None
    return _parent_code(ts.task.suspended, codes, own_due, ts.done_on,
                        lambda due: as_of > due or (closed and as_of == due))

