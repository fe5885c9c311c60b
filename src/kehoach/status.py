"""Where every task stands at a date: a pure function of the plan and `as_of`.

`compute_status(plan, as_of, soon_days=14)` never reads the clock. Progress
entries dated after `as_of` are ignored, so the status at any past date can be
reproduced. Codes are stable; labels are translated (`LABELS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import periods

STATUS_CODES = [
    "done_on_time", "done_late", "overdue", "due_soon", "in_progress",
    "not_started", "ongoing", "ongoing_stale", "suspended",
]
LABELS = {
    "vi": {
        "done_on_time": "Hoàn thành đúng hạn",
        "done_late": "Hoàn thành quá hạn",
        "overdue": "Chưa hoàn thành, quá hạn",
        "due_soon": "Sắp đến hạn",
        "in_progress": "Đang thực hiện, trong hạn",
        "not_started": "Chưa triển khai",
        "ongoing": "Thường xuyên",
        "ongoing_stale": "Thường xuyên, chưa báo cáo kỳ này",
        "suspended": "Tạm dừng",
    },
    "en": {
        "done_on_time": "Done on time",
        "done_late": "Done late",
        "overdue": "Not done, overdue",
        "due_soon": "Due soon",
        "in_progress": "In progress, within deadline",
        "not_started": "Not started",
        "ongoing": "Continuous",
        "ongoing_stale": "Continuous, no report this period",
        "suspended": "Suspended",
    },
}
DONE = {"done_on_time", "done_late"}


def label(code: str, lang: str = "vi") -> str:
    return LABELS.get(lang, LABELS["vi"])[code]


@dataclass
class OccurrenceStatus:
    code: str  # 2021-Q2
    key: str  # Q2
    start: dt.date
    end: dt.date
    due: dt.date
    status: str
    percent: int
    done_on: dt.date | None
    entries: list = field(default_factory=list)


@dataclass
class TaskStatus:
    task: object  # model.Task
    parent: str | None
    depth: int
    kind: str  # dated, continuous, recurring, triggered, parent, undated
    status: str
    percent: int
    due: dt.date | None
    last_date: dt.date | None
    done_on: dt.date | None = None
    review_period: periods.ReportPeriod | None = None
    occurrences: list[OccurrenceStatus] = field(default_factory=list)
    children: list["TaskStatus"] = field(default_factory=list)
    entries: list = field(default_factory=list)  # progress up to as_of

    @property
    def id(self) -> str:
        return self.task.id

    @property
    def leaf(self) -> bool:
        return not self.children


@dataclass
class PlanStatus:
    plan: object
    as_of: dt.date
    soon_days: int
    tasks: list[TaskStatus]  # top level, children inside

    def walk(self):
        stack = list(reversed(self.tasks))
        while stack:
            ts = stack.pop()
            yield ts
            stack.extend(reversed(ts.children))

    def by_id(self) -> dict[str, TaskStatus]:
        return {ts.id: ts for ts in self.walk()}

    def leaves(self) -> list[TaskStatus]:
        return [ts for ts in self.walk() if ts.leaf]

    def counts(self, leaves: list[TaskStatus] | None = None) -> dict[str, int]:
        """How many leaf tasks (all of them, or those given) have each status."""
        out = {code: 0 for code in STATUS_CODES}
        for ts in self.leaves() if leaves is None else leaves:
            out[ts.status] += 1
        return out

    def rollup(self, leaves: list[TaskStatus] | None = None) -> dict[str, int]:
        """The Government Office roll-up over leaf tasks (all, or those given)."""
        c = self.counts(leaves)
        return {
            "done_on_time": c["done_on_time"],
            "done_late": c["done_late"],
            "not_done_within": c["in_progress"] + c["not_started"] + c["due_soon"],
            "not_done_overdue": c["overdue"],
            "ongoing": c["ongoing"] + c["ongoing_stale"],
            "suspended": c["suspended"],
            "total": sum(c.values()),
        }

    def completion(self, tops: list[TaskStatus] | None = None) -> int:
        """Mean percent of the top-level tasks (or those given), suspended ones left out."""
        tops = [ts for ts in (self.tasks if tops is None else tops) if ts.status != "suspended"]
        return round(sum(ts.percent for ts in tops) / len(tops)) if tops else 0


def compute_status(plan, as_of: dt.date, soon_days: int = 14) -> PlanStatus:
    ctx = _Ctx(plan, as_of, soon_days)
    return PlanStatus(plan, as_of, soon_days, [ctx.task(t, None, 0, False) for t in plan.tasks])


class _Ctx:
    def __init__(self, plan, as_of, soon_days):
        self.plan = plan
        self.as_of = as_of
        self.soon = dt.timedelta(days=soon_days)
        self.start = plan.plan.period.start
        self.end = plan.plan.period.end
        self.convention = plan.convention

    # -- one status for a dated piece of work
    def dated(self, entries, due: dt.date | None) -> tuple[str, int, dt.date | None]:
        percent = max((e.percent for e in entries), default=0)
        done_on = next((e.date for e in entries if e.percent >= 100), None)
        if done_on is not None:
            return ("done_on_time" if due is None or done_on <= due else "done_late"), 100, done_on
        if due is not None and self.as_of > due:
            return "overdue", percent, None
        if due is not None and due - self.as_of <= self.soon:
            return "due_soon", percent, None
        return ("in_progress" if entries else "not_started"), percent, None

    def task(self, task, parent, depth, held: bool) -> TaskStatus:
        """`held`: an ancestor is suspended, so this task is too."""
        entries = [e for e in task.progress if e.date <= self.as_of]
        last = entries[-1].date if entries else None
        held = held or task.suspended
        if task.subtasks:
            children = [self.task(s, task.id, depth + 1, held) for s in task.subtasks]
            return self.parent(task, parent, depth, children, entries, last)
        deadline = task.deadline
        if held:
            pct = max((e.percent for e in entries), default=0)
            return TaskStatus(task, parent, depth, "dated", "suspended", pct, None, last, entries=entries)
        if getattr(deadline, "every", None) is not None:
            return self.recurring(task, parent, depth, entries, last)
        if getattr(deadline, "continuous", None) or (
            isinstance(deadline, str) and periods.is_continuous_word(deadline)
        ):
            return self.continuous(task, parent, depth, entries, last)
        if getattr(deadline, "after", None) is not None:
            due = None
            if deadline.triggered_on is not None:
                due = deadline.triggered_on + dt.timedelta(days=deadline.within_days) if deadline.within_days is not None else self.end
            status, pct, done_on = self.dated(entries, due)
            return TaskStatus(task, parent, depth, "triggered", status, pct, due, last, done_on, entries=entries)
        if deadline is None:
            status, pct, done_on = self.dated(entries, self.end)
            return TaskStatus(task, parent, depth, "undated", status, pct, self.end, last, done_on, entries=entries)
        due = periods.parse_deadline(str(deadline)).end
        status, pct, done_on = self.dated(entries, due)
        return TaskStatus(task, parent, depth, "dated", status, pct, due, last, done_on, entries=entries)

    def continuous(self, task, parent, depth, entries, last) -> TaskStatus:
        review = getattr(task.deadline, "review", None)
        review = str(review or "quarter")
        # after the plan ends, judge its last review period, not today's
        current = periods.period_containing(min(self.as_of, self.end), review, self.convention)
        pct = max((e.percent for e in entries), default=0)
        done_on = next((e.date for e in entries if e.percent >= 100), None)
        if done_on is not None:
            status = "done_on_time"
        elif self.as_of < self.start:
            status = "not_started"
        elif any(current.start <= e.date <= self.as_of for e in entries):
            status = "ongoing"
        else:
            status = "ongoing_stale"
        return TaskStatus(task, parent, depth, "continuous", status, pct, None, last, done_on,
                          review_period=current, entries=entries)

    def recurring(self, task, parent, depth, entries, last) -> TaskStatus:
        d = task.deadline
        every = str(d.every)
        occ = []
        plan_occ = periods.occurrences(every, d.periods, self.start, self.end, self.convention)
        dues = [p.end + dt.timedelta(days=d.days_after) for p in plan_occ]
        # an entry that names no occurrence closes the first one whose window holds its date
        owner = {}
        for i, e in enumerate(entries):
            if e.occurrence is None:
                owner[i] = next((p.code for p, due in zip(plan_occ, dues) if p.start <= e.date <= due), None)
        for p, due in zip(plan_occ, dues):
            mine = [e for i, e in enumerate(entries) if e.occurrence == p.code or owner.get(i) == p.code]
            status, pct, done_on = self.dated(mine, due)
            occ.append(OccurrenceStatus(p.code, p.key, p.start, p.end, due, status, pct, done_on, mine))
        pct = round(100 * sum(o.status in DONE for o in occ) / len(occ)) if occ else 0
        open_ = [o for o in occ if o.status not in DONE]
        if not occ:
            status, due = "not_started", None
        elif any(o.status == "overdue" for o in occ):
            status, due = "overdue", next(o.due for o in occ if o.status == "overdue")
        elif open_:
            status, due = open_[0].status, open_[0].due
            if status == "not_started" and len(open_) < len(occ):
                status = "in_progress"  # earlier occurrences done, the next not begun
        else:
            status = "done_late" if any(o.status == "done_late" for o in occ) else "done_on_time"
            due = occ[-1].due
        done_on = occ[-1].done_on if occ and not open_ else None
        return TaskStatus(task, parent, depth, "recurring", status, pct, due, last, done_on,
                          occurrences=occ, entries=entries)

    def parent(self, task, parent, depth, children, entries, last) -> TaskStatus:
        active = [c for c in children if c.status != "suspended"]
        pct = round(sum(c.percent for c in active) / len(active)) if active else 0
        codes = {c.status for c in active}
        own_due = None
        if isinstance(task.deadline, (str, int)) and not periods.is_continuous_word(str(task.deadline)):
            own_due = periods.parse_deadline(str(task.deadline)).end
        child_dues = [c.due for c in active if c.due]
        due = own_due or (max(child_dues) if child_dues else None)
        last = max([d for d in [last] + [c.last_date for c in children] if d], default=None)
        if task.suspended or not active:
            status = "suspended"
        elif codes <= DONE:
            done_on = max((c.done_on for c in active if c.done_on), default=None)
            late = "done_late" in codes or (own_due and done_on and done_on > own_due)
            status = "done_late" if late else "done_on_time"
        elif "overdue" in codes or (own_due and self.as_of > own_due):
            status = "overdue"
        elif "due_soon" in codes:
            status = "due_soon"
        elif "ongoing_stale" in codes:
            status = "ongoing_stale"
        elif codes - DONE <= {"ongoing"}:
            status = "ongoing"
        elif codes <= {"not_started"}:
            status = "not_started"
        else:
            status = "in_progress"
        done_on = max((c.done_on for c in active if c.done_on), default=None) if status in DONE else None
        return TaskStatus(task, parent, depth, "parent", status, pct, due, last, done_on,
                          children=children, entries=entries)
