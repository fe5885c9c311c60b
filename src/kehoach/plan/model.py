"""The plan format: pydantic v2 models, the single definition of a plan file.

The JSON Schema (`kehoach schema`), the field table in docs/plan-format.md and
the validation done by `kehoach check` all come from these classes. Field
descriptions are written for the people who edit the YAML by hand.

Only the shape of each value is checked here; checks that need the whole plan
(ids defined, dates inside the period, progress order) live in `checks.py`, so
that every problem is reported in one run.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from enum import StrEnum
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

Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Mã: chữ không dấu, số, dấu chấm, gạch ngang (vd. `II.5.b`, `bdvtu`).",
    ),
]


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


class Every(StrEnum):
    month = "month"
    quarter = "quarter"
    half = "half"
    year = "year"


class ContinuousDeadline(StrictModel):
    """Continuous work ("thường xuyên"), reviewed every `review` period."""

    continuous: Literal[True] = Field(description="Luôn là `true`: nhiệm vụ thường xuyên.")
    review: Every = Field(
        default=Every.quarter,
        description="Kỳ xem xét: mỗi kỳ cần ít nhất một báo cáo tiến độ (month, quarter, half, year).",
    )


def _known_period_keys(every: str, keys: list[str] | None) -> None:
    """Each of `keys` names a period of cadence `every` (`Q1`…`Q4` for quarter; not `Q9`)."""
    allowed = deadlines.period_keys(every)
    for key in keys or []:
        if key.upper() not in allowed:
            raise CodedValueError("bad-period-key", {"value": key, "every": every, "allowed": ", ".join(allowed)})


class RecurringDeadline(StrictModel):
    """A duty repeated each period: a quarterly report, a 6-month conference."""

    every: Every = Field(description="Lặp lại mỗi: month, quarter, half, year.")
    periods: list[str] | None = Field(
        default=None,
        description="Chỉ các kỳ này (vd. `[H1, Y]` cho hội nghị 6 tháng và cuối năm); bỏ trống là mọi kỳ.",
    )
    days_after: int = Field(
        default=0, ge=-60, le=60, description="Hạn = ngày cuối kỳ + số ngày này (âm là trước cuối kỳ)."
    )

    @model_validator(mode="after")
    def _known_periods(self) -> RecurringDeadline:
        _known_period_keys(str(self.every), self.periods)
        return self


class TriggeredDeadline(StrictModel):
    """A duty due some days after an event ("sau khi Ban Thường vụ Tỉnh ủy phê duyệt")."""

    after: NonBlank = Field(description="Sự kiện khởi đầu, như văn bản gốc viết.")
    within_days: int | None = Field(
        default=None, ge=0, le=3660, description="Hạn: số ngày sau sự kiện; bỏ trống là trong năm kế hoạch."
    )
    triggered_on: dt.date | None = Field(
        default=None, description="Ngày sự kiện xảy ra, ghi khi đã biết (YYYY-MM-DD)."
    )


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
        Field(
            description=(
                "Thời hạn. Một trong: ngày `2021-06-30`; tháng `2021-12`; quý `2021-Q2`; "
                "6 tháng `2021-H1`; 9 tháng `2021-9M`; năm `2021`; khoảng `2021-03..2021-06`; "
                "`continuous` / `thường xuyên`; hoặc bảng `{continuous: true, review: quarter}`, "
                "`{every: quarter}`, `{after: \"...\", within_days: 30}`."
            )
        ),
    ]


# ---------------------------------------------------------------- plan parts


class Period(StrictModel):
    start: dt.date = Field(description="Ngày bắt đầu kỳ kế hoạch (YYYY-MM-DD).")
    end: dt.date = Field(description="Ngày kết thúc kỳ kế hoạch (YYYY-MM-DD).")

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
    id: Id = Field(description="Mã kế hoạch, dùng trong báo cáo JSON và tên tệp.")
    number: str | None = Field(
        default=None, description="Số và ký hiệu, vd. `04-KH/BDVTU-BCSĐUBND`."
    )
    type: NonBlank = Field(default="Kế hoạch", description="Loại văn bản (Kế hoạch).")
    title: NonBlank = Field(description="Trích yếu: tên kế hoạch.")
    issued: dt.date | None = Field(default=None, description="Ngày ban hành (YYYY-MM-DD).")
    place: NonBlank | None = Field(default=None, description="Địa danh ghi ở đầu văn bản, vd. Quảng Ngãi.")
    issuers: list[Id] = Field(
        min_length=1, description="Mã các cơ quan ban hành, cơ quan chủ trì đứng trước."
    )
    header: list[NonBlank] = Field(
        default_factory=list,
        description=(
            "Tên cơ quan ban hành như in ở góc trái đầu văn bản, mỗi dòng một mục "
            "(mặc định: tên các cơ quan ban hành, chữ in hoa)."
        ),
    )
    period: Period = Field(description="Kỳ kế hoạch.")
    theme: str | None = Field(default=None, description="Chủ đề của năm.")
    implements: list[Id] = Field(
        default_factory=list, description="Mã văn bản (trong `references`) mà kế hoạch thực hiện."
    )


class BodyKind(StrEnum):
    party = "party"
    state = "state"
    mass = "mass"
    group = "group"


class Body(StrictModel):
    id: Id
    name: NonBlank = Field(description="Tên đầy đủ tiếng Việt.")
    short: NonBlank | None = Field(default=None, description="Tên viết tắt, vd. BDVTU.")
    kind: BodyKind = Field(
        description="party (cơ quan Đảng), state (cơ quan nhà nước), mass (Mặt trận, đoàn thể), group (nhóm cơ quan)."
    )
    parent: Id | None = Field(default=None, description="Mã cơ quan cấp trên.")
    members: list[Id] = Field(
        default_factory=list, description="Với nhóm (`kind: group`): mã các cơ quan thành viên."
    )
    note: str | None = None


BodiesFrom = Annotated[
    NonBlank | list[NonBlank] | None,
    Field(description=(
        "Danh mục cơ quan dùng chung: đường dẫn (tính từ thư mục của tệp này) tới một tệp có `bodies:`, "
        "vd. `../bodies/quang-ngai.yaml`; hoặc danh sách đường dẫn.")),
]


class BodyCatalogue(StrictModel):
    """A body catalogue shared by many plans (`bodies_from:`): a file of bodies."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"$id": "https://kehoach.invalid/schema/bodies.schema.json"},
        title="Danh mục cơ quan (kehoach bodies)",
    )

    bodies_from: BodiesFrom = None
    bodies: list[Body] = Field(min_length=1, description="Các cơ quan của danh mục.")


class Reference(StrictModel):
    id: Id
    number: NonBlank = Field(description="Số và ký hiệu, vd. `120-KL/TW`.")
    date: dt.date | None = Field(
        description="Ngày ban hành (YYYY-MM-DD); `null` khi văn bản gốc không ghi và chưa tra được."
    )
    issuer: NonBlank = Field(description="Cơ quan ban hành.")
    title: NonBlank = Field(description="Trích yếu.")
    kind: str | None = Field(default=None, description="Loại văn bản: Kết luận, Chỉ thị, Quyết định...")


class Objective(StrictModel):
    id: Id
    text: NonBlank


class Section(StrictModel):
    id: Id = Field(description="Số mục trong văn bản, vd. `II`, `III.1`.")
    title: NonBlank


class ProgressKind(StrEnum):
    result = "result"
    difficulty = "difficulty"
    proposal = "proposal"


class DoneRule(StrEnum):
    """When a task led by several bodies is done: when all of them, or any one, reach 100 %."""

    all = "all"
    any = "any"


class Progress(StrictModel):
    date: dt.date = Field(description="Ngày báo cáo (YYYY-MM-DD).")
    percent: int | None = Field(
        default=None, ge=0, le=100, strict=True,
        description=(
            "Phần trăm hoàn thành (số nguyên 0–100): thước đo của cơ quan chủ trì đối với một sản phẩm có "
            "thời hạn. Bỏ trống với nhiệm vụ thường xuyên và với báo cáo của cơ quan phối hợp."),
    )
    note: NonBlank = Field(description="Nội dung đã làm.")
    body: Id | None = Field(
        default=None,
        description=(
            "Mã cơ quan báo cáo (trong `bodies`). Bỏ trống là báo cáo chung của các cơ quan chủ trì "
            "(kế hoạch ghi trước khi có trường này)."),
    )
    by: str | None = Field(default=None, description="Người báo cáo (họ tên, chức vụ).")
    kind: ProgressKind = Field(
        default=ProgressKind.result,
        description="result (kết quả), difficulty (khó khăn, hạn chế), proposal (kiến nghị).",
    )
    evidence: str | None = Field(default=None, description="Số văn bản hoặc đường dẫn minh chứng.")
    occurrence: str | None = Field(
        default=None,
        description=(
            "Kỳ mà mục này báo cáo: với nhiệm vụ định kỳ, lần thực hiện (vd. `2021-Q2`); với nhiệm vụ thường "
            "xuyên, kỳ xem xét (vd. `2021-Q3`, `2021-M07`). Bỏ trống là kỳ chứa ngày báo cáo."),
    )


class CarriedOver(StrictModel):
    """Where an unfinished task of last year's plan stood when it was carried over."""

    plan: Id = Field(description="Mã kế hoạch năm trước.")
    deadline: str = Field(default="", description="Thời hạn cũ, như kế hoạch năm trước ghi.")
    percent: int = Field(default=0, ge=0, le=100, strict=True, description="Phần trăm đã đạt khi chuyển tiếp.")
    note: str | None = Field(default=None, description="Ghi chú tiến độ cuối cùng của năm trước.")


class Task(StrictModel):
    id: Id = Field(description="Mã nhiệm vụ, duy nhất trong kế hoạch, vd. `II.5.b`.")
    title: NonBlank = Field(description="Tên ngắn của nhiệm vụ.")
    description: str | None = Field(default=None, description="Nội dung đầy đủ như văn bản gốc.")
    section: Id | None = Field(default=None, description="Mã mục (trong `sections`) chứa nhiệm vụ.")
    lead: list[Id] = Field(default_factory=list, description="Mã cơ quan chủ trì.")
    support: list[Id] = Field(default_factory=list, description="Mã cơ quan phối hợp.")
    objectives: list[Id] = Field(default_factory=list, description="Mã mục tiêu phục vụ.")
    references: list[Id] = Field(default_factory=list, description="Mã văn bản liên quan.")
    deadline: DeadlineValue | None = None
    deliverables: list[NonBlank] = Field(default_factory=list, description="Sản phẩm.")
    topics: list[Id] = Field(
        default_factory=list, description="Mã chuyên đề (trong `reporting.topics`)."
    )
    done_when: DoneRule | None = Field(
        default=None,
        description=(
            "Với nhiệm vụ nhiều cơ quan chủ trì: `all` (hoàn thành khi mọi cơ quan chủ trì đạt 100%) hoặc "
            "`any` (khi một cơ quan đạt 100%, vd. một hội nghị tổ chức chung); bỏ trống là theo nhiệm vụ cha, "
            "rồi theo `reporting.done_when`."),
    )
    suspended: bool = Field(default=False, description="`true` khi nhiệm vụ tạm dừng.")
    carried_over: CarriedOver | None = Field(
        default=None, description="Nhiệm vụ chuyển tiếp từ kế hoạch năm trước (`kehoach init` ghi)."
    )
    subtasks: list[Task] = Field(default_factory=list, description="Nhiệm vụ con, cùng cấu trúc.")
    progress: list[Progress] = Field(
        default_factory=list, description="Nhật ký tiến độ: chỉ thêm vào cuối, theo thứ tự ngày."
    )


class Convention(StrEnum):
    calendar = "calendar"
    nd09 = "nd09"


class Cadence(StrictModel):
    id: Id
    name: NonBlank = Field(description="Tên loại báo cáo, vd. Báo cáo quý.")
    every: Every | None = Field(default=None, description="Kỳ: quarter, half, year; bỏ trống với báo cáo chuyên đề.")
    periods: list[str] | None = Field(default=None, description="Chỉ các kỳ này, vd. `[H1]`.")
    days_after: int = Field(default=0, ge=-60, le=60, description="Hạn nộp = cuối kỳ + số ngày này.")
    task: Id | None = Field(default=None, description="Mã nhiệm vụ theo dõi việc gửi báo cáo này.")
    note: str | None = None

    @model_validator(mode="after")
    def _known_periods(self) -> Cadence:
        if self.every is not None:
            _known_period_keys(str(self.every), self.periods)
        return self


class Topic(StrictModel):
    id: Id
    name: NonBlank


class Reporting(StrictModel):
    convention: Convention = Field(
        default=Convention.calendar,
        description=(
            "calendar (quý theo lịch) hoặc nd09 (chốt số liệu theo Nghị định 09/2019/NĐ-CP: "
            "từ ngày 15 tháng trước đến ngày 14)."
        ),
    )
    two_way: bool = Field(default=True, description="Thông tin, báo cáo hai chiều giữa các chủ thể.")
    cadences: list[Cadence] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list, description="Các chuyên đề báo cáo.")
    done_when: DoneRule = Field(
        default=DoneRule.all,
        description="Mặc định cho nhiệm vụ nhiều cơ quan chủ trì: `all` (mọi cơ quan) hoặc `any` (một cơ quan).",
    )
    standing: dict[Id, list[Id]] = Field(
        default_factory=dict,
        description=(
            "Bộ phận thường trực: mã cơ quan → mã các đơn vị tham mưu, giúp việc báo cáo thay cho cơ quan đó, "
            "vd. `{bcsd-ubnd: [so-noi-vu]}`. Báo cáo của đơn vị là báo cáo của cơ quan."),
    )


class Meeting(StrictModel):
    id: Id
    name: NonBlank
    when: DeadlineValue = Field(description="Thời gian tổ chức, cùng cú pháp với `deadline`.")
    task: Id | None = Field(default=None, description="Mã nhiệm vụ theo dõi hội nghị.")
    note: str | None = None


class Recipient(StrictModel):
    name: NonBlank
    purpose: str | None = Field(default=None, description="Mục đích gửi, vd. `báo cáo`, `để thực hiện`.")


class Signer(StrictModel):
    body: Id = Field(description="Mã cơ quan ký.")
    authority: str | None = Field(default=None, description="Thẩm quyền ký, vd. `T/M BAN CÁN SỰ ĐẢNG UBND TỈNH`.")
    title: NonBlank = Field(description="Chức vụ, vd. `TRƯỞNG BAN`.")
    name: NonBlank = Field(description="Họ và tên người ký.")


class Holiday(StrictModel):
    date: dt.date
    name: NonBlank
    off: bool = Field(default=True, description="`true`: ngày nghỉ; `false`: ngày làm việc bù.")


class Plan(StrictModel):
    """A coordination plan (kế hoạch phối hợp), as kept in one YAML file."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"$id": "https://kehoach.invalid/schema/plan.schema.json"},
        title="Kế hoạch (kehoach plan)",
    )

    plan: PlanInfo
    sections: list[Section] = Field(default_factory=list, description="Các mục của văn bản.")
    bodies_from: BodiesFrom = None
    bodies: list[Body] = Field(min_length=1, description=(
        "Các cơ quan; cùng với các cơ quan của danh mục `bodies_from` (nếu có)."))
    references: list[Reference] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    reporting: Reporting = Field(default_factory=Reporting)
    meetings: list[Meeting] = Field(default_factory=list)
    recipients: list[
        Annotated[
            Annotated[Recipient, Tag("recipient-form")] | Annotated[NonBlank, Tag("name-form")],
            Discriminator(lambda v: "recipient-form" if isinstance(v, (dict, Recipient)) else "name-form"),
        ]
    ] = Field(default_factory=list, description="Nơi nhận: tên, hoặc `{name, purpose}`.")
    signers: list[Signer] = Field(default_factory=list)
    holidays: list[Holiday] = Field(
        default_factory=list, description="Ngày nghỉ, ngày làm bù do Chính phủ công bố trong năm."
    )

    @property
    def convention(self) -> str:
        """The reporting period convention: `calendar` or `nd09`."""
        return str(self.reporting.convention)

    def iter_tasks(self) -> Iterator[tuple[Task, Task | None]]:
        """Every task and subtask, depth first, with its parent (None at the top)."""
        stack: list[tuple[Task, Task | None]] = [(t, None) for t in reversed(self.tasks)]
        while stack:
            task, parent = stack.pop()
            yield task, parent
            stack.extend((s, task) for s in reversed(task.subtasks))


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
