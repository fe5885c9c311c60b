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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kehoach.base.diagnostics import Diagnostic
from kehoach.base.messages import LANGS, Localized, Msg, text
from kehoach.base.vndates import PeriodWords, date_param
from kehoach.plan.schedule import build_schedule

if TYPE_CHECKING:
    from kehoach.plan.model import Holiday, Plan

_WEEKEND = (5, 6)  # Saturday, Sunday


# ---------------------------------------------------------------- working days


@functools.lru_cache(maxsize=64)
def _holidays(year: int, lang: str) -> dict[dt.date, str]:
    import holidays  # slow to import: only when a date is checked

    table = holidays.country_holidays("VN", years=year, language=text("locale.holidays", lang))
    return dict(table)


def public_holiday(day: dt.date) -> dict[str, str] | None:
    """The public holiday's name on `day` in each language kehoach speaks, or None."""
    vi = _holidays(day.year, "vi").get(day)
    if vi is None:
        return None
    return {lang: _holidays(day.year, lang).get(day) or vi for lang in LANGS}


def _plan_days(plan: Plan | None) -> dict[dt.date, Holiday]:
    return {h.date: h for h in (getattr(plan, "holidays", None) or [])} if plan is not None else {}


@dataclass(frozen=True, eq=False)
class Reason(Localized):
    """Why a day is not a working day, worded in the language it is shown in."""

    day: dt.date
    own: str | None = None  # a day off the plan lists, with its name

    def localize(self, lang: str) -> str:
        if self.own is not None:
            return text("day.off", lang, name=self.own)
        weekend = text(f"weekday.{self.day.weekday()}", lang) if self.day.weekday() in _WEEKEND else None
        holiday = public_holiday(self.day)
        if holiday is None:
            return weekend or ""
        reason = text("day.holiday", lang, name=holiday[lang])
        return text("day.weekend-holiday", lang, weekday=weekend, holiday=reason) if weekend else reason


def non_working_reason(day: dt.date, plan: Plan | None = None,
                       _overrides: dict[dt.date, Holiday] | None = None) -> dict[str, str] | None:
    """Why `day` is not a working day, in each language: "thứ Bảy" / "Saturday", "ngày lễ:
    Quốc khánh"; a weekend public holiday names both; None for a working day.
    The plan's `holidays:` list wins."""
    reason = _reason(day, _overrides if _overrides is not None else _plan_days(plan))
    return {lang: reason.localize(lang) for lang in LANGS} if reason is not None else None


def _reason(day: dt.date, overrides: dict[dt.date, Holiday]) -> Reason | None:
    own = overrides.get(day)
    if own is not None:
        return Reason(day, own.name) if own.off else None  # off: false is a make-up working day
    if day.weekday() in _WEEKEND or public_holiday(day) is not None:
        return Reason(day)
    return None


def previous_working_day(day: dt.date, plan: Plan | None = None,
                         _overrides: dict[dt.date, Holiday] | None = None) -> dt.date:
    """The last working day before `day`."""
    overrides = _overrides if _overrides is not None else _plan_days(plan)
    day -= dt.timedelta(days=1)
    for _ in range(60):  # Tết is the longest run of days off
        if _reason(day, overrides) is None:
            return day
        day -= dt.timedelta(days=1)
    return day  # pragma: no cover


def next_working_day(day: dt.date, plan: Plan | None = None) -> dt.date:
    """The first working day after `day`."""
    overrides = _plan_days(plan)
    day += dt.timedelta(days=1)
    for _ in range(60):
        if _reason(day, overrides) is None:
            return day
        day += dt.timedelta(days=1)
    return day  # pragma: no cover


def check_workdays(plan: Plan) -> list[Diagnostic]:
    """A `non-working-day` warning for each due date the plan names to the day that is a weekend or holiday.

    One warning per deadline value; a recurring duty or meeting gets one per
    occurrence that falls badly, naming the occurrence. The last day of a month,
    quarter, half or year ("tháng 10/2021", "năm 2022", "hằng quý") is not
    warned about: the plan names the period, not the day, and no edit of the
    plan could follow the warning (31/12/2022 is a Saturday whatever the plan says).
    """
    overrides = _plan_days(plan)
    out: list[Diagnostic] = []
    seen: set[tuple[tuple[str | int, ...], str | None]] = set()  # (path of the value, occurrence)
    schedule = build_schedule(plan)
    items = [d for n in schedule.nodes for d in n.dues] + schedule.meeting_dates
    for item in items:
        key = (item.loc, item.code)
        if not item.exact or key in seen:
            continue
        seen.add(key)
        reason = _reason(item.due, overrides)
        if reason is None:
            continue
        what = Msg("what.meeting-day" if item.kind == "meeting" else "what.due-date")
        of: Msg | str = ""
        if item.period is not None:
            of = Msg("day.of-period", {"period": PeriodWords(item.period.key, item.period.year)})
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
