"""Whole-plan checks over the raw tree: ids, cross references, dates, progress,
and text. They run even when the shape is wrong elsewhere, so that one run of
`kehoach check` reports every problem; each yields diagnostics with the path of
the offending value (the loader turns paths into line and column).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeAlias

from kehoach.base.deadlines import Continuous, Dated, Deadline, Recurring, Triggered
from kehoach.base.diagnostics import Diagnostic, loc_text
from kehoach.base.messages import Day, Msg, did_you_mean
from kehoach.base.periods import MAX_YEAR, MIN_YEAR
from kehoach.base.text import escape_char, first_unprintable, fold, has_diacritics, legacy_encoding, nfc, suggest
from kehoach.base.vndates import date_param

if TYPE_CHECKING:
    from kehoach.base.diagnostics import DataPath
    from kehoach.plan.model import Plan
    from kehoach.plan.schedule import Schedule
    from kehoach.plan.source import Document

    # reports a date outside the plan period: (what, date, path)
    Outside: TypeAlias = Callable[[Msg, dt.date, DataPath, int], None]

class _Any(frozenset[str]):
    """Stands for "any id": the ids of a kind that cannot be known (an unreadable catalogue)."""


ANY: frozenset[str] = _Any()
KINDS = ("body", "reference", "objective", "section", "task", "topic", "cadence", "meeting")
SECTION_OF = {
    "body": "bodies", "reference": "references", "objective": "objectives", "section": "sections",
    "task": "tasks", "topic": "reporting.topics", "cadence": "reporting.cadences", "meeting": "meetings",
}


def _d(code: str, loc: DataPath, severity: str = "error", **params: object) -> Diagnostic:
    return Diagnostic(code, severity, params=params, loc=tuple(loc))


# The checks read the raw tree (plain dicts, lists and scalars, of any shape): its values are `Any`.
def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _map(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def iter_raw_tasks(data: dict[str, Any]) -> Iterator[tuple[DataPath, dict[str, Any]]]:
    """(path, task mapping) for every task and subtask, depth first (a task, then its subtasks,
    then the next task), through one stack rather than a generator per level."""
    stack: list[tuple[DataPath, Iterator[tuple[int, Any]]]] = [(("tasks",), enumerate(_list(data.get("tasks"))))]
    while stack:
        path, items = stack[-1]
        for i, task in items:
            if isinstance(task, dict):
                yield path + (i,), task
                subtasks = task.get("subtasks")
                if isinstance(subtasks, list) and subtasks:
                    stack.append((path + (i, "subtasks"), enumerate(subtasks)))
                    break
        else:
            stack.pop()


Tasks = list[tuple["DataPath", dict[str, Any]]]  # iter_raw_tasks's, listed once for several checks


def id_sources(data: dict[str, Any], tasks: Tasks | None = None) -> dict[str, list[tuple[DataPath, Any]]]:
    """kind → [(path, entry)] for every kind of thing that has an id, in file order."""
    reporting = _map(data.get("reporting"))

    def listed(*path: str) -> list[tuple[DataPath, Any]]:
        node: Any = data
        for key in path:
            node = _map(node).get(key)
        return [(path + (i,), x) for i, x in enumerate(_list(node))]

    return {
        "body": listed("bodies"),
        "reference": listed("references"),
        "objective": listed("objectives"),
        "section": listed("sections"),
        "task": list(iter_raw_tasks(data)) if tasks is None else tasks,
        "topic": listed("reporting", "topics") if reporting else [],
        "cadence": listed("reporting", "cadences") if reporting else [],
        "meeting": listed("meetings"),
    }


def defined_ids(data: dict[str, Any], tasks: Tasks | None = None) -> dict[str, dict[str, DataPath]]:
    """kind → {id: path of the id} for every kind of thing that has an id."""
    out: dict[str, dict[str, DataPath]] = {}
    for kind, items in id_sources(data, tasks).items():
        table: dict[str, DataPath] = {}
        for path, item in items:
            ident = _map(item).get("id")
            if isinstance(ident, (str, int)) and not isinstance(ident, bool):
                table.setdefault(str(ident), path + ("id",))
        out[kind] = table
    return out


def check_ids(data: dict[str, Any], doc: Document | None, tasks: Tasks | None = None) -> list[Diagnostic]:
    """Ids unique within their kind, also when capitals and diacritics are set aside
    (`II.1.a` and `ii.1.a` would be one task to whoever reads or searches the plan)."""
    return [d for kind, items in id_sources(data, tasks).items() for d in _dupes(kind, items, doc)]


def _dupes(kind: str, items: list[tuple[DataPath, Any]], doc: Document | None) -> list[Diagnostic]:
    seen: dict[str, DataPath] = {}
    folded: dict[str, tuple[str, DataPath]] = {}
    out = []
    for path, item in items:
        ident = _map(item).get("id")
        if not isinstance(ident, str):
            continue
        key = " ".join(ident.lower().split()) if ident.isascii() else fold(ident)  # fold's, quicker for ASCII
        if ident in seen:
            first = doc.value_pos(seen[ident])[0] if doc else 0
            out.append(_d("duplicate-id", path + ("id",), kind=Msg(f"kind.{kind}"), id=ident, first=first))
        elif key in folded:
            other, where = folded[key]
            first = doc.value_pos(where)[0] if doc else 0
            out.append(_d("id-folded-alike", path + ("id",), kind=Msg(f"kind.{kind}"), id=ident, other=other,
                          first=first))
        else:
            seen[ident] = path + ("id",)
            folded[key] = (ident, path + ("id",))
    return out


def check_references(data: dict[str, Any], known: dict[str, AbstractSet[str]] | None = None,
                     tasks: Tasks | None = None) -> list[Diagnostic]:
    """Every id a plan names is defined in it, or (`known`, by kind) in a catalogue it names."""
    if tasks is None:
        tasks = list(iter_raw_tasks(data))
    ids = defined_ids(data, tasks)
    unknowable = {kind for kind, extra in (known or {}).items() if extra is ANY}
    for kind, extra in (known or {}).items():
        ids[kind] = {ident: () for ident in extra} | ids[kind]
    out: list[Diagnostic] = []

    def ref(kind: str, value: object, path: DataPath) -> None:
        if value is None or isinstance(value, (dict, list, bool)):
            return  # wrong shape: reported by the model
        value = str(value)
        if value in ids[kind] or kind in unknowable:
            return
        near = suggest(value, ids[kind])
        out.append(
            _d(
                "undefined-id", path, kind=Msg(f"kind.{kind}"), id=value, section=SECTION_OF[kind],
                suggest=did_you_mean(near),
                suggestion=near,
            )
        )

    def refs(kind: str, values: object, path: DataPath) -> None:
        if isinstance(values, list):
            for i, v in enumerate(values):
                ref(kind, v, path + (i,))
        elif isinstance(values, str):
            ref(kind, values, path)

    info = _map(data.get("plan"))
    refs("body", info.get("issuers"), ("plan", "issuers"))
    refs("reference", info.get("implements"), ("plan", "implements"))
    for i, body in enumerate(_list(data.get("bodies"))):
        body = _map(body)
        if body.get("parent") is not None:
            ref("body", body.get("parent"), ("bodies", i, "parent"))
        refs("body", body.get("members"), ("bodies", i, "members"))
    for path, task in tasks:
        refs("body", task.get("lead"), path + ("lead",))
        refs("body", task.get("support"), path + ("support",))
        refs("objective", task.get("objectives"), path + ("objectives",))
        refs("reference", task.get("references"), path + ("references",))
        refs("topic", task.get("topics"), path + ("topics",))
        if task.get("section") is not None:
            ref("section", task.get("section"), path + ("section",))
        for j, entry in enumerate(_list(task.get("progress"))):
            if _map(entry).get("body") is not None:
                ref("body", entry["body"], path + ("progress", j, "body"))
    reporting = _map(data.get("reporting"))
    for i, cad in enumerate(_list(reporting.get("cadences"))):
        if _map(cad).get("task") is not None:
            ref("task", cad["task"], ("reporting", "cadences", i, "task"))
        for j, drafting in enumerate(_list(_map(cad).get("drafting"))):
            ref("task", drafting, ("reporting", "cadences", i, "drafting", j))
    for i, meeting in enumerate(_list(data.get("meetings"))):
        if _map(meeting).get("task") is not None:
            ref("task", meeting["task"], ("meetings", i, "task"))
    for i, signer in enumerate(_list(data.get("signers"))):
        if _map(signer).get("body") is not None:
            ref("body", signer["body"], ("signers", i, "body"))
    return out


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def plan_period(data: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    period = _map(_map(data.get("plan")).get("period"))
    start, end = _date(period.get("start")), _date(period.get("end"))
    if start and end and start <= end and MIN_YEAR <= start.year and end.year <= MAX_YEAR:
        return start, end
    return None  # no period, or one the model refuses (`period-years`): nothing is measured against it


def _fmt(day: dt.date) -> Day:
    return date_param(day)


def check_dates(data: dict[str, Any], tasks: Tasks | None = None) -> list[Diagnostic]:
    """Deadlines and progress inside the plan period; progress in order, percents not falling."""
    span = plan_period(data)
    out: list[Diagnostic] = []
    convention = str(_map(data.get("reporting")).get("convention") or "calendar")

    def outside(what: Msg, day: dt.date, path: DataPath, late: int = 0) -> None:
        """`late`: days after the plan's end a date may still fall (a progress report on the last
        period, written in January)."""
        if span and not span[0] <= day <= span[1] + dt.timedelta(days=late):
            last = _fmt(span[1] + dt.timedelta(days=late))
            grace = Msg("what.late-grace", {"days": late, "last": last}) if late else ""
            out.append(_d("outside-period", path, what=what, date=_fmt(day), start=_fmt(span[0]), end=_fmt(span[1]),
                          late=grace))

    from kehoach.plan.model import read_deadline

    deadline_word = Msg("what.deadline")
    # a plan repeats its deadlines ("hằng quý", "tháng 6/2021"): each text read once, and each
    # deadline's periods listed once (deadlines are frozen values)
    read: dict[str, Deadline | None] = {}
    periods: dict[Deadline, list[str] | None] = {}
    for path, task in (iter_raw_tasks(data) if tasks is None else tasks):
        raw = task.get("deadline")
        if isinstance(raw, str):
            deadline = read[raw] if raw in read else read.setdefault(raw, read_deadline(raw))
        else:
            deadline = read_deadline(raw)
        match deadline:
            case Dated():
                outside(deadline_word, deadline.end, path + ("deadline",))
            case Triggered(triggered_on=day) if day is not None:
                # carried-over work's event may have happened under last year's plan
                if not (span and day < span[0] and isinstance(task.get("carried_over"), dict)):
                    outside(Msg("what.trigger-date"), day, path + ("deadline", "triggered_on"))
        out += _check_progress(task, deadline, path, outside, span, convention, periods)
    for i, meeting in enumerate(_list(data.get("meetings"))):
        when = read_deadline(_map(meeting).get("when"))
        if isinstance(when, Dated):
            outside(Msg("what.meeting-date"), when.end, ("meetings", i, "when"))
    return out


def _check_progress(task: dict[str, Any], deadline: Deadline | None, path: DataPath, outside: Outside,
                    span: tuple[dt.date, dt.date] | None, convention: str,
                    periods: dict[Deadline, list[str] | None] | None = None) -> list[Diagnostic]:
    """Each entry's date inside the plan, its period one the work has, and each body's percent
    never falling (in date order, per occurrence). Entries of different bodies, and late mail,
    come in any order: the file is append-only and read by date."""
    from kehoach.base.periods import LATE_REPORT_DAYS, periods_between

    out = []
    entries = _list(task.get("progress"))
    raw = task.get("deadline")
    recurring = isinstance(deadline, Recurring) or (isinstance(raw, dict) and "every" in raw)
    continuous = isinstance(deadline, Continuous)
    allowed = None
    if periods is not None and deadline is not None and deadline in periods:
        allowed = periods[deadline]
    elif isinstance(deadline, Recurring) and span:
        allowed = [p.code for p, _ in deadline.occurrences(span[0], span[1], convention)]
    elif isinstance(deadline, Continuous) and span:
        allowed = [p.code for p in periods_between(deadline.review, span[0], span[1], convention)]
    if periods is not None and deadline is not None:
        periods[deadline] = allowed  # (`periods`: for this plan's span and convention only)
    if entries and _list(task.get("subtasks")):
        out.append(_d("progress-on-parent", path + ("progress",), "warning",
                      subtasks=", ".join(str(_map(x).get("id")) for x in _list(task.get("subtasks")))))
    series: dict[tuple[Any, Any], list[tuple[dt.date, int, int]]] = {}
    for j, entry in enumerate(entries):
        entry = _map(entry)
        epath = path + ("progress", j)
        day = _date(entry.get("date"))
        if day:
            outside(Msg("what.progress-date"), day, epath + ("date",), LATE_REPORT_DAYS)
        occurrence = entry.get("occurrence")
        if isinstance(occurrence, (list, dict)):
            continue  # not a period's code: the model says so, and nothing below can be judged of it
        if occurrence is not None and not (recurring or continuous):
            out.append(_d("occurrence-not-recurring", epath + ("occurrence",), value=occurrence))
        elif occurrence is not None and allowed is not None and str(occurrence).upper() not in allowed:
            out.append(_d("unknown-occurrence", epath + ("occurrence",), value=occurrence, allowed=", ".join(allowed)))
        pct = entry.get("percent")
        body = entry.get("body")
        if (isinstance(pct, int) and not isinstance(pct, bool) and day and not continuous
                and not isinstance(body, (list, dict))):  # continuous work's percent counts for nothing
            key = (body, str(occurrence).upper() if recurring and occurrence is not None else None)
            series.setdefault(key, []).append((day, j, pct))
    for points in series.values():
        highest: tuple[int, dt.date] | None = None
        for day, j, pct in sorted(points):
            if highest is not None and pct < highest[0]:
                out.append(_d("percent-decrease", path + ("progress", j, "percent"), previous=highest[0], value=pct,
                              date=_fmt(highest[1]), later=_fmt(day)))
            elif highest is None or pct > highest[0]:
                highest = (pct, day)
    return out


def check_progress_roles(plan: Plan, schedule: Schedule) -> list[Diagnostic]:
    """What a body's entry cannot mean: a percent from a body that does not lead the task (a
    supporting body's result never moves or closes it), and 100 % on continuous work, which is
    never completed (it is judged per review period). Warnings: the entry is kept as written.
    And of work carried over from last year's plan: a lead's percent below where its part stood
    (`percent-below-carried`, an error: the reports go on from there; a joint report, below every
    lead's part), and a body its `leads` names that does not lead the task (a warning)."""
    from kehoach.plan.reporters import JOINT, Reporters, carried_percent

    reporters = Reporters(plan)
    out = []
    for node in schedule.nodes:
        if node.task.carried_over is not None and (not node.leaf or node.kind not in ("dated", "triggered")):
            # a parent, a recurring duty, continuous work: nothing its percent could start from
            out.append(_d("carried-not-measured", (*node.loc, "carried_over"), "warning", id=node.id))
        if not node.leaf:
            continue
        continuous = node.kind == "continuous"
        carried = node.task.carried_over if node.kind in ("dated", "triggered") else None
        if carried is not None:
            for body in carried.leads:  # a lead's own id (its standing unit's part is the lead's)
                if reporters.lead_of(body, node.lead) != body:
                    out.append(_d("carried-not-lead", (*node.loc, "carried_over", "leads", body), "warning",
                                  body=body, id=node.id))
        for j, e in enumerate(node.task.progress):
            if e.percent is None:
                continue
            where = (*node.loc, "progress", j, "percent")
            owner = reporters.lead_of(e.body, node.lead)
            if carried is not None and owner is not None and e.occurrence is None:
                start = carried_percent(carried, owner) if owner != JOINT else min(
                    (carried_percent(carried, lead) for lead in reporters.expand(node.lead)), default=carried.percent)
                if e.percent < start:  # below where the work stood when carried over
                    out.append(_d("percent-below-carried", where, previous=start, value=e.percent, plan=carried.plan))
                    continue
            if e.body is not None and owner is None:
                out.append(_d("percent-not-lead", where, "warning", body=reporters.bodies.name(e.body),
                              id=node.id, percent=e.percent))
            elif continuous and e.percent >= 100:
                out.append(_d("percent-on-continuous", where, "warning", id=node.id))
        if not continuous:
            out += _lead_falls(node, reporters)
    return out


def _lead_falls(node: Any, reporters: Any) -> list[Diagnostic]:
    """A lead's percent falling across the bodies that report for it (the Ban, then its standing
    unit: one lead's part said lower than it already was), per occurrence, in date order; a fall
    in one body's own reports is `check_dates`' to say."""
    from kehoach.plan.reporters import JOINT

    highest: dict[tuple[str, str | None], tuple[int, str | None, dt.date]] = {}
    out = []
    for j, e in sorted(enumerate(node.task.progress), key=lambda je: je[1].date):
        if e.percent is None or e.body is None:
            continue
        owner = reporters.lead_of(e.body, node.lead)
        if owner in (None, JOINT):
            continue
        key = (owner, (e.occurrence or "").upper() or None)
        top = highest.get(key)
        if top is not None and e.percent < top[0] and top[1] != e.body:
            out.append(_d("percent-decrease", (*node.loc, "progress", j, "percent"), previous=top[0], value=e.percent,
                          date=_fmt(top[2]), later=_fmt(e.date)))
        elif top is None or e.percent > top[0]:
            highest[key] = (e.percent, e.body, e.date)
    return out


def _strings(data: Any) -> Iterator[tuple[DataPath, str]]:
    """Every text value of the raw tree, with its path."""
    stack: list[tuple[DataPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
        elif isinstance(value, str):
            yield path, value


_ESCAPE = re.compile(r'\\[^"\\/tn]')


@functools.cache
def _unclean() -> re.Pattern[str]:
    """One scan for what makes a value warned of by check_text: a character first_unprintable finds
    (but CR: YAML reads it as a line break, no value holds one unless an escape makes it), a
    tell-tale character of TCVN3 (`legacy_encoding` looks further only where one stands), or where
    `legacy_encoding` would see VNI text (its `vni` pattern: two characters side by side, so that
    a piece of a text without them has none). Written to begin with one class of characters,
    which the scan skips along at C speed."""
    from kehoach.base.text import _TCVN3_STRONG, INVISIBLE

    first = "ùøûõïÙØÛÕÏÿäëöüÄËÖÜñÑ"
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + INVISIBLE + re.escape(_TCVN3_STRONG)
                      + first + "](?:(?<![" + first + "])"
                      "|(?<=[aeiouyAEIOUY][ùøûõïÙØÛÕÏ])|(?<=[a-zA-Z][øûïÿäëöüØÛÏÄËÖÜ])"
                      "|(?<![A-Za-z][ñÑ])(?<=[ñÑ])(?=[a-zA-Z]))")


def text_is_clean(text: str | None) -> bool:
    """Whether no value read from the file `text` can be warned of by check_text, and every key and
    value is in NFC: every value is a piece of the text (a line break or indentation at most turned
    into a space or taken out, two quotes into one), a piece of NFC text is NFC, and only an
    escape makes a character the text does not hold (but `\\"`, `\\\\`, `\\/`, `\\t` and `\\n`, which make
    none of those check_text warns of, and put no two characters of the text side by side)."""
    if text is None or ("\\" in text and _ESCAPE.search(text)) or _unclean().search(text):
        return False
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def _strings_where(data: Any, keep: Callable[[str], bool]) -> list[tuple[DataPath, str]]:
    """The text values of the raw tree `keep` says yes to, with their paths, in `_strings`'s order
    (a path made only for those and for the collections on the way)."""
    out: list[tuple[DataPath, str]] = []
    if isinstance(data, str) and not keep(data):
        return out
    stack: list[tuple[DataPath, Any]] = [((), data)]
    pop, push = stack.pop, stack.append
    while stack:
        path, value = pop()
        if isinstance(value, dict):
            items: Iterator[tuple[Any, Any]] = iter(value.items())
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            if isinstance(value, str):  # one `keep` said yes to
                out.append((path, value))
            continue
        for k, v in items:
            if isinstance(v, str):
                if keep(v):
                    push((path + (k,), v))
            elif isinstance(v, (dict, list)):
                push((path + (k,), v))
    return out


def check_text(data: Any, text: str | None = None, clean: bool | None = None) -> list[Diagnostic]:
    """Warnings for text that is not NFC, looks pasted from TCVN3/VNI, or holds a control
    character (ESC, BEL, a carriage return …) or a text-reordering mark. `text`: the file the
    data was read from, when it is: a file with none of these anywhere is passed by one look
    (`clean`: what `text_is_clean(text)` says, when it is known)."""
    out: list[Diagnostic] = []
    if clean if clean is not None else text_is_clean(text):
        return out
    for path, value in _strings(data):
        at = first_unprintable(value)
        if at is not None:
            out.append(_d("unprintable-char", path, "warning", char=escape_char(value[at])))
        if not unicodedata.is_normalized("NFC", value):
            out.append(_d("not-nfc", path, "warning", fixed=nfc(value)[:60]))
        legacy = legacy_encoding(value)
        if legacy:
            out.append(_d("legacy-encoding", path, "warning", encoding=legacy[0], sample=legacy[1]))
    return out


FILL_MARKS = ("…", "...")  # a blank left to fill in (`kehoach init` writes "…")
QUOTED_FILL = ('"…"', "“…”")  # a blank inside a text: 'chủ đề năm 2022 "…"'


def _to_fill(value: str) -> bool:
    return ("…" in value or "..." in value) and (value.strip() in FILL_MARKS or any(q in value for q in QUOTED_FILL))


# "..." that could be a whole value once stripped: nothing but a space, an indicator or a quote
# before it on its line, and nothing but spaces, a quote, the end of a flow item or a comment after
_DOTS_ALONE = re.compile(r"""\.\.\.(?<![^\s:\-\[{,'"]\.\.\.)(?=[ \t]*(?:['"][ \t]*)?(?:$|[,\]}#\r\n]))""", re.M)


def check_to_fill(data: Any, text: str | None = None) -> list[Diagnostic]:
    """A `to-fill` warning at each value left as "…" to fill in (`text`: the file the data was
    read from, when it is: one without "…", "..." standing alone, or an escape has none); and at
    the plan's date written empty (`issued:`, as `kehoach init` leaves it): every document cites
    the plan by its number and date."""
    info = _map(_map(data).get("plan"))
    out = [_d("to-fill", ("plan", "issued"), "warning", path="plan.issued")] \
        if "issued" in info and info["issued"] is None else []
    if text is not None and "…" not in text and not _DOTS_ALONE.search(text) and not _ESCAPE.search(text):
        return out
    return out + [_d("to-fill", path, "warning", path=loc_text(path)) for path, value in _strings_where(data, _to_fill)]


def check_uncertain(data: Any) -> list[Diagnostic]:
    """A note (`info`: listed, never a failure) at each value `plan.uncertain` says is not sure,
    until someone confirms it from the signed paper and deletes the entry."""
    top = _map(data)
    info = _map(top.get("plan"))
    out: list[Diagnostic] = []
    for key, why in _map(info.get("uncertain")).items():
        where: DataPath = ("plan", key) if key in info else (key,) if key in top else ("plan", "uncertain", key)
        value = info[key] if key in info else top.get(key)
        if isinstance(value, list):  # the signers: their names
            value = ", ".join(str(_map(v).get("name", v) if isinstance(v, dict) else v) for v in value)
        out.append(_d("uncertain-value", where, "info", field=key if key in top and key not in info else f"plan.{key}",
                      value=_shown(value), why=" ".join(str(why).split())))
    return out


def _shown(value: object) -> str | Day:
    """A value as a message shows it: a date in the reader's way (14/01/2021), else its text."""
    if isinstance(value, dt.date):
        return _fmt(value)
    if isinstance(value, str):
        day = _date(value)  # a date the raw tree holds as text
        if day is not None:
            return _fmt(day)
    return "" if value is None else str(value)


def check_undated_references(data: Any, severity: str = "info") -> list[Diagnostic]:
    """A reference cited without a date (`date: null`): a note in a plan, a warning in a draft."""
    return [_d("reference-undated", ("references", i, "date"), severity, id=str(_map(ref).get("id")),
               number=str(_map(ref).get("number")))
            for i, ref in enumerate(_list(_map(data).get("references")))
            if isinstance(ref, dict) and "date" in ref and ref["date"] is None]


def run_all(data: dict[str, Any], doc: Document | None,
            known: dict[str, AbstractSet[str]] | None = None, text: str | None = None,
            clean: bool | None = None) -> list[Diagnostic]:
    """Every whole-plan check; `known`: ids defined outside the file (the bodies of its catalogue);
    `text`: the file `data` was read from (lets the checks of its words pass a clean file at once;
    `clean`: what `text_is_clean(text)` says, when it is known)."""
    draft = _map(data.get("plan")).get("draft") is True
    tasks = list(iter_raw_tasks(data))
    return (check_ids(data, doc, tasks) + check_references(data, known, tasks) + check_dates(data, tasks)
            + check_text(data, text, clean)
            + check_to_fill(data, text) + check_uncertain(data)
            + check_undated_references(data, "warning" if draft else "info"))


# ---------------------------------------------------------------- a draft: what is left to confirm

PLACEHOLDER_NAMES = ("chua ro", "khong ro", "unknown")  # folded: what an importer writes for a body not read


def _marked(text: str) -> bool:
    """Whether `text` holds one Vietnamese letter with a diacritic (or đ)."""
    return any(ch in "đĐ" or unicodedata.normalize("NFD", ch) != ch for ch in text)


def _comment_prefixes() -> tuple[str, ...]:
    """'kiểm tra:', 'check:': how `kehoach import` begins a comment on a value it guessed, in each language."""
    from kehoach.base.messages import LANGS, text

    return tuple(fold(text("import.check", lang, what="")).strip() for lang in LANGS)


# a comment that may begin as `import` and `init` begin theirs (one quick look over the text first)
_CHECK_COMMENT = re.compile(r"#[ \t]*(?:ki\S{0,6}m[ \t]+tra|check)[ \t]*:", re.IGNORECASE)  # "kiểm" in any form


# a key whose value is a block of text on the lines below it ("description: |-", "- >")
_BLOCK_START = re.compile(r"(?:^|:|^\s*-)[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")


def check_comments_left(text: str) -> list[Diagnostic]:
    """A warning at each `# kiểm tra:` comment line still in the file (a guess nobody confirmed)."""
    prefixes = _comment_prefixes()
    out: list[Diagnostic] = []
    block: int | None = None  # the indent of the key whose block of text (`|`, `>`) the lines are in
    for number, line in enumerate(text.splitlines(), 1):
        body = line.lstrip()
        indent = len(line) - len(body)
        if block is not None and (not body or indent > block):
            continue  # a line of a block of text: "# kiểm tra:" there is the text's, not a comment
        block = indent if _BLOCK_START.search(line) else None
        if not body.startswith("#"):
            continue
        said = body[1:].strip()
        if fold(said[:20]).startswith(prefixes):
            d = _d("check-comment-left", (), "warning", comment=said[:100])
            d.line, d.col = number, len(line) - len(body) + 1
            out.append(d)
    return out


def check_draft(data: Any, bodies: list[Any], text: str | None) -> list[Diagnostic]:
    """In a plan marked `draft: true` (written by `kehoach import`), a warning for each thing left
    to confirm, and one at the mark itself saying how many: an issuer not known (a placeholder
    name, or a name copied from the text without diacritics, which no catalogue body matched), no
    date of issue, text without diacritics (OCR), each `# kiểm tra:` comment left. (Undated
    references are warned of by `check_undated_references`.) Outside a draft, only the `# kiểm
    tra:` comments left (`kehoach init` writes them too: a year's own focus moved to the next)."""
    info = _map(_map(data).get("plan"))
    if info.get("draft") is not True:
        return check_comments_left(text) if text is not None and _CHECK_COMMENT.search(text) else []
    out: list[Diagnostic] = []
    named = {str(_map(b).get("id")): _map(b) for b in bodies if isinstance(b, dict)}
    for i, ident in enumerate(_list(info.get("issuers"))):
        body = named.get(str(ident))
        if body is None:
            continue  # undefined: an error already
        name = str(body.get("name") or "").strip()
        folded = fold(name)
        if (not name or any(m in name for m in FILL_MARKS) or str(ident).startswith("chua-ro")
                or any(p in folded for p in PLACEHOLDER_NAMES)):
            why = Msg("issuer-unknown.placeholder", {"name": name})
        elif not _marked(name):
            why = Msg("issuer-unknown.unmatched", {"name": name})
        else:
            continue
        out.append(_d("issuer-unknown", ("plan", "issuers", i), "warning", id=str(ident), why=why))
    if info.get("issued") is None:
        out.append(_d("issued-missing", ("plan", "issued") if "issued" in info else ("plan",), "warning"))
    values = [(path, value) for path, value in _strings(data)
              if path[-1] not in ("id", "kind", "every", "convention") and sum(ch.isalpha() for ch in value) >= 20]
    if values and not has_diacritics(" ".join(v for _, v in values)):
        bare = [(path, value) for path, value in values if not _marked(value)]
        order = {key: i for i, key in enumerate(_map(data))}

        def in_file_order(pv: tuple[DataPath, str]) -> tuple[int, list[tuple[int, int, str]]]:
            return order.get(str(pv[0][0]), 0), [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in pv[0]]

        first = min(bare or values, key=in_file_order)
        out.append(_d("no-diacritics", first[0], "warning", n=len(bare), sample=" ".join(first[1].split()[:6])))
    if text is not None:
        out += check_comments_left(text)
    left = len(out) + sum(1 for ref in _list(_map(data).get("references"))
                          if isinstance(ref, dict) and "date" in ref and ref["date"] is None)
    return [_d("draft", ("plan", "draft"), "warning", n=left), *out]


def check_workdays(plan: Plan, schedule: Schedule | None = None) -> list[Diagnostic]:
    """A `non-working-day` warning for each due date the plan names to the day that is a weekend or holiday.

    One warning per deadline value; a recurring duty or meeting gets one per
    occurrence that falls badly, naming the occurrence. The last day of a month,
    quarter, half or year ("tháng 10/2021", "năm 2022", "hằng quý") is not
    warned about: the plan names the period, not the day, and no edit of the
    plan could follow the warning (31/12/2022 is a Saturday whatever the plan says).
    `schedule`: the plan's, when it is at hand.
    """
    from kehoach.base.vndates import PeriodWords
    from kehoach.base.workdays import day_off_reason, days_off, previous_working_day
    from kehoach.plan.schedule import build_schedule

    overrides = days_off(plan)
    out: list[Diagnostic] = []
    seen: set[tuple[tuple[str | int, ...], str | None]] = set()  # (path of the value, occurrence)
    if schedule is None:
        schedule = build_schedule(plan)
    items = [d for n in schedule.nodes for d in n.dues] + schedule.meeting_dates
    for item in items:
        key = (item.loc, item.code)
        if not item.exact or key in seen:
            continue
        seen.add(key)
        reason = day_off_reason(item.due, overrides)
        if reason is None:
            continue
        what = Msg("what.meeting-day" if item.kind == "meeting" else "what.due-date")
        of: Msg | str = ""
        if item.period is not None:
            of = Msg("day.of-period", {"period": PeriodWords(item.period.key, item.period.year)})
        params = {
            "what": what,
            "date": date_param(item.due),
            "of": of,
            "day": reason,
            "previous": date_param(previous_working_day(item.due, _overrides=overrides)),
        }
        if item.code:
            params["occurrence"] = item.code
        out.append(Diagnostic("non-working-day", "warning", params=params, loc=item.loc))
    return out
