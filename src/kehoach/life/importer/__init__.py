"""A draft plan from the documents plans live in today (`kehoach import`): plain text (an OCR
copy of a signed plan), Markdown, or a Word file.

The draft is never silently wrong: every guessed value carries a `# kiểm tra:` comment saying
what it was guessed from, and a line that could not be placed stays in the draft as a comment
with its line number. `ImportResult` says how many lines were placed.

`read` reads each format; `structure` finds the numbered parts and the documents cited;
`match` matches names against the body catalogue; `signers` reads the signature block;
`draft` writes the YAML; `document` runs `kehoach import` from a file to a file.
"""

from kehoach.life.importer.document import import_document, import_plan
from kehoach.life.importer.draft import ImportResult, import_lines
from kehoach.life.importer.match import Catalogue, KnownBody, KnownSigner, load_catalogue, shipped_plan
from kehoach.life.importer.read import NotText, read_source

__all__ = [
    "Catalogue", "ImportResult", "KnownBody", "KnownSigner", "NotText", "import_document", "import_lines",
    "import_plan", "load_catalogue", "read_source", "shipped_plan",
]
