"""The plan's schedule: one walk over its tasks, and every date the plan names.

`build_schedule(plan)` walks the tasks once, depth first, and gives each task
a `Node`: its place (parent, depth, the path of its mapping in the file), the
topics and bodies it carries (its own, else its parent's), and its `Due`
dates: one for a dated deadline or a triggered one whose event happened, one
per occurrence of a recurring duty. A meeting linked to a task (`task:` in
`meetings`) is merged into the task's due date it falls on, so that a
conference tracked by a task is one item everywhere (one line in a report,
one calendar event); a meeting that matches none stays a date of its own.

Status, the period evaluation, the calendar and the non-working-day check all
read this one schedule, so they agree on every date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kehoach.base.deadlines import Continuous, Dated, Deadline, Recurring, Triggered
from kehoach.base.periods import ReportPeriod
from kehoach.base.records import field, record, replace
from kehoach.plan.kinds import convention

if TYPE_CHECKING:
    from kehoach.plan.model import Meeting, Plan, Progress, Task


@record(frozen=True, slots=True)
class Due:
    """One due date the plan names.

    kind: `dated` (a date, month, quarter, half, 9M, year or range), `triggered`
    (an event with a known date), `recurring` (one occurrence of a duty),
    `meeting` (a meeting no task's date holds).
    """

    kind: str
    due: dt.date
    start: dt.date | None  # the first day of the window (a range, an occurrence's period)
    loc: tuple[str | int, ...]  # path of the value naming it: ("tasks", 3, "deadline"), ("meetings", 0, "when")
    task: Task | None = None  # the task (for a meeting: the task it is linked to, if any)
    meeting: Meeting | None = None  # the meeting held on this date
    meeting_date: dt.date | None = None  # the day the meeting is held (its own `when`)
    period: ReportPeriod | None = None  # the occurrence of a recurring duty or meeting
    exact: bool = True  # the plan names this very day (a date, a range's end, N days after something);
    # False when it is only the last day of a month, quarter, half or year the plan names

    @property
    def code(self) -> str | None:
        """The occurrence code (`2021-Q2`), None when the value names one date."""
        return self.period.code if self.period is not None else None

    @property
    def day(self) -> dt.date:
        """The day the item happens: a meeting's own date, else the due date."""
        return self.meeting_date or self.due


@record(eq=False, slots=True)
class Node:
    """One task in the plan's tree, with what the walk learnt about it."""

    task: Task
    parent: Node | None
    depth: int
    loc: tuple[str | int, ...]  # path of the task mapping: ("tasks", 3, "subtasks", 1)
    topics: tuple[str, ...]  # its own topics, else its parent's
    lead: tuple[str, ...]  # its own lead bodies, else its parent's
    support: tuple[str, ...]  # its own; its parent's only when it names no body at all
    children: list[Node] = field(default_factory=list)
    dues: list[Due] = field(default_factory=list)
    _kind: str | None = field(default=None, repr=False)
    _progress: list[Progress] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.task.id

    @property
    def leaf(self) -> bool:
        return not self.children

    @property
    def deadline(self) -> Deadline | None:
        return self.task.deadline

    @property
    def kind(self) -> str:
        """parent, dated, continuous, recurring, triggered or undated."""
        kind = self._kind
        if kind is None:
            kind = self._kind = _kind(self.task.deadline) if not self.children else "parent"
        return kind

    @property
    def progress(self) -> list[Progress]:
        """The task's progress entries by date (stable: entries of one day keep the file's order),
        sorted once for every judgement that reads them."""
        entries = self._progress
        if entries is None:
            entries = self._progress = sorted(self.task.progress, key=_date)
        return entries

    def walk(self) -> Iterator[Node]:
        """This node and all below it, depth first."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def _kind(deadline: Deadline | None) -> str:
    match deadline:
        case Dated():
            return "dated"
        case Continuous():
            return "continuous"
        case Recurring():
            return "recurring"
        case Triggered():
            return "triggered"
    return "undated"


def _date(entry: Progress) -> dt.date:
    return entry.date


@record
class Schedule:
    plan: Plan
    roots: list[Node]
    nodes: list[Node]  # every task, depth first in plan order
    meetings: list[Due]  # meeting dates no task's date holds
    meeting_dates: list[Due]  # every meeting date as written (merged or not), for the date checks

    def by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def leaves(self) -> list[Node]:
        return [n for n in self.nodes if n.leaf]

    def dues(self) -> list[Due]:
        """Every due date: tasks and subtasks depth first, then the meetings of their own."""
        return [d for n in self.nodes for d in n.dues] + self.meetings

    def release(self) -> None:
        """Let go of a schedule no longer used: its nodes (each holding its parent, which holds it
        among its children) are freed at once, not left to the cycle collector, which the command
        line keeps off (the memory of a 10,000-task plan's schedule goes back to the next stage)."""
        for node in self.nodes:
            node.parent = None
            node.children = []
        self.roots, self.nodes = [], []


def deadline_dues(value: Deadline | None, loc: tuple[str | int, ...], plan: Plan, task: Task | None = None,
                  kind: str | None = None) -> list[Due]:
    """The due dates one deadline value names (none for continuous work or an event not yet happened)."""
    start, end = plan.plan.period.start, plan.plan.period.end
    match value:
        case Dated():
            return [Due(kind or "dated", value.end, value.start, loc, task, exact=value.to_the_day)]
        case Recurring():
            return [Due(kind or "recurring", due, p.start, loc, task, period=p, exact=value.days_after > 0)
                    for p, due in _occurrences(value, start, end, convention(plan))]
        case Triggered():
            due = value.due(end, start)
            # due by the plan's end (no days given): the plan did not name that day
            return [Due(kind or "triggered", due, value.triggered_on, loc, task, exact=value.within_days is not None)
                    ] if due is not None else []
    return []


@functools.lru_cache(maxsize=256)
def _occurrences(value: Recurring, start: dt.date, end: dt.date,
                 convention: str) -> tuple[tuple[ReportPeriod, dt.date], ...]:
    """A duty's occurrences, worked out once for all the tasks that share its deadline."""
    return tuple(value.occurrences(start, end, convention))


def build_schedule(plan: Plan) -> Schedule:
    """Walk the plan's tasks once and merge each linked meeting into its task's date."""
    nodes: list[Node] = []
    roots = _walk(plan, plan.tasks, ("tasks",), None, nodes)
    by_id = {n.id: n for n in nodes}
    own: list[Due] = []
    written: list[Due] = []
    for i, meeting in enumerate(plan.meetings):
        linked = by_id.get(meeting.task) if meeting.task else None
        for md in deadline_dues(meeting.when, ("meetings", i, "when"), plan, linked.task if linked else None,
                                kind="meeting"):
            md = replace(md, meeting=meeting)
            written.append(md)
            if linked is None or not _merge(linked, md):
                own.append(md)
    return Schedule(plan, roots, nodes, own, written)


def _walk(plan: Plan, tasks: list[Task], path: tuple[str | int, ...], parent: Node | None,
          nodes: list[Node]) -> list[Node]:
    """The nodes of `tasks` (and of their subtasks, added to `nodes` depth first). A function of its
    own, not one inside `build_schedule`: a walk that calls itself from inside another function
    holds that function's nodes in a cycle the command line's cycle collector (off) never frees."""
    out = []
    for i, task in enumerate(tasks):
        loc = path + (i,)
        names_bodies = bool(task.lead or task.support)
        node = Node(
            task, parent, 0 if parent is None else parent.depth + 1, loc,
            tuple(task.topics) or (parent.topics if parent else ()),
            tuple(task.lead) or (parent.lead if parent else ()),
            # a subtask that names no body at all works with its parent's; one that names
            # its lead and no support has none
            tuple(task.support) if names_bodies or parent is None else parent.support,
        )
        node.dues = deadline_dues(task.deadline, loc + ("deadline",), plan, task)
        nodes.append(node)
        node.children = _walk(plan, task.subtasks, loc + ("subtasks",), node, nodes)
        out.append(node)
    return out


def _merge(node: Node, md: Due) -> bool:
    """Attach the meeting date `md` to the first due date of `node` it falls on."""
    day = md.due
    for j, d in enumerate(node.dues):
        if d.meeting is not None:
            continue
        window = d.period.start if d.period is not None else d.start
        if d.due == day or (window is not None and window <= day <= d.due):
            node.dues[j] = replace(d, meeting=md.meeting, meeting_date=day)
            return True
    return False
