"""The pictures of docs/huong-dan.md and the README show the documents kehoach makes today.

tools/guide_pictures.py renders them and records a fingerprint of each document shown; when a
change of kehoach changes a document, its picture is older than the output it shows, and this
test fails until the script is run again (and the new pictures looked at)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("guide_pictures", ROOT / "tools" / "guide_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_every_picture_shows_the_document_kehoach_makes_today(tmp_path):
    tool = _tool()
    manifest = json.loads(tool.MANIFEST.read_text(encoding="utf-8"))
    assert set(manifest) == set(tool.PICTURES), "run python tools/guide_pictures.py"
    for name, document in tool.make_documents(tmp_path).items():
        assert (ROOT / "docs" / name).is_file(), name
        assert manifest[name]["fingerprint"] == tool.fingerprint(document), (
            f"docs/{name} is older than the {document.name} it shows: run python tools/guide_pictures.py "
            "and look at the pictures")


def test_the_guide_shows_each_picture_and_is_vietnamese():
    import unicodedata

    guide = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((huong-dan/[\w.-]+\.png)\)", guide))
    assert shown == {n for n in _tool().PICTURES if n.startswith("huong-dan/")}
    assert guide == unicodedata.normalize("NFC", guide) and "Hướng dẫn" in guide


def test_the_page_for_the_bodies_is_the_guide_printed_in_every_form():
    """Section 10 of the guide is the first sheet of each return form, word for word: a change
    of one without the other fails here."""
    from kehoach.base.messages import text
    from kehoach.life.forms.workbook import GRACE_DAYS, GUIDE

    guide = " ".join((ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8").split())
    page = guide[guide.index("## 10."):]
    for key in GUIDE:
        words = " ".join(text(key, "vi", sheet="Phiếu báo cáo", grace=GRACE_DAYS).split())
        assert words in page, key
