"""Return forms in Excel: `kehoach request` writes one per body, `kehoach collect` records
what the bodies write in them.

- `request`: which rows each body is asked for, and writing the period's forms;
- `workbook`: a form laid out as a workbook (columns, locks, validation, the signed hidden
  sheet), and a returned workbook's cells read back (.xlsx and .ods);
- `screen`: a returned file refused whole, before any parser opens it (sizes, zip bombs,
  macros, encrypted or old workbooks, DTDs and entities);
- `keys`: the key that signs a form's hidden sheet, and the ledger of forms collected;
- `collecting`: the answered rows matched and checked as `kehoach log` checks an entry,
  versions across batches, and the run's report as text or JSON.
"""

from __future__ import annotations

from kehoach.judge.scope import default_due  # the reporting regime's rule, which request applies
from kehoach.life.forms.collecting import collect, collect_json, format_collect
from kehoach.life.forms.keys import KEY_FILE, key_path
from kehoach.life.forms.request import make_requests, plan_hash
from kehoach.life.forms.screen import MAX_BYTES, MAX_UNZIPPED
from kehoach.life.forms.workbook import COLUMNS, HEADER_ROW, META

__all__ = [
    "COLUMNS",
    "HEADER_ROW",
    "KEY_FILE",
    "MAX_BYTES",
    "MAX_UNZIPPED",
    "META",
    "collect",
    "collect_json",
    "default_due",
    "format_collect",
    "key_path",
    "make_requests",
    "plan_hash",
]
