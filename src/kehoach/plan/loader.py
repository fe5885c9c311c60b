"""Loading a plan: text → located raw tree → validated model, with every problem
turned into a located diagnostic.

`load_plan(path)` never raises for bad input: it returns a `LoadedPlan` whose
`plan` is None when the plan is invalid, and whose `diagnostics` say why.
"""

from __future__ import annotations

import datetime as dt
import os
import typing
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import CheckResult, Diagnostic
from kehoach.base.messages import Msg, did_you_mean
from kehoach.base.text import nfc, suggest
from kehoach.plan import checks
from kehoach.plan.source import DataPath, Document, read_yaml

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from kehoach.plan.model import Plan


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


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or a diagnostic saying why they cannot be read: missing, a folder,
    not a regular file (a FIFO, a device), larger than the limit (kehoach.base.files)."""
    from kehoach.base.errors import NotRegularFile
    from kehoach.base.files import FileTooLarge, read_file

    name = str(path)
    try:
        return read_file(path), []
    except FileNotFoundError:
        return None, [Diagnostic("file-not-found", "error", params={"path": name}, file=name)]
    except IsADirectoryError:
        return None, [Diagnostic("file-unreadable", "error", file=name,
                                 params={"detail": Msg("detail.directory")})]
    except NotRegularFile:
        return None, [Diagnostic("file-unreadable", "error", file=name,
                                 params={"detail": Msg("detail.not-regular")})]
    except FileTooLarge as exc:
        return None, [Diagnostic("file-too-large", "error", file=name,
                                 params={"size": exc.size, "limit": exc.limit})]
    except OSError as exc:
        return None, [Diagnostic("file-unreadable", "error", file=name, params={"detail": exc.strerror or str(exc)})]


def read_text(path: str | os.PathLike[str]) -> tuple[str | None, list[Diagnostic]]:
    """The file's text (UTF-8, BOM allowed, line endings kept), or a diagnostic."""
    raw, problems = read_bytes(path)
    if raw is None:
        return None, problems
    return decode(raw, str(path))


def decode(raw: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text of a plan file, or a `not-utf8` diagnostic at the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic("not-utf8", "error", line, col, {"offset": exc.start}, file=name)]
    return text, []


def load_plan(path: str | os.PathLike[str], workdays: bool = True) -> LoadedPlan:
    """`workdays=False` skips the weekend/holiday warnings (and the holidays import)
    for commands that only need a valid plan. A plan read before from the very same bytes
    comes from the cache (kehoach.plan.cache) when it loaded without errors."""
    from kehoach.plan import cache

    name = str(path)
    raw, problems = read_bytes(path)
    if raw is None:
        return LoadedPlan(name, diagnostics=problems)
    hit = cache.get(raw, name, workdays)
    if hit is not None:
        hit.text = raw.decode("utf-8")
        return hit
    text, problems = decode(raw, name)
    if text is None:
        return LoadedPlan(name, diagnostics=problems)
    loaded = load_text(text, name, workdays)
    cache.put(raw, loaded, workdays)
    return loaded


def require_plan(path: str | os.PathLike[str]) -> LoadedPlan:
    """A plan file that loads without errors (its `.plan` set), or a KehoachError saying why not:
    a body catalogue given for a plan, or the plan's errors."""
    from kehoach.base.errors import KehoachError, UsageError

    loaded = load_plan(path, workdays=False)
    if loaded.catalogue:
        raise UsageError("catalogue-not-plan", {"path": str(path)})
    if not loaded.ok or loaded.plan is None:
        raise KehoachError("log-plan-invalid", {"path": str(path)},
                           [d for d in loaded.diagnostics if d.severity == "error"])
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
              keep_nodes: bool = False) -> LoadedPlan:
    """A plan from its text (`name` is the file name its diagnostics carry; `base` the file
    its `bodies_from` paths are relative to, `name` unless told); never raises for bad input:
    the diagnostics say what is wrong, and `.plan` is None when it is invalid. A body catalogue
    file (`bodies:` only) is checked as one: `.catalogue` is true and `.plan` None.

    The text is first read without noting where each value stands (a third of the time and
    most of the memory on a large plan); only when something is to be reported is it read
    again with every position, so that each message has its exact line and column."""
    quick = _load_text(text, name, workdays, base, keep_nodes, located=False)
    if quick.document is None or not quick.diagnostics:
        return quick
    return _load_text(text, name, workdays, base, keep_nodes, located=True)


def _load_text(text: str, name: str, workdays: bool, base: str | None, keep_nodes: bool,
               located: bool) -> LoadedPlan:
    from pydantic import ValidationError

    from kehoach.plan import catalogue as bodycatalogue
    from kehoach.plan.model import Plan

    loaded = LoadedPlan(name, text)
    doc, diags = read_yaml(text, keep_nodes, located)
    loaded.document = doc
    if doc is None:
        loaded.diagnostics = _place(diags, None, name)
        return loaded
    if not isinstance(doc.data, dict):
        loaded.diagnostics = _place(diags + [Diagnostic("not-a-mapping", "error")], doc, name)
        return loaded
    data: dict[str, Any] = doc.data
    if bodycatalogue.is_catalogue(data):
        loaded.catalogue = True
        diags += bodycatalogue.check_catalogue(data, doc, base or name)
        loaded.diagnostics = _place(_dedupe(diags), doc, name)
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
    try:
        plan = Plan.model_validate(_nfc_tree(data))
    except ValidationError as exc:
        plan = None
        diags += pydantic_diagnostics(exc, doc)
    diags += checks.run_all(doc.data, doc, known)
    if plan is not None and any(t.progress for t, _ in plan.iter_tasks()):
        from kehoach.plan.schedule import build_schedule

        diags += checks.check_progress_roles(plan, build_schedule(plan))
    if plan is not None and workdays:  # due dates on weekends and public holidays: warnings
        from kehoach.base.workdays import check_workdays
        diags += check_workdays(plan)
    loaded.diagnostics = _place(_dedupe(diags), doc, name)
    loaded.plan = plan
    return loaded


def _nfc_tree(value: Any) -> Any:
    """The raw tree with every text in NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    return value


def _place(diags: list[Diagnostic], doc: Document | None, name: str) -> list[Diagnostic]:
    """Give each diagnostic its file, line and column (from its path when it has one);
    at most `diagnostics.PER_CODE` of one kind (`diagnostics.cap`)."""
    from kehoach.base.diagnostics import cap

    diags = cap(diags)
    for d in diags:
        if d.file is not None and d.file != name:
            continue  # located already, in another file (a body catalogue)
        d.file = name
        if d.loc and doc is not None:
            key_codes = {"unknown-key", "duplicate-key"}
            d.line, d.col = doc.key_pos(d.loc) if d.code in key_codes else doc.value_pos(d.loc)
    return sorted(diags, key=Diagnostic.sort_key)


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

TYPE_NAMES = ("string", "int", "list", "dict", "model", "bool", "date", "float")  # type.<name> in the catalogue
EXAMPLES = ("list", "date", "int", "bool")  # example.<name>


def _type(name: str) -> Msg:
    return Msg(f"type.{name}")


def _example(name: str) -> Msg | str:
    return Msg(f"example.{name}") if name in EXAMPLES else ""


def _got(value: Any) -> Msg:
    """What the file holds where something else was expected, in words."""
    if value is None:
        return Msg("got.empty")
    if isinstance(value, bool):
        return Msg("got.bool")
    if isinstance(value, int):
        return Msg("got.number", {"value": value})
    if isinstance(value, str):
        return Msg("got.text", {"value": value[:40]})
    if isinstance(value, list):
        return Msg("got.list")
    if isinstance(value, dict):
        return Msg("got.mapping")
    return Msg("got.other", {"value": type(value).__name__})


def pydantic_diagnostics(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    """Each validation error as a diagnostic. Past `diagnostics.PER_CODE` unknown keys, only
    where each is, without a suggestion (they are counted, not shown: `diagnostics.cap`)."""
    from kehoach.base.diagnostics import PER_CODE

    out = []
    unknown = 0
    for err in exc.errors(include_url=False):
        loc = doc.data_path(err["loc"])
        if err["type"] == "extra_forbidden":
            unknown += 1
            if unknown > PER_CODE:
                out.append(Diagnostic("unknown-key", "error", params={"key": loc[-1] if loc else "?"}, loc=loc))
                continue
        out.append(_one(err, loc, doc))
    return out


def _key(loc: DataPath) -> str:
    for seg in reversed(loc):
        if isinstance(seg, str):
            return seg
    return "?"


def _one(err: ErrorDetails, loc: DataPath, doc: Document) -> Diagnostic:
    kind = err["type"]
    value = err.get("input")
    key = _key(loc)
    ctx = err.get("ctx") or {}

    def d(code: str, **params: object) -> Diagnostic:
        return Diagnostic(code, "error", params={"key": key, **params}, loc=loc)

    if kind == "extra_forbidden":
        allowed = sorted(_allowed_keys(err["loc"][:-1]))
        near = suggest(str(loc[-1]), allowed) if allowed else None
        return d(
            "unknown-key",
            key=loc[-1],
            allowed=", ".join(allowed) or "-",
            suggest=did_you_mean(near),
            suggestion=near,
        )
    if kind == "missing":
        return d("missing-key")
    blank = isinstance(value, str) and not value.strip()
    if kind == "string_too_short" or (kind == "string_pattern_mismatch" and blank):
        return d("empty-value")
    if kind == "too_short":
        return d("empty-list")
    if kind in ("string_too_long", "too_long"):
        size = len(value) if isinstance(value, (str, list)) else "?"
        return d("too-long", length=size, limit=ctx.get("max_length", "?"))
    if kind == "string_pattern_mismatch":
        return d("invalid-id", value=value)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if key == "percent":
            return d("percent-range", value=value)
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        return d("number-range", value=value, detail=f"{kind.replace('_', ' ')} {bound}")
    if kind in ("enum", "literal_error"):
        allowed = [a.strip(" '") for a in str(ctx.get("expected", "")).replace(" or ", ", ").split(",") if a.strip()]
        near = suggest(str(value), allowed) if allowed else None
        return d(
            "invalid-choice", value=value, allowed=", ".join(allowed),
            suggest=did_you_mean(near),
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return d("invalid-date", value=value)
        return d("wrong-type", expected=_type("date"), got=_got(value), example=_example("date"))
    if kind == "value_error":
        from kehoach.plan.model import CodedValueError

        error = ctx.get("error")
        if isinstance(error, CodedValueError):  # the model's own checks name their message
            return d(error.code, **error.params)
        return d("invalid-value", value=value, detail=str(error or err.get("msg", "")))
    if value is None and kind.endswith("_type"):
        return d("empty-value")
    for prefix in ("string", "int", "list", "dict", "model", "bool", "float", "date"):
        if kind.startswith(prefix):
            return d("wrong-type", expected=_type(prefix), got=_got(value), example=_example(prefix))
    if kind in ("model_attributes_type", "union_tag_invalid", "union_tag_not_found"):
        return d("wrong-type", expected=_type("dict"), got=_got(value), example="")
    return d("invalid-value", value=value, detail=err.get("msg", kind))


def _allowed_keys(loc: tuple[str | int, ...]) -> set[str]:
    """The keys the model accepts at a location (for 'did you mean …?')."""
    from pydantic import BaseModel

    from kehoach.plan.model import Plan

    current: Any = Plan
    for seg in loc:
        current = _step(current, seg)
        if current is None:
            return set()
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


# Type forms (classes, unions, Annotated[...]) as pydantic's fields hold them are untyped values here.
def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _tag_of(tp: Any) -> str | None:
    if typing.get_origin(tp) is typing.Annotated:
        for meta in typing.get_args(tp)[1:]:
            tag: str | None = getattr(meta, "tag", None)  # a pydantic Tag's name
            if tag:
                return tag
    return None


def _step(tp: Any, seg: str | int) -> Any:
    from pydantic import BaseModel

    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        options = typing.get_args(tp)
        for option in options:
            if _tag_of(option) == seg:
                return option
        for option in options:
            found = _step(option, seg)
            if found is not None:
                return found
        return None
    if origin is list:
        return typing.get_args(tp)[0] if isinstance(seg, int) else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(seg) if isinstance(seg, str) else None
        return info.annotation if info else None
    return None


def today() -> dt.date:
    """The clock is read here, at the edge, never inside the library's computations."""
    return dt.date.today()
