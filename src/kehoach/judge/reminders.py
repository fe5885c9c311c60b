"""Who is reminded of what (`kehoach remind`): every item overdue, due soon or unreported on a
date, the lead bodies that owe it, and where it goes.

The judgement is `status.compute_status` at the date, the same as `kehoach status`. A lead body
that is not an issuer of the plan gets a letter. An issuer gets a letter from the other issuers
for work they do not lead with it; work the issuers lead themselves (alone or together, or
through their units) goes to the internal list for the standing units: never dropped.
`views.letters` words it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kehoach.judge.status import Status, compute_status
from kehoach.plan.reporters import Reporters

if TYPE_CHECKING:
    from kehoach.judge.status import OccurrenceStatus, TaskStatus
    from kehoach.plan.model import Plan

# what a letter chases: the status codes, in the order the letter lists them
CHASED = (Status.OVERDUE, Status.DUE_SOON, Status.ONGOING_STALE)


@dataclass
class Item:
    """One thing to answer for: a leaf task (or one occurrence of a recurring duty) in a status."""

    status: str  # one of CHASED
    task: TaskStatus
    occurrence: OccurrenceStatus | None = None


@dataclass
class Sent:
    """Where one item went: to a body's letter (`to`), or to the internal list (`to` None) with
    the issuers' bodies that owe it (`owing`)."""

    item: Item
    to: str | None
    owing: tuple[str, ...] = ()


@dataclass
class Reminders:
    """Every item sent, in plan order; grouped by letter and the internal list."""

    sent: list[Sent] = field(default_factory=list)

    @property
    def letters(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {}
        for s in self.sent:
            if s.to is not None:
                out.setdefault(s.to, []).append(s.item)
        return out

    @property
    def internal(self) -> list[Sent]:
        return [s for s in self.sent if s.to is None]


def owing(ts: TaskStatus, occ: OccurrenceStatus | None, status: str) -> list[str]:
    """The lead bodies that owe a chased item: those that have not finished their part of dated
    work, or not reported for continuous work's last review period."""
    if status == Status.ONGOING_STALE:
        return list(ts.stale_leads)
    states = occ.leads if occ is not None else ts.leads
    out = [s.body for s in states if s.done_on is None]
    return out if any(out) else list(ts.node.lead)


def chased(ts: TaskStatus) -> list[Item]:
    """What a leaf task has to answer for."""
    if ts.occurrences:
        return [Item(o.status, ts, o) for o in ts.occurrences if o.status in (Status.OVERDUE, Status.DUE_SOON)]
    return [Item(ts.status, ts)] if ts.status in CHASED else []


def _inside(ident: str, issuers: list[str], reporters: Reporters) -> bool:
    """An issuing body, or a unit of one (its parent chain or its standing role reaches one)."""
    return bool(reporters.acts_for(ident) & set(issuers))


def select_reminders(plan: Plan, as_of: dt.date, soon_days: int = 14) -> Reminders:
    """Every item overdue, due soon or unreported, for each lead body that owes it (groups are
    written to their members), in plan order."""
    reporters = Reporters(plan)
    status = compute_status(plan, as_of, soon_days, reporters=reporters)
    bodies = reporters.bodies
    issuers = list(plan.plan.issuers)
    found = Reminders()
    for ts in status.walk():
        if not ts.node.leaf:
            continue
        for item in chased(ts):
            inside: list[str] = []
            for lead in owing(ts, item.occurrence, item.status):
                for ident in bodies.expand([lead] if lead else list(ts.node.lead)):
                    senders = [i for i in issuers if i != ident]
                    if _inside(ident, issuers, reporters) and (
                            ident not in issuers or not senders or any(s in ts.node.lead for s in senders)):
                        if ident not in inside:
                            inside.append(ident)
                        continue
                    found.sent.append(Sent(item, ident))
            if inside:
                found.sent.append(Sent(item, None, tuple(inside)))
    return found


def default_reply(plan: Plan, as_of: dt.date) -> dt.date:
    """Five working days after the letter."""
    from kehoach.base.workdays import next_working_day

    day = as_of
    for _ in range(5):
        day = next_working_day(day, plan)
    return day


def standing_units(plan: Plan) -> list[str]:
    """The standing units of the plan's issuers (`reporting.standing`; a unit inside another is that
    one's), or the issuers themselves."""
    units = list(dict.fromkeys(u for i in plan.plan.issuers for u in plan.reporting.standing.get(i, [])))
    by_id = {b.id: b for b in plan.bodies}

    def inside(unit: str) -> bool:
        seen, body = set(), by_id.get(unit)
        while body is not None and body.parent and body.parent not in seen:
            if body.parent in units:
                return True
            seen.add(body.parent)
            body = by_id.get(body.parent)
        return False

    return [u for u in units if not inside(u)] or list(plan.plan.issuers)
