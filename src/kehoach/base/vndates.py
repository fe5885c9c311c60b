"""Dates, periods and deadlines in words, as the documents write them.

The words and the order come from the message catalogue (`date.*`, `period.*`,
`deadline.*`): in Vietnamese, after Nghị định 30/2020/NĐ-CP, days below 10 and
months below 3 take a leading zero ("ngày 04 tháng 01 năm 2021", "ngày 30
tháng 6 năm 2021"), running text writes "13/02/2017", "16/5/2016", and
quarters take Roman numerals; in English, "4 January 2021" and ISO dates.
"""

from __future__ import annotations

import datetime as dt
import functools

from kehoach.base.deadlines import Continuous, Dated, Deadline, Recurring, Triggered
from kehoach.base.messages import Day, Localized, text
from kehoach.base.records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kehoach.base.periods import Span


def long_date(day: dt.date, lang: str = "vi") -> str:
    """'ngày 04 tháng 01 năm 2021' / '4 January 2021'."""
    return text("date.long", lang, d=day.day, m=day.month, y=day.year)


def place_date(place: str | None, day: dt.date, lang: str = "vi") -> str:
    """'Quảng Ngãi, ngày 30 tháng 6 năm 2021'."""
    date = long_date(day, lang)
    return text("date.place", lang, place=place, date=date) if place else date


def short_date(day: dt.date | None, lang: str = "vi") -> str:
    """'04/01/2021', '30/6/2021' (as the plan's running text); ISO in English."""
    if day is None:
        return ""
    return text("date.short", lang, d=day.day, m=day.month, y=day.year)


def date_param(day: dt.date) -> Day:
    """A date as a message parameter, worded in the message's language."""
    return Day(day)


def period_label(key: str, year: int, lang: str = "vi") -> str:
    """Q2 → 'quý II năm 2021'; H1 → '6 tháng đầu năm 2021'; 9M; Y; M05."""
    return _period("period", key, year, lang)


@record(frozen=True, eq=False)
class PeriodWords(Localized):
    """A report period as a message parameter: 'quý II năm 2021' in the message's language."""

    key: str
    year: int

    def localize(self, lang: str) -> str:
        return period_label(self.key, self.year, lang)


def period_short(key: str, year: int, lang: str = "vi") -> str:
    """A period without its year, within a sentence about that year: 'quý III', 'tháng 5'."""
    return _period("period-short", key, year, lang)


def _period(prefix: str, key: str, year: int, lang: str) -> str:
    key = key.upper()
    if key.startswith("Q"):
        return text(f"{prefix}.Q", lang, n=int(key[1]), y=year)
    if key.startswith("M"):
        return text(f"{prefix}.M", lang, m=int(key[1:]), y=year)
    return text(f"{prefix}.{key}", lang, y=year)


def span_label(span: Span, lang: str = "vi") -> str:
    """A report's window in words: 'quý II năm 2021', or 'từ ngày 01/5/2021 đến ngày 31/5/2021'."""
    if span.key:
        return period_label(span.key, span.year, lang)
    return text("span.range", lang, start=short_date(span.start, lang), end=short_date(span.end, lang))


@functools.lru_cache(maxsize=4096)
def occurrence_text(key: str, year: int, lang: str = "vi") -> str:
    """An occurrence of a recurring duty as a deadline is written: 'quý II/2021', 'tháng 5/2021',
    '6 tháng đầu năm 2021', 'năm 2021'."""
    key = key.upper()
    if key.startswith("Q"):
        return text("deadline.quarter", lang, n=int(key[1]), y=year)
    if key.startswith("M"):
        return text("deadline.month", lang, m=int(key[1:]), y=year)
    if key == "Y":
        return text("deadline.year", lang, y=year)
    return period_label(key, year, lang)


def _window_text(window: Dated, lang: str) -> str:
    start, end = window.start, window.end
    match window.kind:
        case "date":
            return text("deadline.date", lang, date=short_date(end, lang))
        case "month":
            return text("deadline.month", lang, m=end.month, y=end.year)
        case "quarter":
            return text("deadline.quarter", lang, n=(end.month - 1) // 3 + 1, y=end.year)
        case "half":
            return period_label("H1" if end.month == 6 else "H2", end.year, lang)
        case "nine":
            return period_label("9M", end.year, lang)
        case "year":
            return text("deadline.year", lang, y=end.year)
    return text("deadline.range", lang, start=short_date(start, lang), end=short_date(end, lang))


def deadline_text(deadline: Deadline | None, lang: str = "vi") -> str:
    """A deadline of the plan, in words: 'quý II/2021', 'thường xuyên', 'định kỳ 6 tháng và cuối năm'.
    Worded once for each deadline (a plan of 10,000 tasks has a few hundred different ones)."""
    try:
        return _deadline_words(deadline, lang)
    except TypeError:  # a deadline that cannot be a key (never one of the plan's own)
        return _deadline_text(deadline, lang)


@functools.lru_cache(maxsize=4096)
def _deadline_words(deadline: Deadline | None, lang: str) -> str:
    return _deadline_text(deadline, lang)


def _deadline_text(deadline: Deadline | None, lang: str) -> str:
    match deadline:
        case None:
            return ""
        case Dated():
            return _window_text(deadline, lang)
        case Recurring(every=every, periods=only):
            keys = list(only or [])
            if every == "half" and "Y" in keys and len(keys) > 1:
                return text("deadline.half-and-year", lang)
            words = text(f"every.{every}", lang)
            if every == "year" or not keys:
                return words
            # the periods named in words ("quý I, quý III"), never as the plan's keys ("Q1, Q3");
            # one period alone is that period ("6 tháng đầu năm", "quý III"); a half-yearly
            # duty's "Y" is its second half
            named = [period_short("H2" if every == "half" and k == "Y" else k, 0, lang) for k in keys]
            if len(named) == 1:  # "6 tháng đầu năm"; "the first half of each year"
                return text("deadline.one-period", lang, period=named[0])
            return text("deadline.every-only", lang, every=words, periods=", ".join(named))
        case Continuous(review=review, text=word):
            if word is not None:
                return text("deadline.continuous", lang)
            return text("deadline.continuous-review", lang, review=text(f"review.{review}", lang))
        case Triggered(within_days=days, triggered_on=on):
            if days is not None and on is not None:  # the event happened: the date it is due by, and why
                return triggered_since(deadline, on + dt.timedelta(days=days), lang)
            words = _after_words(deadline, lang)
            return text("deadline.within", lang, text=words, days=days) if days else words
    return str(deadline)  # pragma: no cover


def _after_words(deadline: Triggered, lang: str) -> str:
    """The event a duty waits for, in words: "sau khi Ban Thường vụ phê duyệt Đề án", or as the plan
    writes it when it begins so ("Khi có …")."""
    first = deadline.after.split(" ", 1)[0].lower()
    as_written = first in text("deadline.after-words", lang).split("|")
    return text("deadline.after-as-written" if as_written else "deadline.after", lang, after=deadline.after)


def deadline_on(deadline: Deadline, due: dt.date | None, lang: str = "vi") -> str:
    """A task's deadline in words as judged against `due`: an event's work, once the event
    happened, by the day it is due with its event (work carried over from last year's plan counts
    its days from the new plan's first day, which only the due date knows); anything else as
    `deadline_text` words it."""
    if isinstance(deadline, Triggered) and deadline.triggered_on is not None and due is not None:
        return triggered_since(deadline, due, lang)
    return deadline_text(deadline, lang)


def triggered_since(deadline: Triggered, due: dt.date, lang: str = "vi") -> str:
    """A duty whose event happened, due on `due`: "14/6/2021 (trong 60 ngày, sau khi … ngày 15/4/2021)";
    with no days given (due by the plan's end) or none at all, "31/12/2021 (sau khi … ngày 15/4/2021)"."""
    words = _after_words(deadline, lang)
    event = words[:1].lower() + words[1:]
    on = short_date(deadline.triggered_on, lang)
    counted = due - dt.timedelta(days=deadline.within_days or 0)
    if deadline.within_days and counted != deadline.triggered_on:  # carried over: the days run from the plan's start
        return text("deadline.within-from-since", lang, date=short_date(due, lang), days=deadline.within_days,
                    start=short_date(counted, lang), event=event, on=on)
    if deadline.within_days:
        return text("deadline.within-since", lang, date=short_date(due, lang), days=deadline.within_days,
                    event=event, on=on)
    return text("deadline.since", lang, date=short_date(due, lang), event=event, on=on)


@record(frozen=True, eq=False)
class SpanWords(Localized):
    """A report window as a message parameter, worded in the message's language."""

    span: Span

    def localize(self, lang: str) -> str:
        return span_label(self.span, lang)
