"""Dates, periods and deadlines written as Vietnamese documents write them.

Nghị định 30/2020/NĐ-CP: days below 10 and months below 3 take a leading zero
("ngày 04 tháng 01 năm 2021", "ngày 30 tháng 6 năm 2021"); in running text the
source plan writes "13/02/2017", "16/5/2016"; quarters in Roman numerals.
"""

from __future__ import annotations

import datetime as dt

from .deadlines import Continuous, Dated, Deadline, Recurring, Triggered

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"]


def _day(d: int) -> str:
    return f"{d:02d}"


def _month(m: int) -> str:
    return f"{m:02d}" if m < 3 else str(m)


def long_date(day: dt.date, lang: str = "vi") -> str:
    """'ngày 04 tháng 01 năm 2021' / '4 January 2021'."""
    if lang == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return f"ngày {_day(day.day)} tháng {_month(day.month)} năm {day.year}"


def place_date(place: str | None, day: dt.date, lang: str = "vi") -> str:
    """'Quảng Ngãi, ngày 30 tháng 6 năm 2021'."""
    text = long_date(day, lang)
    return f"{place}, {text}" if place else text


def short_date(day: dt.date | None, lang: str = "vi") -> str:
    """'04/01/2021', '30/6/2021' (as the plan's running text); ISO in English."""
    if day is None:
        return ""
    if lang == "en":
        return day.isoformat()
    return f"{_day(day.day)}/{_month(day.month)}/{day.year}"


def date_param(day: dt.date) -> dict:
    """A date as a message parameter: '14/3/2021' in Vietnamese, '2021-03-14' in English."""
    return {"vi": short_date(day), "en": short_date(day, "en")}


def period_label(key: str, year: int, lang: str = "vi") -> str:
    """Q2 → 'quý II năm 2021'; H1 → '6 tháng đầu năm 2021'; 9M; Y; M05."""
    key = key.upper()
    if lang == "en":
        names = {"H1": "first half of", "H2": "second half of", "9M": "first nine months of", "Y": "year"}
        if key.startswith("Q"):
            return f"{key} {year}"
        if key.startswith("M"):
            return f"{_EN_MONTHS[int(key[1:]) - 1]} {year}"
        return f"{names[key]} {year}"
    if key.startswith("Q"):
        return f"quý {ROMAN[int(key[1])]} năm {year}"
    if key.startswith("M"):
        return f"tháng {_month(int(key[1:]))} năm {year}"
    return {"H1": f"6 tháng đầu năm {year}", "H2": f"6 tháng cuối năm {year}",
            "9M": f"9 tháng năm {year}", "Y": f"năm {year}"}[key]


def span_label(span, lang: str = "vi") -> str:
    """A report's window in words: 'quý II năm 2021', or 'từ ngày 01/5/2021 đến ngày 31/5/2021'."""
    if span.key:
        return period_label(span.key, span.year, lang)
    if lang == "en":
        return f"from {short_date(span.start, lang)} to {short_date(span.end, lang)}"
    return f"từ ngày {short_date(span.start)} đến ngày {short_date(span.end)}"


def _window_text(window: Dated, lang: str) -> str:
    start, end, kind = window.start, window.end, window.kind
    if kind == "date":
        return short_date(end, lang) if lang == "en" else f"ngày {short_date(end)}"
    if kind == "month":
        return f"{_EN_MONTHS[end.month - 1]} {end.year}" if lang == "en" else f"tháng {_month(end.month)}/{end.year}"
    if kind == "quarter":
        q = (end.month - 1) // 3 + 1
        return f"Q{q} {end.year}" if lang == "en" else f"quý {ROMAN[q]}/{end.year}"
    if kind == "half":
        return period_label("H1" if end.month == 6 else "H2", end.year, lang)
    if kind == "nine":
        return period_label("9M", end.year, lang)
    if kind == "year":
        return f"{end.year}" if lang == "en" else f"năm {end.year}"
    if lang == "en":
        return f"{short_date(start, lang)} to {short_date(end, lang)}"
    return f"từ {short_date(start)} đến {short_date(end)}"


def occurrence_text(key: str, year: int, lang: str = "vi") -> str:
    """An occurrence of a recurring duty as a deadline is written: 'quý II/2021', 'tháng 5/2021',
    '6 tháng đầu năm 2021', 'năm 2021'."""
    key = key.upper()
    if key.startswith("Q"):
        q = int(key[1])
        return f"Q{q} {year}" if lang == "en" else f"quý {ROMAN[q]}/{year}"
    if key.startswith("M"):
        m = int(key[1:])
        return f"{_EN_MONTHS[m - 1]} {year}" if lang == "en" else f"tháng {_month(m)}/{year}"
    if key == "Y":
        return str(year) if lang == "en" else f"năm {year}"
    return period_label(key, year, lang)


_EVERY = {
    "vi": {"month": "hằng tháng", "quarter": "hằng quý", "half": "định kỳ 6 tháng", "year": "hằng năm"},
    "en": {"month": "monthly", "quarter": "quarterly", "half": "every six months", "year": "yearly"},
}
_REVIEW = {
    "vi": {"month": "báo cáo hằng tháng", "quarter": "báo cáo hằng quý", "half": "báo cáo 6 tháng", "year": "báo cáo năm"},
    "en": {"month": "monthly review", "quarter": "quarterly review", "half": "half-yearly review", "year": "yearly review"},
}


def deadline_text(deadline: Deadline | None, lang: str = "vi") -> str:
    """A deadline of the plan, in words: 'quý II/2021', 'thường xuyên', 'định kỳ 6 tháng và cuối năm'."""
    match deadline:
        case None:
            return ""
        case Dated():
            return _window_text(deadline, lang)
        case Recurring(every=every, periods=only):
            keys = list(only or [])
            if every == "half" and "Y" in keys and len(keys) > 1:
                return "every six months and at year end" if lang == "en" else "định kỳ 6 tháng và cuối năm"
            if every == "half" and keys == ["H1"]:
                return "first half of the year" if lang == "en" else "6 tháng đầu năm"
            text = _EVERY[lang][every]
            if keys:
                text += " (" + ", ".join(keys) + ")"
            return text
        case Continuous(review=review, text=word):
            base = "continuous" if lang == "en" else "thường xuyên"
            return base if word is not None else f"{base}, {_REVIEW[lang][review]}"
        case Triggered(after=after, within_days=days):
            if lang == "en":
                return f"after: {after}" + (f" (within {days} days)" if days else "")
            first = after.split(" ", 1)[0].lower()
            lead = "" if first in ("sau", "khi", "trong", "nếu", "ngay", "theo") else "sau khi "
            return f"{lead}{after}" + (f" (trong {days} ngày)" if days else "")
    return str(deadline)  # pragma: no cover
