"""The computed view of a plan's status, ready for any output: rows with their
display text, groups (by body, objective or status), filters, and the stable
JSON shape documented in docs/status.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .bodies import Bodies
from .errors import UsageError
from .scope import Scope, select
from .status import LABELS, STATUS_CODES, PlanStatus, TaskStatus, label
from .textutil import fold, vi_sort_key
from .vndates import deadline_text, long_date

JSON_VERSION = 1


class FilterError(UsageError):
    """A --status, --body or --by option that cannot be applied."""


@dataclass
class Row:
    ts: TaskStatus
    id: str
    title: str
    depth: int
    lead: list[str]  # body ids
    support: list[str]
    lead_text: str
    deadline: str
    due: dt.date | None
    status: str
    status_label: str
    percent: int
    last_date: dt.date | None


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def percent(self) -> int:
        leaves = [r for r in self.rows if r.ts.leaf and r.status != "suspended"]
        return round(sum(r.percent for r in leaves) / len(leaves)) if leaves else 0


def make_rows(ps: PlanStatus, lang: str = "vi") -> list[Row]:
    bodies = Bodies(ps.plan)
    rows = []
    for ts in ps.walk():
        t = ts.task
        rows.append(
            Row(
                ts=ts, id=t.id, title=t.title, depth=ts.depth, lead=list(t.lead), support=list(t.support),
                lead_text=", ".join(bodies.short(i) for i in t.lead),
                deadline=deadline_text(t.deadline, lang) if t.deadline is not None else "",
                due=ts.due, status=ts.status, status_label=label(ts.status, lang),
                percent=ts.percent, last_date=ts.last_date,
            )
        )
    return rows


def check_statuses(codes: list[str], option: str = "--status") -> list[str]:
    """Status codes as given to an option, or a usage error naming the nearest and the allowed ones."""
    from .messages import did_you_mean
    from .textutil import suggest

    bad = [c for c in codes if c not in STATUS_CODES]
    if bad:
        near = suggest(bad[0], STATUS_CODES)
        raise FilterError("bad-status-option", {"option": option, "value": ", ".join(bad),
                                                "suggest": did_you_mean(near), "allowed": ", ".join(STATUS_CODES)})
    return codes


def filter_rows(rows: list[Row], scope: Scope | None = None, statuses: list[str] | None = None) -> list[Row]:
    """The rows in scope (a body's tasks, a topic's) with one of `statuses`."""
    if statuses:
        check_statuses(statuses)
        rows = [r for r in rows if r.status in statuses]
    if scope is not None and not scope.whole:
        rows = [r for r in rows if scope.includes(r.ts.node)]
    return rows


def group_rows(ps: PlanStatus, rows: list[Row], by: str, lang: str = "vi") -> list[Group]:
    if by == "status":
        groups = {code: Group(code, LABELS[lang][code]) for code in STATUS_CODES}
        for r in rows:
            groups[r.status].rows.append(r)
        return [g for g in groups.values() if g.rows]
    if by == "objective":
        objectives = {o.id: o for o in ps.plan.objectives}
        groups = {oid: Group(oid, f"{oid}. {o.text}") for oid, o in objectives.items()}
        none = Group("-", "Không gắn mục tiêu" if lang == "vi" else "No objective")
        for r in rows:
            for oid in r.ts.task.objectives or ["-"]:
                groups.get(oid, none).rows.append(r)
        return [g for g in list(groups.values()) + [none] if g.rows]
    if by == "body":
        bodies = Bodies(ps.plan)
        groups: dict[str, Group] = {}
        for r in rows:
            for bid in bodies.expand(r.lead):
                groups.setdefault(bid, Group(bid, bodies.name(bid))).rows.append(r)
        return sorted(groups.values(), key=lambda g: vi_sort_key(g.title))
    raise FilterError("bad-by-option", {"value": by})


def body_completion(ps: PlanStatus, lang: str = "vi", scope: Scope | None = None) -> list[Group]:
    """One group per lead body (groups expanded to members), leaf tasks in scope, Vietnamese order."""
    rows = [r for r in make_rows(ps, lang) if r.ts.leaf and (scope is None or scope.includes(r.ts.node))]
    return group_rows(ps, rows, "body", lang)


def to_json(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None,
            scope: Scope | None = None, groups: list[Group] | None = None) -> dict:
    """The stable JSON shape of `kehoach status --format json` (docs/status.md)."""
    info = ps.plan.plan
    leaves = ps.leaves(scope)
    out = {
        "version": JSON_VERSION,
        "plan": {"id": info.id, "title": info.title, "number": info.number, "file": path,
                 "period": {"start": info.period.start.isoformat(), "end": info.period.end.isoformat()}},
        "as_of": ps.as_of.isoformat(),
        "soon_days": ps.soon_days,
        "scope": {"body": list(scope.body_ids) if scope else [], "topic": scope.topic.id if scope and scope.topic else None},
        "summary": {
            "counts": ps.counts(leaves),
            "rollup": ps.rollup(leaves),
            "completion": ps.completion(scope),
        },
        "tasks": [
            {
                "id": r.id,
                "title": r.title,
                "parent": r.ts.parent,
                "depth": r.depth,
                "lead": r.lead,
                "support": r.support,
                "deadline": {"text": r.deadline, "due": r.due.isoformat() if r.due else None, "kind": r.ts.kind},
                "status": r.status,
                "status_label": r.status_label,
                "percent": r.percent,
                "last_progress": r.last_date.isoformat() if r.last_date else None,
                "occurrences": [
                    {"code": o.code, "due": o.due.isoformat(), "status": o.status, "percent": o.percent}
                    for o in r.ts.occurrences
                ],
            }
            for r in rows
        ],
    }
    if groups is not None:
        out["groups"] = [{"key": g.key, "title": g.title, "percent": g.percent, "tasks": [r.id for r in g.rows]}
                         for g in groups]
    return out


def headline(ps: PlanStatus, lang: str = "vi", scope: Scope | None = None) -> list[str]:
    """The title, the date and overall completion, and the roll-up, of the tasks in scope."""
    from .messages import render

    info = ps.plan.plan
    r = ps.rollup(ps.leaves(scope))
    completion = ps.completion(scope)
    names = ", ".join(scope.body_names) if scope else ""
    if lang == "en":
        title = f"Plan {info.number}: {info.title}" if info.number else f"Plan: {info.title}"
        if names:
            title += f" — tasks of {names}"
        when = f"As of {long_date(ps.as_of, lang)} — overall completion {completion}%"
    else:
        title = f"{info.type} số {info.number}: {info.title}" if info.number else f"{info.type}: {info.title}"
        if names:
            title += f" — nhiệm vụ của {names}"
        when = f"Tình hình đến {long_date(ps.as_of)} — hoàn thành chung {completion}%"
    ongoing = render("rollup-ongoing", "message", r, lang)
    if r["suspended"]:
        ongoing += render("rollup-suspended", "message", r, lang)
    return [title, when, render("rollup-line", "message", r, lang), ongoing]
