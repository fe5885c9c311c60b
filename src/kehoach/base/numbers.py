"""Percents as documents write them."""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def mean_percent(values: Iterable[float]) -> int:
    """The mean of some percents, rounded as a reader rounds it: half up (92,5 → 93), never
    Python's half to even (92,5 → 92 beside "100% and 85%"); 0 when there are none."""
    values = list(values)
    if not values:
        return 0
    return math.floor(sum(values) / len(values) + 0.5 + 1e-9)
