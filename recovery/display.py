"""How numbers and weeks are shown, the same in every app: one rounding rule and one ISO week label.

Rounding is for display only (CLINICAL.md): halves go up (3.25 -> 3.3, as a clinician rounds by hand; Python's
``round()`` would give 3.2 for the float), computed from the exact value, so 1/8 is 0.13 at two places, never 0.12.
Thresholds are judged on exact values before anything is rounded.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import overload


@overload
def round_half_up(value: Fraction | Decimal | float, places: int = 1) -> float: ...
@overload
def round_half_up(value: None, places: int = 1) -> None: ...
@overload
def round_half_up(value: Fraction | Decimal | float | None, places: int = 1) -> float | None: ...


def round_half_up(value: Fraction | Decimal | float | None, places: int = 1) -> float | None:
    """`value` to `places` decimal places, halves up; None stays None. A float is read as its shortest repr (0.1 is
    one tenth), a Fraction exactly."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, Decimal):
        exact = value
    else:
        exact = Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def iso_week_label(day: dt.date) -> str:
    """The ISO 8601 week `day` falls in, as shown and exported: "2027-W20"."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"
