"""Dates and periods: report periods, the two period conventions, reporting windows.

Pure functions over `datetime.date`; nothing here reads the clock.

Report periods: Q1–Q4, H1, H2, 9M, Y (also M01–M12), with or without a year
("2021-Q2"), under the calendar convention or the cut-off convention of
Nghị định 09/2019/NĐ-CP (a period ends on the 14th of its last month and starts
on the 15th of the month before its first month). A `Span` is the window a
report covers: a named period or any range of days.

Deadlines themselves (`2021-Q2`, `{every: quarter}` …) are read in
`deadlines.py`.
"""

from __future__ import annotations

import datetime as dt
import re

from kehoach.base.records import record

# The years a plan, a deadline or a report may name: wide enough for any plan,
# narrow enough that "the period after" a date is still a date.
MIN_YEAR, MAX_YEAR = 1900, 2200
# A period's report may be dated this long after the period ends: the last quarter's and the
# year's reports are written in January (the return form's date rule and the plan's check agree)
LATE_REPORT_DAYS = 60
YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[9]\d\d|2[0-2]\d\d)(?!\d)")  # a year written in text or an id


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


# ---------------------------------------------------------------- report periods

_PERIOD_RX = re.compile(r"^(?:(?P<year>\d{4})-)?(?P<key>Q[1-4]|H[12]|9M|Y|M(?:0[1-9]|1[0-2]))$", re.I)

# first and last month of each calendar period
_MONTHS = {
    "Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12),
    "H1": (1, 6), "H2": (7, 12), "9M": (1, 9), "Y": (1, 12),
}
_MONTHS.update({f"M{m:02d}": (m, m) for m in range(1, 13)})


class PeriodError(ValueError):
    pass


@record(frozen=True)
class ReportPeriod:
    key: str  # Q2, H1, 9M, Y, M05
    year: int
    start: dt.date
    end: dt.date
    convention: str

    @property
    def code(self) -> str:
        return f"{self.year}-{self.key}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def report_period(key: str, year: int, convention: str = "calendar") -> ReportPeriod:
    key = key.upper()
    if key not in _MONTHS:
        raise PeriodError(key)
    first, last = _MONTHS[key]
    if convention == "nd09":
        start = dt.date(year - 1, 12, 15) if first == 1 else dt.date(year, first - 1, 15)
        end = dt.date(year, last, 14)
    else:
        start, end = dt.date(year, first, 1), month_end(year, last)
    return ReportPeriod(key, year, start, end, convention)


def parse_period(text: str, default_year: int, convention: str = "calendar") -> ReportPeriod:
    """`Q2`, `2021-Q2`, `H1`, `9M`, `Y`, `M05`: raise PeriodError when unreadable."""
    m = _PERIOD_RX.match(str(text).strip())
    if not m:
        raise PeriodError(str(text))
    year = int(m.group("year")) if m.group("year") else default_year
    return report_period(m.group("key"), year, convention)


def periods_every(every: str, year: int, convention: str = "calendar") -> list[ReportPeriod]:
    """The periods of one year for a cadence: month, quarter, half or year."""
    keys = {
        "month": [f"M{m:02d}" for m in range(1, 13)],
        "quarter": ["Q1", "Q2", "Q3", "Q4"],
        "half": ["H1", "H2"],
        "year": ["Y"],
    }[every]
    return [report_period(k, year, convention) for k in keys]


def period_containing(day: dt.date, every: str, convention: str = "calendar") -> ReportPeriod:
    """The review period of cadence `every` that holds `day`."""
    for year in (day.year, day.year + 1):
        for p in periods_every(every, year, convention):
            if p.contains(day):
                return p
    raise PeriodError(str(day))  # pragma: no cover - every day lies in some period




def occurrences(
    every: str,
    only: list[str] | None,
    start: dt.date,
    end: dt.date,
    convention: str = "calendar",
) -> list[ReportPeriod]:
    """The occurrences of a recurring duty inside a plan period.

    `only` keeps some period keys (`["H1", "Y"]`); each occurrence's code is
    `2021-Q2` and its due date is the end of its period. `Y` in `only` of a
    half-yearly duty stands for the second half ("6 tháng và cuối năm").
    """
    keep = {k.upper() for k in only} if only else None
    if keep and every == "half" and "Y" in keep:
        keep.add("H2")
    out = []
    for year in range(start.year, end.year + 1):
        for p in periods_every(every, year, convention):
            if keep is not None and p.key not in keep:
                continue
            if start <= p.end <= end:
                out.append(p)
    return out


def periods_between(every: str, start: dt.date, end: dt.date, convention: str = "calendar") -> list[ReportPeriod]:
    """The periods of cadence `every` that overlap the days `start`..`end`, in order."""
    out = []
    for year in range(start.year, end.year + 2):
        for p in periods_every(every, year, convention):
            if p.end >= start and p.start <= end:
                out.append(p)
    return out


@record(frozen=True)
class Span:
    """The window a report covers: a named period (`key` Q2, H1, 9M, Y, M05) or,
    with `key` None, any range of days."""

    start: dt.date
    end: dt.date
    key: str | None
    year: int

    @property
    def code(self) -> str:
        return f"{self.year}-{self.key}" if self.key else f"{self.start.isoformat()}..{self.end.isoformat()}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def of(cls, period: ReportPeriod) -> Span:
        return cls(period.start, period.end, period.key, period.year)

    def next(self, convention: str = "calendar") -> Span:
        """The period after this one: Q2 → Q3, Q4 → next Q1, H1 → H2, 9M → Q4, Y → next year,
        M05 → M06; a range of days → the range of the same length that follows it."""
        follow = {"Q1": "Q2", "Q2": "Q3", "Q3": "Q4", "H1": "H2", "9M": "Q4"}
        if self.key in follow:
            return Span.of(report_period(follow[self.key], self.year, convention))
        if self.key in ("Q4", "H2", "Y"):
            return Span.of(report_period({"Q4": "Q1", "H2": "H1", "Y": "Y"}[self.key], self.year + 1, convention))
        if self.key and self.key.startswith("M"):
            month = int(self.key[1:]) % 12 + 1
            return Span.of(report_period(f"M{month:02d}", self.year + (month == 1), convention))
        length = self.end - self.start
        start = self.end + dt.timedelta(days=1)
        return Span(start, start + length, None, start.year)
