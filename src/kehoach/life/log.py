"""Writing to a user's file: validated first, atomic, nothing else touched."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.errors import EXIT_USAGE, KehoachError, WriteError

if TYPE_CHECKING:
    from kehoach.base.deadlines import Recurring
    from kehoach.plan.loader import LoadedPlan
    from kehoach.plan.model import Plan, Progress, Task
    from kehoach.plan.source import DataPath, Mark, YamlNode


STALE_AFTER = 600.0  # seconds: a temporary file this old is a killed write's, whoever wrote it


def _temporary_name(name: str) -> re.Pattern[str]:
    """The names `atomic_write_bytes` gives its temporary files beside `name` (tempfile's 8 characters)."""
    return re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")


def remove_stale_temporaries(path: Path, locked: bool = False) -> list[Path]:
    """Remove the temporary files a killed write left beside `path`; return them.

    Under the plan's lock (`locked`) no other kehoach is writing, so every one is
    stale; otherwise only those untouched for STALE_AFTER seconds. Only regular
    files of exactly our naming are touched.
    """
    import stat
    import time

    pattern = _temporary_name(path.name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and (locked or now - st.st_mtime > STALE_AFTER):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def atomic_write_bytes(path: Path, data: bytes, locked: bool = False,
                       rename: Callable[[str, Path], None] | None = None) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over `path`.

    A symbolic link is followed (the file it points to is replaced, the link
    stays); the file keeps its permissions and, where the system allows, its
    owner; readers see the old or the new content, never a mix. The temporary
    files of earlier killed writes are removed first (`remove_stale_temporaries`).
    `rename(tmp, path)` puts the new file in place (os.replace by default); it may
    raise to leave the file as it is. OSError is raised as is, for the caller to report.
    """
    import stat

    from kehoach.base.errors import NotRegularFile

    path = Path(os.path.realpath(path))
    folder = path.parent
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):  # /dev/sda, a FIFO, a socket, a folder
        raise NotRegularFile(errno.EEXIST, "not a regular file", str(path))
    remove_stale_temporaries(path, locked)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, st.st_mode & 0o7777)
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except PermissionError:
                    pass  # only root may give a file away; the content is still the user's
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        (rename or os.replace)(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


# ---------------------------------------------------------------- kehoach log

ENTRY_KEYS = ("date", "body", "percent", "note", "by", "kind", "evidence", "occurrence")


class LogError(KehoachError):
    """The entry was refused; nothing was written. `diagnostics` say why."""


@dataclass
class LogResult:
    path: Path
    task_id: str
    entry: dict[str, Any]  # the entry as written: date, percent, note … (absent keys left out)
    inserted_at: int  # 1-based line of the first inserted line
    lines: list[str] = field(default_factory=list)


def lock_timeout(path: Path) -> float:
    """How long a writer waits for the plan's lock: KEHOACH_LOCK_TIMEOUT (seconds) when set,
    else 30 s plus 10 s per MB of plan (a `log` on a large plan holds the lock for seconds)."""
    value = os.environ.get("KEHOACH_LOCK_TIMEOUT", "").strip()
    try:
        seconds = float(value)
        if seconds >= 0 and seconds == seconds and seconds != float("inf"):
            return seconds
    except ValueError:
        pass
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return 30.0 + 10.0 * size / 1_000_000


@contextmanager
def plan_lock(path: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock on the plan's folder, so concurrent writers take turns.

    The lock is on the folder, not on the file, because each write replaces the
    file (rename) and a lock on the old file would not stop the next writer.
    A folder that cannot be opened is a LogError (exit 2), as is a lock held
    longer than `timeout` (default: `lock_timeout`).
    """
    import time

    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: rely on the changed-on-disk check
        yield
        return
    timeout = lock_timeout(path) if timeout is None else timeout
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        raise LogError("file-not-found", {"path": str(path)}, exit_code=EXIT_USAGE) from None
    except OSError as exc:
        raise WriteError(path, exc) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LogError("log-locked", {"path": str(path), "seconds": round(timeout, 1)},
                                   exit_code=EXIT_USAGE) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing releases the lock


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


def _yaml_scalar(value: object) -> str:
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
        lines.append(f"{lead}{key}: {_yaml_scalar(entry[key])}")
    return lines


def insert_entry(text: str, task_path: DataPath, entry: Mapping[str, object],
                 root: YamlNode | None = None) -> tuple[str, int, list[str]]:
    """The new text with `entry` appended to the task's progress list, and where.

    Only lines are added (or, for `progress: []`, that one line is opened up);
    every other byte stays as it was.
    """
    from kehoach.plan.source import compose

    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    if root is None:  # the text's nodes, unless the caller composed them already
        root = compose(text)
    task = _find(root, task_path)
    progress_key, progress = next(((k, v) for k, v in task.value if k.value == "progress"), (None, None))
    if task.flow_style or (progress is not None and progress.flow_style and progress.value):
        raise LogError("log-layout", {"id": str(task.value[0][1].value) if task.value else "?"})
    lines = text.splitlines(keepends=True)
    key_col = task.value[0][0].start_mark.column
    seq_offset = _sequence_offset(root, task)
    if progress is not None and progress.id == "sequence" and progress.value and not progress.flow_style:
        dash_col = progress.start_mark.column  # a block sequence starts at its first dash
        new = entry_lines(entry, dash_col)
        at = _last_line(progress) + 1
        return _splice(lines, at, new, newline), at + 1, new
    new = entry_lines(entry, key_col + seq_offset)
    if progress_key is not None:
        # `progress:` with nothing or `[]`: rewrite that one line as a block list
        at = progress_key.start_mark.line
        old = lines[at]
        end = old.rstrip("\r\n")
        comment = ""
        if "#" in end.split(":", 1)[1]:
            comment = " #" + end.split(":", 1)[1].split("#", 1)[1]
        head = " " * key_col + "progress:" + comment
        lines[at] = head + newline
        return _splice(lines, at + 1, new, newline), at + 1, [head] + new
    at = _last_line(task) + 1
    new = [" " * key_col + "progress:"] + new
    return _splice(lines, at, new, newline), at + 1, new


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
    saved: bool = False  # the file was written


def append_entries(path: Path, items: list[tuple[str, dict[str, Any]]], partial: bool = False,
                   dry_run: bool = False) -> BatchResult:
    """Append progress entries (task id, entry) to the plan at `path` in one atomic write.

    Each entry is checked as `kehoach log` checks one, against the plan with the
    entries before it: an unknown or parent task, a repeat of completed work, a
    file that would not pass `kehoach check`. When any is refused nothing is
    written, unless `partial` (the others are then written); `dry_run` writes
    nothing. A plan that cannot be read, is invalid, read-only or changed on disk
    meanwhile refuses the whole batch (LogError raised).
    """
    from kehoach.base.text import nfc
    from kehoach.plan.loader import decode, load_text, read_bytes

    path = Path(os.path.realpath(path))
    items = [(tid, {k: (nfc(v) if isinstance(v, str) else v) for k, v in e.items() if v is not None})
             for tid, e in items]
    result = BatchResult(path)
    with plan_lock(path):
        raw, problems = read_bytes(path)  # read once: the changed-on-disk check compares with these bytes
        if raw is None:  # no such file, or a folder
            raise LogError(problems[0].code, problems[0].params, exit_code=EXIT_USAGE)
        text, problems = decode(raw, str(path))
        if text is None:
            raise LogError("log-plan-invalid", {"path": str(path)}, problems)
        if not dry_run and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
            raise LogError("log-readonly", {"path": str(path)})  # root ignores modes: we don't
        state = load_text(text, str(path), workdays=False, keep_nodes=True)
        if not state.ok:
            errors = [d for d in state.diagnostics if d.severity == "error"]
            raise LogError("log-plan-invalid", {"path": str(path)}, errors)
        for index, (task_id, entry) in enumerate(items):
            try:
                text, state, done = _append_one(text, state, path, task_id, entry)
            except LogError as exc:
                result.refused.append((index, exc))
                continue
            result.written.append(done)
            result.accepted.append(index)
        if dry_run or not result.written or (result.refused and not partial):
            return result
        _replace_unchanged(path, raw, text.encode("utf-8"))
        result.saved = True
    return result


def exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system or
    the file system cannot (then nothing was done)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28, musl before 1.2.5?)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _replace_unchanged(path: Path, raw: bytes, data: bytes) -> None:
    """Write `data` over the plan read as `raw`, unless someone changed it meanwhile.

    Another program does not take kehoach's lock. Its change is never lost, and the entry
    is refused (`log-changed`) so that the user runs the command again:
    - the new file and the plan swap places in one step (Linux's RENAME_EXCHANGE), and what
      was swapped out must be the very file read, with the bytes read; if another program
      had saved its own file there (an editor's atomic save), the two are swapped back;
      where the system cannot swap, the same check runs just before a plain rename;
    - if it wrote into the old file while it was being replaced, that content is put back.
    """
    from kehoach.base.files import max_bytes

    def changed() -> LogError:
        return LogError("log-changed", {"path": str(path)})

    def content(fd: int) -> bytes:
        chunks, offset, limit = [], 0, max_bytes() + 1
        while offset < limit:
            chunk = os.pread(fd, 1 << 20, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise changed() from None
    try:
        if content(fd) != raw:
            raise changed()

        def same(place: str | Path) -> bool:  # `place` holds the file read, unchanged
            here, kept = os.stat(place), os.fstat(fd)
            return (here.st_dev, here.st_ino) == (kept.st_dev, kept.st_ino) and content(fd) == raw

        def swap_if_unchanged(tmp: str, target: Path) -> None:
            if not exchange(tmp, target):  # the system cannot swap: check, then rename
                if not same(target):
                    raise changed()
                os.replace(tmp, target)
                return
            if not same(tmp):  # what was in place was not the file read: put it back
                exchange(tmp, target)
                raise changed()
            os.unlink(tmp)  # the plan as it was read

        try:
            atomic_write_bytes(path, data, locked=True, rename=swap_if_unchanged)
        except OSError as exc:
            raise WriteError(path, exc) from None
        late = content(fd)
        if late != raw:  # written into the old file while it was being replaced: theirs wins
            try:
                atomic_write_bytes(path, late, locked=True)
            except OSError as exc:
                raise WriteError(path, exc) from None
            raise changed()
    finally:
        os.close(fd)


def _append_one(text: str, before: LoadedPlan, path: Path, task_id: str, entry: dict[str, Any]
                ) -> tuple[str, LoadedPlan, LogResult]:
    """The plan's text with one more entry, and the plan it now is; or a LogError saying why not."""
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest
    from kehoach.plan import checks
    from kehoach.plan.loader import load_text

    assert before.document is not None and before.plan is not None  # a valid plan has both
    data = before.document.data
    found = [p for p, t in checks.iter_raw_tasks(data) if t.get("id") == task_id]
    if not found:
        ids = [t.get("id") for _, t in checks.iter_raw_tasks(data)]
        near = suggest(task_id, [i for i in ids if isinstance(i, str)])
        raise LogError("log-unknown-task", {"id": task_id, "suggestion": near, "suggest": did_you_mean(near)})
    task = next(t for t, _ in before.plan.iter_tasks() if t.id == task_id)
    if task.subtasks:
        raise LogError("log-parent-task", {"id": task_id, "subtasks": ", ".join(s.id for s in task.subtasks)})
    entry = _resolve_body(before.plan, dict(entry))
    _refuse_repeat(before.plan, task, entry)
    new_text, line, new_lines = insert_entry(text, found[0], entry, before.document.root)
    before.document.root = None  # the old nodes go before the new text is read
    after = load_text(new_text, str(path), workdays=False, keep_nodes=True)
    old_warnings = {(d.code, d.message("en"), d.loc) for d in before.diagnostics}
    refused = [d for d in after.diagnostics
               if d.severity == "error" or (d.code, d.message("en"), d.loc) not in old_warnings]
    if refused or after.plan is None:
        raise LogError("log-invalid", {"id": task_id}, refused)
    new_task = next(t for t, _ in after.plan.iter_tasks() if t.id == task_id)
    if len(new_task.progress) != len(task.progress) + 1:
        raise LogError("log-layout", {"id": task_id})  # the splice lost or merged an entry
    return new_text, after, LogResult(path, task_id, entry, line, new_lines)


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
    owner = reporters.lead_of(entry.get("body"), node.lead)
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
    for ch in value:
        if (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") and ch not in "\t") or ch in BIDI:
            raise UsageError("control-character", {"option": option, "code": f"{ord(ch):04X}"})
    return value.strip()


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
