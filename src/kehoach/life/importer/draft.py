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

from kehoach.base.deadlines import guess_deadline
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
    Item,
    Paragraph,
    Reference,
    _clean,
    _lines_of,
    _noise,
    _read_date,
    _without_references,
    _zones,
    find_references,
    outline,
    paragraphs,
)

FILL = "…"  # a blank the draft could not fill: `kehoach check` warns about it (to-fill)


@dataclass
class ImportResult:
    yaml: str
    placed: int
    total: int
    unplaced: list[tuple[int, str]]
    counts: dict[str, int]


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
