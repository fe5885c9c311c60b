"""Deadline values: what a plan's `deadline` (or a meeting's `when`) means.

A validated plan holds every deadline as one of four typed values, so that
status, the report, the calendar and the write-back dispatch on the type
(`match`) instead of reading the text again:

    Dated(kind, start, end, text)     a date, month, quarter, half, 9 months, year or range
    Continuous(review)                continuous work ("thường xuyên"), reviewed per period
    Recurring(every, periods, days_after)   a duty repeated each period
    Triggered(after, within_days, triggered_on)   due some days after an event

The text forms are read here, by `parse_text`, and only the plan model calls
it (a test keeps it so): every other module works on the typed values.

Text forms (as written in the plan file):
    2021-06-30          a date
    2021-12             a month           (due on its last day)
    2021-Q2             a quarter         (due 2021-06-30)
    2021-H1             a half year       (due 2021-06-30)
    2021-9M             nine months       (due 2021-09-30)
    2021                a year            (due 2021-12-31)
    2021-03..2021-06    a range of any two of the above (due at the end of the second)
    continuous          continuous work ("thường xuyên"), reviewed each quarter

Pure values and functions; nothing here reads the clock or imports pydantic.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import unicodedata

from kehoach.base.periods import MAX_YEAR, MIN_YEAR, YEAR_IN_TEXT, ReportPeriod, month_end, occurrences
from kehoach.base.records import record
from kehoach.base.text import fold, folded_with_map

CONTINUOUS_WORDS = {"continuous", "thường xuyên", "thuong xuyen"}
EVERY = ("month", "quarter", "half", "year")

_FORMS = [
    ("date", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$", re.I)),
    ("half", re.compile(r"^(\d{4})-H([12])$", re.I)),
    ("nine", re.compile(r"^(\d{4})-9M$", re.I)),
    ("year", re.compile(r"^(\d{4})$")),
]


class DeadlineError(ValueError):
    """A deadline that cannot be read. `code` names the message: `bad-deadline`
    (not one of the forms) or `invalid-date` (a form with a day the calendar lacks)."""

    def __init__(self, code: str, value: str):
        super().__init__(f"{code}: {value}")
        self.code = code
        self.params: dict[str, object] = {"value": value, "guess": ""}


@record(frozen=True, slots=True)
class Dated:
    """A deadline that names a window of days; it is due on the window's last day."""

    kind: str  # date, month, quarter, half, nine, year, range
    start: dt.date
    end: dt.date
    text: str  # as written in the plan
    to_the_day: bool = False  # the plan names the last day itself (a date, a range ending on a date)

    @property
    def due(self) -> dt.date:
        return self.end


@record(frozen=True, slots=True)
class Continuous:
    """Continuous work: no due date; at least one progress entry each `review` period."""

    review: str = "quarter"  # month, quarter, half, year
    text: str | None = None  # the word as written ("thường xuyên"); None for the mapping form


@record(frozen=True, slots=True)
class Recurring:
    """A duty repeated each period (a quarterly report, a 6-month conference)."""

    every: str  # month, quarter, half, year
    periods: tuple[str, ...] | None = None  # only these period keys (`H1`, `Y`), None for all
    days_after: int = 0

    def occurrences(self, start: dt.date, end: dt.date, convention: str) -> list[tuple[ReportPeriod, dt.date]]:
        """(period, due date) of each occurrence whose period ends inside the plan period."""
        shift = dt.timedelta(days=self.days_after)
        only = list(self.periods) if self.periods else None
        return [(p, p.end + shift) for p in occurrences(self.every, only, start, end, convention)]


@record(frozen=True, slots=True)
class Triggered:
    """A duty due some days after an event; unknown until the event's date is recorded."""

    after: str
    within_days: int | None = None
    triggered_on: dt.date | None = None

    def due(self, plan_end: dt.date, plan_start: dt.date | None = None) -> dt.date | None:
        """The due date once the event happened (within the plan year when no days are given).
        Work carried over from last year's plan whose event happened then is due when its days
        run out, or, if they ran out before this plan began, that many days from its first day."""
        if self.triggered_on is None:
            return None
        if self.within_days is None:
            return plan_end
        days = dt.timedelta(days=self.within_days)
        try:
            due = self.triggered_on + days
            return plan_start + days if plan_start is not None and due < plan_start else due
        except OverflowError:  # an event in year 9999: past any plan (check says its date is outside)
            return dt.date.max


Deadline = Dated | Continuous | Recurring | Triggered


def period_keys(every: str) -> list[str]:
    """The period keys a recurring duty of cadence `every` may name in `periods`."""
    return {
        "month": [f"M{m:02d}" for m in range(1, 13)],
        "quarter": ["Q1", "Q2", "Q3", "Q4"],
        "half": ["H1", "H2", "Y"],  # "Y" of a half-yearly duty: the second half ("6 tháng và cuối năm")
        "year": ["Y"],
    }[every]


def is_continuous_word(text: str) -> bool:
    return unicodedata.normalize("NFC", text.strip().lower()) in CONTINUOUS_WORDS


def _single(text: str) -> Dated:
    for kind, rx in _FORMS:
        m = rx.match(text)
        if not m:
            continue
        year = int(m.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise DeadlineError("bad-deadline", text)
        if kind == "date":
            try:
                day = dt.date(year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise DeadlineError("invalid-date", text) from None
            return Dated(kind, day, day, text, True)
        if kind == "month":
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise DeadlineError("bad-deadline", text)
            return Dated(kind, dt.date(year, month, 1), month_end(year, month), text)
        if kind == "quarter":
            q = int(m.group(2))
            return Dated(kind, dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), text)
        if kind == "half":
            h = int(m.group(2))
            return Dated(kind, dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), text)
        if kind == "nine":
            return Dated(kind, dt.date(year, 1, 1), dt.date(year, 9, 30), text)
        return Dated(kind, dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    raise DeadlineError("bad-deadline", text)


def parse_text(value: str | int) -> Dated | Continuous:
    """Read a deadline written as text (or a bare year); raise DeadlineError."""
    text = str(value).strip()
    if is_continuous_word(text):
        return Continuous("quarter", text)
    if ".." in text:
        left, _, right = text.partition("..")
        a, b = _single(left.strip()), _single(right.strip())
        if b.end < a.start:
            raise DeadlineError("bad-deadline", text)
        return Dated("range", a.start, b.end, text, b.to_the_day)
    return _single(text)


# ---------------------------------------------------------------- deadlines in a task's words

# The phrases of a plan's prose that name a deadline, read on folded text (no diacritics, lower
# case; an OCR copy's "djnh ky" too): `kehoach import` reads a task's deadline from them, and
# `check` offers the form a deadline written in words means. Linear in the text (issue 20): a
# space quantifier before a token that is never a space is possessive (`\s*+`, `\s++`: the same
# matches, no backtracking over a run of spaces), and every run of "any but" is bounded.
@functools.cache
def _deadline_rules() -> list[tuple[re.Pattern[str], str]]:
    """The rules, compiled when prose is first read (never by `kehoach status`)."""
    return [
        (re.compile(r"(?:truoc|cham nhat|den|xong)\s++(?:ngay\s++)?(\d{1,2})\s*+/\s*+(\d{1,2})\s*+/\s*+(\d{4})"),
         "date"),
        # "trước ngày 15 tháng 8 năm 2021": the day is kept (it was read as the month, 16 days later);
        # so is "hoàn thành ngày 15 tháng 6 năm 2022", not "đã hoàn thành …", work done (a bare date in
        # prose is mostly a document's, "Quyết định số … ngày 15 tháng 6 năm 2022", or an event's,
        # "ban hành vào ngày …")
        (re.compile(r"(?:truoc|cham nhat|den|xong|(?<!da )hoan thanh)\s++(?:ngay\s++)?(\d{1,2})\s++thang\s++(\d{1,2})"
                    r"\s++nam\s++(\d{4})"), "date"),
        (re.compile(r"(?<!da )hoan thanh\s++ngay\s++(\d{1,2})\s*+/\s*+(\d{1,2})\s*+/\s*+(\d{4})"), "date"),
        (re.compile(r"thang\s++(\d{1,2})\s*+-\s*+(\d{1,2})\s*+/\s*+(\d{4})"), "months"),  # tháng 10-11/2021
        (re.compile(r"thang\s++(\d{1,2})(?:\s*+/|\s++nam)\s*+(\d{4})"), "month"),
        (re.compile(r"quy\s++(iv|i{1,3}|[1-4])\s*+(?:/|nam)\s*+(\d{4})"), "quarter-of"),
        (re.compile(r"cuoi\s++nam\s++(\d{4})"), "year"),
        (re.compile(r"6 thang (dau|cuoi) nam (\d{4})"), "half-of"),
        (re.compile(r"(?:trong|hoan thanh|thuc hien)\s++nam\s++(\d{4})"), "year"),
        (re.compile(r"(?:dinh ky|djnh ky|bjnh ky)\s*+6\s*+thang"), "half"),
        (re.compile(r"hang quy|moi quy"), "quarter"),
        (re.compile(r"hang thang"), "month-every"),
        (re.compile(r"hang nam"), "year-every"),
        (re.compile(r"\bth[a-z]{2,4}ng xu[a-z]{1,3}n\b"), "continuous"),
        # the event in brackets at most 400 characters: a repeated "(sau khi " never closed was quadratic
        (re.compile(r"\(sau khi ([^)]{1,400})\)|sau khi (.{8,60}?)[,.;)]"), "after"),
        (re.compile(r"\b(khi co [^,.;]{8,80})[,.;]"), "when"),
    ]


def _valid_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def guess_deadline(text: str) -> tuple[str, str] | None:
    """(the deadline as YAML, the words it was read from) for a task's text, or None: the first
    deadline phrase of the text wins ("Định kỳ 6 tháng … tháng 12/2021" is every half year)."""
    import json
    folded, where = folded_with_map(text)
    best: tuple[int, str, re.Match[str]] | None = None
    for rx, kind in _deadline_rules():
        for m in rx.finditer(folded):
            if kind == "month" and not 1 <= int(m.group(1)) <= 12:
                continue
            if kind == "months" and not 1 <= int(m.group(1)) < int(m.group(2)) <= 12:
                continue
            if kind == "date" and _valid_date(m) is None:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), kind, m)
            break
    if best is None:
        return None
    _, kind, m = best
    said = text[where[m.start()]: where[m.end() - 1] + 1].strip(" ,.;()")
    if kind == "month":
        return f"{int(m.group(2))}-{int(m.group(1)):02d}", said
    if kind == "date":
        return str(_valid_date(m)), said
    if kind == "quarter-of":
        q = m.group(1)
        return f"{m.group(2)}-Q{int(q) if q.isdigit() else ['i', 'ii', 'iii', 'iv'].index(q) + 1}", said
    if kind == "months":
        return f"{int(m.group(3))}-{int(m.group(1)):02d}..{int(m.group(3))}-{int(m.group(2)):02d}", said
    if kind == "year":
        return f"'{m.group(1)}'", said
    if kind == "half-of":
        return f"{m.group(2)}-H{1 if m.group(1) == 'dau' else 2}", said
    if kind == "when":
        event = text[where[m.start(1)]: where[m.end(1) - 1] + 1].strip()
        return "{after: " + json.dumps(event[:1].upper() + event[1:], ensure_ascii=False) + "}", said
    if kind == "after":
        g = 1 if m.group(1) else 2
        event = text[where[m.start(g)]: where[m.end(g) - 1] + 1].strip()
        return "{after: " + json.dumps(event, ensure_ascii=False) + "}", said
    return {"half": "{every: half}", "quarter": "{every: quarter}", "month-every": "{every: month}",
            "year-every": "{every: year}", "continuous": "{continuous: true, review: quarter}"}[kind], said


# the words of a reporting sentence's list of cadences after "hằng quý"/"hằng tháng" ("hằng quý, 6
# tháng, một năm và chuyên đề"), folded: each piece of the list names one cadence
_CADENCE_PIECES = (("6 thang", "{every: half}"), ("sau thang", "{every: half}"),
                   ("mot nam", "{every: year}"),
                   ("hang nam", "{every: year}"), ("ca nam", "{every: year}"), ("cuoi nam", "{every: year}"),
                   ("nam", "{every: year}"), ("quy", "{every: quarter}"), ("thang", "{every: month}"))


def cadences(text: str) -> list[tuple[str, str]]:
    """(the deadline as YAML, the words) of every cadence a reporting sentence lists: "báo cáo hằng
    quý, 6 tháng, một năm và chuyên đề" → every quarter, every half, every year, and after the
    event "chuyên đề"; a single cadence or none → []. Read on folded text, piece by piece (split
    at commas and "và"), so the reading is linear in the text."""
    import json
    folded, where = folded_with_map(text)
    m = re.search(r"\bhang (quy|thang)\b", folded)
    if not m:
        return []
    first = "{every: quarter}" if m.group(1) == "quy" else "{every: month}"
    out = [(first, text[where[m.start()]: where[m.end() - 1] + 1])]
    at = m.end()
    stop = min(len(folded), at + 120)
    for end_char in ";.:(":
        k = folded.find(end_char, at, stop)
        if k != -1:
            stop = k
    rest = folded[at:stop]
    pos = at
    for piece in re.split(r"(,| va )", rest):
        if piece in (",", " va "):
            pos += len(piece)
            continue
        words = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        if not words:
            pos += len(piece)
            continue
        value = None
        if words.startswith(("chuyen de", "dot xuat")):
            cut = words.find(" ve ")
            words = words if cut == -1 else words[:cut]
            said = text[where[pos + lead]: where[pos + lead + len(words) - 1] + 1]
            value = "{after: " + json.dumps(said[:1].upper() + said[1:], ensure_ascii=False) + "}"
        else:
            for start, cadence in _CADENCE_PIECES:
                if words == start or words.startswith(start + " ") and len(words.split()) <= 3:
                    value = cadence
                    break
        if value is None:
            break
        said = text[where[pos + lead]: where[pos + lead + len(words) - 1] + 1]
        if value not in [v for v, _ in out] or value.startswith("{after"):
            out.append((value, said))
        pos += len(piece)
    return out if len(out) > 1 else []


def labelled_deadline(text: str) -> str | None:
    """The words a task's text gives after a deadline's label ("Thời gian hoàn thành: 30/9/2021.",
    "Thời hạn: Năm 2021-2022"), up to the end of the sentence, or None."""
    folded, where = folded_with_map(text[:2000])
    m = re.search(r"\bthoi\s++(?:gian|han)(?:\s++(?:hoan\s++thanh|thuc\s++hien))?\s*+:\s*+([^.;\n]{1,80})", folded)
    if not m:
        return None
    return text[where[m.start(1)]: where[m.end(1) - 1] + 1].strip(" ,") or None


_YEARS_ALONE = re.compile(r"(?:(?:trong|ca|hoan thanh trong) )?(?:nam )?(\d{4})(?: ?[-–] ?(?:nam )?(\d{4}))?[.;,]?")


def guess_deadlines(text: str, alone: bool = False) -> list[tuple[str, str]]:
    """Every deadline a text names, in order: its sentences' phrases ("Định kỳ 6 tháng …. Khi có
    … . … vào tháng 12/2021" → every half, after the event, December), and every cadence of a
    reporting sentence's list (`cadences`). One per sentence; none → []. With `alone` (the text
    is a deadline by itself: a table's "Thời hạn" cell), a bare date is one too ("30/9/2021";
    in prose a bare date is mostly a document's)."""
    listed = cadences(text)
    if listed:
        return listed
    if alone and text.rstrip()[-1:] not in (".", ";", ","):
        text = text.rstrip() + "."  # a cell's words end there ("Sau khi có hướng dẫn của Trung ương")
    out: list[tuple[str, str]] = []
    for sentence in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])", text):
        guess = guess_deadline(sentence)
        if guess and guess[0] not in [v for v, _ in out]:
            out.append(guess)
    if not out and alone:  # a year or two by themselves ("Năm 2022", "năm 2022 - 2023", "2022-2023")
        years = _YEARS_ALONE.fullmatch(fold(text))
        if years and MIN_YEAR <= int(years.group(1)) <= MAX_YEAR:
            last = years.group(2)
            if last is None:
                out.append((f"'{years.group(1)}'", text.strip(" .;,")))
            elif int(years.group(1)) < int(last) <= MAX_YEAR:
                out.append((f"{years.group(1)}..{last}", text.strip(" .;,")))
    if not out and alone:  # the dates of the cell: one is the deadline, two a window ("01/4/2022 - 30/6/2022")
        found = [(m, _valid_date(m)) for m in
                 itertools.islice(re.finditer(r"\b(\d{1,2})\s*+/\s*+(\d{1,2})\s*+/\s*+(\d{4})\b", text), 3)]
        days = [(m, d) for m, d in found if d is not None]
        if len(days) == 2 and days[0][1] < days[1][1]:
            out.append((f"{days[0][1]}..{days[1][1]}", text[days[0][0].start():days[1][0].end()]))
        elif len(days) == 1 and len(found) == 1:
            out.append((str(days[0][1]), days[0][0].group()))
    return out


# ---------------------------------------------------------------- a deadline moved to another year

def shift_deadline(value: str | int, years: int) -> str | int:
    """A deadline as a plan writes it, `years` later (`kehoach init`): '2021-06-30' → '2022-06-30', '2021-Q2' →
    '2022-Q2', '2021-03..2021-06' → '2022-03..2022-06', 2021 → 2022; continuous stays."""
    import calendar
    if isinstance(value, int):
        return value + years
    parts = []
    for part in str(value).split(".."):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", part)
        if m:
            day = dt.date(int(m.group(1)), int(m.group(2)), min(int(m.group(3)), 28))
            real = min(int(m.group(3)), calendar.monthrange(int(m.group(1)) + years, int(m.group(2)))[1])
            parts.append(day.replace(year=day.year + years, day=real).isoformat())
        else:
            parts.append(YEAR_IN_TEXT.sub(lambda y: str(int(y.group(1)) + years), part))
    return "..".join(parts)
