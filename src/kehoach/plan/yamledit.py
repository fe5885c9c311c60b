"""Editing a plan's text as pre-commit's fixers do: the smallest span. A progress entry is added
as new lines after the task's last entry (or a `progress:` list opened for it); every other byte of
the file, its comments, quoting, blank lines and line endings, stays as it was."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kehoach.base.errors import LogError

if TYPE_CHECKING:
    from kehoach.base.diagnostics import DataPath
    from kehoach.plan.source import Mark, YamlNode

ENTRY_KEYS = ("date", "body", "percent", "note", "by", "kind", "evidence", "occurrence")  # in the order written


def _last_line(node: YamlNode) -> int:
    """0-based index of the last line that holds content of `node`."""
    while node.id in ("mapping", "sequence") and node.value and not node.flow_style:
        node = node.value[-1][1] if node.id == "mapping" else node.value[-1]
    end: Mark = node.end_mark
    line = end.line if end.column > 0 else end.line - 1
    start: Mark = node.start_mark
    return max(line, start.line)


def _find(node: YamlNode, path: DataPath) -> YamlNode:
    for seg in path:
        if node.id == "mapping":
            node = next(v for k, v in node.value if k.value == seg)
        else:
            node = node.value[seg]
    return node


_PLAIN = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_-]*|\d{4}-(?:Q[1-4]|H[12]|9M|Y|M\d\d))$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"}


def yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, str) and _PLAIN.match(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def entry_lines(entry: Mapping[str, object], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for i, key in enumerate(k for k in ENTRY_KEYS if entry.get(k) is not None):
        lead = f"{pad}- " if i == 0 else f"{pad}  "
        lines.append(f"{lead}{key}: {yaml_scalar(entry[key])}")
    return lines


def insert_entry(text: str, task_path: DataPath, entry: Mapping[str, object],
                 root: YamlNode | None = None, newline: str | None = None,
                 seq_offset: int | None = None) -> tuple[str, int, list[str]]:
    """The new text with `entry` appended to the task's progress list, and where.

    Only lines are added (or, for `progress: []`, that one line is opened up);
    every other byte stays as it was. `text` may be one part of a file (one task's lines, `root`
    its nodes): `newline` and `seq_offset` (how the file indents a list past its key) are then
    the whole file's.
    """
    from kehoach.plan.source import compose

    if newline is None:
        newline = file_newline(text)
    if root is None:  # the text's nodes, unless the caller composed them already
        root = compose(text)
    task = _find(root, task_path)
    progress_key, progress = next(((k, v) for k, v in task.value if k.value == "progress"), (None, None))
    if task.flow_style or (progress is not None and progress.flow_style and progress.value):
        raise LogError("log-layout", {"id": str(task.value[0][1].value) if task.value else "?"})
    if progress is not None and "&" in text and _shared(root, progress):
        # `progress: *p` (another task's list) or `progress: &p` named elsewhere: a line added
        # there would be progress of two tasks
        raise LogError("log-shared-progress", {"id": str(task.value[0][1].value) if task.value else "?"})
    lines = text.splitlines(keepends=True)
    key_col = task.value[0][0].start_mark.column
    if seq_offset is None:
        seq_offset = _sequence_offset(root, task)
    if progress is not None and progress.id == "sequence" and progress.value and not progress.flow_style:
        dash_col = _dash_column(lines, progress)
        new = entry_lines(entry, dash_col)
        at = _last_line(progress) + 1
        return _splice(lines, at, new, newline), at + 1, new
    new = entry_lines(entry, key_col + seq_offset)
    if progress_key is not None:
        # `progress:` with nothing or `[]`: rewrite that one line as a block list
        at = progress_key.start_mark.line
        old = lines[at]
        end = old.rstrip("\r\n")
        found = re.search(r"\s+#.*$", end.split(":", 1)[1])  # its comment kept as written, spaces before it too
        head = " " * key_col + "progress:" + (found.group(0) if found else "")
        lines[at] = head + newline
        return _splice(lines, at + 1, new, newline), at + 1, [head] + new
    at = _last_line(task) + 1
    new = [" " * key_col + "progress:"] + new
    return _splice(lines, at, new, newline), at + 1, new


def withdraw_entries(text: str, entries: list[tuple[DataPath, int]], root: YamlNode | None = None) -> str:
    """The text without these progress entries ((the task's path, the entry's index in its
    `progress` list)): each entry's lines, from its dash to its last line, are taken out; a list
    left with nothing is written `progress: []` on its key's line. Every other byte stays as it
    was. A list written in flow style, or shared with another task (an alias), is not edited
    (LogError)."""
    from kehoach.plan.source import compose

    if not entries:
        return text
    if root is None:
        root = compose(text)
    lines = text.splitlines(keepends=True)
    spans: list[tuple[int, int]] = []  # lines to take out (first, last), 0-based
    emptied: list[int] = []  # the key lines of lists left with nothing
    by_task: dict[DataPath, set[int]] = {}
    for task_path, index in entries:
        by_task.setdefault(tuple(task_path), set()).add(index)
    for task_path, indexes in by_task.items():
        task = _find(root, task_path)
        name = str(task.value[0][1].value) if task.value else "?"
        key, progress = next(((k, v) for k, v in task.value if k.value == "progress"), (None, None))
        if key is None or progress is None or progress.id != "sequence" or progress.flow_style \
                or max(indexes) >= len(progress.value):
            raise LogError("log-layout", {"id": name})
        if "&" in text and _shared(root, progress):
            raise LogError("log-shared-progress", {"id": name})
        dash = _dash_column(lines, progress)
        for i in indexes:
            item = progress.value[i]
            first = item.start_mark.line
            while first > 0 and not _dash_at(lines[first], dash):  # "-" alone on a line above its keys
                first -= 1
            spans.append((first, _last_line(item)))
        if len(indexes) == len(progress.value):
            emptied.append(key.start_mark.line)
    for at in emptied:
        body = lines[at].rstrip("\r\n")
        head, _, rest = body.partition(":")
        comment = re.search(r"\s+#.*$", rest)  # kept as written, its spaces before it too
        lines[at] = head + ": []" + (comment.group(0) if comment else "") + lines[at][len(body):]
    for first, last in sorted(spans, reverse=True):
        del lines[first:last + 1]
    return "".join(lines)


def _dash_at(line: str, column: int) -> bool:
    """Whether a list item's dash stands at `column` of this line (only spaces before it)."""
    return line[column:column + 1] == "-" and not line[:column].strip()


def _shared(root: YamlNode, node: YamlNode) -> bool:
    """Whether `node` is the value of more than one key (an anchor and its aliases share one node)."""
    seen = 0
    stack = [root]
    while stack:
        n = stack.pop()
        if n.id == "mapping":
            for _k, v in n.value:
                if v is node:
                    seen += 1
                    if seen > 1:
                        return True
                elif v.id in ("mapping", "sequence"):
                    stack.append(v)
        elif n.id == "sequence":
            stack.extend(x for x in n.value if x.id in ("mapping", "sequence"))
    return False


def _dash_column(lines: list[str], seq: YamlNode) -> int:
    """The column of a block list's dashes: found before its first item on that item's line (the
    list's own mark is its anchor's or tag's when it has one: `progress: &p`)."""
    first = seq.value[0].start_mark
    line = lines[first.line] if first.line < len(lines) else ""
    dash = line.rfind("-", 0, first.column)
    if dash >= 0 and not line[:dash].strip():
        return dash
    return int(seq.start_mark.column)  # a block sequence starts at its first dash


def file_newline(text: str) -> str:
    """The line ending this file's new lines are written with."""
    crlf = text.count("\r\n")  # as most of its lines end (one CRLF line in a file of LF: LF)
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\r" if "\r" in text and "\n" not in text else "\n"


def _sequence_offset(root: YamlNode, task: YamlNode) -> int:
    """How far this file indents a list's dash past its key (0 or 2, usually)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.id == "mapping":
            for k, v in node.value:
                if v.id == "sequence" and v.value and not v.flow_style and v.start_mark.line > k.start_mark.line:
                    offset: int = v.start_mark.column - k.start_mark.column
                    return offset
                stack.append(v)
        elif node.id == "sequence":
            stack.extend(node.value)
    return 2


def _splice(lines: list[str], at: int, new: list[str], newline: str) -> str:
    if at > 0 and at <= len(lines) and not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline  # the file had no final newline
    return "".join(lines[:at] + [x + newline for x in new] + lines[at:])
