"""Deadline forms, report periods and the two period conventions (kehoach.base.periods).

Calendar: quarters, halves, nine months and the year follow the calendar.
nd09 (Nghị định 09/2019/NĐ-CP): a period starts on the 15th of the month before
its first month and ends on the 14th of its last month, so Q1 2021 starts on
2020-12-15.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.base.deadlines import Continuous, DeadlineError
from kehoach.base.deadlines import parse_text as parse_deadline
from kehoach.base.periods import PeriodError, occurrences, parse_period, period_containing, report_period


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ---------------------------------------------------------------- deadline forms


@pytest.mark.parametrize(
    "text, kind, start, end",
    [
        ("2021-06-30", "date", "2021-06-30", "2021-06-30"),
        ("2021-02-28", "date", "2021-02-28", "2021-02-28"),
        ("2024-02-29", "date", "2024-02-29", "2024-02-29"),  # leap day exists in 2024
        ("2021-12", "month", "2021-12-01", "2021-12-31"),
        ("2021-02", "month", "2021-02-01", "2021-02-28"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),  # leap February
        ("2021-04", "month", "2021-04-01", "2021-04-30"),
        ("2021-Q1", "quarter", "2021-01-01", "2021-03-31"),
        ("2021-Q2", "quarter", "2021-04-01", "2021-06-30"),
        ("2021-Q3", "quarter", "2021-07-01", "2021-09-30"),
        ("2021-Q4", "quarter", "2021-10-01", "2021-12-31"),
        ("2021-q2", "quarter", "2021-04-01", "2021-06-30"),  # lower case accepted
        ("2021-H1", "half", "2021-01-01", "2021-06-30"),
        ("2021-H2", "half", "2021-07-01", "2021-12-31"),
        ("2021-9M", "nine", "2021-01-01", "2021-09-30"),
        ("2021-9m", "nine", "2021-01-01", "2021-09-30"),
        ("2021", "year", "2021-01-01", "2021-12-31"),
        ("2021-03..2021-06", "range", "2021-03-01", "2021-06-30"),
        ("2021-Q2..2021-H2", "range", "2021-04-01", "2021-12-31"),
        ("2021-03-15..2021-04", "range", "2021-03-15", "2021-04-30"),
        ("2021-12..2022-Q1", "range", "2021-12-01", "2022-03-31"),  # across a year
        ("2021-06..2021-06-15", "range", "2021-06-01", "2021-06-15"),
        (" 2021-03 .. 2021-06 ", "range", "2021-03-01", "2021-06-30"),  # spaces ignored
    ],
)
def test_deadline_form_window(text, kind, start, end):
    w = parse_deadline(text)
    assert (w.kind, w.start, w.end) == (kind, D(start), D(end))
    assert w.due == D(end)  # the due date is the last day of the window
    assert w.text == text.strip()


@pytest.mark.parametrize("text", ["continuous", "Continuous", "thường xuyên", "Thường xuyên", "thuong xuyen",
                                  " continuous "])
def test_continuous_words_have_no_due_date(text):
    w = parse_deadline(text)
    assert isinstance(w, Continuous) and w.review == "quarter" and not hasattr(w, "due")


def test_continuous_word_in_decomposed_unicode_is_recognised():
    """'thường xuyên' typed in NFD (combining marks) is the same word."""
    import unicodedata

    w = parse_deadline(unicodedata.normalize("NFD", "thường xuyên"))
    assert isinstance(w, Continuous)


@pytest.mark.parametrize(
    "text, in_message",
    [
        ("2021-Q5", "2021-Q5"),
        ("2021-Q0", "2021-Q0"),
        ("2021-13", "13"),
        ("2021-00", "0"),
        ("2021-02-30", "2021-02-30"),
        ("2021-06-31", "2021-06-31"),
        ("2021-02-29", "2021-02-29"),  # 2021 is not a leap year
        ("2021-06..2021-03", "2021-06..2021-03"),  # reversed range
        ("2021-H3", "2021-H3"),
        ("2021-6", "2021-6"),
        ("21-06", "21-06"),
        ("1899", "1899"),
        ("abc", "abc"),
        ("", ""),
        ("   ", ""),
        ("2021..", ""),
        ("..2021", ""),
        ("continuous..2021", "continuous"),
    ],
)
def test_bad_deadline_raises_deadline_error(text, in_message):
    with pytest.raises(DeadlineError) as info:
        parse_deadline(text)
    assert isinstance(info.value, ValueError)  # callers catching ValueError see it too
    assert in_message in str(info.value)


def test_reversed_range_by_one_day_is_refused_but_same_day_is_accepted():
    """A range may end on its start day; ending the day before is reversed."""
    assert parse_deadline("2021-06-30..2021-06-30").end == D("2021-06-30")
    with pytest.raises(DeadlineError):
        parse_deadline("2021-07-01..2021-06-30")


@pytest.mark.parametrize("text, code", [("", "bad-deadline"), ("2021-Q5", "bad-deadline"),
                                        ("2021-02-30", "invalid-date")])
def test_bad_deadline_message_names_the_allowed_forms(text, code):
    from kehoach.base.messages import render

    with pytest.raises(DeadlineError) as info:
        parse_deadline(text)
    assert info.value.code == code
    hint = render(code, "hint", info.value.params, "vi")
    assert any(form in hint for form in ("2021-06-30", "2021-Q2", "YYYY", "NĂM-THÁNG-NGÀY"))


# ---------------------------------------------------------------- report periods

CALENDAR_2021 = {
    "Q1": ("2021-01-01", "2021-03-31"),
    "Q2": ("2021-04-01", "2021-06-30"),
    "Q3": ("2021-07-01", "2021-09-30"),
    "Q4": ("2021-10-01", "2021-12-31"),
    "H1": ("2021-01-01", "2021-06-30"),
    "H2": ("2021-07-01", "2021-12-31"),
    "9M": ("2021-01-01", "2021-09-30"),
    "Y": ("2021-01-01", "2021-12-31"),
    "M01": ("2021-01-01", "2021-01-31"),
    "M02": ("2021-02-01", "2021-02-28"),
    "M03": ("2021-03-01", "2021-03-31"),
    "M04": ("2021-04-01", "2021-04-30"),
    "M05": ("2021-05-01", "2021-05-31"),
    "M06": ("2021-06-01", "2021-06-30"),
    "M07": ("2021-07-01", "2021-07-31"),
    "M08": ("2021-08-01", "2021-08-31"),
    "M09": ("2021-09-01", "2021-09-30"),
    "M10": ("2021-10-01", "2021-10-31"),
    "M11": ("2021-11-01", "2021-11-30"),
    "M12": ("2021-12-01", "2021-12-31"),
}

ND09_2021 = {
    "Q1": ("2020-12-15", "2021-03-14"),  # starts in the previous year
    "Q2": ("2021-03-15", "2021-06-14"),
    "Q3": ("2021-06-15", "2021-09-14"),
    "Q4": ("2021-09-15", "2021-12-14"),
    "H1": ("2020-12-15", "2021-06-14"),
    "H2": ("2021-06-15", "2021-12-14"),
    "9M": ("2020-12-15", "2021-09-14"),
    "Y": ("2020-12-15", "2021-12-14"),
    "M01": ("2020-12-15", "2021-01-14"),
    "M02": ("2021-01-15", "2021-02-14"),
    "M03": ("2021-02-15", "2021-03-14"),
    "M04": ("2021-03-15", "2021-04-14"),
    "M05": ("2021-04-15", "2021-05-14"),
    "M06": ("2021-05-15", "2021-06-14"),
    "M07": ("2021-06-15", "2021-07-14"),
    "M08": ("2021-07-15", "2021-08-14"),
    "M09": ("2021-08-15", "2021-09-14"),
    "M10": ("2021-09-15", "2021-10-14"),
    "M11": ("2021-10-15", "2021-11-14"),
    "M12": ("2021-11-15", "2021-12-14"),
}


@pytest.mark.parametrize(
    "convention, key, start, end",
    [("calendar", k, s, e) for k, (s, e) in CALENDAR_2021.items()]
    + [("nd09", k, s, e) for k, (s, e) in ND09_2021.items()],
)
def test_report_period_exact_dates(convention, key, start, end):
    p = report_period(key, 2021, convention)
    assert (p.key, p.year, p.start, p.end, p.convention) == (key, 2021, D(start), D(end), convention)
    assert p.code == f"2021-{key}"
    assert p.contains(D(start)) and p.contains(D(end))
    assert not p.contains(D(start) - dt.timedelta(days=1))
    assert not p.contains(D(end) + dt.timedelta(days=1))


def test_calendar_is_the_default_convention():
    assert report_period("Q2", 2021).end == D("2021-06-30")
    assert parse_period("Q2", 2021).end == D("2021-06-30")


def test_leap_year_february_in_both_conventions():
    """2024 is a leap year: calendar M02 ends 02-29; nd09 M03 runs 02-15..03-14."""
    assert report_period("M02", 2024, "calendar").end == D("2024-02-29")
    p = report_period("M03", 2024, "nd09")
    assert (p.start, p.end) == (D("2024-02-15"), D("2024-03-14"))


def test_report_period_lower_case_key():
    p = report_period("h2", 2021, "nd09")
    assert (p.key, p.start, p.end) == ("H2", D("2021-06-15"), D("2021-12-14"))


@pytest.mark.parametrize("key", ["Q5", "H3", "M13", "M00", "10M", "", "YEAR"])
def test_report_period_unknown_key(key):
    with pytest.raises(PeriodError):
        report_period(key, 2021)


@pytest.mark.parametrize(
    "text, default_year, convention, code, start, end",
    [
        ("Q2", 2021, "calendar", "2021-Q2", "2021-04-01", "2021-06-30"),
        ("q2", 2021, "calendar", "2021-Q2", "2021-04-01", "2021-06-30"),
        ("2021-Q2", 2030, "calendar", "2021-Q2", "2021-04-01", "2021-06-30"),  # year in text wins
        ("2021-q2", 2030, "nd09", "2021-Q2", "2021-03-15", "2021-06-14"),
        ("Q1", 2021, "nd09", "2021-Q1", "2020-12-15", "2021-03-14"),
        ("H1", 2021, "calendar", "2021-H1", "2021-01-01", "2021-06-30"),
        ("2022-H2", 2021, "nd09", "2022-H2", "2022-06-15", "2022-12-14"),
        ("9M", 2021, "calendar", "2021-9M", "2021-01-01", "2021-09-30"),
        ("9m", 2021, "nd09", "2021-9M", "2020-12-15", "2021-09-14"),
        ("Y", 2021, "calendar", "2021-Y", "2021-01-01", "2021-12-31"),
        ("y", 2021, "nd09", "2021-Y", "2020-12-15", "2021-12-14"),
        ("M05", 2021, "calendar", "2021-M05", "2021-05-01", "2021-05-31"),
        ("2021-m12", 2020, "nd09", "2021-M12", "2021-11-15", "2021-12-14"),
        (" Q3 ", 2021, "calendar", "2021-Q3", "2021-07-01", "2021-09-30"),
    ],
)
def test_parse_period(text, default_year, convention, code, start, end):
    p = parse_period(text, default_year, convention)
    assert (p.code, p.start, p.end, p.convention) == (code, D(start), D(end), convention)


@pytest.mark.parametrize("text", ["Q5", "Q0", "M13", "M00", "M5", "H3", "2021Q2", "21-Q2", "", "2021-Q2-x", "quý 2"])
def test_parse_period_refuses(text):
    with pytest.raises(PeriodError) as info:
        parse_period(text, 2021)
    assert isinstance(info.value, ValueError)


# ---------------------------------------------------------------- period_containing


@pytest.mark.parametrize(
    "day, every, convention, code",
    [
        # nd09 quarters: Q1 ends on the 14th of March, Q2 starts on the 15th
        ("2021-03-14", "quarter", "nd09", "2021-Q1"),
        ("2021-03-15", "quarter", "nd09", "2021-Q2"),
        ("2021-06-14", "quarter", "nd09", "2021-Q2"),
        ("2021-06-15", "quarter", "nd09", "2021-Q3"),
        # the days from 15 December belong to next year's Q1
        ("2020-12-14", "quarter", "nd09", "2020-Q4"),
        ("2020-12-15", "quarter", "nd09", "2021-Q1"),
        ("2021-12-14", "quarter", "nd09", "2021-Q4"),
        ("2021-12-15", "quarter", "nd09", "2022-Q1"),
        ("2021-12-31", "quarter", "nd09", "2022-Q1"),
        # calendar quarters turn at the month end
        ("2021-03-31", "quarter", "calendar", "2021-Q1"),
        ("2021-04-01", "quarter", "calendar", "2021-Q2"),
        ("2021-03-15", "quarter", "calendar", "2021-Q1"),
        ("2021-12-31", "quarter", "calendar", "2021-Q4"),
        ("2022-01-01", "quarter", "calendar", "2022-Q1"),
        # months
        ("2021-02-28", "month", "calendar", "2021-M02"),
        ("2021-03-01", "month", "calendar", "2021-M03"),
        ("2021-02-14", "month", "nd09", "2021-M02"),
        ("2021-02-15", "month", "nd09", "2021-M03"),
        ("2021-12-15", "month", "nd09", "2022-M01"),
        # halves
        ("2021-06-30", "half", "calendar", "2021-H1"),
        ("2021-07-01", "half", "calendar", "2021-H2"),
        ("2021-06-14", "half", "nd09", "2021-H1"),
        ("2021-06-15", "half", "nd09", "2021-H2"),
        ("2021-12-15", "half", "nd09", "2022-H1"),
        # years
        ("2021-12-31", "year", "calendar", "2021-Y"),
        ("2021-01-01", "year", "calendar", "2021-Y"),
        ("2021-12-14", "year", "nd09", "2021-Y"),
        ("2021-12-15", "year", "nd09", "2022-Y"),
    ],
)
def test_period_containing(day, every, convention, code):
    p = period_containing(D(day), every, convention)
    assert p.code == code
    assert p.start <= D(day) <= p.end


def test_period_containing_gives_full_nd09_bounds():
    p = period_containing(D("2021-03-15"), "quarter", "nd09")
    assert (p.start, p.end) == (D("2021-03-15"), D("2021-06-14"))


# ---------------------------------------------------------------- occurrences

Y_START, Y_END = D("2021-01-01"), D("2021-12-31")


def _codes(ps):
    return [p.code for p in ps]


def _bounds(ps):
    return [(p.start.isoformat(), p.end.isoformat()) for p in ps]


def test_occurrences_quarter_calendar():
    occ = occurrences("quarter", None, Y_START, Y_END, "calendar")
    assert _codes(occ) == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert [p.end for p in occ] == [D("2021-03-31"), D("2021-06-30"), D("2021-09-30"), D("2021-12-31")]


def test_occurrences_quarter_nd09():
    occ = occurrences("quarter", None, Y_START, Y_END, "nd09")
    assert _codes(occ) == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert _bounds(occ) == [
        ("2020-12-15", "2021-03-14"),
        ("2021-03-15", "2021-06-14"),
        ("2021-06-15", "2021-09-14"),
        ("2021-09-15", "2021-12-14"),
    ]


def test_occurrences_half_and_year_both_conventions():
    assert _bounds(occurrences("half", None, Y_START, Y_END, "calendar")) == [
        ("2021-01-01", "2021-06-30"), ("2021-07-01", "2021-12-31")]
    assert _bounds(occurrences("half", None, Y_START, Y_END, "nd09")) == [
        ("2020-12-15", "2021-06-14"), ("2021-06-15", "2021-12-14")]
    assert _codes(occurrences("year", None, Y_START, Y_END, "calendar")) == ["2021-Y"]
    assert _bounds(occurrences("year", None, Y_START, Y_END, "nd09")) == [("2020-12-15", "2021-12-14")]


def test_occurrences_month_both_conventions():
    cal = occurrences("month", None, Y_START, Y_END, "calendar")
    assert _codes(cal) == [f"2021-M{m:02d}" for m in range(1, 13)]
    assert _bounds(cal)[1] == ("2021-02-01", "2021-02-28")
    nd = occurrences("month", None, Y_START, Y_END, "nd09")
    assert _codes(nd) == [f"2021-M{m:02d}" for m in range(1, 13)]
    assert _bounds(nd)[0] == ("2020-12-15", "2021-01-14")
    assert _bounds(nd)[-1] == ("2021-11-15", "2021-12-14")


@pytest.mark.parametrize(
    "every, only, codes",
    [
        ("half", ["H1", "Y"], ["2021-H1", "2021-H2"]),  # "6 tháng và cuối năm"
        ("half", ["H1"], ["2021-H1"]),
        ("half", ["h2"], ["2021-H2"]),
        ("half", ["Y"], ["2021-H2"]),
        ("quarter", ["Q2", "Q4"], ["2021-Q2", "2021-Q4"]),
        ("quarter", ["q1"], ["2021-Q1"]),
        ("month", ["M06", "M12"], ["2021-M06", "2021-M12"]),
        ("year", ["Y"], ["2021-Y"]),
        ("quarter", [], ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]),  # empty list: every period
    ],
)
@pytest.mark.parametrize("convention", ["calendar", "nd09"])
def test_occurrences_only(every, only, codes, convention):
    assert _codes(occurrences(every, only, Y_START, Y_END, convention)) == codes


def test_occurrences_only_h1_y_nd09_dates():
    occ = occurrences("half", ["H1", "Y"], Y_START, Y_END, "nd09")
    assert [p.end for p in occ] == [D("2021-06-14"), D("2021-12-14")]


def test_occurrences_keep_periods_ending_inside_the_plan_period():
    """A plan from 2021-04-01 to 2021-09-30: only Q2 and Q3 end inside it (calendar);
    under nd09 Q2 ends 06-14 and Q3 09-14, and Q4 ends 12-14, outside."""
    start, end = D("2021-04-01"), D("2021-09-30")
    assert _codes(occurrences("quarter", None, start, end, "calendar")) == ["2021-Q2", "2021-Q3"]
    assert _codes(occurrences("quarter", None, start, end, "nd09")) == ["2021-Q2", "2021-Q3"]
    # a plan ending 2021-09-14 still holds nd09 Q3 (ends that day) but not calendar Q3
    assert _codes(occurrences("quarter", None, start, D("2021-09-14"), "nd09")) == ["2021-Q2", "2021-Q3"]
    assert _codes(occurrences("quarter", None, start, D("2021-09-14"), "calendar")) == ["2021-Q2"]


def test_occurrences_across_two_years():
    start, end = D("2021-07-01"), D("2022-06-30")
    assert _codes(occurrences("half", None, start, end, "calendar")) == ["2021-H2", "2022-H1"]
    assert _codes(occurrences("year", None, start, end, "calendar")) == ["2021-Y"]
    assert _codes(occurrences("quarter", None, start, end, "calendar")) == [
        "2021-Q3", "2021-Q4", "2022-Q1", "2022-Q2"]
