"""The computed view of a plan's status, ready for any output: rows with their
display text, groups (by body, objective or status), filters, and the stable
JSON shape documented in docs/status-json.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import UsageError
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


class Bodies:
    """Body lookups: names, short names, groups and their members, matching without diacritics."""

    def __init__(self, plan):
        self.by_id = {b.id: b for b in plan.bodies}
        self.groups_of: dict[str, list[str]] = {}
        for b in plan.bodies:
            for m in b.members:
                self.groups_of.setdefault(m, []).append(b.id)

    def short(self, body_id: str) -> str:
        b = self.by_id.get(body_id)
        return (b.short or b.name) if b else body_id

    def name(self, body_id: str) -> str:
        b = self.by_id.get(body_id)
        return b.name if b else body_id

    def expand(self, ids: list[str]) -> list[str]:
        """Body ids with each group replaced by its members (groups without members kept)."""
        out: list[str] = []
        for i in ids:
            b = self.by_id.get(i)
            members = b.members if b is not None else []
            for m in members or [i]:
                if m not in out:
                    out.append(m)
        return out

    def match(self, query: str) -> list[str]:
        """Bodies whose id, short name or name matches `query` (no diacritics, any case)."""
        q = fold(query)
        exact = [b.id for b in self.by_id.values() if q in (fold(b.id), fold(b.short or ""), fold(b.name))]
        if exact:
            return exact
        return [b.id for b in self.by_id.values() if q in fold(b.name) or (b.short and q in fold(b.short))]

    def require(self, query: str) -> list[str]:
        """`match`, or a usage error naming the plan's bodies when nothing matches."""
        found = self.match(query)
        if not found:
            raise FilterError("body-not-found", {"value": query, "known": ", ".join(self.by_id)})
        return found

    def involves(self, row_bodies: list[str], wanted: set[str]) -> bool:
        for i in row_bodies:
            if i in wanted or wanted & set(self.groups_of.get(i, [])) or wanted & set(self.expand([i])):
                return True
        return False


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


def filter_rows(ps: PlanStatus, rows: list[Row], body: str | None = None, statuses: list[str] | None = None) -> list[Row]:
    if statuses:
        bad = [s for s in statuses if s not in STATUS_CODES]
        if bad:
            raise FilterError("bad-status-option", {"option": "--status", "value": ", ".join(bad),
                                                    "allowed": ", ".join(STATUS_CODES)})
        rows = [r for r in rows if r.status in statuses]
    if body:
        bodies = Bodies(ps.plan)
        wanted = set(bodies.require(body))
        rows = [r for r in rows if bodies.involves(r.lead + r.support, wanted)]
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


def body_completion(ps: PlanStatus, lang: str = "vi") -> list[Group]:
    """One group per lead body (groups expanded to members), leaf tasks only, Vietnamese order."""
    rows = [r for r in make_rows(ps, lang) if r.ts.leaf]
    return group_rows(ps, rows, "body", lang)


def to_json(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None) -> dict:
    info = ps.plan.plan
    return {
        "version": JSON_VERSION,
        "plan": {"id": info.id, "title": info.title, "number": info.number, "file": path,
                 "period": {"start": info.period.start.isoformat(), "end": info.period.end.isoformat()}},
        "as_of": ps.as_of.isoformat(),
        "soon_days": ps.soon_days,
        "summary": {
            "counts": ps.counts(),
            "rollup": ps.rollup(),
            "completion": ps.completion(),
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


def headline(ps: PlanStatus, lang: str = "vi") -> list[str]:
    info = ps.plan.plan
    r = ps.rollup()
    from .messages import render

    if lang == "en":
        title = f"Plan {info.number}: {info.title}" if info.number else f"Plan: {info.title}"
        when = f"As of {long_date(ps.as_of, lang)} — overall completion {ps.completion()}%"
    else:
        title = f"{info.type} số {info.number}: {info.title}" if info.number else f"{info.type}: {info.title}"
        when = f"Tình hình đến {long_date(ps.as_of)} — hoàn thành chung {ps.completion()}%"
    ongoing = render("rollup-ongoing", "message", r, lang)
    if r["suspended"]:
        ongoing += render("rollup-suspended", "message", r, lang)
    return [title, when, render("rollup-line", "message", r, lang), ongoing]
