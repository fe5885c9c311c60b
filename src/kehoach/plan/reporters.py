"""Who reports for whom: every progress entry belongs to a body, and a task's state
comes from its lead bodies, each on its own.

An entry names its body (`body:`, a catalogue id). It counts for the lead it
belongs to: the lead itself, a unit inside the lead (its `parent` chain reaches
it), a standing unit of the lead (`reporting.standing`: Sở Nội vụ reports for
the Ban Cán sự đảng UBND tỉnh), or a member of a lead group. An entry that
names no body is the leads' joint report (plans written before entries had a
body): it counts for every lead, as it always did. Any other body (a
supporting body, a district, the Front) reports results without moving or
closing the task.

Pure functions over the model; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kehoach.base.numbers import mean_percent
from kehoach.base.records import field, record
from kehoach.plan.bodies import Bodies

if TYPE_CHECKING:
    from kehoach.plan.model import CarriedOver, Plan, Progress, Task
    from kehoach.plan.schedule import Node

JOINT = ""  # the lead key of an entry that names no body: it counts for every lead
NO_LEAD = ""  # the one lead key of a task that names no lead body: every entry counts


class Reporters:
    """The plan's bodies as reporters: whom each body's entries count for."""

    def __init__(self, plan: Plan, bodies: Bodies | None = None):
        self.plan = plan
        self.bodies = bodies or Bodies(plan)
        self.standing_for: dict[str, list[str]] = {}
        for principal, units in plan.reporting.standing.items():
            for unit in units:
                self.standing_for.setdefault(unit, []).append(principal)
        self.default_rule = str(plan.reporting.done_when)
        self._acts: dict[str, frozenset[str]] = {}

    def acts_for(self, body: str) -> frozenset[str]:
        """The bodies whose reports `body`'s are: itself, the bodies it is a unit of (its parent
        chain), and those it is a standing unit of (and theirs)."""
        found = self._acts.get(body)
        if found is not None:
            return found
        out: set[str] = set()
        todo = [body]
        while todo:
            current = todo.pop()
            if current in out:
                continue
            out.add(current)
            known = self.bodies.by_id.get(current)
            if known is not None and known.parent:
                todo.append(known.parent)
            todo.extend(self.standing_for.get(current, []))
        self._acts[body] = frozenset(out)
        return self._acts[body]

    def expand(self, leads: Sequence[str]) -> list[str]:
        """The leads one by one: a lead group ("UBND các huyện") is its members, each leading
        its own part."""
        return self.bodies.expand(leads)

    def lead_of(self, body: str | None, leads: Sequence[str]) -> str | None:
        """The lead an entry of `body` counts for; JOINT for an entry that names no body (it counts
        for all), NO_LEAD when the task names no lead; a lead group's id for the group's own joint
        report (it counts for each member); None when the body leads nothing here (a supporting
        body, or any other)."""
        if not leads:
            return NO_LEAD
        if body is None:
            return JOINT
        acts = self.acts_for(body)
        for lead in leads:
            if lead in acts:
                return lead
        for lead in leads:  # a member of a lead group leads its own part
            group = self.bodies.by_id.get(lead)
            for member in group.members if group is not None else []:
                if member in acts:
                    return member
        return None

    def role(self, body: str, node: Node) -> str:
        """`lead` (the body leads the task, or reports for a lead), `support`, or `other`."""
        if self.lead_of(body, node.lead) not in (None, JOINT):
            return "lead"
        acts = self.acts_for(body)
        for ident in node.support:
            group = self.bodies.by_id.get(ident)
            if ident in acts or (group is not None and acts & set(group.members)):
                return "support"
        return "other"

    def rule(self, node: Node) -> str:
        """`all` or `any`: the task's own `done_when`, else its parent's, else the plan's."""
        current: Node | None = node
        while current is not None:
            if current.task.done_when is not None:
                return str(current.task.done_when)
            current = current.parent
        return self.default_rule


@record(slots=True)
class LeadState:
    """Where one lead body stands on a piece of work (a task, or one occurrence of a duty)."""

    body: str  # the lead's id (NO_LEAD for a task without a lead)
    percent: int = 0  # the highest percent it (or the joint report) gave
    done_on: dt.date | None = None  # the earliest day it reached 100 %
    entries: list[Progress] = field(default_factory=list)  # its entries (and the joint ones), by date

    @property
    def last(self) -> dt.date | None:
        return self.entries[-1].date if self.entries else None


def carried_percent(carried: CarriedOver, lead: str | None) -> int:
    """Where work carried over from last year's plan stood for one lead (its own part, else the
    work's percent) or, without a lead, as a whole: the new plan's reports of it start there."""
    return carried.leads.get(lead, carried.percent) if lead is not None else carried.percent


def by_date(entries: Iterable[Progress]) -> list[Progress]:
    """Entries in date order (stable: entries of one day keep the file's order). The file is
    append-only in the order the mail arrived; every judgement reads it by date."""
    return sorted(entries, key=lambda e: e.date)


def lead_states(entries: list[Progress], node: Node, reporters: Reporters) -> list[LeadState]:
    """Each lead's state from `entries` (by date, as `Node.progress` and `TaskStatus.entries`
    hold them, already cut at the as-of date): a joint entry counts for every lead, a lead
    group's own for each of its members, a lead's own (or its units') for that lead, any other
    body's for none."""
    leads = reporters.expand(node.lead) or [NO_LEAD]
    states = {lead: LeadState(lead) for lead in leads}
    carried = node.task.carried_over
    if carried is not None and node.kind in ("dated", "triggered"):
        # work carried over from last year's plan starts where it stood
        for lead, state in states.items():
            state.percent = carried_percent(carried, lead if lead != NO_LEAD else None)
            if state.percent >= 100:  # this lead's part was done under the old plan: by the day before this one
                state.done_on = reporters.plan.plan.period.start - dt.timedelta(days=1)
    for e in entries:
        owner = reporters.lead_of(e.body, node.lead)
        if owner is None:
            continue
        if owner == JOINT:
            targets = list(states.values())
        elif owner in states:
            targets = [states[owner]]
        else:  # a lead group reporting as a whole
            targets = [states[m] for m in reporters.expand([owner]) if m in states]
        for state in targets:
            state.entries.append(e)
            if e.percent is not None:
                state.percent = max(state.percent, e.percent)
                if e.percent >= 100 and state.done_on is None:
                    state.done_on = e.date
    return list(states.values())


def combined(states: list[LeadState], rule: str) -> tuple[int, dt.date | None]:
    """The task's percent and the day it was done, by the rule: `all` — done when every lead is
    (percent: their mean); `any` — done when one is (percent: the highest)."""
    percents = [s.percent for s in states]
    days = [s.done_on for s in states]
    if rule == "any":
        done = [d for d in days if d is not None]
        return max(percents, default=0), (min(done) if done else None)
    if days and all(d is not None for d in days):
        return 100, max(d for d in days if d is not None)
    return mean_percent(percents), None


def lead_entries(task: Task, body: str | None, leads: Sequence[str], reporters: Reporters) -> list[Progress]:
    """The entries of `task` that count for the lead `body`'s entries count for (its own, its units',
    and the joint ones); all of them when `body` is None."""
    if body is None:
        return list(task.progress)
    owner = reporters.lead_of(body, leads)
    if owner is None:
        return [e for e in task.progress if e.body == body]
    groups = {g for g in leads if owner in reporters.expand([g]) and g != owner}
    return [e for e in task.progress if reporters.lead_of(e.body, leads) in (owner, JOINT, *groups)]


def review_code(entry: Progress, review: str, convention: str) -> str:
    """The review period of continuous work an entry reports on: the one it names
    (`occurrence: 2021-Q3`), else the one holding its date."""
    if entry.occurrence:
        return entry.occurrence.upper()
    return _containing(entry.date, review, convention)


@functools.lru_cache(maxsize=4096)
def _containing(day: dt.date, review: str, convention: str) -> str:
    from kehoach.base.periods import period_containing

    return period_containing(day, review, convention).code


def reported_periods(states: list[LeadState], review: str, convention: str) -> dict[str, set[str]]:
    """For continuous work: the review periods (codes) each lead reported on."""
    return {s.body: {review_code(e, review, convention) for e in s.entries} for s in states}


def last_word(entries: list[Progress], leads: list[LeadState] | None = None) -> Progress | None:
    """The last entry that says where the work stands (a result or a difficulty, not a proposal):
    in the words of the leads that still owe it (all of them when none does); a supporting body's
    result is no lead's word on where the work stands. Without leads, the last of `entries`."""
    if leads:
        owing = [s for s in leads if s.done_on is None] or leads
        entries = by_date({id(e): e for s in owing for e in s.entries}.values())
    return next((e for e in reversed(entries) if e.kind != "proposal"), None)
