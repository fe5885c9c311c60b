"""Where each task stands at a date (kehoach.judge.status) and `kehoach status`.

Every status is computed at chosen dates around a due date: the day the
warning window opens (due - 14), the due date itself (still "due soon") and the
day after (overdue). Plans are small YAML texts built by tests/plans_for_tests.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.cli.app import main
from kehoach.judge.status import LABELS, STATUS_CODES, compute_status
from kehoach.plan.loader import load_plan
from plans_for_tests import D, code_at, load, plan_yaml, status_of, task_yaml

ROOT = Path(__file__).resolve().parent.parent
PLAN_2021 = ROOT / "plans" / "2021.yaml"
KEXE = Path(sys.executable).parent / "kehoach"


def days(day: str, n: int) -> str:
    return (D(day) + dt.timedelta(days=n)).isoformat()


# ---------------------------------------------------------------- dated forms

# The plan runs to 2022-06-30 so that a late report on 2022-01-01 for a year
# deadline still lies inside the plan period.
LONG = {"start": "2021-01-01", "end": "2022-06-30"}

FORMS = [
    pytest.param("2021-06-30", "2021-06-30", id="date"),
    pytest.param("2021-05", "2021-05-31", id="month"),
    pytest.param("2021-Q3", "2021-09-30", id="quarter"),
    pytest.param("2021-H1", "2021-06-30", id="half"),
    pytest.param("2021-9M", "2021-09-30", id="nine-months"),
    pytest.param("2021", "2021-12-31", id="year-number"),  # YAML reads it as the int 2021
    pytest.param("'2021'", "2021-12-31", id="year-text"),
    pytest.param("2021-03..2021-06", "2021-06-30", id="range"),
    pytest.param(None, "2022-06-30", id="no-deadline"),  # end of the plan period
    pytest.param("{after: Đề án được phê duyệt, within_days: 30, triggered_on: 2021-05-10}",
                 "2021-06-09", id="triggered"),  # 2021-05-10 + 30 days
    pytest.param("{after: Đề án được phê duyệt, triggered_on: 2021-05-10}",
                 "2022-06-30", id="triggered-no-within-days"),  # within the plan period
]


@pytest.mark.parametrize("deadline, due", FORMS)
def test_due_date_of_each_form(deadline, due):
    plan = load(task_yaml(deadline=deadline), **LONG)
    assert status_of(plan, "2021-05-10").due == D(due)  # the day of the triggered forms' event


@pytest.mark.parametrize("deadline, due", FORMS)
def test_without_progress_around_the_due_date(deadline, due):
    """due-15: not yet in the 14-day window; due-14 and due: due soon; due+1: overdue."""
    plan = load(task_yaml(deadline=deadline), **LONG)
    assert code_at(plan, days(due, -15)) == "not_started"
    assert code_at(plan, days(due, -14)) == "due_soon"
    assert code_at(plan, due) == "due_soon"
    assert code_at(plan, days(due, 1)) == "overdue"
    assert status_of(plan, days(due, 1)).percent == 0


@pytest.mark.parametrize("deadline, due", FORMS)
def test_with_progress_around_the_due_date(deadline, due):
    """A 40 % report 30 days before the due date: in progress at due-15,
    due soon at the due date, overdue the day after, percent kept."""
    report = days(due, -30)
    plan = load(task_yaml(deadline=deadline, progress=[(report, 40)]), **LONG)
    before = status_of(plan, days(due, -15))
    assert (before.status, before.percent, before.last_date) == ("in_progress", 40, D(report))
    assert code_at(plan, due) == "due_soon"
    after = status_of(plan, days(due, 1))
    assert (after.status, after.percent, after.last_date) == ("overdue", 40, D(report))
    # before the report was written, the task had not started (a triggered one: its event had not happened)
    before_event = "triggered_on" in (deadline or "") and days(report, -1) < "2021-05-10"
    assert code_at(plan, days(report, -1)) == ("not_triggered" if before_event else "not_started")


@pytest.mark.parametrize("deadline, due", FORMS)
def test_done_on_the_due_date_is_on_time(deadline, due):
    """100 % reported on the due date itself counts as on time, seen at the due
    date and long after."""
    plan = load(task_yaml(deadline=deadline, progress=[(days(due, -30), 40), (due, 100)]), **LONG)
    for as_of in (due, days(due, 1), days(due, 100)):
        ts = status_of(plan, as_of)
        assert (ts.status, ts.percent, ts.done_on) == ("done_on_time", 100, D(due)), as_of


@pytest.mark.parametrize("deadline, due", FORMS)
def test_done_the_day_after_the_due_date_is_late(deadline, due):
    """100 % reported on due+1: at the due date the task is still due soon (the
    report lies in the future), from due+1 on it is done late.
    (For the two forms due at the plan end the late report falls after the plan
    period, which `kehoach check` reports; the status is computed all the same.)"""
    late = days(due, 1)
    plan = load(task_yaml(deadline=deadline, progress=[(late, 100)]), allow=("outside-period",), **LONG)
    assert code_at(plan, due) == "due_soon"
    for as_of in (late, days(due, 60)):
        ts = status_of(plan, as_of)
        assert (ts.status, ts.percent, ts.done_on) == ("done_late", 100, D(late)), as_of


def test_done_early_stays_done_on_time_when_seen_after_the_due_date():
    """Done on 2021-03-01 for a 2021-Q2 deadline: on time on 2021-03-01 and in 2022."""
    plan = load(task_yaml(deadline="2021-Q2", progress=[("2021-02-01", 50), ("2021-03-01", 100)]), **LONG)
    assert code_at(plan, "2021-03-01") == "done_on_time"
    assert code_at(plan, "2022-01-15") == "done_on_time"
    assert code_at(plan, "2021-02-28") == "in_progress"


def test_deadline_windows_are_calendar_windows_under_nd09_too():
    """The nd09 convention moves report periods, not deadlines: `2021-Q2` is due
    2021-06-30 (not 06-14) whatever the convention."""
    plan = load(task_yaml(deadline="2021-Q2"), convention="nd09")
    assert status_of(plan, "2021-06-15").due == D("2021-06-30")
    assert code_at(plan, "2021-06-30") == "due_soon"
    assert code_at(plan, "2021-07-01") == "overdue"


# ---------------------------------------------------------------- due soon edge


@pytest.mark.parametrize(
    "as_of, soon_days, expected",
    [
        ("2021-06-16", 14, "due_soon"),  # exactly 14 days before 06-30
        ("2021-06-15", 14, "not_started"),  # 15 days before
        ("2021-06-27", 3, "due_soon"),  # exactly 3 days before
        ("2021-06-26", 3, "not_started"),  # 4 days before
        ("2021-05-31", 30, "due_soon"),  # exactly 30 days before
        ("2021-05-30", 30, "not_started"),
        ("2021-06-30", 0, "due_soon"),  # soon_days 0: only on the due date
        ("2021-06-29", 0, "not_started"),
        ("2021-07-01", 0, "overdue"),
    ],
)
def test_due_soon_edge(as_of, soon_days, expected):
    plan = load(task_yaml(deadline="2021-06-30"))
    assert code_at(plan, as_of, soon_days=soon_days) == expected


def test_due_soon_edge_with_progress():
    """With a report on 05-01 the task outside the window is in progress, not 'not started'."""
    plan = load(task_yaml(deadline="2021-06-30", progress=[("2021-05-01", 20)]))
    assert code_at(plan, "2021-06-15") == "in_progress"
    assert code_at(plan, "2021-06-16") == "due_soon"
    assert code_at(plan, "2021-06-26", soon_days=3) == "in_progress"
    assert code_at(plan, "2021-06-27", soon_days=3) == "due_soon"


def test_soon_days_is_kept_on_the_result():
    plan = load(task_yaml(deadline="2021-06-30"))
    assert compute_status(plan, D("2021-06-01"), soon_days=7).soon_days == 7
    assert compute_status(plan, D("2021-06-01")).soon_days == 14


# ---------------------------------------------------------------- triggered without a date


def test_triggered_without_trigger_date_is_never_due():
    """No `triggered_on`: no due date; "not triggered yet" even years later, never due
    soon, overdue or "within its deadline"."""
    plan = load(task_yaml(deadline="{after: Ban Thường vụ phê duyệt Đề án, within_days: 30}"))
    for as_of in ("2021-01-01", "2021-12-31", "2023-06-01"):
        ts = status_of(plan, as_of)
        assert (ts.status, ts.due, ts.kind) == ("not_triggered", None, "triggered"), as_of
    ps = compute_status(plan, D("2021-12-31"))
    assert ps.rollup()["not_triggered"] == 1 and ps.rollup()["not_done_within"] == 0


def test_triggered_before_its_event_is_not_triggered_yet():
    """The plan gives the day the event happened (written in later): at an earlier date the
    event has not happened, so nothing is due, as a report of that period said then."""
    plan = load(task_yaml(deadline="{after: Ban Thường vụ phê duyệt Đề án, within_days: 30, triggered_on: 2021-10-15}",
                          progress=[("2021-11-05", 30)]))
    ts = status_of(plan, "2021-07-01")
    assert (ts.status, ts.due) == ("not_triggered", None)
    assert (code_at(plan, "2021-10-14"), code_at(plan, "2021-10-15")) == ("not_triggered", "not_started")
    assert code_at(plan, "2021-11-01") == "due_soon" and status_of(plan, "2021-11-01").due == D("2021-11-14")
    assert code_at(plan, "2021-11-15") == "overdue" and status_of(plan, "2021-11-15").percent == 30


def test_triggered_without_trigger_date_with_progress_and_done():
    plan = load(task_yaml(deadline="{after: Ban Thường vụ phê duyệt Đề án}",
                          progress=[("2021-03-01", 30), ("2021-11-20", 100)]))
    assert code_at(plan, "2021-02-28") == "not_triggered"
    assert code_at(plan, "2021-11-19") == "in_progress"  # work reported: begun; no due date: never overdue
    ts = status_of(plan, "2021-11-20")
    assert (ts.status, ts.percent, ts.done_on) == ("done_on_time", 100, D("2021-11-20"))


# ---------------------------------------------------------------- suspended


@pytest.mark.parametrize(
    "deadline",
    ["2021-03-31", None, "continuous", "{every: quarter}", "{continuous: true, review: month}"],
)
def test_suspended_whatever_the_deadline(deadline):
    """Suspended on a date long after the 03-31 deadline: suspended, not overdue."""
    plan = load(task_yaml(deadline=deadline, suspended=True, progress=[("2021-02-01", 30)]))
    for as_of in ("2021-01-15", "2021-06-01", "2021-12-31"):
        ts = status_of(plan, as_of)
        assert ts.status == "suspended", as_of
    continuous = "continuous" in str(deadline)
    assert status_of(plan, "2021-06-01").percent == (None if continuous else 30)  # continuous work has none
    assert status_of(plan, "2021-01-15").percent == (None if continuous else 0)  # 02-01 is in the future


# ---------------------------------------------------------------- continuous work


CONTINUOUS_QUARTER = ["continuous", "thường xuyên", "'Thường xuyên'", "{continuous: true}",
                      "{continuous: true, review: quarter}"]


@pytest.mark.parametrize("deadline", CONTINUOUS_QUARTER)
def test_continuous_quarterly_calendar(deadline):
    """Calendar: a report on 2021-03-20 lies in Q1. Continuous work is stale only
    once a whole review period ended without an entry: before Q1 ends it is
    ongoing even with nothing logged; with the Q1 report it stays ongoing through
    Q2 and becomes stale on 2021-10-01, after Q3 ended with no entry. A plain
    `continuous` is reviewed quarterly."""
    plan = load(task_yaml(deadline=deadline, progress=[("2021-03-20", 10)]))
    assert code_at(plan, "2021-03-19") == "ongoing"  # no review period has ended yet
    assert code_at(plan, "2021-03-20") == "ongoing"
    ts = status_of(plan, "2021-03-31")
    assert (ts.status, ts.due, ts.percent, ts.kind) == ("ongoing", None, None, "continuous")  # no percent
    assert ts.review_period is None  # Q1 has not ended on its last day
    q2 = status_of(plan, "2021-04-01")
    assert (q2.status, q2.review_period.code) == ("ongoing", "2021-Q1")  # Q1 ended, with an entry
    assert code_at(plan, "2021-06-30") == "ongoing"
    stale = status_of(plan, "2021-07-01")
    assert (stale.status, stale.review_period.code) == ("ongoing_stale", "2021-Q2")  # Q2 ended without one


def test_continuous_logged_in_june_is_ongoing_on_1_july_and_stale_after_an_empty_quarter():
    """The rule of docs/status.md on both sides of a review period's end: logged
    in June, the work is ongoing on 1 July (Q2 reported) and through Q3; it becomes
    stale on 1 October only because Q3 ended without an entry; an entry on
    2 October brings it back."""
    plan = load(task_yaml(deadline="continuous", progress=[("2021-06-15", 40), ("2021-10-02", 50)]))
    assert code_at(plan, "2021-06-30") == "ongoing"
    assert code_at(plan, "2021-07-01") == "ongoing"
    assert code_at(plan, "2021-09-30") == "ongoing"
    stale = status_of(plan, "2021-10-01")
    assert (stale.status, stale.review_period.code) == ("ongoing_stale", "2021-Q3")
    assert code_at(plan, "2021-10-02") == "ongoing"  # reporting resumed


@pytest.mark.parametrize("deadline", ["continuous", "{continuous: true, review: quarter}"])
def test_continuous_quarterly_nd09(deadline):
    """nd09: Q2 runs 03-15..06-14, so the 2021-03-20 report is in Q2. Through Q3
    (06-15..09-14) the last ended period, Q2, had it: ongoing; on 09-15 Q3 has
    ended empty: stale."""
    plan = load(task_yaml(deadline=deadline, progress=[("2021-03-20", 10)]), convention="nd09")
    ts = status_of(plan, "2021-03-20")
    assert (ts.status, ts.review_period.code) == ("ongoing", "2021-Q1")
    assert code_at(plan, "2021-06-14") == "ongoing"
    assert code_at(plan, "2021-09-14") == "ongoing"
    stale = status_of(plan, "2021-09-15")
    assert (stale.status, stale.review_period.code) == ("ongoing_stale", "2021-Q3")


def test_continuous_quarterly_conventions_disagree_on_the_same_day():
    """Nothing logged: under nd09 Q1 ends on 03-14, so on 03-15 a review period
    has ended empty (stale); the calendar Q1 runs to 03-31 (still ongoing)."""
    task = task_yaml(deadline="continuous")
    cal, nd09 = load(task), load(task, convention="nd09")
    assert code_at(cal, "2021-03-14") == "ongoing"
    assert code_at(nd09, "2021-03-14") == "ongoing"
    assert code_at(cal, "2021-03-15") == "ongoing"
    assert code_at(nd09, "2021-03-15") == "ongoing_stale"
    assert code_at(cal, "2021-04-01") == "ongoing_stale"


def test_continuous_monthly_calendar():
    """Calendar month: a report on 2021-05-20 covers May: ongoing through June
    (May reported), stale on 07-01 after an empty June."""
    plan = load(task_yaml(deadline="{continuous: true, review: month}", progress=[("2021-05-20", 10)]))
    ts = status_of(plan, "2021-06-01")
    assert (ts.status, ts.review_period.code) == ("ongoing", "2021-M05")
    assert code_at(plan, "2021-06-30") == "ongoing"
    stale = status_of(plan, "2021-07-01")
    assert (stale.status, stale.review_period.code) == ("ongoing_stale", "2021-M06")


def test_continuous_monthly_nd09():
    """nd09 month M06 runs 05-15..06-14: a report on 05-20 belongs to M06, so the
    work is ongoing until M07 ends (07-14) and stale from 07-15. A report on 05-10
    belongs to M05 (04-15..05-14): stale from 06-15, after an empty M06."""
    late = load(task_yaml(deadline="{continuous: true, review: month}", progress=[("2021-05-20", 10)]),
                convention="nd09")
    assert code_at(late, "2021-07-14") == "ongoing"
    assert code_at(late, "2021-07-15") == "ongoing_stale"
    early = load(task_yaml(deadline="{continuous: true, review: month}", progress=[("2021-05-10", 10)]),
                 convention="nd09")
    assert code_at(early, "2021-06-14") == "ongoing"
    assert code_at(early, "2021-06-15") == "ongoing_stale"


def test_continuous_without_progress_is_stale_and_never_done_even_at_100():
    """Continuous work has no percent and is never completed: a 100 % typed for it (a warning
    of `check`) leaves it continuous, judged per review period."""
    plan = load(task_yaml(deadline="continuous"))
    assert code_at(plan, "2021-02-01") == "ongoing"  # Q1 not over yet
    assert code_at(plan, "2021-04-01") == "ongoing_stale"
    typed = load(task_yaml(deadline="continuous", progress=[("2021-03-01", 50), ("2021-08-01", 100)]))
    assert code_at(typed, "2021-07-31") == "ongoing_stale"  # Q2 ended with no entry
    ts = status_of(typed, "2021-08-01")
    assert (ts.status, ts.percent, ts.done_on) == ("ongoing", None, None)
    assert code_at(typed, "2022-01-01") == "ongoing_stale"  # Q4 passed with no report: still not "done"


def test_continuous_before_the_plan_starts_is_not_started():
    plan = load(task_yaml(deadline="continuous"))
    assert code_at(plan, "2020-12-31") == "not_started"
    assert code_at(plan, "2021-01-01") == "ongoing"


# ---------------------------------------------------------------- recurring duties

# Quarterly report due 15 days after each quarter; the plan runs to 2022-01-31
# so that the Q4 report (due 2022-01-15) can be filed inside the plan period.
QUARTERLY = "{every: quarter, days_after: 15}"
TO_JAN = {"end": "2022-01-31"}


def occ_table(ts):
    return [(o.code, o.due.isoformat(), o.status) for o in ts.occurrences]


def test_recurring_occurrence_statuses_and_the_duty_status():
    """As of 2021-11-01: Q1 (due 04-15) filed 04-10: on time; Q2 (due 07-15) filed
    07-20: late; Q3 (due 10-15) not filed: overdue; Q4 (due 2022-01-15, 75 days
    away): not started. The duty is overdue, its due date Q3's."""
    plan = load(task_yaml(deadline=QUARTERLY, progress=[
        ("2021-04-10", 100, "2021-Q1"),
        ("2021-07-20", 100, "2021-Q2"),
    ]), **TO_JAN)
    ts = status_of(plan, "2021-11-01")
    assert occ_table(ts) == [
        ("2021-Q1", "2021-04-15", "done_on_time"),
        ("2021-Q2", "2021-07-15", "done_late"),
        ("2021-Q3", "2021-10-15", "overdue"),
        ("2021-Q4", "2022-01-15", "not_started"),
    ]
    assert [o.done_on for o in ts.occurrences] == [D("2021-04-10"), D("2021-07-20"), None, None]
    # status, due date and percent are all of one occurrence, the overdue Q3 (docs/status.md)
    assert (ts.status, ts.due, ts.percent, ts.kind) == ("overdue", D("2021-10-15"), 0, "recurring")
    assert ts.occurrence is ts.occurrences[2]


def test_recurring_occurrence_at_both_sides_of_its_due_date():
    """Q3 is due 2021-10-15: due soon on 10-15, overdue on 10-16."""
    plan = load(task_yaml(deadline=QUARTERLY), **TO_JAN)
    q3 = {o.code: o for o in status_of(plan, "2021-10-15").occurrences}["2021-Q3"]
    assert q3.status == "due_soon"
    q3 = {o.code: o for o in status_of(plan, "2021-10-16").occurrences}["2021-Q3"]
    assert q3.status == "overdue"


def test_recurring_duty_status_is_the_first_open_occurrence():
    """Nothing filed: on 03-01 Q1 (due 04-15, 45 days) is not started; on 04-05
    (10 days) it is due soon; with a 50 % Q1 report on 03-10, seen on 03-20, it is
    in progress. The duty takes the status and due date of Q1."""
    plan = load(task_yaml(deadline=QUARTERLY), **TO_JAN)
    ts = status_of(plan, "2021-03-01")
    assert (ts.status, ts.due, ts.percent) == ("not_started", D("2021-04-15"), 0)
    ts = status_of(plan, "2021-04-05")
    assert (ts.status, ts.due) == ("due_soon", D("2021-04-15"))
    started = load(task_yaml(deadline=QUARTERLY, progress=[("2021-03-10", 50, "2021-Q1")]), **TO_JAN)
    ts = status_of(started, "2021-03-20")
    assert (ts.status, ts.due) == ("in_progress", D("2021-04-15"))
    assert ts.occurrences[0].percent == 50


def test_recurring_all_occurrences_done():
    """All four filed, Q2 two days late: the duty is done late, 100 %; with Q2 on
    time it is done on time."""
    entries = [("2021-04-10", 100, "2021-Q1"), ("2021-07-17", 100, "2021-Q2"),
               ("2021-10-10", 100, "2021-Q3"), ("2022-01-10", 100, "2021-Q4")]
    ts = status_of(load(task_yaml(deadline=QUARTERLY, progress=entries), **TO_JAN), "2022-01-20")
    assert (ts.status, ts.percent) == ("done_late", 100)
    entries[1] = ("2021-07-15", 100, "2021-Q2")
    ts = status_of(load(task_yaml(deadline=QUARTERLY, progress=entries), **TO_JAN), "2022-01-20")
    assert (ts.status, ts.percent, ts.done_on) == ("done_on_time", 100, D("2022-01-10"))


def test_recurring_entry_without_occurrence_counts_for_the_window_holding_its_date():
    """A report on 2021-05-20 without `occurrence` lies only in Q2's window
    (04-01..07-15; Q1's ended 04-15): it closes Q2."""
    plan = load(task_yaml(deadline=QUARTERLY, progress=[("2021-05-20", 100)]), **TO_JAN)
    ts = status_of(plan, "2021-06-01")
    assert [(o.code, o.status) for o in ts.occurrences][:3] == [
        ("2021-Q1", "overdue"), ("2021-Q2", "done_on_time"), ("2021-Q3", "not_started")]


def test_recurring_entry_without_occurrence_closes_one_occurrence_only():
    """With days_after 15, Q1's window is 01-01..04-15 and Q2's 04-01..07-15. One
    report on 2021-04-10 is the Q1 report; Q2 must stay open (not started on
    2021-05-01, 75 days before its due date); the duty stands where its Q2 report stands."""
    plan = load(task_yaml(deadline=QUARTERLY, progress=[("2021-04-10", 100)]), **TO_JAN)
    ts = status_of(plan, "2021-05-01")
    assert [(o.code, o.status) for o in ts.occurrences][:2] == [
        ("2021-Q1", "done_on_time"), ("2021-Q2", "not_started")]
    assert (ts.status, ts.occurrence.code, ts.percent) == ("in_progress", "2021-Q2", 0)


def test_recurring_nd09_occurrences():
    """nd09 quarters end on the 14th: Q1 is due 03-14 + 5 days = 03-19, so with no
    report it is due soon on 03-19 and overdue on 03-20."""
    plan = load(task_yaml(deadline="{every: quarter, days_after: 5}"), convention="nd09")
    ts = status_of(plan, "2021-03-19")
    assert [(o.code, o.start.isoformat(), o.due.isoformat()) for o in ts.occurrences] == [
        ("2021-Q1", "2020-12-15", "2021-03-19"),
        ("2021-Q2", "2021-03-15", "2021-06-19"),
        ("2021-Q3", "2021-06-15", "2021-09-19"),
        ("2021-Q4", "2021-09-15", "2021-12-19"),
    ]
    assert ts.status == "due_soon"
    assert code_at(plan, "2021-03-20") == "overdue"


def test_recurring_half_yearly_h1_and_y():
    """`{every: half, periods: [H1, Y]}` is the 6-month and year-end conference:
    H1 due 06-30 and H2 due 12-31."""
    plan = load(task_yaml(deadline="{every: half, periods: [H1, Y]}", progress=[("2021-06-25", 100, "2021-H1")]))
    ts = status_of(plan, "2021-07-01")
    assert occ_table(ts) == [("2021-H1", "2021-06-30", "done_on_time"), ("2021-H2", "2021-12-31", "not_started")]
    assert (ts.occurrence.code, ts.percent) == ("2021-H2", 0)  # the open occurrence's, not a share of the year
    assert status_of(plan, "2021-06-24").occurrence.code == "2021-H1"


def test_recurring_negative_days_after():
    """days_after -5: the yearly report is due 2021-12-26."""
    plan = load(task_yaml(deadline="{every: year, days_after: -5}"))
    assert occ_table(status_of(plan, "2021-12-27")) == [("2021-Y", "2021-12-26", "overdue")]


# ---------------------------------------------------------------- parents


def parent_plan(*subtasks, deadline=None, suspended=False):
    return load(task_yaml("p", deadline=deadline, suspended=suspended, subtasks=list(subtasks)))


def test_parent_percent_is_the_mean_of_non_suspended_subtasks():
    """Subtasks at 100, 50 and 0 %, and a suspended one at 80 %: mean of the
    first three = 50."""
    plan = parent_plan(
        task_yaml("a", deadline="2021-12-31", progress=[("2021-03-01", 100)]),
        task_yaml("b", deadline="2021-12-31", progress=[("2021-03-01", 50)]),
        task_yaml("c", deadline="2021-12-31"),
        task_yaml("d", deadline="2021-12-31", suspended=True, progress=[("2021-03-01", 80)]),
    )
    ts = status_of(plan, "2021-06-01", "p")
    assert (ts.percent, ts.kind, ts.status) == (50, "parent", "in_progress")
    assert [c.id for c in ts.children] == ["a", "b", "c", "d"]
    assert ts.due == D("2021-12-31")
    assert ts.last_date == D("2021-03-01")


def test_parent_percent_rounds_the_mean():
    """Subtasks at 100, 0 and 0 %: 33.3 → 33."""
    plan = parent_plan(
        task_yaml("a", deadline="2021-12-31", progress=[("2021-03-01", 100)]),
        task_yaml("b", deadline="2021-12-31"),
        task_yaml("c", deadline="2021-12-31"),
    )
    assert status_of(plan, "2021-06-01", "p").percent == 33


@pytest.mark.parametrize(
    "subtasks, expected",
    [
        # both done by their deadline
        ([("2021-06-30", [("2021-05-20", 100)]), ("2021-09-30", [("2021-05-10", 100)])], "done_on_time"),
        # one of them done after its deadline
        ([("2021-03-31", [("2021-04-05", 100)]), ("2021-09-30", [("2021-05-10", 100)])], "done_late"),
        # one overdue (03-31 passed), one done, one due soon (06-10, 9 days away)
        ([("2021-03-31", []), ("2021-09-30", [("2021-05-10", 100)]), ("2021-06-10", [])], "overdue"),
        # one due soon (06-10, 9 days away), the other not started
        ([("2021-06-10", []), ("2021-12-31", [])], "due_soon"),
        # one in progress, one not started
        ([("2021-12-31", [("2021-05-01", 30)]), ("2021-12-31", [])], "in_progress"),
        # one done, one not started
        ([("2021-12-31", [("2021-05-01", 100)]), ("2021-12-31", [])], "in_progress"),
        # all not started
        ([("2021-12-31", []), ("2021-09-30", [])], "not_started"),
    ],
)
def test_parent_status_derives_from_subtasks(subtasks, expected):
    """Seen on 2021-06-01."""
    subs = [task_yaml(f"s{i}", deadline=dl, progress=pr) for i, (dl, pr) in enumerate(subtasks)]
    plan = parent_plan(*subs)
    assert code_at(plan, "2021-06-01", "p") == expected


def test_parent_continuous_children():
    """Continuous subtasks seen on 2021-07-01, after calendar Q2 (04-01..06-30)
    ended: all with a Q2 report → ongoing; one without → stale."""
    fresh = task_yaml("a", deadline="continuous", progress=[("2021-05-01", 10)])
    also_fresh = task_yaml("b", deadline="continuous", progress=[("2021-04-01", 10)])
    stale = task_yaml("c", deadline="continuous", progress=[("2021-03-31", 10)])
    assert code_at(parent_plan(fresh, also_fresh), "2021-07-01", "p") == "ongoing"
    assert code_at(parent_plan(fresh, stale), "2021-07-01", "p") == "ongoing_stale"


def test_parent_ignores_suspended_subtasks_and_is_suspended_when_all_are():
    """An overdue subtask that is suspended does not make the parent overdue."""
    plan = parent_plan(
        task_yaml("a", deadline="2021-03-31", suspended=True),
        task_yaml("b", deadline="2021-12-31", progress=[("2021-05-01", 100)]),
    )
    ts = status_of(plan, "2021-06-01", "p")
    assert (ts.status, ts.percent) == ("done_on_time", 100)
    only_suspended = parent_plan(task_yaml("a", deadline="2021-03-31", suspended=True))
    assert code_at(only_suspended, "2021-06-01", "p") == "suspended"


def test_nested_parents():
    """Grandparent ← parent ← (done, overdue): both ancestors overdue; percents
    50 and mean(50, 100) = 75."""
    inner = task_yaml("p", subtasks=[
        task_yaml("a", deadline="2021-03-31", progress=[("2021-03-01", 100)]),
        task_yaml("b", deadline="2021-04-30"),
    ])
    plan = load(task_yaml("g", subtasks=[inner, task_yaml("c", deadline="2021-12-31", progress=[("2021-02-01", 100)])]))
    ps = compute_status(plan, D("2021-06-01"))
    by = ps.by_id()
    assert [(i, by[i].status, by[i].percent, by[i].depth) for i in ["g", "p", "a", "b", "c"]] == [
        ("g", "overdue", 75, 0), ("p", "overdue", 50, 1), ("a", "done_on_time", 100, 2),
        ("b", "overdue", 0, 2), ("c", "done_on_time", 100, 1)]
    assert [ts.id for ts in ps.walk()] == ["g", "p", "a", "b", "c"]
    assert by["a"].parent == "p" and by["p"].parent == "g" and by["g"].parent is None


# ---------------------------------------------------------------- the past is reproducible

def full_year(cut: str | None = None) -> list[str]:
    """Four tasks with reports up to December; `cut` drops the reports dated after it."""

    def keep(entries):
        return [e for e in entries if cut is None or e[0] <= cut]

    return [
        task_yaml("dated", deadline="2021-09-30",
                  progress=keep([("2021-03-01", 30), ("2021-04-20", 60), ("2021-06-10", 80), ("2021-09-01", 100)])),
        task_yaml("cont", deadline="continuous",
                  progress=keep([("2021-02-10", 10), ("2021-04-25", 20), ("2021-07-10", 30), ("2021-12-01", 40)])),
        task_yaml("rec", deadline="{every: quarter, days_after: 15}",
                  progress=keep([("2021-04-05", 100, "2021-Q1"), ("2021-07-05", 100, "2021-Q2"),
                                 ("2021-10-05", 100, "2021-Q3"), ("2021-12-20", 100, "2021-Q4")])),
        task_yaml("par", subtasks=[
            task_yaml("par.a", deadline="2021-06-30", progress=keep([("2021-04-01", 50), ("2021-11-01", 100)])),
            task_yaml("par.b", deadline="2021-12-31", progress=keep([("2021-08-01", 40)])),
        ]),
    ]


def _snapshot(ps):
    return [
        (ts.id, ts.status, ts.percent, ts.due, ts.last_date, ts.done_on,
         [(o.code, o.status, o.percent) for o in ts.occurrences])
        for ts in ps.walk()
    ] + [ps.counts(), ps.rollup(), ps.completion()]


def test_progress_after_as_of_is_ignored():
    """Computed on 2021-05-01, the plan with reports up to December gives exactly
    what the plan cut at 2021-05-01 gives."""
    full = load(*full_year())
    cut = load(*full_year(cut="2021-05-01"))
    assert sum(len(t.progress) for t, _ in cut.iter_tasks()) == 6  # of 15
    at = D("2021-05-01")
    assert _snapshot(compute_status(full, at)) == _snapshot(compute_status(cut, at))
    by = compute_status(full, at).by_id()
    assert (by["dated"].status, by["dated"].percent, by["dated"].last_date) == ("in_progress", 60, D("2021-04-20"))
    assert (by["cont"].status, by["cont"].percent) == ("ongoing", None)  # Q2 report on 04-25
    assert [(o.code, o.status) for o in by["rec"].occurrences] == [
        ("2021-Q1", "done_on_time"), ("2021-Q2", "not_started"),
        ("2021-Q3", "not_started"), ("2021-Q4", "not_started")]
    assert (by["par.a"].status, by["par.a"].percent) == ("in_progress", 50)
    assert by["par.b"].status == "not_started"
    assert by["par"].percent == 25


def test_same_plan_later_date_sees_the_later_progress():
    """Control for the test above: on 2021-12-31 the later reports count."""
    by = compute_status(load(*full_year()), D("2021-12-31")).by_id()
    assert (by["dated"].status, by["dated"].percent) == ("done_on_time", 100)
    assert (by["cont"].status, by["cont"].percent) == ("ongoing", None)
    assert by["par.a"].status == "done_late"  # 100 % on 11-01, due 06-30
    assert by["rec"].percent == 100


# ---------------------------------------------------------------- roll-up

ALL_STATUSES = [
    task_yaml("on-time", deadline="2021-06-30", progress=[("2021-06-20", 100)]),
    task_yaml("late", deadline="2021-03-31", progress=[("2021-04-10", 100)]),
    task_yaml("overdue", deadline="2021-06-15"),
    task_yaml("soon", deadline="2021-07-10"),
    task_yaml("working", deadline="2021-12-31", progress=[("2021-05-01", 50)]),
    task_yaml("waiting", deadline="2021-12-31"),
    task_yaml("cont", deadline="continuous", progress=[("2021-07-01", 40)]),
    task_yaml("cont-stale", deadline="continuous", progress=[("2021-03-01", 20)]),
    task_yaml("paused", deadline="2021-03-31", suspended=True),
    task_yaml("event", deadline="{after: Ban Thường vụ phê duyệt Đề án, within_days: 30}"),
    task_yaml("parent", subtasks=[
        task_yaml("parent.a", deadline="2021-06-30", progress=[("2021-06-01", 100)]),
        task_yaml("parent.b", deadline="2021-12-31"),
    ]),
]


def test_every_status_and_rollup_on_a_small_plan():
    """As of 2021-07-01 (calendar Q3 begins that day): one leaf in each status,
    plus a parent whose two leaves are done on time and not started."""
    ps = compute_status(load(*ALL_STATUSES), D("2021-07-01"))
    by = ps.by_id()
    assert {i: by[i].status for i in by} == {
        "on-time": "done_on_time", "late": "done_late", "overdue": "overdue", "soon": "due_soon",
        "working": "in_progress", "waiting": "not_started", "cont": "ongoing",
        "cont-stale": "ongoing_stale", "paused": "suspended", "event": "not_triggered", "parent": "in_progress",
        "parent.a": "done_on_time", "parent.b": "not_started",
    }
    assert ps.counts() == {
        "done_on_time": 2, "done_late": 1, "overdue": 1, "due_soon": 1, "in_progress": 1,
        "not_started": 2, "ongoing": 1, "ongoing_stale": 1, "not_triggered": 1, "suspended": 1,
    }
    assert ps.rollup() == {
        "done_on_time": 2, "done_late": 1, "not_done_within": 4, "not_done_overdue": 1,
        "ongoing": 2, "not_triggered": 1, "suspended": 1, "total": 12,
    }
    # top level; suspended, not triggered and continuous work (no percent) left out:
    # 100+100+0+0+50+0+50 = 300 over 7
    assert ps.completion() == 43
    assert len(ps.leaves()) == 12
    assert [ts.id for ts in ps.walk()][-3:] == ["parent", "parent.a", "parent.b"]


def test_compute_status_is_pure():
    """Two computations at the same date agree; the plan is not changed."""
    plan = load(*ALL_STATUSES)
    dump = plan.model_dump()
    first = _snapshot(compute_status(plan, D("2021-07-01")))
    assert _snapshot(compute_status(plan, D("2021-07-01"))) == first
    assert plan.model_dump() == dump


# ---------------------------------------------------------------- the shipped plan through the CLI


@pytest.fixture
def run(capsys, monkeypatch):
    """`run(*args) -> (exit_code, stdout, stderr)` for `kehoach status ARGS`."""
    monkeypatch.delenv("KEHOACH_LANG", raising=False)
    monkeypatch.delenv("KEHOACH_PLAN", raising=False)

    def _run(*args):
        capsys.readouterr()
        code = main(["status", *(str(a) for a in args)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


@pytest.fixture
def small_plan(write_plan_file):
    return write_plan_file(plan_yaml(*ALL_STATUSES))


def test_shipped_plan_json(run):
    code, out, err = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["plan"]["id"] == "dv-2021"
    assert data["as_of"] == "2021-07-01"
    plan = load_plan(PLAN_2021).plan
    ids = [t.id for t, _ in plan.iter_tasks()]
    assert len(ids) == 69
    status_by_id = compute_status(plan, dt.date(2021, 7, 1)).by_id()
    assert [t["id"] for t in data["tasks"]] == ids
    for t in data["tasks"]:
        assert {"id", "title", "lead", "support", "deadline", "status", "percent", "last_progress"} <= set(t)
        assert t["status"] in STATUS_CODES, t["id"]
        assert "text" in t["deadline"] and "due" in t["deadline"]
        # continuous work has no due date; every other task's is the one the status engine resolved
        expected_due = status_by_id[t["id"]].due
        assert t["deadline"]["due"] == (expected_due.isoformat() if expected_due else None)
        # continuous work, and a parent of only such work and recurring duties, has no percent
        kinds = {c.kind for c in status_by_id[t["id"]].walk() if c.leaf}
        if kinds == {"continuous"} or (kinds <= {"continuous", "recurring"} and status_by_id[t["id"]].children):
            assert t["percent"] is None, t["id"]
        else:
            assert isinstance(t["percent"], int) and 0 <= t["percent"] <= 100
        assert t["last_progress"] is None  # the shipped plan has no progress yet
    assert len(STATUS_CODES) == 10
    counts, rollup = data["summary"]["counts"], data["summary"]["rollup"]
    assert set(counts) == set(STATUS_CODES)
    leaves = [t for t, _ in plan.iter_tasks() if not t.subtasks]
    assert sum(counts.values()) == rollup["total"] == len(leaves)
    assert set(rollup) == {"done_on_time", "done_late", "not_done_within", "not_done_overdue",
                           "ongoing", "not_triggered", "suspended", "total"}
    # the summary counts leaves: compare with the leaf rows of the JSON
    leaf_ids = {t.id for t in leaves}
    for c in STATUS_CODES:
        assert counts[c] == sum(1 for t in data["tasks"] if t["id"] in leaf_ids and t["status"] == c), c


def test_shipped_plan_half_yearly_report_overdue_on_2021_07_01(run):
    """IV.1.b (`{every: half}`, nothing reported) is due 2021-06-30: overdue on 07-01."""
    code, out, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--format", "json")
    task = {t["id"]: t for t in json.loads(out)["tasks"]}["IV.1.b"]
    assert (task["status"], task["deadline"]["due"]) == ("overdue", "2021-06-30")
    assert [(o["code"], o["status"]) for o in task["occurrences"]] == [
        ("2021-H1", "overdue"), ("2021-H2", "not_started")]


# ---------------------------------------------------------------- CLI behaviour


def test_fail_on_overdue(run, small_plan):
    """On 2021-07-01 one task is overdue: exit 1. On 2021-01-05 nothing is: exit 0."""
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-07-01", "--fail-on", "overdue", "-f", "json")
    assert code == 1
    assert json.loads(out)["summary"]["counts"]["overdue"] == 1
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-01-05", "--fail-on", "overdue", "-f", "json")
    assert code == 0
    assert json.loads(out)["summary"]["counts"]["overdue"] == 0


def test_fail_on_shipped_plan(run):
    code, _, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--fail-on", "overdue", "-f", "json")
    assert code == 1
    code, _, _ = run("--plan", PLAN_2021, "--as-of", "2021-01-05", "--fail-on", "overdue", "-f", "json")
    assert code == 0
    code, _, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--fail-on", "done_late", "-f", "json")
    assert code == 0  # nothing is done at all


def test_status_filter(run, small_plan):
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-07-01", "--status", "overdue", "-f", "json")
    assert code == 0
    assert [(t["id"], t["status"]) for t in json.loads(out)["tasks"]] == [("overdue", "overdue")]
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-07-01", "--status", "overdue,due_soon",
                       "--status", "suspended", "-f", "json")
    assert [t["id"] for t in json.loads(out)["tasks"]] == ["overdue", "soon", "paused"]


def test_status_filter_shipped_plan(run):
    _, full, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "-f", "json")
    expected = [t["id"] for t in json.loads(full)["tasks"] if t["status"] == "overdue"]
    _, out, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--status", "overdue", "-f", "json")
    got = json.loads(out)["tasks"]
    assert [t["id"] for t in got] == expected
    assert expected and {t["status"] for t in got} == {"overdue"}


@pytest.mark.parametrize("query", ["so noi vu", "Sở Nội vụ", "SỞ NỘI VỤ", "snv", "so-noi-vu"])
def test_body_filter_without_diacritics_and_through_groups(run, query):
    """Sở Nội vụ leads IV.1 and is a member of the group `cac-so-nganh`
    ("Các sở, ban, ngành tỉnh"), which supports II.3.a: both show. II.1.a
    (BDVTU and BCSĐ UBND tỉnh only) does not."""
    code, out, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--body", query, "-f", "json")
    assert code == 0
    tasks = {t["id"]: t for t in json.loads(out)["tasks"]}
    assert "IV.1" in tasks and "so-noi-vu" in tasks["IV.1"]["lead"]
    assert "II.3.a" in tasks and "cac-so-nganh" in tasks["II.3.a"]["support"]
    assert "so-noi-vu" not in tasks["II.3.a"]["lead"] + tasks["II.3.a"]["support"]
    assert "II.1.a" not in tasks
    parents = {t["parent"] for t in tasks.values()}
    for t in tasks.values():  # every task listed involves the body, or holds one that does
        if t["id"] not in parents:
            assert {"so-noi-vu", "cac-so-nganh"} & set(t["lead"] + t["support"]), t["id"]


def test_body_filter_by_group_finds_member_tasks(run):
    """Filtering by the group finds tasks that name only a member (IV.1 names Sở Nội vụ)."""
    code, out, _ = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--body", "cac so, ban, nganh tinh",
                       "-f", "json")
    assert code == 0
    ids = [t["id"] for t in json.loads(out)["tasks"]]
    assert "IV.1" in ids and "II.3.a" in ids and "II.1.a" not in ids


def test_body_filter_unknown_body(run):
    code, out, err = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--body", "bo ngoai giao")
    assert code == 2
    assert "bo ngoai giao" in err and "Traceback" not in err


SORT_BODIES = """\
  - {id: a, name: Ban A, kind: party}
  - {id: gd, name: Giáo dục, kind: state}
  - {id: dtn, name: Đoàn Thanh niên, kind: mass}
  - {id: easup, name: Ea Súp, kind: state}
  - {id: dt, name: Dân tộc, kind: state}
  - {id: duoc, name: Dược liệu, kind: state}
  - {id: nhom, name: Nhóm sở, kind: group, members: [gd, dt]}
"""


def test_by_body_in_vietnamese_alphabetical_order(run, write_plan_file):
    """Đ is its own letter after D: Dân, Dược, Đoàn, Ea, Giáo. (Sorting by code
    point puts Đoàn last; sorting without diacritics puts Đoàn before Dược.)
    A task led by a group shows under each of its members."""
    tasks = [task_yaml(i, lead=b, deadline="2021-12-31")
             for i, b in [("t-gd", "gd"), ("t-dtn", "dtn"), ("t-ea", "easup"), ("t-dt", "dt"),
                          ("t-duoc", "duoc"), ("t-nhom", "nhom")]]
    path = write_plan_file(plan_yaml(*tasks, bodies=SORT_BODIES))
    code, out, err = run("--plan", path, "--as-of", "2021-07-01", "--by", "body", "-f", "markdown")
    assert code == 0, err
    headings = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["Dân tộc", "Dược liệu", "Đoàn Thanh niên", "Ea Súp", "Giáo dục"]
    sections = re.split(r"^## ", out, flags=re.M)[1:]
    rows = {s.splitlines()[0]: re.findall(r"^\| (t-[a-z]+) \|", s, flags=re.M) for s in sections}
    assert rows == {
        "Dân tộc": ["t-dt", "t-nhom"], "Dược liệu": ["t-duoc"], "Đoàn Thanh niên": ["t-dtn"],
        "Ea Súp": ["t-ea"], "Giáo dục": ["t-gd", "t-nhom"],
    }


def test_by_status_groups(run, small_plan):
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-07-01", "--by", "status", "-f", "markdown")
    assert code == 0
    headings = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert headings == [LABELS["vi"][c] for c in STATUS_CODES]


@pytest.mark.parametrize("bad", ["2021-13-01", "2021-02-30", "yesterday", "01/07/2021", ""])
def test_bad_as_of(run, bad):
    code, out, err = run("--plan", PLAN_2021, "--as-of", bad)
    assert code == 2
    assert "--as-of" in err and f"'{bad}'" in err and "YYYY-MM-DD" in err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("option", ["--status", "--fail-on"])
def test_unknown_status_code(run, option):
    code, out, err = run("--plan", PLAN_2021, "--as-of", "2021-07-01", option, "foo")
    assert code == 2
    assert option in err and "'foo'" in err and "overdue" in err  # names the valid codes
    assert "Traceback" not in err and out == ""


def test_unknown_group_by(run):
    code, _, err = run("--plan", PLAN_2021, "--as-of", "2021-07-01", "--by", "colour")
    assert code == 2
    assert "--by" in err and "colour" in err and "Traceback" not in err


def test_soon_option(run, write_plan_file):
    """Due 2021-07-10, seen on 2021-07-01 (9 days): due soon with the default 14,
    not started with --soon 5."""
    path = write_plan_file(plan_yaml(task_yaml(deadline="2021-07-10")))
    _, out, _ = run("--plan", path, "--as-of", "2021-07-01", "-f", "json")
    assert json.loads(out)["tasks"][0]["status"] == "due_soon"
    _, out, _ = run("--plan", path, "--as-of", "2021-07-01", "--soon", "5", "-f", "json")
    data = json.loads(out)
    assert (data["tasks"][0]["status"], data["soon_days"]) == ("not_started", 5)


def test_lang_en(run, small_plan):
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-07-01", "-f", "json", "--lang", "en")
    assert code == 0
    labels = {t["id"]: t["status_label"] for t in json.loads(out)["tasks"]}
    assert labels["overdue"] == "Not done, overdue"
    assert labels["cont-stale"] == "Continuous, no report last period"
    code, out, _ = run("--plan", small_plan, "--as-of", "2021-07-01", "-f", "markdown", "--lang", "en")
    assert "| Not done, overdue |" in out and "| Done late |" in out
    assert "Chưa hoàn thành" not in out and "Tình trạng" not in out and "| Status |" in out


# ---------------------------------------------------------------- the table in a terminal of 80 columns


def _env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("KEHOACH_LANG", "KEHOACH_PLAN", "NO_COLOR", "FORCE_COLOR", "KEHOACH_DEBUG")}
    env.update(COLUMNS="80", **extra)
    return env


def _table(*args, **env):
    proc = subprocess.run([str(KEXE), "status", *map(str, args)], capture_output=True,
                          env=_env(**env), cwd=str(ROOT))
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def _rows(plan_path, lang="vi"):
    ps = compute_status(load_plan(plan_path).plan, D("2021-07-01"))
    return [(ts.id, ts.depth, LABELS[lang][ts.status]) for ts in ps.walk()]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("which", ["shipped", "small"])
def test_table_fits_80_columns_with_whole_status_labels(which, lang, small_plan):
    """Piped output, COLUMNS=80: no line is wider than 80 characters, and each
    row's first line holds its id and its whole status label."""
    path = PLAN_2021 if which == "shipped" else small_plan
    code, out, err = _table("--plan", path, "--as-of", "2021-07-01", "--lang", lang)
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert [line for line in lines if len(line) > 80] == []
    for ident, depth, label in _rows(path, lang):
        row_line = [line for line in lines if re.match("^" + " " * (2 * depth) + re.escape(ident) + " ", line)]
        assert row_line, ident
        assert label in row_line[0], (ident, label, row_line[0])
    if which == "small":
        # every one of the 10 labels is printed whole somewhere
        for code_ in STATUS_CODES:
            assert LABELS[lang][code_] in out
    else:
        assert LABELS[lang]["ongoing_stale"] in out  # no progress logged: Q2 ended unreported


@pytest.mark.slow  # about a second
def test_table_without_color_when_no_color_is_set(small_plan):
    """NO_COLOR=1: no escape character, even with FORCE_COLOR=1 and a colour
    terminal. (Control: FORCE_COLOR alone does colour the output.)"""
    args = ("--plan", small_plan, "--as-of", "2021-07-01")
    _, out, _ = _table(*args, NO_COLOR="1")
    assert "\x1b" not in out and "Chưa hoàn thành, quá hạn" in out
    _, out, _ = _table(*args, NO_COLOR="1", FORCE_COLOR="1", TERM="xterm-256color")
    assert "\x1b" not in out and "Chưa hoàn thành, quá hạn" in out
    _, out, _ = _table(*args, FORCE_COLOR="1", TERM="xterm-256color")
    assert "\x1b[" in out


def test_table_lang_en_headers(small_plan):
    code, out, _ = _table("--plan", small_plan, "--as-of", "2021-07-01", "--lang", "en")
    assert code == 0
    assert "Not done, overdue" in out and "Completion by lead body" in out
    assert "Chưa hoàn thành" not in out and "Tiến độ theo cơ quan chủ trì" not in out


def test_table_bad_as_of_in_a_subprocess_has_no_traceback():
    code, out, err = _table("--plan", PLAN_2021, "--as-of", "2021-07-32")
    assert code == 2
    assert "'2021-07-32'" in err and "Traceback" not in err


def test_a_duty_done_every_time_is_not_worded_as_its_last_occurrence():
    """The first half's conference held late, the second's on time: the duty is "done late" as a
    whole, and its deadline words no longer name the second half (that read "kỳ 6 tháng cuối năm
    2021 — hoàn thành quá hạn" beside a report saying it was held on time)."""
    from kehoach.views.statusview import deadline_words

    plan = load(task_yaml(deadline="{every: half}", progress=[("2021-07-15", 100, "2021-H1"),
                                                              ("2021-12-28", 100, "2021-H2")]))
    ts = status_of(plan, "2021-12-31")
    assert ts.status == "done_late"
    assert deadline_words(ts, "vi") == "định kỳ 6 tháng"
    open_one = status_of(plan, "2021-12-20")  # the second half still open: its occurrence named
    assert open_one.status != "done_late" and "6 tháng cuối năm 2021" in deadline_words(open_one, "vi")


def test_bodies_whose_names_hold_commas_are_listed_apart():
    """"UBND tỉnh, Các sở, ban, ngành, UBND cấp huyện" did not say where one body ends."""
    from kehoach.plan.bodies import Bodies

    bodies = Bodies(load_plan(PLAN_2021).plan)
    assert bodies.shorts(["bdvtu", "bcsd-ubnd"]) == "BDVTU, BCSĐ UBND tỉnh"
    assert bodies.shorts(["ubnd-tinh", "cac-so-nganh", "ubnd-huyen"]) == \
        "UBND tỉnh; các sở, ban, ngành; UBND cấp huyện"


def test_a_mean_percent_is_rounded_half_up_as_a_reader_rounds_it():
    """Two leads at 100 % and 85 %: the task stands at 93 % (92,5 rounded up), not Python's 92
    (half to even) beside the two figures it is the mean of; so does a parent over two subtasks."""
    bodies = "  - {id: a, name: Ban A, kind: party}\n  - {id: b, name: Sở B, kind: state}\n"
    task = ("- id: t\n  title: Việc hai cơ quan chủ trì\n  lead: [a, b]\n  deadline: 2021-12-31\n"
            "  progress:\n"
            "    - {date: 2021-06-01, body: a, percent: 100, note: Xong phần A}\n"
            "    - {date: 2021-06-02, body: b, percent: 85, note: Gần xong phần B}\n")
    parent = task_yaml("p", subtasks=[task_yaml("p.1", "2021-12-31", [("2021-06-01", 90)]),
                                      task_yaml("p.2", "2021-12-31", [("2021-06-01", 15)])])
    plan = load(task, parent, bodies=bodies)
    assert status_of(plan, "2021-07-01").percent == 93
    assert status_of(plan, "2021-07-01", "p").percent == 53


def test_the_plans_completion_is_the_mean_of_the_percents_its_rows_show():
    """A parent of subtasks at 100 % and 85 % shows 93 %, a task beside it 92 %: the plan's
    completion is 93 % (the mean a reader takes of the two rows), not 92 % from the parent's
    unrounded 92,5."""
    parent = task_yaml("p", subtasks=[task_yaml("p.1", "2021-12-31", [("2021-02-01", 100)]),
                                      task_yaml("p.2", "2021-12-31", [("2021-02-01", 85)])])
    plan = load(parent, task_yaml("b", "2021-12-31", [("2021-02-01", 92)]))
    ps = compute_status(plan, D("2021-03-01"))
    assert ps.by_id()["p"].percent == 93 and ps.by_id()["b"].percent == 92
    assert ps.completion() == 93


def test_a_body_is_found_by_its_id_typed_with_spaces(kehoach):
    """`--body "mttq tinh"` and `--body "ubnd ba to"` found nothing, while "so noi vu" (a name)
    did: the id `mttq-tinh` typed as an official types it."""
    from kehoach.plan.bodies import Bodies

    bodies = Bodies(load_plan(PLAN_2021).plan)
    assert bodies.match("mttq tinh") == ["mttq-tinh"]
    assert bodies.match("UBND BA TO") == ["ubnd-ba-to"]
    assert bodies.match("mttq-tinh") == ["mttq-tinh"]
    code, _, err = kehoach("status", "--plan", str(PLAN_2021), "--body", "mttq tinh", "--as-of", "2021-07-01")
    assert code == 0 and "không có cơ quan nào khớp" not in err


def test_the_plan_completion_never_falls_when_a_periodic_report_is_made():
    """The plan stood at 35 % on 1/7/2021 and 30 % on 3/7: the 6-month report was made on 2/7,
    and the parent of the reporting duties fell from the H1 report's 50 % to the H2 report's 0 %.
    A recurring duty is counted by its reports ("lượt"), not in the completion nor in its parent's
    percent; its own row keeps its occurrence's percent."""
    reports = task_yaml("r", "{every: half}", [("2021-06-20", 50, "2021-H1"), ("2021-07-02", 100, "2021-H1")])
    plan = load(task_yaml("t", "2021-12-31", [("2021-06-01", 40)]),
                task_yaml("p", subtasks=[reports]))
    before, after = compute_status(plan, D("2021-07-01")), compute_status(plan, D("2021-07-03"))
    assert before.completion() == after.completion() == 40
    assert before.by_id()["p"].percent is None and before.by_id()["r"].percent == 50
    assert after.by_id()["r"].percent == 0  # the row: the H2 report, not begun
