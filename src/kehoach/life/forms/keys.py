"""What a form is signed with, and what was collected before, both kept beside the plan.

The key (`.kehoach-key`, or the file $KEHOACH_FORM_KEY names) is made, readable by its
owner only, on the first `kehoach request`; it never goes into a form. `sign` is the
HMAC-SHA256 of a form's hidden sheet with it: `collect` refuses a form whose sheet was
edited or made by another office. The ledger (`.kehoach-forms.json`) lists the forms
`collect` recorded (body, period, when saved, a digest of the answers), so that an older
version of a form arriving in a later batch is told from a newer one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from kehoach.life.forms.screen import FormError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kehoach.plan.model import Progress

KEY_FILE = ".kehoach-key"  # beside the plan; never in a form, never mailed
LEDGER_FILE = ".kehoach-forms.json"  # the forms collected (body, period, when saved), beside the key


def key_path(plan_path: str | os.PathLike[str]) -> Path:
    """Where the key that signs the plan's forms is kept: $KEHOACH_FORM_KEY (a file), else
    `.kehoach-key` in the plan's folder."""
    named = os.environ.get("KEHOACH_FORM_KEY", "").strip()
    return Path(named) if named else Path(plan_path).resolve().parent / KEY_FILE


def form_key(plan_path: str | os.PathLike[str], create: bool = False) -> bytes | None:
    """The plan owner's key (made, readable by its owner only, on the first `request`), or None
    when there is none and `create` is false."""
    from kehoach.base.errors import NotRegularFile
    from kehoach.base.files import FileTooLarge, read_file
    from kehoach.base.messages import Msg

    path = key_path(plan_path)
    try:  # a regular file of a few bytes: a FIFO, a device or a huge file is refused, never waited on
        words = read_file(path, limit=1024).decode("ascii").strip()
        if re.fullmatch(r"[0-9a-f]{64}", words):
            return bytes.fromhex(words)
        raise FormError("form-key-damaged", {"path": str(path)})
    except FileNotFoundError:
        if path.is_symlink():  # a link to nothing: making the key there would follow it
            raise FormError("form-key-unreadable", {"path": str(path), "detail": Msg("detail.dangling-link")}) from None
        if not create:
            return None
    except (NotRegularFile, FileTooLarge, IsADirectoryError):
        raise FormError("form-key-damaged", {"path": str(path)}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError("form-key-unreadable",
                        {"path": str(path), "detail": getattr(exc, "strerror", "") or str(exc)}) from None
    import secrets

    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
    except FileExistsError:  # made meanwhile by another run: use that one
        return form_key(plan_path)
    except OSError as exc:
        raise FormError("form-key-unwritable", {"path": str(path), "detail": exc.strerror or str(exc)}) from None
    return key


def key_unignored(path: Path) -> bool:
    """Whether the key lies in a git repository that does not ignore it: a `git add -A` would
    commit it, and with it the power to sign forms for anyone who can read the repository. (git
    asked, never the network; no git or no repository: False.)"""
    import subprocess

    from kehoach.base.gitcmd import git_argv, git_env

    folder = path.parent
    if not any((p / ".git").exists() for p in (folder, *folder.parents)):
        return False
    try:
        done = subprocess.run(git_argv("-C", str(folder), "check-ignore", "-q", "--", path.name), env=git_env(),
                              capture_output=True, timeout=10, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 1


def ledger_path(plan_path: str | os.PathLike[str]) -> Path:
    """The list of forms collected for the plans of a folder: beside the key."""
    return key_path(plan_path).with_name(LEDGER_FILE)


def read_ledger(plan_path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The forms collected before (none when the list is missing or unreadable: `add_to_ledger`
    then leaves it as it is, and says so): each a record of text values; of a form collected,
    `entries` lists the entries written from it, "task=digest" set apart by spaces (text, so that
    an older kehoach keeps the record), read back as [task id, digest] pairs (a malformed one left
    out)."""
    return _ledger(plan_path)[0]


def _ledger(plan_path: str | os.PathLike[str]) -> tuple[list[dict[str, Any]], bool]:
    """The list's records, and whether it may be written over: missing, or a regular file (not a
    link) that was read whole as a list. A link (to the plan itself, say), a damaged or foreign
    file is never replaced: what it holds is not ours to lose."""
    from kehoach.base.files import read_file

    path = ledger_path(plan_path)
    if os.path.islink(path):
        return [], False
    try:  # a list kept beside the plan: read as any file from outside (regular, bounded, its records text)
        data = json.loads(read_file(path).decode("utf-8"))
    except FileNotFoundError:
        return [], True
    except (OSError, ValueError, RecursionError):
        return [], False
    if not isinstance(data, list):
        return [], False
    out: list[dict[str, Any]] = []
    for r in data:
        if not isinstance(r, dict) or not all(isinstance(v, str) for v in r.values()):
            continue
        if "entries" in r:
            r["entries"] = [item.rsplit("=", 1) for item in r["entries"].split() if "=" in item]
        out.append(r)
    return out, True


def entry_digest(task_id: str, entry: Progress | dict[str, Any]) -> str:
    """An entry as the ledger knows it: its task, date, body, period, kind, words and percent."""
    from kehoach.base.text import nfc

    if isinstance(entry, dict):
        fields = (entry["date"], entry.get("body"), entry.get("occurrence"), entry.get("kind") or "result",
                  entry["note"], entry.get("percent"))
    else:
        fields = (entry.date, entry.body, entry.occurrence, str(entry.kind), entry.note, entry.percent)
    date, body, occurrence, kind, note, percent = fields
    said = repr((task_id, date.isoformat(), body, occurrence, kind, nfc(note), percent))
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:20]


def replaced_entries(plan_path: str | os.PathLike[str],
                     plan_id: str) -> dict[tuple[str, str], frozenset[tuple[str, str]]]:
    """The entries (task, digest) an earlier version of a returned form wrote in plan `plan_id`,
    where a later version of the same form (its body and period) was collected after it, each with
    the entries the later versions wrote: what a corrected form may have replaced or taken out
    (`kehoach collect`), which `diff` then names as such rather than as history rewritten."""
    versions: dict[tuple[str, str], list[list[tuple[str, str]]]] = {}
    for r in read_ledger(plan_path):
        if r.get("plan") == plan_id and "collected" in r and isinstance(r.get("entries"), list):
            versions.setdefault((r.get("body", ""), r.get("period", "")), []).append(
                [(task, digest) for task, digest in r["entries"]])
    out: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}
    for written in versions.values():
        for i, entries in enumerate(written[:-1]):
            later = frozenset(pair for more in written[i + 1:] for pair in more)
            for pair in entries:
                out[pair] = out.get(pair, frozenset()) | later
    return out


def add_to_ledger(plan_path: str | os.PathLike[str], records: list[dict[str, Any]]) -> bool:
    """Record forms collected (atomically, never through a link); False when the list could not be
    written, or is left as it is (a link, a damaged or foreign file): for the caller to say, not
    fatal."""
    from kehoach.base.files import atomic_write_bytes

    path = ledger_path(plan_path)
    old, writable = _ledger(plan_path)
    if not writable:
        return False
    data = [{**r, "entries": " ".join(f"{task}={digest}" for task, digest in r["entries"])}
            if isinstance(r.get("entries"), list) else r for r in old + records]
    try:
        atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), follow=False)
    except OSError:
        return False
    return True


def sign(key: bytes, pairs: list[tuple[str, str]], rows: list[list[str]]) -> str:
    """The HMAC-SHA256 of a form's hidden sheet (as stored: the text a cell keeps)."""
    import hmac

    from kehoach.base.text import printable

    data = json.dumps([[printable(v) for v in pair] for pair in pairs if pair[0] != "signature"]
                      + [[printable(v) for v in row] for row in rows], ensure_ascii=False)
    return hmac.new(key, data.encode("utf-8"), hashlib.sha256).hexdigest()

