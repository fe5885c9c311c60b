"""`kehoach log`: one progress entry (or a batch, from `collect`) recorded in the plan, as its
rules allow: whose report it is, for which period, never a repeat of finished work. The entry is
added as new lines (`plan.yamledit`), the new plan checked as `kehoach check` checks it, and the file
replaced atomically under its lock, unless someone changed it meanwhile (`base.files`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.errors import EXIT_USAGE, LogError
from kehoach.base.files import plan_lock, replace_unchanged
from kehoach.plan.yamledit import insert_entry

if TYPE_CHECKING:
    from collections.abc import Callable

    from kehoach.base.deadlines import Recurring
    from kehoach.base.diagnostics import DataPath
    from kehoach.plan.loader import LoadedPlan
    from kehoach.plan.model import Plan, Progress, Task


# ---------------------------------------------------------------- kehoach log

@dataclass
class LogResult:
    path: Path
    task_id: str
    entry: dict[str, Any]  # the entry as written: date, percent, note … (absent keys left out)
    inserted_at: int  # 1-based line of the first inserted line
    lines: list[str] = field(default_factory=list)


def append_progress(path: Path, task_id: str, entry: dict[str, Any]) -> LogResult:
    """Append one progress entry to a task of the plan at `path`, or refuse.

    Refused, with nothing written, when the task is unknown or has subtasks,
    when the new file would not pass the checks of `kehoach check` (errors, or
    a warning the entry itself brings), when the file is read-only or was
    changed on disk meanwhile. Written atomically under a lock.
    """
    batch = append_entries(path, [(task_id, entry)])
    if batch.refused:
        raise batch.refused[0][1]
    return batch.written[0]


@dataclass
class BatchResult:
    """What `append_entries` recorded (in the order given) and what it refused (index, why)."""

    path: Path
    written: list[LogResult] = field(default_factory=list)
    refused: list[tuple[int, LogError]] = field(default_factory=list)
    accepted: list[int] = field(default_factory=list)  # the indexes of `written`'s entries
    recorded: list[int] = field(default_factory=list)  # in the plan already, as read under the lock: left out
    withdrawn: list[Withdrawal] = field(default_factory=list)  # taken out of the plan, in the same write
    saved: bool = False  # the file was written


@dataclass
class Withdrawal:
    """A progress entry to take out of the plan in the same write as a batch: a report its body
    has since corrected (`collect`, a newer version of a form)."""

    task_id: str
    index: int  # in the task's `progress` list, as read under the lock
    entry: Progress
    items: tuple[int, ...] = ()  # the batch's entries that take its place: when one is refused, it stays
    origin: str = ""  # where it came from (the older form's file), for the caller's report
    source: Any = None  # what replaces it, for the caller's report (a form's row)


def append_entries(path: Path, items: list[tuple[str, dict[str, Any]]], partial: bool = False,
                   dry_run: bool = False, recorded: Callable[[Plan, int], bool] | None = None,
                   then: Callable[[BatchResult], None] | None = None,
                   withdraw: Callable[[Plan], list[Withdrawal]] | None = None) -> BatchResult:
    """Append progress entries (task id, entry) to the plan at `path` in one atomic write.

    Each entry is checked as `kehoach log` checks one, against the plan with the
    entries before it: an unknown or parent task, a repeat of completed work, a
    file that would not pass `kehoach check`. When any is refused nothing is
    written, unless `partial` (the others are then written); `dry_run` writes
    nothing. A plan that cannot be read, is invalid, read-only or changed on disk
    meanwhile refuses the whole batch (LogError raised).

    `recorded(plan, index)` says whether item `index` is in the plan already, asked of the plan
    as read under the lock: such an item is left out (`BatchResult.recorded`), so that two
    batches of the same entries at once write them once. `then(result)` runs under the lock
    after the write (what must change with the plan, such as `collect`'s ledger).

    `withdraw(plan)` names entries of the plan as read under the lock to take out in the same
    write, before the batch is added (a corrected report replaces the one it corrects: its
    percent may then be lower). An entry whose replacement is refused stays (with `partial`,
    the others are written); the plan without them must pass the checks as the new one does.
    """
    import hashlib

    from kehoach.base.files import decode, read_bytes
    from kehoach.base.text import nfc
    from kehoach.plan.loader import load_text

    path = Path(os.path.realpath(path))
    items = [(tid, {k: (nfc(v) if isinstance(v, str) else v) for k, v in e.items() if v is not None})
             for tid, e in items]
    result = BatchResult(path)
    with plan_lock(path):
        raw, problems = read_bytes(path)  # the changed-on-disk check compares with these bytes
        if raw is None:  # no such file, or a folder
            raise LogError(problems[0].code, problems[0].params, exit_code=EXIT_USAGE)
        text, problems = decode(raw, str(path))
        if text is None:
            raise LogError("log-plan-invalid", {"path": str(path)}, problems)
        if not dry_run and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
            raise LogError("log-readonly", {"path": str(path)})  # root ignores modes: we don't
        read = hashlib.sha256(raw).digest()
        del raw  # the bytes read are known by their digest while the plan is read (9 MB on the largest)
        state = load_text(text, str(path), workdays=False)
        if not state.ok:
            errors = [d for d in state.diagnostics if d.severity == "error"]
            raise LogError("log-plan-invalid", {"path": str(path)}, errors)
        assert state.plan is not None  # a valid plan
        gone = withdraw(state.plan) if withdraw is not None else []
        start = (text, state)
        kept: dict[int, LogError] = {}  # items refused in an earlier round, with why
        while True:
            text, state = start
            result.written, result.refused, result.accepted = [], [], []
            result.withdrawn = [w for w in gone if not kept.keys() & set(w.items)]
            if result.withdrawn:
                try:
                    text, state = _withdraw(text, state, path, result.withdrawn)
                except LogError as exc:  # a list it cannot edit: the old entries stay, their replacements not
                    kept.update((i, exc) for w in result.withdrawn for i in w.items)
                    gone = []
                    continue
            # in the plan already, as it is once the replaced entries are out (a correction that says
            # the same words on another day is not the report it replaces)
            assert state.plan is not None
            known = {i for i in range(len(items)) if recorded is not None and recorded(state.plan, i)}
            result.recorded = sorted(known)
            for index, (task_id, entry) in enumerate(items):
                if index in known:
                    continue
                try:
                    if index in kept:
                        raise kept[index]
                    text, state, done = _append_one(text, state, path, task_id, entry)
                except LogError as exc:
                    result.refused.append((index, exc))
                    continue
                result.written.append(done)
                result.accepted.append(index)
            # with `partial`, a replacement refused leaves the entry it replaces: again without it
            again = {i: exc for i, exc in result.refused
                     if i not in kept and any(i in w.items for w in result.withdrawn)}
            if not partial or not again:
                break
            kept.update(again)
        del start
        if dry_run or not (result.written or result.withdrawn) or (result.refused and not partial):
            return result
        data = text.encode("utf-8")
        del state, text  # only what is written is needed now
        raw, _ = read_bytes(path)
        if raw is None or hashlib.sha256(raw).digest() != read:  # changed on disk meanwhile
            raise LogError("log-changed", {"path": str(path)})
        replace_unchanged(path, raw, data)
        result.saved = True
        if then is not None:
            then(result)
    return result


def _append_one(text: str, before: LoadedPlan, path: Path, task_id: str, entry: dict[str, Any],
                whole: bool = False) -> tuple[str, LoadedPlan, LogResult]:
    """The plan's text with one more entry, and the plan it now is; or a LogError saying why not.

    Only the top-level task that holds the entry is read again and checked (`plan.incremental`),
    the rest of the plan's verdict kept; the whole plan is read again instead when that cannot
    vouch for the answer, or when `whole`."""
    from kehoach.base.files import max_bytes
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest
    from kehoach.plan import checks, incremental
    from kehoach.plan.loader import load_text

    assert before.document is not None and before.plan is not None  # a valid plan has both
    data = before.document.data
    found = _raw_path(data, task_id)
    if not found:
        ids = [t.get("id") for _, t in checks.iter_raw_tasks(data)]
        near = suggest(task_id, [i for i in ids if isinstance(i, str)])
        raise LogError("log-unknown-task", {"id": task_id, "suggestion": near, "suggest": did_you_mean(near)})
    task = _task_at(before.plan, found[0])
    if task.subtasks:
        raise LogError("log-parent-task", {"id": task_id, "subtasks": ", ".join(s.id for s in task.subtasks)})
    entry = _resolve_body(before.plan, dict(entry))
    part = None if whole else incremental.prepare(text, before, found[0])
    _refuse_repeat(part.plan if part is not None else before.plan, task, entry)
    done = part.apply(entry, insert_entry) if part is not None else None
    if done is not None:
        new_text, after, line, new_lines = done
    else:
        if before.document.root is None:  # read again with its nodes, which the splice needs
            before = load_text(text, str(path), workdays=False, keep_nodes=True)
        assert before.document is not None
        new_text, line, new_lines = insert_entry(text, found[0], entry, before.document.root)
        before.document.root = None  # the old nodes go before the new text is read
        after = load_text(new_text, str(path), workdays=False, keep_nodes=True)
    old_warnings = {(d.code, d.message("en"), d.loc) for d in before.diagnostics}
    refused = [d for d in after.diagnostics
               if d.severity == "error" or (d.code, d.message("en"), d.loc) not in old_warnings]
    if refused or after.plan is None:
        raise LogError("log-invalid", {"id": task_id}, refused)
    size = len(new_text) if 4 * len(new_text) <= max_bytes() else len(new_text.encode("utf-8"))
    if size > max_bytes():  # what every command would then refuse to read
        raise LogError("log-too-large", {"size": size, "limit": max_bytes()})
    new_task = _task_at(after.plan, found[0])
    if len(new_task.progress) != len(task.progress) + 1:
        raise LogError("log-layout", {"id": task_id})  # the splice lost or merged an entry
    return new_text, after, LogResult(path, task_id, entry, line, new_lines)


def _withdraw(text: str, before: LoadedPlan, path: Path, gone: list[Withdrawal]) -> tuple[str, LoadedPlan]:
    """The plan's text without these entries, and the plan it now is; or a LogError saying why
    not (the text would not pass the checks, or its layout could not be edited)."""
    from collections import Counter

    from kehoach.plan.loader import load_text
    from kehoach.plan.yamledit import withdraw_entries

    assert before.document is not None and before.plan is not None  # a valid plan has both
    where = [(_raw_path(before.document.data, w.task_id), w) for w in gone]
    if any(not found for found, _ in where):
        raise LogError("log-layout", {"id": next(w.task_id for found, w in where if not found)})
    new_text = withdraw_entries(text, [(found[0], w.index) for found, w in where])
    after = load_text(new_text, str(path), workdays=False)
    # a warning the plan had is no reason to refuse (its place in a task's list may have moved up)
    had = Counter((d.code, d.message("en")) for d in before.diagnostics)
    refused = [d for d in after.diagnostics if d.severity == "error"]
    if not refused:
        now = Counter((d.code, d.message("en")) for d in after.diagnostics)
        refused = [d for d in after.diagnostics if now[d.code, d.message("en")] > had[d.code, d.message("en")]]
    if refused or after.plan is None:
        raise LogError("log-invalid", {"id": gone[0].task_id}, refused)
    for found, w in where:  # each task holds as many entries fewer as were taken out of it
        taken = sum(1 for f, _ in where if f[0] == found[0])
        if len(_task_at(after.plan, found[0]).progress) != len(_task_at(before.plan, found[0]).progress) - taken:
            raise LogError("log-layout", {"id": w.task_id})
    return new_text, after


def _raw_path(data: dict[str, Any], task_id: str) -> list[DataPath]:
    """The path of the task `task_id` in the raw tree (the first one, depth first), or none."""
    stack: list[tuple[DataPath, Any]] = [(("tasks",), data.get("tasks"))]
    while stack:
        path, items = stack.pop()
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                if item.get("id") == task_id:
                    return [(*path, i)]
                if item.get("subtasks"):
                    stack.append(((*path, i, "subtasks"), item["subtasks"]))
    return []


def _task_at(plan: Plan, path: DataPath) -> Task:
    """The task of the model at the raw tree's `path` (("tasks", 3, "subtasks", 0))."""
    tasks = plan.tasks
    task = tasks[int(path[1])]
    for k in range(3, len(path), 2):
        task = task.subtasks[int(path[k])]
    return task


def _resolve_body(plan: Plan, entry: dict[str, Any]) -> dict[str, Any]:
    """The reporting body as the plan's id: `--body` as typed ("so noi vu", "Sở Nội vụ", "SNV"),
    or a `--by` that names exactly one body and no person (the body is then the reporter)."""
    from kehoach.base.errors import UsageError
    from kehoach.plan.bodies import Bodies

    bodies = Bodies(plan)
    query = entry.get("body")
    if query is not None and query not in bodies.by_id:
        found = bodies.match(str(query))
        if len(found) != 1:
            raise UsageError("log-body-unclear" if found else "body-not-found",
                             {"value": query, "known": ", ".join(found or bodies.by_id)})
        entry["body"] = found[0]
    elif query is None and entry.get("by"):
        exact = bodies.exact(str(entry["by"]))
        if exact is not None:
            entry["body"], entry["by"] = exact, None
    return entry


def _refuse_repeat(plan: Plan, task: Task, entry: dict[str, Any]) -> None:
    """What an entry must say, by the reporting body's part in the task, and what it must not:

    - a lead's result on dated work or a recurring duty says how far it is (`--percent`);
      continuous work, a supporting body's result, a difficulty or a proposal need none;
    - a recurring duty's occurrence is filled in: the first one this lead has not closed;
    - work a lead has completed takes no second 100 % result from that lead (another lead's, a
      difficulty or a proposal still goes in), and the message says when it was completed.
    Nothing is refused because of another body's report, nor for arriving late."""
    from kehoach.base.deadlines import Continuous, Recurring
    from kehoach.base.errors import UsageError
    from kehoach.base.vndates import date_param
    from kehoach.plan.reporters import JOINT, Reporters
    from kehoach.plan.schedule import build_schedule

    node = build_schedule(plan).by_id()[task.id]
    reporters = Reporters(plan)
    leads = reporters.expand(node.lead)
    if entry.get("body") is None and len(leads) > 1 and not entry.get("joint"):
        # an entry without a body counts for every lead: say so, or say whose report it is
        raise UsageError("log-need-body", {"id": task.id, "leads": ", ".join(leads)})
    body = entry.get("body")
    if body is not None and reporters.role(body, node) == "other" \
            and not reporters.acts_for(body) & set(plan.plan.issuers):
        # as `collect` refuses a form's row: a body reports on the work it leads or supports (the
        # issuers, who own the plan, and their units on any of it)
        raise UsageError("log-not-this-body", {"id": task.id, "body": reporters.bodies.name(body),
                                               "bodies": ", ".join([*node.lead, *node.support])})
    owner = reporters.lead_of(body, node.lead)
    result = entry.get("kind") in (None, "result")
    if owner is not None and result and entry.get("percent") is None and not isinstance(task.deadline, Continuous):
        raise UsageError("need-percent", {"id": task.id})

    def mine(e: Progress) -> bool:
        """An entry of the same lead (or the joint one, which counts for every lead)."""
        other = reporters.lead_of(e.body, node.lead)
        return owner is not None and (other == owner or JOINT in (other, owner))

    def same_body(e: Progress) -> bool:
        """An entry of the very same reporter: a second report of completion from it is a repeat;
        from another (the Ban and its standing unit, both true) it is not."""
        return e.body == entry.get("body")

    pct = entry.get("percent") or 0
    if isinstance(task.deadline, Recurring):
        if not entry.get("occurrence"):
            entry["occurrence"] = _open_occurrence(plan, task, task.deadline, entry["date"], mine)
        code = str(entry["occurrence"]).upper()
        closed = next((e for e in task.progress
                       if same_body(e) and (e.percent or 0) >= 100 and (e.occurrence or "").upper() == code), None)
        if closed is not None and pct >= 100 and result:
            raise LogError("log-occurrence-closed", {"id": task.id, "occurrence": code,
                                                     "date": date_param(closed.date)})
        return
    if isinstance(task.deadline, Continuous):
        return
    done = next((e for e in sorted(task.progress, key=lambda e: e.date) if same_body(e) and (e.percent or 0) >= 100),
                None)
    if done is not None and pct >= 100 and result:
        raise LogError("log-already-done", {"id": task.id, "date": date_param(done.date)})


def _open_occurrence(plan: Plan, task: Task, deadline: Recurring, day: dt.date,
                     mine: Callable[[Progress], bool]) -> str:
    """The first occurrence this lead has not closed whose period has begun by `day`."""
    info = plan.plan.period
    occ = [p for p, _ in deadline.occurrences(info.start, info.end, plan.convention)]
    closed: dict[str, Progress] = {}
    for e in sorted(task.progress, key=lambda e: e.date):
        if mine(e) and (e.percent or 0) >= 100:
            closed.setdefault((e.occurrence or "").upper(), e)
    for o in occ:
        if o.code not in closed and o.start <= day:
            return o.code
    held = next((o for o in occ if o.start <= day <= o.end and o.code in closed), None)
    if held is not None:  # the period of the date is closed already: a second report of it
        from kehoach.base.vndates import date_param

        raise LogError("log-occurrence-closed", {"id": task.id, "occurrence": held.code,
                                                 "date": date_param(closed[held.code].date)})
    raise LogError("log-need-occurrence", {"id": task.id, "allowed": ", ".join(o.code for o in occ)})


# the characters that reorder text on screen (the "Trojan source" controls): a note would read
# other than it is written
BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_BULLET = re.compile(r"^[-+*•·–—]\s+")


def join_lines(value: str) -> str:
    """Lines of a pasted paragraph or a form cell (Alt+Enter) as one line: a list's bullets
    dropped, and "; " between lines unless a line already ends in punctuation ("kết quả:" then
    "- 3 điểm" is "kết quả: 3 điểm", never "kết quả:; - 3 điểm")."""
    out = ""
    for raw in re.split(r"\r\n|\r|\n", value):
        line = _BULLET.sub("", raw.strip()).strip()
        if not line:
            continue
        if not out:
            out = line
        elif out[-1] in ".;:,!?…":
            out += " " + line
        else:
            out += "; " + line
    return out


def clean_text(value: str | None, option: str, required: bool = False) -> str | None:
    """A progress entry's text as a user typed it: its lines (a pasted paragraph, Alt+Enter in a
    form's cell) joined with "; ", one entry being one line of the report; blank means absent
    (or `need-note` when `required`); a control character is refused, naming the option."""
    import unicodedata

    from kehoach.base.errors import UsageError

    if value is not None and ("\n" in value or "\r" in value):
        value = join_lines(value)
    if value is None or not value.strip():
        if required:
            raise UsageError("need-note")
        return None
    from kehoach.base.text import first_unprintable

    hidden = first_unprintable(value)  # zero-width, reordering, tag characters, a BOM inside text
    if hidden is not None:
        raise UsageError("control-character", {"option": option, "code": f"{ord(value[hidden]):04X}"})
    for ch in value:
        if (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") and ch not in "\t") or ch in BIDI:
            raise UsageError("control-character", {"option": option, "code": f"{ord(ch):04X}"})
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise UsageError("text-too-long", {"option": option, "length": len(value), "limit": MAX_TEXT})
    return value


MAX_TEXT = 32767  # the characters of one entry's text: what one cell of Excel holds


def progress_entry(*, day: dt.date, note: str | None, percent: int | None = None, done: bool = False,
                   kind: str = "result", body: str | None = None, by: str | None = None,
                   evidence: str | None = None, occurrence: str | None = None,
                   joint: bool = False) -> dict[str, object]:
    """A progress entry as `kehoach log` writes it, from what a user gave; a usage error when the
    percent is given with `done` as anything but 100, or the note is blank. Whether the entry
    needs a percent depends on the task and the body (`_refuse_repeat`)."""
    from kehoach.base.errors import UsageError

    if done and percent not in (None, 100):
        raise UsageError("percent-and-done", {"value": percent})
    percent = 100 if done else percent
    return {"date": day, "body": body, "percent": percent, "note": clean_text(note, "--note", required=True),
            "by": clean_text(by, "--by"), "kind": kind if kind != "result" else None,
            "evidence": clean_text(evidence, "--evidence"), "occurrence": clean_text(occurrence, "--occurrence"),
            "joint": joint or None}  # `joint` is not written: it allows an entry of all the leads together
