"""Which tasks a document or a table counts: the whole plan, one topic's tasks
(a thematic report), or one body's (`--body`).

A leaf task is in scope when its topics (its own, else its parent's) hold the
topic, and when its bodies (lead and support, its own else its parent's, groups
and members matched both ways) involve the body. A parent is in scope when any
of its subtasks is. Headlines, roll-ups, sections and the next period's list
all count the same tasks.

A report's window (`report_span`), and the day a period's return forms are due
back (`default_due`: a rule of the reporting regime, which `kehoach request`
applies and `kehoach calendar` shows ahead of time).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kehoach.base.errors import UsageError
from kehoach.base.messages import did_you_mean
from kehoach.base.periods import PeriodError, Span, parse_period
from kehoach.base.records import field, record
from kehoach.base.text import fold, suggest
from kehoach.base.vndates import SpanWords, date_param
from kehoach.plan import kinds
from kehoach.plan.bodies import Bodies

if TYPE_CHECKING:
    from kehoach.plan.model import Plan, Topic
    from kehoach.plan.schedule import Node, Schedule


class ScopeError(UsageError):
    """A topic, a body or a period that the plan does not have (or that cannot be read)."""


@record
class Scope:
    topic: Topic | None = None
    body_ids: tuple[str, ...] = ()  # the bodies `--body` matched (empty: every body)
    body_names: tuple[str, ...] = ()
    leaves: set[str] | None = None  # ids of the leaf tasks in scope; None: all
    _parents: set[str] = field(default_factory=set)

    @property
    def whole(self) -> bool:
        return self.leaves is None

    def includes(self, node: Node) -> bool:
        if self.leaves is None:
            return True
        return node.id in self.leaves if node.leaf else node.id in self._parents


def find_topic(plan: Plan, query: str) -> Topic:
    """The topic with this id or name (any case, no diacritics), or a usage error with the nearest."""
    topics = list(plan.reporting.topics)
    for t in topics:
        if t.id == query:
            return t
    for t in topics:
        if fold(t.id) == fold(query) or fold(t.name) == fold(query):
            return t
    near = suggest(query, [t.id for t in topics] + [t.name for t in topics])
    raise ScopeError("unknown-topic", {"value": query, "suggest": did_you_mean(near),
                                       "allowed": ", ".join(t.id for t in topics) or "-"})


def select(schedule: Schedule, topic: str | None = None, body: str | None = None) -> Scope:
    """The scope of a topic and/or a body; the whole plan when neither is given."""
    if topic is None and body is None:
        return Scope()
    plan = schedule.plan
    scope = Scope()
    wanted: set[str] = set()
    bodies = Bodies(plan)
    if topic is not None:
        scope.topic = find_topic(plan, topic)
    if body is not None:
        ids = bodies.require(body)
        wanted = set(ids)
        scope.body_ids = tuple(ids)
        scope.body_names = tuple(bodies.name(i) for i in ids)
    keep: set[str] = set()
    for node in schedule.leaves():
        if scope.topic is not None and scope.topic.id not in node.topics:
            continue
        if wanted and not bodies.involves(node.lead + node.support, wanted):
            continue
        keep.add(node.id)
    scope.leaves = keep
    for node in schedule.nodes:
        if node.leaf and node.id in keep:
            scope._parents.update(a.id for a in node.ancestors())
    return scope


def report_span(plan: Plan, period: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
                whole_until: dt.date | None = None) -> Span:
    """A report's window: a period (`Q2`, `H1`, `9M`, `Y`, `M05`, `2021-Q2`) or two dates; it must
    overlap the plan period. With neither, `whole_until` (a thematic report) gives the plan
    period up to that date."""
    convention = kinds.convention(plan)
    info = plan.plan.period
    if period and (start or end):
        raise ScopeError("period-and-range")
    if period:
        try:
            p = parse_period(period, info.start.year, convention)
        except PeriodError as exc:
            raise ScopeError("bad-period", {"value": period}) from exc
        span = Span.of(p)
    elif start and end:
        if end < start:
            raise ScopeError("range-reversed", {"start": date_param(start), "to": date_param(end)})
        span = Span(start, end, None, start.year)
    elif start or end:
        raise ScopeError("need-to")
    elif whole_until is not None:
        last = min(max(whole_until, info.start), info.end)
        span = Span(info.start, last, None, info.start.year)
    else:
        raise ScopeError("need-period")
    if span.end < info.start or span.start > info.end:
        raise ScopeError("period-outside-plan", {
            "label": SpanWords(span),
            "start": date_param(info.start), "end": date_param(info.end)})
    return span


def default_due(plan: Plan, span: Span, as_of: dt.date | None = None) -> dt.date:
    """The day a period's return forms are due back unless `kehoach request --due` says another:
    five working days before the period's end (the plan's days off and the public holidays
    skipped); when that is not after `as_of` (the day the forms are made), five working days
    after it, so a form is never due the day it is made. Without `as_of` (the calendar, ahead of
    time), the first rule alone."""
    from kehoach.base.workdays import next_working_day, previous_working_day

    day = span.end + dt.timedelta(days=1)
    for _ in range(5):
        day = previous_working_day(day, plan)
    if as_of is not None and day <= as_of:
        day = as_of
        for _ in range(5):
            day = next_working_day(day, plan)
    return day
