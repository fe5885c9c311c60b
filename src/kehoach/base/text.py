"""Vietnamese text: folding for search, alphabetical order, near-miss suggestions,
and spotting text pasted from the legacy TCVN3 and VNI encodings."""

from __future__ import annotations

import re
import unicodedata

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TextIO

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, spaces squeezed: 'Sở Nội vụ' → 'so noi vu'."""
    text = unicodedata.normalize("NFD", str(text).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("đ", "d")
    return re.sub(r"\s+", " ", text).strip()


def vi_sort_key(text: str) -> tuple[list[int], list[int]]:
    """Vietnamese alphabetical order: letters first (a ă â … d đ …), tones second."""
    primary: list[int] = []
    secondary: list[int] = []
    for ch in nfc(str(text)).lower():
        parts = unicodedata.normalize("NFD", ch)
        tone = 0
        kept = []
        for p in parts:
            if p in _TONES:
                tone = _TONES[p]
            else:
                kept.append(p)
        letter = nfc("".join(kept))
        primary.append(_RANK.get(letter, 100 + ord(letter[0]) if letter else 0))
        secondary.append(tone)
    return (primary, secondary)


def listed(names: Iterable[str]) -> str:
    """Names as a table cell or a sentence lists them: "BDVTU, Sở Nội vụ"; set apart by ";" where a
    name holds a comma ("Các sở, ban, ngành; UBND cấp huyện"), so that one can tell them apart."""
    said = list(names)
    return ("; " if any("," in n for n in said) else ", ").join(said)


def lower_first(text: str) -> str:
    """Lower the first letter, to continue a sentence: 'Hội nghị quán triệt' → 'hội nghị quán triệt'.

    Left as it is: an acronym ('UBND tỉnh …'), a mixed-case word, or a proper
    name of capitalised words ('Sở Nội vụ …', 'Ban Thường vụ …').
    """
    words = text.split(" ", 2)
    first = words[0]
    if not first or not first[0].isupper():
        return text
    if any(c.isupper() for c in first[1:]):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return first[0].lower() + text[1:]


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to `word`, compared without diacritics and case."""
    candidates = list(candidates)
    folded = {fold(c): c for c in candidates}
    key = fold(word)
    if key in folded:
        return folded[key]
    import difflib

    best = difflib.get_close_matches(key, list(folded), n=1, cutoff=cutoff)
    return folded[best[0]] if best else None


# TCVN3 (ABC) text shown as Windows-1252 uses these for Vietnamese letters.
_TCVN3_STRONG = "¸µ¶·¹¨®©ª«¬§¦¥¤£¢¡¿¾½¼»º±²³´"


class _Legacy:
    """The patterns that tell legacy-encoded text, compiled when first needed (most commands never
    look for it)."""

    def __init__(self) -> None:
        # VNI-Windows spells a toned vowel as the vowel plus one of these Latin-1 letters.
        self.vni = re.compile(r"[aeiouyAEIOUY][ùøûõïÙØÛÕÏ]|[a-zA-Z][øûïÿäëöüØÛÏÄËÖÜ]|(?<![A-Za-z])[ñÑ][a-zA-Z]")
        self.tcvn3_any = re.compile("[" + re.escape("".join(sorted(set(_TCVN3_STRONG)))) + "]")
        self.vni_marks = re.compile("[ùøûõïÙØÛÕÏäëöüÄËÖÜÿñÑ]")
        self.latin = re.compile(r"[A-Za-z]")
        self.space = re.compile(r"\s")
        self.letter = re.compile(r"[^\W\d_]")
        # TCVN3 codes of capitals (Đ Ă Â Ê Ô Ơ Ư): after a small letter they are no Vietnamese word
        self.tcvn3_not_a_capital = re.compile("[a-z][§¡¢£¤¥¦]")


_legacy: _Legacy | None = None


def _legacy_patterns() -> _Legacy:
    global _legacy
    if _legacy is None:
        _legacy = _Legacy()
    return _legacy


def _token(text: str, start: int, end: int, low: int = 0) -> tuple[int, int]:
    """The run of non-space characters around text[start:end], known to begin at `low` or later
    (so that going through a text token by token looks at each character a bounded number of times)."""
    before = low - 1
    for ch in " \t\n\r\f\v":
        before = max(before, text.rfind(ch, low, start))
    after = _legacy_patterns().space.search(text, end)
    return before + 1, after.start() if after else len(text)


def legacy_encoding(text: str) -> tuple[str, str] | None:
    """('TCVN3', sample) or ('VNI', sample) when `text` looks like legacy-encoded Vietnamese.

    TCVN3 needs real evidence, not one odd character: at least a fifth of the words hold a
    tell-tale character next to a Latin letter, and none of those is a capital's code (§ ¡ ¢ £ ¤ ¥ ¦)
    right after a small letter, which TCVN3 never writes ('ti§n', 'd§' are OCR debris of 'tiền',
    'để', as is 'ngay±4' among Vietnamese words).

    Linear in the text's length: a text without any of the tell-tale characters (nearly
    every one) is passed by one scan; each token holding one is looked at once."""
    if text.isascii():
        return None
    rx = _legacy_patterns()
    first: str | None = None
    evidence = 0
    at = 0
    while True:
        m = rx.tcvn3_any.search(text, at)
        if m is None:
            break
        start, end = _token(text, m.start(), m.end(), at)
        token = text[start:end]
        if rx.latin.search(token) and not rx.tcvn3_not_a_capital.search(token):
            evidence += 1
            if first is None:
                first = token
        at = end
    if first is not None and evidence * 5 >= sum(1 for word in text.split() if rx.letter.search(word)):
        return "TCVN3", first[:40]
    if rx.vni_marks.search(text):
        v = rx.vni.search(text)
        if v:
            start, end = _token(text, v.start(), v.end())
            return "VNI", text[start:end][:40]
    return None


# ---------------------------------------------------------------- text that must not act on the reader

# C0 controls but tab and newline, DEL and C1 (ESC, BEL, CSI …), lone surrogates, and the characters
# that act on how text is shown without being seen: every Bidi_Control (the marks and embeddings that
# reorder text on screen, "Trojan source": U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the
# zero-width ones (U+200B–U+200D, the word joiner U+2060, a BOM U+FEFF inside text) and the tag
# characters (U+E0000–U+E007F, which can hide words from a reader): never part of a plan's words.
INVISIBLE = ("\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\U000e0000-\U000e007f")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + INVISIBLE + "]")
_unprintable_or_newline: re.Pattern[str] | None = None  # the same and newline: compiled when first needed


_SEPARATORS = "\r\x0b\x0c\x85"


def escape_char(ch: str) -> str:
    """A character as a visible escape: '\\x1b', '\\n', '\\u202e', '\\U000e0041'."""
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if ch == "\t":
        return "\\t"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def first_unprintable(text: str) -> int | None:
    """Where the first character that `printable` would take out stands, or None."""
    if text.isascii() and text.isprintable():
        return None
    m = _UNPRINTABLE.search(text)
    return m.start() if m else None


def printable(text: str) -> str:
    """Text for a document: control characters, lone surrogates and reordering marks taken out;
    CRLF becomes a newline, and a character that separated words or lines (a lone carriage return,
    Word's manual line break \\v pasted as text, a form feed, NEL) a space, so that no two words
    are glued together; tab and newline kept."""
    if text.isascii() and text.isprintable():
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return _UNPRINTABLE.sub(lambda m: " " if m.group() in _SEPARATORS else "", text)


def json_text(data: object) -> str:
    """JSON for a file or a terminal: words as they are (UTF-8), but every character `printable`
    would take out written as a `\\u` escape, so the data is the same and nothing in it can act
    on the terminal or editor that shows it (json.dumps leaves DEL, C1 controls such as CSI and
    reordering marks raw)."""
    import json

    return json_escaped(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def json_escaped(out: str) -> str:
    """JSON text with every character `printable` would take out written as its `\\u` escape
    (the pass `json_text` makes; a piece of JSON at a time gives the same text)."""
    if out.isascii():
        return out
    return _UNPRINTABLE.sub(lambda m: _json_escape(m.group()), out)


_orjson: Any = None  # the orjson module once looked for; False when it is not installed


def fast_json_bytes(data: object) -> bytes | None:
    """`json_text(data)` encoded in UTF-8, the same bytes, written by orjson (the `fast` extra;
    about ten times faster on a large status) for data made only of str (a StrEnum too, as a key
    as well), int, bool, None, lists and dicts: orjson writes a float differently, so data holding
    one must not come here. None when orjson is not installed, the accelerators are off
    (`KEHOACH_NO_ACCEL`), or orjson cannot write the data (a lone surrogate, a number beyond 64
    bits, another type)."""
    out = _orjson_dumps(data)
    return None if out is None else json_escaped_utf8(out) + b"\n"


def fast_json_items(items: list[object], indent: int) -> bytes | None:
    """The items of a JSON array that stands `indent` spaces in, as `json_text` writes them inside
    it (UTF-8): each on a new line, separated by commas, without the brackets (b"" for none); so
    a long array can be written a few items at a time. None where `fast_json_bytes` gives None."""
    out = _orjson_dumps(items)
    if out is None:
        return None
    if out == b"[]":
        return b""
    return json_escaped_utf8(out[1:-2].replace(b"\n", b"\n" + b" " * indent))


def _orjson_dumps(data: object) -> bytes | None:
    """orjson's `json.dumps(data, ensure_ascii=False, indent=2)` (before the escape pass), or None."""
    global _orjson
    from kehoach.base.settings import current

    if not current().accel:
        return None
    if _orjson is None:
        try:
            import orjson
        except ImportError:
            _orjson = False
        else:
            _orjson = orjson
    if _orjson is False:
        return None
    try:
        return bytes(_orjson.dumps(data, option=_orjson.OPT_INDENT_2 | _orjson.OPT_NON_STR_KEYS
                                   | _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_DATACLASS))
    except _orjson.JSONEncodeError:
        return None


def has_orjson() -> bool:
    """Whether orjson may write JSON: installed, and the accelerators not turned off."""
    from kehoach.base.settings import current

    if not current().accel:
        return False
    if _orjson is None:
        from importlib.util import find_spec

        return find_spec("orjson") is not None
    return _orjson is not False


# `_UNPRINTABLE` in UTF-8, but the lone surrogates (which UTF-8 cannot hold): C0 but tab and newline,
# DEL, C1, U+061C, U+200B–U+200F, U+202A–U+202E, U+2060, U+2066–U+2069, U+FEFF, U+E0000–U+E007F.
# Every branch starts with one byte, so that the regular expression engine skips along the text by
# its first bytes (a character class first makes it several times slower).
# tests/test_status_json_writer.py holds it equal to `_UNPRINTABLE` over every character.
UNPRINTABLE_UTF8 = b"|".join(
    [re.escape(bytes([c])) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)]
    + [b"\xc2[\x80-\x9f]", b"\xd8\x9c", b"\xe2\x80[\x8b-\x8f\xaa-\xae]", b"\xe2\x81[\xa0\xa6-\xa9]",
       b"\xef\xbb\xbf", b"\xf3\xa0[\x80\x81][\x80-\xbf]"])
_unprintable_utf8: re.Pattern[bytes] | None = None


def json_escaped_utf8(out: bytes) -> bytes:
    """`json_escaped` of JSON text in UTF-8, done on its bytes (faster than decoding it first)."""
    global _unprintable_utf8
    if out.isascii():
        return out
    if _unprintable_utf8 is None:
        _unprintable_utf8 = re.compile(UNPRINTABLE_UTF8)
    return _unprintable_utf8.sub(lambda m: _json_escape(m.group().decode("utf-8")).encode("ascii"), out)


def _json_escape(ch: str) -> str:
    """A character as JSON writes it escaped: '\\u202e'; beyond the first plane, its surrogate pair."""
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def visible(text: str, newlines: bool = True) -> str:
    """Text for a terminal: every such character shown as its escape ('\\x1b'), so that plan
    text can neither move the cursor, retitle the window, ring nor reorder what is shown;
    with `newlines=False` a newline is shown as '\\n' too (one message, one line)."""
    if text.isascii() and text.isprintable():
        return text
    global _unprintable_or_newline
    if newlines:
        pattern = _UNPRINTABLE
    else:
        if _unprintable_or_newline is None:
            _unprintable_or_newline = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + INVISIBLE + "]")
        pattern = _unprintable_or_newline
    return pattern.sub(lambda m: escape_char(m.group()), text)


def show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: TextIO | None = None, line: str | None = None) -> None:
    """`warnings.showwarning` for the command line: a library's warning (openpyxl, python-docx,
    ruamel.yaml) may quote the file it read (a sheet's name, a workbook's text), so it is shown as
    `visible` text, one warning one line, never raw on the terminal."""
    import sys
    import warnings

    shown = warnings.formatwarning(message, category, filename, lineno, line)
    where = sys.stderr if file is None else file
    try:
        where.write(visible(shown.rstrip("\n"), newlines=False) + "\n")
    except (OSError, ValueError):  # no standard error left (closed, full): a warning is not worth a crash
        pass


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """`text` folded (no diacritics, lower case), and for each folded character its index in `text`."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for f in fold(ch) if ch.strip() else " ":
            chars.append(f)
            where.append(i)
    return "".join(chars), where


def stem(plan_id: str, *parts: str) -> str:
    """A file name that carries the plan id, so two plans' documents never share one:
    `dv-2021-bao-cao-2021-Q2`."""
    return "-".join([plan_id, *[p.replace("..", "-") for p in parts if p]])


# ---------------------------------------------------------------- text without its diacritics (OCR, old e-mail)

_MARKED_MIN_LETTERS = 200
_MARKED_MIN_SHARE = 0.01


def has_diacritics(text: str) -> bool:
    """False when `text` is Vietnamese written without its marks: among at least 200 letters,
    fewer than 1 % carry one (a tone, a breve, a circumflex, a horn, or đ). Ordinary Vietnamese
    marks a third or more of its letters; OCR that lost them marks almost none. A text too short
    to tell is given the benefit of the doubt (True). Linear in the text's length."""
    letters = 0
    marked = 0
    counted = True  # whether the letter before has been counted as marked (or is no letter)
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not counted:
                marked += 1
                counted = True
        elif ch in "đĐ":
            letters += 1
            marked += 1
            counted = True
        elif ch.isascii() and ch.isalpha():
            letters += 1
            counted = False
        else:
            counted = True
    if letters < _MARKED_MIN_LETTERS:
        return True
    return marked / letters >= _MARKED_MIN_SHARE
