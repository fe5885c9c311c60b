"""The screening of a returned workbook before any parser opens it.

A returned form comes from outside the office and is data, never code. `inspect_file`
reads only the file's size, its first bytes and its zip directory (and, as bytes, its
content types and the first MiB of each XML part), and refuses the file whole (a
`FormError`, exit 2) when it is:

- named as macro-enabled (`.xlsm`, `.xltm`, `.xlam`): `form-macro`;
- missing, unreadable or not a regular file: `form-not-found`, `form-unreadable`;
- larger than MAX_BYTES on disk: `form-too-large`;
- an OLE container (an encrypted workbook, or an old `.xls`): `form-encrypted`;
- not a zip at all, or a broken one: `form-not-xlsx`;
- a zip bomb: more than MAX_MEMBERS members, more than MAX_UNZIPPED bytes unpacked in
  all, or a member of over 1 MiB unpacked from MAX_RATIO times less: `form-bomb`;
- holding a VBA project under any name (`vbaProject.bin`, LibreOffice's `Basic/`) or
  declaring macros in its content types: `form-macro`;
- holding a DTD or an entity in an XML part (`<!DOCTYPE`, `<!ENTITY`): `form-entities`.

What passes is then read by `kehoach.life.forms.workbook`: openpyxl in read-only mode
with defusedxml (an .ods through defusedxml's iterparse), no formula evaluated, no link
followed; a formula in a cell to fill in is refused at its cell.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from kehoach.base.errors import UsageError
from kehoach.base.files import zip_bomb
from kehoach.base.messages import Msg

# a returned workbook: refused above these
MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member
MAX_MEMBERS = 2000


class FormError(UsageError):
    """A workbook refused as a whole (exit 2): not a form, too large, macro-enabled, hostile."""


def inspect_file(path: Path) -> None:
    """Refuse a workbook that is not a plain .xlsx or .ods of a sensible size, before any parser
    opens it."""
    name = str(path)
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam"):
        raise FormError("form-macro", {"path": name})
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FormError("form-not-found", {"path": name}) from None
    except OSError as exc:
        raise FormError("form-unreadable", {"path": name, "detail": exc.strerror or str(exc)}) from None
    if not path.is_file():
        raise FormError("form-unreadable", {"path": name, "detail": Msg("form.not-a-file")})
    if size > MAX_BYTES:
        raise FormError("form-too-large", {"path": name, "size": size // 1024, "limit": MAX_BYTES // 1024})
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: an encrypted workbook, or an old .xls
        raise FormError("form-encrypted", {"path": name})
    if not magic.startswith(b"PK"):
        raise FormError("form-not-xlsx", {"path": name})
    try:
        with zipfile.ZipFile(path) as zf:
            if zip_bomb(zf, MAX_UNZIPPED, MAX_RATIO, MAX_MEMBERS):
                raise FormError("form-bomb", {"path": name})
            members = zf.infolist()
            names = {m.filename for m in members}
            if any(n.lower().endswith("vbaproject.bin") or n.lower().startswith("basic/") for n in names):
                raise FormError("form-macro", {"path": name})
            types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise FormError("form-macro", {"path": name})
            for m in members:
                if m.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with zf.open(m) as member:
                        head = member.read(1024 * 1024)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise FormError("form-entities", {"path": name})
    except zipfile.BadZipFile:
        raise FormError("form-not-xlsx", {"path": name}) from None
