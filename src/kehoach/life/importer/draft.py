"""Writing the draft plan (`kehoach import`): YAML text, every guess with its `# kiểm tra:`.

From the lines of a plan document, the head gives the plan's number, date, place, issuers and
title; the sections give objectives (from "Mục đích, yêu cầu") and tasks with their subtasks,
lead, support, references and deadlines (the words read by `kehoach.base.deadlines`); the end
gives recipients and signers. Every guessed value carries a comment saying what it was guessed
from; a line that could not be placed stays in the draft as a comment with its line number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kehoach.base.deadlines import guess_deadlines, labelled_deadline
from kehoach.base.text import fold, folded_with_map
from kehoach.life.importer.lines import CELL, HEADING, LAYOUT_KINDS, Line, Source, Table, column_numbers
from kehoach.life.importer.match import (
    BodyMatcher,
    Catalogue,
    KnownBody,
    _bodies_in,
    _lead_phrase,
    _place,
    _words,
)
from kehoach.life.importer.signers import _starts_signature, read_signers
from kehoach.life.importer.structure import (
    _SYMBOL_FIX,
    ROMAN,
    Item,
    Paragraph,
    Reference,
    _clean,
    _lines_of,
    _noise,
    _read_date,
    _without_references,
    _zones,
    cited,
    find_references,
    outline,
    paragraphs,
)

if TYPE_CHECKING:
    from kehoach.base.diagnostics import Diagnostic

FILL = "…"  # a blank the draft could not fill: `kehoach check` warns about it (to-fill)


@dataclass
class ImportResult:
    yaml: str
    placed: int
    total: int
    unplaced: list[tuple[int, str]]
    counts: dict[str, int]
    uncertain: dict[str, str] = field(default_factory=dict)  # field → why its value is a guess
    problems: list[Diagnostic] = field(default_factory=list)  # the draft's errors: written, still to fix
    revisions: int = 0  # the source's tracked changes not yet accepted (read as if accepted)


@dataclass
class _Out:
    """The draft's YAML, line by line, with the words of its comments in one language."""

    lang: str
    lines: list[str] = field(default_factory=list)
    year: int = 0  # the plan's year: a deadline read in another year is not the task's
    last: int = 0  # its last year, when its title names a span ("giai đoạn 2022 - 2023")

    def within(self, value: str) -> bool:
        """Whether every year a dated deadline's value names ('2022-06', '2022..2023') is one of the
        plan's (a recurring or triggered one, `{…}`, names none of its own)."""
        if not re.match(r"'?\d{4}", value):
            return True
        return all(self.year <= int(y) <= max(self.year, self.last) for y in re.findall(r"\d{4}", value))
    ns: list[int] = field(default_factory=list)  # each line's number in the source's own unit

    def num(self, pos: int) -> int:
        """The number a person finds line `pos` (1-based, in reading order) by in the source."""
        return self.ns[pos - 1] if 0 < pos <= len(self.ns) else pos

    def check(self, pad: int, key: str, **params: object) -> None:
        from kehoach.base.messages import text

        line = params.get("line")
        if isinstance(line, int):
            params["line"] = self.num(line)
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
    if first.count("(") > first.count(")"):  # cut inside a bracket ("Rà soát … (Sở Nội vụ chủ trì; …)"):
        before = first[:first.rfind("(")].rstrip(" ,;:")  # the words before it, if any
        first = before or text.strip().rstrip(".;:")
    if len(first) <= limit:
        return first
    cut = first[:limit]
    comma = cut.rfind(", ")
    return (cut[:comma] if comma > limit // 2 else cut[: cut.rfind(" ")]).rstrip(",;") + "…"


def import_lines(lines: Source | list[str], catalogue: Catalogue | list[KnownBody], lang: str = "vi",
                 source: str = "") -> ImportResult:
    """A draft plan (YAML text with `# kiểm tra:` comments) from a source document as its reader
    gives it (`Source`), or from plain lines (a text file's)."""
    from kehoach.base.messages import text as words

    src = lines if isinstance(lines, Source) else Source.from_texts([str(x) for x in lines], name=source)
    src = src.squeezed()  # long runs of spaces cut once, before any pattern reads the words
    if not isinstance(catalogue, Catalogue):
        catalogue = Catalogue(list(catalogue))
    texts, table_at = _flatten(src)
    start, end = _zones(texts)
    led = _Ledger(src, texts)
    for pos in table_at.values():
        led.markup.add(pos)

    # -- the head: issuers, party line, number, place and date, type, title, preamble
    head = [(i + 1, x.strip()) for i, x in enumerate(texts[:start]) if x.strip()]
    got = read_head(head)
    date_line, number_line, title = got.date_line, got.number_line, got.title
    place = _place(date_line[1], catalogue.bodies) if date_line else None
    bodies = _Bodies(catalogue.bodies, place)
    issuers, new_issuer = bodies.issuers(got.issuer_words, "\n".join(texts[start:end]))
    for n, _ in got.issuer_lines + got.motto_lines:
        led.value.add(n)
    for n, _ in got.noise:
        led.markup.add(n)
    preamble = got.preamble

    # -- the body
    body_lines = texts[start:end]
    headings = {k + 1 - start for k, line in enumerate(src.lines) if line.kind == HEADING and start < k + 1 <= end}
    paras, debris = paragraphs(body_lines, alone=headings)
    for p in paras:
        p.line += start
        p.lines = [x + start for x in p.lines]
    _, sections, _ = outline(paras)
    preamble_text = " ".join(x for _, x in preamble)
    references = [r for r in find_references([Paragraph(preamble_text, preamble[0][0] if preamble else 1)] + paras)
                  if not number_line or r.number != got.number]

    # -- the year, the period, the plan's id
    # a year the title names as the plan's ("năm 2022"), not the date of a document it cites
    # ("Nghị quyết số 27-NQ/TW, ngày 09/11/2022" in a plan issued on 10/02/2023 for 2023)
    titled = _DATED.sub(" ", title[1]) if title else ""
    year_match = (re.search(r"\b(20\d\d)\b", titled)
                  or re.search(r"\b(20\d\d)\b", date_line[1] if date_line else ""))
    year = int(year_match.group(1)) if year_match else dt.date.today().year
    # a plan of several years names them in its title ("giai đoạn 2022 - 2023", "năm 2022-2025")
    span = re.search(rf"\b{year}\s*[-–]\s*(?:năm\s+)?(20\d\d)\b", titled)
    last_year = int(span.group(1)) if span and year < int(span.group(1)) <= year + 10 else year
    out = _Out(lang, year=year, last=last_year, ns=[x.n for x in src.lines])
    o = out.lines
    o.append("# yaml-language-server: $schema=https://kehoach.invalid/schema/plan.schema.json")
    # a file's name as the system gave it may hold bytes that are no UTF-8 (kept as surrogates): "?"
    named = (source or src.name).encode("utf-8", "replace").decode("utf-8")
    out.comment(0, words("import.header", lang, source=named))
    o.append("")
    o.append("plan:")
    out.check(2, "import.why-id", year=year)
    out.put(2, "id", f"ke-hoach-{year}")
    if _model_has("draft"):
        out.put(2, "draft", True)
    uncertain: dict[str, str] = {}
    if number_line:
        led.value.add(number_line[0])
        out.check(2, "import.why-from", line=number_line[0], text=number_line[1])
        if got.number and got.number_doubt:
            out.check(2, "import.why-number-unsure", line=number_line[0], text=number_line[1])
            uncertain["number"] = words("import.uncertain-number", lang, text=number_line[1], digits=got.number_doubt)
        out.put(2, "number", got.number)
    for n, line in got.motto_lines:
        out.comment(2, f"{out.num(n)}: {line}")
    out.put(2, "type", _doc_type(got.type_line[1]) if got.type_line else "Kế hoạch")
    if got.type_line:
        led.value.add(got.type_line[0])
    if title:
        led.value.add(title[0])
        out.check(2, "import.why-from", line=title[0], text=title[1])
    out.put(2, "title", (title[1][:1].upper() + title[1][1:]) if title else words("import.no-title", lang))
    out.check(2, "import.why-issued", line=date_line[0] if date_line else 0, text=date_line[1] if date_line else "-")
    out.put(2, "issued", _read_date(date_line[1]) if date_line else None)
    if date_line:
        led.value.add(date_line[0])
    if place and date_line:
        out.check(2, "import.why-from", line=date_line[0], text=date_line[1])
        out.put(2, "place", place)
    if not issuers:
        issuers = [bodies.new_body(FILL_BODY, "")]
        out.check(2, "import.why-no-issuer")
    else:
        out.check(2, "import.why-issuers-read", lines=", ".join(str(out.num(n)) for n, _ in got.issuer_lines),
                  text=" ".join(x for _, x in got.issuer_lines))
        if new_issuer:
            out.check(2, "import.why-issuer-new", text=new_issuer)
    out.put(2, "issuers", issuers)
    split = got.superior()
    if split is not None and len(issuers) == 1:  # the letterhead as printed: the superior, then the issuer
        out.check(2, "import.why-header", lines=", ".join(str(out.num(n)) for n, _ in got.issuer_lines))
        out.put(2, "header", list(split))
    o.append("  period:")
    if last_year > year:
        out.check(4, "import.why-period-span", year=year, last=last_year)
    else:
        out.check(4, "import.why-period", year=year)
    out.put(4, "start", dt.date(year, 1, 1))
    out.put(4, "end", dt.date(last_year, 12, 31))
    implements = [r.id for r in references if preamble and r.line == preamble[0][0]][:1]
    if implements:
        out.check(2, "import.why-implements")
        out.put(2, "implements", implements)
    if uncertain and _model_has("uncertain"):
        o.append("  uncertain:")
        for key, why in uncertain.items():
            out.put(4, key, why)
    if preamble:  # the opening sentence, kept for the reader (the format has no field for it)
        out.comment(2, words("import.preamble", lang, first=out.num(preamble[0][0]), last=out.num(preamble[-1][0]),
                             text=preamble_text))
        led.value.update(n for n, _ in preamble)

    # -- the appendix (after the signatures): its heading lines, and the tables in it
    appendix_at = next((i for i in range(end, len(texts)) if fold(texts[i]).startswith("phu luc")), None)
    tail_end = appendix_at if appendix_at is not None else len(texts)
    in_body = {k: pos for k, pos in table_at.items() if start < pos <= end}
    in_appendix = {k: pos for k, pos in table_at.items() if k not in in_body}
    if in_appendix and appendix_at is None:
        appendix_at = min(in_appendix.values()) - 1
        tail_end = min(tail_end, appendix_at)

    # -- sections, objectives, tasks
    ctx = _Ctx(out, bodies, references, issuers, led, lang, used=list(issuers))
    # "I. MỤC ĐÍCH, YÊU CẦU" or "I. MỤC TIÊU": the objectives; "KINH PHÍ": the funding, no task
    objective_section = next((s for s in sections if re.match(r"muc (dich|tieu)\b", " ".join(_words(s.text)))),
                             None)
    funding = [s for s in sections if re.fullmatch(r"kinh phi(?: thuc hien)?", " ".join(_words(s.text)))]
    o.append("")
    o.append("sections:")
    for s in sections:
        o.append(f"  - id: {s.marker}")
        out.put(4, "title", s.text)
        led.value.add(s.line)
        if s in funding:  # its words kept beside it: a note to read, not work to track
            out.check(4, "import.why-funding")
            for n in sorted(_lines_of(s) - {s.line}):
                o.append(f"    # {out.num(n)}: {texts[n - 1].strip()}")
                led.kept.add(n)
    appendix_title: list[tuple[int, str]] = []
    if appendix_at is not None:
        appendix_title = [(i + 1, texts[i].strip()) for i in range(appendix_at, min(len(texts), appendix_at + 6))
                          if texts[i].strip() and (i + 1) not in table_at.values()][:2]
        if in_appendix or appendix_title:
            o.append("  - id: PL")
            out.check(4, "import.why-appendix", line=appendix_title[0][0] if appendix_title else 0)
            name = " — ".join(x for _, x in appendix_title) or "Phụ lục"
            out.put(4, "title", _sentence(name))
            led.value.update(n for n, _ in appendix_title)
    objectives: list[tuple[str, str, Item, Item | None]] = []
    if objective_section is not None:
        for c in objective_section.children:
            if c.children and len(_words(c.text)) <= 3:  # "1. Mục đích" only names its bullets
                for k, child in enumerate(c.children):
                    objectives.append((f"{objective_section.marker}.{c.marker}.{_letter(child.marker, k)}",
                                       c.text if k == 0 else "", child, c))
                led.value.add(c.line)
            else:
                objectives.append((f"{objective_section.marker}.{c.marker}", "", c, None))
    task_blocks: list[tuple[int, list[str]]] = []
    last = sections[-1] if sections else None
    for s in sections:
        if s is objective_section or s in funding:
            continue
        tables_here = sorted((pos, k) for k, pos in in_body.items() if _section_of(sections, pos) is s)
        headed: dict[int, tuple[str, str, int]] = {}  # a table under an item that only heads it
        for i, c in enumerate(s.children):
            after = s.children[i + 1].line if i + 1 < len(s.children) else None
            inside = [k for pos, k in tables_here if pos > c.line and (after is None or pos < after)]
            if inside and not c.children and not c.more and inside[0] not in headed:
                headed[inside[0]] = (f"{s.marker}.{c.marker}", _clean(c.text), c.line)
        for c in s.children:
            if any(c.line == line for _, _, line in headed.values()):
                led.value.update(_lines_of(c))
                continue  # "4. Bảng phân công": the table's rows are its tasks
            closing = None
            if s is last and c is s.children[-1] and c.more and not c.children and len(s.children) > 1 \
                    and (len(c.more) > 1 or _closing(c.more[-1].text)):
                closing, c.more = c.more[-1], c.more[:-1]
            task_blocks.append((c.line, _task(ctx, s, c)))
            if closing is not None:
                ident = f"{s.marker}.{_next_marker(c.marker)}"
                task_blocks.append((closing.line, _unnumbered_task(ctx, ident, closing, "import.why-closing")))
        for k, pos in sorted(in_body.items(), key=lambda kv: kv[1]):
            if _section_of(sections, pos) is s:
                task_blocks.append((pos, _table_tasks(ctx, src.tables[k], s.marker, headed.get(k))))
        if not s.children and not any(_section_of(sections, pos) is s for pos in in_body.values()):
            # a section written as plain paragraphs ("III. TỔ CHỨC THỰC HIỆN" then "Giao Sở …"): a
            # task each, its code set by the draft
            for k, p in enumerate(s.more, start=1):
                task_blocks.append((p.line, _unnumbered_task(ctx, f"{s.marker}.{k}", p, "import.why-unnumbered")))
        elif s.more:  # paragraphs between a section's heading and its first item: kept where they stand
            first = next((b for at, b in task_blocks if at > s.line), None)
            for p in s.more:
                if first is not None:
                    first[1:1] = [f"    # {out.num(n)}: {texts[n - 1].strip()}" for n in (p.lines or [p.line])]
                    led.kept.update(p.lines or [p.line])
    for k, pos in sorted(in_appendix.items(), key=lambda kv: kv[1]):
        task_blocks.append((pos, _table_tasks(ctx, src.tables[k], "PL")))
    # lines of the body dropped as debris: kept as comments inside the task they fall in
    for n, line in debris:
        pos = n + start
        block = next((b for at, b in reversed(task_blocks) if at <= pos), [])
        if task_blocks and task_blocks[0][0] <= pos:
            block.append(f"    # {out.num(pos)}: {line}")
            led.kept.add(pos)
    o.append("")
    o.append("objectives:" if objectives else "objectives: []")
    for oid, label, item, parent in objectives:
        if label and parent is not None:
            out.comment(2, f"{out.num(parent.line)}: {label}")
        o.append(f"  - id: {oid}")
        raw = " ".join([item.text] + [m.text for m in item.more])
        out.put(4, "text", _clean(raw))
        _quote_dropped(out, 4, raw, item.line)
        led.value.update(_lines_of(item))
    o.append("")
    o.append("references:" if references else "references: []")
    for r in references:
        o.append(f"  - id: {r.id}")
        if r.number == FILL:
            out.check(4, "import.why-law", line=r.line, text=r.raw)
        else:
            out.check(4, "import.why-reference", line=r.line, text=r.raw)
        out.put(4, "number", r.number)
        out.put(4, "date", r.date)
        out.put(4, "issuer", r.issuer or words("import.unknown", lang))
        out.put(4, "title", r.title or r.number)
        out.put(4, "kind", r.kind)
    o.append("")
    o.append("tasks:" if task_blocks else "tasks: []")
    for _, block in task_blocks:
        o.extend(block)
    # -- the signature block (read now: the bodies it names are declared below)
    tail = [(i + 1 + end, x.strip()) for i, x in enumerate(texts[end:tail_end]) if x.strip()]
    at = next((k for k, (_, x) in enumerate(tail) if "noi nhan" in " ".join(_words(x))), len(tail))
    # the recipients run from "Nơi nhận" to the signature block, when the block comes after them
    stop = next((k for k in range(at + 1, len(tail)) if _starts_signature(tail[k][1])), len(tail))
    columns: dict[int, tuple[int | None, int | None]] = {
        k + 1: (x.table, x.col) for k, x in enumerate(src.lines) if x.col is not None}
    signers, signed = read_signers(tail[:at] + tail[stop:], bodies.matcher, catalogue, issuers, columns)
    led.value |= signed
    ctx.used += [g.body for g in signers]

    # -- bodies named anywhere, with the groups they belong to
    o.append("")
    o.append("bodies:")
    for line in bodies.declare(ctx.used, out):
        o.append(line)

    # -- the end: recipients; what could not be placed
    recipients: list[tuple[int, str, str | None]] = []
    in_recipients = False
    unplaced: list[tuple[int, str]] = []
    for k, (n, line) in enumerate(tail):
        if n in signed:
            continue
        if k >= stop:
            unplaced.append((n, line))
            continue
        folded = " ".join(_words(line))
        if "noi nhan" in folded:
            in_recipients = True
            led.value.add(n)
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            if rest:
                recipients.append((n, rest.strip(" ,;."), None))
            continue
        if in_recipients and line.startswith(("-", "–", "+", "•")):
            name = line.lstrip("-–+• ").strip()
            purpose = None
            brace = next((i for i, ch in enumerate(name) if ch in "^}]|"), -1)
            paren = _PURPOSE.search(name)
            if brace > 0:  # "} báo cáo": a brace, read by OCR as ^ or }, joins this line and the one above
                purpose, name = name[brace + 1:].strip(" ,;."), name[:brace]
                if recipients and recipients[-1][2] is None and purpose:
                    recipients[-1] = (recipients[-1][0], recipients[-1][1], purpose)
                purpose = purpose or None
            elif paren:  # "Sở Nội vụ (để thực hiện);"
                purpose, name = paren.group(1).strip(), name[:paren.start()]
            recipients.append((n, name.strip(" ,;.") or line, purpose))
            led.value.add(n)
        elif in_recipients and recipients and not _noise(line):
            n0, name, purpose = recipients[-1]
            recipients[-1] = (n0, f"{name} {line.strip(' ,;.')}", purpose)
            led.value.add(n)
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
            out.check(4, g.why, line=g.line, other=g.other or "")
            if g.authority:
                out.put(4, "authority", g.authority)
            out.put(4, "title", g.title or FILL)
            out.put(4, "name", g.name or FILL)
        for n in sorted(signed):
            out.comment(2, f"{out.num(n)}: {texts[n - 1].strip()}")
    # -- the appendix's other lines: comments in place, at the end of the tasks they follow
    if appendix_at is not None:
        for i in range(appendix_at, len(texts)):
            n = i + 1
            if texts[i].strip() and n not in led.value and n not in led.markup:
                unplaced.append((n, texts[i].strip()))
    unplaced += [(n + start, x) for n, x in debris if n + start not in led.kept]
    # the net under all the rules above: a line of the body that became neither a value nor a
    # comment in place is kept at the end, never dropped
    unplaced += [(n, texts[n - 1].strip()) for n in range(start + 1, end + 1)
                 if led.counts(n) and n not in led.value and n not in led.kept and n not in led.markup
                 and texts[n - 1].strip()]
    for n, line in head:
        if n not in led.value and n not in led.markup and n not in led.kept:
            unplaced.append((n, line))
    unplaced = sorted(set(unplaced))
    if unplaced:
        o.append("")
        out.comment(0, words("import.unplaced-heading", lang))
        for n, line in unplaced:
            o.append(f"# {out.num(n)}: {line}")
    counts = {"sections": len(sections) + (1 if appendix_at is not None and (in_appendix or appendix_title) else 0),
              "objectives": len(objectives), "tasks": ctx.tasks, "references": len(references),
              "bodies": bodies.declared, "recipients": len(recipients), "deadlines": ctx.deadlines}
    total = led.total()
    placed = len([n for n in led.value if led.counts(n)])
    return ImportResult("\n".join(o) + "\n", min(placed, total), total, unplaced, counts, uncertain=uncertain,
                        revisions=src.revisions)


FILL_BODY = FILL
_PURPOSE = re.compile(r"\(([^()]{2,40})\)[\s,;.]{0,3}$")
_LABEL = re.compile(r"(?:co quan|don vi) (chu tri|phoi hop)|thoi (?:gian|han)|san pham|kinh phi|ghi chu")
_BARE_LABEL = re.compile(r"(?:chu tri|phoi hop)(?: thuc hien)?")  # "Chủ trì: …", the whole label
# the next label of a line that holds several: "…; cơ quan phối hợp: …; thời gian thực hiện: …"
# a label after a sentence of the item's own paragraph
_LABEL_IN_TEXT = re.compile(r"[.;]\s+((?:(?:co quan|don vi) )?(?:chu tri|phoi hop)\s*:)")
_NEXT_LABEL = re.compile(r"(?:[;.]\s*|\s+)((?:(?:co quan|don vi) )?(?:chu tri|phoi hop)[^:;,.]{0,25}"
                         r"|thoi (?:gian|han)[^:;,.]{0,25}|san pham[^:;,.]{0,25}|kinh phi[^:;,.]{0,25}|ghi chu)\s*:")
_LABEL_ROLE = {"chu tri": "lead", "phoi hop": "support"}


def _model_has(name: str) -> bool:
    """Whether the plan model knows a field of `plan:` (`draft`, `uncertain` are being added)."""
    from kehoach.plan.model import PlanInfo

    return name in PlanInfo.model_fields


@dataclass
class _Ledger:
    """Where each line of the source went: a value, a comment, or markup (not counted)."""

    src: Source
    texts: list[str]
    value: set[int] = field(default_factory=set)
    kept: set[int] = field(default_factory=set)
    markup: set[int] = field(default_factory=set)

    def counts(self, pos: int) -> bool:
        line = self.src.lines[pos - 1] if 0 < pos <= len(self.src.lines) else None
        return (line is not None and line.kind not in LAYOUT_KINDS and pos not in self.markup
                and any(ch.isalnum() for ch in line.text))

    def total(self) -> int:
        return sum(1 for pos in range(1, len(self.src.lines) + 1) if self.counts(pos))


class _Bodies:
    """The bodies a draft names: the catalogue's (those of another province left out) and new ones
    read from the document, declared with a `# kiểm tra:`."""

    def __init__(self, known: list[KnownBody], place: str | None):
        self.all = {b.id: b for b in known}
        self.new: dict[str, str] = {}  # id → the words it was read from
        here = fold(place) if place else ""
        self.foreign = {b.id for b in known if here and _place_in(b.name) not in ("", here)}
        homes = {_place_in(b.name) for b in known} - {""}
        self.elsewhere = bool(here) and bool(homes) and here not in homes
        self.declared = 0
        self._rebuild()

    def _rebuild(self) -> None:
        self.matcher = BodyMatcher([b for b in self.all.values() if b.id not in self.foreign])

    def new_body(self, name: str, said: str, short: str | None = None) -> str:
        name = " ".join(name.split()).strip(" ,;.:")
        ident = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:48].strip("-") or "chua-ro"
        if ident in self.all:
            return ident
        f = fold(name)
        kind = ("group" if f.startswith("cac ") else
                "mass" if "mat tran" in f or "mttq" in f.split() else  # "Ban Thường trực Ủy ban MTTQ …"
                "party" if f.startswith(("ban ", "tinh uy", "dang uy", "huyen uy", "thanh uy")) else
                "mass" if f.startswith(("mat tran", "uy ban mat tran", "hoi ", "doan ", "tinh doan", "lien doan"))
                else "state")
        self.all[ident] = KnownBody(ident, name or FILL, short, kind)
        self.new[ident] = said
        self._rebuild()
        return ident

    def issuers(self, segments: list[str], document: str = "") -> tuple[list[str], str]:
        """The issuers named by the header's words (one segment per body, split at " - "): a body of
        the catalogue only when its name covers the whole segment; else a new body, spelt as the
        document's own text spells it ("SỞ TƯ PHÁP TỈNH QUẢNG NGÃI" over a text that says "Sở Tư
        pháp": "Sở Tư pháp tỉnh Quảng Ngãi", short "Sở Tư pháp", the name the tasks use)."""
        ids: list[str] = []
        new: list[str] = []
        for seg in segments:
            words = _words(seg)
            # a segment longer than any body's name is a new body's words: never matched word by word
            spans = self.matcher.find_spans(seg) if len(seg) <= 400 else []
            if spans and sum(n for _, n, _ in spans) >= len(words):
                ids += [ident for _, _, ident in spans]
            elif words:
                name, short = _spelt_as_written(seg, document)
                ids.append(self.new_body(name, seg, short))
                new.append(seg)
        return list(dict.fromkeys(ids)), "; ".join(new)

    def resolve(self, text: str) -> list[str]:
        """The bodies a cell or a labelled line names ("Sở Nội vụ, Ủy ban Mặt trận …; các sở, ban,
        ngành"): each piece a body of the catalogue when its name covers the piece, else a new body."""
        pieces: list[str] = []
        for part in re.split(r"[;]", text[:600]):
            for bit in part.split(","):
                bit = bit.strip(" .")
                if not bit:
                    continue
                if pieces and bit[:1].islower() and not bit.startswith("các "):
                    pieces[-1] += ", " + bit  # "các sở, ban, ngành": one name
                else:
                    pieces.append(bit)
        out: list[str] = []
        for piece in pieces:
            words = _words(piece)
            spans = self.matcher.find_spans(piece)
            if spans and sum(n for _, n, _ in spans) >= len(words) - 1:
                out += [ident for _, _, ident in spans]
            elif words and (piece[:1].isupper() or piece.startswith("các ")):
                out.append(self.new_body(piece[:1].upper() + piece[1:], piece))
        return list(dict.fromkeys(out))

    def declare(self, used: list[str], out: _Out) -> list[str]:
        saved, out.lines = out.lines, []
        needed = list(dict.fromkeys(used))
        for ident in needed:  # grows as it goes: a member's parent, a parent's members, are declared too
            b = self.all[ident]
            if not self.elsewhere:
                needed += [m for m in b.members if m not in needed and m in self.all]
            if b.parent and b.parent in self.all and b.parent not in needed and b.parent not in self.foreign:
                needed.append(b.parent)
        for ident in needed:
            b = self.all[ident]
            out.lines.append(f"  - id: {b.id}")
            if ident in self.new:
                out.check(4, "import.why-body-new", text=self.new[ident] or FILL)
            out.put(4, "name", b.name)
            if b.short:
                out.put(4, "short", b.short)
            out.put(4, "kind", b.kind)
            if b.parent and b.parent not in self.foreign:
                out.put(4, "parent", b.parent)
            if b.members and not self.elsewhere:
                out.put(4, "members", [m for m in b.members if m in self.all])
        self.declared = len(needed)
        lines, out.lines = out.lines, saved
        return lines


def _place_in(name: str) -> str:
    """The province a body's name carries ("Ủy ban nhân dân tỉnh Quảng Ngãi" → "quang ngai"), or ""."""
    f = fold(name)
    at = f.rfind(" tinh ")
    rest = f[at + 6:].strip() if at != -1 else ""
    return "" if not rest or rest.split()[0] in ("uy", "doan", "hoi") else rest


def _spelt_as_written(seg: str, document: str) -> tuple[str, str | None]:
    """A body's name read in capitals from the header, as the document's text writes it: its
    longest opening (two words or more) the text writes in other than capitals, then the rest in
    `_name_case`; and that opening as its short name when it is not the whole name."""
    words = " ".join(seg.split()).strip(" -–").split(" ")
    if document and len(seg) <= 200 and not any(ch.islower() for ch in seg):
        for k in range(len(words), 1, -1):
            pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words[:k]) + r"(?!\w)", re.IGNORECASE)
            said = pattern.search(document, 0, 200_000)
            while said is not None and not any(ch.islower() for ch in said.group()):
                said = pattern.search(document, said.end(), 200_000)
            rest = " ".join(_name_case(seg).split(" ")[k:])  # "tỉnh Kon Tum": cased as a whole name
            # an opening is the body's short name only where the rest is its place ("Sở Tư pháp |
            # tỉnh Quảng Ngãi"); "Ủy ban" of "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT", found in "Ủy ban Mặt
            # trận …", is no name of it
            head = " ".join(said.group().split()) if said is not None else ""
            if said is not None and not rest:
                return head, None
            if said is not None and fold(rest.split(" ")[0]) in _PLACE_WORDS and fold(head) not in _NO_SHORT:
                return f"{head} {rest}", head
    return _name_case(seg), None


_PLACE_WORDS = ("tinh", "huyen", "thanh", "thi", "xa", "phuong", "quan")
# openings that name no one body without their place ("Ủy ban nhân dân" of which province?)
_NO_SHORT = ("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd", "uy ban", "ban chap hanh")


def _name_case(text: str) -> str:
    """A name in capitals as a body's name: "ỦY BAN NHÂN DÂN TỈNH KON TUM" → "Ủy ban nhân dân tỉnh Kon Tum"."""
    import unicodedata

    words = " ".join(text.split()).strip(" -–").split(" ")
    if not any(ch.islower() for ch in "".join(words)):
        out: list[str] = []
        proper = False
        # NĐ 30, Phụ lục II: the words of a body's kind and its field are capitalised ("Sở Giáo dục và
        # Đào tạo", "Ban Tuyên giáo", "Sở Lao động - Thương binh và Xã hội"), the first syllable of each
        kind = 2 if fold(" ".join(words[:2])) in _KIND_TWO else 1 if fold(words[0]) in _KIND_ONE else 0
        field_starts = {kind} if kind and len(words) > kind else set()
        for k, w in enumerate(words):
            low = unicodedata.normalize("NFC", w.lower())
            bare = low.rstrip(",;")
            after = fold(words[k + 1]) if k + 1 < len(words) else ""
            committee = after == "uy" and fold(bare) in ("tinh", "huyen", "thanh", "thi", "quan", "dang")
            # a place by its own word, with its marks ("quận", not "quản lý", "quân sự")
            place = bare in _PLACES and not (bare == "xã" and after == "hoi") and not committee
            if fold(w) in _ABBREVIATED or not _SYLLABLE.fullmatch(fold(bare).replace("đ", "d")):
                out.append(w)  # "UBND", "KH&CN", "THPT", "LHPN": as written
            elif committee or (k in field_starts and not (place or proper)):  # "Tỉnh ủy": a committee's name
                out.append(low[:1].upper() + low[1:])
            elif proper and bare not in ("ủy", "uy"):
                out.append(low[:1].upper() + low[1:])
            else:
                out.append(low[:1].upper() + low[1:] if k == 0 else low)
            if field_starts and not (place or proper) and (fold(low) in ("va", "-", "–") or low.endswith(",")):
                field_starts.add(k + 1)  # "Văn hóa, Thể thao và Du lịch"
            # "KKT Dung Quất", "KCN VSIP": a zone is named after its place
            proper = proper or (committee and fold(bare) != "dang") or place or fold(bare) in ("kkt", "kcn", "ccn")
        words = out
    return " ".join(words)


# a Vietnamese syllable, folded: a word in capitals that is none is an abbreviation, kept as written
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnptiyou])?")
_PLACES = ("tỉnh", "huyện", "xã", "phường", "quận", "phố", "thị trấn")
_ABBREVIATED = ("ubnd", "hdnd", "mttq", "mttqvn", "tw", "ct-xh", "kt-xh", "vksnd", "tand", "ldld", "bchqs", "cand")
_KIND_ONE = ("so", "ban", "phong", "cuc", "bo", "vien")
_KIND_TWO = ("van phong", "trung tam", "chi cuc", "tong cuc")


def _sentence(text: str) -> str:
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
        text = text.lower()
    return text[:1].upper() + text[1:]


@dataclass
class _Head:
    issuer_lines: list[tuple[int, str]] = field(default_factory=list)
    motto_lines: list[tuple[int, str]] = field(default_factory=list)
    noise: list[tuple[int, str]] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)
    number_line: tuple[int, str] | None = None
    number: str | None = None
    number_doubt: str | None = None
    date_line: tuple[int, str] | None = None
    type_line: tuple[int, str] | None = None
    title: tuple[int, str] | None = None

    @property
    def issuer_words(self) -> list[str]:
        split = self.superior()
        if split is not None:  # "UBND TỈNH QUẢNG NGÃI" over "SỞ TƯ PHÁP": the body below issues it
            above, own = split
            # a Party committee's Ban is named with its committee ("Ban Dân vận Tỉnh ủy Quảng Ngãi")
            return [own + " " + above if fold(own).startswith("ban ") and _PARTY_COMMITTEE.match(fold(above)) else own]
        joined = " ".join(" ".join(x for _, x in self.issuer_lines).split())
        return _issuer_pieces(joined)

    def superior(self) -> tuple[str, str] | None:
        """(the superior body's words, the issuing body's) of a letterhead that prints the body a
        plan's issuer belongs to above it (NĐ 30's "tên cơ quan chủ quản" over "tên cơ quan ban
        hành"; "ĐẢNG BỘ TỈNH …" over "HUYỆN ỦY …"): a later line that begins with a body of its own
        ("SỞ", "BAN", "PHÒNG", "HUYỆN ỦY" …), where no " - " sets two issuers apart; else None
        ("ỦY BAN NHÂN DÂN" over "TỈNH QUẢNG NGÃI" is one name)."""
        lines = [" ".join(x.split()).strip(" -–") for _, x in self.issuer_lines]
        if len(lines) < 2 or len(_issuer_pieces(" ".join(x for _, x in self.issuer_lines))) > 1:
            return None
        for k in range(1, len(lines)):
            if _OWN_BODY.match(fold(lines[k])):
                above = " ".join(lines[:k])
                # the line above is a superior ("UBND TỈNH …", "ĐẢNG BỘ TỈNH …", "TỈNH ỦY …"), not a
                # body of its own beside it ("BAN DÂN VẬN TỈNH ỦY" over "BAN CÁN SỰ ĐẢNG UBND TỈNH": two issuers)
                return (above, " ".join(lines[k:])) if _SUPERIOR.match(fold(above)) else None
        return None


def _issuer_pieces(joined: str) -> list[str]:
    """The issuers a letterhead's words name, split at " - " where a body begins after it ("BAN DÂN
    VẬN TỈNH ỦY - BAN CÁN SỰ ĐẢNG UBND TỈNH"), not inside a name ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ
    HỘI")."""
    out: list[str] = []
    for piece in re.split(r" [-–] | [-–]$", joined):
        piece = piece.strip(" -–")
        if not piece:
            continue
        if out and not _BODY_START.match(fold(piece)):
            out[-1] += " - " + piece
        else:
            out.append(piece)
    return out


# (folded) the first words of a letterhead line that names a body of its own, under its superior
_OWN_BODY = re.compile(r"(so|ban|phong|van phong|thanh tra|cuc|chi cuc|trung tam|huyen uy|thanh uy|thi uy|quan uy"
                       r"|dang uy|uy ban kiem tra|hoi dong)\b")
_BODY_START = re.compile(r"(so|ban|phong|van phong|thanh tra|cuc|chi cuc|trung tam|huyen uy|thanh uy|thi uy"
                         r"|quan uy|tinh uy|dang uy|dang bo|uy ban|ubnd|hdnd|hoi dong|mat tran|mttq|bo|tong cuc)\b")
_SUPERIOR = re.compile(r"(uy ban nhan dan|ubnd|dang bo|ban chap hanh|tinh uy|thanh uy|huyen uy|thi uy|quan uy"
                       r"|dang uy|bo|hoi dong nhan dan|hdnd|tong cuc|cuc)\b")
_PARTY_COMMITTEE = re.compile(r"(tinh uy|thanh uy|huyen uy|thi uy|quan uy|dang uy)\b")

_NUMBER_START = re.compile(r"[Ss][oốôỐÔOo06](?=[\s:])")
_NUMBER_BODY = re.compile(r"([0-9][^\s/-]{0,8})([\s/-]{1,3})([A-ZĐ][A-Za-zĐđ]{0,5})([\s/-]{1,3})"
                          r"([A-ZĐ][A-Za-zĐđ0-9-]{0,40})")


def read_number(line: str) -> tuple[str, str | None] | None:
    """(number, the unreadable reading or None) of "Số 04-KH/BDVTU" (Party form), "Số: 45/KH-UBND"
    (State form), or the OCR's "S6 4.P KH/…" (→ "4…-KH/…", "4.P")."""
    line = line.strip()
    m = _NUMBER_START.match(line)
    if not m:
        return None
    rest = line[m.end():].lstrip(" :")
    b = _NUMBER_BODY.match(rest)
    if not b:
        return None
    raw, sep, kind, _, issuer = b.groups()
    digits = re.match(r"\d+", raw)
    num = digits.group(0) if digits else raw
    doubt = None if num == raw else raw
    if doubt:
        num += "…"
    issuer = issuer.rstrip("-")
    for wrong, right in _SYMBOL_FIX.items():
        issuer = issuer.replace(wrong, right)
    kind = _SYMBOL_FIX.get(kind, kind)
    return (f"{num}/{kind}-{issuer}" if "/" in sep else f"{num}-{kind}/{issuer}"), doubt


def read_head(head: list[tuple[int, str]]) -> _Head:
    """The head of a plan (the lines before its first Roman section): issuers (the lines in
    capitals), the number, the place and date, the type ("KẾ HOẠCH"), the title, the preamble."""
    info = _Head()
    seen_type = False
    prev = 0
    for n, line in head:
        folded = " ".join(_words(line))
        if not any(ch.isalnum() for ch in line):
            info.noise.append((n, line))
            continue
        if not seen_type and info.number_line is None:
            got = read_number(line)
            if got:
                info.number_line = (n, line)
                info.number, info.number_doubt = got
                continue
        after_motto = bool(info.motto_lines) and info.motto_lines[-1][0] == prev
        prev = n
        if "cong san" in folded or "cqng san" in folded or "cong hoa" in folded or folded.startswith("doc lap") \
                or (after_motto and folded.endswith("viet nam")):  # the motto wrapped: "… CHỦ / NGHĨA VIỆT NAM"
            info.motto_lines.append((n, line))
            continue
        if not seen_type and info.date_line is None and re.search(r"\bng\S{0,2}y\b", folded) \
                and re.search(r"\b(19|20)\d\d\b", line) and "," in line:
            info.date_line = (n, line)
            continue
        letters = [ch for ch in line if ch.isalpha()]
        if folded in ("ke hoach", "ke hoach phoi hop", "k e hoach") or (
                folded.startswith("ke hoach ") and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)):
            seen_type = True
            info.type_line = (n, line)
            if folded.startswith("ke hoach ") and folded[9:] not in TYPE_WORDS and info.title is None:
                # "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022": the type, then the title on the same line
                info.title = (n, line.strip(" #*_").split(None, 2)[2])
            continue
        if seen_type and info.title is None:
            info.title = (n, line)
            continue
        if not seen_type:
            if len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters) and not _noise(line):
                info.issuer_lines.append((n, line))
            continue
        info.preamble.append((n, line))
    return info


# the words after "KẾ HOẠCH" that name a kind of plan, not its subject (folded)
TYPE_WORDS = ("lien tich", "lien nganh", "phoi hop", "hanh dong", "lien tich phoi hop", "thuc hien")


def _doc_type(line: str) -> str:
    """The document's type as its line writes it, in sentence case: "KẾ HOẠCH LIÊN TỊCH" → "Kế hoạch
    liên tịch"; "KẾ HOẠCH" (spaced out by OCR too), or "KẾ HOẠCH" and the title on one line →
    "Kế hoạch"."""
    words = " ".join(line.strip(" #*_").split())
    folded = " ".join(_words(words))
    if not folded.startswith("ke hoach ") or folded[9:] not in TYPE_WORDS:
        return "Kế hoạch"
    return words[:1].upper() + words[1:].lower()


def _unnumbered_task(ctx: _Ctx, ident: str, p: Paragraph, why: str) -> list[str]:
    """A task from a paragraph the document did not number (the closing paragraph, a section
    written as plain text): its code is the draft's, and its comment says so."""
    from kehoach.base.messages import text as words

    block = _task_lines(ctx, ident, _clean(p.text), p.text, p.line, ctx.issuers, 4, leaf=True)
    block.insert(1, "    # " + words("import.check", ctx.lang, what=words(why, ctx.lang, ident=ident)))
    ctx.led.value.update(p.lines or [p.line])
    return block


def _flatten(src: Source) -> tuple[list[str], dict[int, int]]:
    """The lines the structure step reads (rules and blank lines empty, the cells of assignment
    tables empty: those tables are read whole), and the first line of each assignment table."""
    texts: list[str] = []
    table_at: dict[int, int] = {}
    for k, line in enumerate(src.lines):
        if line.kind in LAYOUT_KINDS:
            texts.append("")
            continue
        if line.kind == CELL and line.table is not None and line.table < len(src.tables) \
                and src.tables[line.table].assignment and not src.tables[line.table].layout:
            texts.append("")
            table_at.setdefault(line.table, k + 1)
            continue
        texts.append(line.text)
    return texts, table_at


def _letter(marker: str, k: int) -> str:
    return marker if re.fullmatch(r"[a-z]", marker or "") else "abcdefghijklmnopqrstuvwxyz"[k % 26]


def _next_marker(marker: str) -> str:
    return str(int(marker) + 1) if marker.isdigit() else marker + "+"


def _section_of(sections: list[Item], pos: int) -> Item | None:
    found = None
    for s in sections:
        if s.line <= pos:
            found = s
    return found


def _quote_dropped(out: _Out, pad: int, raw: str, line: int) -> None:
    """A comment quoting the OCR debris `_clean` took off the start of a paragraph."""
    raw = raw.strip()
    cleaned = _clean(raw)
    if cleaned != raw:
        cut = len(raw) - len(cleaned) + len(cleaned.split(" ")[0])
        out.comment(pad, f"{out.num(line)}: {raw[:cut]}")


def _label(text: str) -> tuple[str, str] | None:
    """(role, value) of a labelled line: "Cơ quan chủ trì: Sở Tư pháp." → ("lead", "Sở Tư pháp")."""
    head, colon, value = text.partition(":")
    if not colon or len(head) > 40:
        return None
    folded = fold(head).strip()
    m = _LABEL.match(folded) or _BARE_LABEL.fullmatch(folded)
    if not m:
        return None
    f = m.group(0)
    role = ("lead" if "chu tri" in f else "support" if "phoi hop" in f else
            "deadline" if f.startswith("thoi") else "product" if f.startswith("san pham") else "note")
    return role, value.strip(" .;")


def _labels(text: str) -> list[tuple[str, str]]:
    """Every (role, value) of a labelled line, which may hold several: "Cơ quan chủ trì: Phòng Tư
    pháp; cơ quan phối hợp: Văn phòng …; thời gian thực hiện: Quý II/2022." → lead, support and
    deadline. Empty when the line does not begin with a label."""
    first = _label(text)
    if first is None:
        return []
    folded, where = folded_with_map(text)
    parts, start = [], 0
    for m in _NEXT_LABEL.finditer(folded, folded.index(":")):
        if folded[m.start()] not in ";." and not text[where[m.start(1)]].isupper():
            continue  # after a space only a label that starts a line of its own ("… Thông tin Thời gian: …")
        cut = where[m.start()]
        parts.append(text[start:cut])
        start = cut + 1
    parts.append(text[start:])
    found = [_label(part.strip()) for part in parts]
    return [got for got in found if got is not None and got[1]]


@dataclass
class _Ctx:
    out: _Out
    bodies: _Bodies
    references: list[Reference]
    issuers: list[str]
    led: _Ledger
    lang: str
    used: list[str] = field(default_factory=list)
    tasks: int = 0
    deadlines: int = 0
    last_lead: list[str] = field(default_factory=list)
    quoted: set[int] = field(default_factory=set)  # the lines the task being written has quoted


def _take_labels(ctx: _Ctx, item: Item) -> dict[str, list[tuple[str, int, str]]]:
    """The labelled lines under an item (chủ trì, phối hợp, thời gian, sản phẩm …), taken out of
    its children and paragraphs."""
    labels: dict[str, list[tuple[str, int, str]]] = {}
    # labels run on in the item's own paragraph ("2. Niêm yết công khai thủ tục hành chính.
    # Chủ trì: Văn phòng …; phối hợp: …; thời gian hoàn thành: tháng 6/2022.")
    # (the first label only: the labels after it are read from its tail, once; linear in the text)
    folded, where = folded_with_map(item.text)
    m = _LABEL_IN_TEXT.search(folded)
    if m is not None:
        tail = item.text[where[m.start(1)]:]
        got = _labels(tail)
        if got:
            for role, value in got:
                labels.setdefault(role, []).append((value, item.line, tail))
            item.text = item.text[:where[m.start(1)]].rstrip()
    kids = []
    for c in item.children:
        got = _labels(c.text) if not c.children else []
        for role, value in got:
            labels.setdefault(role, []).append((value, c.line, c.text))
        if got:
            ctx.led.value.add(c.line)
        else:
            kids.append(c)
    more = []
    for p in item.more:
        got = _labels(p.text)
        for role, value in got:
            labels.setdefault(role, []).append((value, p.line, p.text))
        if got:
            ctx.led.value.update(p.lines or [p.line])
        else:
            more.append(p)
    item.children, item.more = kids, more
    return labels


def _task(ctx: _Ctx, section: Item, item: Item) -> list[str]:
    """The YAML lines of one numbered item of a content section, with its subtasks."""
    labels = _take_labels(ctx, item)
    # a lettered part's own labelled lines ("- Cơ quan chủ trì: …" under "a)") are its labels, and
    # the parts under it ("+ Rà soát … (Sở Nội vụ chủ trì; tháng 6/2022)") its own subtasks: neither
    # is lost (they were, while the summary said every line was placed)
    below = {id(c): _take_labels(ctx, c) for c in item.children}
    subs: list[tuple[str, str, str, int, Item | None]] = [
        (c.marker, _clean(raw := " ".join([c.text] + [m.text for m in c.more])), raw, c.line, c)
        for c in item.children]
    subs += [("", _clean(m.text), m.text, m.line, None) for m in item.more]
    intro = item.text.rstrip().endswith(":") or len(item.text) < 120
    if subs and not intro:
        subs.insert(0, ("", _clean(item.text), item.text, item.line, None))
    ctx.led.value.update(_lines_of(item))
    ident = f"{section.marker}.{item.marker}"
    assigning = bool(re.search(r"to chuc thuc hien|trach nhiem|phan cong", " ".join(_words(section.text))))
    if "lead" not in labels and _names_bodies(ctx, item.text, assigning):
        # "2. Sở Tài chính" over what it does ("III. TỔ CHỨC THỰC HIỆN" writes each body's part so):
        # the body leads, and the work is named from its own words
        labels["lead"] = [(item.text.strip(" .;:"), item.line, item.text)]
        if not item.children and len(item.more) == 1:
            said = item.more[0]
            return _task_lines(ctx, ident, _clean(said.text), said.text, said.line, ctx.issuers, 4, leaf=True,
                               labels=labels)
    if not item.children and len(item.more) == 1 and len(item.text) < 120 \
            and not item.text.rstrip().endswith((":", ".", ";")):
        # "3. Cải cách tổ chức bộ máy" over the paragraph that says who does what: one task, named
        # by its heading, its bodies and deadline read from the paragraph
        said = item.more[0]
        return _task_lines(ctx, ident, _clean(said.text), said.text, said.line, ctx.issuers, 4, leaf=True,
                           labels=labels, heading=(_clean(item.text), item.line))
    own = "\n\n".join(_clean(x) for x in [item.text] + [m.text for m in item.more])
    raw_own = item.text
    lines = _task_lines(ctx, ident, own, raw_own, item.line, ctx.issuers if section.marker != "I" else [], 4,
                        leaf=not subs, labels=labels)
    if subs:
        lines.append("    subtasks:")
        parent_lead = ctx.last_lead or (ctx.issuers if section.marker != "I" else [])
        for i, (marker, text, raw, line, child) in enumerate(subs):
            sub_id = f"{ident}.{_letter(marker, i)}"
            parts = child.children if child is not None else []
            lines += _task_lines(ctx, sub_id, text, raw, line, parent_lead, 8, leaf=not parts, inherit=True,
                                 labels=below.get(id(child)) if child is not None else None)
            if parts:
                lines.append("        subtasks:")
                own_lead = ctx.last_lead
                for k, part in enumerate(parts):
                    words = " ".join([part.text] + [m.text for m in part.more]
                                     + [g.text for g in part.children])
                    lines += _task_lines(ctx, f"{sub_id}.{k + 1}", _clean(words), words, part.line, own_lead, 12,
                                         leaf=True, inherit=True)
    return lines


def _closing(text: str) -> bool:
    """Whether a paragraph closes the plan ("Trong quá trình thực hiện, nếu có vướng mắc …", "Trên
    đây là Kế hoạch …", its last words "./."), rather than being the last item's own words."""
    # at its start (a scan's debris may come first, "r f \\ y \\ <fTrong quá trình …": no word of its own)
    folded = fold(text.strip())
    m = re.search(r"(trong qua trinh|tren day la|yeu cau cac)\b", folded[:40])
    return text.rstrip().endswith("./.") or (m is not None and not re.search(r"[a-z]{2}\b", folded[:m.start()]))


def _names_bodies(ctx: _Ctx, text: str, assigning: bool) -> bool:
    """Whether an item's own words only name the bodies whose part it heads ("Sở Tài chính", "Các sở,
    ban, ngành; UBND các huyện, thị xã, thành phố", "Công an tỉnh"): bodies of the catalogue that
    cover its words; or, in the part that assigns the work (`assigning`: "Tổ chức thực hiện"), a
    short name that begins as a body's does ("Sở Thông tin và Truyền thông"), with no work in it
    ("Phòng, chống tấn công mạng", "Sở hữu trí tuệ", "Công an tỉnh chủ trì diễn tập" are none)."""
    text = text.strip(" .;:")
    words = _words(text)
    if not words or len(words) > 16 or any(ch.isdigit() for ch in text):
        return False
    spans = ctx.bodies.matcher.find_spans(text)
    if spans and sum(n for _, n, _ in spans) >= len(words) - 1:
        return True
    folded = fold(text)
    m = _HEADING_BODY.match(folded)
    if not assigning or m is None or len(words) > 12 or _WORK_WORDS.search(folded):
        return False
    # "Sở", "Phòng", "Ban", "Cục", "Trung tâm" … begin a name only before a capital ("Sở Tài chính",
    # not "Sở hữu", "Phòng, chống")
    rest = text[len(" ".join(text.split()[:len(m.group(0).split())])):].lstrip()
    return not m.group("named") or rest[:1].isupper()


# (folded) how a heading that is a body's name begins ("Sở Thông tin và Truyền thông"); words that
# also begin a sentence of work ("Ban hành …", "Tổ chức …") are not among them
_HEADING_BODY = re.compile(r"(?P<named>so|phong|van phong|trung tam|cuc|chi cuc|ban)\b|(cong an|bo chi huy|uy ban"
                           r"|ubnd|cac so|tinh doan|kho bac|dai phat thanh|bao hiem xa hoi|toa an|vien kiem sat)\b")
# (folded) words of work: a heading holding one is a task, not a body's name
_WORK_WORDS = re.compile(r"\b(chu tri|phoi hop|thuc hien|trien khai|xay dung|ra soat|dien tap|huong dan|kiem tra"
                         r"|bao cao|tuyen truyen|chong|quan triet|tham muu)\b")


def _merged_down(cells: dict[int, tuple[str, list[Line]]], above: dict[int, tuple[str, list[Line]]],
                 skip: tuple[int | None, ...]) -> bool:
    """Whether every cell of a row but its number and content is the cell above merged down into
    it: the Word reader gives such a cell the very lines of the one above."""
    filled = [c for c, (words, _) in cells.items() if c not in skip and words]
    return bool(filled) and all(c in above and [id(x) for x in cells[c][1]] == [id(x) for x in above[c][1]]
                                for c in filled)


def _table_tasks(ctx: _Ctx, table: Table, prefix: str, under: tuple[str, str, int] | None = None) -> list[str]:
    """Tasks from an assignment table: one per row, group rows (STT a Roman numeral, or no other
    cell) as parents; lead, support, deadline, products and notes from their columns. `under`:
    the item the table stands under, when it only heads it ("4. Bảng phân công": its code, its
    words, its line): the rows are its subtasks (II.4.1 …), never a second II.1."""
    out = ctx.out
    pos_of = {id(x): k + 1 for k, x in enumerate(ctx.led.src.lines)}
    col_of = {role: col for col, role in table.roles.items()}
    lines: list[str] = []
    for row in table.rows[:table.header_rows]:
        heads = [" ".join(x.text for x in cell).strip() for cell in row]
        first = next((x for cell in row for x in cell), None)
        for cell in row:
            ctx.led.markup.update(pos_of.get(id(x), 0) for x in cell)
        lines.append(f"  # {out.num(pos_of.get(id(first), 0)) if first else 0}: " + " | ".join(heads))
    groups: list[tuple[str, str, int, list[list[str]], list[str]]] = [(*under, [], [])] if under else []
    loose: list[list[str]] = []
    seen: set[str] = set()
    rows: list[tuple[int, dict[int, tuple[str, list[Line]]], int, str, str, list[str]]] = []
    for k, row in enumerate(table.rows[table.header_rows:], start=1):
        cells: dict[int, tuple[str, list[Line]]] = {}
        for ci, cell in enumerate(row):
            col = cell[0].col if cell and cell[0].col is not None else ci
            # a cell of bodies one to a line (a Word cell's paragraphs, a Markdown cell's <br>):
            # one body each; a PDF's lines are the page's wrapping, a name may run on
            joint = ", " if table.roles.get(col) in ("lead", "support") and all(x.page is None for x in cell) \
                else " "
            cells[col] = (joint.join(x.text.strip(" ,;") if joint == ", " else x.text for x in cell).strip(), cell)
        if column_numbers([t for t, _ in cells.values()]):  # "(1) | (2) | … | (6)" under the header
            for _, cell in cells.values():
                ctx.led.markup.update(pos_of.get(id(x), 0) for x in cell)
            continue
        for _, cell in cells.values():
            ctx.led.value.update(pos_of.get(id(x), 0) for x in cell)
        at = next((pos_of.get(id(x), 0) for _, cell in cells.values() for x in cell), 0)
        stt = cells.get(col_of.get("stt", -1), ("", []))[0].strip(" .")
        content = cells.get(col_of.get("content", -1), ("", []))[0]
        others = [t for c, (t, _) in cells.items() if c not in (col_of.get("stt"), col_of.get("content")) and t]
        if rows and stt in ("", rows[-1][3]) and content[:1] in ("-", "+", "•", "–") and others and rows[-1][4] \
                and _merged_down(cells, rows[-1][1], (col_of.get("stt"), col_of.get("content"))):
            # a row whose other cells are the row above's, merged down (the very same lines, not
            # the same words typed again): the same task's text goes on ("- Niêm yết công khai …"
            # under task 3), not a task "3b"
            last = rows[-1]
            rows[-1] = (last[0], last[1], last[2], last[3], f"{last[4]}\n{content}", last[5])
            continue
        rows.append((k, cells, at, stt, content, others))
    for k, cells, at, stt, content, others in rows:
        if not content and not others:
            continue
        if not others and (stt in ROMAN or not stt):
            marker = stt or ROMAN[len(groups) % len(ROMAN)]
            groups.append((f"{prefix}.{marker}", content, at, [], []))
            continue
        labels = {role: [(cells[col][0], at, cells[col][0])] for role, col in col_of.items()
                  if role in ("lead", "support", "deadline", "product", "note") and col in cells and cells[col][0]}
        ident = f"{groups[-1][0] if groups else prefix}.{stt or k}"
        while ident in seen:
            ident += "b"
        seen.add(ident)
        pad = 8 if groups else 4
        block = _task_lines(ctx, ident, content or FILL, content, at, [], pad, leaf=True,
                            labels=labels, inherit=bool(groups))
        if groups:
            groups[-1][3].append(block)
            groups[-1][4].extend(ctx.last_lead)
        else:
            loose.append(block)
    for block in loose:
        lines += block
    saved = out.lines
    for ident, content, at, blocks, leads in groups:
        ctx.tasks += 1
        out.lines = lines
        lines.append(f"  - id: {ident}")
        out.check(4, "import.why-group", line=at)
        out.put(4, "title", short_title(content) or FILL)
        if len(content) > 90:
            out.put(4, "description", content)
        lead = list(dict.fromkeys(leads)) or ctx.issuers
        out.put(4, "lead", lead)
        ctx.used += lead
        if blocks:
            lines.append("    subtasks:")
            for b in blocks:
                lines += b
        else:
            out.check(4, "import.why-no-deadline")
            out.lines.append(f"    deadline: {TO_SET}")
    out.lines = saved
    return lines


_LABEL_KEYS = {"lead": "import.why-label-lead", "support": "import.why-label-support",
               "deadline": "import.why-label-deadline", "product": "import.why-label-product",
               "note": "import.why-label-note"}


def _label_comment(ctx: _Ctx, pad: int, role: str, found: list[tuple[str, int, str]]) -> None:
    """Where a label's value was read: the whole line the first time the task quotes it, then
    (a line of several labels: "Cơ quan chủ trì: …; cơ quan phối hợp: …") the value alone."""
    for value, line, said in found:
        ctx.out.check(pad, _LABEL_KEYS[role], line=line, text=value if line in ctx.quoted else said)
        ctx.quoted.add(line)


def _task_lines(ctx: _Ctx, ident: str, text: str, raw: str, line: int, default_lead: list[str], pad: int,
                leaf: bool, inherit: bool = False, labels: dict[str, list[tuple[str, int, str]]] | None = None,
                heading: tuple[str, int] | None = None) -> list[str]:
    out = ctx.out
    labels = labels or {}
    ctx.quoted = set()
    saved = out.lines
    out.lines = []
    sp = " " * pad
    ctx.tasks += 1
    out.lines.append(" " * (pad - 2) + f"- id: {ident}")
    _quote_dropped(out, pad, raw, line)
    if heading is not None:  # named by the heading over its paragraph
        out.check(pad, "import.why-title-heading", line=heading[1])
        out.put(pad, "title", heading[0] or FILL)
    else:
        out.check(pad, "import.why-title", line=line)
        out.put(pad, "title", short_title(text) or FILL)
    out.put(pad, "description", text)
    lead, support = _bodies_in(ctx.bodies.matcher, text[:2000])
    if "lead" in labels:
        _label_comment(ctx, pad, "lead", labels["lead"])
        lead = [b for value, _, _ in labels["lead"] for b in ctx.bodies.resolve(value)]
        out.put(pad, "lead", lead)
    elif lead:
        out.check(pad, "import.why-lead", body=lead[0])
        out.put(pad, "lead", lead)
    elif not inherit:
        named = _lead_phrase(text)
        if named:  # the text names a lead the catalogue does not know: a new body
            lead = [ctx.bodies.new_body(named, named)]
            out.check(pad, "import.why-lead", body=lead[0])
        else:
            out.check(pad, "import.why-lead-issuers")
            lead = default_lead or ctx.issuers
        out.put(pad, "lead", lead)
    ctx.last_lead = lead
    if "support" in labels:
        _label_comment(ctx, pad, "support", labels["support"])
        support = [b for value, _, _ in labels["support"] for b in ctx.bodies.resolve(value)]
        support = [b for b in dict.fromkeys(support) if b not in lead]
    elif support:
        support = [b for b in support if b not in lead]  # the body that leads does not support itself
        if support:
            out.check(pad, "import.why-support")
    if support:
        out.put(pad, "support", support)
    ctx.used += lead + support
    refs = cited(text, ctx.references)
    if refs:
        out.put(pad, "references", list(dict.fromkeys(refs)))
    if "product" in labels:
        _label_comment(ctx, pad, "product", labels["product"])
        out.put(pad, "deliverables", [v for v, _, _ in labels["product"]])
    if "note" in labels:
        for _, n, said in labels["note"]:
            out.comment(pad, f"{out.num(n)}: {said}")
    if leaf:
        said = labels["deadline"][0][0] if "deadline" in labels else _without_references(text)
        if "deadline" in labels:
            _label_comment(ctx, pad, "deadline", labels["deadline"])
        unread = said.strip() if "deadline" in labels else labelled_deadline(said)
        found = guess_deadlines(said, alone="deadline" in labels)
        if not found and unread and "deadline" not in labels:  # "Thời gian hoàn thành: 30/9/2021."
            found = guess_deadlines(unread, alone=True)
        if len(found) > 1 and pad == 4:
            out.lines.append(f"{sp}subtasks:")
            for k, (value, words) in enumerate(found):
                out.lines.append(f"{sp}  - id: {ident}.{'abcdefghijklmnopqrstuvwxyz'[k % 26]}")
                out.check(pad + 4, "import.why-title", line=line)
                out.put(pad + 4, "title", f"{short_title(text, 60)} ({words})")
                out.check(pad + 4, "import.why-deadline-split", words=words)
                out.lines.append(f"{sp}    deadline: {value if out.within(value) else TO_SET}")
                ctx.tasks += 1
                ctx.deadlines += 1
        elif found:
            value, words = found[0]
            if len(found) > 1:
                out.comment(pad, "; ".join(w for _, w in found[1:]))
            if not out.within(value):
                out.check(pad, "import.why-deadline-other-year", words=words, year=out.year)
                out.lines.append(f"{sp}deadline: {TO_SET}")
            else:
                out.check(pad, "import.why-deadline", words=words)
                out.lines.append(f"{sp}deadline: {value}")
                ctx.deadlines += 1
        elif unread:  # the text gives a deadline the reader could not make one of
            out.check(pad, "import.why-deadline-unread", words=unread[:80])
            out.lines.append(f"{sp}deadline: {TO_SET}")
        else:
            out.check(pad, "import.why-no-deadline")
            out.lines.append(f"{sp}deadline: {TO_SET}")
    lines, out.lines = out.lines, saved
    return lines


# a day's date in a text: not the year a title gives its plan
_DATED = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*20\d\d\b"
                    r"|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+20\d\d\b", re.IGNORECASE)

TO_SET = "{continuous: true, review: quarter}"  # a deadline the draft could not set (none read, unread, another year)
