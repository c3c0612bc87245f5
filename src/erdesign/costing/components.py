"""The price components: each one declared once, with everything that reads it.

A component is one kind of charge (a circuit's port fee, a gateway's hours, VNet peering data,
...). Its declaration says

- ``key``: the name price books, cost lines and the JSON/CSV outputs use (``circuit_port``);
- ``label``: what a price-book entry for it prices (``erdesign pricing show``, the book schema);
- ``units`` / ``required``: the units an entry may be per, and the dimensions it must set;
- ``noun``: how a left-out line is counted ('4 port fees ... unpriced');
- ``chart``: its name in the cost chart (by default the key);
- ``retail``: how a Retail Prices API meter maps to a book entry for it (None: no meter is mapped).

:data:`COMPONENTS` (declaration order: the order of the summaries), ``book`` (entry validation),
``report`` (nouns), ``plot`` (chart labels), ``retail.map_item`` (meters) and the pricer (through the
constants below) read these declarations; adding a component is one :class:`Component` here plus the
pricer code that produces its lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .zones import zone_name

# --------------------------------------------------------------------------- Retail Prices meters


@dataclass(frozen=True)
class Meter:
    """One Retail Prices item, trimmed: what the mappings look at."""

    service: str
    product: str
    name: str  # meterName
    sku: str
    region: str  # armRegionName (or location)
    unit: str  # hour | month | GB

    @property
    def text(self) -> str:
        return f"{self.product} {self.name}".lower()


# A mapping returns None (not a meter of this component), (entry fields, "") or (None, why a meter of
# this component cannot be used).
Mapping = Callable[[Meter], Optional[tuple[Optional[dict], str]]]


@dataclass(frozen=True)
class RetailMapping:
    service: str  # serviceName of the meters
    match: Mapping


_CIRCUIT = re.compile(r"^(Standard|Premium) (Metered|Unlimited) Data (\d+(?:\.\d+)?) ?([MG]bps) Circuit$", re.I)
_LOCAL = re.compile(r"^Local (\d+(?:\.\d+)?) ?([MG]bps) Circuit$", re.I)
_SKU_BW = re.compile(r"^(\d+(?:\.\d+)?) ?([MG]bps)\b", re.I)
_BW_ANY = re.compile(r"(\d+(?:\.\d+)?) ?([MG]bps)\b", re.I)
_PORT = re.compile(r"(\d+) ?Gbps", re.I)
_EGRESS_METERS = ("metered data - data transfer out", "unlimited data - data transfer out")

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


def _bandwidth(number: str, unit: str) -> str:
    value = float(number)
    text = f"{int(value)}" if value == int(value) else f"{value}"
    return f"{text}{unit[0].upper()}bps"


def _is_zone(text: str) -> bool:
    return "zone" in (text or "").lower()


def _zone_of(region: str) -> Optional[str]:
    return zone_name(region) if _is_zone(region) else None


def _by_name(what: str, meter: str) -> dict:
    return {"confidence": "estimate", "derivation": _BY_NAME.format(what=what, meter=meter)}


def _er_gateway(meter: Meter):
    sku = ER_GATEWAY_METERS.get(meter.name.lower())
    if sku and "gateway" in meter.product.lower() and meter.unit == "hour":
        return {"component": "er_gateway", "sku": sku, "region": meter.region or None, "unit": "hour"}, ""
    return None


def _circuit_port(meter: Meter):
    if meter.unit != "month":
        return None
    found = _CIRCUIT.match(meter.name)
    local = _LOCAL.match(meter.name)
    if not (found or local):
        return None
    if not meter.region:
        return None, "circuit meter without a zone (armRegionName)"
    if found:
        return {"component": "circuit_port", "tier": found.group(1).title(), "plan": f"{found.group(2).title()}Data",
                "bandwidth": _bandwidth(found.group(3), found.group(4)), "zone": zone_name(meter.region),
                "unit": "month"}, ""
    assert local is not None
    return {"component": "circuit_port", "tier": "Local", "plan": "UnlimitedData",
            "bandwidth": _bandwidth(local.group(1), local.group(2)), "zone": zone_name(meter.region), "unit": "month"}, ""


def _circuit_egress(meter: Meter):
    if meter.name.lower() not in _EGRESS_METERS or meter.unit != "GB":
        return None
    if not meter.region:
        return None, "data-transfer meter without a zone (armRegionName)"
    entry = {"component": "circuit_egress",
             "plan": "MeteredData" if meter.name.lower().startswith("metered") else "UnlimitedData",
             "zone": zone_name(meter.region), "unit": "GB"}
    bw = _SKU_BW.match(meter.sku)
    if bw:
        entry["bandwidth"] = _bandwidth(bw.group(1), bw.group(2))
    return entry, ""


def _claimed_by_circuit_or_gateway(meter: Meter) -> bool:
    return any(match(meter) is not None for match in (_er_gateway, _circuit_port, _circuit_egress))


def _global_reach_meter(meter: Meter) -> bool:
    return "global reach" in meter.text and not _claimed_by_circuit_or_gateway(meter)


def _direct_meter(meter: Meter) -> bool:
    """An ExpressRoute Direct meter (one that names Global Reach is Global Reach's)."""
    return "direct" in meter.text and "global reach" not in meter.text and not _claimed_by_circuit_or_gateway(meter)


def _global_reach_data(meter: Meter):
    if not _global_reach_meter(meter) or meter.unit != "GB":
        return None
    low = meter.name.lower()
    direction = next((d for word, d in _DIRECTION if word in low), None)
    if direction is None:
        return None, "Global Reach data meter whose name says neither egress nor ingress"
    if not _is_zone(meter.region):
        return None, "Global Reach data meter without a zone (armRegionName)"
    return {"component": "global_reach_data", "direction": direction, "zone": zone_name(meter.region), "unit": "GB",
            **_by_name("Global Reach", meter.name)}, ""


def _global_reach_addon(meter: Meter):
    if not _global_reach_meter(meter) or meter.unit != "month":
        return None
    entry = {"component": "global_reach_addon", "zone": _zone_of(meter.region), "unit": "month",
             **_by_name("Global Reach", meter.name)}
    bw = _BW_ANY.search(meter.name) or _BW_ANY.search(meter.sku)
    if bw:
        entry["bandwidth"] = _bandwidth(bw.group(1), bw.group(2))
    return entry, ""


def _direct_premium_addon(meter: Meter):
    if not _direct_meter(meter) or meter.unit != "month" or "premium" not in meter.text:
        return None
    entry = {"component": "direct_premium_addon", "zone": _zone_of(meter.region), "unit": "month",
             **_by_name("ExpressRoute Direct", meter.name)}
    bw = _BW_ANY.search(meter.name) or _BW_ANY.search(meter.sku)
    if bw:
        entry["bandwidth"] = _bandwidth(bw.group(1), bw.group(2))
    return entry, ""


def _direct_port_pair(meter: Meter):
    """ExpressRoute Direct: the port pair per month, by port speed and plan."""
    if not _direct_meter(meter) or meter.unit != "month" or "premium" in meter.text:
        return None
    speed = _PORT.search(meter.name) or _PORT.search(meter.sku)
    if "port" not in meter.text or not speed:
        return None, "ExpressRoute Direct meter that names no port speed"
    entry: dict[str, Any] = {"component": "direct_port_pair", "port_bandwidth": f"{speed.group(1)}Gbps",
                             "zone": _zone_of(meter.region), "unit": "month", **_by_name("ExpressRoute Direct", meter.name)}
    if "unlimited" in meter.text:
        entry["plan"] = "UnlimitedData"
    elif "metered" in meter.text:
        entry["plan"] = "MeteredData"
    return entry, ""


def _vpn_gateway(meter: Meter):
    sku = VPN_GATEWAY_METERS.get(meter.name.lower())
    if sku and meter.unit == "hour":
        return {"component": "vpn_gateway", "sku": sku, "region": meter.region or None, "unit": "hour"}, ""
    return None


def _peering_direction(meter: Meter) -> Optional[str]:
    low = meter.name.lower()
    return "ingress" if low.endswith("ingress") else ("egress" if low.endswith("egress") else None)


def _vnet_peering(meter: Meter):
    direction = _peering_direction(meter)
    if not direction or meter.unit != "GB":
        return None
    region = meter.region
    if meter.product == "Virtual Network Peering" and meter.name.lower().startswith("intra-region"):
        entry: dict[str, Any] = {"component": "vnet_peering", "scope": "intra_region", "direction": direction,
                                 "unit": "GB"}
        if region and region.lower() != "global" and not _is_zone(region):
            entry["region"] = region
        return entry, ""
    if meter.product == "Global Virtual Network Peering" and meter.name.lower().startswith("inter-region"):
        entry = {"component": "vnet_peering", "scope": "global", "direction": direction, "unit": "GB"}
        if _is_zone(region):
            entry["zone"] = zone_name(region)
        elif region:
            entry["region"] = region
        else:
            return None, "global peering meter without a region"
        return entry, ""
    return None


def _public_ip(meter: Meter):
    if meter.product != "IP Addresses" or meter.unit != "hour":
        return None
    sku = PUBLIC_IP_METERS.get(meter.name.lower())
    if sku:
        return {"component": "public_ip", "sku": sku, "region": meter.region or None, "unit": "hour"}, ""
    return None, "public IP meter that erdesign does not price (dynamic, global or IPv6 addresses)"


# Why a meter of a priced service is not mapped when no component's mapping claims it (first match wins).
UNMAPPED_METERS: list[tuple[str, Callable[[Meter], bool], str]] = [
    ("ExpressRoute", lambda meter: "global reach" in meter.text,
     "Global Reach meter that is neither per GB nor per month"),
    ("ExpressRoute", lambda meter: "direct" in meter.text,
     "ExpressRoute Direct meter that is not per month (erdesign prices port pairs and the Premium add-on)"),
    ("ExpressRoute", lambda meter: True, "ExpressRoute meter that erdesign does not price"),
    ("VPN Gateway", lambda meter: True, "VPN Gateway meter that erdesign does not price (tunnels, add-ons, data)"),
    ("Virtual Network", lambda meter: True, "Virtual Network meter that erdesign does not price"),
]


# --------------------------------------------------------------------------- the components


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    units: tuple[str, ...]
    required: tuple[str, ...]
    noun: tuple[str, str]
    chart: str = ""
    retail: Optional[RetailMapping] = None


CIRCUIT_PORT = Component(
    "circuit_port", "ExpressRoute circuit port fee (per circuit and month)", ("month",), ("tier",),
    ("port fee", "port fees"), "circuit ports", RetailMapping("ExpressRoute", _circuit_port))
CIRCUIT_EGRESS = Component(
    "circuit_egress", "outbound data over a circuit", ("GB",), ("plan",),
    ("outbound data charge", "outbound data charges"), "outbound data", RetailMapping("ExpressRoute", _circuit_egress))
DIRECT_PORT_PAIR = Component(
    "direct_port_pair", "ExpressRoute Direct port pair", ("month",), ("port_bandwidth",),
    ("Direct port pair fee", "Direct port pair fees"), "Direct ports", RetailMapping("ExpressRoute", _direct_port_pair))
DIRECT_PREMIUM_ADDON = Component(
    "direct_premium_addon", "Premium add-on of a circuit on ExpressRoute Direct", ("month",), (),
    ("Premium add-on fee", "Premium add-on fees"), "Premium add-on", RetailMapping("ExpressRoute", _direct_premium_addon))
ER_GATEWAY = Component(
    "er_gateway", "ExpressRoute gateway (per hour; ErGwScale per scale unit)", ("hour",), ("sku",),
    ("gateway fee", "gateway fees"), "ExpressRoute gateways", RetailMapping("ExpressRoute", _er_gateway))
VPN_GATEWAY = Component(
    "vpn_gateway", "VPN gateway (per hour)", ("hour",), ("sku",),
    ("VPN gateway fee", "VPN gateway fees"), "VPN gateways", RetailMapping("VPN Gateway", _vpn_gateway))
VPN_DATA = Component(
    "vpn_data", "VPN outbound data over the internet", ("GB",), (),
    ("VPN data charge", "VPN data charges"), "VPN data")
VNET_PEERING = Component(
    "vnet_peering", "VNet peering data", ("GB",), ("scope", "direction"),
    ("VNet peering data charge", "VNet peering data charges"), "VNet peering",
    RetailMapping("Virtual Network", _vnet_peering))
GLOBAL_REACH_DATA = Component(
    "global_reach_data", "Global Reach data", ("GB",), ("direction",),
    ("Global Reach data charge", "Global Reach data charges"), "Global Reach data",
    RetailMapping("ExpressRoute", _global_reach_data))
GLOBAL_REACH_ADDON = Component(
    "global_reach_addon", "Global Reach add-on (per circuit with Global Reach, per month)", ("month",), (),
    ("Global Reach add-on fee", "Global Reach add-on fees"), "", RetailMapping("ExpressRoute", _global_reach_addon))
PUBLIC_IP = Component(
    "public_ip", "public IP address of a gateway (per hour)", ("hour",), ("sku",),
    ("public IP fee", "public IP fees"), "", RetailMapping("Virtual Network", _public_ip))
CARRIER_VIRTUAL_CIRCUIT = Component(
    "carrier_virtual_circuit", "carrier layer-2 virtual circuit", ("month", "one-time"), (),
    ("virtual circuit fee", "virtual circuit fees"), "carrier virtual circuits")
CROSS_CONNECT = Component(
    "cross_connect", "colocation cross-connect", ("month", "one-time"), (),
    ("cross-connect fee", "cross-connect fees"), "cross-connects")
VWAN_ER_SCALE_UNIT = Component(
    "vwan_er_scale_unit", "Virtual WAN hub ExpressRoute gateway scale unit", ("hour",), (),
    ("vwan_er_scale_unit line", "vwan_er_scale_unit lines"))
VWAN_ER_CONNECTION = Component(
    "vwan_er_connection", "Virtual WAN ExpressRoute connection unit", ("hour",), (),
    ("vwan_er_connection line", "vwan_er_connection lines"))
VWAN_HUB = Component(
    "vwan_hub", "Virtual WAN hub deployment", ("hour",), ("sku",),
    ("vwan_hub line", "vwan_hub lines"))

COMPONENTS: dict[str, Component] = {c.key: c for c in (
    CIRCUIT_PORT, CIRCUIT_EGRESS, DIRECT_PORT_PAIR, DIRECT_PREMIUM_ADDON, ER_GATEWAY, VPN_GATEWAY, VPN_DATA,
    VNET_PEERING, GLOBAL_REACH_DATA, GLOBAL_REACH_ADDON, PUBLIC_IP, CARRIER_VIRTUAL_CIRCUIT, CROSS_CONNECT,
    VWAN_ER_SCALE_UNIT, VWAN_ER_CONNECTION, VWAN_HUB)}


def noun(component: str, one_time: bool = False) -> tuple[str, str]:
    """(one, many) for counting lines of `component`; carrier fees say whether they are the one-time fee."""
    found = COMPONENTS.get(component)
    one, many = found.noun if found else (f"{component} line", f"{component} lines")
    if one_time and "one-time" in (found.units if found else ()):
        one, many = one.replace(" fee", " one-time fee"), many.replace(" fees", " one-time fees")
    return one, many


def chart_label(component: str) -> str:
    found = COMPONENTS.get(component)
    return (found.chart if found else "") or component


def map_meter(meter: Meter) -> tuple[Optional[dict], str]:
    """The book entry fields for a Retail Prices meter, or (None, why it is not mapped)."""
    for component in COMPONENTS.values():
        if component.retail is not None and component.retail.service == meter.service:
            found = component.retail.match(meter)
            if found is not None:
                return found
    for service, applies, reason in UNMAPPED_METERS:
        if service == meter.service and applies(meter):
            return None, reason
    return None, f"service {meter.service!r} is not part of an ExpressRoute design's cost"


def unpriced_summary(lines: list) -> str:
    """'4 port fees, 2 Global Reach data charges unpriced' ('' when there is none)."""
    order = list(COMPONENTS)
    counts: dict[tuple[str, str], int] = {}
    for line in sorted(lines, key=lambda line: (order.index(line.component) if line.component in order else len(order),
                                                    line.is_one_time)):
        counts[line.noun()] = counts.get(line.noun(), 0) + 1
    if not counts:
        return ""
    return ", ".join(f"{n} {one if n == 1 else many}" for (one, many), n in counts.items()) + " unpriced"
