"""Roll-ups across plans: every district's and department's plan under the province's.

`find_plans` turns the paths a user gives (plan files, folders) into plan
files, skipping body catalogues; `load_plans` reads them all (a file with
errors stops the roll-up, with its problems); `rollup_status` judges each plan
at a date and adds them up, by plan and by body; `rollup_period` does the same
for a report period with `evaluation.evaluate`. The totals are the sums of the
plans': the counts add up, and the overall completion is the mean over every
plan's top-level tasks, as if the plans were one.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.base.errors import KehoachError, UsageError
from kehoach.base.numbers import mean_percent

if TYPE_CHECKING:
    from kehoach.base.periods import Span
    from kehoach.judge.evaluation import Evaluation
    from kehoach.judge.scope import Scope
    from kehoach.judge.status import PlanStatus
    from kehoach.plan.model import Plan

SUFFIXES = (".yaml", ".yml")


def find_plans(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The plan files named: files as given, folders searched (below them too) for .yaml files,
    in name order; each file once."""
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)
                           and _looks_like_plan(p))
            if not found:
                raise UsageError("rollup-empty-folder", {"path": str(path)})
            out += found
        elif path.exists():
            out.append(path)
        else:
            raise UsageError("file-not-found", {"path": str(path)})
    seen: set[str] = set()
    unique = []
    for p in out:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _looks_like_plan(path: Path) -> bool:
    """A YAML file in a folder is a plan (or a catalogue, skipped later) when it has a top-level
    `plan:` or `bodies:`; any other (a `mkdocs.yml`, a CI file) is not kehoach's."""
    import re

    try:
        from kehoach.base.files import read_head

        head = read_head(path, 1_000_000).decode("utf-8", "replace")
    except OSError:
        return True  # reported when it is read
    return bool(re.search(r"^(plan|bodies):", head, re.M))


@dataclass
class Loaded:
    path: str
    plan: Plan
    catalogues: list[str] = field(default_factory=list)  # the body catalogues it reads


def load_plans(paths: list[Path]) -> list[Loaded]:
    """Every plan among `paths` (body catalogues skipped), valid; a KehoachError with the
    problems of every file that has errors."""
    from kehoach.base.diagnostics import Diagnostic
    from kehoach.plan.loader import load_plan

    plans: list[Loaded] = []
    errors: list[Diagnostic] = []
    for path in paths:
        loaded = load_plan(path, workdays=False)
        if loaded.catalogue:
            errors += [d for d in loaded.diagnostics if d.severity == "error"]
            continue
        if not loaded.ok or loaded.plan is None:
            errors += [d for d in loaded.diagnostics if d.severity == "error"]
            continue
        plans.append(Loaded(str(path), loaded.plan, list(loaded.catalogues)))
    if errors:
        raise KehoachError("rollup-invalid", {"n": len({d.file for d in errors})}, errors)
    if not plans:
        raise UsageError("rollup-no-plan", {"paths": ", ".join(str(p) for p in paths)})
    ids: dict[str, str] = {}
    for item in plans:
        other = ids.setdefault(item.plan.plan.id, item.path)
        if other != item.path:
            raise UsageError("rollup-same-id", {"id": item.plan.plan.id, "a": other, "b": item.path})
    return plans


# ---------------------------------------------------------------- at a date


@dataclass
class PlanLine:
    """One plan in a roll-up."""

    path: str
    plan: Plan
    status: PlanStatus
    scope: Scope | None
    counts: dict[str, int]
    rollup: dict[str, int]
    completion: int
    tops: list[float]


@dataclass
class BodyLine:
    """One lead body across the plans: the leaf tasks it leads (groups counted for their members)."""

    id: str
    name: str
    short: str
    plans: int
    counts: dict[str, int]
    rollup: dict[str, int]
    percents: list[int] = field(default_factory=list)

    @property
    def completion(self) -> int:
        from kehoach.judge.status import completion

        return completion(self.percents)


@dataclass
class RollupStatus:
    as_of: dt.date
    plans: list[PlanLine]
    bodies: list[BodyLine]
    counts: dict[str, int]
    rollup: dict[str, int]
    completion: int


def _sum(dicts: list[dict[str, int]], keys: list[str]) -> dict[str, int]:
    return {k: sum(d[k] for d in dicts) for k in keys}


def rollup_status(plans: list[Loaded], as_of: dt.date, soon_days: int = 14, body: str | None = None
                  ) -> RollupStatus:
    """Each plan's status at `as_of` (its tasks `body` leads or supports, with `body`), and the sums."""
    from kehoach.base.errors import UsageError as _Usage
    from kehoach.judge.scope import select
    from kehoach.judge.status import STATUS_CODES, compute_status, rollup
    from kehoach.plan.bodies import Bodies

    lines: list[PlanLine] = []
    bodies: dict[str, BodyLine] = {}
    for item in plans:
        ps = compute_status(item.plan, as_of, soon_days)
        scope = None
        if body is not None:
            try:
                scope = select(ps.schedule, None, body)
            except _Usage:
                continue  # a plan without that body has nothing of it to roll up
        leaves = ps.leaves(scope)
        counts = ps.counts(leaves)
        lines.append(PlanLine(item.path, item.plan, ps, scope, counts, rollup(counts), ps.completion(scope),
                              ps.top_percents(scope)))
        names = Bodies(item.plan)
        for ts in leaves:
            counted: set[str] = set()
            for lead in ts.node.lead:
                for ident in names.expand([lead]):
                    if ident in counted:
                        continue
                    counted.add(ident)
                    percent = ts.lead_percent(ident)  # the lead's own part (a group member's, its own)
                    line = bodies.get(ident)
                    if line is None:
                        line = bodies[ident] = BodyLine(ident, names.name(ident), names.short(ident), 0,
                                                        dict.fromkeys(STATUS_CODES, 0), {})
                    line.counts[ts.status] += 1
                    if percent is not None:
                        line.percents.append(percent)
        for ident in {i for ts in leaves for i in names.expand(ts.node.lead)}:
            bodies[ident].plans += 1
    if not lines:
        known = sorted({b.id for item in plans for b in item.plan.bodies})
        raise UsageError("body-not-found", {"value": body, "known": ", ".join(known)})
    for line in bodies.values():
        line.rollup = rollup(line.counts)
    counts = _sum([p.counts for p in lines], list(STATUS_CODES))
    tops = [v for p in lines for v in p.tops]
    from kehoach.base.text import vi_sort_key

    return RollupStatus(as_of, lines, sorted(bodies.values(), key=lambda b: vi_sort_key(b.name)), counts,
                        rollup(counts), mean_percent(tops))


# ---------------------------------------------------------------- over a period


@dataclass
class PlanPeriod:
    path: str
    plan: Plan
    span: Span
    evaluation: Evaluation
    verdicts: dict[str, int]


def rollup_period(plans: list[Loaded], period: str | None, start: dt.date | None, end: dt.date | None,
                  as_of: dt.date | None) -> list[PlanPeriod]:
    """Each plan's evaluation over one period: read in the first plan's year (a plan that has no
    part in it is refused, rather than reported for another year)."""
    from kehoach.judge.evaluation import VERDICTS, evaluate
    from kehoach.judge.scope import report_span

    out = []
    host = report_span(plans[0].plan, period, start, end)  # the period, in the first plan's year
    for item in plans:
        info = item.plan.plan.period
        if host.end < info.start or host.start > info.end:
            from kehoach.base.messages import Day
            from kehoach.base.vndates import SpanWords

            raise UsageError("rollup-other-period", {"id": item.plan.plan.id, "span": SpanWords(host),
                                                     "start": Day(info.start), "end": Day(info.end)})
        span = host
        ev = evaluate(item.plan, span, as_of)
        verdicts: dict[str, int] = dict.fromkeys(VERDICTS, 0)
        for j in ev.judged:
            verdicts[j.verdict] += 1
        out.append(PlanPeriod(item.path, item.plan, span, ev, verdicts))
    return out
