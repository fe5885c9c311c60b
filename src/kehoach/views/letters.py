"""Reminder letters (công văn đôn đốc), worded: `kehoach remind`.

For each lead body with work overdue, due within `soon_days`, or continuous
work whose last ended review period passed without a report, one letter from
the plan's other issuing bodies, in their layout (`views.letterhead`): the
subject under the number ("đôn đốc thực hiện …"; "V/v …" in a State letter),
"Kính gửi" the body, the tasks (each with its deadline, where it stands and its
last report) and the date the answer is expected, the signatures and "Nơi
nhận". A letter to another issuer of the plan is a letter between equals: it
informs and asks for coordination, it does not chase (`letter.*-peer`). Who is
reminded of what is judged in `judge.reminders`; this module only words it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kehoach.base.messages import join_names, text
from kehoach.base.vndates import long_date, occurrence_text, short_date
from kehoach.judge.reminders import default_reply, select_reminders, standing_units
from kehoach.judge.status import Status, label
from kehoach.plan.bodies import Bodies
from kehoach.plan.reporters import last_word
from kehoach.views.letterhead import (
    STATE,
    Head,
    PlanRef,
    RecipientLine,
    SignerLine,
    archive,
    header,
    plan_archive,
    plan_citation,
    plan_name,
    plan_ref,
    recipient_lines,
    signers,
)
from kehoach.views.reportview import doc_words
from kehoach.views.statusview import deadline_words

if TYPE_CHECKING:
    from kehoach.judge.status import OccurrenceStatus, TaskStatus
    from kehoach.plan.model import Plan

# the words of a letter to a body that carries out the plan (it chases: "đôn đốc", "báo cáo kết quả về"), and
# of one to a co-issuer, a body of equal standing (it informs and proposes to coordinate: R33)
DIRECTIVE = {"subject": "letter.subject-directive", "opening": "letter.opening-directive",
             "closing": "letter.closing-directive"}
PEER = {"subject": "letter.subject-peer", "opening": "letter.opening-peer", "closing": "letter.closing-peer"}


@dataclass
class LetterRow:
    stt: str
    id: str
    title: str
    deadline: str  # the deadline in words (a recurring duty: the occurrence and its date)
    status: str  # "Quá hạn 12 ngày", "Đến hạn ngày 30/9/2021", "Chưa báo cáo quý II năm 2021"
    status_code: str
    percent: str
    last: str  # the last report: "20/6/2021: …", or "chưa có báo cáo"


@dataclass
class RemindContext:
    lang: str
    w: dict[str, str]
    doc: Head  # doc.summary is the subject ("đôn đốc thực hiện Kế hoạch số …")
    plan: PlanRef
    body: str  # the body's id
    to: str  # the body's name, after "Kính gửi:" (the internal list: its units, in a sentence)
    addressees: list[str]  # "Kính gửi:" one name; several, a "- name," line each, the last ending "."
    opening: str
    rows: list[LetterRow]
    closing: str
    due: str  # the date the answer is expected, as the closing writes it
    signers: list[SignerLine]
    recipients: list[RecipientLine]
    internal: bool = False  # the standing units' list of what the issuers themselves owe
    peer: bool = False  # to another issuer of the plan: a letter between bodies of equal standing


@dataclass
class Route:
    """Where one item to chase went: a letter to a body, or the internal list."""

    task_id: str
    occurrence: str
    status: str  # in words: "Quá hạn 12 ngày (hạn 31/12/2021)"
    owing: str  # the lead bodies that owe it, by short name
    to: str  # the body written to, or the standing units of the internal list
    internal: bool
    stem: str = ""  # the file the item is in (filled when the documents are made)
    owing_ids: tuple[str, ...] = ()


def _row(status: str, ts: TaskStatus, occ: OccurrenceStatus | None, as_of: dt.date, lang: str,
         owing: str = "", owing_ids: tuple[str, ...] = (), bodies: Bodies | None = None) -> LetterRow:
    due = occ.due if occ is not None else ts.due
    if status == Status.OVERDUE and due is not None:
        words = text("letter.overdue", lang, days=(as_of - due).days, date=short_date(due, lang))
    elif status == Status.DUE_SOON and due is not None:
        words = text("letter.due-soon", lang, date=short_date(due, lang))
    elif status == Status.ONGOING_STALE and ts.review_period is not None:
        words = text("letter.stale", lang, period=occurrence_text(ts.review_period.key, ts.review_period.year, lang))
    else:
        words = label(status, lang)
    if owing:
        words = text("letter.owing", lang, status=words, leads=owing)
    if occ is not None:
        deadline = text("letter.occurrence", lang, period=occurrence_text(occ.key, int(occ.code.split("-")[0]), lang),
                        date=short_date(occ.due, lang))
        percent, entries = f"{occ.percent}%", occ.entries
    else:
        deadline = deadline_words(ts, lang)  # as every table words it (an event's day, carried work's old one)
        percent, entries = ("" if ts.percent is None else f"{ts.percent}%"), ts.entries
    leads = occ.leads if occ is not None else ts.leads
    if owing_ids:  # the row chases these leads: their word, not a co-lead's that has reported
        leads = [s for s in leads if s.body in owing_ids] or leads
    last = last_word(entries, leads)
    several = len([s for s in (occ.leads if occ is not None else ts.leads) if s.body]) > 1
    if last is None:
        whose = bodies.shorts(list(owing_ids)) if bodies is not None and owing_ids else owing
        said = text("letter.no-report-of", lang, leads=whose) if whose and several else text("letter.no-report", lang)
    else:
        said = text("letter.last", lang, date=short_date(last.date, lang), note=last.note)
        if several and last.body and bodies is not None:  # with several leads, whose word it is
            said = text("letter.last-by", lang, date=short_date(last.date, lang), note=last.note,
                        body=bodies.short(last.body))
    return LetterRow(stt="", id=ts.id, title=ts.task.title, deadline=deadline, status=words, status_code=status,
                     percent=percent, last=said)


@dataclass
class Reminders:
    """The rows of each body's letter, the internal list of what the issuers themselves owe, and
    where every chased item went."""

    letters: dict[str, list[LetterRow]]
    internal: list[LetterRow]
    routes: list[Route]


def reminder_rows(plan: Plan, as_of: dt.date, soon_days: int = 14, lang: str = "vi") -> Reminders:
    """The judgement of `judge.reminders.select_reminders`, worded: each letter's rows, the internal
    list's, and the route of every item, in plan order."""
    bodies = Bodies(plan)
    letters: dict[str, list[LetterRow]] = {}
    internal: list[LetterRow] = []
    routes: list[Route] = []
    for sent in select_reminders(plan, as_of, soon_days).sent:
        item = sent.item
        code, task, occ = item.status, item.task, item.occurrence
        if sent.to is not None:
            letters.setdefault(sent.to, []).append(_row(code, task, occ, as_of, lang, owing_ids=(sent.to,),
                                                        bodies=bodies))
            routes.append(Route(task.id, occ.code if occ else "", letters[sent.to][-1].status,
                                bodies.short(sent.to), bodies.name(sent.to), False))
            continue
        names = bodies.shorts(sent.owing)
        internal.append(_row(code, task, occ, as_of, lang, owing=names, owing_ids=tuple(sent.owing), bodies=bodies))
        routes.append(Route(task.id, occ.code if occ else "", _row(code, task, occ, as_of, lang).status, names,
                            "", True, owing_ids=sent.owing))
    for rows in [*letters.values(), internal]:
        for i, row in enumerate(rows, start=1):
            row.stt = str(i)
    return Reminders(letters, internal, routes)


def build_reminders(plan: Plan, as_of: dt.date, soon_days: int = 14, lang: str = "vi", body: str | None = None,
                    reply_by: dt.date | None = None, number: str | None = None
                    ) -> tuple[list[tuple[str, RemindContext]], list[Route]]:
    """(file stem, context) of each letter (every lead body with work to chase, or one: `body`),
    then the internal list of what the issuers lead themselves; and where each item went."""
    from kehoach.base.errors import UsageError
    from kehoach.base.text import stem
    from kehoach.base.vndates import date_param

    bodies = Bodies(plan)
    found = reminder_rows(plan, as_of, soon_days, lang)
    rows = found.letters
    routes = found.routes
    internal = found.internal
    if body is not None:
        wanted = set(bodies.require(body))
        rows = {i: r for i, r in rows.items() if bodies.involves([i], wanted)}
        concerned = [*plan.plan.issuers, *standing_units(plan), *(b for r in routes if r.internal for b in r.owing_ids)]
        internal = internal if bodies.involves(concerned, wanted) else []
    if reply_by is not None and reply_by < as_of:
        raise UsageError("remind-bad-reply", {"date": date_param(reply_by), "as_of": date_param(as_of)})
    count = len(rows) + bool(internal)
    if number is not None and count > 1:
        raise UsageError("remind-one-number", {"n": count})
    reply_by = reply_by or default_reply(plan, as_of)
    named = plan_name(plan, lang)
    out = []
    for ident, letter_rows in rows.items():
        # a body does not remind itself: the letter to an issuer of the plan comes from the others
        senders = [i for i in plan.plan.issuers if i != ident]
        if not senders:
            continue
        name = bodies.name(ident)
        sender = join_names([bodies.name(i) for i in senders], lang)
        peer = ident in plan.plan.issuers  # to a co-issuer: bodies of equal standing inform, they do not chase
        keys = PEER if peer else DIRECTIVE
        head = header(plan, as_of, lang, "CV", number, "", "", senders)
        head.summary = _subject(text(keys["subject"], lang, plan=named), head.form, lang)
        ctx = RemindContext(
            lang=lang, w=doc_words(lang), doc=head,
            plan=plan_ref(plan),
            body=ident, to=name, addressees=addressees([name], head.form),
            opening=text(keys["opening"], lang, citation=plan_citation(plan, lang),
                         date=long_date(as_of, lang), body=name, sender=sender, n=len(letter_rows)),
            rows=letter_rows,
            closing=text(keys["closing"], lang, body=name, issuers=sender, sender=sender,
                         date=long_date(reply_by, lang)),
            due=long_date(reply_by, lang),
            signers=signers(plan, senders),
            recipients=_recipients(plan, senders, head.form, lang),
            peer=peer,
        )
        name_stem = stem(plan.plan.id, "don-doc", as_of.isoformat(), ident)
        out.append((name_stem, ctx))
        for r in routes:
            if not r.internal and r.to == name:
                r.stem = name_stem
    if internal:
        units = [bodies.name(u) for u in standing_units(plan)]
        to = join_names(units, lang)
        issuers = join_names([bodies.name(i) for i in plan.plan.issuers], lang)
        head = header(plan, as_of, lang, "CV", number, "", "")
        head.summary = _subject(text(DIRECTIVE["subject"], lang, plan=named), head.form, lang)
        ctx = RemindContext(
            lang=lang, w=doc_words(lang), doc=head,
            plan=plan_ref(plan),
            body="", to=to, addressees=addressees(units, head.form),
            opening=text("letter.internal-opening", lang, citation=plan_citation(plan, lang),
                         date=long_date(as_of, lang), issuers=issuers, n=len(internal)),
            rows=internal,
            closing=text("letter.internal-closing", lang, units=to, issuers=issuers, date=long_date(reply_by, lang)),
            due=long_date(reply_by, lang), signers=signers(plan),
            recipients=_recipients(plan, list(plan.plan.issuers), head.form, lang),
            internal=True,
        )
        name_stem = stem(plan.plan.id, "nhac-viec-noi-bo", as_of.isoformat())
        out.append((name_stem, ctx))
        for r in routes:
            if r.internal:
                r.stem, r.to = name_stem, to
    return out, [r for r in routes if r.stem]  # with --body: the items of the documents made


def _subject(words: str, form: str, lang: str) -> str:
    """A letter's subject under its number: as it is in a Party letter (36-HD: lower case, no "V/v"),
    "V/v …" in a State one (NĐ 30 II.5.b)."""
    return text("letter.subject-state", lang, subject=words) if form == STATE else words


def addressees(names: list[str], form: str) -> list[str]:
    """What follows "Kính gửi:": one name on the same line; several, a "- name;" line each, the last
    ending with "." (NĐ 30 II.9.d, as Party letters write it too: R32)."""
    if len(names) == 1:
        return list(names)
    return [f"- {n.strip().rstrip(',;.')}" + ("." if i == len(names) - 1 else ";") for i, n in enumerate(names)]


def _recipients(plan: Plan, senders: list[str], form: str, lang: str) -> list[RecipientLine]:
    """A letter's Nơi nhận: "- Như trên," and its archive line: the plan's own when the plan's issuers
    send it together (a copy kept at each), else "Lưu VT"."""
    kept = plan_archive(plan, form, lang) if set(senders) == set(plan.plan.issuers) else (archive(form, lang), "")
    return recipient_lines([(text("letter.as-above", lang), ""), kept], form)
