"""The plan format: pydantic v2 models, the single definition of a plan file.

The JSON Schema (`kehoach schema`), the field table in docs/plan-format.md and
the validation done by `kehoach check` all come from these classes. The classes
say which fields exist and what each may hold; the words that describe them, for
the people who edit the YAML by hand, are in the message catalogues, one per
language: `model.<Class>` for a model (or an enum of the schema), `field.<Class>.<field>`
for each of its fields, and `schema.id` for an `Id` wherever one stands.
`schema.py` puts them into the schema and the reference in the language asked;
tests/test_schema.py keeps the fields and the keys in step.

Only the shape of each value is checked here; checks that need the whole plan
(ids defined, dates inside the period, progress order) live in `checks.py`, so
that every problem is reported in one run.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from kehoach.base import deadlines, periods
from kehoach.plan import kinds
from kehoach.plan.kinds import BodyKind as BodyKind
from kehoach.plan.kinds import Convention as Convention
from kehoach.plan.kinds import DoneRule as DoneRule
from kehoach.plan.kinds import Every as Every
from kehoach.plan.kinds import ProgressKind as ProgressKind

# the pattern of an id; schema.py knows an id by it, to describe each one (`schema.id`)
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]


class StrictModel(BaseModel):
    """Base: unknown keys are errors, so a misspelt key never passes silently."""

    model_config = ConfigDict(extra="forbid")


class CodedValueError(ValueError):
    """A validation failure with its own diagnostic code and parameters (shown by the loader)."""

    def __init__(self, code: str, params: dict[str, object]):
        super().__init__(code)
        self.code = code
        self.params = params


# A required text may not be empty or only spaces.
NonBlank = Annotated[str, Field(min_length=1, pattern=r"\S")]


# ---------------------------------------------------------------- deadlines


class ContinuousDeadline(StrictModel):
    continuous: Literal[True]
    review: Every = Every.quarter


def _known_period_keys(every: str, keys: list[str] | None) -> None:
    """Each of `keys` names a period of cadence `every` (`Q1`…`Q4` for quarter; not `Q9`)."""
    allowed = deadlines.period_keys(every)
    for key in keys or []:
        if key.upper() not in allowed:
            raise CodedValueError("bad-period-key", {"value": key, "every": every, "allowed": ", ".join(allowed)})


class RecurringDeadline(StrictModel):
    every: Every
    periods: list[str] | None = None
    days_after: int = Field(default=0, ge=-60, le=60)

    @model_validator(mode="after")
    def _known_periods(self) -> RecurringDeadline:
        _known_period_keys(str(self.every), self.periods)
        return self


class TriggeredDeadline(StrictModel):
    after: NonBlank
    within_days: int | None = Field(default=None, ge=0, le=3660)
    triggered_on: dt.date | None = None


def _deadline_form(value: object) -> str:
    """Which form a deadline is written in, so errors speak of that form only."""
    if isinstance(value, dict):
        if "every" in value:
            return "recurring-form"
        if "after" in value:
            return "triggered-form"
        return "continuous-form"
    if isinstance(value, ContinuousDeadline):
        return "continuous-form"
    if isinstance(value, RecurringDeadline):
        return "recurring-form"
    if isinstance(value, TriggeredDeadline):
        return "triggered-form"
    if isinstance(value, int) and not isinstance(value, bool):
        return "year-form"
    return "text-form"


_TYPED = (deadlines.Dated, deadlines.Continuous, deadlines.Recurring, deadlines.Triggered)


def _deadline_guess(code: str, value: object) -> object:
    """For a deadline written in words ("Quý II/2021", "trước ngày 30/6/2021"), the form it means,
    as `import` reads such words; empty when there is none to offer."""
    from kehoach.base.messages import Msg

    if code == "bad-deadline" and isinstance(value, str) and len(value) <= 200:
        guess = deadlines.guess_deadline(value)
        if guess is not None and not guess[0].startswith("{"):
            return Msg("bad-deadline.guess", {"value": guess[0].strip("'")})
    return ""


def _to_deadline(value: object) -> deadlines.Deadline:
    """The typed value of a deadline as written (see `deadlines.py`)."""
    if isinstance(value, ContinuousDeadline):
        return deadlines.Continuous(str(value.review))
    if isinstance(value, RecurringDeadline):
        keys = tuple(p.upper() for p in value.periods) if value.periods else None
        return deadlines.Recurring(str(value.every), keys, value.days_after)
    if isinstance(value, TriggeredDeadline):
        return deadlines.Triggered(value.after, value.within_days, value.triggered_on)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return deadlines.parse_text(value)
        except deadlines.DeadlineError as exc:
            raise CodedValueError(exc.code, {**exc.params, "guess": _deadline_guess(exc.code, value)}) from None
    raise CodedValueError("bad-deadline", {"value": value, "guess": ""})  # pragma: no cover - the union refused it


def written_form(value: deadlines.Deadline) -> object:
    """A typed deadline as the plan file writes it (text, or a mapping)."""
    match value:
        case deadlines.Dated():
            return value.text
        case deadlines.Continuous(text=str() as word):
            return word
        case deadlines.Continuous():
            return {"continuous": True, "review": value.review}
        case deadlines.Recurring():
            out: dict[str, object] = {"every": value.every}
            if value.periods:
                out["periods"] = list(value.periods)
            if value.days_after:
                out["days_after"] = value.days_after
            return out
        case deadlines.Triggered():
            out = {"after": value.after}
            if value.within_days is not None:
                out["within_days"] = value.within_days
            if value.triggered_on is not None:
                out["triggered_on"] = value.triggered_on
            return out
    return value


def _typed_or_read(value: object, read: ValidatorFunctionWrapHandler) -> object:
    """A typed deadline given from Python passes as it is; anything else is read as written."""
    return value if isinstance(value, _TYPED) else read(value)


# A deadline as the file writes it (text, a year, or a mapping); once validated it is always one of
# the typed values of deadlines.py (`_to_deadline`), and that is the type the rest of the code sees.
if TYPE_CHECKING:
    DeadlineValue = deadlines.Deadline
else:
    DeadlineValue = Annotated[
        Annotated[str, Tag("text-form")]
        | Annotated[int, Tag("year-form")]
        | Annotated[ContinuousDeadline, Tag("continuous-form")]
        | Annotated[RecurringDeadline, Tag("recurring-form")]
        | Annotated[TriggeredDeadline, Tag("triggered-form")],
        Discriminator(_deadline_form),
        AfterValidator(_to_deadline),
        WrapValidator(_typed_or_read),
        PlainSerializer(written_form),
    ]


# ---------------------------------------------------------------- plan parts


class Period(StrictModel):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise CodedValueError("period-order", {})
        for day in (self.start, self.end):
            if not periods.MIN_YEAR <= day.year <= periods.MAX_YEAR:
                raise CodedValueError("period-years", {"low": periods.MIN_YEAR, "high": periods.MAX_YEAR,
                                                       "value": day.year})
        return self


class PlanInfo(StrictModel):
    id: Id
    number: str | None = None
    type: NonBlank = "Kế hoạch"
    title: NonBlank
    issued: dt.date | None = None
    place: NonBlank | None = None
    issuers: list[Id] = Field(min_length=1)
    header: list[NonBlank] = Field(default_factory=list)
    period: Period
    theme: str | None = None
    implements: list[Id] = Field(default_factory=list)
    # a value written but not sure (an OCR reading): the name of a field of `plan`, or of a part of the
    # plan file (`signers`) → what is uncertain and why; `check` lists each entry as a note until
    # someone confirms the value and deletes the entry, and a document made from the plan says so
    uncertain: dict[str, NonBlank] = Field(default_factory=dict)
    # written by `kehoach import`: `check` warns of what is left to confirm until the line is removed
    draft: bool = False


class Body(StrictModel):
    id: Id
    name: NonBlank
    short: NonBlank | None = None
    kind: BodyKind
    parent: Id | None = None
    members: list[Id] = Field(default_factory=list)
    note: str | None = None


# the shared body catalogues a file draws on: a path, or a list of paths
BodiesFrom = NonBlank | list[NonBlank] | None


class BodyCatalogue(StrictModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"$id": "https://kehoach.invalid/schema/bodies.schema.json"},
    )

    bodies_from: BodiesFrom = None
    bodies: list[Body] = Field(min_length=1)


class Reference(StrictModel):
    id: Id
    number: NonBlank
    date: dt.date | None  # required, and `null` where the source does not say
    issuer: NonBlank
    title: NonBlank
    kind: str | None = None


class Objective(StrictModel):
    id: Id
    text: NonBlank


class Section(StrictModel):
    id: Id
    title: NonBlank


class Progress(StrictModel):
    date: dt.date
    percent: int | None = Field(default=None, ge=0, le=100, strict=True)
    note: NonBlank
    body: Id | None = None
    by: str | None = None
    kind: ProgressKind = ProgressKind.result
    evidence: str | None = None
    occurrence: str | None = None


class CarriedOver(StrictModel):
    plan: Id
    deadline: str = ""
    percent: int = Field(default=0, ge=0, le=100, strict=True)
    note: str | None = None
    # of work several lead: each lead's own part when the old plan ended ({bdvtu: 100, bcsd-ubnd: 60});
    # a lead not named starts from `percent`
    leads: dict[Id, Annotated[int, Field(ge=0, le=100, strict=True)]] = Field(default_factory=dict)

    @property
    def old(self) -> deadlines.Deadline | None:
        """`deadline`, the words of last year's plan, read as a deadline ("31/12/2021", "2021"), or None
        where they are none; read here, by the model, as every deadline is (its plain object keeps it)."""
        return read_deadline(self.deadline) if self.deadline else None


class Task(StrictModel):
    id: Id
    title: NonBlank
    description: str | None = None
    section: Id | None = None
    lead: list[Id] = Field(default_factory=list)
    support: list[Id] = Field(default_factory=list)
    objectives: list[Id] = Field(default_factory=list)
    references: list[Id] = Field(default_factory=list)
    deadline: DeadlineValue | None = None
    deliverables: list[NonBlank] = Field(default_factory=list)
    topics: list[Id] = Field(default_factory=list)
    done_when: DoneRule | None = None
    suspended: bool = False
    carried_over: CarriedOver | None = None
    subtasks: list[Task] = Field(default_factory=list)
    progress: list[Progress] = Field(default_factory=list)


class Cadence(StrictModel):
    id: Id
    name: NonBlank
    every: Every | None = None
    periods: list[str] | None = None
    days_after: int = Field(default=0, ge=-60, le=60)
    task: Id | None = None
    note: str | None = None
    # the tasks whose work is this report (the standing units drafting it): the report made is theirs too
    drafting: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_periods(self) -> Cadence:
        if self.every is not None:
            _known_period_keys(str(self.every), self.periods)
        return self


class Topic(StrictModel):
    id: Id
    name: NonBlank


class Recipient(StrictModel):
    name: NonBlank
    purpose: str | None = None


# a recipient as the file writes it: a name, or a name with its purpose ("báo cáo")
RecipientItem = Annotated[
    Annotated[Recipient, Tag("recipient-form")] | Annotated[NonBlank, Tag("name-form")],
    Discriminator(lambda v: "recipient-form" if isinstance(v, (dict, Recipient)) else "name-form"),
]


class Reporting(StrictModel):
    convention: Convention = Convention.calendar
    two_way: bool = True
    cadences: list[Cadence] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    done_when: DoneRule = DoneRule.all
    standing: dict[Id, list[Id]] = Field(default_factory=dict)
    recipients: list[RecipientItem] | None = None  # a report's Nơi nhận; None: the default (views)


class Meeting(StrictModel):
    id: Id
    name: NonBlank
    when: DeadlineValue
    task: Id | None = None
    note: str | None = None


class Signer(StrictModel):
    body: Id
    authority: str | None = None
    title: NonBlank
    name: NonBlank


class Holiday(StrictModel):
    date: dt.date
    name: NonBlank
    off: bool = True


class Plan(StrictModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"$id": "https://kehoach.invalid/schema/plan.schema.json"},
    )

    plan: PlanInfo
    sections: list[Section] = Field(default_factory=list)
    bodies_from: BodiesFrom = None
    bodies: list[Body] = Field(min_length=1)
    references: list[Reference] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    reporting: Reporting = Field(default_factory=Reporting)
    meetings: list[Meeting] = Field(default_factory=list)
    recipients: list[RecipientItem] = Field(default_factory=list)
    signers: list[Signer] = Field(default_factory=list)
    holidays: list[Holiday] = Field(default_factory=list)

    @property
    def convention(self) -> str:
        """The reporting period convention: `calendar` or `nd09`."""
        return kinds.convention(self)

    def iter_tasks(self) -> Iterator[tuple[Task, Task | None]]:
        """Every task and subtask, depth first, with its parent (None at the top)."""
        return kinds.iter_tasks(self)


Task.model_rebuild()


@functools.cache
def _deadline_adapter() -> TypeAdapter[deadlines.Deadline]:
    return TypeAdapter(DeadlineValue)


def read_deadline(raw: object) -> deadlines.Deadline | None:
    """The typed value of a deadline as found in the raw file, or None when it is not a
    valid deadline (the plan model reports why). For checks that run on the raw tree."""
    if raw is None:
        return None
    try:
        return _deadline_adapter().validate_python(raw)
    except ValidationError:
        return None
