"""Pricing zones as price books and Retail Prices meters write them."""
from __future__ import annotations

from typing import Any, Optional

from pydantic_core import PydanticCustomError


def zone_name(value: Any) -> Optional[str]:
    """1, '1', 'zone1', 'Zone 1' -> 'Zone 1'; other zone names ('US Gov Zone 1') are kept as written."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise PydanticCustomError("zone", "'{value}' is not a pricing zone", {"value": value})
    if isinstance(value, int):
        if not 0 <= value <= 99:
            raise PydanticCustomError("zone", "'{value}' is not a pricing zone", {"value": value})
        return f"Zone {value}"
    text = str(value).strip()
    if text.isdecimal() and len(text) <= 2:
        return f"Zone {int(text)}"
    low = text.lower().replace(" ", "")
    if low.startswith("zone") and low[4:].isdecimal() and len(low) <= 6:
        return f"Zone {int(low[4:])}"
    return text
