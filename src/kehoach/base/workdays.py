"""Working days: is a due date a Saturday, a Sunday or a public holiday?

Vietnamese public holidays come from the `holidays` library (pinned in
pyproject.toml: the lunar Tết dates and the 2021 rules changed across its
releases). The plan's own `holidays:` list overrides it: `off: true` adds a day
off (a swapped day the Government announces), `off: false` makes a day a
working day (a make-up working Saturday).

`plan.checks.check_workdays` warns of the due dates of a plan's schedule that
fall on a day off, the same dates `kehoach calendar` writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kehoach.base.messages import LANGS, Localized, text


class DayOff(Protocol):
    """One entry of a plan's `holidays:` list."""

    @property
    def date(self) -> dt.date: ...
    @property
    def name(self) -> str: ...
    @property
    def off(self) -> bool: ...


class Calendar(Protocol):
    """What has its own days off: a plan (its `holidays:` list)."""

    @property
    def holidays(self) -> Sequence[DayOff]: ...


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


def days_off(plan: Calendar | None) -> dict[dt.date, DayOff]:
    """The plan's own days off and make-up working days, by date."""
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


def non_working_reason(day: dt.date, plan: Calendar | None = None,
                       _overrides: Mapping[dt.date, DayOff] | None = None) -> dict[str, str] | None:
    """Why `day` is not a working day, in each language: "thứ Bảy" / "Saturday", "ngày lễ:
    Quốc khánh"; a weekend public holiday names both; None for a working day.
    The plan's `holidays:` list wins."""
    reason = day_off_reason(day, _overrides if _overrides is not None else days_off(plan))
    return {lang: reason.localize(lang) for lang in LANGS} if reason is not None else None


def day_off_reason(day: dt.date, overrides: Mapping[dt.date, DayOff]) -> Reason | None:
    own = overrides.get(day)
    if own is not None:
        return Reason(day, own.name) if own.off else None  # off: false is a make-up working day
    if day.weekday() in _WEEKEND or public_holiday(day) is not None:
        return Reason(day)
    return None


def previous_working_day(day: dt.date, plan: Calendar | None = None,
                         _overrides: Mapping[dt.date, DayOff] | None = None) -> dt.date:
    """The last working day before `day`."""
    overrides = _overrides if _overrides is not None else days_off(plan)
    day -= dt.timedelta(days=1)
    for _ in range(60):  # Tết is the longest run of days off
        if day_off_reason(day, overrides) is None:
            return day
        day -= dt.timedelta(days=1)
    return day  # pragma: no cover


def next_working_day(day: dt.date, plan: Calendar | None = None) -> dt.date:
    """The first working day after `day`."""
    overrides = days_off(plan)
    day += dt.timedelta(days=1)
    for _ in range(60):
        if day_off_reason(day, overrides) is None:
            return day
        day += dt.timedelta(days=1)
    return day  # pragma: no cover
