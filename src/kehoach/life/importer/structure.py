"""The numbered structure of a plan's text (`kehoach import`), and the documents it cites.

Wrapped lines are joined into paragraphs (OCR debris set aside); the numbered parts of a
Vietnamese plan (I., II. …; 1., 2. …; a), b) …; "-" bullets) become a tree of items; the text
is cut into its head, its body and its end (signatures, "Nơi nhận"); document numbers
(`120-KL/TW`, `Quyết định số 436/QĐ-UBND ngày …`) become references, with their dates where
the text gives them. Nothing here knows the body catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set
from dataclasses import dataclass, field

from kehoach.base.text import fold

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_ROMAN_HEAD = re.compile(r"^(X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[.\-:]\s*(.*)$")
_NUM_HEAD = re.compile(r"^(\d{1,2})\s*[.)]\s+(.*)$")
_LETTER_HEAD = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_BULLET = re.compile(r"^[-–•+]\s*(.*)$")
# a document number: 120-KL/TW, 16/CT-TTg, 436-QD-UBND, 26-CTr/BDVTU-BCSĐUBND
_KINDS = "KL|CT|QĐ|QD|QB|CTr|KH|NQ|HD|TB|BC|TTr|CV"
_NUMBER = re.compile(
    rf"\b(\d{{1,5}})\s*+[-/]\s*+({_KINDS})\s*+[-/]\s*+([A-ZĐ][A-Za-zĐđ]*+(?:\s*+-\s*+[A-ZĐ][A-Za-zĐđ]*+)*+)"
)
# a number with its year: Nghị định số 09/2019/NĐ-CP, Thông tư 04/2022/TT-BNV, Luật số 10/2022/QH15
_NUMBER_YEAR = re.compile(
    r"\b(\d{1,4})\s*+/\s*+((?:19|20)\d\d)\s*+/\s*+(?:(NĐ|ND|NQ|TTLT|TT|QĐ|QD|CT)\s*+-\s*+([A-ZĐ][A-Za-zĐđ]*+(?:-[A-ZĐ][A-Za-zĐđ]*+)*+)"
    r"|(QH\d{1,2}))"
)
# (each `\s*+`, `\s++` possessive: the token after it is never a space, so the matches are those of
# `\s*`, `\s+`, without the backtracking that made a run of spaces cost its square)
_DATE = re.compile(r"ng\w{0,2}y\s++(\d{1,2})(?:\s*+/\s*+|\s++th\w{0,3}ng\s++)(\d{1,2})"
                   r"(?:\s*+/\s*+|\s++n\w{0,2}m\s++)(\d{4})", re.I)
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
    lines: list[int] = field(default_factory=list)  # every source line its own text came from


# ---------------------------------------------------------------- lines into paragraphs


def _noise(line: str) -> bool:
    """OCR debris: a line with almost no letters ("* * * ' f A", "/ \\", "r")."""
    letters = sum(ch.isalpha() for ch in line)
    return letters < 3 or letters < len(line.strip()) * 0.45


def _starts_item(line: str) -> bool:
    return bool(_ROMAN_HEAD.match(line) or _NUM_HEAD.match(line) or _LETTER_HEAD.match(line) or _BULLET.match(line))


def paragraphs(lines: list[str], each_line: bool = False,
               alone: Set[int] = frozenset()) -> tuple[list[Paragraph], list[tuple[int, str]]]:
    """Join wrapped lines into paragraphs; return them and the lines dropped as debris.

    A paragraph starts at a numbered heading, a bullet, or after a line that ends a
    sentence and is short (the last line of a justified paragraph); blank lines, which
    OCR puts in mid-sentence, only end a paragraph after a finished sentence. `each_line`: the
    reader gave paragraphs (Word, Markdown), each line is one; `alone`: the numbers of lines that
    are a paragraph of their own whatever their ending (a Markdown or Word heading)."""
    widths = sorted(len(x.strip()) for x in lines if len(x.strip()) > 30)
    typical = widths[len(widths) // 2] if widths else 70
    # a page's wrapped lines (a scan's OCR, a PDF's text) are mostly about as wide as each other, and
    # most of them run on into the next; a text of one paragraph a line (Word saved as text, a typed
    # file) is neither: each line is one (a scan of two-line paragraphs varies in width too, but runs on)
    if not each_line and len(widths) >= 8:
        long = [x.strip() for x in lines if len(x.strip()) > 30]
        near = sum(abs(w - typical) <= 0.15 * typical for w in widths)
        runs_on = sum(not _ends_in(x, ".:;!?") for x in long)
        each_line = near < 0.6 * len(widths) and runs_on < 0.5 * len(long)
    out: list[Paragraph] = []
    pieces: list[list[str]] = []  # each paragraph's lines and glue, joined once at the end (one pass)
    debris: list[tuple[int, str]] = []
    ended = True
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            ended = ended or bool(out and _ends_in(pieces[-1][-1], ".:;"))
            continue
        if _noise(line) and not _starts_item(line):
            debris.append((number, line))
            continue
        if ended or each_line or number in alone or _starts_item(line) or not out \
                or (len(pieces[-1]) == 1 and _capital_heading(pieces[-1][0]) and not _mostly_capitals(line)):
            out.append(Paragraph(line, number, [number]))
            pieces.append([line])
        else:
            prev, last = out[-1], pieces[-1][-1]
            # no word is hyphenated across lines in Vietnamese: a line ending in "-" ends inside a
            # document symbol ("16/CT-" + "TTg")
            glue = "" if last.endswith("-") and not (last.endswith(" -") or last == "-" and len(pieces[-1]) > 1
                                                      and pieces[-1][-2] == " ") else " "
            pieces[-1] += [glue, line]
            prev.lines.append(number)
        # a sentence's end on a short line (the last of a justified paragraph), or on a line longer
        # than any typed or scanned page's: a paragraph a line
        ended = number in alone or (_ends_in(line, ".:;") and (len(line) < typical * 0.8 or len(line) > 160))
    for p, parts in zip(out, pieces, strict=True):
        if len(parts) > 1:
            p.text = "".join(parts)
    return out, debris


def _capital_heading(line: str) -> bool:
    """A Roman-numbered heading written in capitals ("III. TỔ CHỨC THỰC HIỆN"): the sentence after
    it ("Giao Sở Nội vụ …") is not its wrapped end, as a capitals line going on would be."""
    m = _ROMAN_HEAD.match(line)
    return m is not None and _mostly_capitals(m.group(2))


def _mostly_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def _ends_in(text: str, marks: str) -> bool:
    """Whether `text`'s last character that is not a space is one of `marks` (`[.:;]\\s*$`,
    looking only at the end)."""
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    return bool(end) and text[end - 1] in marks


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
    joins: dict[int, tuple[Item | Paragraph, list[str]]] = {}  # texts grown by _append, joined at the end
    for p in paras:
        m = _marker(p.text)
        if m and m[0] == "bullet" and stack and not _ends_in(_last_text(stack[-1][1], joins), ".:;,") \
                and m[2][:1].islower():
            _append(stack[-1][1], p, joins=joins)  # "- xã hội" wrapped from "kinh tế": not a bullet
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
        item = Item(marker, rest, p.line, lines=list(p.lines or [p.line]))
        depth = order[level]
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            stack[-1][1].children.append(item)
        else:
            sections.append(item)
        stack.append((depth, item))
    for target, parts in joins.values():
        target.text = "".join(parts)
    return head, sections, footer


def _last_text(item: Item, joins: dict[int, tuple[Item | Paragraph, list[str]]]) -> str:
    """The end of an item's last text (the last piece appended to it, when one was)."""
    while not item.more and item.children:
        item = item.children[-1]
    last: Item | Paragraph = item.more[-1] if item.more else item
    joined = joins.get(id(last))
    return joined[1][-1] if joined else last.text


def _append(item: Item, p: Paragraph, more: bool = False,
            joins: dict[int, tuple[Item | Paragraph, list[str]]] | None = None) -> None:
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
        grown: Item | Paragraph = target.more[-1] if target.more else target
        grown.lines += p.lines or [p.line]
        if joins is None:
            grown.text += " " + p.text
        else:  # pieces, joined once by `outline`: a long run of wrapped bullets stays linear
            joins.setdefault(id(grown), (grown, [grown.text]))[1].extend((" ", p.text))


def _looks_like_section(title: str) -> bool:
    return len(title) < 80 and bool(re.search(r"[a-zA-Z]", title))


# ---------------------------------------------------------------- the head, the body and the end


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


def _read_date(line: str) -> dt.date | None:
    m = re.search(r"ng\S{0,2}y\s*(\d{1,2})\s*th\S{0,3}ng\s*(\d{1,2})\s*n\S{0,2}m\s*(\d{4})", fold(line))
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


# ---------------------------------------------------------------- document numbers


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
        taken = [(m.start(), m.end()) for m, *_ in found]  # in order, apart: one walk alongside
        k = 0
        for m in _NUMBER.finditer(p.text):
            while k < len(taken) and taken[k][1] <= m.start():
                k += 1
            if not (k < len(taken) and taken[k][0] <= m.start()):
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
            who = _WHO.match(rest)
            title = _TITLE.search(rest)
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
        _named_references(p, seen)
    refs = list(seen.values())
    ids: dict[str, int] = {}
    for r in refs:  # two numbers of one kind and number (120-KL/TW, 120-KL/TU): tell them apart
        ids[r.id] = ids.get(r.id, 0) + 1
    for r in refs:
        if ids[r.id] > 1:
            r.id = f"{r.id}-{fold(r.number.split('/')[-1].split('-')[-1]).replace('đ', 'd')}"
    return refs


# a law cited by its name and date ("Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022"), a
# letter by its number ("Công văn số 4325/BTP-PBGDPL"): tried only at the keyword, the name bounded
_LAW = re.compile(r"\b(Bộ luật|Luật|Pháp lệnh|Luat|Bo luat|Phap lenh) ")
_LETTER = re.compile(r"\b(?:Công văn|Cong van) (?:số|so) (\d{1,5})/([A-ZĐ]{2,10})-([A-ZĐ]{2,12})\b")


# who issued a document, and what it is about, in the words after its number (at most 240)
_WHO = re.compile(r"\s*+,?\s*+c[uủ]a\s++(.+?)(?:\s++(?:v[eề6]|về việc)\s|\s++th\S{0,3}c hi\S{0,3}n\s|[,;.(]|$)")
_TITLE = re.compile(r"\s(?:v[eề6]|v(?![aà]\s)\S)\s++(.+?)"
                    r"(?:[;.]|\s++c[uủ]a\s|\s++(?:Ket luan|Chi thi|Quyet dinh)\b|$)")


def _named_references(p: Paragraph, seen: dict[tuple[str, str], Reference]) -> None:
    for m in _LETTER.finditer(p.text):
        number = f"{m.group(1)}/{m.group(2)}-{m.group(3)}"
        key = (number, "CV")
        after = p.text[m.end(): m.end() + 240]
        dm = _DATE.match(after.lstrip(" ,"))
        date = _date_of(dm)
        who = re.match(r"[ ,]{0,3}c[uủ]a ([^,;.]{3,80})", after[dm.end() + len(after) - len(after.lstrip(" ,")):]
                       if dm else after)
        if key in seen:
            seen[key].date = seen[key].date or date
            continue
        issuer = who.group(1).split(" về ")[0].strip() if who else ""
        seen[key] = Reference(f"cv-{m.group(1)}-{fold(m.group(2)).replace('đ', 'd')}", number, date, "Công văn",
                              issuer, "", p.line, m.group(0), {m.group(0)})
    for m in _LAW.finditer(p.text):
        rest = p.text[m.end(): m.end() + 160]
        at = rest.find(" ngày ")
        if at < 3 or any(ch in rest[:at] for ch in ";.()") or rest.startswith(("số ", "so ")):
            continue
        dm = _DATE.match(rest[at + 1:])
        date = _date_of(dm)
        if date is None:
            continue
        name = f"{m.group(1)} {rest[:at].strip()}"
        key = (fold(name), "LAW")
        if key in seen:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40].strip("-")
        law = "luat" in fold(m.group(1))
        seen[key] = Reference(slug, "…", date, "Luật" if law else "Pháp lệnh", "Quốc hội" if law else "", name,
                              p.line, p.text[m.start(): m.end() + at + 1 + dm.end()] if dm else name,
                              {name})


_LAW_WORD = re.compile(r"Bộ luật|Luật|Pháp lệnh|Luat|Bo luat|Phap lenh")


def cited(text: str, refs: list[Reference]) -> list[str]:
    """The ids of the references `text` cites, in `refs`' order: a numbered one when the text
    writes one of its spellings or its number (read by the same patterns as `find_references`),
    a law when the text holds its name. Linear in the text: the text is read once, never once
    per reference (a paragraph citing thousands of numbers was quadratic)."""
    here: set[str] = set()
    for r in find_references([Paragraph(text, 0)]):
        here |= r.spellings
        here.add(r.number)
    names = {name for r in refs if r.number == "…" for name in r.spellings}
    if names:
        lengths = sorted({len(x) for x in names})
        for m in _LAW_WORD.finditer(text):  # a law's name starts with its kind: tried there only
            here.update(text[m.start(): m.start() + n] for n in lengths if text[m.start(): m.start() + n] in names)
    return [r.id for r in refs if (r.number != "…" and r.number in here) or not r.spellings.isdisjoint(here)]


def _date_of(dm: re.Match[str] | None) -> dt.date | None:
    if not dm:
        return None
    try:
        return dt.date(int(dm.group(3)), int(dm.group(2)), int(dm.group(1)))
    except ValueError:
        return None


def _without_references(text: str) -> str:
    """The text with each document number and the date that follows it blanked out: 'Quyết định
    số 436/QĐ-UBND ngày 11 tháng 6 năm 2019' names no deadline."""
    for rx in (_NUMBER_YEAR, _NUMBER):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    # a date after a blanked number: three spaces at least (then perhaps a comma) before it. Read
    # from each date back over the spaces before it, once: linear, where a look-behind over a run
    # of spaces was cubic (issue 20)
    pieces: list[str] = []
    done = 0
    for m in _DATE.finditer(text):
        start = _after_blank(text, m.start())
        if start is not None and start >= done:
            pieces += [text[done:start], " " * (m.end() - start)]
            done = m.end()
    return "".join(pieces) + text[done:] if pieces else text


def _after_blank(text: str, at: int) -> int | None:
    """Where the blanking of a date at `at` starts: `(?<=\\s{3})\\s*,?\\s*` before it, leftmost, or
    None. The whitespace runs before `at` are walked once."""
    i = at
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i > 0 and text[i - 1] == ",":
        k = i - 1
        while k > 0 and text[k - 1].isspace():
            k -= 1
        if i - 1 - k >= 3:
            return k + 3
    return i + 3 if at - i >= 3 else None


# ---------------------------------------------------------------- what an item holds


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


def _lines_of(item: Item) -> set[int]:
    out = {item.line, *item.lines}
    for m in item.more:
        out.update(m.lines or [m.line])
    for c in item.children:
        out |= _lines_of(c)
    return out
