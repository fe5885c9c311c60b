"""A draft plan from the documents plans live in today: plain text (an OCR copy
of a signed plan), Markdown, or a Word file (`kehoach import`).

The numbered structure of a Vietnamese plan (I., II. …; 1., 2. …; a), b) …;
"-" bullets) becomes objectives (from "Mục đích, yêu cầu"), tasks and subtasks
(from the content sections), responsibilities and arrangements. Document
numbers in the text (`120-KL/TW`, `Quyết định số 436/QĐ-UBND ngày …`) become
references, with their dates where the text gives them; body names are matched
against a body catalogue without diacritics or case (OCR loses both);
deadlines written in words ("tháng 12/2021", "định kỳ 6 tháng", "hằng quý",
"thường xuyên") become deadline values; the header and the end give the
number, date, place, recipients and signers.

The draft is never silently wrong: every guessed value carries a `# kiểm tra:`
comment saying what it was guessed from, and a line that could not be placed
stays in the draft as a comment with its line number. `ImportResult` says how
many lines were placed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.deadlines import guess_deadline
from kehoach.base.text import fold, folded_with_map

FILL = "…"  # a blank the draft could not fill: `kehoach check` warns about it (to-fill)

if TYPE_CHECKING:
    from kehoach.plan.model import Body

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_ROMAN_HEAD = re.compile(r"^(X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[.\-:]\s*(.*)$")
_NUM_HEAD = re.compile(r"^(\d{1,2})\s*[.)]\s+(.*)$")
_LETTER_HEAD = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_BULLET = re.compile(r"^[-–•+]\s*(.*)$")
# a document number: 120-KL/TW, 16/CT-TTg, 436-QD-UBND, 26-CTr/BDVTU-BCSĐUBND
_KINDS = "KL|CT|QĐ|QD|QB|CTr|KH|NQ|HD|TB|BC|TTr|CV"
_NUMBER = re.compile(
    rf"\b(\d{{1,5}})\s*[-/]\s*({_KINDS})\s*[-/]\s*([A-ZĐ][A-Za-zĐđ]*(?:\s*-\s*[A-ZĐ][A-Za-zĐđ]*)*)"
)
# a number with its year: Nghị định số 09/2019/NĐ-CP, Thông tư 04/2022/TT-BNV, Luật số 10/2022/QH15
_NUMBER_YEAR = re.compile(
    r"\b(\d{1,4})\s*/\s*((?:19|20)\d\d)\s*/\s*(?:(NĐ|ND|NQ|TTLT|TT|QĐ|QD|CT)\s*-\s*([A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)*)"
    r"|(QH\d{1,2}))"
)
_DATE = re.compile(r"ng\w{0,2}y\s+(\d{1,2})\s*(?:/\s*|\s+th\w{0,3}ng\s+)(\d{1,2})\s*(?:/\s*|\s+n\w{0,2}m\s+)(\d{4})",
                   re.I)
_KIND_WORDS = {
    "KL": "Kết luận", "CT": "Chỉ thị", "QĐ": "Quyết định", "CTr": "Chương trình phối hợp", "KH": "Kế hoạch",
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QH": "Luật",
    "HD": "Hướng dẫn", "TB": "Thông báo", "BC": "Báo cáo", "TTr": "Tờ trình", "CV": "Công văn",
}
# OCR confusions in document symbols
_SYMBOL_FIX = {"QD": "QĐ", "QB": "QĐ", "BCSD": "BCSĐ", "BCSB": "BCSĐ"}
_STATE_ISSUERS = {"UBND", "TTG", "CP", "BNV", "SNV", "VPCP"}


@dataclass
class Paragraph:
    text: str
    line: int  # 1-based first line in the source
    lines: list[int] = field(default_factory=list)


@dataclass
class Item:
    """A numbered part of the plan: its marker, text, source line and sub-items."""

    marker: str  # "II", "1", "a", "-"
    text: str
    line: int
    children: list[Item] = field(default_factory=list)
    more: list[Paragraph] = field(default_factory=list)  # unnumbered paragraphs that follow


@dataclass
class ImportResult:
    yaml: str
    placed: int
    total: int
    unplaced: list[tuple[int, str]]
    counts: dict[str, int]


# ---------------------------------------------------------------- reading the source


class NotText(ValueError):
    """The source is not a text the importer can read (binary, or an unknown encoding)."""


def read_source(path: str | Path) -> list[str]:
    """The lines of a text, Markdown or Word (.docx) file, as a plan's paragraphs: in a Word
    file each paragraph is a line, and so is each paragraph of each table cell (the header and
    the signatures are usually two-column tables), row by row, cell by cell."""
    import io

    from kehoach.base.files import read_file

    path = Path(path)
    raw = read_file(path)  # a regular file of a bounded size only (kehoach.base.files)
    if path.suffix.lower() == ".docx":
        import zipfile

        from docx import Document

        from kehoach.base.files import zip_bomb

        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            if zip_bomb(zf, max_unzipped=200 * 1024 * 1024, max_ratio=200, max_members=5000):
                raise NotText(str(path))  # a Word file does not unpack to hundreds of megabytes
        doc = Document(io.BytesIO(raw))

        def para(p: Any) -> str:
            return "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))

        lines: list[str] = []
        for block in doc.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(para(block))
            elif tag == "tbl":
                for row in (r for r in block.iter() if r.tag.endswith("}tr")):
                    for cell in (c for c in row.iterchildren() if c.tag.endswith("}tc")):
                        lines.extend(x for x in (para(p) for p in cell.iter() if p.tag.endswith("}p")) if x.strip())
        return [_printable(line) for line in lines]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16 with its mark
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:4096]:
        raise NotText(str(path))
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 50):  # mostly not UTF-8: binary, or an old code page
        raise NotText(str(path))
    lines = [_printable(line) for line in text.splitlines()]
    if path.suffix.lower() in (".md", ".markdown"):
        lines = [_plain_markdown(line) for line in lines]
    return lines


def _printable(line: str) -> str:
    """A line without control, format (bidirectional overrides) or private characters: they carry
    no meaning in a plan, and could act on a terminal or break the draft's YAML."""
    import unicodedata

    return "".join(" " if ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs") else ch
                   for ch in line)


def _plain_markdown(line: str) -> str:
    """A Markdown line as plain text: headings' #, emphasis and code marks go; a `*` or `+`
    bullet is a `-` bullet."""
    line = re.sub(r"^(\s*)[*+]\s+", r"\1- ", line)
    line = re.sub(r"^#{1,6}\s+", "", line)
    return re.sub(r"(\*\*|__|\*|`)", "", line)


def _noise(line: str) -> bool:
    """OCR debris: a line with almost no letters ("* * * ' f A", "/ \\", "r")."""
    letters = sum(ch.isalpha() for ch in line)
    return letters < 3 or letters < len(line.strip()) * 0.45


def _starts_item(line: str) -> bool:
    return bool(_ROMAN_HEAD.match(line) or _NUM_HEAD.match(line) or _LETTER_HEAD.match(line) or _BULLET.match(line))


def paragraphs(lines: list[str]) -> tuple[list[Paragraph], list[tuple[int, str]]]:
    """Join wrapped lines into paragraphs; return them and the lines dropped as debris.

    A paragraph starts at a numbered heading, a bullet, or after a line that ends a
    sentence and is short (the last line of a justified paragraph); blank lines, which
    OCR puts in mid-sentence, only end a paragraph after a finished sentence."""
    widths = sorted(len(x.strip()) for x in lines if len(x.strip()) > 30)
    typical = widths[len(widths) // 2] if widths else 70
    out: list[Paragraph] = []
    debris: list[tuple[int, str]] = []
    ended = True
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            ended = ended or bool(out and re.search(r"[.:;]\s*$", out[-1].text))
            continue
        if _noise(line) and not _starts_item(line):
            debris.append((number, line))
            continue
        if ended or _starts_item(line) or not out:
            out.append(Paragraph(line, number, [number]))
        else:
            prev = out[-1]
            # no word is hyphenated across lines in Vietnamese: a line ending in "-" ends inside a
            # document symbol ("16/CT-" + "TTg")
            glue = "" if prev.text.endswith("-") and not prev.text.endswith(" -") else " "
            prev.text = f"{prev.text}{glue}{line}"
            prev.lines.append(number)
        ended = bool(re.search(r"[.:;]\s*$", line)) and len(line) < typical * 0.8
    return out, debris


# ---------------------------------------------------------------- the numbered structure


def _marker(text: str) -> tuple[str, str, str] | None:
    """(level, marker, rest) of a paragraph that starts a numbered part."""
    for level, rx in (("roman", _ROMAN_HEAD), ("number", _NUM_HEAD), ("letter", _LETTER_HEAD)):
        m = rx.match(text)
        if m:
            return level, m.group(1), m.group(2).strip()
    m = _BULLET.match(text)
    if m:
        return "bullet", "-", m.group(1).strip()
    return None


_FOOTER = re.compile(r"^(t/m|tm\.|k/t|kt\.|noi nhan|truong ban|pho truong ban|bi thu|pho bi thu)\b")


def _is_footer(p: Paragraph) -> bool:
    folded = fold(p.text)
    letters = [ch for ch in p.text if ch.isalpha()]
    shouting = len(letters) >= 8 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)
    return bool(_FOOTER.match(folded)) or shouting


def outline(paras: list[Paragraph]) -> tuple[list[Paragraph], list[Item], list[Paragraph]]:
    """(the paragraphs before the first Roman heading, the Roman sections with what they hold,
    the paragraphs of the end: signatures and recipients)."""
    started = False
    cut = len(paras)
    for i, p in enumerate(paras):
        m = _marker(p.text)
        if m and m[0] == "roman" and _looks_like_section(m[2]):
            started = True
        elif started and _is_footer(p):
            cut = i
            break
    paras, footer = paras[:cut], paras[cut:]
    head: list[Paragraph] = []
    sections: list[Item] = []
    order = {"roman": 0, "number": 1, "letter": 2, "bullet": 3}
    stack: list[tuple[int, Item]] = []
    for p in paras:
        m = _marker(p.text)
        if m and m[0] == "bullet" and stack and not re.search(r"[.:;,]\s*$", _last_text(stack[-1][1])) \
                and m[2][:1].islower():
            _append(stack[-1][1], p)  # "- xã hội" wrapped from "kinh tế": not a bullet
            continue
        if m is None:
            if not sections:
                head.append(p)
            else:
                _append(stack[-1][1], p, more=True)
            continue
        level, marker, rest = m
        if level == "roman" and not sections and not _looks_like_section(rest):
            head.append(p)
            continue
        if not sections and level != "roman":
            head.append(p)
            continue
        item = Item(marker, rest, p.line)
        depth = order[level]
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            stack[-1][1].children.append(item)
        else:
            sections.append(item)
        stack.append((depth, item))
    return head, sections, footer


def _last_text(item: Item) -> str:
    if item.more:
        return item.more[-1].text
    if item.children:
        return _last_text(item.children[-1])
    return item.text


def _append(item: Item, p: Paragraph, more: bool = False) -> None:
    target = item
    while target.children and not more:
        target = target.children[-1]
    if more and not item.children:
        item.more.append(p)
    elif more:
        last = item
        while last.children:
            last = last.children[-1]
        last.more.append(p)
    else:
        if target.more:
            target.more[-1].text += " " + p.text
        else:
            target.text += " " + p.text


def _looks_like_section(title: str) -> bool:
    return len(title) < 80 and bool(re.search(r"[a-zA-Z]", title))


# ---------------------------------------------------------------- matching bodies, numbers, deadlines


@dataclass(frozen=True)
class KnownBody:
    id: str
    name: str
    short: str | None
    kind: str
    members: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class KnownSigner:
    body: str
    authority: str | None
    title: str
    name: str


@dataclass
class Catalogue:
    """What a draft's names are matched against: bodies, and the people who signed before."""

    bodies: list[KnownBody]
    signers: list[KnownSigner] = field(default_factory=list)


def catalogue_bodies(bodies: Iterable[Body]) -> list[KnownBody]:
    return [KnownBody(b.id, b.name, b.short, str(b.kind), tuple(b.members), b.parent) for b in bodies]


_ABBREVIATIONS = (("uy ban nhan dan", "ubnd"), ("mat tran to quoc", "mttq"), ("hoi dong nhan dan", "hdnd"),
                  ("viet nam", "vn"), ("chinh tri xa hoi", "ct xh"))


class BodyMatcher:
    """Finds the catalogue's bodies in a text, without diacritics or case, forgiving OCR's
    letter swaps ("Ban Can sir dang" is "Ban Cán sự đảng"): a name matches a run of as many
    words whose letters are at least 85 % alike."""

    def __init__(self, bodies: list[KnownBody]):
        self.bodies = bodies
        names: list[tuple[list[str], str]] = []
        for b in bodies:
            for n in {b.name, b.short or ""}:
                words = _words(n)
                if len(words) >= 2 or (words and len(words[0]) >= 4):
                    names.append((words, b.id))
        # also "UBND" for "Ủy ban nhân dân", "MTTQ" for "Mặt trận Tổ quốc" … and the reverse, as
        # plans write both
        extra = []
        for words, ident in names:
            variants = {f" {' '.join(words)} "}
            for long, short in _ABBREVIATIONS:
                variants |= {v.replace(f" {a} ", f" {b} ") for v in variants for a, b in ((long, short), (short, long))}
            extra += [(v.split(), ident) for v in variants if v.split() != words]
        self.names = sorted(names + extra, key=lambda x: -len(x[0]))

    def find(self, text: str) -> list[tuple[int, str]]:
        """(word position, body id) of each body named in `text`, in order, longest names first.
        OCR glues or splits words ("SITdANG" for "SỰ ĐẢNG"), so a name of n words is compared,
        without spaces, with runs of n-1, n and n+1 words."""
        words = _words(text)
        taken = [False] * len(words)
        found: list[tuple[int, str]] = []
        for name, ident in self.names:
            target = "".join(name)
            for i in range(len(words)):
                for n in (len(name), len(name) - 1, len(name) + 1):
                    if n < 1 or i + n > len(words) or any(taken[i:i + n]):
                        continue
                    window = "".join(words[i:i + n])
                    # anchored: the run starts and ends like the name, and reads at least 87 % alike
                    if window == target or (len(target) > 8 and window[:2] == target[:2]
                                            and window[-2:] == target[-2:]
                                            and difflib.SequenceMatcher(None, window, target).ratio() >= 0.87):
                        found.append((i, ident))
                        for k in range(i, i + n):
                            taken[k] = True
                        break
        return sorted(found)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text).replace("đ", "d"))


@dataclass
class Reference:
    id: str
    number: str
    date: dt.date | None
    kind: str
    issuer: str
    title: str
    line: int
    raw: str
    spellings: set[str] = field(default_factory=set)  # every way the text writes it


def canonical_number(num: str, kind: str, issuer: str) -> str:
    """'436-QD-UBND' → '436/QĐ-UBND' (State style), '120-KL/TW' (Party style), OCR letters fixed."""
    kind = _SYMBOL_FIX.get(kind.upper() if kind.upper() in _SYMBOL_FIX else kind, kind)
    issuer = re.sub(r"\s+", "", issuer)
    for wrong, right in _SYMBOL_FIX.items():
        issuer = re.sub(rf"\b{wrong}(?=UBND|\b)", right, issuer)
    head = issuer.split("-")[0].upper()
    if head in _STATE_ISSUERS:
        return f"{num}/{kind}-{issuer}"
    return f"{num}-{kind}/{issuer}"


def find_references(paras: list[Paragraph]) -> list[Reference]:
    """Every document number in the text, once, with its date where 'ngày d/m/yyyy' follows it."""
    seen: dict[tuple[str, str], Reference] = {}
    for p in paras:
        found: list[tuple[re.Match[str], str, str, str, str | None]] = []  # match, number, kind, issuer, year
        for m in _NUMBER_YEAR.finditer(p.text):
            if m.group(5):  # a law: 10/2022/QH15
                found.append((m, m.group(1), "QH", m.group(5), m.group(2)))
            else:
                kind = "NĐ" if m.group(3) == "ND" else m.group(3)
                found.append((m, m.group(1), kind, m.group(4), m.group(2)))
        taken = [(m.start(), m.end()) for m, *_ in found]
        for m in _NUMBER.finditer(p.text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append((m, m.group(1), m.group(2), m.group(3), None))
        found.sort(key=lambda f: f[0].start())
        starts = [f[0].start() for f in found] + [len(p.text)]
        for k, (m, num, kind, issuer, year) in enumerate(found):
            kind = _SYMBOL_FIX.get(kind, kind)
            issuer = issuer.rstrip("-")
            if year is not None:
                num = f"{num}/{year}"
            key = (num, kind)
            after = p.text[m.end(): min(m.end() + 240, starts[k + 1])]  # up to the next number
            date = None
            dm = _DATE.match(after.lstrip(" ,"))
            if dm:
                try:
                    date = dt.date(int(dm.group(3)), int(dm.group(2)), int(dm.group(1)))
                except ValueError:
                    date = None
            number = (canonical_number(num, kind, issuer) if year is None
                      else f"{num}/{issuer}" if kind == "QH" else f"{num}/{kind}-{issuer}")
            rest = after[dm.end() + (len(after) - len(after.lstrip(" ,"))):] if dm else after
            who = re.match(r"\s*,?\s*c[uủ]a\s+(.+?)(?:\s+(?:v[eề6]|về việc)\s|\s+th\S{0,3}c hi\S{0,3}n\s|[,;.(]|$)",
                           rest)
            title = re.search(r"\s(?:v[eề6]|v(?![aà]\s)\S)\s+(.+?)"
                              r"(?:[;.]|\s+c[uủ]a\s|\s+(?:Ket luan|Chi thi|Quyet dinh)\b|$)", rest)
            if key in seen:
                ref = seen[key]
                ref.date = ref.date or date
                ref.spellings.add(m.group(0))
                continue
            seen[key] = Reference(
                id=f"{fold(kind).replace('đ', 'd')}-{num.replace('/', '-')}", number=number, date=date,
                kind=_KIND_WORDS.get(kind, kind),
                issuer=who.group(1).strip() if who else "", title=title.group(1).strip() if title else "",
                line=p.line, raw=m.group(0), spellings={m.group(0)})
    refs = list(seen.values())
    ids: dict[str, int] = {}
    for r in refs:  # two numbers of one kind and number (120-KL/TW, 120-KL/TU): tell them apart
        ids[r.id] = ids.get(r.id, 0) + 1
    for r in refs:
        if ids[r.id] > 1:
            r.id = f"{r.id}-{fold(r.number.split('/')[-1].split('-')[-1]).replace('đ', 'd')}"
    return refs


def _without_references(text: str) -> str:
    """The text with each document number and the date that follows it blanked out: 'Quyết định
    số 436/QĐ-UBND ngày 11 tháng 6 năm 2019' names no deadline."""
    for rx in (_NUMBER_YEAR, _NUMBER):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    return re.sub(r"(?<=\s{3})\s*,?\s*" + _DATE.pattern, lambda m: " " * len(m.group(0)), text, flags=re.I)


# ---------------------------------------------------------------- building the draft


@dataclass
class _Out:
    """The draft's YAML, line by line, with the words of its comments in one language."""

    lang: str
    lines: list[str] = field(default_factory=list)
    year: int = 0  # the plan's year: a deadline read in another year is not the task's

    def check(self, pad: int, key: str, **params: object) -> None:
        from kehoach.base.messages import text

        self.lines.append(" " * pad + "# " + text("import.check", self.lang, what=text(key, self.lang, **params)))

    def comment(self, pad: int, words: str) -> None:
        for piece in _wrap(words, 96 - pad):
            self.lines.append(" " * pad + "# " + piece)

    def put(self, pad: int, key: str, value: object) -> None:
        self.lines.append(" " * pad + f"{key}: {_scalar(value)}" if value is not None else " " * pad + f"{key}: null")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]*", text) and text.lower() not in ("true", "false", "null", "yes", "no"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _wrap(text: str, width: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return out + ([line] if line else [])


def short_title(text: str, limit: int = 90) -> str:
    """A task's title from its text: the first clause, cut at a word before `limit` characters."""
    first = re.split(r"(?<=[.;:])\s", text.strip(), maxsplit=1)[0].rstrip(".;:")
    if len(first) <= limit:
        return first
    cut = first[:limit]
    comma = cut.rfind(", ")
    return (cut[:comma] if comma > limit // 2 else cut[: cut.rfind(" ")]).rstrip(",;") + "…"


def _clean(text: str) -> str:
    """Leading OCR debris off a paragraph ("r f \\ y \\ <fTrong …" → "Trong …"): a run of lone
    characters and letterless tokens holding at least one letterless token; "To chuc" stays."""
    tokens = text.strip().split(" ")
    junk = 0
    while junk < len(tokens) and (len(tokens[junk]) == 1 or not any(ch.isalpha() for ch in tokens[junk])):
        junk += 1
    if not junk or all(any(ch.isalpha() for ch in t) for t in tokens[:junk]):
        return text.strip()
    rest = " ".join(tokens[junk:])
    m = re.match(r"^[^A-Za-zÀ-ỹĐđ0-9]+[a-z]?(?=[A-ZĐ])", rest)
    return rest[m.end():] if m else rest


def _zones(lines: list[str]) -> tuple[int, int]:
    """(first line of the body, first line of the end): the body starts at the first Roman
    heading and ends where the signatures or 'Nơi nhận' begin."""
    start = next((i for i, x in enumerate(lines)
                  if (m := _ROMAN_HEAD.match(x.strip())) and _looks_like_section(m.group(2))), len(lines))
    end = len(lines)
    for i in range(start + 1, len(lines)):
        p = Paragraph(lines[i].strip(), i + 1)
        if p.text and _is_footer(p) and not _marker(p.text):
            end = i
            break
    return start, end


def import_lines(lines: list[str], catalogue: Catalogue | list[KnownBody], lang: str = "vi",
                 source: str = "") -> ImportResult:
    """A draft plan (YAML text with `# kiểm tra:` comments) from the lines of a plan document."""
    from kehoach.base.messages import text as words

    if not isinstance(catalogue, Catalogue):
        catalogue = Catalogue(list(catalogue))
    bodies = catalogue.bodies

    start, end = _zones(lines)
    matcher = BodyMatcher(bodies)
    by_id = {b.id: b for b in bodies}
    placed: set[int] = set()
    unplaced: list[tuple[int, str]] = []

    # -- the head: issuers, party line, number, place and date, type, title, preamble
    head = [(i + 1, x.strip()) for i, x in enumerate(lines[:start]) if x.strip()]
    issuers: list[str] = []
    number_line = date_line = title = None
    title_line = 0
    preamble: list[tuple[int, str]] = []
    seen_type = False
    for n, line in head:
        folded = " ".join(_words(line))
        if not seen_type and re.match(r"^(so|s6|s0|sô)\b", folded) and re.search(r"[A-Z]{2,}/", line):
            number_line = (n, line)
        elif "cong san" in folded or "cqng san" in folded or "cong hoa" in folded:
            placed.add(n)
            continue
        elif re.search(r"\bng\S{0,2}y\b", folded) and re.search(r"\b(19|20)\d\d\b", line) and not seen_type \
                and "," in line:
            date_line = (n, line)
        elif folded in ("ke hoach", "ke hoach phoi hop", "k e hoach"):
            seen_type = True
        elif seen_type and title is None:
            title, title_line = line, n
        elif not seen_type:
            found = [ident for _, ident in matcher.find(line)]
            if found:
                issuers = list(dict.fromkeys(issuers + found))
            else:
                unplaced.append((n, line))
                continue
        else:
            preamble.append((n, line))
        placed.add(n)
    preamble_text = " ".join(x for _, x in preamble)

    # -- the body
    body_lines = lines[start:end]
    paras, debris = paragraphs(body_lines)
    for p in paras:
        p.line += start
        p.lines = [x + start for x in p.lines]
    unplaced += [(n + start, x) for n, x in debris]
    _, sections, _ = outline(paras)
    references = find_references([Paragraph(preamble_text, preamble[0][0] if preamble else 1)] + paras)

    # -- the year, the period, the plan's id
    year_match = (re.search(r"\b(20\d\d)\b", title or "")
                  or re.search(r"\b(20\d\d)\b", date_line[1] if date_line else ""))
    year = int(year_match.group(1)) if year_match else dt.date.today().year
    out = _Out(lang, year=year)
    o = out.lines
    o.append("# yaml-language-server: $schema=https://kehoach.invalid/schema/plan.schema.json")
    out.comment(0, words("import.header", lang, source=source))
    o.append("")
    o.append("plan:")
    out.check(2, "import.why-id", year=year)
    out.put(2, "id", f"ke-hoach-{year}")
    if number_line:
        digits = re.search(r"\d+", number_line[1].split(" ", 1)[-1])
        symbol = re.search(r"([A-Z]{2,}\s*/\s*[A-ZĐa-z-]+)", number_line[1])
        out.check(2, "import.why-from", line=number_line[0], text=number_line[1])
        if digits and symbol:
            sym = re.sub(r"\s+", "", symbol.group(1))
            for wrong, right in _SYMBOL_FIX.items():
                sym = sym.replace(wrong, right)
            out.put(2, "number", f"{digits.group(0)}-{sym}")
        else:
            out.put(2, "number", None)
    out.put(2, "type", "Kế hoạch")
    if title:
        out.check(2, "import.why-from", line=title_line, text=title)
    out.put(2, "title", (title[:1].upper() + title[1:]) if title else words("import.no-title", lang))
    out.check(2, "import.why-issued", line=date_line[0] if date_line else 0, text=date_line[1] if date_line else "-")
    out.put(2, "issued", _read_date(date_line[1]) if date_line else None)
    place = _place(date_line[1], bodies) if date_line else None
    if place and date_line:
        out.check(2, "import.why-from", line=date_line[0], text=date_line[1])
        out.put(2, "place", place)
    if not issuers:
        issuers = [b.id for b in bodies[:1]]
        out.check(2, "import.why-no-issuer")
    else:
        out.check(2, "import.why-issuers", lines=", ".join(str(n) for n, _ in head[:3]))
    out.put(2, "issuers", issuers)
    o.append("  period:")
    out.check(4, "import.why-period", year=year)
    out.put(4, "start", dt.date(year, 1, 1))
    out.put(4, "end", dt.date(year, 12, 31))
    implements = [r.id for r in references if preamble and r.line == preamble[0][0]][:1]
    if implements:
        out.check(2, "import.why-implements")
        out.put(2, "implements", implements)
    if preamble:  # the opening sentence, kept for the reader (the format has no field for it)
        out.comment(2, words("import.preamble", lang, first=preamble[0][0], last=preamble[-1][0],
                             text=preamble_text))

    # -- sections, objectives, tasks
    used_bodies: list[str] = list(issuers)
    objective_section = next((s for s in sections if "muc dich" in " ".join(_words(s.text))), None)
    o.append("")
    o.append("sections:")
    for s in sections:
        o.append(f"  - id: {s.marker}")
        out.put(4, "title", s.text)
        placed.add(s.line)
    objectives: list[tuple[str, Item]] = []
    if objective_section is not None:
        objectives = [(f"{objective_section.marker}.{c.marker}", c) for c in objective_section.children]
    task_blocks: list[list[str]] = []
    for s in sections:
        if s is objective_section:
            continue
        for c in s.children:
            task_blocks.append(_task(out, s, c, matcher, references, issuers, used_bodies, placed, lang))
    o.append("")
    o.append("objectives:" if objectives else "objectives: []")
    for oid, item in objectives:
        o.append(f"  - id: {oid}")
        out.put(4, "text", _clean(" ".join([item.text] + [m.text for m in item.more])))
        placed.update(_lines_of(item))
    o.append("")
    o.append("references:" if references else "references: []")
    for r in references:
        o.append(f"  - id: {r.id}")
        out.check(4, "import.why-reference", line=r.line, text=r.raw)
        out.put(4, "number", r.number)
        out.put(4, "date", r.date)
        out.put(4, "issuer", r.issuer or words("import.unknown", lang))
        out.put(4, "title", r.title or r.number)
        out.put(4, "kind", r.kind)
    o.append("")
    o.append("tasks:" if task_blocks else "tasks: []")
    for block in task_blocks:
        o.extend(block)
    # -- the signature block (read now: the bodies it names are declared below)
    tail = [(i + 1 + end, x.strip()) for i, x in enumerate(lines[end:]) if x.strip()]
    at = next((k for k, (_, x) in enumerate(tail) if "noi nhan" in " ".join(_words(x))), len(tail))
    # the recipients run from "Nơi nhận" to the signature block, when the block comes after them
    stop = next((k for k in range(at + 1, len(tail)) if _starts_signature(tail[k][1])), len(tail))
    signers, signed = read_signers(tail[:at] + tail[stop:], matcher, catalogue, issuers)
    placed |= signed
    used_bodies += [g.body for g in signers]

    # -- bodies named anywhere, with the groups they belong to
    o.append("")
    o.append("bodies:")
    needed = list(dict.fromkeys(used_bodies))
    for ident in list(needed):
        b = by_id[ident]
        needed += [m for m in b.members if m not in needed]
        if b.parent and b.parent in by_id and b.parent not in needed:
            needed.append(b.parent)
    for ident in needed:
        b = by_id[ident]
        o.append(f"  - id: {b.id}")
        out.put(4, "name", b.name)
        if b.short:
            out.put(4, "short", b.short)
        out.put(4, "kind", b.kind)
        if b.parent:
            out.put(4, "parent", b.parent)
        if b.members:
            out.put(4, "members", list(b.members))

    # -- the end: recipients; what could not be placed
    recipients: list[tuple[int, str, str | None]] = []
    in_recipients = False
    for k, (n, line) in enumerate(tail):
        if n in signed:
            continue
        if k >= stop:
            unplaced.append((n, line))
            continue
        folded = " ".join(_words(line))
        if folded.startswith("noi nhan") or "noi nhan" in folded:
            in_recipients = True
            placed.add(n)
            continue
        if in_recipients and line.startswith("-"):
            name = line.lstrip("-– ").strip()
            purpose = None
            m = re.search(r"[,;]?\s*[\^}\]|]\s*(.+)$", name)
            paren = re.search(r"\s*\(([^()]{3,40})\)[\s,;.]*$", name)
            if m:  # "} báo cáo": a brace, read by OCR as ^ or }, joins this line and the one above
                purpose, name = m.group(1).strip(" ,;."), name[:m.start()]
                if recipients and recipients[-1][2] is None:
                    recipients[-1] = (recipients[-1][0], recipients[-1][1], purpose)
            elif paren:  # "Sở Nội vụ (để thực hiện);"
                purpose, name = paren.group(1).strip(), name[:paren.start()]
            recipients.append((n, name.strip(" ,;."), purpose))
            placed.add(n)
        elif in_recipients and recipients and not _noise(line):
            n0, name, purpose = recipients[-1]
            recipients[-1] = (n0, f"{name} {line.strip(' ,;.')}", purpose)
            placed.add(n)
        else:
            unplaced.append((n, line))
    if recipients:
        o.append("")
        out.check(0, "import.why-recipients", line=recipients[0][0])
        o.append("recipients:")
        for _, name, purpose in recipients:
            if purpose:
                o.append(f"  - {{name: {_scalar(name)}, purpose: {_scalar(purpose)}}}")
            else:
                o.append(f"  - {_scalar(name)}")
    if signers:
        o.append("")
        o.append("signers:")
        for g in signers:
            o.append(f"  - body: {g.body}")
            out.check(4, g.why, line=g.line)
            if g.authority:
                out.put(4, "authority", g.authority)
            out.put(4, "title", g.title or FILL)
            out.put(4, "name", g.name or FILL)
    total = sum(1 for x in lines if x.strip())
    unplaced = sorted(set(unplaced))
    if unplaced:
        o.append("")
        out.comment(0, words("import.unplaced-heading", lang))
        for n, line in unplaced:
            o.append(f"# {n}: {line}")
    counts = {"sections": len(sections), "objectives": len(objectives), "tasks": len(task_blocks),
              "references": len(references),
              "bodies": len(needed), "recipients": len(recipients)}
    done = total - len(unplaced)
    return ImportResult("\n".join(o) + "\n", done, total, unplaced, counts)


# the titles a signature block gives, as Party and State documents spell them (folded, without
# spaces, as OCR glues and splits them) — longest first, so that "phó bí thư" is not read "bí thư"
_TITLES = {
    "photruongbanthuongtruc": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "photruongban": "PHÓ TRƯỞNG BAN",
    "truongban": "TRƯỞNG BAN", "phobithuthuongtruc": "PHÓ BÍ THƯ THƯỜNG TRỰC", "phobithu": "PHÓ BÍ THƯ",
    "bithu": "BÍ THƯ", "phochutich": "PHÓ CHỦ TỊCH", "chutich": "CHỦ TỊCH", "phogiamdoc": "PHÓ GIÁM ĐỐC",
    "giamdoc": "GIÁM ĐỐC", "chanhvanphong": "CHÁNH VĂN PHÒNG",
}


@dataclass
class SignerGuess:
    body: str
    authority: str | None
    title: str | None
    name: str | None
    why: str  # the catalogue key of the `# kiểm tra:` comment
    line: int
    known: bool = False  # matched a signer of the catalogue


def read_signers(block: list[tuple[int, str]], matcher: BodyMatcher, catalogue: Catalogue,
                 issuers: list[str]) -> tuple[list[SignerGuess], set[int]]:
    """The signers of a document from its signature block (the lines between the body and
    'Nơi nhận'): the authorities ("T/M BAN …") name the bodies in order, the titles and the
    names follow. A name that reads like a signer of the catalogue (without diacritics, OCR's
    letter swaps forgiven) takes that signer's body and title; any other is paired by order."""
    by_id = {b.id: b for b in matcher.bodies}
    authorities: list[tuple[str, str | None]] = []
    titles: list[str] = []
    names: list[str] = []
    used: set[int] = set()
    first = 0
    for n, line in block:
        letters = [ch for ch in line if ch.isalpha()]
        upper = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
        squeezed = "".join(_words(line))
        found = matcher.find(line) if upper else []
        if found:
            words = _words(line)
            for k, (at, ident) in enumerate(found):
                before = words[found[k - 1][0] + 1 if k else 0:at]
                on_behalf = "t" in before and "m" in before  # "T/M": on behalf of the collective
                authorities.append((ident, ("T/M " if on_behalf else "") + by_id[ident].name.upper()))
            used.add(n)
            first = first or n
            continue
        if upper:
            rest = squeezed
            while rest:
                hit = next((k for k in _TITLES if rest.startswith(k)), None)
                if hit is None:
                    break
                titles.append(_TITLES[hit])
                rest = rest[len(hit):]
            if not rest and squeezed:
                used.add(n)
                continue
        # a line of names: capitalised words; OCR glues two columns ("Võ Thanh AnVõ Phiên")
        parts = [p for chunk in re.split(r"\s{3,}", line.strip()) for p in _unglue(chunk)]
        parts = [p.strip() for p in parts if p.strip()]
        if parts and all(_person(p) for p in parts):
            names += parts
            used.add(n)
    if not authorities and not names:
        return [], used
    out: list[SignerGuess] = []
    free_bodies = [a for a in authorities] or [(i, None) for i in issuers]
    at = first or (block[0][0] if block else 0)
    # names that read like a known signer
    pending: list[str] = []
    for name in names:
        known = _known_signer(name, catalogue.signers)
        slot = next((a for a in free_bodies if known is not None and a[0] == known.body), None)
        if known is not None and slot is not None:
            free_bodies.remove(slot)
            authority = known.authority or slot[1]
            if authority and slot[1] is not None:  # "T/M" (on behalf of) as the document reads it
                base = re.sub(r"^(?:T/M|TM\.?)\s+", "", authority)
                authority = f"T/M {base}" if slot[1].startswith("T/M ") else base
            out.append(SignerGuess(known.body, authority, known.title, known.name,
                                   "import.why-signer-known", at, True))
        else:
            pending.append(name)
    titles_left = [t for t in titles if t not in {g.title for g in out}]
    for k, (ident, authority) in enumerate(free_bodies):
        out.append(SignerGuess(ident, authority, titles_left[k] if len(titles_left) == len(free_bodies) else None,
                               pending[k] if k < len(pending) else None, "import.why-signer-order", at))
    order = {ident: k for k, (ident, _) in enumerate(authorities)}
    out.sort(key=lambda g: order.get(g.body, len(order)))
    return out, used


def _unglue(text: str) -> list[str]:
    """'Võ Thanh AnVõ Phiên' → ['Võ Thanh An', 'Võ Phiên']: OCR glues the two columns of names."""
    parts, start = [], 0
    for i in range(1, len(text)):
        if text[i].isupper() and text[i - 1].islower():
            parts.append(text[start:i])
            start = i
    return parts + [text[start:]]


def _starts_signature(line: str) -> bool:
    """A line that opens a signature block: 'T/M …', 'KT. …', or a line in capitals ('BAN DÂN VẬN
    TỈNH ỦY', 'TRƯỞNG BAN') — not a recipient ('- Sở Nội vụ') nor a wrapped recipient line."""
    if line.startswith(("-", "–", "+", "•")):
        return False
    folded = fold(line)
    if re.match(r"^(t/m|tm\.|k/t|kt\.|q\.|tl\.)\s", folded):
        return True
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _person(text: str) -> bool:
    """A person's name: two to six words, each capitalised (OCR may read a vowel as a digit)."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(w[:1].isupper() and not w.isupper() or len(w) <= 2 and w[:1].isupper()
                                        for w in words)


def _known_signer(name: str, signers: list[KnownSigner]) -> KnownSigner | None:
    target = "".join(_words(name))
    best, score = None, 0.0
    for s in signers:
        ratio = difflib.SequenceMatcher(None, "".join(_words(s.name)), target).ratio()
        if ratio > score:
            best, score = s, ratio
    return best if score >= 0.85 else None


def _lines_of(item: Item) -> set[int]:
    out = {item.line}
    for m in item.more:
        out.update(m.lines or [m.line])
    for c in item.children:
        out |= _lines_of(c)
    return out


def _read_date(line: str) -> dt.date | None:
    m = re.search(r"ng\S{0,2}y\s*(\d{1,2})\s*th\S{0,3}ng\s*(\d{1,2})\s*n\S{0,2}m\s*(\d{4})", fold(line))
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _place(line: str, bodies: list[KnownBody]) -> str | None:
    """The place of 'Quảng Ngãi, ngày …', spelt as the catalogue spells it when a body's name
    holds it (the run of words most alike, at least 80 %), else as written."""
    raw = line.split(",", 1)[0].strip()
    if not raw or len(raw) > 40:
        return None
    target = " ".join(_words(raw))
    best, score = raw, 0.8
    for b in bodies:
        words = b.name.split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 4) + 1):
                cand = " ".join(words[i:j])
                ratio = difflib.SequenceMatcher(None, " ".join(_words(cand)), target).ratio()
                if ratio > score or (ratio == score and len(cand) < len(best)):
                    best, score = cand, ratio
    return best


_WITH = re.compile(r"\bph[a-z0-9]{1,3}i\s+h[a-z0-9]{1,2}p\s+v[a-z0-9]{1,2}i\b")


def _bodies_in(matcher: BodyMatcher, text: str) -> tuple[list[str], list[str]]:
    """(lead, support) named by a task's text: the bodies it opens with, and those it works
    'phối hợp với'."""
    words = _words(text)
    lead: list[str] = []
    support: list[str] = []
    for pos, ident in matcher.find(text):
        before = " ".join(words[max(0, pos - 4):pos])
        if _WITH.search(before):
            support.append(ident)
        elif pos == 0 and not lead:
            lead.append(ident)
    return lead, list(dict.fromkeys(support))


def _lead_phrase(text: str) -> str | None:
    """The words before 'chủ trì' at the start of a task ('Sở Giáo dục và Đào tạo chủ trì, …'),
    when they are a name (capitalised), else None."""
    folded, where = folded_with_map(text)
    m = re.match(r"\s*(.{3,80}?)\s+ch[a-z0-9]{1,2}\s+tr[a-z0-9]{1,2}\b", folded)
    if not m:
        return None
    words = text[where[m.start(1)]: where[m.end(1) - 1] + 1].strip(" ,;")
    return words if words[:1].isupper() and "," not in words else None


def _task(out: _Out, section: Item, item: Item, matcher: BodyMatcher, references: list[Reference],
          issuers: list[str], used: list[str], placed: set[int], lang: str) -> list[str]:
    """The YAML lines of one numbered item of a content section, with its subtasks."""
    subs: list[tuple[str, str, int]] = [(c.marker, _clean(" ".join([c.text] + [m.text for m in c.more])), c.line)
                                        for c in item.children]
    subs += [("", _clean(m.text), m.line) for m in item.more]
    intro = item.text.rstrip().endswith(":") or len(item.text) < 120
    if subs and not intro:
        subs.insert(0, ("", _clean(item.text), item.line))
    placed.update(_lines_of(item))
    own = _clean(item.text) if subs else _clean(" ".join([item.text] + [m.text for m in item.more]))
    lines = _task_lines(out, f"{section.marker}.{item.marker}", own, item.line, matcher, references, issuers,
                        used, 4, leaf=not subs, lang=lang)
    if subs:
        lines.append("    subtasks:")
        parent_lead = _bodies_in(matcher, item.text)[0] or (issuers if section.marker != "I" else [])
        for i, (marker, text, line) in enumerate(subs):
            letter = marker if re.fullmatch(r"[a-z]", marker or "") else "abcdefghijklmnopqrstuvwxyz"[i]
            sub = _task_lines(out, f"{section.marker}.{item.marker}.{letter}", text, line, matcher, references,
                              parent_lead, used, 8, leaf=True, lang=lang, inherit=True)
            sub[0] = "      - " + sub[0].lstrip()[2:]
            lines += sub
    return lines


def _task_lines(out: _Out, ident: str, text: str, line: int, matcher: BodyMatcher, references: list[Reference],
                default_lead: list[str], used: list[str], pad: int, leaf: bool, lang: str,
                inherit: bool = False) -> list[str]:
    saved = out.lines
    out.lines = []
    sp = " " * pad
    out.lines.append(" " * (pad - 2) + f"- id: {ident}")
    out.check(pad, "import.why-title", line=line)
    out.put(pad, "title", short_title(text))
    out.put(pad, "description", text)
    lead, support = _bodies_in(matcher, text)
    if lead:
        out.check(pad, "import.why-lead", body=lead[0])
        out.put(pad, "lead", lead)
    elif not inherit:
        named = _lead_phrase(text)
        if named:  # the text names a lead the catalogue does not know
            out.check(pad, "import.why-lead-unknown", name=named)
        else:
            out.check(pad, "import.why-lead-issuers")
        out.put(pad, "lead", default_lead)
        lead = default_lead
    if support:
        out.check(pad, "import.why-support")
        out.put(pad, "support", support)
    used += lead + support
    refs = [r.id for r in references if r.number in text or any(x in text for x in r.spellings)]
    if refs:
        out.put(pad, "references", list(dict.fromkeys(refs)))
    if leaf:
        guess = guess_deadline(_without_references(text))
        year = re.match(r"'?(\d{4})", guess[0]) if guess else None
        if guess and year and int(year.group(1)) != out.year:
            out.check(pad, "import.why-deadline-other-year", words=guess[1], year=out.year)
            out.lines.append(f"{sp}deadline: {{continuous: true, review: quarter}}")
        elif guess:
            out.check(pad, "import.why-deadline", words=guess[1])
            out.lines.append(f"{sp}deadline: {guess[0]}")
        else:
            out.check(pad, "import.why-no-deadline")
            out.lines.append(f"{sp}deadline: {{continuous: true, review: quarter}}")
    lines, out.lines = out.lines, saved
    return lines


def import_plan(path: str | Path, catalogue: Catalogue | list[KnownBody], lang: str = "vi") -> ImportResult:
    """A draft plan from a text, Markdown or Word file."""
    return import_lines(read_source(path), catalogue, lang, Path(path).name)


def shipped_plan() -> Path:
    """The 2021 plan shipped with kehoach (in the wheel, or the repository's plans/)."""
    from kehoach.base.files import shipped

    return shipped("_plans/2021.yaml", "plans/2021.yaml")


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue to match names against: the bodies (and signers) of a plan file, or the
    bodies of a body catalogue file; by default the shipped 2021 plan's."""
    from kehoach.base.errors import KehoachError, UsageError
    from kehoach.plan.loader import load_bodies, load_plan

    if path is not None and not Path(path).is_file():
        raise UsageError("import-bodies-missing", {"path": str(path)})
    source = path or shipped_plan()
    bodies, errors = load_bodies(source)
    if errors:
        raise KehoachError("import-bodies-invalid", {"path": str(source)}, errors)
    loaded = load_plan(source, workdays=False)
    signers = [KnownSigner(x.body, x.authority, x.title, x.name) for x in loaded.plan.signers] if loaded.plan else []
    return Catalogue(catalogue_bodies(bodies), signers)


def import_document(source: str | Path, output: str | Path | None, bodies: str | Path | None = None,
                    lang: str = "vi", force: bool = False) -> ImportResult:
    """Write the draft plan made from `source` to `output` (None: write nothing, the caller shows
    `result.yaml`), and say how much was placed. Refused when the source cannot be read or holds
    no plan, or the output exists (unless `force`) or is the source."""
    from kehoach.base.errors import KehoachError, NotRegularFile, UsageError
    from kehoach.base.files import FileTooLarge
    from kehoach.base.messages import Msg
    from kehoach.outputs.targets import refuse_target, write
    from kehoach.plan.loader import load_text

    target = Path(output) if output is not None else None
    if target is not None:
        refuse_target(target, [Path(source)], writes_yaml=True)
        if target.exists() and not force:
            raise UsageError("init-exists", {"path": str(target)})
    try:
        lines = read_source(source)
    except FileNotFoundError:
        raise UsageError("import-not-found", {"path": str(source)}) from None
    except IsADirectoryError:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("os.EISDIR")}) from None
    except NotRegularFile:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("detail.not-regular")}) from None
    except FileTooLarge as exc:
        raise UsageError("file-too-large", {"size": exc.size, "limit": exc.limit}) from None
    except NotText:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("import.not-text")}) from None
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: say so, never a traceback
        detail: object = (Msg("import.not-docx") if Path(source).suffix.lower() == ".docx"
                          else f"{type(exc).__name__}: {exc}")
        raise UsageError("import-unreadable", {"path": str(source), "detail": detail}) from None
    result = import_lines(lines, load_catalogue(bodies), lang, Path(source).name)
    if not result.counts.get("sections"):
        raise KehoachError("import-no-structure", {"path": str(source)})
    check = load_text(result.yaml, str(target or source), workdays=False)
    if check.plan is None or any(d.severity == "error" for d in check.diagnostics):
        raise KehoachError("import-invalid", {"path": str(source)},
                           [d for d in check.diagnostics if d.severity == "error"])
    if target is not None:
        write(result.yaml.encode("utf-8"), target)
    return result
