"""The plan as an RFC 5545 calendar (`kehoach calendar`): all-day events for the days the
plan names, so they show up in Outlook, Google Calendar or Thunderbird, and a file written
again updates the events a calendar holds instead of duplicating them.

Events (the dates come from the plan's schedule, `schedule.build_schedule`, which status,
the reports and the non-working-day check read too), each with one category in the
language asked (`ics.cat.<kind>`; the kind, machine-readable, in `X-KEHOACH-KIND`):

- `deadline` ("Hạn nhiệm vụ"): a dated deadline of a task or subtask (date, month,
  quarter, half, 9M, year, range) on its due date; a triggered one once `triggered_on`
  is known;
- `report` ("Báo cáo định kỳ"): each occurrence of a recurring duty (`{every: quarter}`),
  on the end of its period (under `reporting.convention`) plus `days_after`;
- `meeting` ("Hội nghị"): each meeting (`meetings:`) or occurrence of a recurring one; a
  meeting linked to a task (`task:`) that falls on one of the task's dates is that date's
  event (one event, on the meeting's day, named after the meeting);
- `review` ("Kỳ rà soát"): the last day of each review period of continuous work (what
  `kehoach remind` chases the day after), one event per day for all the continuous tasks
  whose review period ends then, listed in its description: a plan of 33 tasks reviewed
  quarterly and one monthly gets 12 events a year, not 144;
- `forms` ("Hạn gửi phiếu"): the day the return forms of each period of the reporting
  regime (`reporting.cadences`) are due back by default (`judge.scope.default_due`, the
  rule `kehoach request` applies: five working days before the period's end), one event
  per day (the forms of Q4 and of the year are due the same day).

**A crowded day.** Three or more deadlines, or three or more recurring duties, that fall on
the same day are one event of their kind listing them all (ids, titles, deadlines, bodies):
a plan whose tasks are due "in 2021" puts eleven of them on 31/12, which read as one "Hạn
nhiệm vụ (11): II.2.c, …" beside one "Báo cáo định kỳ (3): …" (16 events that day become
5). One or two keep an event each, with their titles in view. Meetings are never grouped:
each is a gathering with its own name. A group keeps the UID of its first member in plan
order, so the event a calendar holds for that member is updated in place, and every UID
still names one event only; the others' events, in a calendar that imported them, are
cancelled through the previous file (below).

**UIDs** come only from the plan id, the task or meeting id and the occurrence
(`dv-2021.II-5-b.due@kehoach`, `dv-2021.IV-2-a.2021-Q2@kehoach`,
`dv-2021.hn-6-thang.meeting@kehoach`), or for the plan's own events the day or period
(`dv-2021+review.2021-03-31@kehoach`, `dv-2021+forms.2021-Q2@kehoach`; `+` is in no id),
never from the language or the wording.

**Versions.** DTSTAMP is the time of writing (`now`, which the caller reads from the
clock: never this module). Each event carries `X-KEHOACH-FINGERPRINT`, a hash of all it
shows (day, summary, description, category, status, alarm). Given the calendar written
before at the same path (`previous_calendar`), an event whose fingerprint is unchanged
keeps its SEQUENCE and LAST-MODIFIED; a changed one gets SEQUENCE + 1 and LAST-MODIFIED
`now`; a new one SEQUENCE 0 and LAST-MODIFIED `now`. So the same plan written twice gives
the same SEQUENCE and LAST-MODIFIED, and a calendar program that re-imports the file takes
exactly the changed events as updates. An event of the previous file that the plan no
longer gives (a task removed, or absorbed into a group) is kept as `STATUS:CANCELLED`
(SEQUENCE + 1 once), so that re-importing removes it, and carried so in later files —
only when both files cover the same bodies (`--body`, kept in `X-KEHOACH-SCOPE`), so
that writing one body's calendar over the whole plan's cancels nothing. The previous file
is read as untrusted input: at most `KEHOACH_MAX_BYTES`, a damaged file (or one of another
program or another plan, `X-KEHOACH-PLAN`) is treated as absent with a note, and only UIDs
of this plan are followed. Without a previous file (standard output), every event is new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.errors import UsageError
from kehoach.base.messages import text
from kehoach.plan.schedule import Due, build_schedule

if TYPE_CHECKING:
    from icalendar import Component, Event

    from kehoach.base.deadlines import Deadline
    from kehoach.base.periods import ReportPeriod
    from kehoach.plan.bodies import Bodies
    from kehoach.plan.model import Plan
    from kehoach.plan.schedule import Node, Schedule

PRODID = "-//kehoach//kehoach//VI"
TZID = "Asia/Ho_Chi_Minh"
UID_DOMAIN = "kehoach"
PLAN_PROPERTY = "X-KEHOACH-PLAN"  # the plan id: a previous file of another plan is not followed
SCOPE_PROPERTY = "X-KEHOACH-SCOPE"  # the bodies `--body` kept (sorted ids), WHOLE for the whole plan
KIND_PROPERTY = "X-KEHOACH-KIND"
FINGERPRINT_PROPERTY = "X-KEHOACH-FINGERPRINT"
WHOLE = "*"
# each kind of event and its category (words in the catalogues)
CATEGORIES = {"deadline": "ics.cat.deadline", "report": "ics.cat.report", "meeting": "ics.cat.meeting",
              "review": "ics.cat.review", "forms": "ics.cat.forms"}
GROUPED = ("deadline", "report")  # kinds whose events of one day are one event …
GROUP_FROM = 3  # … from this many on: one or two keep an event each, their titles in view
MAX_SEQUENCE = 2**31 - 1  # RFC 5545 integers are 32-bit
MAX_ALARM = dt.timedelta(weeks=52)
SHOWN_IDS = 8  # ids named in a group's one-line summary; all of them are in its description
ALARM_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
_ALARM = re.compile(r"\s*([0-9]{1,4})\s*([hdw])\s*", re.IGNORECASE)
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class Entry:
    """One event, as worded: what its fingerprint covers (but the alarm)."""

    uid: str
    kind: str  # a key of CATEGORIES; "" for a cancelled event carried from the previous file
    day: dt.date
    summary: str
    description: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class Seen:
    """An event of the calendar written before, as far as it could be read (None: unreadable)."""

    sequence: int | None
    modified: dt.datetime | None
    fingerprint: str | None
    cancelled: bool
    day: dt.date | None
    summary: str


@dataclass
class Previous:
    """The calendar written before at the output path: this plan's events, by UID, in file order."""

    plan: str
    scope: str | None  # None: not recorded (a file of an older kehoach that did not say)
    events: dict[str, Seen] = field(default_factory=dict)


def build_calendar(plan: Plan, lang: str = "vi", body: str | None = None, *, now: dt.datetime,
                   previous: Previous | None = None, alarm: dt.timedelta | None = None) -> bytes:
    """The plan's events as an iCalendar file (bytes, CRLF lines, UTF-8).

    `now`: the time of writing (DTSTAMP; LAST-MODIFIED of what is new or changed), read from
    the clock by the caller; a naive value is taken as UTC. `previous`: the calendar written
    before at the same path (`previous_calendar`), whose SEQUENCE and LAST-MODIFIED carry over
    for events that did not change. `alarm`: a reminder this long before each event (VALARM).
    `body` keeps the items whose task involves that body as lead or support (matched without
    diacritics or case, groups and members included); a meeting is kept only if its linked
    task is. A usage error when `body` matches no body.
    """
    from icalendar import Calendar, Timezone

    from kehoach.plan.bodies import Bodies

    stamp = _utc(now)
    bodies = Bodies(plan)
    wanted = set(bodies.require(body)) if body is not None else None
    entries = calendar_entries(plan, lang, bodies, wanted)
    scope = WHOLE if wanted is None else ",".join(sorted(wanted))
    if previous is not None and previous.plan == plan.plan.id and previous.scope == scope:
        entries += _cancelled(previous, {e.uid for e in entries})

    info = plan.plan
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", _line(info.title))
    cal.add("x-wr-calname", _line(info.title))
    cal.add("x-wr-timezone", TZID)
    cal.add(PLAN_PROPERTY, info.id)
    cal.add(SCOPE_PROPERTY, scope)
    days = [e.day for e in entries]
    first = dt.date(min([info.period.start] + days).year, 1, 1)
    last = dt.date(max([info.period.end] + days).year + 1, 1, 1)
    cal.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))
    seen = previous.events if previous is not None and previous.plan == info.id else {}
    for entry in entries:
        cal.add_component(_event(entry, lang, stamp, seen.get(entry.uid), alarm))
    return bytes(cal.to_ical())


def calendar_entries(plan: Plan, lang: str = "vi", bodies: Bodies | None = None,
                     wanted: set[str] | None = None) -> list[Entry]:
    """Every event of the plan, worded, in order: the tasks' and meetings' days in plan order
    (a crowded day's deadlines, or recurring duties, as one event where the first of them
    stands; GROUP_FROM), then the review days, then the forms' days. `wanted`: the bodies
    `--body` keeps."""
    from kehoach.plan.bodies import Bodies

    bodies = bodies or Bodies(plan)
    schedule = build_schedule(plan)
    items = schedule.dues()
    if wanted is not None:
        items = [i for i in items if _involves(i, bodies, wanted)]
    task_part = _id_parts([t.id for t, _ in plan.iter_tasks()])
    meeting_part = _id_parts([m.id for m in plan.meetings])

    runs: list[list[Due]] = []  # each event's items, in the order of its first item
    by_day: dict[tuple[str, dt.date], list[Due]] = {}
    for item in items:
        kind = kind_of(item)
        if kind not in GROUPED:
            runs.append([item])
            continue
        run = by_day.get((kind, item.day))
        if run is None:
            run = by_day[(kind, item.day)] = []
            runs.append(run)
        run.append(item)

    out = []
    for run in runs:
        uid = uid_of(run[0], plan, task_part, meeting_part)
        if len(run) >= GROUP_FROM:
            out.append(_group(uid, run, plan, lang, bodies))
            continue
        for item in run:
            out.append(Entry(uid_of(item, plan, task_part, meeting_part), kind_of(item), item.day,
                             summary_of(item, lang), description_of(item, plan, lang, bodies)))
    leaves = [n for n in schedule.leaves() if wanted is None or bodies.involves(n.lead + n.support, wanted)]
    out += _reviews(schedule, leaves, lang, bodies)
    if leaves or wanted is None:
        out += _forms(plan, lang)
    return out


def previous_calendar(output: str | None, plan: Plan, reads: Sequence[str | Path] = ()
                      ) -> tuple[Previous | None, tuple[str, dict[str, object]] | None]:
    """The calendar written before at `output`, when it is this plan's: (Previous, None). None
    and no note when there is none (standard output, no file yet); None and a note (a message
    key and its parameters) when a file is there that cannot serve: damaged, too large, not
    kehoach's or another plan's calendar (it will be written over, every event new). The
    output path is checked first as the write will check it (never a file read, a folder, a
    device), so that nothing else is read as a calendar."""
    from kehoach.base.files import read_file
    from kehoach.outputs.documents import STDOUT_NAMES, refuse_target

    if output is None or output in STDOUT_NAMES:
        return None, None
    refuse_target(Path(output), list(reads))
    try:
        raw = read_file(output)
    except FileNotFoundError:
        return None, None
    except OSError:  # too large, unreadable: the write says what goes wrong with the file, if anything
        return None, ("ics.previous-unreadable", {"path": output})
    found = parse_previous(raw, plan.plan.id)
    if isinstance(found, str):
        return None, (found, {"path": output, "plan": plan.plan.id})
    return found, None


def parse_previous(raw: bytes, plan_id: str) -> Previous | str:
    """A calendar's bytes as `Previous` for the plan `plan_id`, or why not (a message key):
    `ics.previous-unreadable` (not UTF-8, not iCalendar, damaged), `ics.previous-other` (not
    written by kehoach, or for another plan). A file of an older kehoach, without
    `X-KEHOACH-PLAN`, is this plan's when every event's UID is; it covered the whole plan.
    Events whose UID is not one this plan can give are left out; an event that cannot be read
    whole is kept with what could be (then it counts as changed)."""
    try:
        from icalendar import Calendar

        cal = Calendar.from_ical(raw.decode("utf-8"))
        if not isinstance(cal, Calendar) or cal.name != "VCALENDAR":
            return "ics.previous-unreadable"
        events = cal.walk("VEVENT")
        if str(cal.get("PRODID", "")) != PRODID:
            return "ics.previous-other"
        uids = [str(e.get("UID", "")) for e in events]
        if PLAN_PROPERTY in cal:
            if str(cal[PLAN_PROPERTY]) != plan_id:
                return "ics.previous-other"
            scope = str(cal[SCOPE_PROPERTY]) if SCOPE_PROPERTY in cal else None
        elif all(_ours(u, plan_id) for u in uids):
            scope = WHOLE
        else:
            return "ics.previous-other"
        found = Previous(plan_id, scope)
        for uid, event in zip(uids, events, strict=True):
            if _ours(uid, plan_id) and uid not in found.events:
                found.events[uid] = _seen(event)
        return found
    except Exception:  # a damaged file of any kind is a file not to follow, never a crash
        return "ics.previous-unreadable"


def parse_alarm(value: str, option: str = "--alarm") -> dt.timedelta:
    """`3d`, `12h`, `1w` (days, hours, weeks; up to 52 weeks) as a duration, or a usage error."""
    match = _ALARM.fullmatch(value)
    if match is not None:
        number, unit = int(match.group(1)), match.group(2).lower()
        delta = dt.timedelta(**{ALARM_UNITS[unit]: number})
        if dt.timedelta(0) < delta <= MAX_ALARM:
            return delta
    raise UsageError("bad-alarm-option", {"option": option, "value": value})


# ---------------------------------------------------------------- the events


def kind_of(item: Due) -> str:
    """The event kind of a schedule item: a meeting's day (its own, or a task's it is held on),
    a recurring duty's occurrence, else a task's deadline."""
    if item.meeting is not None:
        return "meeting"
    return "report" if item.kind == "recurring" else "deadline"


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


def description_of(item: Due, plan: Plan, lang: str, bodies: Bodies) -> str:
    lines = []
    if item.meeting is not None:
        lines.append(f"{text('ics.meeting', lang)}: {item.meeting.name}")
        if item.task is not None:
            lines.append(f"{text('ics.tracked', lang)}: {item.task.id} — {item.task.title}")
    else:
        assert item.task is not None  # every date but a meeting's own is a task's
        lines.append(f"{text('ics.task', lang)} {item.task.id}: {item.task.title}")
    lines.append(_deadline_line(item, lang))
    if item.task is not None:
        lines += _bodies_lines(item.task.lead, item.task.support, lang, bodies)
    if item.meeting is not None and item.meeting.note:
        lines.append(f"{text('ics.note', lang)}: {item.meeting.note}")
    lines.append(_plan_line(plan, lang))
    return "\n".join(lines)


def _group(uid: str, run: list[Due], plan: Plan, lang: str, bodies: Bodies) -> Entry:
    """The deadlines (or recurring duties) of one day, as one event listing them."""
    from kehoach.base.vndates import period_label, short_date

    kind, day = kind_of(run[0]), run[0].day
    ids = [i.task.id for i in run if i.task is not None]
    shown = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
    summary = text("ics.group", lang, category=text(CATEGORIES[kind], lang), n=len(run), ids=shown)
    lines = [text("ics.group-intro", lang, n=len(run), date=short_date(day, lang))]
    for item in run:
        assert item.task is not None  # a meeting is never grouped: every grouped date is a task's
        label = f" ({period_label(item.period.key, item.period.year, lang)})" if item.period is not None else ""
        lines.append(f"- {item.task.id} — {item.task.title}{label}")
        lines += ["  " + line for line in [_deadline_line(item, lang),
                                           *_bodies_lines(item.task.lead, item.task.support, lang, bodies)]]
    lines.append(_plan_line(plan, lang))
    return Entry(uid, kind, day, summary, "\n".join(lines))


def _reviews(schedule: Schedule, leaves: list[Node], lang: str, bodies: Bodies) -> list[Entry]:
    """One event on the last day of each review period of continuous work, for all the tasks
    whose period ends that day (a monthly and a quarterly review meet at a quarter's end)."""
    from kehoach.base.deadlines import Continuous
    from kehoach.base.periods import occurrences
    from kehoach.base.vndates import deadline_text

    plan = schedule.plan
    start, end = plan.plan.period.start, plan.plan.period.end
    by_day: dict[dt.date, list[tuple[Node, ReportPeriod]]] = {}
    for node in leaves:
        if isinstance(node.deadline, Continuous):
            for p in occurrences(node.deadline.review, None, start, end, plan.convention):
                by_day.setdefault(p.end, []).append((node, p))
    out = []
    for day in sorted(by_day):
        members = by_day[day]
        named = _periods_words({(p.key, p.year): p for _, p in members}.values(), lang)
        tasks = list(dict.fromkeys(node for node, _ in members))
        lines = [text("ics.review-intro", lang, periods=named)]
        for node in tasks:
            lines.append(f"- {node.id} — {node.task.title} ({deadline_text(node.deadline, lang)})")
            lines += ["  " + line for line in _bodies_lines(node.lead, node.support, lang, bodies)]
        lines.append(_plan_line(plan, lang))
        summary = text("ics.review", lang, category=text(CATEGORIES["review"], lang), periods=named, n=len(tasks))
        out.append(Entry(f"{plan.plan.id}+review.{day.isoformat()}@{UID_DOMAIN}", "review", day, summary,
                         "\n".join(lines)))
    return out


def _forms(plan: Plan, lang: str) -> list[Entry]:
    """The day the return forms of each period of the reporting regime are due back by default;
    periods that end the same day (Q4 and the year) share it."""
    from kehoach.base.periods import Span, occurrences
    from kehoach.base.vndates import short_date
    from kehoach.judge.scope import default_due

    start, end = plan.plan.period.start, plan.plan.period.end
    by_end: dict[dt.date, dict[str, ReportPeriod]] = {}
    for cadence in plan.reporting.cadences:
        if cadence.every is not None:
            for p in occurrences(str(cadence.every), list(cadence.periods or []) or None, start, end,
                                 plan.convention):
                by_end.setdefault(p.end, {}).setdefault(p.code, p)
    out = []
    for last in sorted(by_end):
        periods = sorted(by_end[last].values(), key=lambda p: p.start, reverse=True)  # the shortest first
        day = default_due(plan, Span.of(periods[0]))
        named = _periods_words(periods, lang)
        lines = [text("ics.forms-intro", lang, periods=named, end=short_date(last, lang))]
        lines += [text("ics.forms-command", lang, command=f"kehoach request --period {p.code}") for p in periods]
        lines.append(_plan_line(plan, lang))
        out.append(Entry(f"{plan.plan.id}+forms.{periods[0].code}@{UID_DOMAIN}", "forms", day,
                         f"{text(CATEGORIES['forms'], lang)}: {named}", "\n".join(lines)))
    return out


def _cancelled(previous: Previous, current: set[str]) -> list[Entry]:
    """The previous file's events the plan no longer gives, as cancelled events (so that a
    calendar re-importing the file removes them), in the previous file's order."""
    return [Entry(uid, "", seen.day, seen.summary, cancelled=True)
            for uid, seen in previous.events.items() if uid not in current and seen.day is not None]


def _event(entry: Entry, lang: str, stamp: dt.datetime, seen: Seen | None, alarm: dt.timedelta | None) -> Event:
    from icalendar import Alarm, Event

    summary = _line(entry.summary)
    description = _text(entry.description)
    category = text(CATEGORIES[entry.kind], lang) if entry.kind else ""
    with_alarm = alarm if alarm is not None and not entry.cancelled else None
    fingerprint = _fingerprint(entry, summary, description, category, with_alarm)
    sequence, modified = _version(seen, fingerprint, stamp)
    ev = Event()
    ev.add("uid", entry.uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", entry.day)
    ev.add("dtend", entry.day + dt.timedelta(days=1))
    ev.add("summary", summary)
    if description:
        ev.add("description", description)
    if category:
        ev.add("categories", [category])
    if entry.cancelled:
        ev.add("status", "CANCELLED")
    ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    ev.add("sequence", sequence)
    ev.add("last-modified", modified)
    if entry.kind:
        ev.add(KIND_PROPERTY, entry.kind)
    ev.add(FINGERPRINT_PROPERTY, fingerprint)
    if with_alarm is not None:
        bell = Alarm()
        bell.add("action", "DISPLAY")
        bell.add("description", summary)
        bell.add("trigger", -with_alarm)
        ev.add_component(bell)
    return ev


def _fingerprint(entry: Entry, summary: str, description: str, category: str, alarm: dt.timedelta | None) -> str:
    """What the event shows, hashed: any change to it is a new version of the event."""
    shown = [entry.uid, entry.kind, entry.day.isoformat(), summary, description, category, entry.cancelled,
             int(alarm.total_seconds()) if alarm is not None else None]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _version(seen: Seen | None, fingerprint: str, now: dt.datetime) -> tuple[int, dt.datetime]:
    """SEQUENCE and LAST-MODIFIED: the previous ones when the event is as it was, else one more
    and now; 0 and now for an event the previous file did not have."""
    if seen is None:
        return 0, now
    if seen.sequence is not None and seen.modified is not None and seen.fingerprint == fingerprint:
        return seen.sequence, seen.modified
    return min((seen.sequence or 0) + 1, MAX_SEQUENCE), now


# ---------------------------------------------------------------- the previous file, read


def _ours(uid: str, plan_id: str) -> bool:
    """A UID this plan can give (`build_calendar`): never one of another plan's."""
    pattern = rf"{re.escape(plan_id)}(?:\.[A-Za-z0-9._-]+|\+(?:review|forms)\.[A-Za-z0-9-]+)@{UID_DOMAIN}"
    return len(uid) <= 400 and re.fullmatch(pattern, uid) is not None


def _seen(event: Component) -> Seen:
    """What an event of the previous file says of its version; each property read on its own,
    None where it cannot be."""

    def read(name: str) -> Any:
        try:
            return event.decoded(name) if name in event else None
        except Exception:  # a damaged property is one not known
            return None

    sequence = read("SEQUENCE")
    if "SEQUENCE" not in event:
        sequence = 0  # RFC 5545: absent is 0 (a file of an older kehoach)
    elif not isinstance(sequence, int) or isinstance(sequence, bool) or not 0 <= sequence <= MAX_SEQUENCE:
        sequence = None
    modified = read("LAST-MODIFIED")
    if not isinstance(modified, dt.datetime) or modified.tzinfo is None:
        modified = None
    else:
        modified = modified.astimezone(dt.UTC)
    fingerprint = str(event.get(FINGERPRINT_PROPERTY, ""))
    day = read("DTSTART")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        day = None
    summary = _line(str(event.get("SUMMARY", "")))[:500]
    return Seen(sequence, modified, fingerprint if _FINGERPRINT.fullmatch(fingerprint) else None,
                str(event.get("STATUS", "")).upper() == "CANCELLED", day, summary)


# ---------------------------------------------------------------- words


def _text(value: str) -> str:
    """Plan text for a calendar: no control character (RFC 5545 forbids them); newlines are
    kept for the library to escape."""
    from kehoach.base.text import printable

    return printable(value)


def _line(value: str) -> str:
    """One line of plan text (a summary, the calendar's name)."""
    from kehoach.outputs.render import one_line

    return one_line(_text(value))


def _utc(now: dt.datetime) -> dt.datetime:
    """The time of writing in UTC to the second (RFC 5545 wants DTSTAMP in UTC); naive is UTC."""
    now = now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)
    return now.replace(microsecond=0)


def _involves(item: Due, bodies: Bodies, wanted: set[str]) -> bool:
    """A task's date goes with its bodies; a meeting with the task it is linked to (none: left out)."""
    if item.task is None:
        return False
    return bodies.involves(list(item.task.lead) + list(item.task.support), wanted)


def _id_parts(ids: list[str]) -> dict[str, str]:
    """Id → its UID part: dots become hyphens (`II.5.b` → `II-5-b`), unless two ids would then meet."""
    folded: dict[str, list[str]] = {}
    for i in ids:
        folded.setdefault(i.replace(".", "-"), []).append(i)
    return {i: (key if len(same) == 1 else i) for key, same in folded.items() for i in same}


def _periods_words(periods: Any, lang: str) -> str:
    """'quý I năm 2021, tháng 3 năm 2021': the periods in words, the longest first."""
    from kehoach.base.vndates import period_label

    ordered = sorted(periods, key=lambda p: (p.start, -p.end.toordinal()))
    return ", ".join(period_label(p.key, p.year, lang) for p in ordered)


def _bodies_lines(lead: Sequence[str], support: Sequence[str], lang: str, bodies: Bodies) -> list[str]:
    lines = []
    if lead:
        lines.append(f"{text('ics.lead', lang)}: " + "; ".join(bodies.name(b) for b in lead))
    if support:
        lines.append(f"{text('ics.support', lang)}: " + "; ".join(bodies.name(b) for b in support))
    return lines


def _plan_line(plan: Plan, lang: str) -> str:
    info = plan.plan
    if info.number:
        return text("ics.plan-number", lang, type=info.type, number=info.number, title=info.title)
    return text("ics.plan", lang, type=info.type, title=info.title)


def _deadline_line(item: Due, lang: str) -> str:
    from kehoach.base.deadlines import Dated, Triggered
    from kehoach.base.vndates import deadline_text, period_label, short_date

    value: Deadline | None
    happened = False
    if item.kind == "meeting" and item.meeting is not None:
        value = item.meeting.when
    else:
        assert item.task is not None  # every date but a meeting's own is a task's
        value = item.task.deadline
    if isinstance(value, Triggered) and value.triggered_on is not None:  # its event and due date said below
        value = Triggered(value.after, value.within_days)
        happened = True
    words = deadline_text(value, lang)
    due = short_date(item.due, lang)
    if item.period is not None:
        words = text("ics.occurrence", lang, text=words, period=period_label(item.period.key, item.period.year, lang),
                     date=due)
    elif happened and item.task is not None and isinstance(item.task.deadline, Triggered):
        on = item.task.deadline.triggered_on
        words = text("ics.event", lang, text=words, event=short_date(on, lang) if on else "", date=due)
    elif isinstance(value, Dated) and value.kind != "date":
        words = text("ics.due-on", lang, text=words, date=due)
    return f"{text('ics.deadline', lang)}: {words}"
