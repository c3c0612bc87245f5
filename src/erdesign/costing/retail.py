"""Turn saved Azure Retail Prices API responses into a price book.

Input: the JSON the API returns (``{"BillingCurrency": ..., "Items": [...],
"NextPageLink": ..., "Count": n}``), one file per page. Each item is mapped
to a price-book entry when erdesign knows what its meter means; everything
else is reported as not mapped, with the reason. Imported entries are
``verified``, cite the file, and carry the meter's effectiveStartDate.
"""
from __future__ import annotations

import json
import math
import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import InputError, Loc
from .book import price_problem, zone_name
from .money import dec

_CIRCUIT = re.compile(r"^(Standard|Premium) (Metered|Unlimited) Data (\d+(?:\.\d+)?) ?([MG]bps) Circuit$", re.I)
_LOCAL = re.compile(r"^Local (\d+(?:\.\d+)?) ?([MG]bps) Circuit$", re.I)
_SKU_BW = re.compile(r"^(\d+(?:\.\d+)?) ?([MG]bps)\b", re.I)
_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*(/\s*Months?|Months?|Hours?|GB)\s*$", re.I)

ER_GATEWAY_METERS = {
    "standard gateway": "Standard",
    "high performance gateway": "HighPerformance",
    "ultra high performance gateway": "UltraPerformance",
    "ultra performance gateway": "UltraPerformance",
    "ergw1az gateway": "ErGw1AZ",
    "ergw2az gateway": "ErGw2AZ",
    "ergw3az gateway": "ErGw3AZ",
    "ergwscale unit": "ErGwScale",
}
VPN_GATEWAY_METERS = {"basic gateway": "Basic"} | {
    f"vpngw{n}{az}": f"VpnGw{n}{az.upper()}" for n in range(1, 6) for az in ("", "az")}

# Static IPv4 addresses, the kind a gateway uses (meter names as in the API, see tests/fixtures/retail_prices)
PUBLIC_IP_METERS = {"standard ipv4 static public ip": "Standard", "basic ipv4 static public ip": "Basic"}
_BY_NAME = ("Microsoft does not document the {what} meter names, so erdesign maps the meter {meter!r} by the "
            "words in its name; check the mapping in `erdesign pricing fetch`'s output")
_DIRECTION = (("egress", "egress"), ("outbound", "egress"), ("data transfer out", "egress"),
              ("ingress", "ingress"), ("inbound", "ingress"), ("data transfer in", "ingress"))

REQUIRED = {"meterName": str, "retailPrice": (int, float), "unitOfMeasure": str, "serviceName": str,
            "effectiveStartDate": str}
OPTIONAL = {"productName": str, "skuName": str, "armRegionName": str, "location": str, "type": str,
            "currencyCode": str, "tierMinimumUnits": (int, float)}  # null is allowed for these


@dataclass
class Mapped:
    file: str
    index: int
    meter: str
    entry: dict[str, Any]


@dataclass
class Skipped:
    file: str
    index: int
    meter: str
    reason: str


@dataclass
class ImportResult:
    currency: str
    entries: list[Mapped] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading

def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _loc_at(starts: list[int], file: str, offset: int) -> Loc:
    line = bisect_right(starts, offset)
    return Loc(file, line, offset - starts[line - 1] + 1)


def _item_offsets(text: str) -> list[int]:
    """Start offset of every element of the top-level Items array (for error locations)."""
    m = re.search(r'"Items"\s*:\s*\[', text)
    if not m:
        return []
    decoder = json.JSONDecoder()
    skip = re.compile(r"[\s,]*")
    offsets, i = [], m.end()
    while True:
        i = skip.match(text, i).end()
        if i >= len(text) or text[i] == "]":
            return offsets
        offsets.append(i)
        try:
            _, i = decoder.raw_decode(text, i)
        except ValueError:
            return offsets


def read_response(path: str) -> tuple[dict, list[Loc]]:
    """Parse one saved response; malformed input is an InputError at file:line:col."""
    from ..inputgate import read_input_text

    text = read_input_text(path, "Retail Prices file")
    return parse_response(text, path)


def parse_response(text: str, path: str) -> tuple[dict, list[Loc]]:
    """Parse the text of one response page (``path`` names it in messages); checks every item."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", Loc(path, exc.lineno, exc.colno)) from None
    except RecursionError:
        from ..inputgate import deep_nesting_loc

        raise InputError("malformed JSON: nesting is too deep", deep_nesting_loc(text, path)) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InputError(f"malformed JSON: {exc}", Loc(path, 1, 1)) from None
    starts = _line_starts(text)
    if not isinstance(data, dict) or not isinstance(data.get("Items"), list):
        where = Loc(path, 1, 1)
        m = re.search(r'"Items"\s*:', text)
        if m and isinstance(data, dict):
            where = _loc_at(starts, path, m.start())
        raise InputError("not an Azure Retail Prices API response: expected an object with an \"Items\" list "
                         "(the JSON returned by https://prices.azure.com/api/retail/prices)", where)
    for key in ("BillingCurrency", "NextPageLink"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"\"{key}\" has the wrong type ({_shown(value)})", Loc(path, 1, 1))
    item_locs = [_loc_at(starts, path, o) for o in _item_offsets(text)]
    for index, item in enumerate(data["Items"]):
        where = item_locs[index] if index < len(item_locs) else Loc(path, 1, 1)
        if not isinstance(item, dict):
            raise InputError(f"Items[{index}]: expected a price item (an object), got {type(item).__name__}", where)
        for key, kind in REQUIRED.items():
            if key not in item:
                raise InputError(f"Items[{index}]: missing \"{key}\"", where)
            value = item[key]
            if isinstance(value, bool) or not isinstance(value, kind):
                raise InputError(f"Items[{index}]: \"{key}\" has the wrong type ({_shown(value)})", where)
        for key, kind in OPTIONAL.items():
            value = item.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
                raise InputError(f"Items[{index}]: \"{key}\" has the wrong type ({_shown(value)})", where)
        for key in ("retailPrice", "tierMinimumUnits"):
            if isinstance(item.get(key), int) and abs(item[key]) > 10 ** 15:
                raise InputError(f"Items[{index}]: {key} {_shown(item[key])} is not a plausible number", where)
            if isinstance(item.get(key), float) and not math.isfinite(item[key]):
                raise InputError(f"Items[{index}]: {key} {item[key]!r} is not a finite number", where)
        if not math.isfinite(item["retailPrice"]):
            raise InputError(f"Items[{index}]: retailPrice {item['retailPrice']!r} is not a finite number", where)
        if item["retailPrice"] < 0:
            raise InputError(f"Items[{index}]: negative retailPrice {item['retailPrice']!r}", where)
        if not re.match(r"^\d{4}-\d{2}-\d{2}", item["effectiveStartDate"]):
            raise InputError(f"Items[{index}]: effectiveStartDate {item['effectiveStartDate']!r} is not a date", where)
    return data, item_locs


def _shown(value) -> str:
    """A JSON value for a message: its type and a clipped text."""
    from ..errors import clip

    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of {value.bit_length()} bits"
    return f"{type(value).__name__} {clip(json.dumps(value) if not isinstance(value, str) else repr(value))}"


# --------------------------------------------------------------------------- mapping

def _unit(unit_of_measure: str) -> Optional[tuple[str, float]]:
    """'1 Hour' -> ('hour', 1); '1/Month' -> ('month', 1); '10 GB' -> ('GB', 10)."""
    m = _UNIT.match(unit_of_measure or "")
    if not m:
        return None
    count = float(m.group(1) or 1)
    word = m.group(2).replace(" ", "").lower()
    unit = "hour" if word.startswith("hour") else ("GB" if word == "gb" else "month")
    return unit, count


def _bandwidth(number: str, unit: str) -> str:
    value = float(number)
    text = f"{int(value)}" if value == int(value) else f"{value}"
    return f"{text}{unit[0].upper()}bps"


def _is_zone(text: str) -> bool:
    return "zone" in (text or "").lower()


def map_item(item: dict) -> tuple[Optional[dict], str]:
    """(entry fields without price/source, '') or (None, why it is not mapped)."""
    service = (item.get("serviceName") or "").strip()
    product = (item.get("productName") or "").strip()
    meter = (item.get("meterName") or "").strip()
    sku = (item.get("skuName") or "").strip()
    region = (item.get("armRegionName") or item.get("location") or "").strip()
    kind = item.get("type") or "Consumption"
    if kind != "Consumption":
        return None, f"type {kind}: only pay-as-you-go (Consumption) prices are used"
    if float(item.get("tierMinimumUnits") or 0) > 0:
        return None, f"tiered price from {item.get('tierMinimumUnits')} units: only the first tier is used"
    unit = _unit(item.get("unitOfMeasure", ""))
    if unit is None:
        return None, f"unit of measure {item.get('unitOfMeasure')!r} is not hours, months or GB"
    unit_name = unit[0]
    text = f"{product} {meter}".lower()

    if service == "ExpressRoute":
        sku_gw = ER_GATEWAY_METERS.get(meter.lower())
        if sku_gw and "gateway" in product.lower() and unit_name == "hour":
            return {"component": "er_gateway", "sku": sku_gw, "region": region or None, "unit": "hour"}, ""
        m = _CIRCUIT.match(meter)
        if m and unit_name == "month":
            if not region:
                return None, "circuit meter without a zone (armRegionName)"
            return {"component": "circuit_port", "tier": m.group(1).title(), "plan": f"{m.group(2).title()}Data",
                    "bandwidth": _bandwidth(m.group(3), m.group(4)), "zone": zone_name(region), "unit": "month"}, ""
        m = _LOCAL.match(meter)
        if m and unit_name == "month":
            if not region:
                return None, "circuit meter without a zone (armRegionName)"
            return {"component": "circuit_port", "tier": "Local", "plan": "UnlimitedData",
                    "bandwidth": _bandwidth(m.group(1), m.group(2)), "zone": zone_name(region), "unit": "month"}, ""
        if meter.lower() in ("metered data - data transfer out", "unlimited data - data transfer out") and unit_name == "GB":
            if not region:
                return None, "data-transfer meter without a zone (armRegionName)"
            entry = {"component": "circuit_egress", "plan": "MeteredData" if meter.lower().startswith("metered") else "UnlimitedData",
                     "zone": zone_name(region), "unit": "GB"}
            bw = _SKU_BW.match(sku)
            if bw:
                entry["bandwidth"] = _bandwidth(bw.group(1), bw.group(2))
            return entry, ""
        if "global reach" in text:
            return _global_reach(meter, sku, region, unit_name)
        if "direct" in text:
            return _direct(text, meter, sku, region, unit_name)
        return None, "ExpressRoute meter that erdesign does not price"
    if service == "VPN Gateway":
        sku_vpn = VPN_GATEWAY_METERS.get(meter.lower())
        if sku_vpn and unit_name == "hour":
            return {"component": "vpn_gateway", "sku": sku_vpn, "region": region or None, "unit": "hour"}, ""
        return None, "VPN Gateway meter that erdesign does not price (tunnels, add-ons, data)"
    if service == "Virtual Network":
        direction = "ingress" if meter.lower().endswith("ingress") else ("egress" if meter.lower().endswith("egress") else None)
        if product == "Virtual Network Peering" and meter.lower().startswith("intra-region") and direction and unit_name == "GB":
            entry = {"component": "vnet_peering", "scope": "intra_region", "direction": direction, "unit": "GB"}
            if region and region.lower() != "global" and not _is_zone(region):
                entry["region"] = region
            return entry, ""
        if product == "Global Virtual Network Peering" and meter.lower().startswith("inter-region") and direction and unit_name == "GB":
            entry = {"component": "vnet_peering", "scope": "global", "direction": direction, "unit": "GB"}
            if _is_zone(region):
                entry["zone"] = zone_name(region)
            elif region:
                entry["region"] = region
            else:
                return None, "global peering meter without a region"
            return entry, ""
        if product == "IP Addresses" and unit_name == "hour":
            ip_sku = PUBLIC_IP_METERS.get(meter.lower())
            if ip_sku:
                return {"component": "public_ip", "sku": ip_sku, "region": region or None, "unit": "hour"}, ""
            return None, "public IP meter that erdesign does not price (dynamic, global or IPv6 addresses)"
        return None, "Virtual Network meter that erdesign does not price"
    return None, f"service {service!r} is not part of an ExpressRoute design's cost"


def _by_name(what: str, meter: str) -> dict:
    return {"confidence": "estimate", "derivation": _BY_NAME.format(what=what, meter=meter)}


def _zone_of(region: str) -> Optional[str]:
    return zone_name(region) if _is_zone(region) else None


def _global_reach(meter: str, sku: str, region: str, unit_name: str) -> tuple[Optional[dict], str]:
    """Global Reach: data per GB by direction and zone, or the per-circuit add-on per month."""
    low = meter.lower()
    if unit_name == "GB":
        direction = next((d for word, d in _DIRECTION if word in low), None)
        if direction is None:
            return None, "Global Reach data meter whose name says neither egress nor ingress"
        if not _is_zone(region):
            return None, "Global Reach data meter without a zone (armRegionName)"
        return {"component": "global_reach_data", "direction": direction, "zone": zone_name(region), "unit": "GB",
                **_by_name("Global Reach", meter)}, ""
    if unit_name == "month":
        entry = {"component": "global_reach_addon", "zone": _zone_of(region), "unit": "month",
                 **_by_name("Global Reach", meter)}
        bw = _BW_ANY.search(meter) or _BW_ANY.search(sku)
        if bw:
            entry["bandwidth"] = _bandwidth(bw.group(1), bw.group(2))
        return entry, ""
    return None, "Global Reach meter that is neither per GB nor per month"


_PORT = re.compile(r"(\d+) ?Gbps", re.I)
_BW_ANY = re.compile(r"(\d+(?:\.\d+)?) ?([MG]bps)\b", re.I)


def _direct(text: str, meter: str, sku: str, region: str, unit_name: str) -> tuple[Optional[dict], str]:
    """ExpressRoute Direct: the port pair per month (by port speed and plan), or the Premium add-on."""
    if unit_name != "month":
        return None, "ExpressRoute Direct meter that is not per month (erdesign prices port pairs and the Premium add-on)"
    if "premium" in text:
        entry = {"component": "direct_premium_addon", "zone": _zone_of(region), "unit": "month",
                 **_by_name("ExpressRoute Direct", meter)}
        bw = _BW_ANY.search(meter) or _BW_ANY.search(sku)
        if bw:
            entry["bandwidth"] = _bandwidth(bw.group(1), bw.group(2))
        return entry, ""
    speed = _PORT.search(meter) or _PORT.search(sku)
    if "port" not in text or not speed:
        return None, "ExpressRoute Direct meter that names no port speed"
    entry = {"component": "direct_port_pair", "port_bandwidth": f"{speed.group(1)}Gbps", "zone": _zone_of(region),
             "unit": "month", **_by_name("ExpressRoute Direct", meter)}
    if "unlimited" in text:
        entry["plan"] = "UnlimitedData"
    elif "metered" in text:
        entry["plan"] = "MeteredData"
    return entry, ""


def import_files(paths: list[str]) -> ImportResult:
    return import_pages((path, *read_response(path)) for path in paths)


def import_pages(pages, *, source_of=None, paged: bool = False) -> ImportResult:
    """Map the items of parsed response pages ((name, data, item locations) each) to price entries.

    source_of(name) gives the source id an entry cites (default: the file name); paged=True
    when the pages are a whole paged response, so a NextPageLink is expected, not a warning."""
    source_of = source_of or _source_id
    currency: Optional[str] = None
    result = ImportResult(currency="USD")
    chosen: dict[tuple, Mapped] = {}
    for path, data, locs in pages:
        name = os.path.basename(path)
        result.files.append(path)
        file_currency = data.get("BillingCurrency") or next(
            (i.get("currencyCode") for i in data["Items"] if i.get("currencyCode")), None) or "USD"
        if currency is None:
            currency = file_currency
        elif file_currency != currency:
            raise InputError(f"billing currency {file_currency} differs from {currency} of the other files; "
                             "one price book, one currency", Loc(path, 1, 1))
        if data.get("NextPageLink") and not paged:
            result.warnings.append(f"{name}: NextPageLink is set, so this is one page of a longer response; "
                                   "save and pass every page")
        for index, item in enumerate(data["Items"]):
            if item.get("currencyCode") and item["currencyCode"] != currency:
                raise InputError(f"Items[{index}]: currencyCode {item['currencyCode']} differs from {currency}",
                                 locs[index] if index < len(locs) else Loc(path, 1, 1))
            fields, reason = map_item(item)
            meter = f"{item['meterName']} ({item.get('productName') or item['serviceName']}, " \
                    f"{item.get('armRegionName') or item.get('location') or 'no region'})"
            if fields is None:
                result.skipped.append(Skipped(path, index, meter, reason))
                continue
            unit_count = (_unit(item["unitOfMeasure"]) or ("", 1.0))[1]
            entry = {k: v for k, v in fields.items() if v is not None}
            entry["price"] = _price(item["retailPrice"], unit_count)
            problem = price_problem(dec(entry["price"]))
            if problem:
                raise InputError(f"Items[{index}]: retailPrice {item['retailPrice']!r} per {item['unitOfMeasure']}: "
                                 f"{problem}", locs[index] if index < len(locs) else Loc(path, 1, 1))
            entry["source"] = source_of(path)
            entry["as_of"] = item["effectiveStartDate"][:10]
            entry["confidence"] = entry.pop("confidence", "verified")
            derivation = entry.pop("derivation", None)
            if derivation:
                entry["derivation"] = derivation
            entry["meter"] = {k: item.get(k) for k in ("serviceName", "productName", "skuName", "meterName",
                                                      "unitOfMeasure", "armRegionName", "meterId") if item.get(k)}
            mapped = Mapped(path, index, meter, entry)
            key = tuple(sorted((k, str(v).lower()) for k, v in entry.items()
                               if k not in ("price", "source", "as_of", "confidence", "derivation", "meter")))
            previous = chosen.get(key)
            if previous is None:
                chosen[key] = mapped
                result.entries.append(mapped)
                continue
            older, newer = sorted((previous, mapped), key=lambda m: m.entry["as_of"])
            if previous.entry["price"] != mapped.entry["price"] and previous.entry["as_of"] == mapped.entry["as_of"]:
                result.warnings.append(f"{meter}: two prices with the same date ({previous.entry['price']} and "
                                       f"{mapped.entry['price']}); the first is kept")
                newer = previous
            if newer is mapped:
                result.entries[result.entries.index(previous)] = mapped
                chosen[key] = mapped
                result.skipped.append(Skipped(previous.file, previous.index, previous.meter,
                                              f"superseded by a newer price ({mapped.entry['as_of']})"))
            else:
                result.skipped.append(Skipped(path, index, meter, "duplicate of a price already imported"))
    result.currency = currency or "USD"
    return result


def _price(value: float, per: float) -> float:
    price = value / per if per != 1 else value
    return float(f"{price:.10g}")


def _source_id(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem) or "retail-prices"


def to_book(result: ImportResult, *, book: str = "imported", title: Optional[str] = None) -> dict:
    dates = [m.entry["as_of"] for m in result.entries]
    sources = []
    for path in result.files:
        used = [m.entry["as_of"] for m in result.entries if m.file == path]
        if not used:
            continue
        sources.append({
            "id": _source_id(path),
            "title": f"Azure Retail Prices API response saved as {os.path.basename(path)} "
                     f"(newest effectiveStartDate {max(used)}; fetch date not recorded in the file)",
            "path": path,
        })
    return {
        "book": book,
        "title": title or "Azure Retail Prices API import",
        "currency": result.currency,
        "as_of": max(dates) if dates else None,
        "notes": "Generated by `erdesign pricing import` from saved Azure Retail Prices API responses. "
                 "Entries are verified list prices; as_of is each meter's effectiveStartDate.",
        "sources": sources,
        "prices": [m.entry for m in result.entries],
    }


def book_yaml(book: dict, command: str = "erdesign pricing import") -> str:
    import yaml

    header = (f"# Price book generated by `{command}` (format: pricing/README.md).\n"
              "# Use it with: erdesign cost DESIGN --pricing THIS_FILE\n")
    return header + yaml.safe_dump(book, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
