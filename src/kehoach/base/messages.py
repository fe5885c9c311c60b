"""Every word a user reads, from one message catalogue per language.

The catalogues are gettext files, `locale/<lang>/LC_MESSAGES/kehoach.po` (the
source, what a translator edits in any gettext tool) compiled to `kehoach.mo`
(what is read here, by the standard library) with `python tools/catalogue.py`.
A message's id is a stable key: a diagnostic's or an error's code for its
message and `<code>.hint` for its hint, `doc.*` for the fixed words of the
documents, `status.*`, `verdict.*`, `help.*` and so on. Adding a language is
adding a folder. A key that is missing is an error (`MissingMessage`), never a
silent fallback; tests/test_catalogue.py keeps the keys used in the code, the
keys of each catalogue and their {placeholders} in step.

Placeholders are filled with `str.format`. Text parameters accept the format
spec `lower` (the first letter lowered to run on in a sentence: "{title:lower}")
and whole numbers `roman` (II), `doc` (a month as documents pad it: 01, 02, 3 …
12), `month` (the month's name in the catalogue's language) and any integer
spec (`02d`). A parameter that must itself be worded in the user's language is
a `Msg` (another key with its parameters) or a `Day` (a date).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Mapping

from kehoach.base.records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LANGS = ("vi", "en")
LOCALE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class MissingMessage(LookupError):
    """A key the catalogue of a language lacks: a bug, never shown as a key."""


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The compiled catalogue of `lang` as {key: text}."""
    path = os.path.join(LOCALE, lang, "LC_MESSAGES", "kehoach.mo")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise MissingMessage(f"no message catalogue for '{lang}' ({path})") from None
    table = read_mo(data)
    return table if table is not None else gettext_mo(data)


def gettext_mo(data: bytes) -> dict[str, str]:
    """{key: text} of a compiled catalogue as the standard library's gettext reads it (plural
    forms and the header left out)."""
    import gettext
    import io

    table = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in table.items() if isinstance(k, str) and k}


_MO_MAGIC = b"\xde\x12\x04\x95"  # 0x950412de written little-endian


def read_mo(data: bytes) -> dict[str, str] | None:
    """`gettext_mo(data)`, read directly (gettext is not imported: a few milliseconds of every
    command), for the catalogues `tools/catalogue.py` writes: little-endian, revision 0, UTF-8.
    None for any other file, which gettext then reads (or refuses)."""
    if sys.byteorder != "little" or len(data) < 20 or data[:4] != _MO_MAGIC:
        return None
    view = memoryview(data)
    revision, count, originals, translations = view[4:20].cast("I")
    size = len(data)
    if revision != 0 or max(originals, translations) + 8 * count > size:
        return None
    keys = view[originals:originals + 8 * count].cast("I")
    texts = view[translations:translations + 8 * count].cast("I")
    out: dict[str, str] = {}
    utf8 = False
    for i in range(0, 2 * count, 2):
        klen, kat, tlen, tat = keys[i], keys[i + 1], texts[i], texts[i + 1]
        if kat + klen >= size or tat + tlen >= size:
            return None
        key = data[kat:kat + klen]
        if not key:  # the header, first (the keys are sorted): its charset
            utf8 = b"charset=utf-8" in data[tat:tat + tlen].lower()
        elif not utf8:
            return None
        elif b"\x00" not in key:  # plural forms are not used
            out[key.decode("utf-8")] = data[tat:tat + tlen].decode("utf-8")
    return out if utf8 else None


def has(key: str, lang: str = "vi") -> bool:
    return key in catalogue(lang)


def text(key: str, lang: str = "vi", /, **params: Any) -> str:
    """The words of `key` in `lang`, with its placeholders filled."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MissingMessage(f"{lang}: {key}") from None
    return template.format_map(_Params(params, lang))


def words(prefix: str, lang: str = "vi") -> dict[str, str]:
    """Every text whose key starts with `prefix.`, keyed by the rest: words("doc") → {"results": …}."""
    cut = len(prefix) + 1
    return {k[cut:]: v for k, v in catalogue(lang).items() if k.startswith(prefix + ".")}


def render(code: str, part: str, params: Mapping[str, Any], lang: str = "vi") -> str:
    """A diagnostic's or an error's `message` (required) or `hint` (empty when it has none)."""
    key = code if part == "message" else f"{code}.{part}"
    if part != "message" and not has(key, lang):
        return ""
    return text(key, lang, **params)


def resolve_lang(lang: str | None) -> str:
    """`--lang`, else $KEHOACH_LANG (the settings), else Vietnamese; `en-US` → `en`."""
    from kehoach.base.settings import current

    lang = (lang or current().lang).lower()[:2]
    return lang if lang in LANGS else "vi"


def is_lang(value: str) -> bool:
    """Whether `value` names a language kehoach speaks (`vi`, `en`, `en-US`, `vi_VN`)."""
    return value.lower().split("-")[0].split("_")[0] in LANGS


# ---------------------------------------------------------------- parameters worded in the user's language


class Localized:
    """A parameter worded in the language of the message that holds it; `param["vi"]` reads
    its words in one language."""

    def localize(self, lang: str) -> str:  # pragma: no cover - every subclass words itself
        raise NotImplementedError

    def __getitem__(self, lang: str) -> str:
        return self.localize(lang)

    def words(self) -> dict[str, str]:
        """Its words in every language kehoach speaks."""
        return {lang: self.localize(lang) for lang in LANGS}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.words() == dict(other)
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted((k, repr(v)) for k, v in vars(self).items()))))


@record(frozen=True, eq=False)
class Msg(Localized):
    """Another message as a parameter: worded in the language of the message that holds it."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def localize(self, lang: str) -> str:
        return text(self.key, lang, **self.params)


@record(frozen=True, eq=False)
class Day(Localized):
    """A date as a parameter, in the language's short form: '14/3/2021' or '2021-03-14'."""

    day: dt.date

    def localize(self, lang: str) -> str:
        return text("date.short", lang, d=self.day.day, m=self.day.month, y=self.day.year)


def join_names(names: list[str], lang: str = "vi") -> str:
    """Names as a sentence lists them: "A", "A và B", "A, B và C" (`join.and` before the last);
    when a name holds "và" itself ("Phòng Dân vận Chính quyền và Đoàn thể") they are set apart by
    commas, and by semicolons when one holds a comma: "A và B và C" cannot be read."""
    if len(names) <= 1:
        return "".join(names)
    conjunction = text("join.and", lang)
    if any(", " in n for n in names):
        return "; ".join(names)
    if any(conjunction in n for n in names):
        return ", ".join(names)
    return ", ".join(names[:-1]) + conjunction + names[-1]


def did_you_mean(near: str | None) -> Msg | str:
    """The '; did you mean …?' tail of a message (empty when nothing is near)."""
    return Msg("did-you-mean", {"near": near}) if near else ""


def localize(value: Any, lang: str) -> Any:
    """A parameter ready for `str.format` in `lang`."""
    if hasattr(value, "localize"):
        return _Text(value.localize(lang))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _Int(value, lang)
    if isinstance(value, str):
        return _Text(value)
    return value


class _Params(dict):  # type: ignore[type-arg]
    def __init__(self, params: Mapping[str, Any], lang: str):
        super().__init__((k, localize(v, lang)) for k, v in params.items())


def _counted(n: object, spec: str) -> str:
    """A count and its noun, the spec `one|many` ("{n:task|tasks}"): "1 task", "3 tasks"; with
    `=` first, the word that agrees with the count alone ("{n:=its|their}": "its", "their")."""
    alone = spec.startswith("=")
    one, _, many = spec.removeprefix("=").partition("|")
    word = one if str(n).strip() == "1" else many
    return word if alone else f"{n} {word}"


class _Text(str):
    """Text with the format spec `lower` (continue a sentence) and `upper`, and `one|many` for a
    count given as text."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            return _counted(self, spec)
        if spec == "lower":
            from kehoach.base.text import lower_first

            return lower_first(str(self))
        if spec == "upper":
            return str(self).upper()
        return format(str(self), spec)


class _Int(int):
    """A whole number with the format specs `roman`, `doc` (a month: 01, 02, 3 … 12), `month`, and
    `one|many`: the number and the noun it counts ("{n:task|tasks}": "1 task", "2 tasks")."""

    lang: str

    def __new__(cls, value: int, lang: str) -> _Int:
        obj = super().__new__(cls, value)
        obj.lang = lang
        return obj

    def __format__(self, spec: str) -> str:
        n = int(self)
        if spec == "roman":
            return _ROMAN[n] if 0 < n < len(_ROMAN) else str(n)
        if spec == "doc":
            return f"{n:02d}" if n < 3 else str(n)
        if spec == "month":
            return text(f"month.{n}", self.lang)
        if "|" in spec:
            return _counted(n, spec)
        return format(n, spec)
