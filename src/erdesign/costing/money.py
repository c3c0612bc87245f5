"""Money and quantities as Decimal: exact cents, no float drift (0.19 × 730 = 138.70 exactly).

Every rounding goes through :func:`quantize`, whose context is always wide enough for the
amount, so no value the validators accept can raise InvalidOperation or Overflow here.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, Optional

CENT = Decimal("0.01")
ZERO = Decimal("0")


def dec(value: Any) -> Decimal:
    """A Decimal from an int, float (through its shortest repr), str or Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def quantize(value: Decimal, exponent: Decimal) -> Decimal:
    """`value` rounded half up to the places of `exponent` (Decimal('0.01'), Decimal(1), ...).

    The context's precision follows the magnitude of the value: a fixed one (even a wide one)
    raises InvalidOperation once the integer part has more digits than it holds.
    """
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {value}")
    digits = max(value.adjusted(), 0) - int(exponent.as_tuple().exponent) + 3
    return value.quantize(exponent, rounding=ROUND_HALF_UP, context=Context(prec=max(80, digits)))


def cents(value: Decimal) -> Decimal:
    """Round an amount to the cent, half up (how a bill line is rounded)."""
    return quantize(value, CENT)


def plain(value: Optional[Decimal]) -> Optional[float | int]:
    """A JSON-friendly number: int when whole, else float (None stays None)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def fmt_money(value: Optional[Decimal]) -> str:
    """1234.5 -> '1,234.50'."""
    if value is None:
        return ""
    return f"{cents(value):,.2f}"


def fmt_number(value: Optional[Decimal], max_places: int = 4) -> str:
    """A quantity or unit price without trailing zeros: 730, 2,000, 0.025, 0.19."""
    if value is None:
        return ""
    q = quantize(value, Decimal(1).scaleb(-max_places))
    if q == q.to_integral_value():
        return f"{int(q):,}"
    q = q.normalize(Context(prec=max(80, len(q.as_tuple().digits))))
    whole, _, frac = f"{q:f}".partition(".")
    return f"{int(whole):,}.{frac}" if whole not in ("-0",) else f"-0.{frac}"
