"""Tests of `kehoach calendar` (src/kehoach/icsout.py): one all-day event per
dated deadline, per occurrence of a recurring duty and per meeting; stable UIDs
and identical bytes run after run, so importing twice never duplicates.

Expected events are counted from the plan model here, without the code under
test (`workdays.due_items`).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from icalendar import Calendar

from kehoach.base import periods
from kehoach.base.errors import UsageError as CalendarError
from kehoach.cli.app import main
from kehoach.outputs.calendar import build_calendar
from kehoach.plan.loader import load_plan, load_text

ROOT = Path(__file__).resolve().parent.parent
PLAN_2021 = ROOT / "plans" / "2021.yaml"
DEMO = ROOT / "examples" / "demo.yaml"


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


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def by_uid(data: bytes) -> dict:
    return {str(e["uid"]): e for e in events(data)}


def expected_count(plan) -> dict[str, int]:
    """Events the plan should give, counted straight from the model's typed deadlines: a
    meeting linked to a task (`task:`) is that task's event, not one of its own."""
    from kehoach.base.deadlines import Dated, Recurring, Triggered

    start, end = plan.plan.period.start, plan.plan.period.end
    conv = plan.reporting.convention.value

    def count(value) -> tuple[str, int] | None:
        if isinstance(value, Dated):
            return "dated", 1
        if isinstance(value, Recurring):
            return "recurring", len(periods.occurrences(value.every, list(value.periods or []) or None,
                                                         start, end, conv))
        if isinstance(value, Triggered):
            return ("triggered", 1) if value.triggered_on is not None else None
        return None  # continuous, or no deadline

    out = {"dated": 0, "recurring": 0, "triggered": 0, "meeting": 0}
    for task, _ in plan.iter_tasks():
        got = count(task.deadline)
        if got:
            out[got[0]] += got[1]
    for meeting in plan.meetings:
        got = count(meeting.when)
        if got and not meeting.task:
            out["meeting"] += got[1]
    return out


def run_cli(capsysbinary, monkeypatch, *args) -> tuple[int, bytes, str]:
    monkeypatch.delenv("KEHOACH_LANG", raising=False)
    capsysbinary.readouterr()
    code = main(["calendar", *(str(a) for a in args)])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode("utf-8")


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


# ---------------------------------------------------------------- the real plans


@pytest.fixture(scope="module")
def plan2021():
    return loaded_plan(PLAN_2021)


@pytest.fixture(scope="module")
def demo():
    return loaded_plan(DEMO)


@pytest.mark.parametrize("which", ["plan2021", "demo"])
def test_one_event_per_due_date(which, request):
    """Exactly one VEVENT per dated deadline, per recurring occurrence and per meeting."""
    plan = request.getfixturevalue(which)
    data = build_calendar(plan)
    evs = events(data)
    expected = expected_count(plan)
    assert len(evs) == sum(expected.values())
    kinds = {k: 0 for k in expected}
    for e in evs:
        cats = [str(c) for c in e["categories"].cats]
        assert cats[0] == "kehoach"
        kinds[cats[1]] += 1
    assert kinds == expected


def test_counts_of_the_2021_plan(plan2021):
    """12 dated deadlines and 10 report/conference occurrences; the 3 conferences in
    `meetings` are each linked to the task that tracks them, so they are those
    tasks' events, not 3 more on the same days."""
    assert expected_count(plan2021) == {"dated": 12, "recurring": 10, "triggered": 0, "meeting": 0}
    got = by_uid(build_calendar(plan2021))
    assert len(got) == 22
    assert str(got["dv-2021.IV-4-c.due@kehoach"]["summary"]) == (
        "Hội nghị: Hội nghị tổng kết năm về triển khai thực hiện Kế hoạch phối hợp")
    assert str(got["dv-2021.IV-4-a.2021-H1@kehoach"]["summary"]) == (
        "Hội nghị: Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp 6 tháng đầu năm 2021")
    assert str(got["dv-2021.IV-4-a.2021-H2@kehoach"]["summary"]).startswith(
        "Hội nghị: Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp cuối năm 2021")


@pytest.mark.parametrize("which", ["plan2021", "demo"])
def test_uids_unique_and_stable(which, request):
    """Two runs give the same bytes; importing both keeps the number of events (no duplicates)."""
    plan = request.getfixturevalue(which)
    first, second = build_calendar(plan), build_calendar(plan)
    assert first == second
    uids = [str(e["uid"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    merged = by_uid(first)
    merged.update(by_uid(second))
    assert len(merged) == len(uids)
    assert set(by_uid(second)) == set(uids)
    # the language changes the words, never the UIDs
    assert set(by_uid(build_calendar(plan, "en"))) == set(uids)


def test_uid_form(plan2021):
    uids = set(by_uid(build_calendar(plan2021)))
    assert "dv-2021.IV-2-a.2021-Q2@kehoach" in uids
    assert "dv-2021.IV-4-c.due@kehoach" in uids
    assert not any(".meeting" in u for u in uids)  # every meeting is its task's event


def test_quarterly_report_q2_on_june_30(plan2021):
    """Calendar convention: the Q2 occurrence of the quarterly report is due 30/06/2021."""
    event = by_uid(build_calendar(plan2021))["dv-2021.IV-2-a.2021-Q2@kehoach"]
    assert event.decoded("dtstart") == dt.date(2021, 6, 30)
    assert event.decoded("dtend") == dt.date(2021, 7, 1)
    assert "quý II năm 2021" in str(event["summary"])
    assert str(event["summary"]).startswith("Hạn: IV.2.a — ")


def test_every_start_is_a_date_and_ends_next_day(plan2021, demo):
    for plan in (plan2021, demo):
        for e in events(build_calendar(plan)):
            start, end = e.decoded("dtstart"), e.decoded("dtend")
            assert type(start) is dt.date and type(end) is dt.date
            assert end == start + dt.timedelta(days=1)
            assert e["dtstart"].params.get("VALUE") == "DATE"


def test_calendar_properties(plan2021):
    data = build_calendar(plan2021)
    cal = Calendar.from_ical(data)
    assert str(cal["prodid"]) == "-//kehoach//kehoach//VI"
    assert str(cal["version"]) == "2.0"
    assert str(cal["calscale"]) == "GREGORIAN"
    assert str(cal["x-wr-calname"]) == plan2021.plan.title
    assert str(cal["x-wr-timezone"]) == "Asia/Ho_Chi_Minh"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    for e in events(data):
        assert e.decoded("dtstamp") == dt.datetime(2021, 1, 4, tzinfo=dt.UTC)


def test_description_names_deadline_bodies_and_plan(plan2021):
    event = by_uid(build_calendar(plan2021))["dv-2021.IV-2-a.2021-Q2@kehoach"]
    text = str(event["description"])
    assert "Thời hạn: hằng quý" in text
    assert "Ban Dân vận Tỉnh ủy" in text
    assert plan2021.plan.title in text
    en = by_uid(build_calendar(plan2021, "en"))["dv-2021.IV-2-a.2021-Q2@kehoach"]
    assert str(en["summary"]).startswith("Due: IV.2.a — ")
    assert "Q2 2021" in str(en["summary"])
    assert "Deadline: quarterly" in str(en["description"])


def test_continuous_and_untriggered_tasks_have_no_event(plan2021):
    uids = set(by_uid(build_calendar(plan2021)))
    assert not any(".II-5-b." in u for u in uids)  # continuous
    assert not any(".IV-3-b." in u for u in uids)  # triggered, event not yet happened


def test_triggered_deadline_once_the_event_is_known(demo):
    event = by_uid(build_calendar(demo))["dv-demo-2021.III-2-b.due@kehoach"]
    assert event.decoded("dtstart") == dt.date(2021, 5, 10) + dt.timedelta(days=60)


# ---------------------------------------------------------------- small plans


def test_small_plan_events():
    plan = small()
    got = {uid: e.decoded("dtstart") for uid, e in by_uid(build_calendar(plan)).items()}
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
    order = [str(e["uid"]) for e in events(build_calendar(plan))]
    assert order[:5] == ["small.q.2021-Q1@kehoach", "small.q.2021-Q2@kehoach", "small.q.2021-Q3@kehoach",
                         "small.q.2021-Q4@kehoach", "small.d.due@kehoach"]  # plan order


def test_nd09_moves_the_q2_report_to_june_14():
    got = by_uid(build_calendar(small("nd09")))
    assert got["small.q.2021-Q2@kehoach"].decoded("dtstart") == dt.date(2021, 6, 14)
    assert got["small.h.2021-H1@kehoach"].decoded("dtstart") == dt.date(2021, 6, 14)


def test_days_after_shifts_the_occurrence():
    got = by_uid(build_calendar(small(days_after=5)))
    assert got["small.q.2021-Q2@kehoach"].decoded("dtstart") == dt.date(2021, 7, 5)


def test_body_narrows():
    plan = small()
    everything = set(by_uid(build_calendar(plan)))
    # "so noi vu" finds "Sở Nội vụ", without diacritics
    assert set(by_uid(build_calendar(plan, body="so noi vu"))) == {"small.d.due@kehoach"}
    # a meeting follows its linked task; a meeting without a task goes with --body
    bdvtu = set(by_uid(build_calendar(plan, body="BDVTU")))
    assert bdvtu == {u for u in everything if u.startswith(("small.q.", "small.h."))}
    assert "small.hn2.meeting@kehoach" not in bdvtu


def test_body_narrows_the_2021_plan(plan2021):
    everything = by_uid(build_calendar(plan2021))
    narrowed = by_uid(build_calendar(plan2021, body="Sở Tài chính"))
    assert 0 < len(narrowed) < len(everything)
    assert set(narrowed) <= set(everything)
    assert "dv-2021.IV-3-h.due@kehoach" in narrowed


def test_unknown_body_raises():
    with pytest.raises(CalendarError) as err:
        build_calendar(small(), body="không có")
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
    uids = [str(e["uid"]) for e in events(build_calendar(plan))]
    assert len(set(uids)) == 3
    assert "p.C-d.due@kehoach" in uids


def test_dtstamp_falls_back_to_the_period_start():
    plan = plan_from(
        """\
        plan: {id: p, title: T, issuers: [a], period: {start: 2021-02-01, end: 2021-12-31}}
        bodies: [{id: a, name: A, kind: party}]
        tasks: [{id: t, title: one, lead: [a], deadline: 2021-03}]
        """
    )
    (event,) = events(build_calendar(plan))
    assert event.decoded("dtstamp") == dt.datetime(2021, 2, 1, tzinfo=dt.UTC)


# ---------------------------------------------------------------- the command


def test_cli_stdout_and_file_are_the_same_bytes(tmp_path, capsysbinary, monkeypatch, plan2021):
    code, out, err = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021)
    assert code == 0 and err == ""
    assert out == build_calendar(plan2021)
    code, out2, _ = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "-o", "-")
    assert code == 0 and out2 == out
    target = tmp_path / "kehoach.ics"
    code, out3, err = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "-o", target)
    assert code == 0 and out3 == b""
    assert target.read_bytes() == out
    assert str(target) in err
    assert [p.name for p in tmp_path.iterdir()] == ["kehoach.ics"]  # no temporary file left


def test_cli_lang_and_body(capsysbinary, monkeypatch):
    code, out, _ = run_cli(capsysbinary, monkeypatch, "-p", PLAN_2021, "--lang", "en", "--body", "so noi vu")
    assert code == 0
    summaries = [str(e["summary"]) for e in events(out)]
    assert summaries and all(s.startswith("Due: ") for s in summaries)
    assert len(summaries) < 25


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
