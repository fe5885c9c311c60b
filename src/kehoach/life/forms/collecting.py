"""`kehoach collect`: the rows bodies answered in their forms, recorded as progress.

The forms are read (`kehoach.life.forms.workbook`) in whatever order the mail brought
them. A form is refused whole when its hidden sheet is not what `request` signed, or it
is another plan's or an unknown body's. Of the forms kept, each body's answered rows are
matched with what the form asked and checked as `kehoach log` checks an entry (the date
within the plan and not in the future, a lead's percent never going down, a supporting
body's percent left out), each in the name of the form's body; a report already in the
plan, or a copy of a form sent twice, adds nothing. Of two versions of one body's form
for one period the later saved is kept, in one batch and across batches (the ledger,
`kehoach.life.forms.keys`). All is written at once, or nothing when a row is refused
(unless `--partial`); the result is reported as text or as JSON.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import Diagnostic
from kehoach.base.errors import KehoachError
from kehoach.base.messages import Localized, Msg, text
from kehoach.life.forms.keys import add_to_ledger, entry_digest, form_key, ledger_path, read_ledger, sign
from kehoach.life.forms.request import fingerprint, plan_hash
from kehoach.life.forms.screen import FormError
from kehoach.life.forms.workbook import GRACE_DAYS, META, Answer, ReturnedForm, cell_column, cell_ref, read_form
from kehoach.plan.reporters import JOINT

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from kehoach.plan.model import Plan, Progress, Task


# ---------------------------------------------------------------- collecting


@dataclass
class Planned:
    """An entry a row will add to the plan, and the row it comes from."""

    answer: Answer
    task_id: str
    entry: dict[str, Any]
    window: tuple[dt.date, dt.date] | None = None  # the form's period: a report in it is the same report


@dataclass
class Replaced:
    """An entry an older version of a body's form recorded (collected before), taken out of the
    plan because the newer version answers its row again: the body's corrected word replaces it."""

    task_id: str
    entry: Progress
    answer: Answer  # the newer version's row that answers it again
    origin: str  # the older version's file, as the ledger names it


@dataclass
class CollectResult:
    plan_path: str
    forms: list[ReturnedForm]
    planned: list[Planned]  # accepted, in order
    refused: list[Diagnostic]  # rows refused (at their cells) and whole forms refused
    warnings: list[Diagnostic]
    repeated: list[Answer]  # rows already recorded: nothing to add
    written: bool = False
    replaced: list[Replaced] = field(default_factory=list)  # an older version's entries a newer one corrects
    missing: dict[str, list[str]] = field(default_factory=dict)  # period → bodies asked whose form is not in
    missing_words: dict[str, str] = field(default_factory=dict)  # period → those bodies, listed
    dry_run: bool = False
    partial: bool = False
    keys: set[tuple[Any, ...]] = field(default_factory=set)  # the reports planned so far (`_key`)
    read: int = 0  # the forms read, as a clerk counts them: one per body and period (a version replaced,
    # a copy sent twice or a form refused whole is not another form)

    @property
    def rows(self) -> int:
        return len({(p.answer.file, p.answer.row) for p in self.planned})


def collect(plan_path: str | os.PathLike[str], files: list[str | os.PathLike[str]], today: dt.date,
            partial: bool = False, dry_run: bool = False, allow_unsigned: bool = False) -> CollectResult:
    """Read returned forms, in whatever order the mail brought them, and record their rows as
    progress, each in the name of the body whose form it is: all in one atomic write, sorted
    by date; nothing when a row is refused (unless `partial`) or with `dry_run`.

    A form is refused whole when its hidden sheet is not what `request` signed (edited, forged,
    or made for another office); with `partial`, an unreadable or refused form is reported and
    the others are read. A form sent twice is recorded once; two different versions of one body's
    form for one period: the later one is kept, and the run says so."""
    from kehoach.base.files import read_bytes
    from kehoach.life.log import append_entries
    from kehoach.plan.loader import require_plan
    from kehoach.plan.reporters import Reporters
    from kehoach.plan.schedule import build_schedule

    path = Path(plan_path)
    plan = require_plan(path).plan
    assert plan is not None
    raw, _ = read_bytes(path)
    digest = plan_hash(raw or b"")
    result = CollectResult(str(path), [], [], [], [], [], dry_run=dry_run, partial=partial)
    with cycles_collected():
        for f in files:
            try:
                result.forms.append(read_form(f))
            except FormError as exc:
                if not partial:
                    raise  # a hostile or unreadable file stops everything (exit 2), unless --partial
                params = dict(exc.params)
                if "path" in params and exc.message("vi").startswith(str(params["path"])):
                    # the diagnostic names the file before a message that begins with it: "tệp này"
                    params["path"] = Msg("form.this-file")
                result.refused.append(Diagnostic(exc.code, "error", 0, 0, params=params, file=str(f)))
    key = form_key(path)
    tasks = {t.id: t for t, _ in plan.iter_tasks()}
    nodes = build_schedule(plan).by_id()
    reporters = Reporters(plan)
    accepted: list[ReturnedForm] = []
    for form in result.forms:
        why = _refuse_form(form, plan, key, allow_unsigned, reporters.bodies)
        if why is not None:
            result.refused.append(why)
            continue
        if form.meta.get("version") == "1":
            result.warnings.append(Diagnostic("form-unsigned-accepted", "warning", file=form.file, cell=META))
        accepted.append(form)
    ledger = read_ledger(path)
    kept = []
    latest, earlier = _latest_versions(accepted, result)
    result.read = len(latest)
    slot_of: dict[str, tuple[str, str]] = {}  # each file read → its body's form for its period
    newer_forms: list[tuple[ReturnedForm, list[ReturnedForm]]] = []  # read again under the lock
    # older entries a newer version says again word for word, each with that version's file: they
    # are its entries too (the forms list says so, so that `diff` does not take them for replaced)
    stays: dict[tuple[str, str], str] = {}
    for form in latest:
        read = [form, *earlier.get(_slot(form), [])]
        slot_of.update((f.file, _slot(f)) for f in read)
        replaced: list[Replaced] = []
        newer = _older_than_collected(form, ledger, plan.plan.id, result)
        if newer is True:
            # an older version than one collected before: only the rows nothing since has answered
            read = [_unanswered(f, tasks, result) for f in read]
        else:
            kept.append(form)
            # an earlier version of this batch older than one collected before: the same
            read = [form] + [_unanswered(f, tasks, result) if _collected_after(f, ledger, plan.plan.id) else f
                             for f in read[1:]]
            # a newer version than one collected before: the rows it answers again replace what the
            # older one recorded for them (its percent may then be lower)
            replaced = _to_replace(form, read, ledger, plan.plan.id, tasks)
            newer_forms.append((form, read))
        view = _without(tasks, replaced)
        first_planned = len(result.planned)
        for part in read:
            result.refused += part.problems
            result.warnings += part.warnings
            _plan_rows(part, result, plan, view, nodes, reporters, today, digest)
        replaced = _replacing(replaced, result, first_planned, stays)
        result.replaced += replaced
        if isinstance(newer, dict):
            _newer_said(form, newer, replaced, result, ledger, plan.plan.id)
    # a refused row stops the whole batch (unless --partial): then no form of it is received
    result.missing = _missing(ledger, plan.plan.id, accepted, received=not (result.refused and not partial))
    result.missing_words = {period: reporters.bodies.shorts(bodies) for period, bodies in result.missing.items()}
    if not result.planned and not result.replaced:
        return result
    result.planned.sort(key=lambda p: p.entry["date"])  # the plan's log in date order, whatever the mail's
    planned = list(result.planned)

    def note_forms(batch: Any) -> None:  # the ledger, under the plan's lock, with the write
        # a body's form is collected when any version of it had rows written (its newest is noted,
        # a blank copy saved last included: the rows taken from an earlier version are its report);
        # with the entries written from it, which a newer version may replace
        entries: dict[Any, list[list[str]]] = {}
        for i in batch.accepted:
            entries.setdefault(slot_of.get(planned[i].answer.file), []).append(
                [planned[i].task_id, entry_digest(planned[i].task_id, planned[i].entry)])
        for (task_id, digest), file in stays.items():
            entries.setdefault(slot_of.get(file), []).append([task_id, digest])
        written = set(entries) | {slot_of.get(w.source.file) for w in batch.withdrawn}
        noted = add_to_ledger(path, [{"plan": plan.plan.id, "body": f.body, "period": f.meta.get("period", ""),
                              "saved": _saved(f)[0].isoformat(), "content": f.digest(), "file": Path(f.file).name,
                              "collected": today.isoformat(), "entries": entries.get(_slot(f), [])}
                             for f in kept if _slot(f) in written])
        if not noted and written:
            result.warnings.append(Diagnostic("form-ledger-unwritten", "warning", 0, 0, file=str(ledger_path(path))))

    batch = append_entries(path, [(p.task_id, p.entry) for p in planned], partial=partial,
                           dry_run=dry_run or (bool(result.refused) and not partial),
                           recorded=_recorded_in(planned), then=note_forms,
                           withdraw=_withdraw_in(newer_forms, planned, stays, result, path, plan.plan.id)
                           if newer_forms else None)
    # what was taken out, worked out again under the lock (another collect may have recorded a version
    # meanwhile; an entry removed by hand is not looked for)
    result.replaced = [Replaced(w.task_id, w.entry, w.source, w.origin) for w in batch.withdrawn]
    for d in result.warnings:
        if d.code == "form-newer-replaces":
            d.params["n"] = sum(1 for r in result.replaced if r.answer.file == d.file)
    if batch.recorded:  # another collect recorded them meanwhile (two at once): read under the lock
        again = set(batch.recorded)
        result.repeated += list({id(planned[i].answer): planned[i].answer for i in again}.values())
    for index, error in batch.refused:
        p = result.planned[index]
        result.refused.append(Diagnostic("form-log-refused", "error", p.answer.row, 1,
                                         {"id": p.task_id, "detail": Why(error), "fix": Fix(error)},
                                         file=p.answer.file, cell=cell_ref(p.answer.sheet, p.answer.cells["result"])))
    refused_rows = {(result.planned[i].answer.file, result.planned[i].answer.row) for i, _ in batch.refused}
    result.planned = [p for i, p in enumerate(planned)
                      if (p.answer.file, p.answer.row) not in refused_rows and i not in batch.recorded]
    result.written = batch.saved
    return result


def _to_replace(form: ReturnedForm, parts: list[ReturnedForm], ledger: list[dict[str, Any]], plan_id: str,
                tasks: dict[str, Task]) -> list[Replaced]:
    """The entries older versions of this body's form (collected before, their entries in the
    ledger) recorded for the rows this version, or the parts of this batch it stands with,
    answer again: of the same task and period, the body's word is now the newer one."""
    saved = _saved(form)[0].isoformat()
    earlier: dict[tuple[str, str], str] = {}
    for r in _collected(form, ledger, plan_id):
        if r.get("saved", "") <= saved and isinstance(r.get("entries"), list):
            for item in r["entries"]:
                if isinstance(item, list) and len(item) == 2:
                    earlier[item[0], item[1]] = str(r.get("file", "?"))
    out: list[Replaced] = []
    answered = {(a.task_id, a.occurrence or None): a for part in parts for a in part.answers}
    for (task_id, occurrence), answer in answered.items():
        task = tasks.get(task_id)
        if task is None:
            continue
        for e in task.progress:
            if e.body == form.body and e.occurrence == occurrence:
                origin = earlier.get((task_id, entry_digest(task_id, e)))
                if origin is not None:
                    out.append(Replaced(task_id, e, answer, origin))
    return out


def _without(tasks: dict[str, Task], replaced: list[Replaced]) -> dict[str, Task]:
    """The tasks as the plan will hold them: without the entries a newer version replaces (the
    new rows are checked against that: a percent corrected down is not a percent going down)."""
    if not replaced:
        return tasks
    gone = {id(r.entry) for r in replaced}
    view = dict(tasks)
    for task_id in {r.task_id for r in replaced}:
        task = tasks[task_id]
        view[task_id] = task.model_copy(update={"progress": [e for e in task.progress if id(e) not in gone]})
    return view


def _replacing(replaced: list[Replaced], result: CollectResult, first: int,
               stays: dict[tuple[str, str], str]) -> list[Replaced]:
    """Of the entries a newer version would replace: not those whose row it refused (the older
    word stands), nor one the same as an entry its row now makes, to the day (the older entry
    stays, added to `stays`; the new one is not added: nothing changes)."""
    refused = {(d.file, d.line) for d in result.refused}
    out = []
    for r in replaced:
        if (r.answer.file, r.answer.row) in refused:
            continue
        same = next((p for p in result.planned[first:] if p.answer is r.answer
                     and _same_day(r.entry, p.entry)), None)
        if same is not None:
            stays[(r.task_id, entry_digest(r.task_id, r.entry))] = r.answer.file
            result.planned.remove(same)
            result.keys.discard(_key(same, same.window))  # type: ignore[arg-type]
            if not any(p.answer is r.answer for p in result.planned[first:]):
                result.repeated.append(r.answer)
            continue
        out.append(r)
    return out


def _withdraw_in(newer: list[tuple[ReturnedForm, list[ReturnedForm]]], planned: list[Planned],
                 stays: dict[tuple[str, str], str], result: CollectResult, path: Path, plan_id: str) -> Any:
    """`append_entries`'s `withdraw`, asked under the plan's lock of the plan as it is then, with
    the list of forms collected as it is then (another collect may have recorded a version
    meanwhile): the entries older versions wrote for the rows each newer version answers again,
    where they are now, and which of the batch's entries take their place; not those of a row
    refused, nor one its row says again word for word (`stays`, and the same entry planned)."""
    from kehoach.life.log import Withdrawal

    def withdraw(plan: Plan) -> list[Withdrawal]:
        ledger = read_ledger(path)
        by_id = {t.id: t for t, _ in plan.iter_tasks()}
        refused = {(d.file, d.line) for d in result.refused}
        out: list[Withdrawal] = []
        for form, parts in newer:
            for r in _to_replace(form, parts, ledger, plan_id, by_id):
                key = (r.task_id, entry_digest(r.task_id, r.entry))
                if (r.answer.file, r.answer.row) in refused or key in stays or any(
                        p.answer is r.answer and _same_day(r.entry, p.entry)
                        for p in planned):
                    continue
                progress = by_id[r.task_id].progress
                index = next(i for i, e in enumerate(progress) if e is r.entry)
                items = tuple(i for i, p in enumerate(planned) if p.answer is r.answer)
                out.append(Withdrawal(r.task_id, index, r.entry, items, r.origin, r.answer))
        return out

    return withdraw


def _recorded_in(planned: list[Planned]) -> Any:
    """`append_entries`'s question, asked under the plan's lock of the plan as it is then: is
    planned entry `index` in it already (recorded by another collect since this one read the plan)?"""
    tasks: dict[int, dict[str, Task]] = {}

    def recorded(plan: Plan, index: int) -> bool:
        by_id = tasks.get(id(plan))
        if by_id is None:
            by_id = tasks[id(plan)] = {t.id: t for t, _ in plan.iter_tasks()}
        p = planned[index]
        task = by_id.get(p.task_id)
        return task is not None and p.window is not None and _recorded(task, p.entry, p.window)

    return recorded


@contextmanager
def cycles_collected() -> Iterator[None]:
    """The cycle collector on while a batch of workbooks is read or written: `kehoach` runs with
    it off (one command, one process), but openpyxl leaves each workbook in reference cycles, so a
    batch would keep every workbook it read (about 0.5 MB a form) until the command ends."""
    import gc

    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.collect()
            gc.disable()


def _older_than_collected(form: ReturnedForm, ledger: list[dict[str, Any]], plan_id: str,
                          result: CollectResult) -> dict[str, Any] | bool:
    """A version of this body's form for this period was collected before (another batch): an
    older version arriving now is not recorded (True, said); of a newer one, the latest version
    collected before (to say what became of its entries once known); False: neither."""
    saved = _saved(form)[0].isoformat()
    collected = _collected(form, ledger, plan_id)
    before = [r for r in collected if r.get("content") != form.digest()]
    if not before:
        return False
    latest = max(before, key=lambda r: r.get("saved", ""))
    same = [i for i, r in enumerate(collected) if r.get("content") == form.digest()]
    if same:  # this very form, collected before: older if another version was saved later, or in the
        # same second and collected after it (the list's order); else nothing new to say of it
        later = [r for i, r in enumerate(collected) if r.get("content") != form.digest() and (
            r.get("saved", "") > saved or (r.get("saved", "") == saved and i > same[-1]))]
        if not later:
            return False
        latest = later[-1]
        result.warnings.append(Diagnostic("form-older-than-collected", "warning", 0, 0, file=form.file, params={
            "other": latest.get("file", "?"), "collected": _ledger_day(latest)}))
        return True
    if latest.get("saved", "") > saved:
        result.warnings.append(Diagnostic("form-older-than-collected", "warning", 0, 0, file=form.file, params={
            "other": latest.get("file", "?"), "collected": _ledger_day(latest)}))
        return True
    return latest


def _newer_said(form: ReturnedForm, latest: dict[str, Any], replaced: list[Replaced], result: CollectResult,
                ledger: list[dict[str, Any]], plan_id: str) -> None:
    """What became of the entries of the versions collected before a newer one: replaced where it
    answers their rows again, kept where it does not; an older version whose entries the ledger
    does not list (collected by an older kehoach) is left for the office to look at."""
    params = {"other": latest.get("file", "?"), "collected": _ledger_day(latest), "n": len(replaced)}
    unknown = any("entries" not in r for r in _collected(form, ledger, plan_id))
    code = ("form-newer-than-collected" if unknown else "form-newer-replaces" if replaced
            else "form-newer-adds")
    result.warnings.append(Diagnostic(code, "warning", 0, 0, file=form.file, params=params))


def _collected_after(form: ReturnedForm, ledger: list[dict[str, Any]], plan_id: str) -> bool:
    """A version of this body's form for this period, saved later than this one, was collected
    before (another batch)."""
    saved = _saved(form)[0].isoformat()
    return any(r.get("saved", "") > saved for r in _collected(form, ledger, plan_id))


def _collected(form: ReturnedForm, ledger: list[dict[str, Any]], plan_id: str) -> list[dict[str, Any]]:
    """The versions of this body's form for this period collected before (the ledger's records of
    forms collected, not of forms made)."""
    return [r for r in ledger if r.get("plan") == plan_id and r.get("body") == form.body and "content" in r
            and r.get("period") == form.meta.get("period")]


def _ledger_day(record: dict[str, Any]) -> Any:
    """The day a form was collected, as the ledger has it, worded as messages word a date."""
    try:
        return _shown(dt.date.fromisoformat(record.get("collected", "")[:10]))
    except ValueError:
        return "?"


def _refuse_form(form: ReturnedForm, plan: Plan, key: bytes | None, allow_unsigned: bool,
                 bodies: Any) -> Diagnostic | None:
    """Why a whole form is refused, or None: another plan's, an unknown body's, unsigned, a
    hidden sheet that is not what `request` signed with this office's key, or one whose period
    is not the plan's (its dates are what a row's date is checked against)."""
    import hmac

    meta = form.meta
    plan_id = plan.plan.id

    def refused(code: str, **params: object) -> Diagnostic:
        return Diagnostic(code, "error", file=form.file, cell=META, params=dict(params))

    if meta.get("plan") != plan_id:
        return refused("form-other-plan", plan=meta.get("plan", "?"), ours=plan_id)
    if meta.get("version") == "1":
        if not allow_unsigned:
            return refused("form-unsigned")
    elif key is None:
        return refused("form-no-key")
    elif not hmac.compare_digest(sign(key, form.pairs, form.meta_rows), meta.get("signature", "")):
        return refused("form-forged")
    if form.body not in bodies.by_id:
        return refused("form-unknown-body", body=form.body)
    return _other_period(form, plan, refused)


def _other_period(form: ReturnedForm, plan: Plan, refused: Callable[..., Diagnostic]) -> Diagnostic | None:
    """The form's period as the plan has it: the code its hidden sheet names (2021-Q3) gives the
    days it says (a start moved back would let a form record backdated entries), within the plan."""
    from kehoach.judge.scope import ScopeError, report_span

    meta = form.meta
    start, end = dt.date.fromisoformat(meta["start"]), dt.date.fromisoformat(meta["end"])
    try:
        span = report_span(plan, meta["period"])
        ours: tuple[Any, Any] = (span.start, span.end)
    except ScopeError:
        ours = ("?", "?")
    if ours != (start, end):
        return refused("form-period-mismatch", period=meta["period"], start=_shown(start), end=_shown(end),
                       plan_start=ours[0] if ours[0] == "?" else _shown(ours[0]),
                       plan_end=ours[1] if ours[1] == "?" else _shown(ours[1]))
    return None


def _missing(ledger: list[dict[str, Any]], plan_id: str, forms: list[ReturnedForm],
             received: bool = True) -> dict[str, list[str]]:
    """For each period of the forms read: the bodies `request` made a form for whose form has come
    in neither now nor before (the ledger), in the order they were asked; without `received` (the
    run records nothing), the forms read now count for none."""
    periods = {f.meta.get("period", "") for f in forms}
    came = {(r.get("body"), r.get("period")) for r in ledger if r.get("plan") == plan_id and "content" in r}
    if received:
        came |= {(f.body, f.meta.get("period", "")) for f in forms if f.answers}  # a blank form is not a report
    out: dict[str, list[str]] = {}
    for r in ledger:
        period, body = r.get("period", ""), r.get("body", "")
        if r.get("plan") == plan_id and "requested" in r and period in periods and (body, period) not in came:
            if body not in out.setdefault(period, []):
                out[period].append(body)
    return {period: bodies for period, bodies in out.items() if bodies}


def _slot(form: ReturnedForm) -> tuple[str, str]:
    """A body's form for a period: the versions of one form share it."""
    return form.body, form.meta.get("period", "")


def _latest_versions(forms: list[ReturnedForm], result: CollectResult
                     ) -> tuple[list[ReturnedForm], dict[tuple[str, str], list[ReturnedForm]]]:
    """One form per body and period, and what its earlier versions add to it. A copy sent again is
    recorded once (its rows counted as recorded); of different versions, the later saved one's
    rows are recorded, and of each earlier one the rows no later version answered (a correction of
    one row, or a copy left blank, does not wipe out the rest of what a body sent): each earlier
    version named, with what was taken from it."""
    slots: dict[tuple[str, str], list[ReturnedForm]] = {}
    for form in forms:
        versions = slots.setdefault(_slot(form), [])
        if any(other.content() == form.content() for other in versions):
            result.repeated += form.answers  # the same form again: nothing new
            continue
        versions.append(form)
    latest: list[ReturnedForm] = []
    earlier: dict[tuple[str, str], list[ReturnedForm]] = {}
    for slot, versions in slots.items():
        versions.sort(key=_saved)
        newest = versions[-1]
        latest.append(newest)
        answered = {(a.task_id, a.occurrence) for a in newest.answers}
        for older in reversed(versions[:-1]):
            taken = [a for a in older.answers if (a.task_id, a.occurrence) not in answered]
            answered.update((a.task_id, a.occurrence) for a in taken)
            params = {"newer": newest.file, "period": slot[1], "n": len(taken)}
            if taken:
                result.warnings.append(Diagnostic("form-earlier-rows-kept", "warning", file=older.file, cell=META,
                                                  params=params))
                earlier.setdefault(slot, []).append(_with_answers(older, taken))
            else:
                result.warnings.append(Diagnostic("form-superseded", "warning", file=older.file, cell=META,
                                                  params=params))
    return latest, earlier


def _with_answers(form: ReturnedForm, answers: list[Answer]) -> ReturnedForm:
    """The form with only these of its answered rows (and their problems)."""
    rows = {(a.file, a.row) for a in answers}
    return replace(form, answers=answers, problems=[d for d in form.problems if (d.file, d.line) in rows],
                   warnings=[d for d in form.warnings if (d.file, d.line) in rows])


def _unanswered(form: ReturnedForm, tasks: dict[str, Task], result: CollectResult) -> ReturnedForm:
    """An older version of a form collected before: its rows the plan has nothing for yet from
    this body in the form's period (a later version did not answer them); the others are counted
    as recorded."""
    start, end = dt.date.fromisoformat(form.meta["start"]), dt.date.fromisoformat(form.meta["end"])
    last = max(end + dt.timedelta(days=GRACE_DAYS), dt.date.fromisoformat(form.meta["due"]))

    def answered(a: Answer) -> bool:
        task = tasks.get(a.task_id)
        return task is not None and any(
            e.body == form.body and start <= e.date <= last
            and (not a.occurrence or e.occurrence in (None, a.occurrence)) for e in task.progress)

    left = [a for a in form.answers if not answered(a)]
    result.repeated += [a for a in form.answers if answered(a)]
    return _with_answers(form, left)


def _saved(form: ReturnedForm) -> tuple[dt.datetime, float]:
    """When a returned form was last saved: the workbook's own record (else the file's time), and
    the file's time to tell two saved in the same second."""
    try:
        mtime = Path(form.file).stat().st_mtime
    except OSError:
        mtime = 0.0
    own = form.saved.replace(tzinfo=None) if form.saved is not None else dt.datetime.fromtimestamp(mtime)
    return own, mtime


def _plan_rows(form: ReturnedForm, result: CollectResult, plan: Plan, tasks: dict[str, Task], nodes: dict[str, Any],
               reporters: Any, today: dt.date, digest: str) -> None:
    """The entries of one form's answered rows, checked as `kehoach log` checks one, added to
    `result` (or refused at their cells)."""
    meta = form.meta
    start, end = dt.date.fromisoformat(meta["start"]), dt.date.fromisoformat(meta["end"])
    first = max(dt.date.fromisoformat(meta["first_day"]) if meta.get("first_day") else plan.plan.period.start,
                plan.plan.period.start)  # never before the plan's first day, whatever the hidden sheet says
    # a row without its date: the date the form was due back, within the period and the plan,
    # never later than today (the same date every time the form is collected)
    due = dt.date.fromisoformat(meta["due"])
    undated = min(due, end, plan.plan.period.end, today)
    changed = meta.get("plan_sha256") != digest
    seen: set[tuple[str, str]] = set()
    window = (start, end)
    planned_keys = set(result.keys)
    for answer in form.answers:
        if answer.problems:
            continue
        where = answer.cells

        def refuse(key: str, code: str, answer: Answer = answer, where: dict[str, str] = where,
                   **params: object) -> None:
            result.refused.append(Diagnostic(code, "error", answer.row, cell_column(where[key]), dict(params),
                                             file=answer.file, cell=cell_ref(answer.sheet, where[key])))

        def warn(key: str, code: str, answer: Answer = answer, where: dict[str, str] = where,
                 **params: object) -> None:
            result.warnings.append(Diagnostic(code, "warning", answer.row, cell_column(where[key]), dict(params),
                                              file=answer.file, cell=cell_ref(answer.sheet, where[key])))

        if (answer.task_id, answer.occurrence) in seen:
            refuse("id", "form-duplicate-row", id=answer.task_id)
            continue
        seen.add((answer.task_id, answer.occurrence))
        node = nodes.get(answer.task_id)
        if node is None or not node.leaf:
            refuse("id", "form-unknown-task", id=answer.task_id)
            continue
        asked = form.rows.get((answer.task_id, answer.occurrence))
        # what the form asked decides: a lead (its percent counts) or a supporter (results only); but
        # a body whose every report counts for a lead (its standing unit) is that lead's, whatever
        # an older form asked
        role = ({"support": "support"}.get(asked["role"], "lead") if asked is not None and asked.get("role")
                else reporters.role(form.body, node))
        owner = reporters.lead_of(form.body, node.lead)
        if role == "support" and owner not in (None, JOINT):
            role = "lead"
            if asked is not None:  # a form made before its row said so: the clerk is told how it counts
                warn("id", "form-counted-for-lead", id=answer.task_id, body=reporters.bodies.name(form.body),
                     lead=reporters.bodies.name(owner))
        if role == "other":
            refuse("id", "form-not-this-body", id=answer.task_id, body=reporters.bodies.name(form.body))
            continue
        if asked is None and answer.occurrence and answer.asked:
            refuse("occurrence", "form-bad-occurrence", id=answer.task_id, occurrence=answer.occurrence)
            continue
        if changed and asked is not None and asked["fingerprint"] != fingerprint(tasks[answer.task_id]):
            warn("id", "form-task-changed", id=answer.task_id)
        planned = _entries(answer, node, tasks[answer.task_id], form.body, role,
                           (first, start, end, undated, due, today), refuse, warn, reporters)
        if planned is None:
            continue
        fresh = [p for p in planned
                 if not _recorded(tasks[answer.task_id], p.entry, window) and _key(p, window) not in planned_keys]
        if not fresh:
            result.repeated.append(answer)
            continue
        for p in fresh:
            p.window = window
        planned_keys.update(_key(p, window) for p in fresh)
        result.keys.update(_key(p, window) for p in fresh)
        result.planned += fresh


@dataclass(frozen=True, eq=False)
class Why(Localized):
    """Why `kehoach log` refused an entry, worded in the language of the message holding it."""

    error: KehoachError

    def localize(self, lang: str) -> str:
        said = dict.fromkeys(d.message(lang) for d in self.error.diagnostics)  # each once
        return "; ".join(said) or self.error.message(lang)


@dataclass(frozen=True, eq=False)
class Fix(Localized):
    """How to put right in a form what `kehoach log` refused: words for the form (`log`'s own hints
    name its options), by the refusal's code, else the general advice."""

    error: KehoachError

    def localize(self, lang: str) -> str:
        code = self.error.code
        if code == "log-invalid":  # the plan would not pass `check`: by what `check` would say
            inner = [d.code for d in self.error.diagnostics]
            code = next((c for c in inner if c in LOG_FIXES), "log-invalid")
        return text(LOG_FIXES.get(code, "form-log-refused.fix"), lang)


# what `kehoach log` refuses in a form's row (or what `check` would say of the plan with it) → how
# to put it right in the form
LOG_FIXES = {"log-already-done": "form-log-refused.log-already-done",
             "log-occurrence-closed": "form-log-refused.log-occurrence-closed",
             "log-need-occurrence": "form-log-refused.log-need-occurrence",
             "need-percent": "form-log-refused.need-percent",
             "percent-decrease": "form-log-refused.percent-decrease",
             "percent-below-carried": "form-log-refused.percent-decrease",
             "outside-period": "form-log-refused.outside-period",
             "unknown-occurrence": "form-log-refused.unknown-occurrence",
             "occurrence-not-recurring": "form-log-refused.unknown-occurrence",
             "unprintable-char": "form-log-refused.log-invalid", "legacy-encoding": "form-log-refused.log-invalid",
             "log-invalid": "form-log-refused.fix"}


def _entries(answer: Answer, node: Any, task: Task, body: str, role: str,
             days: tuple[dt.date, dt.date, dt.date, dt.date, dt.date, dt.date], refuse: Any, warn: Any,
             reporters: Any) -> list[Planned] | None:
    """The progress entries of one answered row (a result, a difficulty, a proposal), in the name
    of the form's body, or None when the row is refused. Only a lead body's percent counts, and
    only for dated work and a duty's occurrence: continuous work has none, and a supporting
    body's result never moves or closes a task (its percent, if typed, is left out, with a
    warning). `days`: the plan's first day, the form's period, the date of an undated row, the
    date the form was due back, today. `task`: the task as the plan will hold it (without the
    entries a newer version of the form replaces), which the percent is checked against."""
    from kehoach.base.deadlines import Continuous, Recurring

    first, start, end, undated, due, today = days
    day = answer.day or undated
    if day > today:
        refuse("date", "form-future-date", date=_shown(day), today=_shown(today))
        return None
    if day < first:
        refuse("date", "form-date-before-plan", date=_shown(day), start=_shown(first))
        return None
    continuous = isinstance(node.deadline, Continuous)
    window = _row_window(answer.occurrence, node, (start, end), reporters.plan) if continuous else (start, end)
    # a row's result is dated in its period, or up to GRACE_DAYS after it (a report mailed late; until
    # the date the form was due back, when that is later): the form's date rule and this one agree
    last = max(window[1] + dt.timedelta(days=GRACE_DAYS), due)
    if not window[0] <= day <= last:
        warn("date", "form-date-other-period", date=_shown(day), start=_shown(window[0]), end=_shown(window[1]),
             last=_shown(last), grace=GRACE_DAYS)
    percent = answer.percent
    said = any(x is not None for x in (answer.result, answer.difficulty, answer.proposal))
    if percent is not None and (role != "lead" or continuous) and said:
        warn("percent", "form-percent-not-counted" if continuous else "form-percent-not-lead",
             body=reporters.bodies.name(body), id=node.id)
        percent = None
    elif percent is not None and (role != "lead" or continuous):
        percent = None  # a percent alone, from a body whose percent counts for nothing: nothing to record
    if role == "lead" and not continuous:
        current = node_percent(task, answer.occurrence, day, body, node.lead, reporters)
        if percent is None and answer.result is not None:
            refuse("percent", "form-need-percent")
            return None
        if percent is not None and percent < current:
            high = highest_entry(task, answer.occurrence, day, body, node.lead, reporters)
            who = (Msg("form.reported-by", {"body": reporters.bodies.name(high.body) if high.body else
                                            Msg("form.reported-jointly"), "date": _shown(high.date)})
                   if high is not None and (high.percent or 0) >= current else
                   Msg("form.carried-from", {"plan": task.carried_over.plan}) if task.carried_over is not None
                   else "")
            refuse("percent", "form-percent-down", percent=percent, current=current, who=who)
            return None
        if answer.result is None and percent is not None:
            refuse("result", "form-need-result")
            return None
    if isinstance(node.deadline, Recurring) and not answer.occurrence:
        refuse("occurrence", "form-need-occurrence", id=answer.task_id)
        return None
    base = {"date": day, "body": body, "occurrence": answer.occurrence or None, "by": answer.by}
    out = []
    if answer.result is not None:
        out.append(Planned(answer, answer.task_id, {**base, "percent": percent, "note": answer.result,
                                                    "evidence": answer.evidence}))
    if answer.difficulty is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.difficulty, "kind": "difficulty"}))
    if answer.proposal is not None:
        out.append(Planned(answer, answer.task_id, {**base, "note": answer.proposal, "kind": "proposal"}))
    if not out:
        refuse("result", "form-need-result")
        return None
    return out


def _row_window(occurrence: str, node: Any, period: tuple[dt.date, dt.date], plan: Plan) -> tuple[dt.date, dt.date]:
    """The days a continuous work's row reports on: its review period (the form's, without one)."""
    from kehoach.base.periods import PeriodError, parse_period

    try:
        p = parse_period(occurrence, period[0].year, plan.convention) if occurrence else None
    except PeriodError:
        p = None
    return (p.start, p.end) if p is not None else period


def node_percent(task: Task, occurrence: str, day: dt.date, body: str | None = None, leads: Any = (),
                 reporters: Any = None) -> int:
    """Where a lead body's part of a task (or of one occurrence) stands on `day`: the highest
    percent it (or the leads jointly) logged by then; without a body, the highest of anyone's."""
    said = highest_entry(task, occurrence, day, body, leads, reporters)
    return max((said.percent or 0) if said is not None else 0, carried_start(task, occurrence, body, leads, reporters))


def carried_start(task: Task, occurrence: str, body: str | None, leads: Any, reporters: Any) -> int:
    """Where work carried over from last year's plan stood for this lead (its own part, else the
    work's percent): its reports in the new plan start there."""
    carried = task.carried_over
    if carried is None or occurrence:
        return 0
    from kehoach.plan.reporters import carried_percent

    owner = reporters.lead_of(body, leads) if reporters is not None and body is not None else None
    return carried_percent(carried, owner if owner != JOINT else None)


def highest_entry(task: Task, occurrence: str, day: dt.date, body: str | None = None, leads: Any = (),
                  reporters: Any = None) -> Progress | None:
    """The entry `node_percent` stands on: the lead's (or the leads' joint) highest percent by
    `day`, the latest of equals; None when there is none."""
    from kehoach.plan.reporters import lead_entries

    entries = lead_entries(task, body, leads, reporters) if reporters is not None else list(task.progress)
    entries = [e for e in entries if (not occurrence or (e.occurrence or "").upper() == occurrence.upper())
               and e.date <= day and e.percent is not None]
    return max(entries, key=lambda e: (e.percent or 0, e.date), default=None)


def _key(p: Planned, period: tuple[dt.date, dt.date]) -> tuple[Any, ...]:
    """What makes two entries the same report: the task, the body, its period, the kind, the words
    and the percent, from a form of the same period (not the date: a form collected again, or
    sent twice, says nothing new; the same words in next quarter's form are a new report)."""
    from kehoach.base.text import nfc

    e = p.entry
    return (p.task_id, e.get("body"), e.get("occurrence"), e.get("kind") or "result", nfc(e["note"]),
            e.get("percent"), period)


def _recorded(task: Task, entry: dict[str, Any], period: tuple[dt.date, dt.date]) -> bool:
    """The same report is in the plan already: the same words from the same body, dated on the
    same day or within the form's period (the form was collected before)."""
    return any(_same(e, entry, period) for e in task.progress)


def _same_day(e: Progress, entry: dict[str, Any]) -> bool:
    """`e` is the report `entry` is, to the day (a correction of the date alone is another report)."""
    return _same(e, entry, (entry["date"], entry["date"]))


def _same(e: Progress, entry: dict[str, Any], period: tuple[dt.date, dt.date]) -> bool:
    """`e` is the report `entry` is: the same words from the same body, dated on the same day or
    within the form's period."""
    from kehoach.base.text import nfc

    return ((e.body, e.occurrence, str(e.kind), nfc(e.note), e.percent)
            == (entry.get("body"), entry.get("occurrence"), entry.get("kind") or "result", nfc(entry["note"]),
                entry.get("percent"))
            and (e.date == entry["date"] or period[0] <= e.date <= period[1]))


def _shown(day: dt.date) -> Any:
    from kehoach.base.vndates import date_param

    return date_param(day)


# ---------------------------------------------------------------- the report


def format_collect(result: CollectResult, lang: str = "vi") -> str:
    """What collect adds (a line per entry), what it refused (as `kehoach check` shows problems),
    and what it did."""
    from kehoach.base.diagnostics import CheckResult, format_text
    from kehoach.base.text import visible
    from kehoach.base.vndates import short_date

    lines = []
    if result.planned:
        lines.append(text("collect.heading-written" if result.written else "collect.heading" if result.dry_run
                          or not result.refused or result.partial else "collect.heading-refused", lang))
        for p in result.planned:
            e = p.entry
            kind = text(f"collect.kind.{e.get('kind') or 'result'}", lang)
            occ = f" ({e['occurrence']})" if e.get("occurrence") else ""
            where = f"{p.answer.file}:{cell_ref(p.answer.sheet, p.answer.cells['id'])}"
            pct = f"  {e['percent']}%" if e.get("percent") is not None else ""
            line = f"  {where}  {p.task_id}{occ}  {short_date(e['date'], lang)}{pct}  {kind}: {e['note']}"
            lines.append(visible(line, newlines=False))
    if result.replaced:
        lines.append(text("collect.heading-replaced" if result.written else "collect.heading-replacing", lang))
        for r in result.replaced:
            old = r.entry
            kind = text(f"collect.kind.{old.kind}", lang)
            occ = f" ({old.occurrence})" if old.occurrence else ""
            pct = f"  {old.percent}%" if old.percent is not None else ""
            line = f"  {r.origin}  {r.task_id}{occ}  {short_date(old.date, lang)}{pct}  {kind}: {old.note}"
            lines.append(visible(line, newlines=False))
    problems = CheckResult(result.refused + result.warnings, [f.file for f in result.forms])
    if problems.diagnostics:
        lines.append(format_text(problems, lang, summary=False).rstrip("\n"))
    key = ("collect.written" if result.written else "collect.dry-run" if result.dry_run
           else "collect.not-written" if result.refused and not result.partial else "collect.nothing")
    whole = {d.file for d in result.refused if d.cell == META or d.line == 0}  # forms refused whole
    refused_rows = len({(d.file, d.line) for d in result.refused if d.file not in whole})
    lines.append(text(key, lang, entries=len(result.planned), rows=result.rows, refused=refused_rows,
                      repeated=len(result.repeated), forms=result.read, plan=result.plan_path))
    if whole:
        lines.append(text("collect.forms-refused", lang, n=len(whole)))
    for period, bodies in result.missing.items():
        lines.append(text("collect.missing", lang, period=period, n=len(bodies),
                          bodies=result.missing_words.get(period, ", ".join(bodies))))
    return "\n".join(lines) + "\n"


def collect_json(result: CollectResult, lang: str = "vi") -> dict[str, Any]:
    """The same as JSON values (documented in docs/forms.md)."""
    def diag(d: Diagnostic) -> dict[str, Any]:
        return {"file": d.file, "cell": d.cell, "severity": d.severity, "code": d.code, "message": d.message(lang)}

    return {
        "version": 2,
        "plan": result.plan_path,
        "written": result.written,
        "forms": [{"file": f.file, "body": f.body, "period": f.meta.get("period")} for f in result.forms],
        "entries": [{"file": p.answer.file, "cell": cell_ref(p.answer.sheet, p.answer.cells["id"]), "task": p.task_id,
                     "body": p.entry.get("body"), "occurrence": p.entry.get("occurrence"),
                     "date": p.entry["date"].isoformat(), "percent": p.entry.get("percent"),
                     "kind": p.entry.get("kind") or "result", "note": p.entry["note"], "by": p.entry.get("by"),
                     "evidence": p.entry.get("evidence")} for p in result.planned],
        "refused": [diag(d) for d in result.refused],
        "warnings": [diag(d) for d in result.warnings],
        "repeated": [{"file": a.file, "row": a.row, "task": a.task_id} for a in result.repeated],
        "replaced": [{"file": r.origin, "task": r.task_id, "body": r.entry.body, "occurrence": r.entry.occurrence,
                      "date": r.entry.date.isoformat(), "percent": r.entry.percent, "kind": str(r.entry.kind),
                      "note": r.entry.note, "replaced_by": r.answer.file} for r in result.replaced],
        "missing": result.missing,
    }
