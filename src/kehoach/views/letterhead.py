"""The head and the foot every document shares: the letterhead of its issuing bodies, its number,
the signatures and "Nơi nhận".

Everything is read from the plan. A document is laid out as a Party document (Hướng dẫn
36-HD/VPTW) unless every body that sends it is a State body (Nghị định 30/2020/NĐ-CP, Phụ lục I).
A body sending alone stands under its superior (its `parent`, of its own kind): "TỈNH ỦY QUẢNG
NGÃI" over "BAN DÂN VẬN"; a joint document stacks its issuers, host first, as the plan's own
`header` writes them. The head of a body that signs alone signs with the position only ("TRƯỞNG
BAN"); a collective keeps its "T/M". docs/document-rules.md gives each rule with its source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kehoach.base.messages import join_names, text
from kehoach.base.text import fold
from kehoach.base.vndates import long_date, place_date, short_date
from kehoach.plan.bodies import Bodies

if TYPE_CHECKING:
    from kehoach.plan.model import Plan, RecipientItem

PARTY, STATE = "party", "state"
BLANK = "\u00a0" * 8  # a number left blank, to fill in by hand
# an authority line that says on whose behalf one signs (Party: slashes; State: periods)
DELEGATED = re.compile(r"^(T/M|K/T|T/L|Q\.|TM\.|KT\.|TL\.|TUQ\.)\s", re.IGNORECASE)
# the body codes of a number: Party "04-KH/BDVTU-BCSĐUBND", State "12/KH-UBND" (or "12/2021/KH-UBND")
PARTY_NUMBER = re.compile(r"^\s*(?:số:?\s*)?\d+\s*-\s*[^/\s]+/(?P<code>\S+)\s*$", re.IGNORECASE)
STATE_NUMBER = re.compile(r"^\s*(?:số:?\s*)?\d+/(?:\d{4}/)?[^-/\s]+-(?P<code>\S+)\s*$", re.IGNORECASE)


@dataclass
class PlanRef:
    """The plan a document is about."""

    id: str
    title: str
    number: str


@dataclass
class RecipientLine:
    name: str
    purpose: str
    text: str  # "- name (purpose),", the last one ending with "."


@dataclass
class SignerLine:
    authority: str  # "T/M BAN CÁN SỰ ĐẢNG UBND TỈNH", or empty
    title: str
    name: str


@dataclass
class Head:
    issuers: list[str]  # the issuing bodies' lines, printed bold; a joint document's stacked, host first
    issuer_names: list[str]
    party: str  # top right: "ĐẢNG CỘNG SẢN VIỆT NAM", or a State document's Quốc hiệu
    number: str
    place_date: str
    type: str
    summary: str
    kind: str = ""  # "Báo cáo chuyên đề"
    opening: str = ""
    subtitle: str = ""  # checklist: which body
    as_of: str = ""  # checklist: "Tình trạng tính đến …"
    form: str = PARTY  # party | state: the rules the document is laid out by
    superior: list[str] = field(default_factory=list)  # above a lone issuer, upright: "TỈNH ỦY QUẢNG NGÃI"
    motto: str = ""  # a State document's Tiêu ngữ, under the Quốc hiệu
    attached: str = ""  # an appendix's "(Kèm theo … số … ngày … của …)"


def issuing_form(plan: Plan, ids: list[str]) -> str:
    """`state` when every sending body is a State body, else `party`."""
    bodies = Bodies(plan)
    kinds = {str(bodies.by_id[i].kind) for i in ids if i in bodies.by_id}
    return STATE if kinds == {STATE} else PARTY


def letterhead(plan: Plan, ids: list[str]) -> tuple[list[str], list[str]]:
    """(the superior's lines, printed upright; the issuers' lines, printed bold) of the bodies `ids`."""
    bodies = Bodies(plan)
    info = plan.plan
    written = [line.rstrip(" -").strip() for line in info.header]
    if len(ids) == 1 and ids == list(info.issuers) and len(info.header) > 1:
        return list(info.header[:-1]), [info.header[-1]]  # the plan wrote its letterhead, superior first
    own = dict(zip(info.issuers, written, strict=True)) if len(written) == len(info.issuers) else {}

    def line(i: str) -> str:  # the body as the plan's letterhead names it, else its name in capitals
        return own.get(i) or bodies.name(i).upper()

    if len(ids) > 1:
        if ids == list(info.issuers) and info.header:
            return [], list(info.header)
        names = [line(i) for i in ids]
        return [], [n + " -" if k < len(names) - 1 else n for k, n in enumerate(names)]
    body = bodies.by_id.get(ids[0])
    name = line(ids[0])
    parent = bodies.by_id.get(body.parent) if body is not None and body.parent else None
    if body is None or parent is None or parent.kind != body.kind:
        return [], [name]
    short = (parent.short or parent.name).split()
    if fold(name).endswith(" " + fold(" ".join(short))):  # "BAN DÂN VẬN TỈNH ỦY" under the Tỉnh ủy: "BAN DÂN VẬN"
        name = " ".join(name.split()[:-len(short)])
    return [parent.name.upper()], [name]


def _doc_code(plan: Plan, senders: list[str] | None = None) -> str:
    """The issuers' code of the plan's number: '04-KH/BDVTU-BCSĐUBND' → 'BDVTU-BCSĐUBND', '12/KH-UBND' →
    'UBND'; for a document some of the issuers send alone, their part of it ('BDVTU')."""
    number = plan.plan.number or ""
    found = PARTY_NUMBER.match(number) or STATE_NUMBER.match(number)
    code = found["code"] if found else number.split("/", 1)[1] if "/" in number else ""
    parts = code.split("-")
    if senders is not None and len(parts) == len(plan.plan.issuers):
        return "-".join(p for p, i in zip(parts, plan.plan.issuers, strict=True) if i in senders)
    return code


def number_core(plan: Plan, doc_type: str, number: str | None, form: str = PARTY,
                senders: list[str] | None = None) -> str:
    """The number and symbol without "Số": '05-BC/BDVTU-BCSĐUBND' (Party), '05/BC-UBND' (State; a
    State letter has no type code: '05/UBND'); numbers below 10 padded; a blank without `number`. A
    number given whole ('15-BC/BDVTU') is kept as written."""
    if number and not re.fullmatch(r"\s*\d+\s*", number):
        return re.sub(r"^\s*(số:?|no\.?)\s*", "", number.strip(), flags=re.IGNORECASE)
    n = f"{int(number):02d}" if number else BLANK
    code = _doc_code(plan, senders)
    if not code:
        return n
    if form == STATE:
        return f"{n}/{code}" if doc_type == "CV" else f"{n}/{doc_type}-{code}"
    return f"{n}-{doc_type}/{code}"


def document_number(plan: Plan, doc_type: str, number: str | None, lang: str, senders: list[str] | None = None,
                    form: str = PARTY) -> str:
    """'Số 05-BC/BDVTU-BCSĐUBND' (Party) or 'Số: 05/BC-UBND' (State) from `--number 5`; a blank to fill by
    hand without it."""
    core = number_core(plan, doc_type, number, form, senders)
    said = text("doc.number-state" if form == STATE else "doc.number", lang, number=core)
    return said.replace(" " + BLANK, BLANK)  # "Số" then the blank to fill, one stretch of spaces


def header(plan: Plan, day: dt.date, lang: str, doc_type: str, number: str | None, type_word: str,
           summary: str, senders: list[str] | None = None) -> Head:
    """The head of a document the plan's issuers send (or some of them: `senders`)."""
    bodies = Bodies(plan)
    ids = list(senders) if senders is not None else list(plan.plan.issuers)
    form = issuing_form(plan, ids)
    superior, lines = letterhead(plan, ids)
    return Head(issuers=lines, issuer_names=[bodies.name(i) for i in ids],
                party=text("doc.state" if form == STATE else "doc.party", lang),
                number=document_number(plan, doc_type, number, lang, senders, form),
                place_date=place_date(plan.plan.place, day, lang), type=type_word, summary=summary, form=form,
                superior=superior, motto=text("doc.motto", lang) if form == STATE else "")


def signers(plan: Plan, senders: list[str] | None = None) -> list[SignerLine]:
    """The signature blocks of the sending bodies (all the plan's signers by default). The head of a
    body signing alone signs with the position only: an authority line that only names the body is
    left out (36-HD 1.7.1); T/M, K/T, T/L (TM., KT., TL., TUQ., Q.) are kept."""
    alone = len(senders if senders is not None else plan.plan.issuers) == 1
    out = []
    for s in plan.signers:
        if senders is not None and s.body not in senders:
            continue
        authority = s.authority or ""
        if alone and not DELEGATED.match(authority):
            authority = ""
        out.append(SignerLine(authority, s.title, s.name))
    return out


def recipient_lines(items: list[tuple[str, str]], form: str = PARTY) -> list[RecipientLine]:
    """'- name (purpose)' lines ending with ',' (Party) or ';' (State), the last with '.'."""
    end = ";" if form == STATE else ","
    out = []
    for name, purpose in items:
        name = name.strip().rstrip(",;.")
        out.append(RecipientLine(name, purpose, f"- {name}" + (f" ({purpose})" if purpose else "") + end))
    if out:
        out[-1].text = out[-1].text[:-1] + "."
    return out


def _items(recipients: list[RecipientItem]) -> list[tuple[str, str]]:
    return [(r, "") if isinstance(r, str) else (r.name, r.purpose or "") for r in recipients]


def plan_recipients(plan: Plan) -> list[RecipientLine]:
    """The plan's own distribution list."""
    return recipient_lines(_items(plan.recipients), issuing_form(plan, list(plan.plan.issuers)))


def report_recipients(plan: Plan, lang: str) -> list[RecipientLine]:
    """Where a report of the plan goes: `reporting.recipients`; by default the recipients the plan
    names "for report" (its superiors), then its "Lưu …" line (else "Lưu VT")."""
    form = issuing_form(plan, list(plan.plan.issuers))
    chosen = plan.reporting.recipients
    if chosen is not None:
        return recipient_lines(_items(chosen), form)
    items = _items(plan.recipients)
    up = [(n, p) for n, p in items if fold(p) == "bao cao"]
    return recipient_lines([*up, plan_archive(plan, form, lang)], form)


def plan_archive(plan: Plan, form: str, lang: str) -> tuple[str, str]:
    """The archive line of a document the plan's issuers send together: the plan's own "Lưu …" line
    (a joint plan keeps a copy at each body: "Lưu VPTU, VPBCSĐ UBND tỉnh"), else "Lưu VT"; in a
    State document "Lưu: VT, <units>." (NĐ 30, R48)."""
    kept = [(n, p) for n, p in _items(plan.recipients) if fold(n).startswith("luu ")] or [(archive(form, lang), "")]
    if form == STATE and not fold(kept[-1][0]).startswith("luu: vt"):
        units = kept[-1][0].split(None, 1)[1].lstrip(":").strip() if " " in kept[-1][0] else ""
        kept = [(", ".join(x for x in (archive(form, lang), units) if x), "")]
    return kept[-1]


def archive(form: str, lang: str) -> str:
    """The archive line of a document kehoach writes: 'Lưu VT' (Party), 'Lưu: VT' (State)."""
    return text("letter.archive-state" if form == STATE else "letter.archive", lang)


def plan_citation(plan: Plan, lang: str) -> str:
    """'Kế hoạch số 04-KH/… ngày 04/01/2021 của … về …', as a document cites the plan."""
    info = plan.plan
    bodies = Bodies(plan)
    names = join_names([bodies.name(i) for i in info.issuers], lang)
    return text("citation", lang, number=info.number or text("citation.no-number", lang),
                issued=plan_issued(plan, lang), issuers=names, title=info.title)


def plan_name(plan: Plan, lang: str) -> str:
    """The plan named short: 'Kế hoạch số 04-KH/…', or by its title when it has no number."""
    info = plan.plan
    return (text("citation.short", lang, number=info.number) if info.number
            else text("citation.short-title", lang, title=info.title))


def plan_issued(plan: Plan, lang: str) -> str:
    """' ngày 04/01/2021' (the plan's date, as a citation adds it after the number), or empty."""
    issued = plan.plan.issued
    # the catalogue picks the form: "ngày 14/01/2021" as citations write it, "of 14 January 2021"
    return text("citation.issued", lang, date=short_date(issued, lang), long=long_date(issued, lang)) if issued else ""


def attached_to_plan(plan: Plan, lang: str) -> str:
    """An appendix of the plan: '(Kèm theo Kế hoạch số 04-KH/… ngày 04/01/2021 của …)' (NĐ 30 III.1.c)."""
    bodies = Bodies(plan)
    info = plan.plan
    return text("attached.plan", lang, number=info.number or text("citation.no-number", lang),
                issued=plan_issued(plan, lang), issuers=join_names([bodies.name(i) for i in info.issuers], lang))


def plan_ref(plan: Plan) -> PlanRef:
    return PlanRef(plan.plan.id, plan.plan.title, plan.plan.number or "")
