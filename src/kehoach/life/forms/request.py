"""`kehoach request`: which rows each body is asked for, and the forms made for them.

The standing unit sends each body that leads or supports work of the period a form: one
row per task and per open occurrence of a recurring duty that concerns the body, and one
per review period of continuous work. The period's evaluation says which work; where each
stands is its status on the day the forms are made: a lead that has finished its part is
not asked again. Each row keeps a fingerprint of its task (title, deadline, bodies) and
each form the plan file's hash, so that `collect` can tell a task changed since.
`kehoach.life.forms.workbook` lays the forms out; the key that signs them is made here
on the first run (`kehoach.life.forms.keys`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.errors import KehoachError, UsageError
from kehoach.base.messages import text
from kehoach.base.text import printable
from kehoach.judge.evaluation import Verdict
from kehoach.judge.scope import default_due
from kehoach.judge.status import Status
from kehoach.life.forms.keys import form_key
from kehoach.life.forms.workbook import FormRow, RequestForm, write_form

if TYPE_CHECKING:
    from kehoach.base.periods import Span
    from kehoach.judge.evaluation import Judged
    from kehoach.plan.bodies import Bodies
    from kehoach.plan.loader import LoadedPlan
    from kehoach.plan.model import Plan, Task


def plan_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def fingerprint(task: Task) -> str:
    """What a body was asked about: the task's title, deadline and bodies."""
    from kehoach.plan.model import written_form

    data = [task.title, written_form(task.deadline) if task.deadline is not None else None,
            list(task.lead), list(task.support)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _wanted(j: Judged, span: Span) -> bool:
    """A row of the period's form: work due in it (or before it and still open), work in
    progress, continuous work, and work whose window has begun by the period's end; not an
    event's duty before the event (a task "sau khi … phê duyệt" waits for it)."""
    from kehoach.base.deadlines import Dated

    if j.verdict == Verdict.NOT_TRIGGERED:
        return False
    if j.verdict in (Verdict.UNFINISHED_OVERDUE, Verdict.UNFINISHED, Verdict.IN_PROGRESS, Verdict.CONTINUING,
                     Verdict.MAINTAINED, Verdict.GAPS):
        return True
    if j.verdict == Verdict.NOT_STARTED:
        deadline = j.node.deadline
        return not isinstance(deadline, Dated) or deadline.start <= span.end
    return False


def _review_periods(plan: Plan, span: Span, review: str) -> list[Any]:
    """The review periods of continuous work a form of `span` asks about: those overlapping it."""
    from kehoach.base.periods import periods_between

    start, end = max(span.start, plan.plan.period.start), min(span.end, plan.plan.period.end)
    return periods_between(review, start, end, plan.convention) if start <= end else []


def return_address(plan: Plan, bodies: Bodies, body: str, lang: str = "vi") -> str:
    """Where a body's form goes back, in words: the plan's standing units, each with the issuer it
    works for ("Sở Nội vụ (thường trực của Ban Cán sự đảng …)"), else the issuers; never the
    body itself, unless it is the only one."""
    standing = plan.reporting.standing
    pairs: list[tuple[str, str | None]] = [(unit, principal) for principal in plan.plan.issuers
                                           for unit in standing.get(principal, [])]
    pairs += [(issuer, None) for issuer in plan.plan.issuers if not standing.get(issuer)]
    others = [p for p in pairs if p[0] != body] or pairs
    return "; ".join(text("form.return-unit", lang, unit=bodies.name(unit), principal=bodies.name(principal))
                     if principal else bodies.name(unit) for unit, principal in others)


def build_requests(plan: Plan, span: Span, as_of: dt.date, plan_file: str, raw: bytes, due: dt.date | None = None,
                   body: str | None = None, lang: str = "vi", contact: str | None = None,
                   letter: str | None = None) -> list[RequestForm]:
    """One form per body that leads or supports open work of the period (`body`: that one only;
    groups are sent to their members, one form each; a group whose members the plan does not
    list gets one form, `shared`). The period's evaluation says which work; where each
    stands is its status on `as_of`: a lead that has finished its part is not asked again, and
    continuous work gets a row per review period of the form's period. `contact` (the person to
    ask) and `letter` (the cover letter's number) go into each form when the office gives them;
    else each form has a line to fill in by hand."""
    from kehoach.base.deadlines import Continuous
    from kehoach.base.vndates import deadline_on, period_label
    from kehoach.judge.evaluation import evaluate
    from kehoach.judge.status import compute_status
    from kehoach.plan.reporters import JOINT, LeadState, Reporters
    from kehoach.plan.schedule import build_schedule

    schedule = build_schedule(plan)
    ev = evaluate(plan, span, as_of, schedule=schedule)
    reporters = Reporters(plan)
    now = compute_status(plan, as_of, schedule=schedule, reporters=reporters).by_id()
    bodies = reporters.bodies
    wanted_ids = set(bodies.require(body)) if body is not None else None
    due = due or default_due(plan, span, as_of)
    digest = plan_hash(raw)
    per_body: dict[str, list[FormRow]] = {}
    for j in ev.judged:
        if not _wanted(j, span):
            continue
        node = j.node
        ts = now[node.id]
        words = deadline_on(node.deadline, ts.due, lang) if node.deadline is not None else ""
        asks: list[tuple[str, str, str, str, list[LeadState] | None]]
        if isinstance(node.deadline, Continuous):
            asks = [(p.code, period_label(p.key, p.year, lang), "continuous", ts.status, None)
                    for p in _review_periods(plan, span, node.deadline.review)]
        elif j.occurrence is not None:
            occ = next(o for o in ts.occurrences if o.code == j.occurrence.code)
            if occ.status in (Status.DONE_ON_TIME, Status.DONE_LATE):
                continue  # completed since the period's close: nothing to ask
            asks = [(occ.code, period_label(occ.key, int(occ.code.split("-")[0]), lang), "recurring", occ.status,
                     occ.leads)]
        else:
            if ts.status in (Status.DONE_ON_TIME, Status.DONE_LATE):
                continue
            asks = [("", "", "dated", ts.status, ts.leads)]
        leads_named = set(bodies.expand(node.lead))
        for ident in bodies.expand([*node.lead, *node.support]):
            if wanted_ids is not None and not bodies.involves([ident], wanted_ids):
                continue
            # a body named to support is asked as a supporter, but not one whose reports count for a
            # lead (the lead's standing unit, named among the supporters): the plan takes its every
            # result there as the lead's (`reporting.standing`), so its row says so ('Chủ trì
            # (thường trực)'), on continuous work too, and on dated work and duties it is asked the
            # lead's percent (a lead's result says how far the work is)
            owner = reporters.lead_of(ident, node.lead)
            kind = ("support" if owner in (None, JOINT) else "lead" if ident in node.lead
                    else "member" if ident in leads_named  # a member of a lead group leads its own part
                    else "standing")
            rows = per_body.setdefault(ident, [])
            for code, period, what, status, leads in asks:
                if any(r.task_id == node.id and r.occurrence == code for r in rows):
                    continue  # named twice (a body that both leads and supports): once
                state: LeadState | None = (next((s for s in leads or [] if s.body == owner), None)
                                           if kind != "support" else None)
                if state is not None and state.done_on is not None:
                    continue  # this lead has finished its part; the others are asked
                percent = state.percent if state is not None else (ts.percent or 0)
                rows.append(FormRow(node.id, code, node.task.title, kind, words, status, percent,
                                    fingerprint(node.task), what, period))
    info = plan.plan
    return [RequestForm(info.id, info.title, info.number or "", plan_file, digest, ident, bodies.name(ident), span,
                        as_of, due, rows, info.period.start, return_address(plan, bodies, ident, lang),
                        printable(contact or "").strip(), printable(letter or "").strip(),
                        shared=bodies.by_id[ident].kind == "group" and not bodies.by_id[ident].members)
            for ident, rows in per_body.items() if ident in bodies.by_id and rows]


def make_requests(plan_path: str | os.PathLike[str], period: str, as_of: dt.date, out_dir: str | os.PathLike[str],
                  due: dt.date | None = None, body: str | None = None, force: bool = False,
                  lang: str = "vi", loaded: LoadedPlan | None = None, contact: str | None = None,
                  letter: str | None = None) -> list[tuple[RequestForm, Path]]:
    """Write the period's forms into `out_dir` (made if missing), one per body; refused when a form
    file is there already (a returned one could be lost), unless `force`. `loaded`: the plan at
    `plan_path`, when the caller has read it already (its text gives the forms' plan hash).
    `contact`, `letter`: the person to ask and the cover letter's number, printed on each form."""
    from kehoach.base.vndates import date_param
    from kehoach.judge.scope import report_span
    from kehoach.outputs.documents import write
    from kehoach.plan.loader import require_plan

    loaded = loaded or require_plan(plan_path)
    assert loaded.plan is not None and loaded.text is not None
    raw = loaded.text.encode("utf-8")  # the bytes read: the text is their strict UTF-8 decoding
    span = report_span(loaded.plan, period, None, None)
    if due is not None and (due < as_of or due < span.start):
        raise UsageError("request-bad-due", {"due": date_param(due), "as_of": date_param(as_of),
                                             "start": date_param(span.start)})
    forms = build_requests(loaded.plan, span, as_of, Path(plan_path).name, raw, due, body, lang, contact, letter)
    if not forms:
        raise KehoachError("request-nothing", {"period": span.code})
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError("request-not-folder", {"path": str(folder)})
    targets = [(form, folder / f"{form.stem}.xlsx") for form in forms]
    if not force:
        there = [str(p) for _, p in targets if p.exists()]
        if there:
            raise UsageError("request-exists", {"path": there[0], "n": len(there)})
    from kehoach.life.forms.keys import key_path
    from kehoach.outputs.documents import refuse_targets

    reads = [plan_path, *loaded.catalogues, key_path(plan_path)]
    refuse_targets([t for _, t in targets], reads)  # the one output guard, every form before the first
    key = form_key(plan_path, create=True)
    assert key is not None  # made when missing
    folder.mkdir(parents=True, exist_ok=True)
    for form, target in targets:
        write(write_form(form, key, lang), target, reads)
    return targets

