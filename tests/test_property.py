"""Property-based tests: plans built by Hypothesis, then damaged; every command copes.

Four properties, over small plans (1–12 tasks) that Hypothesis writes as YAML text:

- every generated plan passes `kehoach check` (the strategy builds valid plans);
- `kehoach log` of one entry into a valid plan: the plan still passes, the task has
  exactly that entry more, and the file is the file before plus the inserted lines;
- any plan, valid or damaged (a key deleted, a value of another type, an item doubled
  or moved, an id renamed, a date moved to year 1 / 9999 / 29 February, control
  characters, bidi controls, lone surrogates, markup and 10,000-character words in
  any text, raw bytes in the YAML): `check`, `status` (table, json, markdown),
  `report --period Q2` and `--period Y` (md, html, docx, json), `checklist`, `calendar`
  and `log` exit 0, 1 or 2 — never 3 (an internal error) and never a traceback —
  each example within Hypothesis' deadline, and nothing but a successful `log`
  changes the plan file (a successful `log` leaves a plan that still passes);
- a valid plan whose words carry control characters, reordering marks, surrogates, markup or long
  words: the same commands, and no output (standard output and error, Markdown, HTML, JSON, Word
  XML, iCalendar) carries a control character, a lone surrogate or a reordering mark.

CI runs a small share of each property (derandomized, about a minute in all); they are
marked slow, so that `pytest -m "not slow"` leaves them out while you work (the plain cases
below, tests/test_fuzz.py, tests/test_robustness.py and tests/test_security.py stay in it);
`pytest -m fuzz tests/test_property.py` runs the same properties for
KEHOACH_FUZZ_MINUTES minutes (30 by default) and reports every distinct failure with
the smallest plan that showed it. Failures found once are pinned below as plain
cases (REGRESSIONS), each with its shrunk input.

Nothing is written in the repository: plans and outputs go to temporary folders and
Hypothesis keeps no example database.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import difflib
import io
import os
import random
import re
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import configuration as _hypothesis_configuration
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from plans_for_tests import plan_yaml, task_yaml

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):  # never a .hypothesis folder in the repository
    _hypothesis_configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "kehoach-hypothesis")

from kehoach.base.text import legacy_encoding
from kehoach.cli.app import main
from kehoach.plan.loader import load_text
from kehoach.plan.model import read_deadline

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- settings

_COMMON = dict(
    database=None,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
    print_blob=False,
)
# CI: reproducible (derandomized) and small; KEHOACH_PROPERTY_EXAMPLES scales it for a local run.
_SCALE = float(os.environ.get("KEHOACH_PROPERTY_EXAMPLES", "1"))
settings.register_profile("kehoach-ci", derandomize=True, **_COMMON)
settings.register_profile("kehoach-fuzz", max_examples=10**9, derandomize=False, **{**_COMMON, "deadline": None})


def ci(examples: int) -> settings:
    return settings(settings.get_profile("kehoach-ci"), max_examples=max(1, int(examples * _SCALE)))


# ---------------------------------------------------------------- Vietnamese text

TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t",
          "th", "tr", "v", "x"]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uô", "ươ", "iê", "ai", "ao", "oi"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
WORDS = ["Tổ chức", "hội nghị", "quán triệt", "Nghị quyết", "dân vận", "chính quyền", "Sở Nội vụ", "Ủy ban",
         "nhân dân", "tỉnh", "Quảng Ngãi", "đối thoại", "trực tiếp", "khiếu nại", "tố cáo", "cải cách",
         "hành chính", "mô hình", "\"Dân vận khéo\"", "năm 2021", "quý II", "6 tháng", "báo cáo", "kết quả",
         "đã hoàn thành", "đạt 80%", "xã, phường", "thị trấn", "Mặt trận Tổ quốc Việt Nam", "đoàn thể",
         "giải phóng mặt bằng", "Bí thư", "Phó Chủ tịch", "đồng chí", "Nguyễn Văn An", "Trần Thị Bình",
         "Huỳnh Đức", "Võ Thanh", "Đặng Ngọc", "Lý Sơn", "Kết luận số 120-KL/TW", "Chỉ thị 16/CT-TTg",
         "(1)", "-", "&", "v.v.", "Ban Thường vụ", "ĐƯỢC", "Ưu tiên", "ổn định", "Ứng dụng"]


def _syllable(onset: str, nucleus: str, coda: str, tone: str, upper: bool) -> str:
    text = unicodedata.normalize("NFC", onset + nucleus[0] + tone + nucleus[1:] + coda)
    return text[:1].upper() + text[1:] if upper else text


syllables = st.builds(_syllable, st.sampled_from(ONSETS), st.sampled_from(NUCLEI), st.sampled_from(CODAS),
                      st.sampled_from(TONES), st.booleans())
_words = st.lists(st.one_of(st.sampled_from(WORDS), syllables), min_size=1, max_size=7).map(" ".join)
vi_text = st.builds(lambda w, tail: w + tail, _words,
                    st.sampled_from(["", ".", ",", ";", ":", " (2)", " - 2021", " 50%", "?", "!", " #1", " …x"])
                    ).filter(lambda t: legacy_encoding(t) is None)
short_text = st.one_of(st.sampled_from(WORDS), syllables).filter(lambda t: legacy_encoding(t) is None)
PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Châu", "Phạm Minh Đức"]

# ---------------------------------------------------------------- YAML text from data


class Raw(str):
    """A scalar written into the YAML exactly as it is (no quoting): `2021-02-29`, `*alias`."""


@dataclasses.dataclass(frozen=True)
class Style:
    """How a plan is spelled: every choice leaves the same data."""

    seq_indent: int = 2  # a block list's dash this far past its key (0 or 2)
    flow: float = 0.0  # how often a small mapping or list is written {a: 1} / [a, b]
    quotes: str = "auto"  # auto (plain when safe), double, single, mixed
    comments: bool = False
    crlf: bool = False
    final_newline: bool = True
    seed: int = 0
    flow_tasks: bool = False  # tasks too may be flow mappings (`kehoach log` refuses to write into one)


styles = st.builds(Style, st.sampled_from([2, 0]), st.sampled_from([0.0, 0.5, 1.0]),
                   st.sampled_from(["auto", "double", "single", "mixed"]), st.booleans(),
                   st.booleans(), st.booleans(), st.integers(0, 2**16))

# YAML's printable characters (c-printable), minus the line breaks a quoted scalar may not hold raw.
_PRINTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_PLAIN = re.compile(r"^[^\W\d_](?:[^\x00-\x1f\x7f-\x9f:#,\[\]{}\"'|>&*!%@`\\]*"
                    r"[^\s\x00-\x1f\x7f-\x9f:#,\[\]{}\"'|>&*!%@`\\])?$")
_PLAIN_DEADLINE = re.compile(r"^\d{4}-(?:[QqHh]\d|9M|\d{2}(?:-\d{2})?)(?:\.\.\d{4}-(?:[QqHh]\d|9M|\d{2}(?:-\d{2})?))?$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0", "\x1b": "\\e"}


def double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _PRINTABLE.fullmatch(ch):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _all_printable(text: str) -> bool:
    return all(_PRINTABLE.fullmatch(ch) for ch in text)


def scalar(value: Any, style: Style, rng: random.Random) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return rng.choice(["null", "~"])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    text = str(value)
    quotes = style.quotes if style.quotes != "mixed" else rng.choice(["auto", "double", "single"])
    plain_ok = bool(_PLAIN.match(text) or _PLAIN_DEADLINE.match(text)) and text.lower() not in _RESERVED
    plain_ok = plain_ok and _all_printable(text) and len(text) < 1000
    if quotes == "auto" and plain_ok:
        return text
    if quotes == "single" and _all_printable(text) and text.strip() == text:
        return "'" + text.replace("'", "''") + "'"
    return double_quoted(text)


def _flowable(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, (list, dict)) for v in value)
    if isinstance(value, dict):
        return all(not isinstance(v, dict) and (not isinstance(v, list) or _flowable(v)) for v in value.values())
    return False


def _flow(value: Any, style: Style, rng: random.Random) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, style, rng) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v, style, rng)}" for k, v in value.items()) + "}"
    return scalar(value, style, rng)


COMMENTS = ["# ghi chú: kiểm tra lại", "# TODO: bổ sung", "#", "# -- hết mục --"]


def _block_map(data: dict, indent: int, style: Style, rng: random.Random, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if style.comments and out and rng.random() < 0.15:
            out.append(pad + rng.choice(COMMENTS))
        head = f"{pad}{key}:"
        if isinstance(value, (list, dict)) and not value:
            out.append(f"{head} {'[]' if isinstance(value, list) else '{}'}")
        elif isinstance(value, (list, dict)) and _flowable(value) and rng.random() < style.flow:
            out.append(f"{head} {_flow(value, style, rng)}")
        elif isinstance(value, list):
            out.append(head)
            _block_seq(value, indent + style.seq_indent, style, rng, out)
        elif isinstance(value, dict):
            out.append(head)
            _block_map(value, indent + 2, style, rng, out)
        elif value is None and rng.random() < 0.3:
            out.append(head)
        else:
            tail = "  # " + rng.choice(["đã sửa", "x"]) if style.comments and rng.random() < 0.1 else ""
            out.append(f"{head} {scalar(value, style, rng)}{tail}")


def _block_seq(items: list, indent: int, style: Style, rng: random.Random, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        task_like = isinstance(item, dict) and "title" in item and not style.flow_tasks
        if isinstance(item, dict) and item and (task_like or not (_flowable(item) and rng.random() < style.flow)):
            sub: list[str] = []
            _block_map(item, indent + 2, style, rng, sub)
            out.append(pad + "- " + sub[0][indent + 2:])
            out.extend(sub[1:])
        elif isinstance(item, (list, dict)):
            out.append(pad + "- " + _flow(item, style, rng))
        else:
            out.append(pad + "- " + scalar(item, style, rng))
        if style.comments and rng.random() < 0.1:
            out.append(pad + rng.choice(COMMENTS))


def emit(data: Any, style: Style) -> str:
    """The YAML text of `data`, spelled as `style` says."""
    rng = random.Random(style.seed)
    out: list[str] = []
    if style.comments:
        out.append("# yaml-language-server: $schema=../schema/plan.schema.json")
    if isinstance(data, dict) and data:
        _block_map(data, 0, style, rng, out)
    else:
        out.append(_flow(data, style, rng) if isinstance(data, (list, dict)) else scalar(data, style, rng))
    newline = "\r\n" if style.crlf else "\n"
    return newline.join(out) + (newline if style.final_newline else "")


# ---------------------------------------------------------------- valid plans


@dataclasses.dataclass
class GenPlan:
    data: dict  # the plan as Python values (dates as datetime.date)
    style: Style
    files: dict[str, dict]  # other files beside the plan (a body catalogue), by relative path
    leaves: list[str]  # the ids of the tasks without subtasks
    start: dt.date
    end: dt.date
    convention: str

    def text(self, data: dict | None = None) -> str:
        return emit(self.data if data is None else data, self.style)

    def write(self, folder: Path, data: dict | None = None, text: str | None = None) -> Path:
        for name, content in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(emit(content, self.style), encoding="utf-8", newline="")
        path = folder / "ke-hoach.yaml"
        path.write_bytes((self.text(data) if text is None else text).encode("utf-8", "surrogatepass"))
        return path


BODY_POOL = [("bdvtu", "Ban Dân vận Tỉnh ủy", "BDVTU", "party"),
             ("bcsd-ubnd", "Ban Cán sự đảng UBND tỉnh", None, "party"),
             ("ubnd-tinh", "Ủy ban nhân dân tỉnh", "UBND tỉnh", "state"), ("so-noi-vu", "Sở Nội vụ", "SNV", "state"),
             ("mttq-tinh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQVN tỉnh", "mass"),
             ("tinh-doan", "Tỉnh đoàn", None, "mass"), ("so-tu-phap", "Sở Tư pháp", "STP", "state"),
             ("B7", "Thanh tra tỉnh", "TTr", "state"), ("x.y_z", "Hội Nông dân tỉnh", None, "mass")]
ROMAN = ["I", "II", "III", "IV", "V"]
CONTINUOUS = ["thường xuyên", "continuous", "Thường xuyên", "thuong xuyen", " thường xuyên "]
EVERY_KEYS = {"month": [f"M{m:02d}" for m in range(1, 13)], "quarter": ["Q1", "Q2", "Q3", "Q4"],
              "half": ["H1", "H2", "Y"], "year": ["Y"]}


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


def _dated_forms(day: dt.date, start: dt.date, end: dt.date) -> list[tuple[Any, dt.date, dt.date]]:
    """(written form, window start, due) of each dated deadline that holds `day` and is due inside the period."""
    y, m = day.year, day.month
    q, h = (m - 1) // 3 + 1, (m - 1) // 6 + 1
    forms: list[tuple[Any, dt.date, dt.date]] = [
        (day.isoformat(), day, day), (day, day, day),
        (f"{y}-{m:02d}", dt.date(y, m, 1), _month_end(y, m)),
        (f"{y}-Q{q}", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)),
        (f"{y}-q{q}", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)),
        (f"{y}-H{h}", dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h)),
        (str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)), (y, dt.date(y, 1, 1), dt.date(y, 12, 31)),
    ]
    if m <= 9:
        forms.append((f"{y}-9M", dt.date(y, 1, 1), dt.date(y, 9, 30)))
    return [f for f in forms if start <= f[2] <= end]


@st.composite
def deadlines(draw, start: dt.date, end: dt.date, text: st.SearchStrategy[str] = short_text) -> Any:
    """A deadline (or a meeting's `when`) in any form, due inside the period when it names a day."""
    kind = draw(st.sampled_from(["dated", "range", "continuous", "continuous-map", "recurring", "triggered"]))
    span = (end - start).days
    if kind in ("dated", "range"):
        day = start + dt.timedelta(days=draw(st.integers(0, span)))
        forms = _dated_forms(day, start, end)
        if kind == "range":
            later = day + dt.timedelta(days=draw(st.integers(0, max(0, (end - day).days))))
            rights = [f for f in _dated_forms(later, start, end) if not isinstance(f[0], (int, dt.date))]
            lefts = [f for f in forms if not isinstance(f[0], (int, dt.date))]
            if lefts and rights:
                left, right = draw(st.sampled_from(lefts)), draw(st.sampled_from(rights))
                if right[2] >= left[1]:
                    return f"{left[0]}..{right[0]}"
        return draw(st.sampled_from(forms))[0]
    if kind == "continuous":
        return draw(st.sampled_from(CONTINUOUS))
    if kind == "continuous-map":
        out: dict[str, Any] = {"continuous": True}
        if draw(st.booleans()):
            out["review"] = draw(st.sampled_from(list(EVERY_KEYS)))
        return out
    if kind == "recurring":
        every = draw(st.sampled_from(list(EVERY_KEYS)))
        out = {"every": every}
        if draw(st.booleans()):
            keys = draw(st.lists(st.sampled_from(EVERY_KEYS[every]), min_size=1, max_size=3, unique=True))
            out["periods"] = [k.lower() if draw(st.booleans()) and k != "Y" else k for k in keys]
        if draw(st.booleans()):
            out["days_after"] = draw(st.integers(-60, 60))
        return out
    out = {"after": draw(text)}
    if draw(st.booleans()):
        out["within_days"] = draw(st.integers(0, 3660))
    if draw(st.booleans()):
        out["triggered_on"] = start + dt.timedelta(days=draw(st.integers(0, span)))
    return out


def _occurrence_codes(deadline: Any, start: dt.date, end: dt.date, convention: str) -> list[str] | None:
    """The occurrences of a recurring deadline inside the period; None for any other deadline."""
    from kehoach.base.deadlines import Recurring

    typed = read_deadline(deadline)
    if not isinstance(typed, Recurring):
        return None
    return [p.code for p, _ in typed.occurrences(start, end, convention)]


@st.composite
def progress_entries(draw, start: dt.date, end: dt.date, codes: list[str] | None) -> list[dict]:
    n = draw(st.integers(0, 3))
    span = (end - start).days
    days = sorted(start + dt.timedelta(days=draw(st.integers(0, span))) for _ in range(n))
    percents = sorted(draw(st.integers(0, 100)) for _ in range(n))
    entries = []
    for day, pct in zip(days, percents, strict=True):
        entry: dict[str, Any] = {"date": day, "percent": pct, "note": draw(vi_text)}
        if draw(st.integers(0, 3)) == 0:
            entry["by"] = draw(short_text)
        if draw(st.integers(0, 2)) == 0:
            entry["kind"] = draw(st.sampled_from(["result", "difficulty", "proposal"]))
        if draw(st.integers(0, 4)) == 0:
            entry["evidence"] = draw(st.sampled_from(["Báo cáo 45/BC-SNV", "https://vb.quangngai.gov.vn/1",
                                                      "Công văn số 12"]))
        if codes and draw(st.booleans()):
            entry["occurrence"] = draw(st.sampled_from(codes))
        if draw(st.booleans()):  # any key order
            entry = dict(draw(st.permutations(list(entry.items()))))
        entries.append(entry)
    return entries


def _task_ids(scheme: str, n_top: int, subs: list[int]) -> list[tuple[str, list[str]]]:
    out = []
    for i in range(n_top):
        if scheme == "roman":
            top = f"{ROMAN[i % len(ROMAN)]}.{i // len(ROMAN) + 1}"
        elif scheme == "T":
            top = f"T{i + 1}"
        elif scheme == "nv":
            top = f"nv-{i + 1:02d}"
        else:
            top = str(i + 1)  # a number: written quoted, or it would be read as one
        letters = "abcdefghijkl"
        out.append((top, [f"{top}.{letters[j]}" if scheme != "digit" else f"{top}.{j + 1}" for j in range(subs[i])]))
    return out


@st.composite
def plans(draw, max_tasks: int = 12) -> GenPlan:
    """A valid plan of 1–`max_tasks` tasks (subtasks counted), in any of the spellings of `Style`."""
    year = draw(st.integers(2019, 2026))
    if draw(st.integers(0, 2)):
        start, end = dt.date(year, 1, 1), dt.date(year + draw(st.sampled_from([0, 0, 0, 1])), 12, 31)
    else:
        start = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
        end = start + dt.timedelta(days=draw(st.integers(20, 700)))
    convention = draw(st.sampled_from(["calendar", "nd09"]))

    # bodies, some perhaps from a shared catalogue
    chosen = draw(st.lists(st.sampled_from(BODY_POOL), min_size=1, max_size=5, unique_by=lambda b: b[0]))
    bodies = []
    for ident, name, short, kind in chosen:
        body: dict[str, Any] = {"id": ident, "name": name if draw(st.booleans()) else draw(vi_text), "kind": kind}
        if short and draw(st.booleans()):
            body["short"] = short
        bodies.append(body)
    ids = [b["id"] for b in bodies]
    if len(ids) > 1 and draw(st.booleans()):
        bodies[-1]["parent"] = ids[0]
    if len(ids) > 2 and draw(st.booleans()):
        bodies.append({"id": "cac-so-nganh", "name": "Các sở, ban, ngành tỉnh", "kind": "group", "members": ids[1:3]})
        ids.append("cac-so-nganh")
    if draw(st.integers(0, 3)) == 0:
        bodies[0]["note"] = draw(vi_text)
    files: dict[str, dict] = {}
    own = bodies
    catalogue = None
    if len(bodies) > 1 and draw(st.integers(0, 4)) == 0:
        cut = draw(st.integers(1, len(bodies) - 1))
        own, shared = bodies[:cut], bodies[cut:]
        inside = {b["id"] for b in shared}  # a catalogue is checked by itself: it names only its own bodies
        for b in shared:
            if b.get("parent") not in inside:
                b.pop("parent", None)
            if "members" in b:
                b["members"] = [m for m in b["members"] if m in inside]
        files["bodies/chung.yaml"] = {"bodies": shared}
        catalogue = "bodies/chung.yaml"

    info: dict[str, Any] = {"id": draw(st.sampled_from(["kh-2021", "dv", "KH.04", "ke-hoach_1"]))}
    if draw(st.booleans()):
        info["number"] = draw(st.sampled_from(["04-KH/BDVTU-BCSĐUBND", "12/KH-UBND", "số 7"]))
    if draw(st.integers(0, 4)) == 0:
        info["type"] = "Kế hoạch"
    info["title"] = draw(vi_text)
    if draw(st.booleans()):
        info["issued"] = start - dt.timedelta(days=draw(st.integers(0, 20)))
    if draw(st.booleans()):
        info["place"] = draw(st.sampled_from(["Quảng Ngãi", "Lý Sơn", "Đắk Lắk"]))
    info["issuers"] = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 3)) == 0:
        info["header"] = draw(st.lists(vi_text, min_size=1, max_size=2))
    info["period"] = {"start": start, "end": end}
    if draw(st.integers(0, 3)) == 0:
        info["theme"] = draw(vi_text)

    data: dict[str, Any] = {"plan": info}
    sections = [{"id": ROMAN[i], "title": draw(vi_text)} for i in range(draw(st.integers(0, 2)))]
    if sections:
        data["sections"] = sections
    if catalogue:
        data["bodies_from"] = catalogue if draw(st.booleans()) else [catalogue]
    data["bodies"] = own
    references = []
    for i in range(draw(st.integers(0, 2))):
        references.append({"id": f"kl-{120 + i}", "number": f"{120 + i}-KL/TW",
                           "date": draw(st.sampled_from([dt.date(2016, 1, 7), None])),
                           "issuer": "Bộ Chính trị", "title": draw(vi_text)})
        if draw(st.booleans()):
            references[-1]["kind"] = "Kết luận"
    if references:
        data["references"] = references
        if draw(st.booleans()):
            info["implements"] = [references[0]["id"]]
    objectives = [{"id": f"I.{i + 1}", "text": draw(vi_text)} for i in range(draw(st.integers(0, 2)))]
    if objectives:
        data["objectives"] = objectives
    topics = [{"id": t, "name": draw(vi_text)} for t in draw(st.lists(
        st.sampled_from(["cai-cach-hanh-chinh", "dan-van-kheo", "qc-dan-chu"]), max_size=2, unique=True))]

    # tasks: n_top tasks, some with subtasks, 1..max_tasks in all
    total = draw(st.integers(1, max_tasks))
    subs: list[int] = []
    left = total
    while left > 0:
        k = draw(st.integers(0, min(3, left - 1))) if left > 1 else 0
        subs.append(k)
        left -= 1 + k
    scheme = draw(st.sampled_from(["roman", "T", "nv", "digit"]))
    tasks, leaves = [], []
    for top, children in _task_ids(scheme, len(subs), subs):
        task = _task(draw, top, start, end, convention, ids, sections, objectives, references, topics,
                     leaf=not children)
        if children:
            task["subtasks"] = [_task(draw, c, start, end, convention, ids, sections, objectives, references,
                                      topics, leaf=True) for c in children]
            leaves += children
        else:
            leaves.append(top)
        tasks.append(task)
    data["tasks"] = tasks
    task_ids = [t for top, children in _task_ids(scheme, len(subs), subs) for t in [top, *children]]

    reporting: dict[str, Any] = {}
    if draw(st.booleans()) or convention != "calendar":
        reporting["convention"] = convention
    if draw(st.integers(0, 3)) == 0:
        reporting["two_way"] = draw(st.booleans())
    cadences = []
    for i in range(draw(st.integers(0, 2))):
        cad: dict[str, Any] = {"id": f"bc-{i + 1}", "name": draw(st.sampled_from(["Báo cáo quý", "Báo cáo 6 tháng"]))}
        if draw(st.booleans()):
            every = draw(st.sampled_from(list(EVERY_KEYS)))
            cad["every"] = every
            if draw(st.booleans()):
                cad["periods"] = draw(st.lists(st.sampled_from(EVERY_KEYS[every]), min_size=1, max_size=2,
                                               unique=True))
            if draw(st.booleans()):
                cad["days_after"] = draw(st.integers(-60, 60))
        if draw(st.booleans()):
            cad["task"] = draw(st.sampled_from(task_ids))
        if draw(st.integers(0, 3)) == 0:
            cad["note"] = draw(vi_text)
        cadences.append(cad)
    if cadences:
        reporting["cadences"] = cadences
    if topics:
        reporting["topics"] = topics
    if reporting:
        data["reporting"] = reporting
    meetings = []
    for i in range(draw(st.integers(0, 2))):
        meeting: dict[str, Any] = {"id": f"hn-{i + 1}", "name": draw(vi_text), "when": draw(deadlines(start, end))}
        if draw(st.booleans()):
            meeting["task"] = draw(st.sampled_from(task_ids))
        meetings.append(meeting)
    if meetings:
        data["meetings"] = meetings
    recipients = draw(st.lists(st.one_of(vi_text, st.builds(lambda n, p: {"name": n, "purpose": p}, vi_text,
                                                               st.sampled_from(["báo cáo", "để thực hiện"]))),
                               max_size=3))
    if recipients:
        data["recipients"] = recipients
    signers = [{"body": b, "title": draw(st.sampled_from(["TRƯỞNG BAN", "PHÓ BÍ THƯ"])), "name": draw(_words)}
               for b in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))]
    for s in signers:
        if draw(st.booleans()):
            s["authority"] = "T/M BAN CÁN SỰ ĐẢNG UBND TỈNH"
    if signers:
        data["signers"] = signers
    holidays = [{"date": start + dt.timedelta(days=draw(st.integers(0, (end - start).days))), "name": draw(vi_text)}
                for _ in range(draw(st.integers(0, 2)))]
    for h in holidays:
        if draw(st.booleans()):
            h["off"] = draw(st.booleans())
    if holidays:
        data["holidays"] = holidays
    if draw(st.booleans()):  # the top-level keys in any order
        data = dict(draw(st.permutations(list(data.items()))))
    return GenPlan(data, draw(styles), files, leaves, start, end, convention)


def _task(draw, ident: str, start: dt.date, end: dt.date, convention: str, bodies: list[str], sections: list,
          objectives: list, references: list, topics: list, leaf: bool) -> dict:
    task: dict[str, Any] = {"id": ident, "title": draw(vi_text)}
    if draw(st.integers(0, 3)) == 0:
        task["description"] = draw(vi_text)
    if sections and draw(st.booleans()):
        task["section"] = draw(st.sampled_from(sections))["id"]
    if draw(st.integers(0, 4)):
        task["lead"] = draw(st.lists(st.sampled_from(bodies), min_size=1, max_size=2, unique=True))
    if draw(st.booleans()):
        task["support"] = draw(st.lists(st.sampled_from(bodies), min_size=0, max_size=3, unique=True))
    if objectives and draw(st.booleans()):
        task["objectives"] = [draw(st.sampled_from(objectives))["id"]]
    if references and draw(st.booleans()):
        task["references"] = [references[0]["id"]]
    deadline = None
    if draw(st.integers(0, 5)):
        deadline = task["deadline"] = draw(deadlines(start, end))
    if draw(st.integers(0, 3)) == 0:
        task["deliverables"] = draw(st.lists(vi_text, min_size=1, max_size=2))
    if topics and draw(st.booleans()):
        task["topics"] = [draw(st.sampled_from(topics))["id"]]
    if draw(st.integers(0, 6)) == 0:
        task["suspended"] = draw(st.booleans())
    carried = draw(st.integers(0, 6)) == 0
    if leaf:
        entries = draw(progress_entries(start, end, _occurrence_codes(deadline, start, end, convention)))
        if entries:
            task["progress"] = entries
        elif draw(st.integers(0, 4)) == 0:
            task["progress"] = []
    if carried:  # where last year's plan left it: never above what this year's reports say since
        said = [e["percent"] for e in task.get("progress") or [] if isinstance(e.get("percent"), int)]
        task["carried_over"] = {"plan": "kh-2020", "deadline": "2020-Q4",
                                "percent": draw(st.integers(0, min(said, default=99))), "note": draw(vi_text)}
    return task


# ---------------------------------------------------------------- running the commands


@dataclasses.dataclass
class Ran:
    argv: list[str]
    code: int
    out: str
    err: str


@contextlib.contextmanager
def _environment(folder: Path) -> Iterator[None]:
    """The commands' surroundings: no language, plan or cache from the environment; the folder as cwd."""
    keys = ("KEHOACH_LANG", "KEHOACH_PLAN", "KEHOACH_DEBUG", "KEHOACH_NO_CACHE", "NO_COLOR")
    saved = {k: os.environ.get(k) for k in keys}
    for k in keys:
        os.environ.pop(k, None)
    os.environ["KEHOACH_NO_CACHE"] = "1"
    try:
        with contextlib.chdir(folder):
            yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _call(argv: list[str]) -> tuple[int, str, str]:
    """main(argv) with standard output and error as a terminal-less process has them: UTF-8,
    strict on standard output, backslash escapes on standard error."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", newline="",
                           write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.buffer.getvalue().decode("utf-8", "replace"), err.buffer.getvalue().decode("utf-8", "replace")


def run(argv: list[str], restore: Callable[[], None] | None = None) -> Ran:
    """One command in-process. An internal error (exit 3) is run again with KEHOACH_DEBUG set, on the
    same input (`restore` puts it back), so that the exception itself is raised, with its place in
    the source (Hypothesis tells bugs apart by where they are raised)."""
    try:
        code, out, err = _call(argv)
    except BaseException as exc:  # main let something through: that is the bug itself
        exc.add_note(f"uncaught by main: kehoach {' '.join(map(repr, argv))}")
        raise
    if code == 3:
        if restore is not None:
            restore()
        os.environ["KEHOACH_DEBUG"] = "1"
        try:
            _call(argv)
        except Exception as exc:
            exc.add_note(f"exit 3 (internal error): kehoach {' '.join(map(repr, argv))}\n{err.strip()}")
            raise
        finally:
            os.environ.pop("KEHOACH_DEBUG", None)
    assert code in (0, 1, 2), f"exit {code}: kehoach {argv[0]}\n{argv}\n{err}"
    return Ran(list(argv), code, out, err)


def commands(plan: Path, out: Path, as_of: dt.date, lang: list[str]) -> list[list[str]]:
    p, day = str(plan), as_of.isoformat()
    return [
        ["check", p, *lang],
        ["check", p, "--format", "json", *lang],
        ["status", "--plan", p, "--as-of", day, *lang],
        ["status", "--plan", p, "--as-of", day, "--format", "json", *lang],
        ["status", "--plan", p, "--as-of", day, "--format", "markdown", *lang],
        ["report", "--plan", p, "--period", "Q2", "--format", "md,html,docx,json", "-o", f"{out}/q2/", *lang],
        ["report", "--plan", p, "--period", "Y", "--format", "md,html,docx,json", "-o", f"{out}/y/", *lang],
        ["checklist", "--plan", p, "--as-of", day, "--format", "md,html,docx,json", "-o", f"{out}/ds/", *lang],
        ["calendar", "--plan", p, "-o", f"{out}/lich.ics", *lang],
    ]


def only_added(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, which must be all it changes: one block of added lines
    (and, where the task had `progress: []`, that one line opened up as `progress:`)."""
    a, b = before.splitlines(), after.splitlines()
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    added: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":  # only `progress: []` → `progress:` may change
            assert i2 - i1 == 1 and re.fullmatch(r"\s*progress:\s*\[\s*\]\s*(#.*)?", a[i1]), (a[i1:i2], b[j1:j2])
            assert b[j1].split("#")[0].rstrip() == a[i1].split("[")[0].rstrip(), (a[i1], b[j1])
        else:
            assert tag == "insert", (tag, a[i1:i2], b[j1:j2])
        added += b[j1:j2]
    # the same newlines: a CRLF file stays CRLF through and through, a final newline stays
    if "\r\n" in before:
        assert "\n" not in after.replace("\r\n", ""), "log wrote a bare LF into a CRLF file"
    elif "\n" in before:
        assert "\r\n" not in after
    if before.endswith("\n"):
        assert after.endswith("\n")
    return added


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="kehoach-prop-") as folder, _environment(Path(folder)):
        yield Path(folder)


# ---------------------------------------------------------------- damage


CONTROL = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9b"]
PAYLOADS = CONTROL + [
    "\x1b]0;x\x07", "\x1b[31mđỏ\x1b[0m", "\x1b[2J\x1b[H", "\ud800", "x\udfffy", "\u202e", "\u2066abc\u2069",
    "\u200f", "\u2028", "\u2029", "\ufeff", "\U0001f600", "\u0301", "<script>alert(1)</script>",
    "[link=x]y[/link]", "[/]", "[bold red]", "{{ 7*7 }}", "{% if x %}", "${HOME}", "%s%n", "|", "||", "*", "**",
    "_x_", "`", "```", "#", "# h", "\n", "\r", "\r\n", "\n\n- [ ] x\n", "&amp;", "<!--", "]]>", "\\", "'", '"',
    "\t", "…", "...", "\\x00", "=cmd|' /C calc'!A0", "x" * 10_000, "Đ" * 10_000, "Nghiêng" * 1500,
]
TYPES = ["chữ", 0, 7, -1, 101, 10**20, 1.5, True, False, None, [], ["a"], {}, {"x": 1}, "", Raw("''"),
         Raw("2021-13-45"), Raw("*a"), Raw("!!binary aGk="), Raw(".nan"), Raw("0x1F"), Raw("1e400")]
DATES = [dt.date(1, 1, 1), dt.date(9999, 12, 31), Raw("2021-02-29"), Raw("2023-02-29"), Raw("2100-02-29"),
         "2022-02-29", dt.date(1900, 1, 1), dt.date(2200, 12, 31), dt.date(2201, 1, 1), dt.date(1899, 12, 31),
         Raw("2021-13-01"), Raw("2021-00-10"), "2021-06-31", Raw("2021-6-3"), 20210630]
DEADLINES = ["9999-Q4", "0001", 9999, 0, -1, "2021-Q5", "2021-H3", "2021-13", "2021-00", "9999-12-31",
             "0001-01-01", "2021-12..2021-01", "2021-02-29", "2021-Q2..", "..", "", "thường  xuyên", "2200-12",
             "1900-01-01..2200-12-31", "2021-9m", "2021-W05", {"every": "week"},
             {"every": "quarter", "periods": ["Q9"]},
             {"every": "half", "periods": "H1"}, {"every": "year", "days_after": 10**6},
             {"every": "month", "days_after": -60}, {"after": "x", "within_days": -1},
             {"after": "x", "within_days": 3660, "triggered_on": dt.date(2200, 12, 31)},
             {"after": " ", "within_days": 3}, {"continuous": False}, {"continuous": True, "review": "day"},
             {"every": "quarter", "continuous": True}, {}, [], True, None, 2200, 1900, 10**30]
PERIOD_KEYS = ["Q9", "H3", "M13", "M00", "Y2", "", "q1", "9M", "H1 ", 5, None, "2021-Q2", "Y"]
IDS = ["khac", "II.5.bb", "", "có-dấu", "a" * 65, "-x", "1", "T1", "bdvtu", 12, None]
RAW_TEXT = ["\x00", "\x1b", "\x7f", "\x9b", "\t", "\r", "\ufeff", "\u2028", ": ", "- ", "{", "[", "]", "&a ",
            "*a", "!!python/object/apply:os.system ['true'] ", "%YAML 1.1\n---\n", "---\n", "...\n", "'", '"',
            "#", "<<: *a\n", "? ", "|\n", ">-\n", "\ud800", "\n  ", "\n\t"]


def _walk(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))


def _get(data: Any, path: tuple) -> Any:
    for seg in path:
        data = data[seg]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


SHOWN_TEXT = ("title", "name", "short", "note")


def _pick(draw, items: list) -> Any:
    assume(items)
    return draw(st.sampled_from(items))


def mutate_data(draw, data: dict, kind: str, shown_only: bool = False) -> str:
    """Damage `data` in place in one way; say how."""
    nodes = list(_walk(data))
    if kind == "delete-key":
        path = _pick(draw, [p for p, _ in nodes if p and isinstance(_get(data, p[:-1]), dict)])
        del _get(data, path[:-1])[path[-1]]
        return f"delete {path}"
    if kind == "retype":
        path = _pick(draw, [p for p, _ in nodes if p])
        value = draw(st.sampled_from(TYPES))
        _set(data, path, copy.deepcopy(value))
        return f"{path} = {value!r}"
    if kind == "duplicate-item":
        path = _pick(draw, [p for p, v in nodes if isinstance(v, list) and v])
        items = _get(data, path)
        i = draw(st.integers(0, len(items) - 1))
        items.insert(i + 1, copy.deepcopy(items[i]))
        return f"duplicate {path + (i,)}"
    if kind == "reorder":
        path = _pick(draw, [p for p, v in nodes if isinstance(v, list) and len(v) > 1])
        items = _get(data, path)
        order = draw(st.permutations(range(len(items))))
        items[:] = [items[i] for i in order]
        return f"reorder {path} as {order}"
    if kind == "rename-id":
        path = _pick(draw, [p for p, v in nodes if isinstance(v, dict) and "id" in v])
        value = draw(st.sampled_from(IDS))
        _get(data, path)["id"] = value
        return f"{path + ('id',)} = {value!r}"
    if kind == "shift-date":
        path = _pick(draw, [p for p, v in nodes if isinstance(v, dt.date) and not isinstance(v, Raw)])
        day = _get(data, path)
        value = draw(st.one_of(st.sampled_from(DATES), st.integers(-800, 800).map(
            lambda n: day + dt.timedelta(days=n))))
        _set(data, path, value)
        return f"{path} = {value!r}"
    if kind == "bad-deadline":
        path = _pick(draw, [p for p, _ in nodes if p and p[-1] in ("deadline", "when")])
        value = draw(st.sampled_from(DEADLINES))
        _set(data, path, copy.deepcopy(value))
        return f"{path} = {value!r}"
    if kind == "bad-period-key":
        path = _pick(draw, [p for p, v in nodes if isinstance(v, dict) and "every" in v])
        key = draw(st.sampled_from(PERIOD_KEYS))
        target = _get(data, path)
        if not isinstance(target.get("periods"), list):
            target["periods"] = []
        target["periods"].append(key)
        return f"{path + ('periods',)} += {key!r}"
    if kind in ("inject", "long-word", "nfd"):
        texts = [p for p, v in nodes if p and isinstance(v, str) and not isinstance(v, Raw)]
        # half the time a text every output shows (the plan's title, a task's, a body's name, a note)
        shown = [p for p in texts if p[-1] in SHOWN_TEXT]
        path = _pick(draw, shown if shown and (shown_only or draw(st.booleans())) else texts)
        old = _get(data, path)
        if kind == "nfd":
            value = unicodedata.normalize("NFD", old) + "\u0300"
        else:
            payload = draw(st.sampled_from(PAYLOADS)) if kind == "inject" else draw(st.sampled_from(PAYLOADS[-3:]))
            where = draw(st.sampled_from(["replace", "before", "after", "inside"]))
            cut = len(old) // 2
            value = {"replace": payload, "before": payload + old, "after": old + payload,
                     "inside": old[:cut] + payload + old[cut:]}[where]
        _set(data, path, value)
        return f"{path} = {value[:60]!r}{'…' if len(value) > 60 else ''}"
    raise AssertionError(kind)  # pragma: no cover


DATA_MUTATIONS = ["inject", "inject", "inject", "delete-key", "retype", "duplicate-item", "reorder", "rename-id",
                  "shift-date", "bad-deadline", "bad-period-key", "long-word", "nfd"]


def mutate_text(draw, text: str) -> tuple[str, str]:
    kind = draw(st.sampled_from(["insert", "delete-line", "duplicate-line", "swap-lines", "truncate"]))
    lines = text.splitlines(keepends=True)
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        raw = draw(st.sampled_from(RAW_TEXT))
        return text[:at] + raw + text[at:], f"insert {raw!r} at {at}"
    if kind == "truncate":
        at = draw(st.integers(0, len(text)))
        return text[:at], f"truncate at {at}"
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete-line":
        return "".join(lines[:i] + lines[i + 1:]), f"delete line {i + 1}"
    if kind == "duplicate-line":
        return "".join(lines[:i + 1] + lines[i:]), f"duplicate line {i + 1}"
    j = draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines), f"swap lines {i + 1}, {j + 1}"


@dataclasses.dataclass
class Case:
    """A plan (perhaps damaged) and how to run the commands on it."""

    plan: GenPlan
    text: str
    damage: list[str]
    as_of: dt.date
    lang: list[str]
    log: list[str]  # the arguments of `kehoach log` after the command name, without --plan

    def __repr__(self) -> str:  # what a failure shows
        return (f"Case(damage={self.damage}, as_of={self.as_of}, lang={self.lang}, log={self.log!r},\n"
                f"text=\n{self.text[:6000]})")


@st.composite
def damaged(draw) -> Case:
    gp = draw(plans())
    gp = dataclasses.replace(gp, style=dataclasses.replace(gp.style, flow_tasks=draw(st.booleans())))
    data = copy.deepcopy(gp.data)
    damage = [mutate_data(draw, data, draw(st.sampled_from(DATA_MUTATIONS))) for _ in range(draw(st.integers(0, 3)))]
    text = gp.text(data)
    if draw(st.integers(0, 3)) == 0:
        text, how = mutate_text(draw, text)
        damage.append(how)
    return _with_commands(draw, gp, text, damage)


@st.composite
def hostile(draw) -> Case:
    """A valid plan whose words carry control characters, reordering marks, surrogates, markup or
    very long words: the plan stays readable (warnings at most), so every command goes the whole
    way to its output with the hostile text in it."""
    gp = draw(plans())
    data = copy.deepcopy(gp.data)
    kinds = st.sampled_from(["inject", "inject", "inject", "long-word", "nfd"])
    damage = [mutate_data(draw, data, draw(kinds), shown_only=True) for _ in range(draw(st.integers(1, 4)))]
    return _with_commands(draw, gp, gp.text(data), damage)


def _with_commands(draw, gp: GenPlan, text: str, damage: list[str]) -> Case:
    as_of = gp.start + dt.timedelta(days=draw(st.integers(0, (gp.end - gp.start).days)))
    task = draw(st.one_of(st.sampled_from(gp.leaves), st.sampled_from(["khong-co", "II.5.bb", ""])))
    note_text = draw(st.one_of(vi_text, st.sampled_from(PAYLOADS).map(lambda p: "Đã làm " + p)))
    day = draw(st.one_of(st.just(as_of.isoformat()), st.sampled_from(["2021-02-29", "0001-01-01", "9999-12-31",
                                                                       "hôm nay"])))
    percent = draw(st.one_of(st.integers(0, 100).map(str), st.sampled_from(["-1", "101", "abc", " 7 ", "1e2"])))
    log = [task, "--percent", percent, "--note", note_text, "--date", day]
    if draw(st.booleans()):
        log += ["--kind", draw(st.sampled_from(["difficulty", "proposal", "result", "khác"]))]
    lang = draw(st.sampled_from([[], [], ["--lang", "en"]]))
    return Case(gp, text, damage, as_of, lang, log)


# ---------------------------------------------------------------- the properties, as plain functions


def _task_of(plan, task_id: str):
    return next(t for t, _ in plan.iter_tasks() if t.id == task_id)


def check_commands(case: Case) -> None:
    """Every command on the plan: exit 0, 1 or 2; the plan file untouched but by a successful `log`,
    which leaves a plan that still passes `check`, with only lines added."""
    note(repr(case))
    with workspace() as folder:
        path = case.plan.write(folder, text=case.text)
        original = path.read_bytes()

        def restore() -> None:
            path.write_bytes(original)

        for argv in commands(path, folder / "out", case.as_of, case.lang):
            ran = run(argv, restore)
            assert path.read_bytes() == original, f"kehoach {argv[0]} (exit {ran.code}) changed the plan file"
            assert_inert(f"kehoach {argv[0]}: standard output", ran.out)
            assert_inert(f"kehoach {argv[0]}: standard error", ran.err)
        for made in sorted((folder / "out").rglob("*")):
            if made.is_file():
                assert_inert(f"{made.name}", _text_of_output(made))
        ran = run(["log", *case.log, "--joint", "--plan", str(path), *case.lang], restore)
        assert_inert("kehoach log: messages", ran.out + ran.err)
        after = path.read_bytes()
        if ran.code != 0:
            assert after == original, f"kehoach log refused (exit {ran.code}) but changed the plan file"
            return
        assert run(["check", str(path)]).code == 0, "kehoach log wrote a plan that does not pass check"
        only_added(original.decode("utf-8"), after.decode("utf-8"))


# What no output may carry from plan text: C0 controls but tab and newline, DEL, C1 (CSI), lone
# surrogates and the characters that reorder text on screen.
_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def assert_inert(what: str, text: str) -> None:
    m = _ACTIVE.search(text)
    assert m is None, f"{what} carries U+{ord(m.group()):04X}: {text[max(0, m.start() - 60):m.end() + 20]!r}"


def _text_of_output(path: Path) -> str:
    """An output file as the reader's program sees its text: a Word file's XML parts, an .ics with
    its CRLF line ends taken as line ends."""
    if path.suffix == ".docx":
        import zipfile

        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    text = path.read_bytes().decode("utf-8")
    return text.replace("\r\n", "\n") if path.suffix == ".ics" else text


@dataclasses.dataclass
class RoundTrip:
    plan: GenPlan
    task: str
    entry: dict  # date, percent, note, kind, by, evidence, occurrence (None: absent)
    argv: list[str]

    def __repr__(self) -> str:
        return f"RoundTrip(task={self.task!r}, argv={self.argv!r},\ntext=\n{self.plan.text()})"


def _open_for_entry(gp: GenPlan, task: dict) -> list[str | None] | None:
    """The occurrences that can take a new entry (a recurring task), [None] for any other task,
    None when the task can take none."""
    codes = _occurrence_codes(task.get("deadline"), gp.start, gp.end, gp.convention)
    if codes is None:
        return [None]
    entries = task.get("progress") or []
    closed = {e.get("occurrence") for e in entries if e["percent"] >= 100}
    open_codes = [c for c in codes if c not in closed]
    return open_codes or None


def _leaf_tasks(data: dict) -> Iterator[dict]:
    for task in data["tasks"]:
        if task.get("subtasks"):
            yield from task["subtasks"]
        else:
            yield task


@st.composite
def round_trips(draw) -> RoundTrip:
    gp = draw(plans())
    candidates = [(t, occ) for t in _leaf_tasks(gp.data) if (occ := _open_for_entry(gp, t)) is not None]
    assume(candidates)
    task, codes = draw(st.sampled_from(candidates))
    entries = task.get("progress") or []
    last = max([e["date"] for e in entries], default=gp.start)
    day = last + dt.timedelta(days=draw(st.integers(0, (gp.end - last).days)))
    occurrence = draw(st.sampled_from(codes))
    same = [e["percent"] for e in entries if occurrence is None or e.get("occurrence") == occurrence]
    if occurrence is None and task.get("carried_over"):  # carried-over work goes on from where it stood
        same.append(task["carried_over"]["percent"])
    low = max(same, default=0)
    continuous = type(read_deadline(task.get("deadline"))).__name__ == "Continuous"
    # continuous work is never completed, and its percent counts for nothing (it may fall)
    percent = draw(st.integers(0, 99) if continuous else st.integers(low, 100))
    kind = draw(st.sampled_from(["result", "difficulty", "proposal"]))
    if occurrence is None and low >= 100:
        kind = draw(st.sampled_from(["difficulty", "proposal"]))  # a completed task takes no new result
    entry = {"date": day, "percent": percent, "note": draw(vi_text), "kind": kind,
             "by": draw(st.one_of(st.none(), st.sampled_from(PEOPLE))),  # a person: no body's name
             "evidence": draw(st.one_of(st.none(), st.sampled_from(["Báo cáo 45/BC-SNV", "số 12"]))),
             "occurrence": occurrence}
    argv = [task["id"], "--joint", "--date", day.isoformat(), "--note", entry["note"]]
    argv += ["--done"] if percent == 100 and draw(st.booleans()) else ["--percent", str(percent)]
    if kind != "result" or draw(st.booleans()):
        argv += ["--kind", kind]
    for key in ("by", "evidence", "occurrence"):
        if entry[key] is not None:
            argv += [f"--{key}", entry[key]]
    return RoundTrip(gp, task["id"], entry, argv)


def check_round_trip(case: RoundTrip) -> None:
    """load → log → load: the plan passes before and after, the task has one more entry with
    exactly the values given, and the file is the same but for the inserted lines."""
    note(repr(case))
    with workspace() as folder:
        path = case.plan.write(folder)
        before_text = path.read_bytes().decode("utf-8")
        before = load_text(before_text, str(path)).plan
        assert before is not None
        ran = run(["log", *case.argv, "--plan", str(path)])
        assert ran.code == 0, f"kehoach log refused a valid entry (exit {ran.code}):\n{ran.err}"
        after_text = path.read_bytes().decode("utf-8")
        checked = run(["check", str(path)])
        assert checked.code == 0, f"the plan no longer passes check after log:\n{checked.out}"
        after = load_text(after_text, str(path)).plan
        assert after is not None
        old, new = _task_of(before, case.task), _task_of(after, case.task)
        assert new.progress[:-1] == old.progress and len(new.progress) == len(old.progress) + 1
        got = new.progress[-1]
        want = case.entry
        assert (got.date, got.percent, got.note, str(got.kind), got.by, got.evidence, got.occurrence) == (
            want["date"], want["percent"], unicodedata.normalize("NFC", want["note"].strip()), want["kind"],
            want["by"].strip() if want["by"] else None, want["evidence"], want["occurrence"])
        # everything else as it was
        dumped = after.model_dump()
        for task in _dump_tasks(dumped["tasks"]):
            if task["id"] == case.task:
                task["progress"].pop()
        assert dumped == before.model_dump()
        added = only_added(before_text, after_text)
        fields = 3 + sum(want[k] is not None for k in ("by", "evidence", "occurrence")) + (want["kind"] != "result")
        assert len(added) == fields + (0 if old.progress else 1), added  # and `progress:` when it was empty


def _dump_tasks(tasks: list[dict]) -> Iterator[dict]:
    for task in tasks:
        yield task
        yield from _dump_tasks(task["subtasks"])


# ---------------------------------------------------------------- imports and return forms
# Documents to import and filled return forms come from outside the office: whatever they hold,
# `import` exits 0, 2 or 4 (a draft written, its problems listed) and `collect` 0, 1, 2 or 4,
# never 3, and a draft that is written can be checked.

DOC_LINES = [
    "I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG PHỐI HỢP", "## III. TỔ CHỨC THỰC HIỆN", "1. Mục đích", "a) Tuyên truyền",
    "- Cơ quan chủ trì: Sở Nội vụ", "- Cơ quan phối hợp: Sở Tài chính, Ủy ban nhân dân các huyện",
    "- Thời gian thực hiện: Quý II/2021", "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tham mưu",
    "| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |", "|---|---|---|---|---|",
    "| 1 | Tập huấn | Sở Nội vụ | Sở Tài chính | tháng 12/2021 |", "| I | Nhóm việc | | | |", "---",
    "Số: 45/KH-UBND", "S6 4.P KH/BDVTU-BCSBUBND", "Quảng Ngãi, ngày 04 tháng 01 năm 2021",
    "Căn cứ Quyết định số 436/QĐ-UBND ngày 11/6/2019 của UBND tỉnh", "Luật Thực hiện dân chủ ở cơ sở ngày 10/11/2022",
    "định kỳ hằng quý, 6 tháng, một năm và chuyên đề", "Nơi nhận:", "- Lưu VT.", "T/M BAN CÁN SỰ ĐẢNG", "PHÓ BÍ THƯ",
    "BAN DÂN VẬN TỈNH ỦY", "ĐẢNG CỘNG SẢN VIỆT NAM", "*", "KẾ HOẠCH", "(sau khi ", " " * 300, "\t" * 50,
    "\u00a0" * 100, "[" * 40, "**1. Đậm**", "1.", "a)", "",
]


@st.composite
def source_documents(draw: Any) -> tuple[str, bytes]:
    """A document to import: lines a plan has, random text and the payloads, as text or Markdown;
    now and then bytes that are not UTF-8."""
    line = st.one_of(st.sampled_from(DOC_LINES), st.text(max_size=60), st.sampled_from(PAYLOADS))
    lines = draw(st.lists(line, max_size=40))
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):
        data = draw(st.binary(max_size=40)) + data
    return draw(st.sampled_from([".txt", ".md", ".markdown"])), data


def check_import(case: tuple[str, bytes]) -> None:
    suffix, data = case
    with workspace() as folder:
        source = folder / f"ke-hoach{suffix}"
        source.write_bytes(data)
        draft = folder / "nhap.yaml"
        code, out, err = _call(["import", str(source), "-o", str(draft)])
        if code == 3:
            run(["import", str(source), "-o", str(draft), "--force"])  # raises the exception itself
        assert code in (0, 2, 4), f"exit {code}: kehoach import\n{err}"
        assert "Traceback" not in out + err
        if draft.exists():
            checked = run(["check", str(draft)])
            assert checked.code in (0, 1), checked.err


CELL_VALUES = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60), st.sampled_from(PAYLOADS), st.dates(), st.booleans(), st.none(),
    st.sampled_from(["=1+1", " =HYPERLINK(\"http://x\")", "\t=A1", "+cmd|calc", "50%", "xong", "31/02/2021",
                     "15-9-2021", "1e999", "nan", "-1", "101", "100", "2021-09-15"]),
)
_FORM: dict[str, bytes] = {}


def _form() -> bytes:
    """One return form of the demo plan (Sở Nội vụ, Q3), made once."""
    if "form" not in _FORM:
        with workspace() as folder:
            plan = folder / "demo.yaml"
            plan.write_bytes((ROOT / "examples" / "demo.yaml").read_bytes())
            (folder / ".kehoach-key").write_text("00" * 32 + "\n", encoding="ascii")
            run(["request", "-p", str(plan), "--period", "Q3", "--as-of", "2021-09-20", "--body", "so-noi-vu",
                 "-o", str(folder / "phieu") + "/"])
            _FORM["form"] = next((folder / "phieu").glob("*.xlsx")).read_bytes()
    return _FORM["form"]


@st.composite
def filled_forms(draw: Any) -> list[tuple[int, int, Any]]:
    """(row, column, value) written into a return form: answer cells and, now and then, the cells
    the form locks or the header."""
    return draw(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 16), CELL_VALUES), max_size=12))


def check_form(edits: list[tuple[int, int, Any]]) -> None:
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    with workspace() as folder:
        plan = folder / "demo.yaml"
        plan.write_bytes((ROOT / "examples" / "demo.yaml").read_bytes())
        (folder / ".kehoach-key").write_text("00" * 32 + "\n", encoding="ascii")
        path = folder / "phieu.xlsx"
        path.write_bytes(_form())
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[1]  # the form (the guide comes first)
        for row, col, value in edits:
            try:
                ws.cell(row=row, column=col).value = value
            except (ValueError, TypeError, AttributeError, IllegalCharacterError):  # openpyxl cannot store it
                continue
        wb.save(path)
        code, out, err = _call(["collect", "-p", str(plan), str(path), "--dry-run", "--as-of", "2021-10-05"])
        if code == 3:
            run(["collect", "-p", str(plan), str(path), "--dry-run", "--as-of", "2021-10-05"])
        assert code in (0, 1, 2, 4), f"exit {code}: kehoach collect\n{err}"
        assert "Traceback" not in out + err


# ---------------------------------------------------------------- CI share


@pytest.mark.slow
@ci(40)
@given(gp=plans())
def test_generated_plans_pass_check(gp):
    note(gp.text())
    with workspace() as folder:
        path = gp.write(folder)
        ran = run(["check", str(path)])
        assert ran.code == 0, ran.out + ran.err
        loaded = load_text(path.read_text(encoding="utf-8"), str(path))
        assert loaded.plan is not None


@pytest.mark.slow
@ci(40)
@given(case=round_trips())
def test_log_round_trip(case):
    check_round_trip(case)


@pytest.mark.slow
@ci(30)
@given(case=damaged())
def test_commands_on_damaged_plans(case):
    check_commands(case)


@pytest.mark.slow
@ci(30)
@given(case=hostile())
def test_commands_on_hostile_text(case):
    check_commands(case)


@pytest.mark.slow
@ci(30)
@given(case=source_documents())
def test_import_of_any_document(case):
    check_import(case)


@pytest.mark.slow
@ci(20)
@given(edits=filled_forms())
def test_collect_of_any_filled_form(edits):
    check_form(edits)


# ---------------------------------------------------------------- regressions

# Failures the long run found, each as the smallest plan that shows it. The shrunk input of a
# damaged-plan failure is kept here as text, so that it runs in CI whatever the strategies become.
REGRESSIONS = {
    # 30-minute run of 2026-11-26 (docs/security.md): a recurring task's progress entry with a list
    # as its occurrence made `check` fail with a TypeError (unhashable type) — exit 3.
    "occurrence-a-list": task_yaml("t", deadline="{every: quarter}", progress=[("2021-04-05", 50, "[]")]),
    "occurrence-a-mapping": task_yaml("t", deadline="{every: quarter}",
                                      progress=[("2021-04-05", 50, "Q1"), ("2021-05-05", 60, "{a: 1}")]),
}


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_regressions(name):
    with workspace() as folder:
        path = folder / "plan.yaml"
        path.write_text(plan_yaml(REGRESSIONS[name]), encoding="utf-8")
        checked = run(["check", str(path)])
        assert checked.code == 1 and f"{path}:" in checked.out and "occurrence" in checked.out, checked.out
        for argv in commands(path, folder / "out", dt.date(2021, 7, 1), []):
            run(argv)
        run(["log", "t", "--percent", "70", "--note", "x", "--date", "2021-07-01", "--plan", str(path)])


# ---------------------------------------------------------------- the long run


BATCH = 50
SLOW = 20.0  # seconds: an example slower than this is a failure of its own (the long run has no deadline)


@pytest.mark.fuzz
def test_fuzz_long_run(capsys):
    """The same properties for KEHOACH_FUZZ_MINUTES minutes (30 by default), new examples each run.
    Each distinct failure (where it was raised, or which check failed) is kept with the smallest
    input that showed it; the run fails at the end listing them (and saves them in a folder)."""
    minutes = float(os.environ.get("KEHOACH_FUZZ_MINUTES", "30"))
    stop = time.monotonic() + 60 * minutes
    found: dict[str, tuple[int, str, str]] = {}  # signature → (size, input, traceback)
    count = {"commands": 0, "hostile": 0, "round trip": 0, "valid": 0, "import": 0, "form": 0}

    def record(name: str, shown: str, exc: BaseException) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        place = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb) if "/kehoach/" in f.filename),
                     f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?")
        first = str(exc).splitlines()[0][:120] if str(exc) else ""
        sig = f"{name}: {type(exc).__name__} at {place}" + (f" — {first}" if isinstance(exc, AssertionError) else "")
        size = len(shown)
        if sig not in found or size < found[sig][0]:
            found[sig] = (size, shown, "".join(traceback.format_exception(exc))[-3000:])

    # Hypothesis has no time budget: it runs in batches of BATCH examples (new random ones each time)
    # until the time is up (the clock is read between batches only: a strategy that read it would
    # draw differently on a replay, which Hypothesis rejects as flaky).
    @settings(settings.get_profile("kehoach-fuzz"), max_examples=BATCH)
    @given(data=st.data())
    def explore(data):
        which = data.draw(st.sampled_from(["commands", "commands", "hostile", "round trip", "valid", "import",
                                           "form"]))
        case = data.draw({"commands": damaged(), "hostile": hostile(), "round trip": round_trips(),
                          "valid": plans(), "import": source_documents(), "form": filled_forms()}[which])
        count[which] += 1
        began = time.monotonic()
        try:
            if which in ("commands", "hostile"):
                check_commands(case)
            elif which == "import":
                check_import(case)
            elif which == "form":
                check_form(case)
            elif which == "round trip":
                check_round_trip(case)
            else:
                with workspace() as folder:
                    assert run(["check", str(case.write(folder))]).code == 0, "a generated plan fails check"
        except HypothesisException:
            raise
        except Exception as exc:  # every failure is kept, and the run goes on
            record(which, repr(case) if which != "valid" else case.text(), exc)
            return
        took = time.monotonic() - began
        if took > SLOW:
            try:
                raise AssertionError(f"slower than {SLOW:g} s")
            except AssertionError as exc:
                record(which, f"{took:.1f} s\n" + (repr(case) if which != "valid" else case.text()), exc)

    batches = 0
    while time.monotonic() < stop:
        explore()
        batches += 1
    saved = Path(tempfile.mkdtemp(prefix="kehoach-fuzz-"))
    for i, (sig, (_, shown, tb)) in enumerate(sorted(found.items())):
        (saved / f"{i + 1:02d}.txt").write_text(f"{sig}\n\n{shown}\n\n{tb}", encoding="utf-8", errors="replace")
    summary = (f"{sum(count.values())} examples in {minutes:g} min, {batches} batches ({count}); "
               f"{len(found)} distinct failures, saved in {saved}")
    with capsys.disabled():
        print("\n" + summary)
        for sig in sorted(found):
            print("  -", sig)
    assert not found, summary + "\n" + "\n".join(sorted(found))
