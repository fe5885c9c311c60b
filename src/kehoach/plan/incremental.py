"""One more progress entry, judged from the one top-level task it changes (`kehoach log`).

A valid plan's verdict is kept; only the lines of the top-level task that holds the entry's task
are read again, spliced (`plan.yamledit`) and checked, on a plan made of the same header and that
one task: its diagnostics replace the task's old ones, every other one stays (moved down by the
lines added). What an entry can change is that task's alone: its progress rules (dates in the
period and in order, percents never falling, occurrences), the roles of its reporting bodies, the
references and the text of the entry. Anything unusual (anchors or tags in the task, a draft, a
list in flow style, a file whose lines the scan cannot tell apart, a kind of diagnostic past its
cap, a verdict of the task that the small plan does not give again) is left to the whole reading:
`prepare` or `apply` then answers None."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import PER_CODE, DataPath, Diagnostic, loc_text

if TYPE_CHECKING:
    from kehoach.plan.loader import LoadedPlan
    from kehoach.plan.model import Plan
    from kehoach.plan.source import YamlNode
    from kehoach.plan.yamlbase import Pos

    Insert = Callable[..., tuple[str, int, list[str]]]

# line breaks ruamel counts and `str.splitlines` does not count alike: the lines are not scanned
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)  # a line that is neither blank nor a comment
_DASH = re.compile(r"( *)-(?:[ \t\r\n]|$)")
_ALONE = re.compile(r"[ \t]*:[ \t]*(?:#[^\r\n]*)?\r?$", re.M)  # `key:` with its value on the next lines
_FLOW = re.compile(r"[ \t]*:[ \t]*\[")
_COLON = re.compile(r"[ \t]*:")


def line_breaks(text: str) -> str | None:
    """The line break the file's new lines take ("\\n" or "\\r\\n"); None when its lines cannot be
    counted as ruamel counts them (a lone CR, a form feed, U+2028 …)."""
    if any(ch in text for ch in _ODD_BREAKS):
        return None
    if text.count("\r") != text.count("\r\n"):
        return None
    from kehoach.plan.yamledit import file_newline

    return file_newline(text)  # as most of its lines end


def _key_line(text: str, key: str, start: int = 0, alone: bool = True) -> tuple[int, int] | None:
    """Where the line of the top-level `key:` begins, from `start`, and where its `key:` (with
    `alone`: the whole line, the value on the next lines) ends."""
    pos = start - 1
    while True:
        at = 0 if pos < 0 and text.startswith(key) else text.find("\n" + key, max(pos, 0)) + 1
        if at <= 0:
            return None
        found = (_ALONE if alone else _COLON).match(text, at + len(key))
        if found is not None:
            return at, found.end()
        pos = at


def task_spans(text: str, data: Mapping[Any, Any]) -> list[tuple[int, int]] | None:
    """Where each item of the top-level `tasks:` list begins and ends in the text (offsets), by
    the lines' indentation; None when the list is not a block list under a plain `tasks:` key."""
    key = _key_line(text, "tasks")
    if key is None:
        return None
    first = _CONTENT.search(text, key[1])
    dash = _DASH.match(text, first.start()) if first is not None else None
    if first is None or dash is None:
        return None
    keys = [k for k in data if isinstance(k, str)]
    if len(keys) != len(data):
        return None
    later = keys[keys.index("tasks") + 1:]
    end = len(text)
    if later:
        after = _key_line(text, later[0], first.start(), alone=False)
        if after is None:
            return None
        end = after[0]
    needle = "\n" + dash.group(1) + "-"
    starts = [first.start()]
    pos = first.start()
    while True:
        pos = text.find(needle, pos + 1, end)
        if pos < 0:
            break
        follows = text[pos + len(needle):pos + len(needle) + 1]
        if follows in ("", " ", "\t", "\r", "\n"):
            starts.append(pos + 1)
    return [(a, b) for a, b in zip(starts, starts[1:] + [end], strict=True)]


def sequence_offset(text: str, data: Mapping[Any, Any]) -> int | None:
    """How far the file indents a block list's dash past its key, as `yamledit` finds it on the
    whole file's nodes: the first top-level key holding a block list decides. None when unsure."""
    for key, value in data.items():
        if not (isinstance(value, list) and value):
            continue
        if not isinstance(key, str):
            return None
        alone = _key_line(text, key)
        if alone is None:
            if re.search(rf"^{re.escape(key)}{_FLOW.pattern}", text, re.M):
                continue  # a flow list on the key's line
            return None
        first = _CONTENT.search(text, alone[1])
        if first is None:
            return None
        dash = _DASH.match(text, first.start())
        if dash is not None:
            return len(dash.group(1))
        if text[first.end() - 1] == "[":
            continue
        return None
    return None


@dataclass
class Prepared:
    """One top-level task of a valid plan, read on its own, ready to take an entry."""

    before: LoadedPlan
    text: str
    index: int  # the top-level task's place in `tasks`
    inner: DataPath  # the task's path inside its top-level item: (0, "subtasks", 2) …
    start: int  # offsets of the item's lines in the text
    end: int
    line: int  # the number of lines before the item
    root: YamlNode  # the item's nodes
    plan: Plan  # the header and this one task: what the entry's rules are judged on
    newline: str
    offset: int  # the file's indentation of a list's dash past its key

    def apply(self, entry: Mapping[str, object], insert: Insert) -> tuple[str, LoadedPlan, int, list[str]] | None:
        """The new text, the plan it is, the 1-based line of the first new line and the new
        lines; None when the small reading cannot vouch for the answer (the whole one then
        decides). A LogError of `insert` (a layout it does not write into) goes through."""
        from kehoach.plan.loader import LoadedPlan
        from kehoach.plan.source import Document, read_yaml

        before = self.before
        assert before.document is not None and before.plan is not None
        block = self.text[self.start:self.end]
        new_block, at, new_lines = insert(block, self.inner, entry, self.root, self.newline, self.offset)
        if self.text.find(block) == self.start:  # one copy of the text, not its pieces and then one
            new_text = self.text.replace(block, new_block, 1)
        else:
            new_text = "".join((self.text[:self.start], new_block, self.text[self.end:]))
        doc, problems = read_yaml(new_block, located=True)
        tasks = before.document.data["tasks"]
        if problems or doc is None or not isinstance(doc.data, list) or len(doc.data) != 1:
            return None
        expected = copy.deepcopy(tasks[self.index])
        task = expected
        for seg in self.inner[1:]:
            task = task[seg]
        task["progress"] = list(task.get("progress") or []) + [_read_back(entry)]
        if doc.data[0] != expected:
            return None  # the splice did not add exactly this entry to this task
        new_item = doc.data[0]
        small, diags = _judge(before.document.data, new_item, before.path)
        values = _moved(doc.values, self.index, self.line)
        keys = _moved(doc.keys, self.index, self.line)
        mine = _place(diags, self.index, Document(None, values, keys), before.path)
        kept = self._kept(new_block.count("\n") - block.count("\n"))
        if kept is None:
            return None
        counts = Counter(d.code for d in kept + mine)
        if any(n > PER_CODE for n in counts.values()):
            return None  # a capped kind: the whole reading counts them
        data = {**before.document.data, "tasks": [*tasks[:self.index], new_item, *tasks[self.index + 1:]]}
        plan = None
        if small is not None:
            old = before.plan.tasks
            plan = before.plan.model_copy(update={"tasks": [*old[:self.index], small.tasks[0], *old[self.index + 1:]]})
        after = LoadedPlan(before.path, new_text, Document(data), plan,
                           sorted(kept + mine, key=Diagnostic.sort_key), catalogues=list(before.catalogues))
        return new_text, after, at + self.line, new_lines

    def _kept(self, added: int) -> list[Diagnostic] | None:
        """The plan's diagnostics but the task's, those below it moved down by the lines added."""
        first = self.line  # 1-based lines up to this one are above the item
        block = self.text[self.start:self.end]
        last = self.line + block.count("\n") + (not block.endswith("\n"))
        out = []
        for d in self.before.diagnostics:
            if d.file != self.before.path:
                out.append(d)  # in a catalogue
            elif d.loc[:2] == ("tasks", self.index):
                continue
            elif d.line <= first:
                out.append(d)
            elif d.line > last:
                out.append(dataclasses.replace(d, line=d.line + added))
            else:
                return None
        return out


def _read_back(entry: Mapping[str, object]) -> Any:
    """The entry as the file's reader gives it back once written (its dates as text …)."""
    from kehoach.plan.source import read_yaml
    from kehoach.plan.yamledit import entry_lines

    doc, _ = read_yaml("\n".join(entry_lines(entry, 0)) + "\n", located=False)
    return doc.data[0] if doc is not None and isinstance(doc.data, list) and doc.data else None


def prepare(text: str, before: LoadedPlan, path: DataPath) -> Prepared | None:
    """The top-level task holding the task at `path` (("tasks", 3, "subtasks", 0)), read on its
    own from `text` (the plan `before` is, valid); None when it is for the whole reading."""
    from kehoach.plan.source import _MARKUP, read_yaml

    if before.document is None or before.plan is None or not isinstance(before.document.data, dict):
        return None
    data = before.document.data
    tasks = data.get("tasks")
    info = data.get("plan")
    if (not isinstance(tasks, list) or len(path) < 2 or path[0] != "tasks" or not isinstance(path[1], int)
            or (isinstance(info, dict) and info.get("draft") is True)
            or any(d.code == "more-problems" for d in before.diagnostics)):
        return None
    index = path[1]
    newline = line_breaks(text)
    if newline is None:
        return None
    spans = task_spans(text, data)
    offset = sequence_offset(text, data)
    if spans is None or len(spans) != len(tasks) or offset is None:
        return None
    start, end = spans[index]
    block = text[start:end]
    if _MARKUP.search(block):
        return None
    doc, problems = read_yaml(block, keep_nodes=True, located=False)
    if problems or doc is None or doc.data != [tasks[index]]:
        return None
    small, diags = _judge(data, tasks[index], before.path)
    old = [d for d in before.diagnostics if d.loc[:2] == ("tasks", index) and d.file == before.path]
    if small is None or _said(_remapped(diags, index)) != _said(old):
        return None
    return Prepared(before, text, index, (0, *path[2:]), start, end, text.count("\n", 0, start), doc.root, small,
                    newline, offset)


def _said(diags: list[Diagnostic]) -> list[tuple[str, str, str, str]]:
    return sorted((d.code, d.severity, repr(d.loc), d.message("en")) for d in diags)


def _judge(data: dict[str, Any], item: Any, name: str) -> tuple[Plan | None, list[Diagnostic]]:
    """The plan made of `data`'s header and the one top-level task `item`, and its diagnostics
    about that task (at ("tasks", 0, …)), unplaced: what the loader finds of it (`name`: the
    plan's file, which its catalogues' paths are relative to)."""
    from pydantic import ValidationError

    from kehoach.plan import catalogue, checks
    from kehoach.plan.loader import _dedupe, _nfc_tree
    from kehoach.plan.model import Plan
    from kehoach.plan.problems import pydantic_diagnostics
    from kehoach.plan.source import Document

    small = {**data, "tasks": [item]}
    doc = Document(small)
    diags: list[Diagnostic] = []
    known: dict[str, AbstractSet[str]] | None = None
    model = small
    if catalogue.KEY in data:  # the bodies of a shared catalogue, after the plan's own
        resolved = catalogue.resolve(data, doc, name)
        known = {"body": set(resolved.origin)} if resolved.complete else {"body": checks.ANY}
        own = data.get("bodies")
        model = {**small, "bodies": (own if isinstance(own, list) else []) + resolved.bodies}
    plan: Plan | None
    try:
        plan = Plan.model_validate(_nfc_tree(model))
    except ValidationError as exc:
        plan = None
        diags += pydantic_diagnostics(exc, doc)
    diags += checks.run_all(small, doc, known)
    if plan is not None and any(t.progress for t, _ in plan.iter_tasks()):
        from kehoach.plan.schedule import build_schedule

        diags += checks.check_progress_roles(plan, build_schedule(plan))
    return plan, [d for d in _dedupe(diags) if d.loc[:2] == ("tasks", 0)]


def _remapped(diags: list[Diagnostic], index: int) -> list[Diagnostic]:
    """The diagnostics of the small plan's one task as they are of the task at `index`: their
    path, and a parameter that names it ("tasks[0].progress[1].note")."""
    out = []
    for d in diags:
        loc = ("tasks", index, *d.loc[2:])
        named, renamed = loc_text(d.loc), loc_text(loc)
        params = {k: renamed if isinstance(v, str) and v == named else v for k, v in d.params.items()}
        out.append(dataclasses.replace(d, loc=loc, params=params))
    return out


def _place(diags: list[Diagnostic], index: int, doc: Any, name: str) -> list[Diagnostic]:
    from kehoach.plan.problems import place

    return place(_remapped(diags, index), doc, name)


def _moved(table: Mapping[DataPath, Pos], index: int, lines: int) -> dict[DataPath, Pos]:
    """The positions of a top-level item read on its own, as they stand in the whole file."""
    return {("tasks", index, *p[1:]): (line + lines, col) for p, (line, col) in table.items() if p}
