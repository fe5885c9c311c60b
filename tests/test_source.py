"""What kehoach relies on inside ruamel.yaml, pinned: the faster resolver gives the very nodes
ruamel's own gives, and `node_tag` reads a node's tag as `node.tag` does. A ruamel upgrade
that changes either fails here, not in a user's plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kehoach.plan.source import _MARKUP, compose, node_tag, read_yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8"),
    (ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8"),
    "%YAML 1.1\n---\na: yes\nb: 0o17\nc: 017\nd: ~\ne: 2021-06-30\nf: !!str 12\ng: 1_000\nh: .inf\n",
    "a: &x [1, 2]\nb: *x\nc: {k: !!int '3'}\n? complex\n: value\n",
]


def _walk(node):
    yield node
    if node.id == "sequence":
        for child in node.value:
            yield from _walk(child)
    elif node.id == "mapping":
        for k, v in node.value:
            yield from _walk(k)
            yield from _walk(v)


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize("text", SAMPLES, ids=["2021", "demo", "yaml-1.1", "anchors"])
def test_nodes_are_ruamels_own(text, pure, monkeypatch):
    from kehoach.base import settings
    from kehoach.plan.source import _has_clib

    if pure:  # KEHOACH_YAML_PARSER=pure, as the command line reads it
        monkeypatch.setattr(settings, "_current", settings.Settings(pure_parser=True))

    ours = list(_walk(compose(text)))
    theirs = list(_walk(YAML(typ="safe", pure=pure or not _has_clib()).compose(text)))  # the same parser
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert (a.id, a.tag, node_tag(a), a.start_mark.line, a.start_mark.column) == (
            b.id, b.tag, b.tag, b.start_mark.line, b.start_mark.column)
        if a.id == "scalar":
            assert a.value == b.value


def test_markup_prescan_finds_every_anchor_alias_and_tag():
    for text in ("a: &x 1\nb: *x\n", "- &a x\n", "[&a x, *a]\n", "{a: !!str 1}\n", "&top\na: 1\n", "? !t a\n: 1\n"):
        assert _MARKUP.search(text), text
    for text in ("name: Sở TN&MT\n", "note: Phòng DVCQ&ĐT\n", "a: 'x*y'\n",
                 "title: KKT Dung Quất & KCN\n", "note: a * b\n", "note: R&D &\n"):
        assert not _MARKUP.search(text), text  # a sign with no name after it is no anchor, no alias


def test_prose_with_a_lone_ampersand_does_not_hide_an_alias_bomb():
    bomb = "t: KKT Dung Quất & KCN\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6))
    doc, problems = read_yaml(bomb)
    assert doc is None and problems[0].code == "yaml-alias-bomb"


def test_an_alias_bomb_is_still_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6))
    doc, problems = read_yaml(bomb)
    assert doc is None and problems[0].code == "yaml-alias-bomb"
