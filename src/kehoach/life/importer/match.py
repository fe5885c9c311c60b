"""Matching a plan's names against a catalogue (`kehoach import`): bodies and signers.

The catalogue is the bodies (and the signers) of a plan file, or a body catalogue file; by
default the shipped 2021 plan's. Names are compared without diacritics or case (OCR loses
both), forgiving OCR's letter swaps and its glued or split words; a task's text gives its lead
(the bodies it opens with) and its support (those it works "phối hợp với"); a place is spelt
as the catalogue spells it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.base.text import fold, folded_with_map

if TYPE_CHECKING:
    from kehoach.plan.model import Body


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


# ---------------------------------------------------------------- bodies


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
        """(word position, body id) of each body named in `text` (see `find_spans`)."""
        return [(i, ident) for i, _, ident in self.find_spans(text)]

    def find_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(word position, words, body id) of each body named in `text`, in order, longest names first.
        OCR glues or splits words ("SITdANG" for "SỰ ĐẢNG"), so a name of n words is compared,
        without spaces, with runs of n-1, n and n+1 words. A run alike but not equal is no name
        where it covers another name written exactly with a word the name has not: "Ủy ban nhân
        dân tỉnh Quảng Ngãi" is the province's committee, not the city's ("… thành phố Quảng
        Ngãi"), though it reads 89 % alike; "Ban Cán sitdang UBND tỉnh" is still the Ban cán sự
        đảng ("UBND tỉnh" is in its name)."""
        words = _words(text)
        taken = [False] * len(words)
        found: list[tuple[int, int, str]] = []
        exactly: list[list[frozenset[str]]] = [[] for _ in words]  # at each word, the names written there
        for name, _ in self.names:
            said = frozenset(name)
            for i in range(len(words) - len(name) + 1):
                if words[i] == name[0] and words[i:i + len(name)] == name:
                    for k in range(i, i + len(name)):
                        exactly[k].append(said)

        def contradicts(i: int, n: int, name: list[str]) -> bool:
            own = set(name)
            return any(not said <= own for k in range(i, i + n) for said in exactly[k])

        for name, ident in self.names:
            target = "".join(name)
            # 2·matches / (len(window) + len(target)) ≥ 0.87 needs a window this long at most, and at
            # least this long: difflib is never handed a run of words much longer than the name
            longest, shortest = len(target) * 13 // 10 + 1, len(target) * 3 // 4
            for i in range(len(words)):
                for n in (len(name), len(name) - 1, len(name) + 1):
                    if n < 1 or i + n > len(words) or any(taken[i:i + n]):
                        continue
                    window = "".join(words[i:i + n])
                    # anchored: the run starts and ends like the name, and reads at least 87 % alike
                    if window == target or (len(target) > 8 and shortest <= len(window) <= longest
                                            and window[:2] == target[:2] and window[-2:] == target[-2:]
                                            and not contradicts(i, n, name)
                                            and difflib.SequenceMatcher(None, window, target).ratio() >= 0.87):
                        found.append((i, n, ident))
                        for k in range(i, i + n):
                            taken[k] = True
                        break
        return sorted(found)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text).replace("đ", "d"))


_WITH = re.compile(r"\bph[a-z0-9]{1,3}i\s+h[a-z0-9]{1,2}p\s+v[a-z0-9]{1,2}i\b")


# the words before a body that works on the task without leading it: "giao", "chỉ đạo", "gửi", "đề
# nghị" (never "tham mưu", "báo cáo", "về": those receive)
_TOLD = re.compile(r"(?:\bgiao|\bchi dao|\bgui|\bde nghi)$")


def _bodies_in(matcher: BodyMatcher, text: str) -> tuple[list[str], list[str]]:
    """(lead, support) named by a task's text: the bodies it opens with (after "Giao", "Đề nghị"
    or "Yêu cầu" too: the task is handed to them), and those it works 'phối hợp với', or that it
    names after "chỉ đạo", "giao", "gửi", "đề nghị" further on."""
    words = _words(text)
    folded = fold(text).replace("đ", "d")
    starts = [m.start() for m in re.finditer(r"[a-z0-9]+", folded)]  # where each word begins
    ends = [m.end() for m in re.finditer(r"[a-z0-9]+", folded)]
    lead: list[str] = []
    support: list[str] = []
    spans = matcher.find_spans(text)
    # "… Ban Thường trực Ủy ban MTTQ tỉnh chủ trì, …" further on in the task: the body before
    # "chủ trì" leads it; "Sở Tư pháp, UBND các huyện phối hợp": the bodies before "phối hợp"
    # (not "phối hợp với") support it
    leading = [ident for pos, n, ident in spans if words[pos + n:pos + n + 2] == ["chu", "tri"]]
    with_: set[int] = set()  # the names read as 'phối hợp với' them (the list after it goes on)
    for k, (pos, n, ident) in enumerate(spans):
        after = words[pos + n:pos + n + 3]
        before = " ".join(words[max(0, pos - 4):pos])
        if leading and ident == leading[0] and not lead:
            lead.append(ident)
        elif _WITH.search(before) or (k - 1 in with_ and _listed_after(words, spans[k - 1], pos)
                                      and not _sentence_ends(folded, ends, starts, spans[k - 1], pos)):
            support.append(ident)  # "phối hợp với Sở Nội vụ, Sở Tài chính và UBND các huyện": each of them
            with_.add(k)
        elif (pos == 0 or (pos <= 2 and words[:pos] in _ASSIGNED)) and not lead and not leading:
            lead.append(ident)  # "Sở Nội vụ …", and "Giao Sở Nội vụ …", "Đề nghị Sở Nội vụ …" opening the task
        elif pos and _TOLD.search(" ".join(words[max(0, pos - 2):pos])) and ident not in lead:
            support.append(ident)  # "chỉ đạo Sở Nội vụ …", "gửi Sở Tài chính thẩm định": they do the work too
        elif after[:2] == ["phoi", "hop"] and after[2:] != ["voi"] or _listed_before_support(words, spans, k):
            support.append(ident)
    return lead, [s for s in dict.fromkeys(support) if s not in lead]


def _sentence_ends(folded: str, ends: list[int], starts: list[int], prev: tuple[int, int, str], pos: int) -> bool:
    """Whether a sentence ends between the body `prev` and the word at `pos` ("… phối hợp với Sở Tài
    chính. UBND các huyện triển khai …": the list of bodies ended with the sentence)."""
    last = prev[0] + prev[1] - 1
    if not 0 <= last < len(ends) or pos >= len(starts):
        return False
    return bool(re.search(r"[.;:]", folded[ends[last]:starts[pos]]))


def _listed_after(words: list[str], prev: tuple[int, int, str], pos: int) -> bool:
    """Whether the body at `pos` follows the body `prev` in one list: nothing between them but the
    comma (no word) or "và"."""
    gap = words[prev[0] + prev[1]:pos]
    return gap in ([], ["va"])


def _listed_before_support(words: list[str], spans: list[tuple[int, int, str]], k: int) -> bool:
    """Whether body `k` opens a list of bodies that ends in "phối hợp" ("Sở Tư pháp, UBND các
    huyện phối hợp"): each next body follows right after the one before (the comma between them
    is no word)."""
    pos, n, _ = spans[k]
    end = pos + n
    for later in spans[k + 1:]:
        if later[0] - end > 1:  # a word between them that is no body ("và" at most)
            return False
        end = later[0] + later[1]
        if words[end:end + 2] == ["phoi", "hop"] and words[end + 2:end + 3] != ["voi"]:
            return True
    return False


def _lead_phrase(text: str) -> str | None:
    """The words before 'chủ trì' at the start of a task ('Sở Giáo dục và Đào tạo chủ trì, …'),
    when they are a name (capitalised), else None."""
    folded, where = folded_with_map(text[:_LEAD_SPAN])
    m = _LEAD.match(folded)
    if not m:
        return None
    words = text[where[m.start(1)]: where[m.end(1) - 1] + 1].strip(" ,;")
    # "Giao Sở … chủ trì", "Đề nghị Ban … chủ trì": the verb that assigns is not the body's name
    first, _, rest = words.partition(" ")
    if fold(first) in _ASSIGNING and rest[:1].isupper():
        words = rest
    elif fold(words).startswith(("de nghi ", "yeu cau ", "chi dao ")) and words.split(" ", 2)[2:3]:
        words = words.split(" ", 2)[2]
    return words if words[:1].isupper() and "," not in words else None


_ASSIGNING = {"giao"}
# the words that open a task by handing it to the body named next: that body leads it
_ASSIGNED = [["giao"], ["de", "nghi"], ["yeu", "cau"]]
# the name before "chủ trì" (at most 80 characters, at the start: the first 400 are read); the
# spaces possessive (the next token is never a space), so a run of them is not tried split by split
_LEAD = re.compile(r"\s*+(.{3,80}?)\s++ch[a-z0-9]{1,2}\s++tr[a-z0-9]{1,2}\b")
_LEAD_SPAN = 400  # "Giao Sở … chủ trì": the verb that assigns, before the body


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


# ---------------------------------------------------------------- signers


def _known_signer(name: str, signers: list[KnownSigner]) -> KnownSigner | None:
    target = "".join(_words(name[:200]))
    best, score = None, 0.0
    for s in signers:
        known = "".join(_words(s.name))
        if 2 * min(len(known), len(target)) < 0.85 * (len(known) + len(target)):
            continue  # too long or too short to read 85 % alike (difflib's real_quick_ratio)
        ratio = difflib.SequenceMatcher(None, known, target).ratio()
        if ratio > score:
            best, score = s, ratio
    return best if score >= 0.85 else None
