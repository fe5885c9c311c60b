"""A validated plan as plain objects: the same fields, names and values as the models of
`plan.model`, in small slotted classes that need no pydantic to be read back.

The plan cache keeps a valid plan this way too (`plan.cache`), so that `kehoach status` on a plan
read before imports neither pydantic nor the YAML parser: `load_plan(path)` here gives the plan
as plain objects, from the cache when the file's bytes are the same, else read by
`plan.loader.load_plan` (and then kept).

What a plain plan answers: every field of every model (`plan.tasks[0].progress[0].note`), the
enums of `plan.kinds` as the models hold them, the typed deadlines of `base.deadlines`,
`Plan.convention` and `Plan.iter_tasks()`, and equality field by field. What it does not: the
pydantic API (`model_dump`, `model_copy`, validation on assignment, the JSON schema); a command
that writes or converts a plan reads it with `plan.loader` instead.

Pure values; importing this module imports no pydantic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from kehoach.base.diagnostics import CheckResult, Diagnostic
from kehoach.plan import kinds

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

    from kehoach.base.deadlines import Deadline
    from kehoach.plan.kinds import BodyKind, Convention, DoneRule, Every, ProgressKind


class _Plain:
    """Fields in the order of the model's, set by position."""

    __slots__: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()  # the last slots: the model's properties, not its fields

    def __init__(self, *values: object):
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # as the models: equal by value, so not hashable

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


class Period(_Plain):
    __slots__ = ("start", "end")
    start: dt.date
    end: dt.date


class PlanInfo(_Plain):
    __slots__ = ("id", "number", "type", "title", "issued", "place", "issuers", "header", "period", "theme",
                 "implements", "uncertain", "draft")
    id: str
    number: str | None
    type: str
    title: str
    issued: dt.date | None
    place: str | None
    issuers: list[str]
    header: list[str]
    period: Period
    theme: str | None
    implements: list[str]
    uncertain: dict[str, str]
    draft: bool


class Body(_Plain):
    __slots__ = ("id", "name", "short", "kind", "parent", "members", "note")
    id: str
    name: str
    short: str | None
    kind: BodyKind
    parent: str | None
    members: list[str]
    note: str | None


class Reference(_Plain):
    __slots__ = ("id", "number", "date", "issuer", "title", "kind")
    id: str
    number: str
    date: dt.date | None
    issuer: str
    title: str
    kind: str | None


class Objective(_Plain):
    __slots__ = ("id", "text")
    id: str
    text: str


class Section(_Plain):
    __slots__ = ("id", "title")
    id: str
    title: str


class Progress(_Plain):
    __slots__ = ("date", "percent", "note", "body", "by", "kind", "evidence", "occurrence")
    date: dt.date
    percent: int | None
    note: str
    body: str | None
    by: str | None
    kind: ProgressKind
    evidence: str | None
    occurrence: str | None


class CarriedOver(_Plain):
    __slots__ = ("plan", "deadline", "percent", "note", "leads", "old")
    derived = ("old",)  # not the model's fields: what the model worked out of them (its properties)
    plan: str
    deadline: str
    percent: int
    note: str | None
    leads: dict[str, int]
    old: Deadline | None


class Task(_Plain):
    __slots__ = ("id", "title", "description", "section", "lead", "support", "objectives", "references",
                 "deadline", "deliverables", "topics", "done_when", "suspended", "carried_over", "subtasks",
                 "progress")
    id: str
    title: str
    description: str | None
    section: str | None
    lead: list[str]
    support: list[str]
    objectives: list[str]
    references: list[str]
    deadline: Deadline | None
    deliverables: list[str]
    topics: list[str]
    done_when: DoneRule | None
    suspended: bool
    carried_over: CarriedOver | None
    subtasks: list[Task]
    progress: list[Progress]


class Cadence(_Plain):
    __slots__ = ("id", "name", "every", "periods", "days_after", "task", "note", "drafting")
    id: str
    name: str
    every: Every | None
    periods: list[str] | None
    days_after: int
    task: str | None
    note: str | None
    drafting: list[str]


class Topic(_Plain):
    __slots__ = ("id", "name")
    id: str
    name: str


class Recipient(_Plain):
    __slots__ = ("name", "purpose")
    name: str
    purpose: str | None


class Reporting(_Plain):
    __slots__ = ("convention", "two_way", "cadences", "topics", "done_when", "standing", "recipients")
    convention: Convention
    two_way: bool
    cadences: list[Cadence]
    topics: list[Topic]
    done_when: DoneRule
    standing: dict[str, list[str]]
    recipients: list[Recipient | str] | None


class Meeting(_Plain):
    __slots__ = ("id", "name", "when", "task", "note")
    id: str
    name: str
    when: Deadline
    task: str | None
    note: str | None


class Signer(_Plain):
    __slots__ = ("body", "authority", "title", "name")
    body: str
    authority: str | None
    title: str
    name: str


class Holiday(_Plain):
    __slots__ = ("date", "name", "off")
    date: dt.date
    name: str
    off: bool


class Plan(_Plain):
    __slots__ = ("plan", "sections", "bodies_from", "bodies", "references", "objectives", "tasks", "reporting",
                 "meetings", "recipients", "signers", "holidays")
    plan: PlanInfo
    sections: list[Section]
    bodies_from: str | list[str] | None
    bodies: list[Body]
    references: list[Reference]
    objectives: list[Objective]
    tasks: list[Task]
    reporting: Reporting
    meetings: list[Meeting]
    recipients: list[Recipient | str]
    signers: list[Signer]
    holidays: list[Holiday]

    @property
    def convention(self) -> str:
        """The reporting period convention: `calendar` or `nd09`."""
        return kinds.convention(self)

    def iter_tasks(self) -> Iterator[tuple[Task, Task | None]]:
        """Every task and subtask, depth first, with its parent (None at the top)."""
        return kinds.iter_tasks(self)


CLASSES: dict[str, type[_Plain]] = {c.__name__: c for c in (
    Period, PlanInfo, Body, Reference, Objective, Section, Progress, CarriedOver, Task, Cadence, Topic,
    Recipient, Reporting, Meeting, Signer, Holiday, Plan)}


def from_model(value: Any, same: dict[object, object] | None = None) -> Any:
    """A validated model (`plan.model.Plan`, or any part of one) as plain objects, field by field;
    lists and mappings copied, every other value (text, dates, enums, deadlines) kept as it is,
    equal immutable values (a date, a deadline, an id) held once."""
    same = {} if same is None else same
    cls = CLASSES.get(type(value).__name__) if hasattr(type(value), "model_fields") else None
    if cls is not None:
        if (*type(value).model_fields, *cls.derived) != cls.__slots__:  # pragma: no cover - tests keep them in step
            raise TypeError(f"plain.{cls.__name__} lacks the fields of the model")
        return cls(*(from_model(getattr(value, name), same) for name in cls.__slots__))
    if isinstance(value, list):
        return [from_model(v, same) for v in value]
    if isinstance(value, dict):
        return {from_model(k, same): from_model(v, same) for k, v in value.items()}
    if isinstance(value, str) and len(value) > 64:
        return value
    try:
        return same.setdefault((type(value), value), value)
    except TypeError:  # pragma: no cover - every value of a plan is hashable
        return value


class LoadedPlain:
    """A valid plan file read as plain objects: what `plan.loader.LoadedPlan` says of it (its
    path, text, warnings and the catalogues its bodies come from), with `plan` a plain `Plan`.
    The text is decoded from the file's bytes when it is first asked for."""

    __slots__ = ("path", "_raw", "_text", "plan", "diagnostics", "catalogues")
    document = None  # the located tree is never kept
    plan_type = Plan  # what the cache accepts as its plan
    catalogue = False  # a body catalogue file is never kept as a plan

    def __init__(self, path: str, text: str | None, plan: Plan, diagnostics: list[Diagnostic],
                 catalogues: list[str], raw: bytes | None = None):
        self.path = path
        self._text = text
        self._raw = raw
        self.plan = plan
        self.diagnostics = diagnostics
        self.catalogues = catalogues

    def __reduce__(self) -> tuple[type[LoadedPlain], tuple[object, ...]]:
        return LoadedPlain, (self.path, None, self.plan, self.diagnostics, self.catalogues)

    @property
    def text(self) -> str | None:
        if self._text is None and self._raw is not None:
            self._text, self._raw = self._raw.decode("utf-8"), None
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text, self._raw = value, None

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def result(self) -> CheckResult:
        return CheckResult(list(self.diagnostics), [self.path])


def load_plan(path: str | os.PathLike[str], workdays: bool = False) -> Any:
    """The plan file at `path` as `plan.loader.load_plan` reads it, its plan as plain objects when
    it is valid (a `LoadedPlain`); a plan the cache kept from these very bytes is read back with
    neither pydantic nor the YAML parser imported. A file that is unreadable, invalid or a body
    catalogue comes back as the loader's `LoadedPlan`, with its diagnostics; so does every plan
    when the cache is off (`--no-cache`, a program calling the library), read as it always is."""
    from kehoach.base.files import read_bytes
    from kehoach.plan import cache

    if not cache.enabled():
        from kehoach.plan.loader import load_plan as read

        return read(path, workdays)
    name = str(path)
    raw, problems = read_bytes(path)
    key = cache.content(raw) if raw is not None else ""
    if raw is not None:
        hit = cache.get(key, name, workdays, LoadedPlain, plain=True)
        if isinstance(hit, LoadedPlain):
            hit._raw = raw  # the file's text, decoded if it is asked for
            return hit
    from kehoach.base.files import decode
    from kehoach.plan.loader import LoadedPlan, load_text

    if raw is None:
        return LoadedPlan(name, diagnostics=problems)
    # the loader's own steps on these very bytes (its cache first), so that what is kept below is
    # the plan of the bytes its key names
    loaded = cache.get(key, name, workdays, LoadedPlan)
    if isinstance(loaded, LoadedPlan):
        loaded.text = raw.decode("utf-8")
        del raw
    else:
        text, problems = decode(raw, name)
        if text is None:
            return LoadedPlan(name, diagnostics=problems)
        del raw  # the text is read, not the bytes (9 MB on the largest plans)
        loaded = load_text(text, name, workdays, keep_tree=False)
        cache.put(key, loaded, workdays)
    if not loaded.ok or loaded.plan is None or loaded.catalogue:
        return loaded
    out = LoadedPlain(loaded.path, loaded.text, from_model(loaded.plan), list(loaded.diagnostics),
                      list(loaded.catalogues))
    del loaded  # the validated plan, let go before its plain objects are put
    cache.put(key, out, workdays, plain=True)
    return out
