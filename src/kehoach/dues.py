"""The due dates a plan names: each dated deadline, each occurrence of a
recurring duty, each meeting, with the path of the value that names it.

`kehoach calendar`, the weekend/holiday warning of `kehoach check` and the
report's "next period" all read `due_items(plan)`, so they agree on the dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

from . import periods

@dataclass(frozen=True)
class DueItem:
    """One due date named by the plan.

    kind: `dated` (a date, month, quarter, half, 9M, year or range), `triggered`
    (an event with a known date), `recurring` (one occurrence of a duty),
    `meeting` (a meeting, or one occurrence of a recurring one).
    """

    loc: tuple  # path of the deadline value in the raw data, e.g. ("tasks", 3, "subtasks", 1, "deadline")
    kind: str
    due: dt.date
    task: Any = None  # model.Task (None for a meeting)
    meeting: Any = None  # model.Meeting
    period: periods.ReportPeriod | None = None  # the occurrence of a recurring duty or meeting

    @property
    def value(self):
        """The deadline value as written (a task's `deadline`, a meeting's `when`)."""
        return self.meeting.when if self.meeting is not None else self.task.deadline

    @property
    def code(self) -> str | None:
        """The occurrence code (`2021-Q2`), None when the value names one date."""
        return self.period.code if self.period is not None else None


def _dues(value, plan) -> Iterator[tuple[str, dt.date, periods.ReportPeriod | None]]:
    """(kind, due, occurrence) for one deadline value; nothing for continuous or unknown dates."""
    start, end = plan.plan.period.start, plan.plan.period.end
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, (str, int)):
        window = periods.parse_deadline(str(value))
        if window.end is not None:  # None: continuous
            yield "dated", window.end, None
        return
    every = getattr(value, "every", None)
    if every is not None:
        every = str(every)
        shift = dt.timedelta(days=value.days_after)
        for p in periods.occurrences(every, value.periods, start, end, plan.convention):
            yield "recurring", p.end + shift, p
        return
    if getattr(value, "after", None) is not None and value.triggered_on is not None:
        if value.within_days is None:
            yield "triggered", end, None
        else:
            yield "triggered", value.triggered_on + dt.timedelta(days=value.within_days), None
    # continuous work, or an event not yet happened: no due date


def due_items(plan) -> list[DueItem]:
    """Every due date of the plan, in plan order: tasks and subtasks depth first, then meetings."""
    out: list[DueItem] = []

    def walk(tasks, path):
        for i, task in enumerate(tasks):
            loc = path + (i, "deadline")
            for kind, due, period in _dues(task.deadline, plan):
                out.append(DueItem(loc, kind, due, task=task, period=period))
            walk(task.subtasks, path + (i, "subtasks"))

    walk(plan.tasks, ("tasks",))
    for i, meeting in enumerate(plan.meetings):
        for _kind, due, period in _dues(meeting.when, plan):
            out.append(DueItem(("meetings", i, "when"), "meeting", due, meeting=meeting, period=period))
    return out
