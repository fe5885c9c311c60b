"""The computed view of a plan's status, ready for any output: rows with their
display text, groups (by body, objective or status), filters, and the stable
JSON shape documented in docs/status.md."""

from __future__ import annotations

import datetime as dt
import functools

from kehoach.base.deadlines import Recurring
from kehoach.base.errors import UsageError
from kehoach.base.messages import text
from kehoach.base.records import field, record
from kehoach.base.text import vi_sort_key
from kehoach.base.vndates import deadline_on, deadline_text, long_date, occurrence_text, short_date
from kehoach.judge.scope import Scope
from kehoach.judge.status import DONE, STATUS_CODES, OccurrenceStatus, PlanStatus, Status, TaskStatus, label
from kehoach.plan.bodies import Bodies
from kehoach.plan.reporters import LeadState, last_word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

    from kehoach.plan.model import CarriedOver

JSON_VERSION = 2


class FilterError(UsageError):
    """A --status, --body or --by option that cannot be applied."""


@record
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
    status: Status
    status_label: str
    percent: int | None  # None: continuous work, which has no percent
    last_date: dt.date | None  # the date of `last_note`'s entry (the two are read as one); without one,
    # the last entry's (a proposal's; a parent's: its subtasks' last)
    last_note: str | None  # the last result or difficulty logged (not a proposal)
    leads_text: str = ""  # each lead's part when they stand apart: "BDVTU 100% · BCSĐ UBND tỉnh 40%"
    last_by: str | None = None  # of work several lead, the lead whose word `last_note` is (its id)


@record
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    percent: int = 0  # the completion of its leaf tasks (by body: the body's own part of each)


def make_rows(ps: PlanStatus, lang: str = "vi") -> list[Row]:
    bodies = Bodies(ps.plan)
    rows = []
    lead_texts: dict[tuple[str, ...], str] = {}  # the same leads, the same words: worded once
    for ts in ps.walk():
        t = ts.task
        lead = list(t.lead)
        key = tuple(lead)
        lead_text = lead_texts.get(key)
        if lead_text is None:
            lead_text = lead_texts[key] = bodies.shorts(lead)
        # the last word on where the work stands (a proposal is not): its date and its note together;
        # of work several lead, who said it (`last_by`; a table for people says so: `note_said`)
        last = last_word(ts.entries)
        rows.append(
            Row(
                ts=ts, id=t.id, title=t.title, depth=ts.depth, lead=lead, support=list(t.support),
                lead_text=lead_text,
                deadline=deadline_words(ts, lang),
                due=ts.due, status=ts.status, status_label=label(ts.status, lang),
                percent=ts.percent, last_date=last.date if last is not None else ts.last_date,
                last_note=last.note if last is not None else None,
                last_by=last.body if last is not None and last.body and len(lead) > 1 else None,
                leads_text=_leads_text(ts, bodies, lang),
            )
        )
    return rows


def deadline_words(ts: TaskStatus, lang: str) -> str:
    """A task's deadline in words, as every table writes it: a recurring duty's with the occurrence
    its status and percent are of while one is open ("định kỳ 6 tháng (kỳ 6 tháng đầu năm 2021)");
    a parent without
    one, the latest date its subtasks run to ("chậm nhất 31/12/2021")."""
    deadline = ts.task.deadline
    words = deadline_on(deadline, ts.due, lang) if deadline is not None else ""  # an event's: the day judged by
    # a duty with every occurrence done stands for all of them ("hoàn thành quá hạn" if any was
    # late): naming its last one would say the last one was late
    if ts.occurrence is not None and len(ts.occurrences) > 1 and ts.status not in DONE:
        return _current_occurrence(words, ts.occurrence.key, int(ts.occurrence.code[:4]), lang)
    # a duty of one period in the plan ("6 tháng đầu năm"): that period, with its year
    if ts.occurrence is not None and len(ts.occurrences) == 1 and isinstance(deadline, Recurring) \
            and deadline.periods is not None and len(deadline.periods) == 1:
        return occurrence_text(ts.occurrence.key, int(ts.occurrence.code[:4]), lang)
    if not words and ts.children and ts.due:
        return _parent_latest(ts.due, lang)
    carried = ts.task.carried_over
    if carried is not None:  # last year's work: its old deadline is said, done or not
        old = old_deadline(carried, lang)
        if words == old or words.startswith(old + " "):  # due when it was (its days ran into this year)
            return text("deadline.carried-same", lang, deadline=words)
        return text("deadline.carried", lang, deadline=words, old=old)
    return words


def old_deadline(carried: CarriedOver, lang: str) -> str:
    """The deadline carried-over work had in last year's plan, in words: "2021" as that plan
    wrote it is "năm 2021"; words already, the date they begin with ("31/12/2021 (sau khi … ngày
    01/9/2021)": "31/12/2021", its event said by the new deadline already)."""
    read = carried.old
    return (deadline_text(read, lang) if read is not None else "") or carried.deadline.split(" (", 1)[0] or "—"


@functools.lru_cache(maxsize=4096)
def _current_occurrence(words: str, key: str, year: int, lang: str) -> str:
    """A recurring duty's deadline with the occurrence it stands at (worded once for each)."""
    occ = occurrence_text(key, year, lang)
    return text("deadline.recurring-current", lang, deadline=words, occurrence=occ) if words else occ


@functools.lru_cache(maxsize=4096)
def _parent_latest(due: dt.date, lang: str) -> str:
    """A parent's latest date in words (worded once for each)."""
    return text("deadline.parent-latest", lang, date=short_date(due, lang))


def _leads_text(ts: TaskStatus, bodies: Bodies, lang: str) -> str:
    """Each lead's own part, when several lead and they stand apart: their percents, or (continuous
    work) who has not reported for the last ended review period."""
    own = [s for s in ts.leads if s.body]
    if len(own) < 2:
        return ""
    if ts.kind == "continuous":
        if not ts.stale_leads or len(ts.stale_leads) == len(own):
            return ""
        return text("status-table.stale-leads", lang, leads=bodies.shorts(ts.stale_leads))
    if len({s.percent for s in own}) < 2:
        return ""
    return " · ".join(f"{bodies.short(s.body)} {s.percent}%" for s in own)


def check_statuses(codes: list[str], option: str = "--status") -> list[str]:
    """Status codes as given to an option, or a usage error naming the nearest and the allowed ones."""
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest

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



def status_rows(ps: PlanStatus, lang: str = "vi", scope: Scope | None = None,
                statuses: list[str] | None = None) -> list[Row]:
    """The rows `kehoach status` shows: every task in scope, of the statuses asked."""
    return filter_rows(make_rows(ps, lang), scope, statuses)

def group_rows(ps: PlanStatus, rows: list[Row], by: str, lang: str = "vi") -> list[Group]:
    if by == "status":
        by_status = {code: Group(code, label(code, lang)) for code in STATUS_CODES}
        for r in rows:
            by_status[r.status].rows.append(r)
        return _measured(ps, [g for g in by_status.values() if g.rows])
    if by == "objective":
        objectives = {o.id: o for o in ps.plan.objectives}
        groups = {oid: Group(oid, f"{oid}. {o.text}") for oid, o in objectives.items()}
        none = Group("-", text("status-table.no-objective", lang))
        for r in rows:
            for oid in r.ts.task.objectives or ["-"]:
                groups.get(oid, none).rows.append(r)
        return _measured(ps, [g for g in list(groups.values()) + [none] if g.rows])
    if by == "body":
        bodies = Bodies(ps.plan)
        groups = {}
        for r in rows:
            seen: set[str] = set()
            for lead in r.lead:
                for bid in bodies.expand([lead]):
                    if bid in seen:
                        continue
                    seen.add(bid)
                    groups.setdefault(bid, Group(bid, bodies.name(bid))).rows.append(r)
        for bid, group in groups.items():
            group.percent = ps.body_completion([r.ts for r in group.rows], bid)
        return sorted(groups.values(), key=lambda g: vi_sort_key(g.title))
    raise FilterError("bad-by-option", {"value": by})


def _measured(ps: PlanStatus, groups: list[Group]) -> list[Group]:
    for group in groups:
        group.percent = ps.body_completion(r.ts for r in group.rows)
    return groups


def body_completion(ps: PlanStatus, lang: str = "vi", scope: Scope | None = None) -> list[Group]:
    """One group per lead body (groups expanded to members), leaf tasks in scope, Vietnamese order."""
    rows = [r for r in make_rows(ps, lang) if r.ts.leaf and (scope is None or scope.includes(r.ts.node))]
    return group_rows(ps, rows, "body", lang)


def to_json(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None,
            scope: Scope | None = None, groups: list[Group] | None = None) -> dict[str, Any]:
    """The stable JSON shape of `kehoach status --format json` (docs/status.md)."""
    out = _json_head(ps, lang, path, scope)
    out["tasks"] = [_task_json(r) for r in rows]
    if groups is not None:
        out["groups"] = [{"key": g.key, "title": g.title, "percent": g.percent, "tasks": [r.id for r in g.rows]}
                         for g in groups]
    return out


def _task_json(r: Row) -> dict[str, Any]:
    """One row of the JSON shape's "tasks"."""
    return {
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
        "leads": [_lead_json(s, r.ts) for s in r.ts.leads if s.body],
        "last_progress": r.last_date.isoformat() if r.last_date else None,
        "last_note": r.last_note,
        "last_by": r.last_by,
        "occurrences": [
            {"code": o.code, "due": o.due.isoformat(), "status": o.status, "percent": o.percent,
             "leads": [_lead_json(s, None) for s in o.leads if s.body]}
            for o in r.ts.occurrences
        ],
    }


def _json_head(ps: PlanStatus, lang: str, path: str | None, scope: Scope | None) -> dict[str, Any]:
    """The JSON shape's fields before its tasks: the plan, the date, the scope and the summary."""
    info = ps.plan.plan
    leaves = ps.leaves(scope)
    return {
        "version": JSON_VERSION,
        "plan": {"id": info.id, "title": info.title, "number": info.number, "file": path,
                 "period": {"start": info.period.start.isoformat(), "end": info.period.end.isoformat()}},
        "as_of": ps.as_of.isoformat(),
        "soon_days": ps.soon_days,
        "scope": {"body": list(scope.body_ids) if scope else [],
                  "topic": scope.topic.id if scope and scope.topic else None},
        "summary": {
            "counts": ps.counts(leaves),
            "rollup": ps.rollup(leaves),
            "completion": ps.completion(scope),
        },
    }


def _lead_json(state: LeadState, ts: TaskStatus | None) -> dict[str, Any]:
    """One lead body's part: its percent and the day it finished (dated work), or whether it
    reported for the last ended review period (continuous work)."""
    if ts is not None and ts.kind == "continuous":
        return {"body": state.body, "last_progress": state.last.isoformat() if state.last else None,
                "stale": state.body in ts.stale_leads}
    return {"body": state.body, "percent": state.percent,
            "done_on": state.done_on.isoformat() if state.done_on else None,
            "last_progress": state.last.isoformat() if state.last else None}


def status_json_text(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None,
                     scope: Scope | None = None, groups: list[Group] | None = None) -> str:
    """`kehoach status --format json`: `base.text.json_text(to_json(...))` byte for byte, written by
    orjson when it is installed (the `fast` extra), else by `json_pieces`."""
    from kehoach.base.text import has_orjson

    if has_orjson():
        return status_json_bytes(ps, rows, lang, path, scope, groups).decode("utf-8")
    return "".join(json_pieces(ps, rows, lang, path, scope, groups))


def status_json_bytes(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None,
                      scope: Scope | None = None, groups: list[Group] | None = None) -> bytes:
    """`status_json_text(...)` encoded in UTF-8 (`json_chunks` joined), for a file or standard
    output."""
    return b"".join(json_chunks(ps, rows, lang, path, scope, groups))


_PIECE_ROWS = 200  # rows written as one piece of text
_enc: Callable[[str], str]  # json's string writer (its C one when there is one), imported when first needed


def json_pieces(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None,
                scope: Scope | None = None, groups: list[Group] | None = None) -> Iterator[str]:
    """`kehoach status --format json` in pieces, a few hundred rows at a time, to be written one
    after the other: together they are `base.text.json_text(to_json(...))` byte for byte (the
    same indentation, escapes and order), without the whole shape or text held at once."""
    for piece in _json_parts(ps, rows, lang, path, scope, groups, fast=False):
        assert isinstance(piece, str)
        yield piece


def json_chunks(ps: PlanStatus, rows: list[Row], lang: str = "vi", path: str | None = None,
                scope: Scope | None = None, groups: list[Group] | None = None) -> Iterator[bytes]:
    """`json_pieces` in UTF-8, to be written one after the other: with orjson installed (the `fast`
    extra) it writes each few hundred rows (about five times faster), escaped on their bytes."""
    from kehoach.base.text import has_orjson

    for piece in _json_parts(ps, rows, lang, path, scope, groups, fast=has_orjson()):
        yield piece if isinstance(piece, bytes) else piece.encode("utf-8")


def _json_parts(ps: PlanStatus, rows: list[Row], lang: str, path: str | None, scope: Scope | None,
                groups: list[Group] | None, fast: bool) -> Iterator[str | bytes]:
    """The pieces of `json_pieces`; with `fast`, the rows' pieces written by orjson (UTF-8 bytes)
    where it can write them (not a lone surrogate, which json writes as it is)."""
    global _enc
    import json
    from json.encoder import encode_basestring as _enc

    from kehoach.base.text import fast_json_items, json_escaped

    head = json.dumps(_json_head(ps, lang, path, scope), ensure_ascii=False, indent=2)
    if not rows:
        yield json_escaped(head[:-2] + ',\n  "tasks": []')
    else:
        yield json_escaped(head[:-2] + ',\n  "tasks": [')
        for start in range(0, len(rows), _PIECE_ROWS):
            batch = rows[start:start + _PIECE_ROWS]
            items = fast_json_items([_task_json(r) for r in batch], 2) if fast else None
            if items is not None:
                yield items if start == 0 else b"," + items
            else:
                piece = ",".join(_task_text(r) for r in batch)
                yield json_escaped(piece if start == 0 else "," + piece)
        yield "\n  ]"
    if groups is not None:
        if not groups:
            yield ',\n  "groups": []'
        else:
            yield ',\n  "groups": ['
            for i, g in enumerate(groups):
                yield json_escaped(("," if i else "") + _group_text(g))
            yield "\n  ]"
    yield "\n}\n"


def _value(v: object) -> str:
    """One value as json.dumps writes it (ensure_ascii off)."""
    if isinstance(v, str):
        return _enc(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return int.__repr__(v)
    import json

    return json.dumps(v)


def _date(d: dt.date | None) -> str:
    return '"' + d.isoformat() + '"' if d else "null"


def _strings(items: Iterable[object], pad: str) -> str:
    """A list of values at an indentation: '[]', or one value a line."""
    inner = ",\n" + pad + "  "
    text = inner.join(_value(x) for x in items)
    return "[" + inner[1:] + text + "\n" + pad + "]" if text else "[]"


def _objects(leads: list[str], pad: str) -> str:
    """A list of lead parts (objects) at an indentation."""
    if not leads:
        return "[]"
    return "[\n" + pad + "  " + (",\n" + pad + "  ").join(leads) + "\n" + pad + "]"


def _dated_lead_text(state: LeadState, pad: str) -> str:
    """`_lead_json` of dated work written at an indentation (its opening brace's)."""
    return (f'{{\n{pad}  "body": {_enc(state.body)},\n{pad}  "percent": {_value(state.percent)},\n{pad}  '
            f'"done_on": {_date(state.done_on)},\n{pad}  "last_progress": {_date(state.last)}\n{pad}}}')


def _continuous_lead_text(state: LeadState, stale: list[str], pad: str) -> str:
    """`_lead_json` of continuous work written at an indentation (its opening brace's)."""
    return (f'{{\n{pad}  "body": {_enc(state.body)},\n{pad}  "last_progress": {_date(state.last)},\n{pad}  '
            f'"stale": {"true" if state.body in stale else "false"}\n{pad}}}')


def _occurrence_text(o: OccurrenceStatus) -> str:
    """One occurrence of a recurring duty, as an item of a task's "occurrences"."""
    leads = [_dated_lead_text(s, "            ") for s in o.leads if s.body]
    return (f'{{\n          "code": {_enc(o.code)},\n          "due": {_date(o.due)},\n'
            f'          "status": {_enc(o.status)},\n          "percent": {_value(o.percent)},\n'
            f'          "leads": {_objects(leads, "          ")}\n        }}')


def _task_text(r: Row) -> str:
    """One row as an item of "tasks", starting on a new line (without the comma before it)."""
    ts = r.ts
    kind = ts.kind
    if kind == "continuous":
        stale = ts.stale_leads
        leads = [_continuous_lead_text(s, stale, "        ") for s in ts.leads if s.body]
    else:
        leads = [_dated_lead_text(s, "        ") for s in ts.leads if s.body]
    occurrences = [_occurrence_text(o) for o in ts.occurrences]
    return (f'\n    {{\n      "id": {_enc(r.id)},\n      "title": {_enc(r.title)},\n'
            f'      "parent": {_value(ts.parent)},\n      "depth": {_value(r.depth)},\n'
            f'      "lead": {_strings(r.lead, "      ")},\n      "support": {_strings(r.support, "      ")},\n'
            f'      "deadline": {{\n        "text": {_enc(r.deadline)},\n        "due": {_date(r.due)},\n'
            f'        "kind": {_enc(kind)}\n      }},\n'
            f'      "status": {_enc(r.status)},\n      "status_label": {_enc(r.status_label)},\n'
            f'      "percent": {_value(r.percent)},\n      "leads": {_objects(leads, "      ")},\n'
            f'      "last_progress": {_date(r.last_date)},\n      "last_note": {_value(r.last_note)},\n'
            f'      "last_by": {_value(r.last_by)},\n'
            f'      "occurrences": {_objects(occurrences, "      ")}\n    }}')


def _group_text(g: Group) -> str:
    """One group as an item of "groups", starting on a new line."""
    return ('\n    {\n      "key": ' + _value(g.key) + ',\n      "title": ' + _value(g.title)
            + ',\n      "percent": ' + _value(g.percent)
            + ',\n      "tasks": ' + _strings([r.id for r in g.rows], "      ") + "\n    }")


def headline(ps: PlanStatus, lang: str = "vi", scope: Scope | None = None) -> list[str]:
    """The title, the date and overall completion, and the roll-up, of the tasks in scope."""
    from kehoach.base.messages import render

    info = ps.plan.plan
    r = ps.rollup(ps.leaves(scope))
    if info.number:
        title = text("headline.title-number", lang, type=info.type, number=info.number, title=info.title)
    else:
        title = text("headline.title", lang, type=info.type, title=info.title)
    if scope is not None and scope.body_names:
        title = text("headline.body", lang, title=title, names=", ".join(scope.body_names))
    when = text("headline.when", lang, date=long_date(ps.as_of, lang), completion=ps.completion(scope))
    ongoing = render("rollup-ongoing", "message", r, lang)
    if r["not_triggered"]:
        ongoing += render("rollup-not-triggered", "message", r, lang)
    if r["suspended"]:
        ongoing += render("rollup-suspended", "message", r, lang)
    return [title, when, render("rollup-line", "message", r, lang), ongoing]
