"""Working days: is a due date a Saturday, a Sunday or a public holiday?

Vietnamese public holidays come from the `holidays` library (pinned in
pyproject.toml: the lunar Tết dates and the 2021 rules changed across its
releases). The plan's own `holidays:` list overrides it: `off: true` adds a day
off (a swapped day the Government announces), `off: false` makes a day a
working day (a make-up working Saturday).

The dates checked are those of the plan's schedule (`schedule.build_schedule`),
the same dates `kehoach calendar` writes, so the two always agree.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from .diagnostics import Diagnostic
from .schedule import build_schedule
from .vndates import date_param

_WEEKDAYS = {
    5: {"vi": "thứ Bảy", "en": "Saturday"},
    6: {"vi": "Chủ nhật", "en": "Sunday"},
}
_HOLIDAY_LANG = {"vi": "vi", "en": "en_US"}


# ---------------------------------------------------------------- working days


@functools.lru_cache(maxsize=64)
def _holidays(year: int, lang: str) -> dict:
    import holidays  # slow to import: only when a date is checked

    table = holidays.country_holidays("VN", years=year, language=_HOLIDAY_LANG[lang])
    return dict(table)


def public_holiday(day: dt.date) -> dict | None:
    """The public holiday's name on `day` as {vi, en}, or None."""
    vi = _holidays(day.year, "vi").get(day)
    if vi is None:
        return None
    return {"vi": vi, "en": _holidays(day.year, "en").get(day) or vi}


def _plan_days(plan) -> dict[dt.date, Any]:
    return {h.date: h for h in (getattr(plan, "holidays", None) or [])} if plan is not None else {}


def non_working_reason(day: dt.date, plan=None, _overrides: dict | None = None) -> dict | None:
    """Why `day` is not a working day, as {vi, en}; None for a working day.

    {"vi": "thứ Bảy", "en": "Saturday"}, {"vi": "Chủ nhật", "en": "Sunday"},
    {"vi": "ngày lễ: Quốc khánh", "en": "a public holiday: National Day"}; a
    weekend public holiday names both. The plan's `holidays:` list wins.
    """
    overrides = _overrides if _overrides is not None else _plan_days(plan)
    own = overrides.get(day)
    if own is not None:
        if not own.off:
            return None  # a make-up working day
        return {"vi": f"ngày nghỉ: {own.name}", "en": f"a day off: {own.name}"}
    weekend = _WEEKDAYS.get(day.weekday())
    holiday = public_holiday(day)
    if holiday is None:
        return dict(weekend) if weekend else None
    reason = {"vi": f"ngày lễ: {holiday['vi']}", "en": f"a public holiday: {holiday['en']}"}
    if weekend:
        reason = {lang: f"{weekend[lang]}, {reason[lang]}" for lang in ("vi", "en")}
    return reason


def previous_working_day(day: dt.date, plan=None, _overrides: dict | None = None) -> dt.date:
    """The last working day before `day`."""
    overrides = _overrides if _overrides is not None else _plan_days(plan)
    day -= dt.timedelta(days=1)
    for _ in range(60):  # Tết is the longest run of days off
        if non_working_reason(day, _overrides=overrides) is None:
            return day
        day -= dt.timedelta(days=1)
    return day  # pragma: no cover


def check_workdays(plan) -> list[Diagnostic]:
    """A `non-working-day` warning for each due date on a weekend or holiday.

    One warning per deadline value; a recurring duty or meeting gets one per
    occurrence that falls badly, naming the occurrence.
    """
    from .vndates import period_label

    overrides = _plan_days(plan)
    out: list[Diagnostic] = []
    seen: set = set()
    schedule = build_schedule(plan)
    items = [d for n in schedule.nodes for d in n.dues] + schedule.meeting_dates
    for item in items:
        key = (item.loc, item.code)
        if key in seen:
            continue
        seen.add(key)
        reason = non_working_reason(item.due, _overrides=overrides)
        if reason is None:
            continue
        if item.kind == "meeting":
            what = {"vi": "thời gian hội nghị", "en": "the meeting date"}
        else:
            what = {"vi": "thời hạn", "en": "the due date"}
        of: dict | str = ""
        if item.period is not None:
            p = item.period
            of = {"vi": f" (kỳ {period_label(p.key, p.year, 'vi')})", "en": f" ({period_label(p.key, p.year, 'en')})"}
        params = {
            "what": what,
            "date": date_param(item.due),
            "of": of,
            "day": reason,
            "previous": date_param(previous_working_day(item.due, _overrides=overrides)),
        }
        if item.code:
            params["occurrence"] = item.code
        out.append(Diagnostic("non-working-day", "warning", params=params, loc=item.loc))
    return out
