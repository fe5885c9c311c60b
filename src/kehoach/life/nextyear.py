"""Next year's plan from this year's (`kehoach init --year 2022 --from plans/2021.yaml`).

The same bodies, references, reporting regime, meetings and recurring duties;
every deadline moved into the new year (a date keeps its day and month, clamped
to the month's end); progress cleared; the tasks unfinished at the end of the
old plan (by the evaluation of its last period) carried over, each marked with
`carried_over:` (the old plan, its old deadline, its last percent and note);
the header's number, theme and signers left as clearly marked blanks ("…",
which `kehoach check` reports as to fill in) and its date empty. The file is
edited as a ruamel.yaml round trip, so the old plan's comments stay where
they still apply.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.deadlines import Deadline, Triggered, shift_deadline
from kehoach.base.messages import text
from kehoach.base.periods import YEAR_IN_TEXT
from kehoach.base.text import INVISIBLE, escape_char, fold

if TYPE_CHECKING:
    from kehoach.plan.model import Plan

FILL = "…"  # a blank to fill in: `kehoach check` warns about it (to-fill)
_OWN_YEAR = re.compile(r"(?i)(\b(?:năm|nam|tháng\s+\d{1,2}\s*/|thang\s+\d{1,2}\s*/|quý\s+[IV]+\s*/|quy\s+[IV]+\s*/)\s*)"
                       r"(\d{4})(?!\d)(?!\s*[-–]\s*\d{4})")


def shift_date(day: dt.date, years: int) -> dt.date:
    """The same day and month `years` later, clamped to the month's end (29/02 → 28/02)."""
    year = day.year + years
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


# a year named after these words is a fact or a horizon ('từ năm 2020', 'đến hết năm 2022'), or
# a document's ('Luật Thanh niên năm 2020', 'Quyết định số 416/QĐ-TTg năm 2020'), not the plan's
# year or its neighbour; read in the words just before it (a bounded window: linear in the text)
_FIXED_BEFORE = re.compile(r"\b(?:tu|den|toi|truoc|sau)(?:\s+(?:het|cuoi|dau))?\s+$")
_DOCUMENT_BEFORE = re.compile(r"\b(?:luat|nghi quyet|nghi dinh|quyet dinh|chi thi|ket luan|thong tu|thong bao|"
                              r"huong dan|cong van|chuong trinh so|ke hoach so|so \d\S*)[^;,.:]*$")
_WINDOW = 80  # characters before a year read for the words that fix it


def _shift_words(value: str, old: int, new: int) -> str:
    """The years a title names relative to the plan's own, moved together: 'năm 2021', 'tháng
    12/2021', 'quý II/2021' (with or without diacritics), and the year before or after it as the
    plan speaks of them ('tổng kết năm 2021 và triển khai năm 2022' → '… năm 2022 … năm 2023';
    'tình hình năm 2020' → 'năm 2021'). A year in a span of years ('giai đoạn 2017 - 2021'), in a
    document's date ('ngày 13/02/2021') or in its number, a neighbouring year after 'từ', 'đến',
    'trước', 'sau' ('từ năm 2020', 'đến năm 2022') and any farther year stay as written."""
    def moved(m: re.Match[str]) -> str:
        named = int(m.group(2))
        if named != old:
            before = fold(value[max(0, m.start() - _WINDOW):m.start()]) + " "
            if abs(named - old) != 1 or _FIXED_BEFORE.search(before) or _DOCUMENT_BEFORE.search(before):
                return m.group(0)
        return f"{m.group(1)}{named + new - old}"
    return _OWN_YEAR.sub(moved, value)


def next_year(source_text: str, plan: Plan, year: int, lang: str = "vi", moved: tuple[Path, Path] | None = None,
              kept_done: list[str] | None = None) -> str:
    """The YAML text of the plan for `year`, made from `plan` (whose file's text is `source_text`);
    `moved`: (the old file's folder, the new one's), when they differ, for `bodies_from` paths."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from kehoach.base.periods import Span
    from kehoach.judge.evaluation import UNFINISHED, Verdict, evaluate

    old_year = plan.plan.period.end.year
    years = year - old_year
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    # an empty value is written `null`, as the plans write it (ruamel would leave it bare)
    rt.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    data = rt.load(source_text)

    # the judgement of the old plan's last period: what was left unfinished
    info = plan.plan.period
    # up to its last entry: what was finished after the year's end (a part recorded on 05/01, in
    # the days after the plan that its reports may take) is not carried, nor its percent left behind
    last = max((e.date for t, _ in plan.iter_tasks() for e in t.progress), default=info.end)
    ev = evaluate(plan, Span(info.start, max(info.end, last), None, info.start.year))
    # what was left unfinished; and work whose event happened, due after the old plan ended (its days
    # run into the new year: "14/01/2022 (trong 30 ngày, sau khi … ngày 15/12/2021)")
    unfinished = {j.node.id: j for j in ev.judged if j.occurrence is None and (
        j.verdict in UNFINISHED
        or (j.verdict in (Verdict.IN_PROGRESS, Verdict.NOT_STARTED) and _happened(j.node.deadline)))}
    done = {j.node.id: j for j in ev.judged
            if j.verdict in (Verdict.DONE_ON_TIME, Verdict.DONE_LATE, Verdict.DONE_BEFORE)
            and j.occurrence is None and j.done_on is not None}

    head = data["plan"]
    ident = str(head["id"])
    head["id"] = YEAR_IN_TEXT.sub(str(year), ident) if YEAR_IN_TEXT.search(ident) else f"{ident}-{year}"
    head["title"] = _shift_words(str(head["title"]), old_year, year)
    if "number" in head:
        _blank(head, "number", FILL, text("init.fill-number", lang, y=year))
    if "issued" in head:
        _blank(head, "issued", None, text("init.fill-issued", lang))
    if head.get("theme"):
        _blank(head, "theme", FILL, text("init.fill-theme", lang, y=year))
    # what was uncertain about a value left blank goes with it
    unsure = head.get("uncertain")
    if hasattr(unsure, "keys"):
        for key in ("number", "issued", "theme", "signers"):  # each left blank below (the signers' names)
            if key in unsure:
                _drop(unsure, key)
        if not unsure:
            _drop(head, "uncertain")
    head["period"]["start"] = shift_date(info.start, years)
    head["period"]["end"] = shift_date(info.end, years)

    theme = (plan.plan.theme or "").strip()

    def _new_words(value: str) -> Any:
        """A title or description in next year's words: its year moved, the old year's theme a blank."""
        words = _shift_words(value, old_year, year)
        if theme and theme in words:
            words = words.replace(theme, FILL)
        return _like(value, words) if words != value else value

    done_notes: set[str] = set()

    def task(node: CommentedMap, seq: CommentedSeq, index: int, depth: int = 0) -> None:
        tid = str(node.get("id"))
        # the comment lines after the task (a heading of the next section, a note on the next code)
        # stay after it, whatever its keys become
        after = _take_after(node, list(node.keys())[-1]) if len(node) else ""
        if "progress" in node:
            _drop(node, "progress")
        j = unfinished.get(tid)
        above: list[str] = []  # comment lines above the task's dash
        if "deadline" in node:
            node["deadline"] = _shift_value(node["deadline"], years, carried=j is not None)
        if j is not None:
            from kehoach.base.vndates import short_date

            carried = CommentedMap()
            carried["plan"] = plan.plan.id
            carried["deadline"] = _old_deadline(j.task.deadline, j.due, lang)
            carried["percent"] = j.percent
            if j.last is not None:
                carried["note"] = f"{short_date(j.last.date, lang)}: {j.last.note}"
            own = {s.body: s.percent for s in j.leads if s.body}
            if len(own) > 1 and len(set(own.values())) > 1:  # the leads stand apart: each its own part
                parts = CommentedMap(own)
                parts.fa.set_flow_style()
                carried["leads"] = parts
            node["carried_over"] = carried
        else:  # a carried-over task is the old year's work, in the old year's words
            focus = False
            for key in ("title", "description"):
                if isinstance(node.get(key), str):
                    focus = focus or bool(_year_focus(str(node[key]), old_year))
                    node[key] = _new_words(node[key])
            if focus:  # "năm 2021 là Hòa Phát Dung Quất" is now said of 2022: someone must look
                above.append(text("import.check", lang, what=text("init.check-focus", lang, old=old_year, y=year)))
            if isinstance(node.get("deliverables"), list):
                for i, item in enumerate(node["deliverables"]):
                    node["deliverables"][i] = _like(item, _shift_words(str(item), old_year, year))
        if j is None and tid in done and not node.get("subtasks"):
            from kehoach.base.vndates import short_date

            day = done[tid].done_on
            assert day is not None
            above.append(text("init.done-before", lang, date=short_date(day, lang), y=year))
            if kept_done is not None:  # the caller names them: each is to be kept or deleted
                kept_done.append(tid)
        if above:
            done_notes.update("# " + note for note in above)
            seq.yaml_set_comment_before_after_key(index, before="\n".join(above))  # above the dash, never after it
        for k, sub_task in enumerate(node.get("subtasks") or []):
            task(sub_task, node["subtasks"], k, depth + 1)
        if len(node):
            _put_after(node, list(node.keys())[-1], after)

    for i, t in enumerate(data.get("tasks") or []):
        task(t, data["tasks"], i)
    # the objectives speak of the plan's own year too ('nhiệm vụ và giải pháp năm 2021'): moved; one
    # that cites a document (by its number) is left as written, the year in the document's title is
    # the document's own ("Kết luận số 25-KL/TU … giải pháp năm 2021"), and a comment asks for this
    # year's document
    numbers = [str(r.get("number")) for r in data.get("references") or [] if hasattr(r, "get") and r.get("number")]
    objectives: Any = data.get("objectives") or []
    for i, objective in enumerate(objectives):
        if not hasattr(objective, "get") or not isinstance(objective.get("text"), str):
            continue
        cited = [n for n in numbers if n in objective["text"]]
        if not cited:
            objective["text"] = _new_words(objective["text"])
        else:
            if theme and theme in objective["text"]:  # the old year's theme a blank all the same
                objective["text"] = _like(objective["text"], objective["text"].replace(theme, FILL))
            objectives.yaml_set_comment_before_after_key(i, before=text(
                "import.check", lang, what=text("init.check-citation", lang, numbers=", ".join(cited), y=year)),
                indent=2)
    for m in data.get("meetings") or []:
        m["when"] = _shift_value(m["when"], years)
        for key in ("name", "note"):  # "Hội nghị tổng kết năm (tháng 12/2021)" moves with its date
            if isinstance(m.get(key), str):
                m[key] = _like(m[key], _shift_words(m[key], old_year, year))
    if data.get("holidays"):
        data["holidays"] = CommentedSeq()
        data.yaml_set_comment_before_after_key("holidays", before=text("init.fill-holidays", lang, y=year))
    if moved is not None and moved[0].resolve() != moved[1].resolve() and data.get("bodies_from"):
        def again(written: str) -> str:  # the same catalogue, seen from the new plan's folder
            return Path(os.path.relpath(moved[0] / written, moved[1])).as_posix()

        value = data["bodies_from"]
        if isinstance(value, str):
            data["bodies_from"] = again(value)
        else:
            for i, written in enumerate(value):
                value[i] = again(str(written))
    for signer in data.get("signers") or []:
        _blank(signer, "name", FILL, text("init.fill-signer", lang))
    _quote_invisible(data)
    out = io.StringIO()
    rt.dump(data, out)
    return _aligned(_escape_invisible(out.getvalue()), done_notes)


_INVISIBLE = re.compile("[" + INVISIBLE + "]")


def _quote_invisible(data: Any) -> None:
    """Every text holding a character that reorders or hides text (which the old plan wrote as an
    escape, `"\\u202e"`) set double-quoted, so that `_escape_invisible` writes it as an escape again:
    written raw it reorders what an editor and the terminal show."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    stack = [data]
    while stack:
        node = stack.pop()
        items = (list(node.items()) if isinstance(node, dict)
                 else list(enumerate(node)) if isinstance(node, list) else [])
        for key, value in items:
            if isinstance(value, str) and _INVISIBLE.search(value):
                node[key] = DoubleQuotedScalarString(value)
            elif isinstance(value, dict | list):
                stack.append(value)


# what a year's own focus is said with: "năm 2021 là Hòa Phát Dung Quất", "năm 2021 tập trung cho Dự án …",
# "năm 2021 trọng tâm là …", "trong năm 2021, chủ yếu …"
_FOCUS = r"năm {year}\s*,?\s*(?:là|tập trung|trọng tâm|chủ yếu|ưu tiên)\b"


def _year_focus(words: str, year: int) -> bool:
    """Whether a text says what one year in particular is about (its year moved, the rest would
    be said of the new year unread)."""
    return re.search(_FOCUS.format(year=year), words, re.IGNORECASE) is not None


def _aligned(written: str, notes: set[str]) -> str:
    """Each of `notes` (comment lines above a task) indented as the task's dash below it."""
    if not notes:
        return written
    lines = written.split("\n")
    for i, line in enumerate(lines[:-1]):
        if line.strip() in notes:
            below = lines[i + 1]
            lines[i] = " " * (len(below) - len(below.lstrip())) + line.strip()
    return "\n".join(lines)


def _escape_invisible(written: str) -> str:
    """Those characters written as `\\u` escapes (they stand only in double-quoted texts, or in a
    comment the old plan held them in)."""
    return _INVISIBLE.sub(lambda m: escape_char(m.group()), written)


def _like(old: str, new: str) -> Any:
    """`new` in the scalar style of `old`: a folded block (`>-`) keeps its line breaks where the
    words before them are unchanged in length, else is folded again at about 80 columns."""
    from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

    if not isinstance(old, ScalarString):
        return new
    made = type(old)(new)
    if isinstance(old, FoldedScalarString):
        folds = list(getattr(old, "fold_pos", []))
        if len(new) == len(old) and all(new[i] == old[i] for i in folds):
            made.fold_pos = folds
        else:
            made.fold_pos = _fold_at(new, 76)
    return made


def _fold_at(words: str, width: int) -> list[int]:
    """Positions of the spaces where a folded block breaks its lines, each line at most `width`."""
    folds: list[int] = []
    line_start, last_space = 0, -1
    for i, ch in enumerate(words):
        if ch == "\n":
            line_start, last_space = i + 1, i
        elif ch == " ":
            if i - line_start > width and last_space > line_start:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(words) - line_start > width and last_space > line_start:
        folds.append(last_space)
    return folds


def _happened(deadline: Deadline | None) -> bool:
    """Work due some days after an event that happened."""
    return isinstance(deadline, Triggered) and deadline.triggered_on is not None


def _old_deadline(deadline: Deadline | None, due: dt.date | None, lang: str) -> str:
    """A carried task's old deadline, as its plan wrote it, or in words (an event's day and the
    due date it gave)."""
    from kehoach.base.vndates import deadline_text, triggered_since
    from kehoach.plan.model import written_form

    if deadline is None:
        return ""
    written = written_form(deadline)
    if isinstance(written, str):
        return written
    if isinstance(deadline, Triggered) and deadline.triggered_on is not None and due is not None:
        return triggered_since(deadline, due, lang)  # as the reports word it
    return deadline_text(deadline, lang)


def _shift_value(value: Any, years: int, carried: bool = False) -> Any:
    """A deadline value `years` later: text forms moved, a triggered event forgotten (it happened
    in the old year), but for `carried` work, whose event stays as it happened (its days then run
    from the new plan's first day, `Triggered.due`; its words say both), a recurring or
    continuous one kept as it is."""
    if isinstance(value, dt.date):  # a bare date in YAML (2021-06-30, unquoted)
        return shift_date(value, years)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        shifted = shift_deadline(value, years)
        if isinstance(value, str) and not isinstance(shifted, str):
            return str(shifted)
        return shifted
    if hasattr(value, "get") and value.get("triggered_on") is not None and not carried:
        _drop(value, "triggered_on")
    return value


def _drop_comments_before(node: Any, key: str) -> None:
    """Remove the comment lines just above `key` (ruamel keeps them on the key before it; that
    key's own end-of-line comment stays)."""
    keys = list(node.keys())
    at = keys.index(key)
    if at == 0 or not hasattr(node, "ca"):
        return
    entry = node.ca.items.get(keys[at - 1])
    if not entry or len(entry) < 3 or entry[2] is None:
        return
    first, _, _rest = entry[2].value.partition("\n")
    entry[2].value = first + "\n"


def _end_slot(holder: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment lines that follow the value of holder[key]: on the last
    scalar of a block value (a mapping's key: place 2 of its comment entry; a list's item: place
    0), or at the end of the block list or mapping whose last item is written flow-style (place
    -1: its `ca.end`)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        pos = 2 if isinstance(holder, dict) else 0
        entry = holder.ca.items.get(key) if hasattr(holder, "ca") else None
        if entry is not None and len(entry) > pos and entry[pos] is not None:
            return holder, key, pos
        value = holder[key]
        if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
            if getattr(value.ca, "end", None):
                return value, None, -1
            holder, key = value, (list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1)
            continue
        return holder, key, pos


def _drop(node: Any, key: str) -> None:
    """Remove a key with the comments above it and on it; the comment lines after its value (which
    stand above the next task: a section's heading, a note on the next code) are kept, moved to the
    key before it."""
    _drop_comments_before(node, key)
    keys = list(node.keys())
    after = _take_after(node, key)
    if hasattr(node, "ca") and key in node.ca.items:
        del node.ca.items[key]
    del node[key]
    if keys.index(key) > 0:
        _put_after(node, keys[keys.index(key) - 1], after)


def _take_after(node: Any, key: Any) -> str:
    """The comment lines after the value of node[key] (not its end-of-line comment), taken away."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if not len(node):
        return ""
    holder, at, pos = _end_slot(node, key)
    if pos < 0:  # the end of a block list of flow items: comment lines only, each at its column
        after = "".join((" " * t.column if str(t.value).startswith("#") else "") + str(t.value) for t in holder.ca.end)
        holder.ca.end = []
        return after if after.strip() else ""
    entry = holder.ca.items.get(at) if hasattr(holder, "ca") else None
    token = entry[pos] if entry is not None and len(entry) > pos else None
    if token is None:
        return ""
    if isinstance(holder[at], LiteralScalarString | FoldedScalarString):  # a block text ends its own line:
        assert entry is not None  # every line of the token follows it
        entry[pos] = None
        return str(token.value) if str(token.value).strip() else ""
    line, _, after = str(token.value).partition("\n")
    if after.strip():
        token.value = line + "\n"
        return after
    return ""


def _put_after(node: Any, key: Any, after: str) -> None:
    """Comment lines put after the value of node[key] (`_take_after`'s)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
    from ruamel.yaml.tokens import CommentToken

    if not after.strip():
        return
    holder, at, pos = _end_slot(node, key)
    if pos < 0:
        holder.ca.end.append(CommentToken(after, CommentMark(0), None))
        return
    entry = holder.ca.items.setdefault(at, [None, None, None, None])
    entry += [None] * (4 - len(entry))
    block = isinstance(holder[at], LiteralScalarString | FoldedScalarString)  # its line already ended
    if entry[pos] is None:
        entry[pos] = CommentToken(after if block else "\n" + after, CommentMark(0), None)
    else:
        entry[pos].value = entry[pos].value.rstrip("\n") + "\n" + after


def _blank(node: Any, key: str, value: Any, note: str) -> None:
    """Set a value to be filled in, with a comment saying so; the comments that explained the
    old value go."""
    _drop_comments_before(node, key)
    if hasattr(node, "ca") and key in node.ca.items:
        del node.ca.items[key]
    node[key] = value
    node.yaml_add_eol_comment(note, key)


def origin_comment(text_: str, source: str, old_id: str, year: int, lang: str) -> str:
    """The new plan's text with a first comment saying where it comes from (after the modeline)."""
    lines = text_.splitlines(keepends=True)
    at = 1 if lines and lines[0].startswith("# yaml-language-server") else 0
    note = [f"# {line}\n" for line in text("init.origin", lang, y=year, source=source, plan=old_id).split("\n")]
    gap = [] if lines[at:at + 1] == ["#\n"] else ["#\n"]
    return "".join(lines[:at] + note + gap + lines[at:])


def make_next_year(source: str | os.PathLike[str], year: int, output: str | os.PathLike[str] | None,
                   force: bool = False, lang: str = "vi", kept_done: list[str] | None = None
                   ) -> tuple[Path | None, int, int, str]:
    """Write the plan for `year` made from the plan at `source` (None: write nothing, the caller
    shows the text); (its path, the tasks carried over, the blanks to fill in, the text); the
    one-off tasks done last year and left in it are added to `kept_done`. Refused
    when the source has errors, the year is not after it, the output exists (unless `force`) or
    is the source, or the result would not be a valid plan."""
    from kehoach.base.errors import KehoachError, UsageError
    from kehoach.outputs.documents import refuse_target, write
    from kehoach.plan.loader import load_text, require_plan

    loaded = require_plan(source)
    assert loaded.plan is not None and loaded.text is not None
    old = loaded.plan.plan.period.end.year
    if year <= old:
        raise UsageError("init-bad-year", {"year": year, "old": old})
    target = Path(output) if output is not None else None
    if target is not None:
        refuse_target(target, [Path(source), *map(Path, loaded.catalogues)], writes_yaml=True)
        if target.exists() and not force:
            raise UsageError("init-exists", {"path": str(target)})
    moved = (Path(source).parent, (target or Path(source)).parent)
    made = origin_comment(next_year(loaded.text, loaded.plan, year, lang, moved, kept_done), str(source),
                          loaded.plan.plan.id, year, lang)
    check = load_text(made, str(target or source))
    if not check.ok or check.plan is None:
        raise KehoachError("init-invalid", {"year": year}, [d for d in check.diagnostics if d.severity == "error"])
    if target is not None:
        write(made.encode("utf-8"), target)
    carried = sum(1 for t, _ in check.plan.iter_tasks() if t.carried_over is not None)
    fill = sum(1 for d in check.diagnostics if d.code == "to-fill")
    return target, carried, fill, made
