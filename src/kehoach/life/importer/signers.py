"""The signature block at the end of a plan (`kehoach import`): who signs, for which body.

The authorities ("T/M BAN …") name the bodies in order, the titles ("TRƯỞNG BAN") and the
names follow, as OCR reads them: glued, split, with letters swapped. A name that reads like a
signer of the catalogue takes that signer's body and title; any other is paired by order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kehoach.base.text import fold
from kehoach.life.importer.match import BodyMatcher, Catalogue, _known_signer, _words

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
    other: str | None = None  # the catalogue's signer for this body, when the document names another


def _by_columns(block: list[tuple[int, str]], matcher: BodyMatcher, catalogue: Catalogue, issuers: list[str],
                columns: dict[int, tuple[int | None, int | None]]) -> tuple[list[SignerGuess], set[int]]:
    """The signers of a signature table, one per column (authority lines, the title, the name, top
    to bottom): the document's own columns win; a catalogue signer only fills a blank."""
    cols: dict[tuple[int | None, int | None], list[tuple[int, str]]] = {}
    for n, line in block:
        if n in columns:
            cols.setdefault(columns[n], []).append((n, line))
    out: list[SignerGuess] = []
    used: set[int] = set()
    by_id = {b.id: b for b in matcher.bodies}
    for k, (_, lines) in enumerate(sorted(cols.items(), key=lambda kv: kv[1][0][0])):
        authority: list[str] = []
        title = name = None
        body = None
        for n, line in lines:
            line = line[:LINE]
            squeezed = "".join(_words(line))
            letters = [ch for ch in line if ch.isalpha()]
            upper = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
            if upper and squeezed in _TITLES and title is None and (authority or body):
                title = _TITLES[squeezed]
            elif upper:
                found = matcher.find(line)
                body = body or (found[0][1] if found else None)
                authority.append(line.strip())
            elif _person(line.strip()) and name is None:
                name = line.strip()
            else:
                continue
            used.add(n)
        if not (authority or name):
            continue
        if body is None:
            body = issuers[k] if k < len(issuers) else (issuers[0] if issuers else None)
        if body is None or body not in by_id:
            continue
        known = next((s for s in catalogue.signers if s.body == body), None)
        other = known.name if known is not None and name and _known_signer(name, [known]) is None else None
        out.append(SignerGuess(body, " / ".join(authority) or (known.authority if known else None),
                               title or (known.title if known and not name else None),
                               name or (known.name if known else None),
                               "import.why-signer-column-other" if other else "import.why-signer-column",
                               lines[0][0], known is not None and other is None, other))
    return out, used


LINE = 400  # characters of a line of the signature block read: a signature's line is far shorter


def read_signers(block: list[tuple[int, str]], matcher: BodyMatcher, catalogue: Catalogue,
                 issuers: list[str], columns: dict[int, tuple[int | None, int | None]] | None = None
                 ) -> tuple[list[SignerGuess], set[int]]:
    """The signers of a document from its signature block (the lines between the body and
    'Nơi nhận'): the authorities ("T/M BAN …") name the bodies in order, the titles and the
    names follow. A name that reads like a signer of the catalogue (without diacritics, OCR's
    letter swaps forgiven) takes that signer's body and title; any other is paired by order.
    When the reader gives the block's columns (a table), each column is one signer as it reads."""
    if columns and any(n in columns for n, _ in block):
        return _by_columns(block, matcher, catalogue, issuers, columns)
    by_id = {b.id: b for b in matcher.bodies}
    authorities: list[tuple[str, str | None]] = []
    titles: list[str] = []
    names: list[str] = []
    used: set[int] = set()
    first = 0
    for n, line in block:
        line = line[:LINE]
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
