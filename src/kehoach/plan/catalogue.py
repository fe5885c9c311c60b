"""A body catalogue shared by many plans: `bodies_from: ../bodies/quang-ngai.yaml`.

The province's departments, districts and mass organisations are the same in
every plan; a catalogue file holds them once (`bodies:`, and its own
`bodies_from:` if it builds on another), and each plan names it, relative to
the plan's folder; a plan file may serve as one (its bodies are taken). The
plan's bodies are its own and then the catalogue's.

Every problem is a diagnostic at its line in the file where it occurs: a
missing file or a cycle at the `bodies_from` value that names it; a mistake in
a body in the catalogue file; a body of the plan that the catalogue already
has at the plan's body. A catalogue file is read once per process however many
plans name it (the cache is keyed on the file's path, size and modification).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import Diagnostic

if TYPE_CHECKING:
    from kehoach.base.diagnostics import DataPath
    from kehoach.plan.source import Document

KEY = "bodies_from"


@dataclass
class Resolved:
    """The bodies a plan takes from its catalogues (raw mappings, each valid), where each
    was defined, the catalogue files read, and what was wrong."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    origin: dict[str, tuple[str, int]] = field(default_factory=dict)  # body id → (file, line)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    complete: bool = True  # every catalogue named was read: a body not found is then undefined


@dataclass
class _File:
    """One catalogue file as read: its valid bodies and its problems (both without what its own
    `bodies_from` brings)."""

    path: str
    data: dict[str, Any] | None
    doc: Document | None
    bodies: list[tuple[dict[str, Any], int]]  # (raw body, line)
    diagnostics: list[Diagnostic]


def targets(value: object) -> list[tuple[str, tuple[str | int, ...]]]:
    """(path as written, its place under the key) of a `bodies_from` value; none for a value
    of the wrong shape (the model reports it)."""
    if isinstance(value, str) and value.strip():
        return [(value, ())]
    if isinstance(value, list):
        return [(v, (i,)) for i, v in enumerate(value) if isinstance(v, str) and v.strip()]
    return []


def is_catalogue(data: object) -> bool:
    """A file holding only bodies (and `bodies_from`): a catalogue, not a plan."""
    return isinstance(data, dict) and "bodies" in data and "plan" not in data and set(data) <= {"bodies", KEY}


def resolve(data: dict[str, Any], doc: Document, name: str) -> Resolved:
    """The bodies `data` (a plan or a catalogue read from the file `name`) takes from the
    catalogues it names, transitively; problems located where they occur."""
    out = Resolved()
    _walk(data, doc, name, [_real(name)], out)
    return out


def _real(name: str) -> str:
    return os.path.realpath(name) if name and not name.startswith("<") else name


def _walk(data: dict[str, Any], doc: Document, name: str, chain: list[str], out: Resolved) -> None:
    """Add to `out` the bodies of the catalogues `data` names: each catalogue's own catalogues
    first, then its bodies, a body one of them already has reported in the file that repeats it."""
    from kehoach.plan.problems import place

    base = Path(name).parent if name and not name.startswith("<") else Path(".")
    for written, sub in targets(data.get(KEY)):
        loc: DataPath = (KEY, *sub)
        line, col = doc.value_pos(loc)
        path = Path(os.path.normpath(base / written))
        real = os.path.realpath(path)
        if real in chain:
            out.diagnostics.append(Diagnostic("bodies-from-cycle", "error", line, col,
                                              {"path": written, "chain": " → ".join(_shown(chain + [real]))},
                                              file=name, loc=loc))
            out.complete = False
            continue
        if not path.is_file():  # a folder, a device or a pipe is there, but is no catalogue
            code = "bodies-from-not-file" if os.path.lexists(path) else "bodies-from-missing"
            out.diagnostics.append(Diagnostic(code, "error", line, col,
                                              {"path": written, "resolved": str(path)}, file=name, loc=loc))
            out.complete = False
            continue
        read = _read(str(path))
        if read.path in out.files:
            continue  # named twice (two catalogues build on one): read once
        out.files.append(read.path)
        out.diagnostics += read.diagnostics
        if read.data is None or read.doc is None:
            out.complete = False
            continue
        at = len(out.bodies)  # this file's bodies go before those of the catalogues it builds on
        _walk(read.data, read.doc, read.path, chain + [real], out)
        repeated = duplicates(read.data, out)
        if out.complete:
            repeated += body_references(read.data, out, read.bodies)
        out.diagnostics += place(repeated, read.doc, read.path)
        mine = []
        for body, body_line in read.bodies:
            ident = str(body["id"])
            if ident not in out.origin:
                out.origin[ident] = (read.path, body_line)
                mine.append(copy.deepcopy(body))
        out.bodies[at:at] = mine


def _shown(chain: list[str]) -> list[str]:
    here = os.getcwd()
    return [os.path.relpath(p, here) if p.startswith(here) else p for p in chain]


def _read(path: str) -> _File:
    """A catalogue file, read and checked once per version of it."""
    try:
        st = os.stat(path)
        key = (os.path.realpath(path), st.st_size, st.st_mtime_ns)
    except OSError:
        key = (path, -1, -1)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _CACHE[key] = _read_uncached(path)
    return cached


_CACHE: dict[tuple[str, int, int], _File] = {}


def _read_uncached(path: str) -> _File:
    from pydantic import ValidationError

    from kehoach.base.files import read_text
    from kehoach.plan.model import Body
    from kehoach.plan.problems import place
    from kehoach.plan.source import read_yaml

    text, problems = read_text(path)
    if text is None:
        return _File(path, None, None, [], problems)
    doc, diags = read_yaml(text)
    if doc is None:
        return _File(path, None, None, [], place(diags, None, path))
    if not isinstance(doc.data, dict):
        return _File(path, None, doc, [], place(diags + [Diagnostic("not-a-mapping", "error")], doc, path))
    data: dict[str, Any] = doc.data
    bodies: list[tuple[dict[str, Any], int]] = []
    raw = data.get("bodies")
    for i, body in enumerate(raw if isinstance(raw, list) else []):
        try:
            Body.model_validate(body)
        except ValidationError:
            continue  # reported by own_problems
        bodies.append((body, doc.value_pos(("bodies", i))[0]))
    return _File(path, data, doc, bodies, place(diags + own_problems(data, doc), doc, path))


def own_problems(data: dict[str, Any], doc: Document) -> list[Diagnostic]:
    """The problems of a catalogue file in itself (not yet located): its shape, its ids, its text."""
    from pydantic import ValidationError

    from kehoach.plan import checks
    from kehoach.plan.model import BodyCatalogue
    from kehoach.plan.problems import pydantic_diagnostics

    if "plan" in data:  # a plan named as a catalogue (a district plan taking the province's bodies)
        data = {k: data[k] for k in ("bodies", KEY) if k in data}
    diags: list[Diagnostic] = []
    try:
        BodyCatalogue.model_validate(data)
    except ValidationError as exc:
        diags += pydantic_diagnostics(exc, doc)
    return diags + checks.check_ids(data, doc) + checks.check_text(data) + checks.check_to_fill(data)


def check_catalogue(data: dict[str, Any], doc: Document, name: str) -> list[Diagnostic]:
    """Every problem of a catalogue file (`kehoach check bodies/quang-ngai.yaml`): its own (not
    yet located), those of the catalogues it builds on (located in theirs), a body that one of
    them already has, and its bodies' parents and members among all the bodies it can see."""
    resolved = resolve(data, doc, name)
    raw = data.get("bodies")
    own = [(b, 0) for b in raw if isinstance(b, dict)] if isinstance(raw, list) else []
    return (own_problems(data, doc) + resolved.diagnostics + duplicates(data, resolved)
            + (body_references(data, resolved, own) if resolved.complete else []))


def duplicates(data: dict[str, Any], resolved: Resolved) -> list[Diagnostic]:
    """A body of this file that a catalogue it names already has: at this file's body."""
    out = []
    raw = data.get("bodies")
    for i, body in enumerate(raw if isinstance(raw, list) else []):
        ident = body.get("id") if isinstance(body, dict) else None
        if isinstance(ident, str) and ident in resolved.origin:
            where, line = resolved.origin[ident]
            out.append(Diagnostic("bodies-from-duplicate", "error", params={
                "id": ident, "file": _shown([where])[0], "line": line}, loc=("bodies", i, "id")))
    return out


def body_references(data: dict[str, Any], resolved: Resolved, own: list[tuple[dict[str, Any], int]]
                    ) -> list[Diagnostic]:
    """A catalogue's bodies name their parent and members among its own bodies and those of the
    catalogues it builds on."""
    from kehoach.plan import checks

    visible = set(resolved.origin) | {str(b.get("id")) for b, _ in own}
    return checks.check_references({"bodies": data.get("bodies")}, {"body": visible})
