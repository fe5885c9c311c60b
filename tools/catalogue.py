#!/usr/bin/env python
"""Compile the message catalogues: src/kehoach/locale/<lang>/LC_MESSAGES/kehoach.po → kehoach.mo.

The .po files are the source (what translators edit, in any gettext tool); the
.mo files are what kehoach reads at run time (gettext's compiled form, read by
the standard library in a millisecond). Babel compiles them. Before writing,
every catalogue must hold the same keys as Vietnamese, with the same
{placeholders}, and no empty text; tests/test_catalogue.py checks the same and
that each .mo is what this script makes of its .po.

Usage: python tools/catalogue.py [--check]   (--check: compare, write nothing)
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "kehoach" / "locale"
# `{name}`, `{name:spec}`; not `{{` (a literal brace)
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}")


def read(lang: str) -> dict[str, str]:
    with (LOCALE / lang / "LC_MESSAGES" / "kehoach.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {m.id: m.string for m in catalog if m.id}


def optional(lang: str = "vi") -> dict[str, set[str]]:
    """Placeholders a translation may leave out, from the entry's `#. optional: a, b` comment."""
    with (LOCALE / lang / "LC_MESSAGES" / "kehoach.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out: dict[str, set[str]] = {}
    for m in catalog:
        for comment in m.auto_comments:
            if comment.startswith("optional:"):
                out[m.id] = {x.strip() for x in comment.split(":", 1)[1].split(",") if x.strip()}
    return out


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems(catalogues: dict[str, dict[str, str]]) -> list[str]:
    """Keys missing or extra against Vietnamese, placeholders that differ (beyond those a key
    marks optional), empty texts."""
    base = catalogues["vi"]
    spare = optional()
    out = []
    for lang, cat in catalogues.items():
        for key in sorted(set(base) - set(cat)):
            out.append(f"{lang}: missing {key}")
        for key in sorted(set(cat) - set(base)):
            out.append(f"{lang}: {key} is not in vi")
        for key, text in sorted(cat.items()):
            if not text:
                out.append(f"{lang}: {key} is empty")
            elif key in base:
                differ = placeholders(text) ^ placeholders(base[key])
                if differ - spare.get(key, set()):
                    out.append(f"{lang}: {key} has placeholders {sorted(placeholders(text))}, "
                               f"vi has {sorted(placeholders(base[key]))}")
    return out


def compiled(lang: str) -> bytes:
    with (LOCALE / lang / "LC_MESSAGES" / "kehoach.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "kehoach.po").is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the .mo files, write nothing")
    args = ap.parse_args(argv)
    langs = languages()
    found = problems({lang: read(lang) for lang in langs})
    for line in found:
        print(line, file=sys.stderr)
    if found:
        return 1
    stale = []
    for lang in langs:
        mo = LOCALE / lang / "LC_MESSAGES" / "kehoach.mo"
        data = compiled(lang)
        if args.check:
            if not mo.is_file() or mo.read_bytes() != data:
                stale.append(str(mo))
        else:
            mo.write_bytes(data)
            print(f"wrote {mo}")
    for path in stale:
        print(f"stale: {path} (run python tools/catalogue.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
