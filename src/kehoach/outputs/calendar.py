"""The plan as an RFC 5545 calendar (`kehoach calendar`): one all-day event per
due date, so the deadlines show up in Outlook, Google Calendar or Thunderbird.

Events, in plan order (the dates come from the plan's schedule,
`schedule.build_schedule`, which the non-working-day check reads too):

- a dated deadline of a task or subtask (date, month, quarter, half, 9M, year,
  range), on its due date; a triggered deadline once `triggered_on` is known;
- each occurrence of a recurring duty (`{every: quarter}`), on the end of its
  period (under the plan's `reporting.convention`) plus `days_after`;
- each meeting (`meetings:`), or each occurrence of a recurring one; a meeting
  linked to a task (`task:`) that falls on one of the task's dates is that
  task's event (one event, on the meeting's day, named after the meeting).

Continuous work and undated tasks have no due date and no event.

Every event has a UID derived only from the plan id, the task or meeting id and
the occurrence (`dv-2021.II-5-b.due@kehoach`, `dv-2021.IV-2-a.2021-Q2@kehoach`,
`dv-2021.hn-6-thang.meeting@kehoach`), so importing the file again updates the
events instead of duplicating them; DTSTAMP is the plan's issued date (else
the period start) at 00:00 UTC, so the same plan always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kehoach.base.messages import text
from kehoach.plan.schedule import Due, build_schedule

if TYPE_CHECKING:
    from icalendar import Event

    from kehoach.base.deadlines import Deadline
    from kehoach.plan.bodies import Bodies
    from kehoach.plan.model import Plan, Task

PRODID = "-//kehoach//kehoach//VI"
TZID = "Asia/Ho_Chi_Minh"
UID_DOMAIN = "kehoach"

def build_calendar(plan: Plan, lang: str = "vi", body: str | None = None) -> bytes:
    """The plan's due dates as an iCalendar file (bytes, CRLF lines, UTF-8).

    `body` keeps the items whose task involves that body as lead or support
    (matched without diacritics or case, groups and members included); a
    meeting is kept only if its linked task (`meeting.task`) is. A usage
    error when `body` matches no body.
    """
    from icalendar import Calendar, Timezone

    from kehoach.plan.bodies import Bodies

    bodies = Bodies(plan)
    tasks_by_id = {t.id: t for t, _ in plan.iter_tasks()}
    items = build_schedule(plan).dues()
    if body is not None:
        wanted = set(bodies.require(body))
        items = [i for i in items if _involves(i, bodies, wanted)]

    info = plan.plan
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", _line(info.title))
    cal.add("x-wr-calname", _line(info.title))
    cal.add("x-wr-timezone", TZID)
    dues = [i.day for i in items]
    first = dt.date(min([info.period.start] + dues).year, 1, 1)
    last = dt.date(max([info.period.end] + dues).year + 1, 1, 1)
    cal.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))

    stamp = _dtstamp(plan)
    task_part = _id_parts([t.id for t, _ in plan.iter_tasks()])
    meeting_part = _id_parts([m.id for m in plan.meetings])
    for item in items:
        cal.add_component(_event(item, plan, lang, bodies, stamp, task_part, meeting_part, tasks_by_id))
    return bytes(cal.to_ical())


# ---------------------------------------------------------------- helpers


def _text(value: str) -> str:
    """Plan text for a calendar: no control character (RFC 5545 forbids them); newlines are
    kept for the library to escape."""
    from kehoach.base.text import printable

    return printable(value)


def _line(value: str) -> str:
    """One line of plan text (a summary, the calendar's name)."""
    from kehoach.outputs.render import one_line

    return one_line(_text(value))


def _involves(item: Due, bodies: Bodies, wanted: set[str]) -> bool:
    """A task's date goes with its bodies; a meeting with the task it is linked to (none: left out)."""
    if item.task is None:
        return False
    return bodies.involves(list(item.task.lead) + list(item.task.support), wanted)


def _dtstamp(plan: Plan) -> dt.datetime:
    day = plan.plan.issued or plan.plan.period.start
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _id_parts(ids: list[str]) -> dict[str, str]:
    """Id → its UID part: dots become hyphens (`II.5.b` → `II-5-b`), unless two ids would then meet."""
    folded: dict[str, list[str]] = {}
    for i in ids:
        folded.setdefault(i.replace(".", "-"), []).append(i)
    return {i: (key if len(same) == 1 else i) for key, same in folded.items() for i in same}


def uid_of(item: Due, plan: Plan, task_part: dict[str, str] | None = None,
           meeting_part: dict[str, str] | None = None) -> str:
    """`<plan>.<task>.due`, `<plan>.<task>.<occurrence>`, `<plan>.<meeting>.meeting[-<occurrence>]` @kehoach."""
    if item.kind == "meeting" and item.meeting is not None:
        part = (meeting_part or {}).get(item.meeting.id, item.meeting.id.replace(".", "-"))
        what = "meeting" + (f"-{item.code}" if item.code else "")
    else:
        assert item.task is not None  # every date but a meeting's own is a task's
        part = (task_part or {}).get(item.task.id, item.task.id.replace(".", "-"))
        what = item.code or "due"
    return f"{plan.plan.id}.{part}.{what}@{UID_DOMAIN}"


def summary_of(item: Due, lang: str = "vi") -> str:
    """'Hạn: II.5.b — <title>', 'Hạn: IV.2.a — <title> (quý II năm 2021)', 'Hội nghị: <name>'."""
    from kehoach.base.text import fold
    from kehoach.base.vndates import period_label

    label = f" ({period_label(item.period.key, item.period.year, lang)})" if item.period is not None else ""
    if item.meeting is not None:
        named = item.period is not None and fold(period_label(item.period.key, item.period.year, lang))
        if named and named in fold(item.meeting.name):
            label = ""  # the name says it already
        return f"{text('ics.meeting', lang)}: {item.meeting.name}{label}"
    assert item.task is not None  # every date but a meeting's own is a task's
    return f"{text('ics.due', lang)}: {item.task.id} — {item.task.title}{label}"


def _deadline_line(item: Due, lang: str) -> str:
    from kehoach.base.deadlines import Dated, Triggered
    from kehoach.base.vndates import deadline_text, period_label, short_date

    value: Deadline | None
    if item.kind == "meeting" and item.meeting is not None:
        value = item.meeting.when
    else:
        assert item.task is not None  # every date but a meeting's own is a task's
        value = item.task.deadline
    words = deadline_text(value, lang)
    due = short_date(item.due, lang)
    if item.period is not None:
        words = text("ics.occurrence", lang, text=words, period=period_label(item.period.key, item.period.year, lang),
                     date=due)
    elif isinstance(value, Triggered) and value.triggered_on is not None:
        words = text("ics.event", lang, text=words, event=short_date(value.triggered_on, lang), date=due)
    elif isinstance(value, Dated) and value.kind != "date":
        words = text("ics.due-on", lang, text=words, date=due)
    return f"{text('ics.deadline', lang)}: {words}"


def description_of(item: Due, plan: Plan, lang: str, bodies: Bodies, tasks_by_id: dict[str, Task]) -> str:
    lines = []
    task = item.task
    if item.meeting is not None:
        lines.append(f"{text('ics.meeting', lang)}: {item.meeting.name}")
        if task is not None:
            lines.append(f"{text('ics.tracked', lang)}: {task.id} — {task.title}")
    else:
        assert task is not None  # every date but a meeting's own is a task's
        lines.append(f"{text('ics.task', lang)} {task.id}: {task.title}")
    lines.append(_deadline_line(item, lang))
    if task is not None:
        if task.lead:
            lines.append(f"{text('ics.lead', lang)}: " + "; ".join(bodies.name(b) for b in task.lead))
        if task.support:
            lines.append(f"{text('ics.support', lang)}: " + "; ".join(bodies.name(b) for b in task.support))
    if item.meeting is not None and item.meeting.note:
        lines.append(f"{text('ics.note', lang)}: {item.meeting.note}")
    info = plan.plan
    if info.number:
        lines.append(text("ics.plan-number", lang, type=info.type, number=info.number, title=info.title))
    else:
        lines.append(text("ics.plan", lang, type=info.type, title=info.title))
    return "\n".join(lines)


def _event(item: Due, plan: Plan, lang: str, bodies: Bodies, stamp: dt.datetime, task_part: dict[str, str],
           meeting_part: dict[str, str], tasks_by_id: dict[str, Task]) -> Event:
    from icalendar import Event

    ev = Event()
    ev.add("uid", uid_of(item, plan, task_part, meeting_part))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", item.day)
    ev.add("dtend", item.day + dt.timedelta(days=1))
    ev.add("summary", _line(summary_of(item, lang)))
    ev.add("description", _text(description_of(item, plan, lang, bodies, tasks_by_id)))
    ev.add("categories", ["kehoach", item.kind])
    ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return ev
