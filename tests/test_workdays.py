"""Tests of src/kehoach/workdays.py: weekends and Vietnamese public holidays,
the plan's own `holidays:` overriding them, and the `non-working-day` warning
of `kehoach check` at the line and column of the deadline value.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kehoach.base.workdays import non_working_reason, previous_working_day
from kehoach.plan.checks import check_workdays
from kehoach.plan.loader import load_plan, load_text

ROOT = Path(__file__).resolve().parent.parent
D = dt.date.fromisoformat


def pos(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, col) of the `occurrence`-th `needle` in `text`."""
    at = -1
    for _ in range(occurrence):
        at = text.find(needle, at + 1)
        assert at >= 0, needle
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def plan_text(tasks: str, extra: str = "") -> str:
    head = textwrap.dedent(
        """\
        plan:
          id: p
          title: Kế hoạch thử
          issuers: [a]
          period:
            start: 2021-01-01
            end: 2021-12-31
        bodies:
          - {id: a, name: Ban A, kind: party}
        """
    )
    return head + "tasks:\n" + textwrap.indent(textwrap.dedent(tasks), "  ") + textwrap.dedent(extra)


def warnings(text: str):
    loaded = load_text(text, "plan.yaml")
    assert loaded.plan is not None and not loaded.result().errors, [d.message("en") for d in loaded.diagnostics]
    return [d for d in loaded.diagnostics if d.code == "non-working-day"]


# ---------------------------------------------------------------- reasons


@pytest.mark.parametrize(
    "day, vi, en",
    [
        ("2021-02-12", "ngày lễ: Tết Nguyên Đán", "a public holiday: Lunar New Year"),
        ("2021-02-10", "ngày lễ: 29 Tết", "a public holiday: 29 of Lunar New Year"),  # the 2021 Tết break
        ("2021-04-21", "ngày lễ: Ngày Giỗ Tổ Hùng Vương", "a public holiday: Hung Kings' Commemoration Day"),
        ("2021-09-02", "ngày lễ: Quốc khánh", "a public holiday: National Day"),
        ("2021-09-03", "ngày lễ: Quốc khánh", "a public holiday: National Day"),
    ],
)
def test_public_holidays(day, vi, en):
    assert non_working_reason(D(day), None) == {"vi": vi, "en": en}


def test_weekends():
    assert non_working_reason(D("2021-05-08"), None) == {"vi": "thứ Bảy", "en": "Saturday"}
    assert non_working_reason(D("2021-05-09"), None) == {"vi": "Chủ nhật", "en": "Sunday"}
    assert non_working_reason(D("2021-10-31"), None) == {"vi": "Chủ nhật", "en": "Sunday"}


def test_holiday_on_a_weekend_names_both():
    """1 May 2021 is a Saturday and Labour Day; the Monday after is the day off in lieu."""
    reason = non_working_reason(D("2021-05-01"), None)
    assert reason["vi"].startswith("thứ Bảy, ngày lễ: ")
    assert reason["en"].startswith("Saturday, a public holiday: International Labor Day")
    assert non_working_reason(D("2021-05-03"), None)["vi"].startswith("ngày lễ: ")


@pytest.mark.parametrize("day", ["2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31", "2021-05-04"])
def test_working_days(day):
    assert non_working_reason(D(day), None) is None


def test_previous_working_day_skips_tet():
    assert previous_working_day(D("2021-02-12")) == D("2021-02-09")
    assert previous_working_day(D("2021-05-10")) == D("2021-05-07")


# ---------------------------------------------------------------- the warning


def test_holiday_deadline_warns_at_the_value():
    text = plan_text(
        """\
        - id: t1
          title: Việc một
          lead: [a]
          deadline: 2021-06-30
        - id: t2
          title: Việc hai
          lead: [a]
          deadline: 2021-02-12
        """
    )
    (d,) = warnings(text)
    assert d.severity == "warning"
    assert (d.line, d.col) == pos(text, "2021-02-12")
    assert d.loc == ("tasks", 1, "deadline")
    assert d.params["date"] == {"vi": "12/02/2021", "en": "2021-02-12"}
    assert d.params["day"] == {"vi": "ngày lễ: Tết Nguyên Đán", "en": "a public holiday: Lunar New Year"}
    assert d.message("vi") == "thời hạn 12/02/2021 rơi vào ngày lễ: Tết Nguyên Đán"
    assert d.message("en") == "the due date 2021-02-12 falls on a public holiday: Lunar New Year"
    assert "09/02/2021" in d.hint("vi") and "2021-02-09" in d.hint("en")
    assert "holidays:" in d.hint("vi")


def test_subtask_date_on_a_sunday_warns_and_a_month_ending_on_one_does_not():
    """"tháng 10/2021" names the month, not its last day: that 31/10 is a Sunday is no mistake
    the plan's authors could fix, while a date they chose can be moved."""
    text = plan_text(
        """\
        - id: t
          title: Việc cha
          lead: [a]
          subtasks:
            - id: t.a
              title: Việc con
              lead: [a]
              deadline: 2021-10-31
            - id: t.b
              title: Việc con hai
              lead: [a]
              deadline: 2021-10
            - id: t.c
              title: Việc con ba
              lead: [a]
              deadline: 2021-09..2021-10
        """
    )
    (d,) = warnings(text)
    assert d.loc == ("tasks", 0, "subtasks", 0, "deadline")
    assert (d.line, d.col) == pos(text, "2021-10-31")
    assert d.message("vi") == "thời hạn 31/10/2021 rơi vào Chủ nhật"
    assert d.message("en") == "the due date 2021-10-31 falls on Sunday"


def test_a_range_ending_on_a_chosen_sunday_warns():
    text = plan_text(
        """\
        - id: t
          title: Việc
          lead: [a]
          deadline: 2021-09..2021-10-31
        """
    )
    (d,) = warnings(text)
    assert d.message("vi") == "thời hạn 31/10/2021 rơi vào Chủ nhật"


def test_next_years_period_deadlines_do_not_warn():
    """31/12/2022 is a Saturday: "năm 2022", "quý IV/2022" and a 6-monthly duty end on it."""
    text = plan_text(
        """\
        - id: y
          title: Cả năm
          lead: [a]
          deadline: 2022
        - id: q
          title: Quý IV
          lead: [a]
          deadline: 2022-Q4
        - id: h
          title: Sáu tháng
          lead: [a]
          deadline: {every: half}
        """
    ).replace("2021-01-01", "2022-01-01").replace("2021-12-31", "2022-12-31")
    assert warnings(text) == []


def test_recurring_duty_warns_once_per_bad_occurrence():
    """Due 5 days after each month: of 2021, 05/02 is a Friday but 05/06 a Saturday, 05/09 and
    05/12 Sundays, and 05/01/2022 (after December) a Wednesday; the month ends themselves
    (31/01 a Sunday) are not warned about."""
    text = plan_text(
        """\
        - id: m
          title: Báo cáo tháng
          lead: [a]
          deadline: {every: month, days_after: 5}
        - id: n
          title: Báo cáo cuối tháng
          lead: [a]
          deadline: {every: month}
        """
    )
    found = warnings(text)
    assert [d.params["occurrence"] for d in found] == ["2021-M05", "2021-M08", "2021-M11"]
    assert {(d.line, d.col) for d in found} == {pos(text, "{every: month, days_after: 5}")}
    first = found[0]
    assert first.message("vi") == "thời hạn 05/6/2021 (kỳ tháng 5 năm 2021) rơi vào thứ Bảy"
    assert first.message("en") == "the due date 2021-06-05 (May 2021) falls on Saturday"


def test_quarterly_duty_on_calendar_quarters_is_clean():
    text = plan_text(
        """\
        - id: q
          title: Báo cáo quý
          lead: [a]
          deadline: {every: quarter}
        """
    )
    assert warnings(text) == []


def test_nd09_quarter_cut_off_on_a_sunday_is_not_warned():
    """Under nd09 the 2021 Q1 ends on 14/03, a Sunday: the decree's cut-off, not the plan's choice."""
    text = plan_text(
        """\
        - id: q
          title: Báo cáo quý
          lead: [a]
          deadline: {every: quarter}
        """,
        "reporting: {convention: nd09}\n",
    )
    assert warnings(text) == []


def test_triggered_deadline_warns():
    text = plan_text(
        """\
        - id: t
          title: Sau phê duyệt
          lead: [a]
          deadline: {after: Ban Thường vụ phê duyệt, within_days: 5, triggered_on: 2021-04-28}
        - id: u
          title: Chưa phê duyệt
          lead: [a]
          deadline: {after: Ban Thường vụ phê duyệt, within_days: 5}
        """
    )
    (d,) = warnings(text)  # 28/04 + 5 = 03/05, Labour Day in lieu
    assert d.params["date"]["vi"] == "03/5/2021"
    assert d.loc == ("tasks", 0, "deadline")


def test_meeting_date_warns_at_when():
    text = plan_text(
        """\
        - id: t
          title: Việc
          lead: [a]
          deadline: continuous
        """,
        "meetings:\n  - id: hn\n    name: Hội nghị\n    when: 2021-07-31\n",
    )
    (d,) = warnings(text)
    assert d.loc == ("meetings", 0, "when")
    assert (d.line, d.col) == pos(text, "2021-07-31")
    assert d.message("vi") == "thời gian hội nghị 31/7/2021 rơi vào thứ Bảy"
    assert d.message("en") == "the meeting date 2021-07-31 falls on Saturday"


# ---------------------------------------------------------------- the plan's holidays


def test_plan_holidays_override_both_ways():
    tasks = """\
        - id: s
          title: Việc thứ Bảy
          lead: [a]
          deadline: 2021-05-08
        - id: w
          title: Việc thứ Tư
          lead: [a]
          deadline: 2021-06-30
        """
    before = warnings(plan_text(tasks))
    assert [d.params["date"]["vi"] for d in before] == ["08/5/2021"]
    text = plan_text(
        tasks,
        textwrap.dedent(
            """\
            holidays:
              - {date: 2021-05-08, name: Làm bù cho ngày 03/5, off: false}
              - {date: 2021-06-30, name: Nghỉ bù theo thông báo của Chính phủ}
            """
        ),
    )
    (d,) = warnings(text)
    assert d.params["date"]["vi"] == "30/6/2021"
    assert d.params["day"] == {
        "vi": "ngày nghỉ: Nghỉ bù theo thông báo của Chính phủ",
        "en": "a day off: Nghỉ bù theo thông báo của Chính phủ",
    }
    assert (d.line, d.col) == pos(text, "2021-06-30")
    plan = load_text(text, "plan.yaml").plan
    assert non_working_reason(D("2021-05-08"), plan) is None
    assert non_working_reason(D("2021-05-09"), plan) == {"vi": "Chủ nhật", "en": "Sunday"}


def test_plan_holiday_can_make_a_public_holiday_a_working_day():
    text = plan_text(
        """\
        - id: t
          title: Việc
          lead: [a]
          deadline: 2021-09-03
        """,
        "holidays:\n  - {date: 2021-09-03, name: Làm việc, off: false}\n",
    )
    assert warnings(text) == []


# ---------------------------------------------------------------- kehoach check and the shipped plan


def test_check_cli_shows_the_warning(write_plan_file, run_check_cli):
    text = plan_text(
        """\
        - id: t
          title: Việc
          lead: [a]
          deadline: 2021-02-12
        """
    )
    path = write_plan_file(text)
    line, col = pos(text, "2021-02-12")
    code, out, _ = run_check_cli(path)
    assert code == 0
    assert (f"{path}:{line}:{col}: cảnh báo: thời hạn 12/02/2021 rơi vào ngày lễ: Tết Nguyên Đán "
            "[non-working-day]") in out
    code, out, _ = run_check_cli("--lang", "en", "--strict", path)
    assert code == 1
    assert f"{path}:{line}:{col}: error: the due date 2021-02-12 falls on a public holiday: Lunar New Year" in out


def test_shipped_plan_has_no_non_working_due_date():
    loaded = load_plan(ROOT / "plans" / "2021.yaml")
    assert loaded.ok
    assert check_workdays(loaded.plan) == []


def test_holidays_is_imported_lazily():
    code = "import sys, kehoach.plan.loader, kehoach.base.workdays; sys.exit('holidays' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
