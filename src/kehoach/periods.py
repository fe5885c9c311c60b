"""Dates and periods: deadline forms, report periods, the two period conventions.

Pure functions over `datetime.date`; nothing here reads the clock.

Deadline forms (strings, as written in the plan file):
    2021-06-30          a date
    2021-12             a month           (due on its last day)
    2021-Q2             a quarter         (due 2021-06-30)
    2021-H1             a half year       (due 2021-06-30)
    2021-9M             nine months       (due 2021-09-30)
    2021                a year            (due 2021-12-31)
    2021-03..2021-06    a range of any two of the above (due at the end of the second)
    continuous          continuous work ("thường xuyên"), no due date

Report periods: Q1–Q4, H1, H2, 9M, Y (also M01–M12), with or without a year
("2021-Q2"), under the calendar convention or the cut-off convention of
Nghị định 09/2019/NĐ-CP (a period ends on the 14th of its last month and starts
on the 15th of the month before its first month).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

CONTINUOUS_WORDS = {"continuous", "thường xuyên", "thuong xuyen"}

_FORMS = [
    ("date", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$", re.I)),
    ("half", re.compile(r"^(\d{4})-H([12])$", re.I)),
    ("nine", re.compile(r"^(\d{4})-9M$", re.I)),
    ("year", re.compile(r"^(\d{4})$")),
]


class DeadlineError(ValueError):
    """A deadline or period that cannot be read; the message says which forms are allowed."""


@dataclass(frozen=True)
class Window:
    """A resolved deadline: the window it names and its due date (`end`)."""

    kind: str  # date, month, quarter, half, nine, year, range, continuous
    start: dt.date | None
    end: dt.date | None
    text: str

    @property
    def due(self) -> dt.date | None:
        return self.end


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _single(text: str) -> Window:
    for kind, rx in _FORMS:
        m = rx.match(text)
        if not m:
            continue
        year = int(m.group(1))
        if not 1900 <= year <= 2200:
            raise DeadlineError(f"năm {year} không hợp lệ")
        if kind == "date":
            try:
                day = dt.date(year, int(m.group(2)), int(m.group(3)))
            except ValueError as exc:
                raise DeadlineError(f"ngày không có thật: {text}") from exc
            return Window(kind, day, day, text)
        if kind == "month":
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise DeadlineError(f"tháng {month} không hợp lệ")
            return Window(kind, dt.date(year, month, 1), month_end(year, month), text)
        if kind == "quarter":
            q = int(m.group(2))
            return Window(kind, dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), text)
        if kind == "half":
            h = int(m.group(2))
            return Window(kind, dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), text)
        if kind == "nine":
            return Window(kind, dt.date(year, 1, 1), dt.date(year, 9, 30), text)
        return Window(kind, dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    raise DeadlineError(
        f"'{text}': dùng 2021-06-30, 2021-12, 2021-Q2, 2021-H1, 2021-9M, 2021, 2021-03..2021-06 hoặc continuous"
    )


def is_continuous_word(text: str) -> bool:
    return unicodedata.normalize("NFC", text.strip().lower()) in CONTINUOUS_WORDS


def parse_deadline(text: str) -> Window:
    """Read one deadline string; raise DeadlineError naming the allowed forms."""
    text = str(text).strip()
    if is_continuous_word(text):
        return Window("continuous", None, None, text)
    if ".." in text:
        left, _, right = text.partition("..")
        a, b = _single(left.strip()), _single(right.strip())
        if b.end < a.start:
            raise DeadlineError(f"khoảng thời gian ngược: {text}")
        return Window("range", a.start, b.end, text)
    return _single(text)


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


@dataclass(frozen=True)
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
