"""Hostile inputs for `kehoach import` and `check`, built to a size: the shapes of issue 20.

Each shape is an ordinary-looking plan whose one task paragraph (or head, or file) holds a long
run of something a reader's pattern could stumble on: spaces, tabs or no-break spaces inside a
sentence, blank lines inside a paragraph, a repeated "(sau khi ", many document numbers, a long
run of capitals, many "chủ trì" phrases, and a Word file whose XML inflates far beyond its zip.
`text(shape, n)` is the plan as text (n: the size of the hostile run, in characters or repeats);
`docx(text)` the same lines as a Word file; `brackets(n)` a plan of n nested flow brackets.

Used by tests/test_linear.py (growth when n doubles) and benchmarks/run.py (400 KB of each).
"""

from __future__ import annotations

import io
import random
import zipfile

HEAD = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 45/KH-UBND
Quảng Ngãi, ngày 10 tháng 3 năm 2021
KẾ HOẠCH
Phối hợp thực hiện công tác năm 2021
I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm sự phối hợp chặt chẽ giữa các cơ quan.
II. NỘI DUNG PHỐI HỢP
"""
TAIL = """2. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bảo đảm kinh phí; hoàn thành trong năm 2021.
III. TỔ CHỨC THỰC HIỆN
Giao Sở Nội vụ theo dõi, đôn đốc việc thực hiện Kế hoạch này.
Nơi nhận:
- Sở Nội vụ;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
"""

# the hostile run each shape puts in a task paragraph (or the head), built to n characters/repeats
SHAPES = ("spaces", "tabs", "nbsp", "mixed-space", "blank-lines", "sau-khi", "numbers", "capitals",
          "capitals-head", "chu-tri", "dates", "labels")


def _task(run: str) -> str:
    return f"1. Sở Nội vụ chủ trì thực hiện{run} rà soát các văn bản, hoàn thành trong tháng 6/2021.\n"


def text(shape: str, n: int) -> str:
    """A plan as plain text whose task II.1 (or head) holds the hostile `shape`, of size `n`."""
    if shape == "spaces":
        body = _task(" " * n)
    elif shape == "tabs":
        body = _task("\t" * n)
    elif shape == "nbsp":
        body = _task("\u00a0" * n)
    elif shape == "mixed-space":
        body = _task((" \t\u00a0" * (n // 3 + 1))[:n])
    elif shape == "blank-lines":  # a paragraph whose lines are parted by blank lines (OCR does that)
        body = "1. Sở Nội vụ chủ trì thực hiện\n" + "".join(f"\ncông việc thứ {k} của các cơ quan\n"
                                                          for k in range(n // 36 + 1)) + "\n"
    elif shape == "sau-khi":
        body = _task(" (sau khi " * (n // 10 + 1))
    elif shape == "numbers":  # many document numbers in one paragraph
        body = _task("".join(f" theo Quyết định số {k}/QĐ-UBND ngày 1 tháng 2 năm 2020 của Ủy ban,"
                             for k in range(1, n // 70 + 2)))
    elif shape == "capitals":
        body = _task(" " + "A" * n)
    elif shape == "capitals-head":
        return HEAD.replace("TỈNH QUẢNG NGÃI", "TỈNH " + "A" * n) + _task("") + TAIL
    elif shape == "chu-tri":  # many "chủ trì" and names: the lead phrase, the body matcher
        body = _task(" " + "Sở Nội vụ chủ trì, " * (n // 19 + 1))
    elif shape == "labels":  # a label run on in the task's paragraph with nothing after it, again and again
        body = "1. Rà soát các văn bản" + ". Chủ trì:" * (n // 10 + 1) + "\n"
    elif shape == "dates":  # many dates and numbers after a run of spaces (the reference stripper)
        body = _task("".join(f"    , ngày {k % 28 + 1} tháng 2 năm 2020 số {k}-KL/TW " for k in range(n // 45 + 1)))
    else:
        raise ValueError(shape)
    return HEAD + body + TAIL


def sized(shape: str, size: int) -> str:
    """The plan of `shape` whose text is about `size` bytes (UTF-8)."""
    base = len(text(shape, 0).encode("utf-8"))
    unit = len(text(shape, 1000).encode("utf-8")) - base
    return text(shape, max(1, (size - base) * 1000 // max(1, unit)))


# ---------------------------------------------------------------- Word files

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx(plan_text: str, padding: int = 0) -> bytes:
    """A Word file of `plan_text`'s lines, a paragraph each; `padding` empty runs (`<w:r/>`, each
    with a revision id as Word writes them) added to every paragraph: XML that inflates without
    adding words, about 60 times its packed size (the 190 MB shape: under the zip-bomb ratio)."""
    rng = random.Random(padding)
    paras = "".join("<w:p>" + "".join(f'<w:r w:rsidR="{rng.getrandbits(1):02X}"/>' for _ in range(padding))
                    + f'<w:r><w:t xml:space="preserve">{_esc(line)}</w:t></w:r></w:p>'
                    for line in plan_text.splitlines())
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
           f"<w:body>{paras}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", doc)
    return buf.getvalue()


def inflating_docx(xml_bytes: int) -> bytes:
    """A small Word file whose document.xml inflates to about `xml_bytes`, within the size limit
    of a file and the ratio of a zip bomb."""
    base = text("spaces", 0)
    paragraphs = len(base.splitlines())
    return docx(base, padding=max(0, xml_bytes // (19 * paragraphs)))


# ---------------------------------------------------------------- flow brackets for `check`


def brackets(n: int) -> str:
    """A plan whose first value nests `n` balanced flow brackets: `x: [[[ … ]]]`."""
    return "plan: " + "[" * n + "]" * n + "\n"
