"""Tests of `kehoach calendar` (src/kehoach/outputs/calendar.py): all-day events for every
dated deadline, recurring duty, meeting, review period of continuous work and forms' return
day; a crowded day's deadlines as one event; stable UIDs; DTSTAMP the time of writing, and
SEQUENCE / LAST-MODIFIED that change exactly when an event does, so that importing the file
again updates and never duplicates.

Expected events are counted from the plan model here, without the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from icalendar import Calendar

from kehoach import api
from kehoach.base import periods
from kehoach.base.errors import UsageError
from kehoach.cli.app import main
from kehoach.outputs.calendar import (
    FINGERPRINT_PROPERTY,
    build_calendar,
    parse_alarm,
    parse_previous,
    previous_calendar,
)
from kehoach.plan.loader import load_plan, load_text

ROOT = Path(__file__).resolve().parent.parent
PLAN_2021 = ROOT / "plans" / "2021.yaml"
DEMO = ROOT / "examples" / "demo.yaml"
NOW = dt.datetime(2021, 7, 1, 8, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2021, 7, 2, 9, 0, tzinfo=dt.UTC)
KINDS = ("deadline", "report", "meeting", "review", "forms")


# ---------------------------------------------------------------- helpers


def loaded_plan(path: Path):
    loaded = load_plan(path)
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    return loaded.plan


def plan_from(text: str):
    loaded = load_text(textwrap.dedent(text), "test.yaml")
    errors = [d.message("en") for d in loaded.diagnostics if d.severity == "error"]
    assert loaded.plan is not None and not errors, errors
    return loaded.plan


def ics(plan, lang="vi", body=None, now=NOW, previous=None, alarm=None) -> bytes:
    return build_calendar(plan, lang, body, now=now, previous=previous, alarm=alarm)


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def by_uid(data: bytes) -> dict:
    return {str(e["uid"]): e for e in events(data)}


def kind(event) -> str:
    return str(event["x-kehoach-kind"])


def version(event) -> tuple[int, dt.datetime]:
    return int(event["sequence"]), event.decoded("last-modified")


def again(plan, first: bytes, **kw) -> bytes:
    """The calendar written again at the path where `first` was."""
    previous = parse_previous(first, plan.plan.id)
    assert not isinstance(previous, str), previous
    return ics(plan, previous=previous, **kw)


def expected_count(plan) -> dict[str, int]:
    """Events the plan should give, from the model's typed deadlines: a meeting linked to a task
    (`task:`) that falls on one of the task's dates is that date's event (a meeting); deadlines
    (dated or triggered), and recurring duties, three or more on one day are one event; one
    review event per day a review period of continuous work ends; one forms event per period
    end of the reporting regime."""
    from kehoach.base.deadlines import Continuous, Dated, Recurring, Triggered

    start, end = plan.plan.period.start, plan.plan.period.end
    conv = plan.reporting.convention.value

    def dates(value) -> list[tuple[str, dt.date, dt.date]]:  # (kind, window start, due)
        if isinstance(value, Dated):
            return [("deadline", value.start, value.end)]
        if isinstance(value, Recurring):
            shift = dt.timedelta(days=value.days_after)
            return [("report", p.start, p.end + shift)
                    for p in periods.occurrences(value.every, list(value.periods or []) or None, start, end, conv)]
        if isinstance(value, Triggered) and value.triggered_on is not None:
            return [("deadline", value.triggered_on, value.triggered_on + dt.timedelta(days=value.within_days or 0))]
        return []

    items: dict[str, list[list]] = {}  # task id → [kind, start, due] for each date
    leaves = []

    def walk(tasks):
        for t in tasks:
            items[t.id] = [list(d) for d in dates(t.deadline)]
            if t.subtasks:
                walk(t.subtasks)
            else:
                leaves.append(t)

    walk(plan.tasks)
    own_meetings = 0
    for m in plan.meetings:
        for _, _, day in dates(m.when):
            held = next((d for d in items.get(m.task or "", []) if d[0] != "meeting" and
                         (d[2] == day or d[1] <= day <= d[2])), None) if m.task else None
            if held is None:
                own_meetings += 1
            else:
                held[0] = "meeting"
    out = dict.fromkeys(KINDS, 0)
    per_day: dict[tuple[str, dt.date], int] = {}
    for dues in items.values():
        for k, _, day in dues:
            if k == "meeting":
                out["meeting"] += 1
            else:
                per_day[(k, day)] = per_day.get((k, day), 0) + 1
    for (k, _), n in per_day.items():
        out[k] += 1 if n >= 3 else n
    out["meeting"] += own_meetings
    out["review"] = len({p.end for t in leaves if isinstance(t.deadline, Continuous)
                         for p in periods.occurrences(t.deadline.review, None, start, end, conv)})
    out["forms"] = len({p.end for c in plan.reporting.cadences if c.every is not None
                        for p in periods.occurrences(str(c.every), c.periods, start, end, conv)})
    return out


def run_cli(capsysbinary, monkeypatch, *args) -> tuple[int, bytes, str]:
    monkeypatch.delenv("KEHOACH_LANG", raising=False)
    capsysbinary.readouterr()
    code = main(["calendar", *(str(a) for a in args)])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode("utf-8")


def without_stamps(data: bytes) -> bytes:
    """The calendar without what the time of writing decides (DTSTAMP, LAST-MODIFIED)."""
    return re.sub(rb"(?m)^(DTSTAMP|LAST-MODIFIED):\d{8}T\d{6}Z\r\n", b"", data)


SMALL = """\
plan:
  id: small
  title: Kế hoạch nhỏ
  issued: 2021-01-15
  issuers: [a]
  period: {{start: 2021-01-01, end: 2021-12-31}}
reporting: {{convention: {convention}}}
bodies:
  - {{id: a, name: Ban Dân vận Tỉnh ủy, short: BDVTU, kind: party}}
  - {{id: b, name: Sở Nội vụ, kind: state}}
  - {{id: c, name: Sở Tài chính, kind: state}}
tasks:
  - id: q
    title: Báo cáo quý
    lead: [a]
    deadline: {{every: quarter, days_after: {days_after}}}
  - id: d
    title: Ban hành quy chế
    lead: [b]
    deadline: 2021-07
  - id: k
    title: Thường xuyên
    lead: [c]
    deadline: {{continuous: true, review: quarter}}
  - id: w
    title: Chờ phê duyệt
    lead: [c]
    deadline: {{after: Ban Thường vụ phê duyệt}}
  - id: u
    title: Không ghi hạn
    lead: [c]
  - id: h
    title: Tổ chức hội nghị định kỳ
    lead: [a]
    deadline: {{every: half}}
meetings:
  - id: hn
    name: Hội nghị định kỳ
    when: {{every: half}}
    task: h
  - id: hn2
    name: Hội nghị không gắn nhiệm vụ
    when: 2021-11
"""


def small(convention="calendar", days_after=0):
    return plan_from(SMALL.format(convention=convention, days_after=days_after))


CROWDED = """\
plan: {id: p, title: Kế hoạch đông, issuers: [a], period: {start: 2021-01-01, end: 2021-12-31}}
reporting:
  cadences:
    - {id: quy, name: Báo cáo quý, every: quarter}
    - {id: nam, name: Báo cáo năm, every: year}
bodies:
  - {id: a, name: Ban Dân vận Tỉnh ủy, kind: party}
  - {id: b, name: Sở Nội vụ, kind: state}
tasks:
  - {id: t1, title: Việc một, lead: [a], deadline: 2021}
  - {id: t2, title: Việc hai, lead: [b], deadline: 2021}
  - {id: t3, title: Việc ba, lead: [a], deadline: 2021-12-31}
  - {id: t4, title: Việc bốn, lead: [a], deadline: 2021-10-15}
  - {id: t5, title: Việc năm, lead: [b], deadline: 2021-11-20}
"""


def crowded(text: str = CROWDED):
    return plan_from(text)


# ---------------------------------------------------------------- the real plans


@pytest.fixture(scope="module")
def plan2021():
    return loaded_plan(PLAN_2021)


@pytest.fixture(scope="module")
def demo():
    return loaded_plan(DEMO)


@pytest.mark.parametrize("which", ["plan2021", "demo"])
def test_the_events_the_model_gives(which, request):
    plan = request.getfixturevalue(which)
    evs = events(ics(plan))
    expected = expected_count(plan)
    kinds = dict.fromkeys(KINDS, 0)
    for e in evs:
        kinds[kind(e)] += 1
    assert kinds == expected
    assert len(evs) == sum(expected.values())


@pytest.mark.parametrize("which", ["plan2021", "demo"])
def test_every_event_parses_with_dtstamp_uid_and_sequence(which, request):
    plan = request.getfixturevalue(which)
    for e in events(ics(plan)):
        assert e.decoded("dtstamp") == NOW
        assert str(e["uid"]).endswith("@kehoach")
        assert int(e["sequence"]) == 0
        assert e.decoded("last-modified") == NOW
        assert re.fullmatch(r"[0-9a-f]{16}", str(e[FINGERPRINT_PROPERTY]))


def test_counts_of_the_2021_plan(plan2021):
    """22 events before (16 of them on 31/12); now 24: the 11 deadlines "in 2021" are one event, the
    three reports of 30/6 and of 31/12 one each; the three conferences are their tasks' events; 12
    review days (33 tasks reviewed quarterly and one monthly), 4 forms' days; 31/12 holds 5."""
    assert expected_count(plan2021) == {"deadline": 1, "report": 4, "meeting": 3, "review": 12, "forms": 4}
    evs = events(ics(plan2021))
    assert len(evs) == 24
    assert sum(e.decoded("dtstart") == dt.date(2021, 12, 31) for e in evs) == 5
    got = by_uid(ics(plan2021))
    assert str(got["dv-2021.IV-4-c.due@kehoach"]["summary"]) == (
        "Hội nghị: Hội nghị tổng kết năm về triển khai thực hiện Kế hoạch phối hợp")
    assert str(got["dv-2021.IV-4-a.2021-H1@kehoach"]["summary"]) == (
        "Hội nghị: Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp 6 tháng đầu năm 2021")
    assert str(got["dv-2021.IV-4-a.2021-H2@kehoach"]["summary"]).startswith(
        "Hội nghị: Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp cuối năm 2021")


@pytest.mark.parametrize("which", ["plan2021", "demo"])
def test_uids_unique_and_stable(which, request):
    """Two runs at one time give the same bytes; the language changes the words, never the UIDs."""
    plan = request.getfixturevalue(which)
    first, second = ics(plan), ics(plan)
    assert first == second
    uids = [str(e["uid"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    assert set(by_uid(ics(plan, "en"))) == set(uids)


def test_uids_that_existed_before_are_kept(plan2021):
    """The events a user imported from an earlier kehoach keep their UIDs (those of a day's first
    deadline or report now name that day's group)."""
    uids = set(by_uid(ics(plan2021)))
    for kept in ("dv-2021.IV-2-a.2021-Q1@kehoach", "dv-2021.IV-2-a.2021-Q3@kehoach",
                 "dv-2021.IV-1-b.2021-H1@kehoach", "dv-2021.IV-1-b.2021-H2@kehoach",
                 "dv-2021.II-2-c.due@kehoach", "dv-2021.IV-4-a.2021-H1@kehoach",
                 "dv-2021.IV-4-a.2021-H2@kehoach", "dv-2021.IV-4-c.due@kehoach"):
        assert kept in uids
    assert not any(".meeting" in u for u in uids)  # every meeting is its task's event


def test_quarterly_report_on_the_quarter_end(plan2021):
    """Calendar convention: the Q3 occurrence of the quarterly report is due 30/09/2021."""
    event = by_uid(ics(plan2021))["dv-2021.IV-2-a.2021-Q3@kehoach"]
    assert event.decoded("dtstart") == dt.date(2021, 9, 30)
    assert event.decoded("dtend") == dt.date(2021, 10, 1)
    assert "quý III năm 2021" in str(event["summary"])
    assert str(event["summary"]).startswith("Hạn: IV.2.a — ")


def test_every_start_is_a_date_and_ends_next_day(plan2021, demo):
    for plan in (plan2021, demo):
        for e in events(ics(plan)):
            start, end = e.decoded("dtstart"), e.decoded("dtend")
            assert type(start) is dt.date and type(end) is dt.date
            assert end == start + dt.timedelta(days=1)
            assert e["dtstart"].params.get("VALUE") == "DATE"


def test_calendar_properties(plan2021):
    data = ics(plan2021)
    cal = Calendar.from_ical(data)
    assert str(cal["prodid"]) == "-//kehoach//kehoach//VI"
    assert str(cal["version"]) == "2.0"
    assert str(cal["calscale"]) == "GREGORIAN"
    assert str(cal["x-wr-calname"]) == plan2021.plan.title
    assert str(cal["x-wr-timezone"]) == "Asia/Ho_Chi_Minh"
    assert str(cal["x-kehoach-plan"]) == "dv-2021"
    assert str(cal["x-kehoach-scope"]) == "*"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")


def test_description_names_deadline_bodies_and_plan(plan2021):
    event = by_uid(ics(plan2021))["dv-2021.IV-2-a.2021-Q3@kehoach"]
    text = str(event["description"])
    assert "Thời hạn: hằng quý" in text
    assert "Ban Dân vận Tỉnh ủy" in text
    assert plan2021.plan.title in text
    en = by_uid(ics(plan2021, "en"))["dv-2021.IV-2-a.2021-Q3@kehoach"]
    assert str(en["summary"]).startswith("Due: IV.2.a — ")
    assert "Q3 2021" in str(en["summary"])
    assert "Deadline: quarterly" in str(en["description"])


def test_untriggered_tasks_have_no_event(plan2021):
    evs = events(ics(plan2021))
    assert not any(".IV-3-b." in str(e["uid"]) for e in evs)  # triggered, event not yet happened
    assert not any("IV.3.b" in str(e.get("description", "")) for e in evs)


def test_triggered_deadline_once_the_event_is_known(demo):
    event = by_uid(ics(demo))["dv-demo-2021.III-2-b.due@kehoach"]
    assert event.decoded("dtstart") == dt.date(2021, 5, 10) + dt.timedelta(days=60)
    assert kind(event) == "deadline"


# ---------------------------------------------------------------- categories


def test_categories_in_the_language_asked(plan2021):
    def words(lang):
        return {kind(e): [str(c) for c in e["categories"].cats] for e in events(ics(plan2021, lang))}

    assert words("vi") == {"deadline": ["Hạn nhiệm vụ"], "report": ["Báo cáo định kỳ"], "meeting": ["Hội nghị"],
                           "review": ["Kỳ rà soát"], "forms": ["Hạn gửi phiếu"]}
    assert words("en") == {"deadline": ["Task deadlines"], "report": ["Periodic reports"],
                           "meeting": ["Conferences"], "review": ["Review periods"], "forms": ["Return forms due"]}
    assert b"CATEGORIES:kehoach" not in ics(plan2021) and b"dated" not in ics(plan2021)


# ---------------------------------------------------------------- a crowded day


def test_the_crowded_year_end_of_2021(plan2021):
    """15 events on 31/12 were: 10 deadlines, 3 reports, 2 conferences. Now one deadline event
    listing the 10, one report event listing the 3, the 2 conferences, the review day."""
    evs = [e for e in events(ics(plan2021)) if e.decoded("dtstart") == dt.date(2021, 12, 31)]
    assert sorted(kind(e) for e in evs) == ["deadline", "meeting", "meeting", "report", "review"]
    group = next(e for e in evs if kind(e) == "deadline")
    assert str(group["uid"]) == "dv-2021.II-2-c.due@kehoach"  # the first one's, in plan order
    assert str(group["summary"]).startswith("Hạn nhiệm vụ (10): II.2.c, II.5.e, ")
    text = str(group["description"])
    from kehoach.base.deadlines import Dated

    conferences = {m.task for m in plan2021.meetings}  # IV.4.c is the year-end conference's event
    year_end = [t for t, _ in plan2021.iter_tasks() if t.id not in conferences
                and isinstance(t.deadline, Dated) and t.deadline.end == dt.date(2021, 12, 31)]
    assert len(year_end) == 10
    for task in year_end:
        assert f"- {task.id} — {task.title}" in text
    assert text.startswith("10 việc cùng hạn ngày 31/12/2021:")
    reports = next(e for e in evs if kind(e) == "report")
    assert str(reports["summary"]) == "Báo cáo định kỳ (3): IV.1.b, IV.2.a, IV.2.c"
    assert "- IV.2.a — Thông tin, báo cáo hai chiều hằng quý (quý IV năm 2021)" in str(reports["description"])


def test_one_or_two_on_a_day_keep_their_own_events():
    plan = crowded()
    got = by_uid(ics(plan))
    assert str(got["p.t4.due@kehoach"]["summary"]) == "Hạn: t4 — Việc bốn"
    group = got["p.t1.due@kehoach"]
    assert str(group["summary"]) == "Hạn nhiệm vụ (3): t1, t2, t3"
    assert "p.t2.due@kehoach" not in got and "p.t3.due@kehoach" not in got
    two = crowded(CROWDED.replace("deadline: 2021-12-31", "deadline: 2021-10-15"))
    got = by_uid(ics(two))
    assert {"p.t1.due@kehoach", "p.t2.due@kehoach", "p.t3.due@kehoach"} <= set(got)
    assert str(got["p.t3.due@kehoach"]["summary"]) == "Hạn: t3 — Việc ba"


def test_a_long_group_names_its_first_ids_and_lists_all():
    tasks = "".join(f"  - {{id: g{i:02d}, title: Việc {i}, lead: [a], deadline: 2021-06}}\n" for i in range(12))
    plan = plan_from("plan: {id: p, title: T, issuers: [a], period: {start: 2021-01-01, end: 2021-12-31}}\n"
                     "bodies: [{id: a, name: A, kind: party}]\ntasks:\n" + tasks)
    (event,) = events(ics(plan))
    assert str(event["summary"]) == "Hạn nhiệm vụ (12): g00, g01, g02, g03, g04, g05, g06, g07, …"
    assert all(f"- g{i:02d} — Việc {i}" in str(event["description"]) for i in range(12))


# ---------------------------------------------------------------- review periods and forms


def test_review_periods_of_continuous_work():
    """Task k is reviewed quarterly: one event on each quarter's last day, listing it."""
    got = {u: e for u, e in by_uid(ics(small())).items() if kind(e) == "review"}
    assert {u: e.decoded("dtstart") for u, e in got.items()} == {
        "small+review.2021-03-31@kehoach": dt.date(2021, 3, 31),
        "small+review.2021-06-30@kehoach": dt.date(2021, 6, 30),
        "small+review.2021-09-30@kehoach": dt.date(2021, 9, 30),
        "small+review.2021-12-31@kehoach": dt.date(2021, 12, 31),
    }
    event = got["small+review.2021-06-30@kehoach"]
    assert str(event["summary"]) == "Kỳ rà soát: quý II năm 2021 (1 việc thường xuyên)"
    assert "- k — Thường xuyên (" in str(event["description"])
    assert "Chủ trì: Sở Tài chính" in str(event["description"])
    # under nd09, the quarter ends on the 14th
    nd09 = {e.decoded("dtstart") for e in events(ics(small("nd09"))) if kind(e) == "review"}
    assert dt.date(2021, 6, 14) in nd09


def test_review_events_are_one_a_day_not_one_a_task(plan2021):
    """36 continuous tasks, 35 quarterly and one monthly: 12 events, not 4 × 35 + 12."""
    reviews = [e for e in events(ics(plan2021)) if kind(e) == "review"]
    assert len(reviews) == 12
    march = next(e for e in reviews if e.decoded("dtstart") == dt.date(2021, 3, 31))
    assert str(march["summary"]) == "Kỳ rà soát: quý I năm 2021, tháng 3 năm 2021 (36 việc thường xuyên)"
    assert str(march["description"]).count("\n- ") == 36


def test_review_events_follow_body(plan2021):
    narrowed = [e for e in events(ics(plan2021, body="so noi vu")) if kind(e) == "review"]
    whole = {str(e["uid"]): e for e in events(ics(plan2021)) if kind(e) == "review"}
    assert narrowed
    for e in narrowed:
        assert str(e["description"]).count("\n- ") <= str(whole[str(e["uid"])]["description"]).count("\n- ")
    assert not [e for e in events(ics(small(), body="so noi vu")) if kind(e) == "review"]


def test_forms_return_days_are_request_s_default(plan2021):
    """The forms of each period of the reporting regime are due five working days before its end
    (`kehoach request`'s default, one rule in judge.scope); Q4 and the year share a day."""
    from kehoach.base.periods import Span, report_period
    from kehoach.judge.scope import default_due
    from kehoach.life import forms

    assert forms.default_due is default_due  # request applies the very rule the calendar shows
    got = {str(e["uid"]): e for e in events(ics(plan2021)) if kind(e) == "forms"}
    assert {u: e.decoded("dtstart") for u, e in got.items()} == {
        "dv-2021+forms.2021-Q1@kehoach": dt.date(2021, 3, 25),
        "dv-2021+forms.2021-Q2@kehoach": dt.date(2021, 6, 24),
        "dv-2021+forms.2021-Q3@kehoach": dt.date(2021, 9, 24),
        "dv-2021+forms.2021-Q4@kehoach": dt.date(2021, 12, 27),
    }
    for key in ("Q1", "Q2", "H1", "Q3", "Q4", "Y"):
        span = Span.of(report_period(key, 2021, "calendar"))
        assert default_due(plan2021, span) in {e.decoded("dtstart") for e in got.values()}
        assert default_due(plan2021, span, dt.date(2021, 1, 1)) == default_due(plan2021, span)
    q4 = got["dv-2021+forms.2021-Q4@kehoach"]
    assert str(q4["summary"]) == "Hạn gửi phiếu: năm 2021, quý IV năm 2021"
    assert "kehoach request --period 2021-Q4" in str(q4["description"])
    assert "kehoach request --period 2021-Y" in str(q4["description"])


def test_no_forms_event_without_a_reporting_regime():
    assert not [e for e in events(ics(small())) if kind(e) == "forms"]


# ---------------------------------------------------------------- small plans


def test_small_plan_events():
    plan = small()
    got = {uid: e.decoded("dtstart") for uid, e in by_uid(ics(plan)).items() if kind(e) != "review"}
    assert got == {
        "small.q.2021-Q1@kehoach": dt.date(2021, 3, 31),
        "small.q.2021-Q2@kehoach": dt.date(2021, 6, 30),
        "small.q.2021-Q3@kehoach": dt.date(2021, 9, 30),
        "small.q.2021-Q4@kehoach": dt.date(2021, 12, 31),
        "small.d.due@kehoach": dt.date(2021, 7, 31),
        "small.h.2021-H1@kehoach": dt.date(2021, 6, 30),  # the linked meeting "hn"
        "small.h.2021-H2@kehoach": dt.date(2021, 12, 31),
        "small.hn2.meeting@kehoach": dt.date(2021, 11, 30),
    }
    order = [str(e["uid"]) for e in events(ics(plan))]
    assert order[:5] == ["small.q.2021-Q1@kehoach", "small.q.2021-Q2@kehoach", "small.q.2021-Q3@kehoach",
                         "small.q.2021-Q4@kehoach", "small.d.due@kehoach"]  # plan order


def test_nd09_moves_the_q2_report_to_june_14():
    got = by_uid(ics(small("nd09")))
    assert got["small.q.2021-Q2@kehoach"].decoded("dtstart") == dt.date(2021, 6, 14)
    assert got["small.h.2021-H1@kehoach"].decoded("dtstart") == dt.date(2021, 6, 14)


def test_days_after_shifts_the_occurrence():
    got = by_uid(ics(small(days_after=5)))
    assert got["small.q.2021-Q2@kehoach"].decoded("dtstart") == dt.date(2021, 7, 5)


def test_body_narrows():
    plan = small()
    everything = set(by_uid(ics(plan)))
    # "so noi vu" finds "Sở Nội vụ", without diacritics
    assert set(by_uid(ics(plan, body="so noi vu"))) == {"small.d.due@kehoach"}
    # a meeting follows its linked task; a meeting without a task goes with --body
    bdvtu = set(by_uid(ics(plan, body="BDVTU")))
    assert bdvtu == {u for u in everything if u.startswith(("small.q.", "small.h."))}
    assert "small.hn2.meeting@kehoach" not in bdvtu


def test_body_narrows_the_2021_plan(plan2021):
    everything = by_uid(ics(plan2021))
    narrowed = by_uid(ics(plan2021, body="Sở Tài chính"))
    assert 0 < len(narrowed) < len(everything)
    # a body's calendar groups its own days: a UID is the whole plan's, or a task's own that the
    # whole plan's calendar lists in a crowded day's event
    grouped = {line[2:].split(" — ")[0].replace(".", "-") for e in everything.values()
               if str(e["summary"]).startswith(("Hạn nhiệm vụ (", "Báo cáo định kỳ ("))
               for line in str(e["description"]).splitlines() if line.startswith("- ")}
    assert grouped
    for uid in narrowed:
        assert uid in everything or uid.split(".")[1] in grouped, uid
    # II.5.e is one of the 11 of 31/12; with IV.3.f and IV.3.h, three of Sở Tài chính's own that day
    assert str(narrowed["dv-2021.II-5-e.due@kehoach"]["summary"]) == "Hạn nhiệm vụ (3): II.5.e, IV.3.f, IV.3.h"
    assert str(Calendar.from_ical(ics(plan2021, body="Sở Tài chính"))["x-kehoach-scope"]) == "so-tai-chinh"


def test_unknown_body_raises():
    with pytest.raises(UsageError) as err:
        ics(small(), body="không có")
    assert "không có" in str(err.value)


def test_colliding_ids_keep_distinct_uids():
    """`A.b` and `A-b` are both valid ids; their UIDs must not meet."""
    plan = plan_from(
        """\
        plan: {id: p, title: T, issuers: [a], period: {start: 2021-01-01, end: 2021-12-31}}
        bodies: [{id: a, name: A, kind: party}]
        tasks:
          - {id: A.b, title: one, lead: [a], deadline: 2021-03}
          - {id: A-b, title: two, lead: [a], deadline: 2021-04}
          - {id: C.d, title: three, lead: [a], deadline: 2021-05}
        """
    )
    uids = [str(e["uid"]) for e in events(ics(plan))]
    assert len(set(uids)) == 3
    assert "p.C-d.due@kehoach" in uids


# ---------------------------------------------------------------- DTSTAMP, SEQUENCE, LAST-MODIFIED


def test_dtstamp_is_the_time_of_writing():
    plan = small()
    assert {e.decoded("dtstamp") for e in events(ics(plan, now=LATER))} == {LATER}
    # to the second, in UTC; a naive time is UTC
    hanoi = dt.timezone(dt.timedelta(hours=7))
    data = ics(plan, now=dt.datetime(2021, 7, 2, 16, 0, 0, 123456, tzinfo=hanoi))
    assert {e.decoded("dtstamp") for e in events(data)} == {LATER}
    assert b"DTSTAMP:20210702T090000Z\r\n" in data
    assert {e.decoded("dtstamp") for e in events(ics(plan, now=LATER.replace(tzinfo=None)))} == {LATER}


def test_the_same_plan_again_keeps_every_sequence_and_last_modified(demo):
    first = ics(demo, now=NOW)
    second = again(demo, first, now=LATER)
    assert {u: version(e) for u, e in by_uid(second).items()} == {u: (0, NOW) for u in by_uid(first)}
    assert {e.decoded("dtstamp") for e in events(second)} == {LATER}
    assert without_stamps(again(demo, second, now=LATER)) == without_stamps(second)


def test_a_changed_deadline_is_a_new_version_of_its_event_only():
    plan = crowded()
    first = ics(plan, now=NOW)
    moved = crowded(CROWDED.replace("deadline: 2021-10-15", "deadline: 2021-10-20"))
    second = by_uid(again(moved, first, now=LATER))
    assert version(second["p.t4.due@kehoach"]) == (1, LATER)
    assert second["p.t4.due@kehoach"].decoded("dtstart") == dt.date(2021, 10, 20)
    unchanged = {u: version(e) for u, e in second.items() if u != "p.t4.due@kehoach"}
    assert unchanged and set(unchanged.values()) == {(0, NOW)}


def test_a_group_that_changes_is_a_new_version_and_the_one_gone_is_cancelled():
    """t3 leaves 31/12: the group there (two left) parts into t1 and t2; t1's UID keeps its
    event, now only t1's (a new version); t2's and t3's events are t2's and t3's own again."""
    plan = crowded()
    first = ics(plan, now=NOW)
    moved = crowded(CROWDED.replace("deadline: 2021-12-31", "deadline: 2021-12-20"))
    second = by_uid(again(moved, first, now=LATER))
    assert version(second["p.t1.due@kehoach"]) == (1, LATER)
    assert str(second["p.t1.due@kehoach"]["summary"]) == "Hạn: t1 — Việc một"
    assert version(second["p.t3.due@kehoach"]) == (0, LATER)  # new: it was in the group
    assert version(second["p.t4.due@kehoach"]) == (0, NOW)


def test_a_task_removed_is_cancelled_once_and_carried():
    plan = crowded()
    first = ics(plan, now=NOW)
    fewer = crowded(CROWDED.replace("  - {id: t5, title: Việc năm, lead: [b], deadline: 2021-11-20}\n", ""))
    second = again(fewer, first, now=LATER)
    gone = by_uid(second)["p.t5.due@kehoach"]
    assert str(gone["status"]) == "CANCELLED"
    assert version(gone) == (1, LATER)
    assert gone.decoded("dtstart") == dt.date(2021, 11, 20)
    assert "categories" not in gone and "x-kehoach-kind" not in gone
    third = by_uid(again(fewer, second, now=LATER + dt.timedelta(days=1)))
    assert version(third["p.t5.due@kehoach"]) == (1, LATER)  # carried as it was
    back = by_uid(again(plan, again(fewer, second, now=LATER), now=LATER + dt.timedelta(days=2)))
    assert version(back["p.t5.due@kehoach"]) == (2, LATER + dt.timedelta(days=2))
    assert "status" not in back["p.t5.due@kehoach"]


def test_a_task_joining_a_crowded_day_cancels_its_own_event():
    two = crowded(CROWDED.replace("deadline: 2021-12-31", "deadline: 2021-10-15"))
    first = ics(two, now=NOW)
    assert "p.t3.due@kehoach" in by_uid(first)
    second = by_uid(again(crowded(), first, now=LATER))
    assert str(second["p.t3.due@kehoach"]["status"]) == "CANCELLED"  # now listed in t1's event
    assert "t3 — Việc ba" in str(second["p.t1.due@kehoach"]["description"])
    assert version(second["p.t1.due@kehoach"]) == (1, LATER)


def test_another_body_s_calendar_over_the_file_cancels_nothing():
    plan = crowded()
    first = ics(plan, now=NOW)
    narrowed = by_uid(again(plan, first, body="so noi vu", now=LATER))
    assert not [e for e in narrowed.values() if "status" in e]
    assert "p.t5.due@kehoach" in narrowed and "p.t4.due@kehoach" not in narrowed


def test_the_language_or_an_alarm_is_a_change_of_every_event(demo):
    first = ics(demo, now=NOW)
    for kw in ({"lang": "en"}, {"alarm": dt.timedelta(days=3)}):
        second = by_uid(again(demo, first, now=LATER, **kw))
        assert {version(e) for e in second.values()} == {(1, LATER)}


def test_a_file_of_an_earlier_kehoach_is_followed():
    """Written before SEQUENCE and fingerprints (and before groups): each event a new version,
    and the events now inside a group cancelled, so no calendar shows them twice."""
    plan = crowded()
    old = crowded(CROWDED.replace("deadline: 2021-12-31", "deadline: 2021-10-15"))
    data = ics(old, now=NOW)
    data = re.sub(rb"(?m)^(X-KEHOACH-[A-Z]+|SEQUENCE|LAST-MODIFIED):.*\r\n", b"", data)
    previous = parse_previous(data, "p")
    assert not isinstance(previous, str) and previous.scope == "*"
    got = by_uid(ics(plan, previous=previous, now=LATER))
    assert version(got["p.t4.due@kehoach"]) == (1, LATER)
    assert str(got["p.t3.due@kehoach"]["status"]) == "CANCELLED"


# ---------------------------------------------------------------- the previous file, untrusted


def test_a_damaged_or_foreign_previous_file_is_absent(tmp_path):
    plan = crowded()
    other = plan_from(CROWDED.replace("id: p,", "id: q,"))
    good = ics(plan)
    cases = {
        b"": "ics.previous-unreadable",
        b"\xff\xfe not utf-8": "ics.previous-unreadable",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p.t1.due@kehoach\r\n": "ics.previous-unreadable",
        good[: len(good) // 2]: "ics.previous-unreadable",
        b"plan: {id: p}\n": "ics.previous-unreadable",
        good.replace(b"-//kehoach//kehoach//VI", b"-//Google Inc//Google Calendar//EN"): "ics.previous-other",
        ics(other): "ics.previous-other",
        re.sub(rb"(?m)^X-KEHOACH-[A-Z]+:.*\r\n", b"", ics(other)): "ics.previous-other",
    }
    for raw, why in cases.items():
        assert parse_previous(raw, "p") == why, raw[:60]
        target = tmp_path / "lich.ics"
        target.write_bytes(raw)
        previous, note = previous_calendar(str(target), plan)
        assert previous is None and note is not None and note[0] == why
        assert {version(e) for e in events(ics(plan, previous=previous, now=LATER))} == {(0, LATER)}


def test_a_previous_file_too_large_is_absent(tmp_path, monkeypatch):
    from kehoach.base import settings

    monkeypatch.setattr(settings, "_current", settings.Settings(max_bytes=1000))
    target = tmp_path / "lich.ics"
    target.write_bytes(ics(crowded()))
    assert previous_calendar(str(target), crowded()) == (None, ("ics.previous-unreadable", {"path": str(target)}))


def test_no_previous_file_without_a_file():
    plan = crowded()
    assert previous_calendar(None, plan) == (None, None)
    assert previous_calendar("-", plan) == (None, None)
    assert previous_calendar("/nonexistent-folder/lich.ics", plan) == (None, None)


def test_the_plan_itself_is_never_read_as_a_calendar(tmp_path):
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(CROWDED, encoding="utf-8")
    with pytest.raises(UsageError):
        previous_calendar(str(plan_file), crowded(), [str(plan_file)])


def edit_event(data: bytes, uid: str, name: str, value: bytes) -> bytes:
    """The calendar with the property `name` of the event `uid` set to `value` (as written)."""
    blocks = data.split(b"BEGIN:VEVENT\r\n")
    for i, block in enumerate(blocks):
        if f"\r\nUID:{uid}\r\n".encode() in b"\r\n" + block:
            blocks[i] = re.sub(rb"(?m)^" + name.encode() + rb":[^\r]*", name.encode() + b":" + value, block, count=1)
    return b"BEGIN:VEVENT\r\n".join(blocks)


def test_hostile_values_in_the_previous_file():
    """Broken values never crash: a SEQUENCE that is no number or out of range, a LAST-MODIFIED
    that is no time, a forged fingerprint — each such event counts as changed, numbered from
    what could be read; a foreign UID is never followed."""
    plan = crowded()
    data = ics(plan, now=NOW)
    data = edit_event(data, "p.t4.due@kehoach", "SEQUENCE", b"abc")
    data = edit_event(data, "p.t5.due@kehoach", "SEQUENCE", b"99999999999")
    data = edit_event(data, "p.t1.due@kehoach", "LAST-MODIFIED", b"yesterday")
    data = edit_event(data, "p+forms.2021-Q1@kehoach", FINGERPRINT_PROPERTY, b"0123456789abcdef")
    data = edit_event(data, "p+forms.2021-Q2@kehoach", FINGERPRINT_PROPERTY, b"<script>")
    data = edit_event(data, "p+forms.2021-Q3@kehoach", "SEQUENCE", b"7")
    foreign = (b"BEGIN:VEVENT\r\nUID:q.x.due@kehoach\r\nDTSTART;VALUE=DATE:20210101\r\nSUMMARY:x\r\n"
               b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:p.t9.due@example.com\r\nDTSTART;VALUE=DATE:20210101\r\n"
               b"SUMMARY:y\r\nEND:VEVENT\r\n")
    data = data.replace(b"END:VCALENDAR", foreign + b"END:VCALENDAR")
    previous = parse_previous(data, "p")
    assert not isinstance(previous, str)
    assert "q.x.due@kehoach" not in previous.events and "p.t9.due@example.com" not in previous.events
    got = by_uid(ics(plan, previous=previous, now=LATER))
    assert "q.x.due@kehoach" not in got and "p.t9.due@example.com" not in got
    assert {u: version(e) for u, e in got.items() if version(e) != (0, NOW)} == {
        "p.t4.due@kehoach": (1, LATER), "p.t5.due@kehoach": (1, LATER), "p.t1.due@kehoach": (1, LATER),
        "p+forms.2021-Q1@kehoach": (1, LATER), "p+forms.2021-Q2@kehoach": (1, LATER),
        "p+forms.2021-Q3@kehoach": (7, NOW)}  # its fingerprint is right: a number kept as read


def test_damaged_previous_files_never_crash_the_reader():
    """Random cuts and flipped bytes of a real calendar: a Previous or a reason, never an exception."""
    import random

    plan = crowded()
    good = ics(plan)
    rng = random.Random(5)
    for _ in range(200):
        raw = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        raw = raw[: rng.randrange(len(raw) + 1)] if rng.random() < 0.3 else raw
        found = parse_previous(bytes(raw), "p")
        if not isinstance(found, str):
            ics(plan, previous=found, now=LATER)  # and the calendar is made from it


# ---------------------------------------------------------------- alarms


@pytest.mark.parametrize(("value", "delta"), [
    ("3d", dt.timedelta(days=3)), ("12h", dt.timedelta(hours=12)), ("1w", dt.timedelta(weeks=1)),
    (" 2D ", dt.timedelta(days=2)), ("52w", dt.timedelta(weeks=52)),
])
def test_alarm_values(value, delta):
    assert parse_alarm(value) == delta


@pytest.mark.parametrize("value", ["", "3", "d", "3 days", "-1d", "0d", "1.5d", "53w", "3m", "1y", "3d4h", "١d"])
def test_bad_alarm_values(value):
    with pytest.raises(UsageError) as err:
        parse_alarm(value)
    assert err.value.code == "bad-alarm-option"


def test_an_alarm_on_every_event(plan2021):
    data = ics(plan2021, alarm=dt.timedelta(days=3))
    for e in events(data):
        (bell,) = e.walk("VALARM")
        assert str(bell["action"]) == "DISPLAY"
        assert bell.decoded("trigger") == -dt.timedelta(days=3)
        assert str(bell["description"]) == str(e["summary"])
    assert b"TRIGGER:-P3D\r\n" in data
    assert not [e for e in events(ics(plan2021)) if e.walk("VALARM")]


# ---------------------------------------------------------------- the command


def test_cli_stdout_and_file_are_the_same_calendar(tmp_path, capsysbinary, monkeypatch, plan2021):
    code, out, err = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021)
    assert code == 0 and err == ""
    assert without_stamps(out) == without_stamps(ics(plan2021))
    code, out2, _ = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "-o", "-")
    assert code == 0 and without_stamps(out2) == without_stamps(out)
    target = tmp_path / "kehoach.ics"
    code, out3, err = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "-o", target)
    assert code == 0 and out3 == b""
    assert without_stamps(target.read_bytes()) == without_stamps(out)
    assert str(target) in err
    assert [p.name for p in tmp_path.iterdir()] == ["kehoach.ics"]  # no temporary file left


def test_source_date_epoch_fixes_the_time_of_writing(tmp_path, capsysbinary, monkeypatch):
    """SOURCE_DATE_EPOCH (reproducible builds) is the time of writing: the same plan gives
    the same bytes, whatever the clock; a value that is not whole seconds is the clock."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1633392000")  # 05/10/2021 00:00 UTC
    code, first, _ = run_cli(capsysbinary, monkeypatch, "-p", DEMO)
    code2, second, _ = run_cli(capsysbinary, monkeypatch, "-p", DEMO)
    assert code == code2 == 0 and first == second
    assert b"DTSTAMP:20211005T000000Z\r\n" in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    _, third, _ = run_cli(capsysbinary, monkeypatch, "-p", DEMO)
    assert b"DTSTAMP:20211005T000000Z" not in third and without_stamps(third) == without_stamps(first)


def test_cli_twice_on_a_changed_plan(tmp_path, capsysbinary, monkeypatch):
    """`kehoach calendar` twice, one task's deadline changed between the runs, the same output
    path: that event carries a higher SEQUENCE and a new LAST-MODIFIED, every other one the same."""
    plan_file = tmp_path / "demo.yaml"
    text = DEMO.read_text(encoding="utf-8")
    plan_file.write_text(text, encoding="utf-8")
    target = tmp_path / "lich.ics"
    assert run_cli(capsysbinary, monkeypatch, "-p", plan_file, "-o", target)[0] == 0
    # as if the first run had been long ago
    target.write_bytes(re.sub(rb"(?m)^(DTSTAMP|LAST-MODIFIED):\d{8}T\d{6}Z", rb"\1:20210101T000000Z",
                              target.read_bytes()))
    first = by_uid(target.read_bytes())
    assert text.count("deadline: 2021-05\n") == 1  # II.1.b, alone on 31/05
    plan_file.write_text(text.replace("deadline: 2021-05\n", "deadline: 2021-06-15\n"), encoding="utf-8")
    code, _, err = run_cli(capsysbinary, monkeypatch, "-p", plan_file, "-o", target)
    assert code == 0, err
    assert "SEQUENCE" not in err  # the previous file was followed, no note
    second = by_uid(target.read_bytes())
    assert set(second) == set(first)
    changed = "dv-demo-2021.II-1-b.due@kehoach"
    old = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    assert version(first[changed]) == (0, old)
    assert int(second[changed]["sequence"]) == 1
    assert second[changed].decoded("last-modified") > old
    assert second[changed].decoded("dtstart") == dt.date(2021, 6, 15)
    for uid, event in second.items():
        assert event.decoded("dtstamp") > old
        if uid != changed:
            assert version(event) == (0, old), uid


def test_cli_damaged_previous_file_is_a_note(tmp_path, capsysbinary, monkeypatch):
    target = tmp_path / "lich.ics"
    target.write_bytes(b"BEGIN:VCALENDAR\r\ngarbage")
    code, _, err = run_cli(capsysbinary, monkeypatch, "-p", DEMO, "-o", target)
    assert code == 0
    assert f"Không đọc được lịch đã ghi trước ở {target}" in err
    assert by_uid(target.read_bytes())


def test_cli_alarm(tmp_path, capsysbinary, monkeypatch):
    code, out, _ = run_cli(capsysbinary, monkeypatch, "-p", DEMO, "--alarm", "12h")
    assert code == 0 and out.count(b"TRIGGER:-PT12H\r\n") == len(events(out))
    code, out, err = run_cli(capsysbinary, monkeypatch, "-p", DEMO, "--alarm", "3 ngày")
    assert code == 2 and out == b""
    assert "--alarm" in err and "3 ngày" in err and "3d" in err and "Traceback" not in err


def test_api_calendar_takes_the_time_and_the_alarm(tmp_path):
    result = api.calendar(DEMO, dt.date(2021, 7, 1), output=str(tmp_path / "x.ics"), now=LATER,
                          alarm=dt.timedelta(weeks=1))
    assert isinstance(result.text, bytes) and b"TRIGGER:-P7D\r\n" in result.text
    assert {e.decoded("dtstamp") for e in events(result.text)} == {LATER}
    default = api.calendar(DEMO, dt.date(2021, 7, 1))
    assert isinstance(default.text, bytes)
    assert {e.decoded("dtstamp") for e in events(default.text)} == {dt.datetime(2021, 7, 1, tzinfo=dt.UTC)}


def test_cli_lang_and_body(capsysbinary, monkeypatch):
    code, out, _ = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "--lang", "en", "--body", "so noi vu")
    assert code == 0
    summaries = [str(e["summary"]) for e in events(out) if kind(e) in ("deadline", "report")]
    assert summaries and all(s.startswith(("Due: ", "Task deadlines (", "Periodic reports (")) for s in summaries)
    assert len(events(out)) < len(events(ics(loaded_plan(PLAN_2021))))


def test_cli_unknown_body_exit_2(capsysbinary, monkeypatch):
    code, out, err = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "--body", "khong co co quan nay")
    assert code == 2
    assert out == b""
    assert "--body" in err and "khong co co quan nay" in err


def test_cli_invalid_plan_exit_1(tmp_path, capsysbinary, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan: {id: p}\n", encoding="utf-8")
    code, out, err = run_cli(capsysbinary, monkeypatch, "-p", bad)
    assert code == 1 and out == b""
    assert "thiếu khóa bắt buộc 'title'" in err  # Vietnamese by default


def test_icalendar_is_not_imported_with_the_cli():
    code = "import sys, kehoach.cli.app, kehoach.outputs.calendar; sys.exit('icalendar' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_cli_unwritable_output_exit_2(tmp_path, capsysbinary, monkeypatch):
    code, out, err = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "-o", tmp_path / "missing" / "x.ics")
    assert code == 2 and out == b""
    assert "-o" in err and "Traceback" not in err
