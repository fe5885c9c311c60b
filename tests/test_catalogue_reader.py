"""The message catalogues read without gettext (base.messages.read_mo) hold exactly what the
standard library's gettext reads from them; any other file is left to gettext."""

from __future__ import annotations

import io
import os

import pytest

from kehoach.base import messages
from kehoach.base.messages import LANGS, LOCALE, gettext_mo, read_mo


def _mo(lang: str) -> bytes:
    with open(os.path.join(LOCALE, lang, "LC_MESSAGES", "kehoach.mo"), "rb") as fh:
        return fh.read()


@pytest.mark.parametrize("lang", LANGS)
def test_every_shipped_catalogue_reads_as_gettext_reads_it(lang):
    data = _mo(lang)
    direct = read_mo(data)
    assert direct is not None and direct == gettext_mo(data)
    assert messages.catalogue(lang) == direct
    assert list(direct) == list(gettext_mo(data))  # the same keys, in the same order


def _babel_mo(entries: list[tuple[object, object]], charset: str = "utf-8") -> bytes:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    cat = Catalog(locale="en", charset=charset)
    for key, value in entries:
        cat.add(key, value)
    out = io.BytesIO()
    write_mo(out, cat)
    return out.getvalue()


def test_plural_forms_and_odd_text_as_gettext():
    data = _babel_mo([("plain", "Chữ thường"), (("one", "many"), ("một", "nhiều")), ("tab\tnew\nline", "x\u2028y"),
                      ("emoji \U0001f600", "ok"), ("ctx\x04key", "in context")])
    assert read_mo(data) == gettext_mo(data)
    assert read_mo(data)["plain"] == "Chữ thường"  # type: ignore[index]


def test_other_files_are_left_to_gettext():
    data = _mo("en")
    assert read_mo(data[:100]) is None  # cut short
    assert read_mo(b"\x95\x04\x12\xde" + data[4:]) is None  # big-endian magic
    assert read_mo(b"not a catalogue at all") is None
    latin = _babel_mo([("a", "café")], charset="latin-1")
    assert read_mo(latin) is None
    assert gettext_mo(latin) == {"a": "café"}
