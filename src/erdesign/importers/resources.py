"""What readers hand to the builder: ARM-shaped resources, their types and IDs, and
case-insensitive access to their fields in either az's flattened or the REST layout."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import Loc
from ..model import section_labels
from .jsonloc import LocDict, LocList
from .values import Unknown

# --------------------------------------------------------------------------- resource types

CIRCUIT = "microsoft.network/expressroutecircuits"
PEERING = CIRCUIT + "/peerings"
GR_CONNECTION = PEERING + "/connections"
AUTHORIZATION = CIRCUIT + "/authorizations"
PORT = "microsoft.network/expressrouteports"
GATEWAY = "microsoft.network/virtualnetworkgateways"
CONNECTION = "microsoft.network/connections"
VNET = "microsoft.network/virtualnetworks"
SUBNET = VNET + "/subnets"
VNET_PEERING = VNET + "/virtualnetworkpeerings"
ROUTE_TABLE = "microsoft.network/routetables"
ROUTE = ROUTE_TABLE + "/routes"
NSG = "microsoft.network/networksecuritygroups"
NSG_RULE = NSG + "/securityrules"
PUBLIC_IP = "microsoft.network/publicipaddresses"
ROUTE_FILTER = "microsoft.network/routefilters"
ROUTE_FILTER_RULE = ROUTE_FILTER + "/routefilterrules"

VIRTUAL_HUB = "microsoft.network/virtualhubs"
HUB_GATEWAY = "microsoft.network/expressroutegateways"
HUB_CONNECTION = HUB_GATEWAY + "/expressrouteconnections"

TOP_LEVEL = {
    CIRCUIT: "circuits", PORT: "express_route_ports", GATEWAY: "gateways", CONNECTION: "connections",
    VNET: "vnets", ROUTE_TABLE: "route_tables", NSG: "nsgs", PUBLIC_IP: "public_ips", ROUTE_FILTER: "route_filters",
    VIRTUAL_HUB: "virtual_hubs", HUB_GATEWAY: "hub_gateways",
}
CHILDREN = {PEERING, GR_CONNECTION, AUTHORIZATION, SUBNET, VNET_PEERING, ROUTE, NSG_RULE, ROUTE_FILTER_RULE,
            HUB_CONNECTION}
SUPPORTED = set(TOP_LEVEL) | CHILDREN

# The design sections the importers fill, and what messages call their objects (from the model)
IMPORTED_SECTIONS = ("circuits", "express_route_ports", "gateways", "connections", "vnets", "route_tables", "nsgs",
                     "public_ips", "route_filters", "vnet_peerings", "virtual_hubs", "hub_gateways", "hub_connections")
LABEL = {section: section_labels()[section] for section in IMPORTED_SECTIONS}

@dataclass
class RawResource:
    """One resource as a reader found it."""

    type: str  # as written, e.g. Microsoft.Network/expressRouteCircuits
    id: str  # ARM ID; placeholders such as {resourceGroup().name} where the input does not fix it
    name: str  # the last name segment
    body: Any  # LocDict in az (flattened) or REST (properties) layout
    loc: Optional[Loc]
    file: str
    source: str = "az"  # az | arm | terraform
    api_version: Optional[str] = None
    name_loc: Optional[Loc] = None
    extra: dict = field(default_factory=dict)  # reader-specific facts (e.g. Terraform address)

    @property
    def kind(self) -> str:
        return self.type.lower()


# --------------------------------------------------------------------------- IDs

@dataclass(frozen=True)
class ArmId:
    subscription: Optional[str]
    resource_group: Optional[str]
    types: tuple  # ('Microsoft.Network/virtualNetworks', 'subnets')
    names: tuple

    @property
    def type(self) -> str:
        return "/".join(self.types)

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else ""

    def parent(self) -> Optional[str]:
        if len(self.names) < 2:
            return None
        return format_id(self.subscription, self.resource_group, self.types[:-1], self.names[:-1])


def format_id(subscription, resource_group, types, names) -> str:
    provider, first = types[0].split("/", 1)
    path = f"/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{provider}/{first}/{names[0]}"
    for t, n in zip(types[1:], names[1:]):
        path += f"/{t}/{n}"
    return path


def parse_id(resource_id: str) -> Optional[ArmId]:
    """Split an ARM ID; None if it is not one."""
    if not isinstance(resource_id, str):
        return None
    parts = [p for p in resource_id.strip().split("/") if p != ""]
    lowered = [p.lower() for p in parts]
    try:
        sub = parts[lowered.index("subscriptions") + 1]
    except (ValueError, IndexError):
        sub = None
    try:
        rg = parts[lowered.index("resourcegroups") + 1]
    except (ValueError, IndexError):
        rg = None
    try:
        p = lowered.index("providers")
    except ValueError:
        return None
    rest = parts[p + 1:]
    if len(rest) < 3:
        return None
    types = [f"{rest[0]}/{rest[1]}"]
    names = [rest[2]]
    rest = rest[3:]
    while len(rest) >= 2:
        types.append(rest[0])
        names.append(rest[1])
        rest = rest[2:]
    return ArmId(sub, rg, tuple(types), tuple(names))


def id_key(resource_id: str) -> str:
    return resource_id.strip().rstrip("/").lower()


def is_placeholder(text: Optional[str]) -> bool:
    return text is None or (text.startswith("{") and text.endswith("}"))


def loose_key(aid: ArmId) -> str:
    return "|".join([aid.resource_group or "", aid.type, "/".join(aid.names)]).lower()


# --------------------------------------------------------------------------- case-insensitive access

def _ci(obj: dict, key: str):
    if key in obj:
        return key
    lowered = key.lower()
    size = len(key) if key.isascii() else -1  # ASCII text keeps its length in lower case: compare lengths first
    for k in obj:
        if isinstance(k, str) and (size < 0 or len(k) == size or not k.isascii()) and k.lower() == lowered:
            return k
    return None


def get(obj: Any, *path) -> tuple[Any, Optional[Loc]]:
    """(value, loc) at path; each key is looked up directly, then under 'properties' (REST layout)."""
    loc = getattr(obj, "loc", None)
    for key in path:
        if isinstance(key, int):
            if not isinstance(obj, list) or not 0 <= key < len(obj):
                return None, None
            loc = obj.value_loc(key) if isinstance(obj, LocList) else loc
            obj = obj[key]
            continue
        if not isinstance(obj, dict):
            return None, None
        k = _ci(obj, key)
        holder = obj
        if k is None or obj[k] is None:  # Resource Graph rows carry "sku": null beside properties.sku
            pk = _ci(obj, "properties")
            props = obj.get(pk) if pk else None
            if isinstance(props, dict):
                k = _ci(props, key)
                holder = props
            if k is None:
                k, holder = _ci(obj, key), obj
        if k is None:
            return None, None
        loc = holder.value_loc(k) if isinstance(holder, LocDict) else loc
        obj = holder[k]
    return obj, loc


def ref_id(obj: Any, *path) -> tuple[Optional[str], Optional[Loc]]:
    """A sub-resource reference: {"id": "..."} (or a bare ID string)."""
    value, loc = get(obj, *path)
    if isinstance(value, dict):
        value, loc2 = get(value, "id")
        loc = loc2 or loc
    if isinstance(value, (str, Unknown)):
        return value, loc
    return None, None


def items(obj: Any, *path) -> list[tuple[Any, Optional[Loc]]]:
    value, _ = get(obj, *path)
    if not isinstance(value, list):
        return []
    return [(v, value.value_loc(i) if isinstance(value, LocList) else None) for i, v in enumerate(value)]
