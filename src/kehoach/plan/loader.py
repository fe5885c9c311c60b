"""Loading a plan: text → located raw tree → validated model, with every problem
turned into a located diagnostic.

`load_plan(path)` never raises for bad input: it returns a `LoadedPlan` whose
`plan` is None when the plan is invalid, and whose `diagnostics` say why.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import CheckResult, DataPath, Diagnostic
from kehoach.base.files import decode, read_bytes
from kehoach.base.text import nfc
from kehoach.plan import checks
from kehoach.plan.problems import place, pydantic_diagnostics
from kehoach.plan.source import Document, read_yaml

if TYPE_CHECKING:
    from kehoach.plan.model import Body, Plan


@dataclass
class LoadedPlan:
    path: str
    text: str | None = None
    document: Document | None = None
    plan: Plan | None = None  # None when the plan is invalid
    diagnostics: list[Diagnostic] = field(default_factory=list)
    catalogue: bool = False  # the file is a body catalogue (`bodies:` only), not a plan
    catalogues: list[str] = field(default_factory=list)  # the catalogue files its bodies come from

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(d.severity == "error" for d in self.diagnostics)

    def result(self) -> CheckResult:
        return CheckResult(list(self.diagnostics), [self.path])


def load_plan(path: str | os.PathLike[str], workdays: bool = True) -> LoadedPlan:
    """`workdays=False` skips the weekend/holiday warnings (and the holidays import)
    for commands that only need a valid plan. A plan read before from the very same bytes
    comes from the cache (kehoach.plan.cache) when it loaded without errors."""
    from kehoach.plan import cache

    name = str(path)
    raw, problems = read_bytes(path)
    if raw is None:
        return LoadedPlan(name, diagnostics=problems)
    key = cache.content(raw) if cache.enabled() else None
    hit = cache.get(key, name, workdays, LoadedPlan) if key is not None else None
    if isinstance(hit, LoadedPlan):
        hit.text = raw.decode("utf-8")
        return hit
    text, problems = decode(raw, name)
    if text is None:
        return LoadedPlan(name, diagnostics=problems)
    del raw  # the bytes are not needed while the text is read (9 MB on the largest plans)
    loaded = load_text(text, name, workdays, keep_tree=False)
    if key is not None:
        cache.put(key, loaded, workdays)
    return loaded


def require_plan(path: str | os.PathLike[str]) -> LoadedPlan:
    """A plan file that loads without errors (its `.plan` set), or a KehoachError saying why not:
    a body catalogue given for a plan, or the plan's errors."""
    from kehoach.base.diagnostics import UNREADABLE
    from kehoach.base.errors import KehoachError, UsageError

    loaded = load_plan(path, workdays=False)
    if loaded.catalogue:
        raise UsageError("catalogue-not-plan", {"path": str(path)})
    if not loaded.ok or loaded.plan is None:
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        if errors and errors[0].code in UNREADABLE:  # no such file, a folder, too large: said as it is
            raise UsageError(errors[0].code, errors[0].params)
        raise KehoachError("log-plan-invalid", {"path": str(path)}, errors)
    return loaded


def check_files(paths: Iterable[str | os.PathLike[str]], strict: bool = False) -> CheckResult:
    """Every problem of each plan file, as `kehoach check` shows them (with `strict`, warnings
    count as errors)."""
    result = CheckResult()
    for path in paths:
        result.files.append(str(path))
        result.extend(load_plan(path).diagnostics)
    return result.strict() if strict else result


def load_text(text: str, name: str = "<plan>", workdays: bool = True, base: str | None = None,
              keep_nodes: bool = False, keep_tree: bool = True) -> LoadedPlan:
    """A plan from its text (`name` is the file name its diagnostics carry; `base` the file
    its `bodies_from` paths are relative to, `name` unless told); never raises for bad input:
    the diagnostics say what is wrong, and `.plan` is None when it is invalid. A body catalogue
    file (`bodies:` only) is checked as one: `.catalogue` is true and `.plan` None.

    The text is first read without noting where each value stands (a third of the time and
    most of the memory on a large plan); only when something is to be reported is it read
    again with every position, so that each message has its exact line and column.

    Without `keep_tree`, `.document` (the raw tree) is None: it is let go as soon as the checks
    that read it are done (a plan of 10,000 tasks holds tens of MB in it)."""
    quick = _load_text(text, name, workdays, base, keep_nodes, located=False, keep_tree=keep_tree)
    if not quick.diagnostics or (quick.document is None and quick.plan is None):  # none, or the YAML's own
        return quick
    # the second reading lays the positions over the first one's tree and keeps its plan (where a
    # value stands changes neither)
    tree = quick.document.data if quick.document is not None else None
    valid = quick.plan
    del quick
    return _load_text(text, name, workdays, base, keep_nodes, located=True, keep_tree=keep_tree, tree=tree,
                      valid=valid)


def _load_text(text: str, name: str, workdays: bool, base: str | None, keep_nodes: bool,
               located: bool, keep_tree: bool = True, tree: Any = None, valid: Plan | None = None) -> LoadedPlan:
    """One reading of the plan (`load_text`). The second, located, is given what the first made
    of the same text: its `tree` (the positions are laid over it rather than a tree made again)
    and its plan when it was `valid` (not validated again). On a plan of 10,000 tasks the tree is
    45 MiB, the plan 27, the positions 4."""
    from pydantic import ValidationError

    from kehoach.plan import catalogue as bodycatalogue
    from kehoach.plan.model import Plan

    loaded = LoadedPlan(name, text)
    doc, diags = read_yaml(text, keep_nodes, located, tree)
    loaded.document = doc
    if doc is None:
        loaded.diagnostics = place(diags, None, name)
        return loaded
    if not isinstance(doc.data, dict):
        loaded.diagnostics = place(diags + [Diagnostic("not-a-mapping", "error")], doc, name)
        return loaded
    data: dict[str, Any] = doc.data
    if bodycatalogue.is_catalogue(data):
        loaded.catalogue = True
        diags += bodycatalogue.check_catalogue(data, doc, base or name)
        loaded.diagnostics = place(_dedupe(diags), doc, name)
        return loaded
    known: dict[str, AbstractSet[str]] | None = None
    if bodycatalogue.KEY in data:  # the bodies of a shared catalogue, after the plan's own
        resolved = bodycatalogue.resolve(data, doc, base or name)
        loaded.catalogues = resolved.files
        diags += resolved.diagnostics + bodycatalogue.duplicates(data, resolved)
        # a catalogue that could not be read: which bodies exist is unknown, so none is called undefined
        known = {"body": set(resolved.origin)} if resolved.complete else {"body": checks.ANY}
        own = data.get("bodies")
        data = {**data, "bodies": (own if isinstance(own, list) else []) + resolved.bodies}
    clean = checks.text_is_clean(text)
    plan: Plan | None = valid  # the first reading's, when it was valid
    if plan is None:
        try:
            # the file's own tree is in NFC already when its text is (and has no escape)
            plan = Plan.model_validate(data if data is doc.data and clean else _nfc_tree(data))
        except ValidationError as exc:
            diags += pydantic_diagnostics(exc, doc)
    diags += checks.run_all(doc.data, doc, known, text, clean)
    diags += checks.check_draft(doc.data, _bodies_of(data), text)
    if not located:
        if diags:  # to be read again with every position (load_text): nothing more to learn here
            loaded.diagnostics, loaded.plan = diags, plan
            return loaded
        if not keep_tree:  # nothing to place so far, and anything said below is placed by a second reading
            loaded.document = doc = None
            del data
    if plan is not None:
        diags += _schedule_checks(plan, workdays)
    loaded.diagnostics = place(_dedupe(diags), doc, name)
    loaded.plan = plan
    if not keep_tree:
        loaded.document = None
    return loaded


def _schedule_checks(plan: Plan, workdays: bool) -> list[Diagnostic]:
    """The checks of a valid plan's schedule: who reported progress (when any was) and, with
    `workdays`, due dates on weekends and public holidays (warnings). Unplaced."""
    progress = any(t.progress or t.carried_over is not None for t, _ in plan.iter_tasks())  # who reported, from where
    if not progress and not workdays:
        return []
    from kehoach.plan.schedule import build_schedule

    diags: list[Diagnostic] = []
    schedule = build_schedule(plan)
    if progress:
        diags += checks.check_progress_roles(plan, schedule)
    if workdays:
        diags += checks.check_workdays(plan, schedule)
    schedule.release()
    return diags


def _bodies_of(data: dict[str, Any]) -> list[Any]:
    bodies = data.get("bodies")
    return bodies if isinstance(bodies, list) else []


def _nfc_tree(value: Any) -> Any:
    """The raw tree with every text in NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    return value


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str, DataPath, int, int, tuple[str, ...]]] = set()
    out: list[Diagnostic] = []
    for d in diags:
        key = (d.file or "", d.code, d.loc, d.line, d.col, tuple(sorted(map(str, d.params.items()))))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# ---------------------------------------------------------------- pydantic errors → diagnostics


def load_bodies(path: str | os.PathLike[str]) -> tuple[list[Body], list[Diagnostic]]:
    """The bodies of a catalogue file or of a plan file (its own and its catalogues'), or the
    errors that keep them from being read."""
    from kehoach.plan.catalogue import resolve
    from kehoach.plan.model import Body as BodyModel

    loaded = load_plan(path, workdays=False)
    errors = [d for d in loaded.diagnostics if d.severity == "error"]
    if errors:
        return [], errors
    if loaded.plan is not None:
        return list(loaded.plan.bodies), []
    doc, _ = read_yaml(loaded.text or "")
    assert doc is not None and isinstance(doc.data, dict)  # a catalogue without errors
    resolved = resolve(doc.data, doc, str(path))
    return [BodyModel.model_validate(b) for b in list(doc.data.get("bodies") or []) + resolved.bodies], []
