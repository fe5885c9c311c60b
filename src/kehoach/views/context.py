"""The view model of one document, whichever kind it is: what the outputs render."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from kehoach.views.letters import RemindContext
    from kehoach.views.reportview import ChecklistContext, ReportContext
    from kehoach.views.rollupview import RollupContext

    Context: TypeAlias = ReportContext | ChecklistContext | RemindContext | RollupContext
