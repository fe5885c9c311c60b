"""What an amendment changed: two versions of a plan compared task by task (`kehoach diff`).

`diff_plans(old, new)` lists, by task id: tasks added and removed; a task whose
id changed but whose content did not, as renamed; titles and descriptions
changed; bodies added to or removed from lead and support; deadlines moved,
with their resolved dates; references, objectives, topics and deliverables
changed; progress entries added — and, loudly, entries changed or removed,
which `kehoach log` never does. The rest of the plan (its header, bodies,
references, objectives, meetings) is compared too. `read_version` reads either
side from a file or from a git revision of one (`HEAD~1`, `main:plans/2021.yaml`).

Words name what an id points to as a document does: bodies by name, references by
number. The Markdown (and Word) rendering is the appendix of the amendment, "Phụ lục
/ NỘI DUNG SỬA ĐỔI, BỔ SUNG / (Kèm theo Kế hoạch số … ngày … của …)", laid out by the
`diff.*` templates from `diff_document`.
"""

from __future__ import annotations

import dataclasses
import difflib
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.errors import KehoachError, UsageError
from kehoach.base.gitcmd import git_argv, git_env

if TYPE_CHECKING:
    from kehoach.plan.model import Plan, Progress, Task
    from kehoach.views.letterhead import Head

DIFF_VERSION = 1
TASK_FIELDS = ("title", "description", "section", "lead", "support", "deadline", "objectives", "references",
               "topics", "deliverables", "suspended", "carried_over", "parent")
LIST_FIELDS = {"lead", "support", "objectives", "references", "topics", "deliverables"}
TASK_KINDS = ("added", "removed", "renamed", "changed")
OTHER_PARTS = ("plan", "section", "body", "reference", "objective", "meeting", "topic", "reporting", "cadence",
               "holidays", "recipients", "signers")
LIST_PARTS = ("holidays", "recipients", "signers")  # lists without ids: what was added and removed
# the fields of the plan's other parts, named in a diff by `diff.key.<field>`
OTHER_KEYS = ("id", "number", "type", "title", "issued", "place", "issuers", "header", "period", "theme",
              "implements", "name", "short", "kind", "parent", "members", "note", "date", "issuer", "text",
              "when", "task", "convention", "two_way", "every", "periods", "days_after", "uncertain",
              "draft", "drafting", "standing", "done_when") + LIST_PARTS


@dataclass
class FieldChange:
    field: str
    old: Any = None  # the old value (text, or a list)
    new: Any = None
    added: list[str] = dataclasses.field(default_factory=list)  # for a list: what the new one adds
    removed: list[str] = dataclasses.field(default_factory=list)
    old_due: list[str] = dataclasses.field(default_factory=list)  # a deadline: its resolved due dates (ISO)
    new_due: list[str] = dataclasses.field(default_factory=list)


@dataclass
class TaskChange:
    id: str
    kind: str  # added, removed, renamed, changed
    title: str
    old_id: str | None = None  # renamed: the id it had
    fields: list[FieldChange] = dataclasses.field(default_factory=list)
    progress_added: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    progress_changed: list[tuple[dict[str, Any], dict[str, Any]]] = dataclasses.field(default_factory=list)
    progress_removed: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    # what a corrected return form did (`kehoach collect`, the forms list beside the plan says so): the
    # entries an earlier version wrote, replaced by the later one's, or taken out: no history rewritten
    progress_corrected: list[tuple[dict[str, Any], dict[str, Any]]] = dataclasses.field(default_factory=list)
    progress_withdrawn: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    @property
    def rewrites_history(self) -> bool:
        """Progress changed or removed: the log only ever adds entries."""
        return bool(self.progress_changed or self.progress_removed)


@dataclass
class OtherChange:
    part: str  # one of OTHER_PARTS
    id: str
    kind: str  # added, removed, changed
    fields: list[FieldChange] = dataclasses.field(default_factory=list)


@dataclass
class PlanDiff:
    old_name: str
    new_name: str
    tasks: list[TaskChange]
    other: list[OtherChange]
    old: Plan | None = None  # the two versions compared (for the names of what ids point to)
    new: Plan | None = None

    def names(self) -> dict[str, dict[str, str]]:
        """How the words name what an id points to: bodies by name, references by number (the new
        version's, else the old's)."""
        out: dict[str, dict[str, str]] = {"body": {}, "reference": {}, "topic": {}, "meeting": {}, "plan-number": {}}
        for plan in (self.old, self.new):
            if plan is not None:
                if plan.plan.number and plan.plan.number.strip() not in ("…", "..."):
                    out["plan-number"][plan.plan.id] = plan.plan.number
                out["body"].update({b.id: b.name for b in plan.bodies})
                out["reference"].update({r.id: r.number for r in plan.references})
                out["topic"].update({t.id: t.name for t in plan.reporting.topics})
                out["meeting"].update({m.id: m.name for m in plan.meetings})
        return out

    @property
    def rewrites_history(self) -> bool:
        """A task in both versions whose logged progress was changed or removed (the log only adds)."""
        return any(t.kind == "changed" and t.rewrites_history for t in self.tasks)

    @property
    def empty(self) -> bool:
        return not self.tasks and not self.other

    def summary(self) -> dict[str, int]:
        count = {k: sum(1 for t in self.tasks if t.kind == k) for k in ("added", "removed", "renamed", "changed")}
        count["progress_added"] = sum(len(t.progress_added) for t in self.tasks)
        count["progress_changed"] = sum(len(t.progress_changed) for t in self.tasks)
        count["progress_removed"] = sum(len(t.progress_removed) for t in self.tasks)
        count["progress_corrected"] = sum(len(t.progress_corrected) + len(t.progress_withdrawn) for t in self.tasks)
        count["other"] = len(self.other)
        return count


# ---------------------------------------------------------------- reading a version


def _split_revision(spec: str) -> tuple[str, str | None]:
    """`REV:PATH` → (REV, PATH); a bare `REV` → (REV, None). A Windows drive (`C:\\…`) is no revision."""
    if ":" in spec and not (len(spec) > 1 and spec[1] == ":" and spec[0].isalpha()):
        rev, _, name = spec.partition(":")
        return rev, name
    return spec, None


def _looks_like_file(spec: str) -> bool:
    """A name a user means as a file ('plans/2022.yaml', 'sua-doi.yml'), not as a revision."""
    return spec.lower().endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec


def read_version(spec: str, other: str | None = None) -> tuple[str, str]:
    """(text, name) of one side of a diff: a file; `REV:PATH` read from git (PATH from the
    repository's root, as git reads it; `REV:./PATH` from here); or a bare revision `REV` of the
    other side's file (`HEAD~1` against `plans/2021.yaml`, or against `main:plans/2021.yaml`).
    A usage error when git, the revision or the file is missing, or when the revision begins
    with `-`; a plan error (naming the file) when the file cannot be read as text or is larger
    than a file may be (`_git_blob`)."""
    path = Path(spec)
    if path.is_file():
        from kehoach.base.files import read_text

        text, problems = read_text(path)
        if text is None:
            raise KehoachError("diff-invalid", {"name": spec}, problems)
        return text, spec
    rev, name = _split_revision(spec)
    if rev.startswith("-"):  # git would read it as an option (`--output=FILE` writes a file)
        raise UsageError("diff-revision-option", {"value": spec})
    cwd = Path(".")
    if name is not None:
        target = name
    elif _looks_like_file(spec) or path.exists():
        raise UsageError("diff-not-found", {"value": spec})
    elif other is not None and Path(other).is_file():
        where = Path(other)
        cwd = where.parent if str(where.parent) else Path(".")
        target = f"./{where.name}"
    elif other is not None and _split_revision(other)[1] is not None:
        target = str(_split_revision(other)[1])
    else:
        raise UsageError("diff-not-found", {"value": spec})
    shown = f"{rev}:{name}" if name is not None else f"{rev}:{other}"
    raw = _git_blob(f"{rev}:{target}", cwd, spec, shown)
    try:
        return raw.decode("utf-8"), shown
    except UnicodeDecodeError:
        raise UsageError("diff-not-utf8", {"value": spec}) from None


def _git(args: list[str], cwd: Path, spec: str) -> subprocess.CompletedProcess[bytes]:
    """`git ARGS` (its options first, then `--end-of-options`, then the object), its output small
    (a type, a size); a usage error when git is missing, fails to run, or refuses the object."""
    try:
        proc = subprocess.run(git_argv(*args), cwd=cwd, capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
                              env=git_env())
    except FileNotFoundError:
        raise UsageError("diff-no-git", {"value": spec}) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError("diff-git-failed", {"value": spec, "detail": str(exc)}) from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError("diff-bad-revision", {"value": spec, "detail": detail[0] if detail else ""})
    return proc


def _git_blob(obj: str, cwd: Path, spec: str, shown: str) -> bytes:
    """The bytes of the file `obj` (`REV:PATH`) names, read as a file is (`files.read_file`): a
    revision that begins with `-` is refused (git would take it for an option), the blob's size is
    asked first (`git cat-file -s`) and one over the size limit refused before a byte of it is read,
    and no more than the limit is ever read (`diff-too-large`, a file's words, exit 2)."""
    from kehoach.base.files import max_bytes

    if obj.startswith("-"):
        raise UsageError("diff-revision-option", {"value": spec})
    limit = max_bytes()

    def too_large(size: int) -> UsageError:  # a file's words (`file-too-large`), naming the revision
        return UsageError("diff-too-large", {"value": shown, "size": size, "limit": limit})

    kind = _git(["cat-file", "-t", "--end-of-options", obj], cwd, spec).stdout.decode("ascii", "replace").strip()
    if kind != "blob":
        raise UsageError("diff-bad-revision", {"value": spec, "detail": f"{obj}: {kind}"})
    size_text = _git(["cat-file", "-s", "--end-of-options", obj], cwd, spec).stdout.strip()
    size = int(size_text) if size_text.isdigit() else limit + 1
    if size > limit:
        raise too_large(size)
    try:
        proc = subprocess.Popen(git_argv("cat-file", "blob", "--end-of-options", obj), cwd=cwd, env=git_env(),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise UsageError("diff-no-git", {"value": spec}) from None
    except OSError as exc:
        raise UsageError("diff-git-failed", {"value": spec, "detail": str(exc)}) from None
    assert proc.stdout is not None
    chunks: list[bytes] = []
    total = 0
    try:
        while True:  # the object may have changed since its size was asked: never more than the limit
            chunk = proc.stdout.read(min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise too_large(total)
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        code = proc.wait()
    if code != 0:
        raise UsageError("diff-bad-revision", {"value": spec, "detail": obj})
    return b"".join(chunks)


# ---------------------------------------------------------------- comparing


def _flat(plan: Plan) -> dict[str, tuple[Task, str | None]]:
    return {t.id: (t, p.id if p is not None else None) for t, p in plan.iter_tasks()}


def _content(task: Task) -> Any:
    """A task as data without any id (its own or its subtasks'): equal for a task only renamed."""
    def strip(t: Task) -> dict[str, Any]:
        data = t.model_dump(mode="json", exclude={"id", "subtasks", "deadline"})
        data["deadline"] = _deadline_text(t)
        data["subtasks"] = [strip(s) for s in t.subtasks]
        return data

    return strip(task)


def _entry(e: Progress) -> dict[str, Any]:
    return {k: v for k, v in e.model_dump(mode="json").items() if v is not None}


def _dues(plan: Plan, task: Task) -> list[str]:
    from kehoach.plan.schedule import deadline_dues

    return [d.due.isoformat() for d in deadline_dues(task.deadline, ("tasks",), plan, task)]


def _deadline_text(task: Task) -> Any:
    """A task's deadline as its plan writes it, as JSON values (an event's date in ISO form)."""
    import datetime as dt

    from kehoach.plan.model import written_form

    value = written_form(task.deadline) if task.deadline is not None else None
    if isinstance(value, dict):
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in value.items()}
    return value


def _fields(old_plan: Plan, old: Task, old_parent: str | None, new_plan: Plan, new: Task,
            new_parent: str | None) -> list[FieldChange]:
    out = []
    a: Any
    b: Any
    for name in TASK_FIELDS:
        if name == "parent":
            a, b = old_parent, new_parent
        elif name == "deadline":
            a, b = _deadline_text(old), _deadline_text(new)
        elif name == "carried_over":
            a, b = (x.model_dump(mode="json", exclude_none=True) if x is not None else None
                    for x in (old.carried_over, new.carried_over))
        else:
            a, b = getattr(old, name), getattr(new, name)
        if a == b:
            if name == "deadline" and _dues(old_plan, old) != _dues(new_plan, new):
                out.append(FieldChange(name, a, b, old_due=_dues(old_plan, old), new_due=_dues(new_plan, new)))
            continue
        if name in LIST_FIELDS:
            la, lb = list(a or []), list(b or [])
            out.append(FieldChange(name, la, lb, added=[x for x in lb if x not in la],
                                   removed=[x for x in la if x not in lb]))
        elif name == "deadline":
            out.append(FieldChange(name, a, b, old_due=_dues(old_plan, old), new_due=_dues(new_plan, new)))
        else:
            out.append(FieldChange(name, a, b))
    return out


def _progress(change: TaskChange, old: Task, new: Task,
              replaced: Mapping[tuple[str, str], frozenset[tuple[str, str]]] | None = None) -> None:
    """The entries added, changed and removed; `replaced`: the entries (task, digest) an earlier
    version of their return form wrote, each with what its later versions wrote
    (`forms.keys.replaced_entries`): an entry the later version replaced, or took out while
    answering the task again, is the correction's, not history rewritten."""
    a = [_entry(e) for e in old.progress]
    b = [_entry(e) for e in new.progress]
    keys_a = [repr(sorted(x.items())) for x in a]
    keys_b = [repr(sorted(x.items())) for x in b]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "insert":
            change.progress_added += b[j1:j2]
        elif op == "delete":
            change.progress_removed += a[i1:i2]
        elif op == "replace":
            pairs = list(zip(a[i1:i2], b[j1:j2], strict=False))
            change.progress_changed += pairs
            change.progress_removed += a[i1 + len(pairs):i2]
            change.progress_added += b[j1 + len(pairs):j2]
    if replaced and (change.progress_changed or change.progress_removed):
        from kehoach.life.forms.keys import entry_digest

        def later(e: dict[str, Any]) -> frozenset[tuple[str, str]] | None:
            return replaced.get((old.id, entry_digest(old.id, _dated(e))))

        def kept(x: dict[str, Any]) -> bool:  # a later version wrote it again: not replaced by it
            return (old.id, entry_digest(old.id, _dated(x))) in (later(x) or ())

        def corrected(x: dict[str, Any], y: dict[str, Any]) -> bool:
            return (old.id, entry_digest(old.id, _dated(y))) in (later(x) or ()) and not kept(x)

        def withdrawn(x: dict[str, Any]) -> bool:
            return any(task == old.id for task, _ in later(x) or ()) and not kept(x)

        change.progress_corrected = [(x, y) for x, y in change.progress_changed if corrected(x, y)]
        change.progress_changed = [(x, y) for x, y in change.progress_changed if not corrected(x, y)]
        change.progress_withdrawn = [x for x in change.progress_removed if withdrawn(x)]
        change.progress_removed = [x for x in change.progress_removed if not withdrawn(x)]


def _dated(e: dict[str, Any]) -> dict[str, Any]:
    """An entry as `_entry` writes it, its date a date again."""
    import datetime as dt

    return {**e, "date": dt.date.fromisoformat(e["date"])}


def diff_plans(old: Plan, new: Plan, old_name: str = "", new_name: str = "",
               replaced: Mapping[tuple[str, str], frozenset[tuple[str, str]]] | None = None) -> PlanDiff:
    """Every change from `old` to `new`, task by task, then the rest of the plan; `replaced`: the
    entries corrected return forms may have replaced (`forms.keys.replaced_entries`)."""
    import json

    a, b = _flat(old), _flat(new)
    tasks: list[TaskChange] = []
    # a task renumbered keeps its content under another id: a task taken out and those after it
    # moved up ("IV.3.g" becomes "IV.3.f"), or moved under another item; matched by content among
    # the tasks that are not the same under their own id
    moved_old = [i for i in a if i not in b or a[i][0] != b[i][0]]
    moved_new = [i for i in b if i not in a or a[i][0] != b[i][0]]
    by_content: dict[str, list[str]] = {}
    for i in moved_old:
        by_content.setdefault(json.dumps(_content(a[i][0]), sort_keys=True, default=str), []).append(i)
    renamed: dict[str, str] = {}
    for n in moved_new:
        same = by_content.get(json.dumps(_content(b[n][0]), sort_keys=True, default=str), [])
        match = next((o for o in same if o != n and o not in renamed), None)
        if match is not None:
            renamed[match] = n
    # the subtasks of a renamed parent are renamed with it
    for rid, nid in list(renamed.items()):
        for s_old, s_new in zip(a[rid][0].subtasks, b[nid][0].subtasks, strict=False):
            renamed.setdefault(s_old.id, s_new.id)
    same_plan = old.plan.id == new.plan.id
    targets = set(renamed.values())
    removed = [i for i in a if i not in renamed and (i not in b or i in targets)]
    for tid, (task, parent) in b.items():
        if tid in a and tid not in targets and tid not in renamed:
            old_task, old_parent = a[tid]
            change = TaskChange(tid, "changed", task.title,
                                fields=_fields(old, old_task, old_parent, new, task, parent))
            if same_plan:  # another plan (next year's, made by `init`) keeps its own progress
                _progress(change, old_task, task, replaced)
            if change.fields or change.progress_added or change.rewrites_history or change.progress_corrected \
                    or change.progress_withdrawn:
                tasks.append(change)
        elif tid in targets:
            old_id = next(k for k, v in renamed.items() if v == tid)
            tasks.append(TaskChange(tid, "renamed", task.title, old_id=old_id))
        else:
            tasks.append(TaskChange(tid, "added", task.title))
    for tid in removed:  # with the progress it had: taken out with it, no longer followed
        tasks.append(TaskChange(tid, "removed", a[tid][0].title,
                                progress_removed=[_entry(e) for e in a[tid][0].progress] if same_plan else []))
    return PlanDiff(old_name, new_name, tasks, _other(old, new), old, new)


def _by_id(items: list[Any]) -> dict[str, Any]:
    return {x.id: x for x in items}


def _compare(part: str, old: dict[str, Any], new: dict[str, Any]) -> list[OtherChange]:
    out = []
    for key, item in new.items():
        if key not in old:
            out.append(OtherChange(part, key, "added"))
            continue
        before = old[key].model_dump(mode="json")
        after = item.model_dump(mode="json")
        fields = [FieldChange(f, before.get(f), after.get(f)) for f in after if before.get(f) != after.get(f)]
        if fields:
            out.append(OtherChange(part, key, "changed", fields))
    out += [OtherChange(part, key, "removed") for key in old if key not in new]
    return out


def _other(old: Plan, new: Plan) -> list[OtherChange]:
    out: list[OtherChange] = []
    head_a, head_b = old.plan.model_dump(mode="json"), new.plan.model_dump(mode="json")
    fields = [FieldChange(f, head_a.get(f), head_b.get(f)) for f in head_b if head_a.get(f) != head_b.get(f)]
    if fields:
        out.append(OtherChange("plan", old.plan.id, "changed", fields))
    out += _compare("section", _by_id(old.sections), _by_id(new.sections))
    out += _compare("body", _by_id(old.bodies), _by_id(new.bodies))
    out += _compare("reference", _by_id(old.references), _by_id(new.references))
    out += _compare("objective", _by_id(old.objectives), _by_id(new.objectives))
    out += _compare("meeting", _by_id(old.meetings), _by_id(new.meetings))
    out += _compare("topic", _by_id(old.reporting.topics), _by_id(new.reporting.topics))
    rep_a, rep_b = old.reporting.model_dump(mode="json"), new.reporting.model_dump(mode="json")
    fields = [FieldChange(f, rep_a.get(f), rep_b.get(f)) for f in rep_b
              if f not in ("topics", "cadences") and rep_a.get(f) != rep_b.get(f)]
    if fields:
        out.append(OtherChange("reporting", "", "changed", fields))
    out += _compare("cadence", _by_id(old.reporting.cadences), _by_id(new.reporting.cadences))
    for part in LIST_PARTS:
        a = [x if isinstance(x, str) else x.model_dump(mode="json", exclude_none=True) for x in getattr(old, part)]
        b = [x if isinstance(x, str) else x.model_dump(mode="json", exclude_none=True) for x in getattr(new, part)]
        if a != b:
            out.append(OtherChange(part, "", "changed", [FieldChange(
                part, a, b, added=[x for x in b if x not in a], removed=[x for x in a if x not in b])]))
    return out


# ---------------------------------------------------------------- showing a diff


def _value(value: Any, lang: str) -> str:
    """A field's value in words: a list joined, yes/no for a flag, '—' for nothing."""
    from kehoach.base.messages import text

    if value is None:
        return "—"
    if isinstance(value, bool):
        return text("diff.yes" if value else "diff.no", lang)
    if isinstance(value, list):
        words = [_value(v, lang) for v in value]
        # "Các sở, ban, ngành tỉnh; Sở Nội vụ": where a name holds a comma, the names are set apart by ";"
        return ("; " if any(", " in w for w in words) else ", ").join(words) or "—"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v, lang)}" for k, v in value.items()) + "}"
    return str(value)


def _field_value(field: str, value: Any, lang: str) -> str:
    """A field's value as a change shows it: the values the plan marks uncertain by their names (the
    reasons are the office's notes, `check` says them), any other as `_value` does."""
    if field == "uncertain" and isinstance(value, dict):
        return ", ".join(value) or "—"
    return _value(value, lang)


def _dates(iso: list[str], lang: str) -> str:
    import datetime as dt

    from kehoach.base.vndates import short_date

    return ", ".join(short_date(dt.date.fromisoformat(d), lang) for d in iso)


def _deadline_words(value: Any, dues: list[str], lang: str) -> str:
    """A deadline as a plan's text words it, with the dates it falls on: 'quý II/2021 (30/6/2021)',
    'định kỳ 6 tháng (30/6/2021, 31/12/2021)'; a date is not repeated."""
    import datetime as dt

    from kehoach.base.deadlines import Dated, Triggered
    from kehoach.base.vndates import deadline_text, triggered_since
    from kehoach.plan.model import read_deadline

    if value is None:
        return "—"
    deadline = read_deadline(value)
    if isinstance(deadline, Triggered) and deadline.triggered_on is not None and dues:
        # "31/12/2021 (sau khi … phê duyệt Đề án ngày 01/9/2021)": the event's day, as the reports word it
        return triggered_since(deadline, dt.date.fromisoformat(dues[-1]), lang)
    words = deadline_text(deadline, lang)
    dates = _dates(dues, lang) if dues else ""
    if dates and not (isinstance(deadline, Dated) and deadline.to_the_day) and not words.startswith(dates):
        words += f" ({dates})"
    return words


# the fields whose items are ids of another part of the plan, named as that part is (`PlanDiff.names`)
NAMED = {"lead": "body", "support": "body", "references": "reference", "issuers": "body", "topics": "topic"}


def _named(field: str, values: Any, names: dict[str, dict[str, str]] | None) -> Any:
    """Ids of bodies by their names, ids of references by their numbers; anything else as it is."""
    table = (names or {}).get(NAMED.get(field, ""), {})
    if not table or not isinstance(values, list):
        return values
    return [table.get(v, v) if isinstance(v, str) else v for v in values]


WORDS_BOUND = 250_000  # words × words: past it, the quadratic word comparison is not tried ("viết lại")
WORDS_CONTEXT = 3  # unchanged words shown either side of a change
WORDS_HUNKS = 3  # changes shown, the rest counted


def changed_words(old: str, new: str, lang: str) -> str | None:
    """The words changed inside a text, each change in brackets with a few words either side:
    '…giải pháp năm [2021 → 2022] gắn với chủ…'; None when more than half the words changed (a
    rewrite), when nothing did, or when the texts are too long to compare word by word."""
    import difflib

    from kehoach.base.messages import text

    a, b = old.split(), new.split()
    if not a or not b or len(a) * len(b) > WORDS_BOUND:
        return None
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.5:
        return None
    hunks: list[tuple[str, int, int, int, int]] = []
    for op in matcher.get_opcodes():
        if op[0] == "equal":
            continue
        # two changes a word or two apart are one ("Đẩy mạnh … Quy chế dân chủ" → "Nâng cao … công tác
        # dân vận": not two fragments cut at the word "dân" they happen to share)
        if hunks and op[1] - hunks[-1][2] <= 2:
            last = hunks[-1]
            hunks[-1] = ("replace", last[1], op[2], last[3], op[4])
        else:
            hunks.append(op)
    if not hunks:
        return None
    shown = []
    for k, (tag, i1, i2, j1, j2) in enumerate(hunks[:WORDS_HUNKS]):
        gone, put = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        middle = (text("diff.words-added", lang, new=put) if tag == "insert"
                  else text("diff.words-removed", lang, old=gone) if tag == "delete"
                  else text("diff.words-changed", lang, old=gone, new=put))
        # the context: unchanged words only, never those of the change before or after
        start = max(hunks[k - 1][2] if k else 0, i1 - WORDS_CONTEXT)
        end = min(hunks[k + 1][1] if k + 1 < len(hunks) else len(a), i2 + WORDS_CONTEXT)
        shown.append(("…" if start > 0 else "") + " ".join([*a[start:i1], middle, *a[i2:end]])
                     + ("…" if end < len(a) else ""))
    said = "; ".join(shown)
    if len(hunks) > WORDS_HUNKS:
        said += " " + text("diff.words-more", lang, n=len(hunks) - WORDS_HUNKS)
    return said


def field_words(change: FieldChange, lang: str, names: dict[str, dict[str, str]] | None = None) -> str:
    """One change of a field in a sentence: 'chủ trì: thêm Sở Nội vụ; bỏ Ban Dân vận Tỉnh ủy', 'thời hạn: quý
    II/2021 (30/6/2021) → quý III/2021 (30/9/2021)'."""
    from kehoach.base.messages import text

    name = text(f"diff.field.{change.field}", lang)
    if change.field in LIST_FIELDS:
        def said(values: Any) -> str:
            return _value(_named(change.field, values, names), lang)

        parts = []
        if change.added:
            parts.append(text("diff.list-added", lang, items=said(change.added)))
        if change.removed:
            parts.append(text("diff.list-removed", lang, items=said(change.removed)))
        if not parts:  # the same items in another order (the first lead body is the one named first)
            parts.append(text("diff.from-to", lang, old=said(change.old), new=said(change.new)))
        return text("diff.field-change", lang, field=name, change="; ".join(parts))
    if change.field == "deadline":
        old, new = _deadline_words(change.old, change.old_due, lang), _deadline_words(change.new, change.new_due, lang)
    elif change.field == "carried_over":
        numbers = (names or {}).get("plan-number", {})  # a plan compared here by its number, another by its code
        old, new = (text("diff.carried", lang, plan=text("diff.plan-number", lang, number=numbers[v["plan"]])
                         if v["plan"] in numbers else v["plan"], parts=_carried_parts(v, names, lang),
                         percent=v.get("percent", 0),
                         deadline=(_deadline_words(v["deadline"], [], lang) or v["deadline"]) if v.get("deadline")
                         else "—")
                    if v else "—" for v in (change.old, change.new))
    else:
        old, new = _value(change.old, lang), _value(change.new, lang)
    if change.field == "description":
        words = (changed_words(str(change.old), str(change.new), lang)
                 if isinstance(change.old, str) and isinstance(change.new, str) else None)
        key = "diff.rewritten" if change.old and change.new else "diff.written" if change.new else "diff.erased"
        return text("diff.field-change", lang, field=name, change=words or text(key, lang))
    return text("diff.field-change", lang, field=name, change=text("diff.from-to", lang, old=old, new=new))


def _entry_words(e: dict[str, Any], lang: str, names: dict[str, dict[str, str]] | None = None) -> str:
    import datetime as dt

    from kehoach.base.messages import text
    from kehoach.base.vndates import short_date

    key = {(True, False): "diff.entry", (True, True): "diff.entry-by", (False, False): "diff.entry-unmeasured",
           (False, True): "diff.entry-unmeasured-by"}[(e.get("percent") is not None, bool(e.get("body")))]
    return text(key, lang, date=short_date(dt.date.fromisoformat(e["date"]), lang), percent=e.get("percent"),
                body=(names or {}).get("body", {}).get(e.get("body", ""), e.get("body", "")), note=e.get("note", ""))


def task_lines(change: TaskChange, lang: str, names: dict[str, dict[str, str]] | None = None,
               progress: bool = True) -> list[str]:
    """What changed in one task, one line each (the first names the task); without `progress`,
    what the plan says only (the appendix of an amendment)."""
    from kehoach.base.messages import text

    if change.kind == "renamed":
        return [text("diff.renamed", lang, old=change.old_id, new=change.id, title=change.title)]
    if change.kind in ("added", "removed"):
        said = [text(f"diff.{change.kind}", lang, id=change.id, title=change.title)]
        if change.kind == "removed" and change.progress_removed:  # the work reported on it goes with it
            last = max(change.progress_removed, key=lambda e: str(e.get("date", "")))
            percent = text("diff.removed-percent", lang, percent=last["percent"]) if "percent" in last else ""
            said.append(text("diff.removed-progress", lang, n=len(change.progress_removed),
                             date=_dates([str(last["date"])], lang), percent=percent, note=last.get("note", "")))
        return said
    lines = [field_words(f, lang, names) for f in change.fields]
    if not progress:
        return lines
    def worded(e: dict[str, Any] | tuple[dict[str, Any], dict[str, Any]]) -> str:
        if isinstance(e, tuple):  # an entry changed: as it was → as it is
            return f"{_entry_words(e[0], lang, names)} → {_entry_words(e[1], lang, names)}"
        return _entry_words(e, lang, names)

    parts: list[tuple[str, Sequence[Any]]] = [
        ("diff.progress-added", change.progress_added), ("diff.progress-changed", change.progress_changed),
        ("diff.progress-removed", change.progress_removed), ("diff.progress-corrected", change.progress_corrected),
        ("diff.progress-withdrawn", change.progress_withdrawn)]
    for key, entries in parts:
        if entries:
            lines.append(text(key, lang, n=len(entries), entries="; ".join(worded(e) for e in entries)))
    return lines


# the plan's fields an amendment does not speak of: its code in the file, the office's notes on values
# the OCR left uncertain
PLAN_NOTES = ("id", "uncertain")


def _carried_parts(value: dict[str, Any], names: dict[str, dict[str, str]] | None, lang: str) -> str:
    """Each lead's part of carried-over work, as its `leads` gives it: ' (Ban Dân vận Tỉnh ủy 100%, …)'."""
    from kehoach.base.messages import text

    leads = value.get("leads") or {}
    if not isinstance(leads, dict) or not leads:
        return ""
    bodies = (names or {}).get("body", {})
    return text("diff.carried-parts", lang, parts=", ".join(f"{bodies.get(b, b)} {p}%" for b, p in leads.items()))


def _plan_dates(value: Any, lang: str) -> str:
    """The plan's date or period, as every document writes a date ('—' for none)."""
    if isinstance(value, dict) and value.get("start") and value.get("end"):
        return f"{_dates([value['start']], lang)} – {_dates([value['end']], lang)}"
    return _dates([value], lang) if isinstance(value, str) else "—"


def other_lines(change: OtherChange, lang: str, names: dict[str, dict[str, str]] | None = None,
                document: bool = False) -> list[str]:
    from kehoach.base.messages import text
    from kehoach.base.text import fold

    part = text(f"diff.part.{change.part}", lang)
    # a body by name, a reference by number, a meeting by its name; in a document, the plan itself
    # without its code in the file ("thông tin kế hoạch", not "thông tin kế hoạch dv-2021")
    ident = "" if document and change.part == "plan" else (names or {}).get(change.part, {}).get(change.id, change.id)
    if fold(ident).startswith(fold(part) + " "):  # "Hội nghị tổng kết năm …", not "hội nghị Hội nghị …"
        part = ""
    if change.kind != "changed":
        return [text(f"diff.other-{change.kind}", lang, part=part, id=ident).strip()]
    if change.part in LIST_PARTS:
        f = change.fields[0]
        parts = [text("diff.list-added", lang, items="; ".join(_item(x, lang) for x in f.added))] if f.added else []
        parts += ([text("diff.list-removed", lang, items="; ".join(_item(x, lang) for x in f.removed))]
                  if f.removed else [])
        if not parts:  # the same items in another order
            parts = [text("diff.reordered", lang)]
        return [text("diff.field-change", lang, field=part, change="; ".join(parts))]
    def changed(f: FieldChange) -> str:
        words = None
        if (f.field == "text" or (change.part == "reference" and f.field == "title")) \
                and isinstance(f.old, str) and isinstance(f.new, str):  # a rewritten text: the words changed
            words = changed_words(f.old, f.new, lang)
        if f.field == "when":  # a meeting's time, as a deadline is worded: "tháng 12/2021"
            return text("diff.from-to", lang, old=_deadline_words(f.old, [], lang),
                        new=_deadline_words(f.new, [], lang))
        if change.part == "plan" and f.field in ("issued", "period"):  # "14/01/2021", "01/01/2021 – 31/12/2021"
            return text("diff.from-to", lang, old=_plan_dates(f.old, lang), new=_plan_dates(f.new, lang))
        return words or text("diff.from-to", lang, old=_field_value(f.field, _named(f.field, f.old, names), lang),
                             new=_field_value(f.field, _named(f.field, f.new, names), lang))

    said = "; ".join(text("diff.field-change", lang, field=text(f"diff.key.{f.field}", lang), change=changed(f))
                     for f in change.fields if not (document and change.part == "plan" and f.field in PLAN_NOTES))
    if not said:
        return []
    if not change.id or not ident:  # a part of which the plan has one (its reporting regime, the plan itself)
        return [text("diff.field-change", lang, field=part, change=said)]
    return [text("diff.other-changed", lang, part=part, id=ident, change=said).strip()]


def _item(value: Any, lang: str) -> str:
    """A signer, a holiday or a recipient as a document names it: 'T/M BAN …, PHÓ BÍ THƯ Võ Phiên',
    '02/9/2022 Quốc khánh', 'Ban Dân vận Trung ương (báo cáo)'."""
    import datetime as dt

    from kehoach.base.messages import text
    from kehoach.base.vndates import short_date

    if not isinstance(value, dict):
        return str(value)
    if "title" in value and "body" in value:  # a signer
        return ", ".join(x for x in (value.get("authority"), f"{value['title']} {value['name']}") if x)
    if "date" in value and "off" in value:  # a holiday, or a working day in lieu
        words = f"{short_date(dt.date.fromisoformat(value['date']), lang)} {value['name']}"
        return words if value["off"] else text("diff.working-day", lang, day=words)
    if value.get("purpose"):
        return f"{value['name']} ({value['purpose']})"
    return str(value.get("name", _value(value, lang)))


def diff_text(diff: PlanDiff, lang: str = "vi") -> str:
    """The diff for a terminal: a line per change, `+` added, `-` removed, `~` changed, `!` a
    progress entry changed or removed. Plan text is shown inert: a change, a line, control
    characters as visible escapes."""
    from kehoach.base.messages import text
    from kehoach.base.text import visible

    out = [text("diff.heading", lang, old=diff.old_name, new=diff.new_name)]
    if diff.empty:
        out.append(text("diff.none", lang))
        return "\n".join(out) + "\n"
    other = diff.old is not None and diff.new is not None and diff.old.plan.id != diff.new.plan.id
    names = diff.names()
    for t in diff.tasks:
        sign = {"added": "+", "removed": "-", "renamed": "~", "changed": "!" if t.rewrites_history else "~"}[t.kind]
        lines = task_lines(t, lang, names)
        head = f"{sign} {t.id}"
        if t.kind == "changed":
            out.append(f"{head}  {t.title}")
            out += [f"    {line}" for line in lines]
        else:
            out.append(f"{head}  {lines[0]}")
            out += [f"    {line}" for line in lines[1:]]  # a removed task's progress
    for o in diff.other:
        out.append(f"~ {other_lines(o, lang, names)[0]}")
    s = diff.summary()
    # another plan (next year's) keeps its own progress: none is compared, none is said
    out.append(text("diff.summary-other" if other else "diff.summary", lang, **s))
    if s["progress_corrected"]:
        out.append(text("diff.summary-corrected", lang, n=s["progress_corrected"]))
    if diff.rewrites_history:
        out.append(text("diff.warning-history", lang))
    return "\n".join(visible(line, newlines=False) for line in out) + "\n"


@dataclass
class DiffRow:
    stt: str
    id: str  # the task's id (or the part's: a body by name)
    kind: str  # "Bổ sung", "Sửa đổi", …
    lines: list[str]  # what changed, a sentence each
    text: str  # the lines as one cell of a Word table


@dataclass
class DiffContext:
    """The appendix of an amendment, worded: what the templates `diff.*` lay out."""

    lang: str
    w: dict[str, str]
    doc: Head  # doc.type is the appendix's title, doc.attached its "(Kèm theo Kế hoạch số … ngày …)"
    rows: list[DiffRow]
    summary: str  # the counts, or that nothing changed
    warning: str  # progress changed or removed, which `kehoach log` never does; else empty


def diff_document(diff: PlanDiff, lang: str = "vi") -> DiffContext:
    """The diff as the appendix of an amendment ("Phụ lục / NỘI DUNG SỬA ĐỔI, BỔ SUNG"), attached to the
    plan by its number and date, not by the files compared (NĐ 30 III.1.c)."""
    from kehoach.base.messages import text
    from kehoach.views.letterhead import Head
    from kehoach.views.reportview import doc_words

    names = diff.names()
    rows: list[DiffRow] = []
    # another plan (next year's) compared, not amended: a task it has not is "Không còn", not "Bãi bỏ"
    other = diff.old is not None and diff.new is not None and diff.old.plan.id != diff.new.plan.id

    def kind_of(kind: str) -> str:
        return text(f"diff.kind-other.{kind}" if other else f"diff.kind.{kind}", lang)

    # progress recorded in the plan file is not an amendment of the plan the two bodies signed: the
    # appendix holds what the plan says (tasks, bodies, deadlines…), never the progress logged
    amended = [t for t in diff.tasks if t.kind != "changed" or t.fields]
    # in the plan's order, a task taken out where it stood ("IV.3.f" before "IV.4.c")
    for t in sorted(amended, key=lambda t: _id_order(t.id)):
        kind = kind_of(t.kind)
        lines = task_lines(t, lang, names, progress=False)
        rows.append(DiffRow(str(len(rows) + 1), t.id, kind, lines, ""))
    for o in diff.other:
        # a body by its name, a reference by its number; a meeting, a topic … are named in the text,
        # their codes are the file's, not the plan's
        ident = names.get(o.part, {}).get(o.id, o.id) if o.part in ("body", "reference") else ""
        kind = kind_of(o.kind)
        said = other_lines(o, lang, names, document=True)[:1]
        if said:
            rows.append(DiffRow(str(len(rows) + 1), ident, kind, said, ""))
    for row in rows:
        row.text = "\n".join(row.lines)
    s = diff.summary()
    head = Head(issuers=[], issuer_names=[names["body"].get(i, i) for i in (diff.new.plan.issuers if diff.new else [])],
                party="", number="", place_date="", type=_title(diff, lang), summary="",
                attached=_attached(diff, lang))
    counted = {k: sum(1 for t in amended if t.kind == k) for k in ("added", "removed", "renamed", "changed")}
    summary = text("diff.document-summary", lang, **counted, other=s["other"])
    logged = s["progress_added"] + s["progress_changed"] + s["progress_removed"] + s["progress_corrected"]
    if logged:
        summary += " " + text("diff.document-progress", lang, n=logged)
    w = doc_words(lang)
    if diff.old is not None and diff.new is not None and diff.old.plan.id != diff.new.plan.id:
        w["col_change"] = text("diff.col-change-other", lang)  # another plan compared, not amended
    if not rows:  # only progress logged: nothing of the plan amended
        summary = text("diff.document-none", lang) + (" " + text("diff.document-progress", lang, n=logged)
                                                       if logged else "")
    return DiffContext(lang=lang, w=w, doc=head, rows=rows,
                       summary=text("diff.none", lang) if diff.empty else summary,
                       warning=text("diff.warning-history", lang)
                       if diff.rewrites_history else "")


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _id_order(ident: str) -> tuple[tuple[int, int, str], ...]:
    """A task's code as the plan orders it: "II.10" after "II.9", "IV" after "III", "b" after "a"."""
    out = []
    for part in ident.split("."):
        if part.isdigit():
            out.append((1, int(part), ""))
        elif part and all(ch in _ROMAN_VALUES for ch in part):
            values = [_ROMAN_VALUES[ch] for ch in part]
            out.append((0, sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                               for i, v in enumerate(values)), ""))
        else:
            out.append((2, 0, part))
    return tuple(out)


def _title(diff: PlanDiff, lang: str) -> str:
    """The appendix's title: what amends the plan ("NỘI DUNG SỬA ĐỔI, BỔ SUNG"), or, of another plan
    (next year's), what differs from the one it follows ("NHỮNG ĐIỂM KHÁC SO VỚI KẾ HOẠCH SỐ …")."""
    from kehoach.base.messages import text
    from kehoach.views.letterhead import plan_issued

    old = diff.old.plan if diff.old else None
    if old is None or diff.new is None or old.id == diff.new.plan.id:
        return text("diff.md-title", lang)
    issued = plan_issued(diff.old, lang) if diff.old else ""
    return text("diff.md-title-other", lang, number=old.number or text("citation.no-number", lang),
                issued=issued).upper()


def _attached(diff: PlanDiff, lang: str) -> str:
    """'(Kèm theo Kế hoạch số … ngày … của …)', and the version it amends when its number or date differs
    (another plan, next year's, amends none)."""
    from kehoach.base.messages import text
    from kehoach.views.letterhead import attached_to_plan, plan_issued

    if diff.new is None:
        return ""
    line = attached_to_plan(diff.new, lang)
    old, new = (diff.old.plan if diff.old else None), diff.new.plan
    if old is None or (old.number, old.issued) == (new.number, new.issued) or old.id != new.id:
        return line
    issued = plan_issued(diff.old, lang) if diff.old else ""
    return text("attached.amends", lang, line=line[1:-1], number=old.number or text("citation.no-number", lang),
                issued=issued)


def diff_markdown(diff: PlanDiff, lang: str = "vi") -> str:
    """The diff as the appendix of an amendment, in Markdown (`diff.md.j2`), to paste into a document or
    a review comment."""
    from kehoach.outputs.render import render_text, template_dirs

    return render_text("diff.md.j2", _values(diff_document(diff, lang)), template_dirs(), "md")


def diff_docx(diff: PlanDiff, lang: str = "vi") -> bytes:
    """The same appendix as a Word file (`diff.docx`)."""
    from kehoach.outputs.render import render_docx, template_dirs

    return render_docx("diff.docx", _values(diff_document(diff, lang)), template_dirs())


def _values(ctx: DiffContext) -> dict[str, Any]:
    """The appendix's view as the plain values a template reads (`doc.type`, `row.lines`): the document
    views' own type (`views.context.Context`) cannot name this one, made a stage above them."""
    import dataclasses

    return dataclasses.asdict(ctx)


def diff_json(diff: PlanDiff) -> dict[str, Any]:
    """The diff as plain JSON values (documented in docs/lifecycle.md)."""
    import dataclasses

    return {"version": DIFF_VERSION, "old": diff.old_name, "new": diff.new_name, "summary": diff.summary(),
            "tasks": [dataclasses.asdict(t) | {
                "rewrites_history": t.rewrites_history,
                "progress_changed": [{"old": a, "new": b} for a, b in t.progress_changed],
                "progress_corrected": [{"old": a, "new": b} for a, b in t.progress_corrected]} for t in diff.tasks],
            "other": [dataclasses.asdict(o) for o in diff.other]}


def compare_versions(old: str, new: str) -> PlanDiff:
    """Read two versions of a plan (files or git revisions, see `read_version`) and compare them;
    a `diff-invalid` error (with its diagnostics) when either has errors."""
    from kehoach.plan.loader import load_text

    new_text, new_name = read_version(new, old)
    old_text, old_name = read_version(old, new)
    plans = []
    for text_, name in ((old_text, old_name), (new_text, new_name)):
        # a revision's `bodies_from` is read from the working tree, beside the file it names
        where = _split_revision(name)[1] if not Path(name).is_file() else name
        base = where if where and Path(where).parent.is_dir() else next(
            (n for n in (new_name, old_name) if Path(n).is_file()), None)
        loaded = load_text(text_, name, workdays=False, base=base)
        if not loaded.ok or loaded.plan is None:
            raise KehoachError("diff-invalid", {"name": name},
                               [d for d in loaded.diagnostics if d.severity == "error"])
        plans.append(loaded.plan)
    # the forms list beside the plan (of the working tree, for a revision): what corrected forms replaced
    from kehoach.life.forms.keys import replaced_entries

    where = new_name if Path(new_name).is_file() else _split_revision(new_name)[1]
    replaced = replaced_entries(where, plans[1].plan.id) if where and Path(where).is_file() else None
    return diff_plans(plans[0], plans[1], old_name, new_name, replaced)
