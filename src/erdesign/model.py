"""The erdesign design model: the one source of truth for the design format.

Every object derives from :class:`Node`, which remembers where it and each of
its fields came from (``node.loc('bandwidth')``), so that every input error and
every lint finding can point at an exact ``file:line:col``.

Objects refer to each other by name. A field that names another object says which section the
name is found in (``vnet: Annotated[str, Ref("vnets")]``); :func:`references` lists every such name
of a design, :mod:`erdesign.loader` checks that each resolves to exactly one object, the JSON
Schema marks them (``x-refers-to``) and the importers link by them.
"""
import datetime as _dt
import ipaddress
import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Iterator, Literal, NamedTuple, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .errors import Loc

FORMAT_VERSION: Literal[1] = 1


# --------------------------------------------------------------------------- value types

def _case_insensitive(*values: str):
    canonical = {v.lower(): v for v in values}

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return canonical.get(value.strip().lower(), value)
        return value

    return BeforeValidator(fix)


def _ci_literal(*values: str):
    return Annotated[Literal[values], _case_insensitive(*values)]


# No `from __future__ import annotations` here, and empty defaults made by Python functions rather than
# the list/dict builtins: pydantic then neither evaluates annotation strings nor parses a builtin's text
# signature for each of ~50 fields when the models are built (about 15 ms of every cold start).
def _empty_list() -> list:
    return []


def _empty_dict() -> dict:
    return {}


_BANDWIDTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:bps|b/s|bit/s)?\s*$", re.IGNORECASE)
_UNIT_TO_MBPS = {"": 1, "k": 0.001, "m": 1, "g": 1000, "t": 1_000_000}
_MAX_MBPS = 1_000_000_000


def parse_bandwidth(value: Any) -> int:
    """'50Mbps', '1Gbps', '1 Gbps', 1000 (Mbps) -> Mbps as int."""
    if isinstance(value, bool):
        raise PydanticCustomError("bandwidth", "expected a bandwidth such as 1Gbps or 500Mbps")
    if isinstance(value, int) and value > _MAX_MBPS:  # a sanity bound on input (a typo guard), not an Azure fact
        raise PydanticCustomError("bandwidth", "'{value}' is more than a petabit per second; not a link bandwidth",
                                  {"value": value})
    if isinstance(value, int) and value < 0:
        mbps = -1.0
    elif isinstance(value, (int, float)):
        mbps = float(value)
    elif isinstance(value, str) and (m := _BANDWIDTH_RE.match(value)):
        unit = m.group(2).lower()
        if not m.group(2) and not value.strip().replace(".", "").isdecimal():
            unit = ""
        mbps = float(m.group(1)) * _UNIT_TO_MBPS[unit]
    else:
        raise PydanticCustomError(
            "bandwidth", "'{value}' is not a bandwidth; write it like 1Gbps, 500Mbps or 1000 (Mbps)", {"value": value}
        )
    if mbps != mbps or mbps in (float("inf"), float("-inf")) or mbps <= 0 or mbps != int(mbps):
        raise PydanticCustomError("bandwidth", "'{value}' is not a whole, positive number of Mbps", {"value": value})
    if mbps > _MAX_MBPS:
        raise PydanticCustomError("bandwidth", "'{value}' is more than a petabit per second; not a link bandwidth",
                                  {"value": value})
    return int(mbps)


def format_bandwidth(mbps: Optional[int]) -> str:
    if mbps is None:
        return "unknown bandwidth"
    if mbps >= 1000 and mbps % 1000 == 0:
        return f"{mbps // 1000}Gbps"
    return f"{mbps}Mbps"


Bandwidth = Annotated[
    int,
    BeforeValidator(parse_bandwidth),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": 1, "description": "Mbps"},
            {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*([kKmMgGtT]?)([bB]ps|b/s|bit/s)?\s*$"},
        ],
        "description": "Bandwidth: 50Mbps, 1Gbps, or a number of Mbps",
    }),
]


def _check_network(value: Any, version: int | None = None) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("prefix", "expected a prefix in CIDR notation such as 192.0.2.0/30, got '{value}'", {"value": value})
    try:
        net = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise PydanticCustomError("prefix", "'{value}' is not a prefix in CIDR notation (like 192.0.2.0/30)", {"value": value}) from None
    if "/" not in value:
        raise PydanticCustomError("prefix", "'{value}' has no prefix length; write it like {value}/30", {"value": value})
    if version and net.version != version:
        raise PydanticCustomError("prefix", "'{value}' is not an IPv{version} prefix", {"value": value, "version": version})
    return value.strip()


def _check_address(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("address", "expected an IP address, got '{value}'", {"value": value})
    text = value.strip()
    address, slash, length = text.partition("/")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise PydanticCustomError("address", "'{value}' is not an IP address", {"value": value}) from None
    if slash and not (length.isascii() and length.isdecimal() and len(length) <= 3 and int(length) <= ip.max_prefixlen):
        raise PydanticCustomError("address", "'{value}' has a bad prefix length: write it like 192.0.2.1/30",
                                  {"value": value})
    return text


Prefix = Annotated[str, BeforeValidator(_check_network)]
IPv4Prefix = Annotated[str, BeforeValidator(lambda v: _check_network(v, 4))]
IPv6Prefix = Annotated[str, BeforeValidator(lambda v: _check_network(v, 6))]
IPAddress = Annotated[str, BeforeValidator(_check_address)]
Asn = Annotated[int, Field(ge=0, le=4294967295)]
# Upper bounds are sanity limits on input (a typo guard), not Azure facts: a zettabyte a month
# is far beyond any circuit, and a trillion of any currency beyond any fee.
Money = Annotated[float, Field(ge=0, le=1e12)]
Volume = Annotated[float, Field(ge=0, le=1e12, description="GB per month")]


# --------------------------------------------------------------------------- base node

class Suppression(BaseModel):
    """Accept a finding on this object on purpose; a reason is required."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    rule: str = Field(description="Rule ID or prefix, e.g. BGP001 or RES")
    reason: Optional[str] = Field(default=None, description="Required: a suppression without one is reported (SUP003)")
    expires: Optional[_dt.date] = None
    _loc: Optional[Loc] = PrivateAttr(default=None)


# --------------------------------------------------------------------------- references between objects

@dataclass(frozen=True)
class Ref:
    """Marks a field that names another object: ``vnet: Annotated[str, Ref("vnets")]``.

    ``section`` is the Design list the name is looked up in ("routers": the routers of every site)."""

    section: str

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["x-refers-to"] = self.section
        return schema


class Node(BaseModel):
    """Base of every design object: strict keys, and a memory of source locations."""

    # defer_build: a design is validated through Design, whose validator covers every object; building a
    # validator per class at import as well would cost every cold start ~10 ms for nothing.
    model_config = ConfigDict(extra="forbid", validate_assignment=False, defer_build=True)

    _path: tuple = PrivateAttr(default=())
    _locs: dict = PrivateAttr(default_factory=_empty_dict)
    _unknown: dict = PrivateAttr(default_factory=_empty_dict)  # field -> Unknown: set by the input, known only at deployment

    def loc(self, *sub) -> Optional[Loc]:
        """Location of this object, or of one of its fields/items: loc('peer_asn'), loc('address_space', 1),
        or of a field of a child object: loc('sku', 'tier')."""
        if len(sub) > 1 and isinstance(sub[0], str) and sub[0] in type(self).model_fields:
            child = getattr(self, sub[0])
            if isinstance(child, list) and isinstance(sub[1], int) and 0 <= sub[1] < len(child):
                child, rest = child[sub[1]], sub[2:]
            else:
                rest = sub[1:]
            if isinstance(child, Node) and rest and (found := child._locs.get(tuple(rest))) is not None:
                return found
        while True:
            found = self._locs.get(tuple(sub))
            if found is not None or not sub:
                return found
            sub = sub[:-1]

    def is_unknown(self, field: str) -> bool:
        """Whether the input sets `field` to a value known only at deployment (the field then holds its
        default or None): unknown, which is not the same as absent."""
        return field in self._unknown

    def unknown_value(self, field: str):
        """The importer's Unknown for `field` (what it is, where it is written, why), or None."""
        return self._unknown.get(field)

    def owner_part(self, field: str) -> str:
        """How this object is named inside its parent in messages: the field it is in, by default."""
        return field

    def set_loc(self, loc: Optional[Loc], *sub) -> None:
        if loc is not None:
            self._locs[tuple(sub)] = loc

    @property
    def path(self) -> str:
        return format_path(self._path)

    def field_path(self, *sub) -> str:
        return format_path(self._path + tuple(sub))


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class Named(Node):
    label: ClassVar[str] = "object"  # what messages call one of these: "circuit", "VNet", ...

    name: str = Field(min_length=1)
    description: Optional[str] = None
    suppress: list[Suppression] = Field(default_factory=_empty_list, description="Findings accepted on purpose")

    def owner_part(self, field: str) -> str:
        return f"{self.label} '{self.name}'"


# --------------------------------------------------------------------------- on-premises

class RouterInterface(Node):
    name: str
    ip: Optional[IPAddress] = Field(default=None, description="Address on this (sub)interface, with or without /len")
    s_tag: Optional[int] = Field(default=None, ge=0, le=4095, description="Outer (service) VLAN tag, Q-in-Q")
    vlan_id: Optional[int] = Field(default=None, ge=0, le=4095, description="Inner (customer) VLAN tag")
    description: Optional[str] = None
    # customer edge (router-config, RTR rules)
    parent: Optional[str] = Field(default=None, description="Parent (physical) interface of this sub-interface or "
                                  "unit, e.g. TenGigabitEthernet0/0/0 or xe-0/0/0 (default: the name before the dot)")
    vrf: Optional[str] = Field(default=None, description="VRF / routing instance of this interface (default: the router's)")


ROUTER_PLATFORMS = ("ios-xe", "junos", "eos")


class Router(Named):
    label: ClassVar[str] = "router"
    asn: Optional[Asn] = None
    vendor: Optional[str] = None
    platform: Optional[str] = Field(
        default=None, json_schema_extra={"examples": list(ROUTER_PLATFORMS)},
        description="Configuration dialect: ios-xe, junos or eos (`erdesign router-config` and the RTR checks use it; "
                    "other text is kept as a note)")
    interfaces: list[RouterInterface] = Field(default_factory=_empty_list)
    # customer edge (router-config, RTR rules)
    vrf: Optional[str] = Field(default=None, description="VRF / routing instance of the ExpressRoute sub-interfaces "
                               "and BGP sessions (omit for the global table)")
    config_file: Optional[str] = Field(default=None, description="The router's configuration, relative to the design "
                                       "file; `erdesign lint` checks it against the design (RTR rules)")


class Site(Named):
    label: ClassVar[str] = "site"
    kind: _ci_literal("datacenter", "colocation", "office", "pop") = "datacenter"  # type: ignore[valid-type]
    city: Optional[str] = None
    routers: list[Router] = Field(default_factory=_empty_list)
    advertised_prefixes: list[Prefix] = Field(default_factory=_empty_list, description="Prefixes this site advertises to Azure")
    advertised_prefix_count: Optional[int] = Field(default=None, ge=0, description="Use where a list is impractical")


# --------------------------------------------------------------------------- carriers / exchanges

class VirtualCircuit(Named):
    """A carrier layer-2 virtual circuit (VXC, Fabric connection) towards one MSEE link."""
    label: ClassVar[str] = "virtual circuit"

    circuit: Annotated[str, Ref("circuits")] = Field(description="ExpressRoute circuit this virtual circuit carries")
    link: _ci_literal("primary", "secondary") = "primary"  # type: ignore[valid-type]
    bandwidth: Optional[Bandwidth] = None
    s_tag: Optional[int] = Field(default=None, ge=0, le=4095)
    monthly_fee: Optional[Money] = Field(default=None, description="Quoted monthly fee (overrides the typical price)")
    one_time_fee: Optional[Money] = None
    currency: str = "USD"


class CrossConnect(Named):
    label: ClassVar[str] = "cross-connect"
    site: Annotated[Optional[str], Ref("sites")] = None
    count: int = Field(default=1, ge=1, le=10_000)  # sanity bound on input, not an Azure fact
    monthly_fee: Optional[Money] = Field(default=None, description="Quoted monthly fee per cross-connect")
    one_time_fee: Optional[Money] = Field(default=None, description="Quoted one-time fee per cross-connect")
    currency: str = "USD"


class Provider(Named):
    label: ClassVar[str] = "provider"
    kind: _ci_literal("cloud_exchange", "carrier", "direct") = "cloud_exchange"  # type: ignore[valid-type]
    virtual_circuits: list[VirtualCircuit] = Field(default_factory=_empty_list)
    cross_connects: list[CrossConnect] = Field(default_factory=_empty_list)


# --------------------------------------------------------------------------- circuits

PEERING_TYPES = ("AzurePrivatePeering", "MicrosoftPeering", "AzurePublicPeering")


class PeeringLink(Node):
    """Which on-prem router terminates one link of a peering."""

    router: Annotated[Optional[str], Ref("routers")] = None
    interface: Optional[str] = None
    ip: Optional[IPAddress] = Field(default=None, description="Router's address on the link (must be the first usable)")
    ipv6: Optional[IPAddress] = None
    s_tag: Optional[int] = Field(default=None, ge=0, le=4095)


class Ipv6PeeringConfig(Node):
    prefix: Optional[IPv6Prefix] = Field(default=None, description="A /125 split into two /126")
    primary_prefix: Optional[IPv6Prefix] = None
    secondary_prefix: Optional[IPv6Prefix] = None
    advertised_prefixes: list[IPv6Prefix] = Field(default_factory=_empty_list)
    advertised_prefix_count: Optional[int] = Field(default=None, ge=0)


class Peering(Node):
    def owner_part(self, field: str) -> str:
        return f"peering {self.type}"

    type: _ci_literal(*PEERING_TYPES) = "AzurePrivatePeering"  # type: ignore[valid-type]
    peer_asn: Optional[Asn] = None
    azure_asn: Optional[Asn] = Field(default=None, description="Microsoft side, 12076 (as az shows it)")
    prefix: Optional[IPv4Prefix] = Field(default=None, description="A /29 split into two /30")
    primary_prefix: Optional[IPv4Prefix] = None
    secondary_prefix: Optional[IPv4Prefix] = None
    vlan_id: Optional[int] = None
    md5: bool = Field(default=False, description="An MD5 key is set (never put the key itself here)")
    bfd: Optional[bool] = None
    state: _ci_literal("Enabled", "Disabled") = "Enabled"  # type: ignore[valid-type]
    primary_link: Optional[PeeringLink] = None
    secondary_link: Optional[PeeringLink] = None
    advertised_prefixes: list[IPv4Prefix] = Field(default_factory=_empty_list)
    advertised_prefix_count: Optional[int] = Field(default=None, ge=0)
    ipv6: Optional[Ipv6PeeringConfig] = None
    route_filter: Annotated[Optional[str], Ref("route_filters")] = None
    advertised_public_prefixes: list[Prefix] = Field(default_factory=_empty_list, description="Microsoft peering")
    customer_asn: Optional[Asn] = Field(default=None, description="Microsoft peering")
    routing_registry: Optional[str] = None

    @model_validator(mode="after")
    def _one_addressing_style(self):
        if self.prefix and (self.primary_prefix or self.secondary_prefix):
            raise PydanticCustomError(
                "peering_prefix", "give either prefix (a /29) or primary_prefix and secondary_prefix, not both"
            )
        return self

    def link_prefixes(self) -> tuple[Optional[str], Optional[str]]:
        """(primary, secondary) IPv4 link prefixes, splitting a whole /29 if that is what was given."""
        if self.prefix:
            net = ipaddress.ip_network(self.prefix, strict=False)
            if net.prefixlen == 29:
                a, b = net.subnets(new_prefix=30)
                return str(a), str(b)
            return self.prefix, None
        return self.primary_prefix, self.secondary_prefix

    def link_prefixes_v6(self) -> tuple[Optional[str], Optional[str]]:
        if not self.ipv6:
            return None, None
        if self.ipv6.prefix:
            net = ipaddress.ip_network(self.ipv6.prefix, strict=False)
            if net.prefixlen == 125:
                a, b = net.subnets(new_prefix=126)
                return str(a), str(b)
            return self.ipv6.prefix, None
        return self.ipv6.primary_prefix, self.ipv6.secondary_prefix


class CircuitSku(Node):
    tier: _ci_literal("Local", "Standard", "Premium") = "Standard"  # type: ignore[valid-type]
    family: _ci_literal("MeteredData", "UnlimitedData") = "MeteredData"  # type: ignore[valid-type]
    name: Optional[str] = Field(default=None, description="ARM sku.name, e.g. Standard_MeteredData (imports); must agree with tier and family")

    @model_validator(mode="before")
    @classmethod
    def _tier_and_family_from_name(cls, data: Any) -> Any:
        """`sku: {name: Premium_MeteredData}` alone means that tier and family (as ARM reads it)."""
        if isinstance(data, dict) and isinstance(data.get("name"), str) and not ("tier" in data and "family" in data):
            tier, _, family = data["name"].strip().partition("_")
            tiers, families = ("Local", "Standard", "Premium"), ("MeteredData", "UnlimitedData")
            if tier.lower() not in {t.lower() for t in tiers} or family.lower() not in {f.lower() for f in families}:
                raise PydanticCustomError(
                    "sku_name", "sku.name '{name}' is not <tier>_<family> (tier {tiers}; family {families})",
                    {"name": data["name"], "tiers": "/".join(tiers), "families": "/".join(families)})
            data = dict(data)
            data.setdefault("tier", tier)
            data.setdefault("family", family)
        return data


class GlobalReachLink(Node):
    name: Optional[str] = None
    peer_circuit: Annotated[str, Ref("circuits")]
    address_prefix: Optional[IPv4Prefix] = Field(default=None, description="/29 not used in Azure or on-prem")
    address_prefix_v6: Optional[IPv6Prefix] = None


class Authorization(Node):
    name: str
    used_by: Optional[str] = Field(default=None, description="Connection that redeems it")


def _bandwidth_required(schema: dict) -> None:
    schema.setdefault("required", [])
    if "bandwidth" not in schema["required"]:
        schema["required"].append("bandwidth")
    schema["properties"]["bandwidth"].pop("default", None)


class Circuit(Named):
    label: ClassVar[str] = "circuit"
    model_config = ConfigDict(json_schema_extra=_bandwidth_required)

    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = Field(default=None, description="Azure region of the circuit resource")
    peering_location: Optional[str] = None
    provider: Optional[str] = Field(default=None, description="Connectivity provider, as Azure names it")
    express_route_port: Annotated[Optional[str], Ref("express_route_ports")] = Field(default=None, description="ExpressRoute Direct port pair (instead of a provider)")
    express_route_port_outside: Optional[str] = Field(
        default=None, description="ARM ID of the circuit's ExpressRoute Direct port when the port is not in the design")
    bandwidth: Optional[Bandwidth] = Field(default=None, validate_default=True,
                                           description="Required; only an imported value known at deployment is left unset")
    sku: CircuitSku = Field(default_factory=CircuitSku)
    peerings: list[Peering] = Field(default_factory=_empty_list)
    global_reach: list[GlobalReachLink] = Field(default_factory=_empty_list)
    authorizations: list[Authorization] = Field(default_factory=_empty_list)
    provisioning_state: Optional[str] = Field(default=None, description="serviceProviderProvisioningState, from a live estate")
    s_tag: Optional[int] = Field(default=None, ge=0, le=4095, description="Azure-assigned S-tag (stag)")
    tags: dict[str, str] = Field(default_factory=_empty_dict)
    rate_limiting: Optional[bool] = Field(default=None, description="ExpressRoute Direct: rate limiting enabled on this circuit")

    @field_validator("bandwidth")
    @classmethod
    def _offered(cls, mbps: Optional[int], info) -> Optional[int]:
        from .data import table

        if mbps is None:
            if "bandwidth" in ((info.context or {}).get("unknown_fields") or ()):
                return None  # an importer found it unknown (e.g. a template parameter without a value)
            raise PydanticCustomError("missing", "Field required")
        bw = table("bandwidths")
        if info.data.get("express_route_port") or info.data.get("express_route_port_outside"):
            offered = sorted({v for vs in bw["direct_circuit_mbps_by_port"].values() if isinstance(vs, list) for v in vs})
        else:
            offered = bw["provider_circuit_mbps"]["values"]
        if mbps not in offered:
            raise PydanticCustomError(
                "bandwidth_offered",
                "{given} is not an offered bandwidth ({offered})",
                {"given": format_bandwidth(mbps), "offered": ", ".join(format_bandwidth(v) for v in offered)},
            )
        return mbps

    @model_validator(mode="after")
    def _provider_or_port(self):
        if self.provider and (self.express_route_port or self.express_route_port_outside):
            raise PydanticCustomError(
                "circuit_kind", "a circuit has either a provider or an express_route_port (ExpressRoute Direct), not both"
            )
        return self

    @property
    def is_direct(self) -> bool:
        return bool(self.express_route_port or self.express_route_port_outside)

    def peering(self, peering_type: str) -> Optional[Peering]:
        return next((p for p in self.peerings if p.type == peering_type), None)


class PortLink(Node):
    """One of the two links of an ExpressRoute Direct port pair (link1, link2)."""

    name: str
    admin_state: Optional[_ci_literal("Enabled", "Disabled")] = None  # type: ignore[valid-type]
    macsec_cipher: Optional[str] = None
    macsec_sci_state: Optional[_ci_literal("Enabled", "Disabled")] = None  # type: ignore[valid-type]


class ExpressRoutePort(Named):
    label: ClassVar[str] = "ExpressRoute Direct port"
    model_config = ConfigDict(json_schema_extra=_bandwidth_required)

    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = None
    peering_location: Optional[str] = None
    bandwidth: Optional[Bandwidth] = Field(default=None, validate_default=True,
                                           description="Port speed: 10Gbps, 100Gbps or 400Gbps. Required; only an "
                                                       "imported value known at deployment is left unset")
    encapsulation: _ci_literal("Dot1Q", "QinQ") = "QinQ"  # type: ignore[valid-type]
    billing_type: _ci_literal("MeteredData", "UnlimitedData") = "MeteredData"  # type: ignore[valid-type]
    links: list[PortLink] = Field(default_factory=_empty_list, description="The port pair's links and their settings")

    @field_validator("bandwidth")
    @classmethod
    def _offered(cls, mbps: Optional[int], info) -> Optional[int]:
        from .data import table

        if mbps is None:
            if "bandwidth" in ((info.context or {}).get("unknown_fields") or ()):
                return None  # an importer found it unknown
            raise PydanticCustomError("missing", "Field required")
        offered = table("bandwidths")["direct_port_mbps"]["values"]
        if mbps not in offered:
            raise PydanticCustomError(
                "bandwidth_offered",
                "{given} is not an offered ExpressRoute Direct port speed ({offered})",
                {"given": format_bandwidth(mbps), "offered": ", ".join(format_bandwidth(v) for v in offered)},
            )
        return mbps


# --------------------------------------------------------------------------- Azure networking

class Subnet(Node):
    label: ClassVar[str] = "subnet"

    def owner_part(self, field: str) -> str:
        return f"subnet '{self.name}'"

    name: str
    prefix: Optional[Prefix] = None
    prefixes: list[Prefix] = Field(default_factory=_empty_list, description="Extra prefixes (dual-stack)")
    route_table: Annotated[Optional[str], Ref("route_tables")] = None
    nsg: Annotated[Optional[str], Ref("nsgs")] = None
    private_endpoints: int = Field(default=0, ge=0)
    load_balancer_sku: Optional[_ci_literal("Basic", "Standard", "Gateway")] = None  # type: ignore[valid-type]
    service_endpoint_policy: bool = False
    suppress: list[Suppression] = Field(default_factory=_empty_list)

    def all_prefixes(self) -> list[str]:
        return ([self.prefix] if self.prefix else []) + list(self.prefixes)


class VNet(Named):
    label: ClassVar[str] = "VNet"
    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = None
    address_space: list[Prefix] = Field(default_factory=_empty_list)
    subnets: list[Subnet] = Field(default_factory=_empty_list)
    dns_servers: list[IPAddress] = Field(default_factory=_empty_list)
    summarized_gateway_prefixes: list[Prefix] = Field(default_factory=_empty_list)
    tags: dict[str, str] = Field(default_factory=_empty_dict)

    def subnet(self, name: str) -> Optional[Subnet]:
        return next((s for s in self.subnets if s.name == name), None)

    @property
    def gateway_subnet(self) -> Optional[Subnet]:
        return next((s for s in self.subnets if s.name.lower() == "gatewaysubnet"), None)


class Route(Node):
    name: str
    prefix: str = Field(description="Destination prefix or service tag")
    next_hop_type: _ci_literal("VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None") = "VirtualAppliance"  # type: ignore[valid-type]
    next_hop_ip: Optional[IPAddress] = None


class RouteTable(Named):
    label: ClassVar[str] = "route table"
    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = None
    bgp_route_propagation: bool = True
    routes: list[Route] = Field(default_factory=_empty_list)


class NsgRule(Node):
    name: str
    direction: _ci_literal("Inbound", "Outbound") = "Inbound"  # type: ignore[valid-type]
    access: _ci_literal("Allow", "Deny") = "Allow"  # type: ignore[valid-type]
    priority: Optional[int] = Field(default=None, ge=100, le=4096)
    protocol: str = "*"
    source: str = "*"
    destination: str = "*"
    destination_ports: str = "*"


class Nsg(Named):
    label: ClassVar[str] = "NSG"
    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = None
    rules: list[NsgRule] = Field(default_factory=_empty_list)


class PublicIp(Named):
    label: ClassVar[str] = "public IP"
    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = None
    sku: _ci_literal("Basic", "Standard") = "Standard"  # type: ignore[valid-type]
    allocation: _ci_literal("Static", "Dynamic") = "Static"  # type: ignore[valid-type]
    zones: list[str] = Field(
        default_factory=_empty_list,
        json_schema_extra={"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        description='Availability zones, e.g. ["1", "2", "3"] or [1, 2, 3]',
    )

    @field_validator("zones", mode="before")
    @classmethod
    def _zones_as_text(cls, v):
        return [str(z) for z in v] if isinstance(v, list) else v


class RouteFilter(Named):
    label: ClassVar[str] = "route filter"
    region: Optional[str] = None
    communities: list[str] = Field(default_factory=_empty_list)


class ScaleUnits(Node):
    # sanity bounds on input (typo guard); the ErGwScale range itself is checked by GW012 from rules/data
    min: int = Field(ge=1, le=1000)
    max: int = Field(ge=1, le=1000)

    @model_validator(mode="after")
    def _ordered(self):
        if self.max < self.min:
            raise PydanticCustomError("scale_units", "max ({max}) is smaller than min ({min})", {"max": self.max, "min": self.min})
        return self


UNKNOWN_MARKER = "unknown"  # in a design file, a required value the imported input did not give (loader)


def _sku_required(schema: dict) -> None:
    schema.setdefault("required", [])
    if "sku" not in schema["required"]:
        schema["required"].append("sku")
    schema["properties"]["sku"].pop("default", None)


class Gateway(Named):
    label: ClassVar[str] = "gateway"
    model_config = ConfigDict(json_schema_extra=_sku_required)

    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    vnet: Annotated[str, Ref("vnets")]
    region: Optional[str] = Field(default=None, description="Defaults to the VNet's region")
    type: _ci_literal("ExpressRoute", "Vpn") = "ExpressRoute"  # type: ignore[valid-type]
    sku: Optional[str] = Field(default=None, validate_default=True,
                               description="e.g. ErGw1AZ, ErGwScale, Standard; VpnGw2AZ for a VPN gateway. Required; "
                                           "only an imported gateway whose input gives no SKU is left unset")
    scale_units: Optional[ScaleUnits] = Field(default=None, description="ErGwScale only")
    public_ip: Annotated[Optional[str], Ref("public_ips")] = None
    vpn_type: Optional[_ci_literal("RouteBased", "PolicyBased")] = None  # type: ignore[valid-type]
    active_active: Optional[bool] = None
    asn: Optional[Asn] = Field(default=None, description="BGP ASN (VPN gateways)")
    maintenance_configuration: Optional[bool] = None

    @field_validator("sku")
    @classmethod
    def _sku_given(cls, sku: Optional[str], info) -> Optional[str]:
        if sku is None and "sku" not in ((info.context or {}).get("unknown_fields") or ()):
            raise PydanticCustomError("missing", "Field required")
        return sku


class Connection(Named):
    label: ClassVar[str] = "connection"
    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    gateway: Annotated[str, Ref("gateways")]
    circuit: Annotated[Optional[str], Ref("circuits")] = None
    type: _ci_literal("ExpressRoute", "IPsec", "Vnet2Vnet") = "ExpressRoute"  # type: ignore[valid-type]
    routing_weight: int = 0
    fastpath: bool = False
    authorization: Optional[str] = None
    ipsec_over_expressroute: bool = Field(default=False, description="IPsec tunnel carried over private peering")


class VNetPeering(Named):
    label: ClassVar[str] = "VNet peering"
    vnet: Annotated[str, Ref("vnets")]
    remote_vnet: Annotated[str, Ref("vnets")]
    allow_virtual_network_access: bool = True
    allow_forwarded_traffic: bool = False
    allow_gateway_transit: bool = False
    use_remote_gateways: bool = False
    state: Optional[str] = Field(default=None, description="peeringState from a live estate")


# --------------------------------------------------------------------------- Virtual WAN (issue 10)

class VirtualHub(Named):
    """A Virtual WAN hub (Microsoft.Network/virtualHubs): Microsoft runs the hub's VNet and its gateways."""
    label: ClassVar[str] = "virtual hub"

    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = None
    address_prefix: Optional[IPv4Prefix] = Field(default=None, description="The hub's own address space (a /24 or larger)")
    virtual_wan: Optional[str] = Field(default=None, description="Name of the Virtual WAN the hub belongs to")
    sku: Optional[_ci_literal("Basic", "Standard")] = None  # type: ignore[valid-type]
    tags: dict[str, str] = Field(default_factory=_empty_dict)


class HubGateway(Named):
    """A Virtual WAN hub's ExpressRoute gateway (Microsoft.Network/expressRouteGateways)."""
    label: ClassVar[str] = "hub ExpressRoute gateway"

    subscription: Optional[str] = None
    resource_group: Optional[str] = None
    region: Optional[str] = Field(default=None, description="Defaults to the hub's region")
    hub: Annotated[str, Ref("virtual_hubs")] = Field(description="Virtual hub the gateway is deployed in")
    scale_units: Optional[ScaleUnits] = Field(default=None, description="Autoscale bounds (min = max for a fixed size)")
    allow_non_virtual_wan_traffic: Optional[bool] = Field(
        default=None, description="Accept traffic from circuits whose other VNets are outside Virtual WAN")


class HubConnection(Named):
    """An ExpressRoute connection of a hub gateway to a circuit's private peering
    (Microsoft.Network/expressRouteGateways/expressRouteConnections)."""
    label: ClassVar[str] = "hub connection"

    hub_gateway: Annotated[str, Ref("hub_gateways")]
    circuit: Annotated[Optional[str], Ref("circuits")] = None
    circuit_outside: Optional[str] = Field(default=None, description="Circuit ID when the circuit is not in the design")
    routing_weight: int = Field(default=0, ge=0, le=32000)
    enable_internet_security: Optional[bool] = None
    fastpath: bool = False
    authorization: bool = Field(default=False, description="Redeems an authorization key (circuit in another subscription)")
    associated_route_table: Optional[str] = None
    propagated_route_tables: list[str] = Field(default_factory=_empty_list)
    propagated_labels: list[str] = Field(default_factory=_empty_list)


# --------------------------------------------------------------------------- traffic (for costing)

class CircuitTraffic(Node):
    circuit: Annotated[str, Ref("circuits")]
    egress_gb_month: Volume = Field(default=0, description="Azure -> on-prem, GB per month")
    ingress_gb_month: Volume = Field(default=0, description="on-prem -> Azure (free), GB per month")


class PeeringTraffic(Node):
    vnet_peering: Annotated[str, Ref("vnet_peerings")]
    outbound_gb_month: Volume = Field(default=0, description="Leaving the peering's own VNet, GB per month")
    inbound_gb_month: Volume = Field(default=0, description="Entering the peering's own VNet, GB per month")


class GlobalReachTraffic(Node):
    circuit: Annotated[str, Ref("circuits")]
    peer_circuit: Annotated[str, Ref("circuits")]
    gb_month: Volume = Field(default=0, description="Each direction summed, GB per month")


class VpnTraffic(Node):
    gateway: Annotated[str, Ref("gateways")]
    egress_gb_month: Volume = 0


class TrafficScenario(Node):
    """A usage scenario (low, high, growth...): the base traffic scaled and grown, with the volumes it
    lists replacing the base ones of the same object. `erdesign cost --scenario NAME|all` prices it."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="e.g. low, high, growth")
    # the bounds are sanity limits on input (a typo guard), not Azure facts
    scale: float = Field(default=1, ge=0, le=1e6, description="Every base volume × this (1 = as given)")
    growth_pct_month: float = Field(default=0, ge=-100, le=1000,
                                    description="Compound growth of every volume per month, in percent, over the "
                                                "TCO horizon (the first month is the base)")
    circuits: list[CircuitTraffic] = Field(default_factory=_empty_list)
    vnet_peerings: list[PeeringTraffic] = Field(default_factory=_empty_list)
    global_reach: list[GlobalReachTraffic] = Field(default_factory=_empty_list)
    vpn: list[VpnTraffic] = Field(default_factory=_empty_list)


class Traffic(Node):
    circuits: list[CircuitTraffic] = Field(default_factory=_empty_list)
    vnet_peerings: list[PeeringTraffic] = Field(default_factory=_empty_list)
    global_reach: list[GlobalReachTraffic] = Field(default_factory=_empty_list)
    vpn: list[VpnTraffic] = Field(default_factory=_empty_list)
    scenarios: list[TrafficScenario] = Field(default_factory=_empty_list,
                                             description="Usage scenarios besides the base traffic above (issue 15)")


# --------------------------------------------------------------------------- monitoring (declared intent)

class Alert(Node):
    name: Optional[str] = Field(default=None, description="Name of the alert rule")
    resource: str = Field(description="Name of the circuit, gateway or ExpressRoute Direct port the alert watches")
    metric: Optional[str] = Field(default=None, description="e.g. BgpAvailability, ArpAvailability, ExpressRouteGatewayCpuUtilization")


class Monitoring(Node):
    """What the design promises to monitor; MON rules check that it covers every circuit, gateway and port."""

    alerts: list[Alert] = Field(default_factory=_empty_list, description="Alert rules, each on one circuit, gateway or Direct port")
    service_health_alerts: Optional[bool] = Field(default=None, description="Service Health alerts for ExpressRoute maintenance")


# --------------------------------------------------------------------------- the design

class Design(Node):
    """An ExpressRoute deployment: sites, carriers, circuits, VNets, gateways, connections, peerings."""

    model_config = ConfigDict(extra="forbid", title="erdesign design")

    version: Literal[1] = FORMAT_VERSION
    name: Optional[str] = None
    description: Optional[str] = None
    sites: list[Site] = Field(default_factory=_empty_list)
    providers: list[Provider] = Field(default_factory=_empty_list)
    express_route_ports: list[ExpressRoutePort] = Field(default_factory=_empty_list)
    circuits: list[Circuit] = Field(default_factory=_empty_list)
    vnets: list[VNet] = Field(default_factory=_empty_list)
    route_tables: list[RouteTable] = Field(default_factory=_empty_list)
    nsgs: list[Nsg] = Field(default_factory=_empty_list)
    public_ips: list[PublicIp] = Field(default_factory=_empty_list)
    route_filters: list[RouteFilter] = Field(default_factory=_empty_list)
    gateways: list[Gateway] = Field(default_factory=_empty_list)
    connections: list[Connection] = Field(default_factory=_empty_list)
    vnet_peerings: list[VNetPeering] = Field(default_factory=_empty_list)
    virtual_hubs: list[VirtualHub] = Field(default_factory=_empty_list)
    hub_gateways: list[HubGateway] = Field(default_factory=_empty_list)
    hub_connections: list[HubConnection] = Field(default_factory=_empty_list)
    traffic: Traffic = Field(default_factory=Traffic)
    # ---- design discovery (issue 12)
    include: list[str] = Field(
        default_factory=_empty_list,
        description="Other files (paths, folders or glob patterns relative to this file) that are parts of "
                    "this design; naming any part lints the whole design.",
        examples=[["circuits.yaml", "vnets/*.yaml"]],
    )
    monitoring: Optional[Monitoring] = Field(default=None, description="Declared monitoring; when present, MON rules check its coverage")

    _sources: dict = PrivateAttr(default_factory=_empty_dict)  # file -> text, for inline suppressions
    _notes: list = PrivateAttr(default_factory=_empty_list)  # importer notes (unknown values, skipped resources)
    _outside_references: dict = PrivateAttr(default_factory=_empty_dict)  # circuit name -> what refers to it from outside the design
    _index: dict = PrivateAttr(default_factory=_empty_dict)
    _router_configs: list = PrivateAttr(default_factory=_empty_list)  # parsed router configurations (erdesign.edge)
    _live: list = PrivateAttr(default_factory=_empty_list)  # live-state views read next to the design (erdesign.live)

    # ---- lookups (valid after loader.resolve)
    def _lookup(self, kind: str, name: Optional[str]):
        if name is None:
            return None
        return self._index.get(kind, {}).get(name)

    def circuit(self, name):
        return self._lookup("circuits", name)

    def vnet(self, name):
        return self._lookup("vnets", name)

    def gateway(self, name):
        return self._lookup("gateways", name)

    def router(self, name):
        return self._lookup("routers", name)

    def site(self, name):
        return self._lookup("sites", name)

    def public_ip(self, name):
        return self._lookup("public_ips", name)

    def route_table(self, name):
        return self._lookup("route_tables", name)

    def nsg(self, name):
        return self._lookup("nsgs", name)

    def port(self, name):
        return self._lookup("express_route_ports", name)

    def route_filter(self, name):
        return self._lookup("route_filters", name)

    def vnet_peering(self, name):
        return self._lookup("vnet_peerings", name)

    def virtual_hub(self, name):
        return self._lookup("virtual_hubs", name)

    def hub_gateway(self, name):
        return self._lookup("hub_gateways", name)

    def hub_connections_of_circuit(self, circuit_name: str) -> list[HubConnection]:
        return [c for c in self.hub_connections if c.circuit == circuit_name]

    def hub_gateway_region(self, gw: HubGateway) -> Optional[str]:
        if gw.region:
            return gw.region
        hub = self.virtual_hub(gw.hub)
        return hub.region if hub else None

    @property
    def routers(self) -> list[Router]:
        return [r for s in self.sites for r in s.routers]

    def gateway_of_vnet(self, vnet_name: str, gateway_type: str = "ExpressRoute") -> Optional[Gateway]:
        return next((g for g in self.gateways if g.vnet == vnet_name and g.type == gateway_type), None)

    def connections_of_gateway(self, gateway_name: str) -> list[Connection]:
        return [c for c in self.connections if c.gateway == gateway_name]

    def connections_of_circuit(self, circuit_name: str) -> list[Connection]:
        return [c for c in self.connections if c.circuit == circuit_name]

    def peerings_of_vnet(self, vnet_name: str) -> list[VNetPeering]:
        return [p for p in self.vnet_peerings if p.vnet == vnet_name]

    def gateway_region(self, gw: Gateway) -> Optional[str]:
        if gw.region:
            return gw.region
        vnet = self.vnet(gw.vnet)
        return vnet.region if vnet else None

    def iter_nodes(self):
        """Every Node in the design, depth first, in file order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            children: list[Node] = []
            for name in type(node).model_fields:
                value = getattr(node, name)
                if isinstance(value, Node):
                    children.append(value)
                elif isinstance(value, list):
                    children.extend(v for v in value if isinstance(v, Node))
            stack.extend(reversed(children))


# --------------------------------------------------------------------------- the object graph

@cache
def reference_fields(cls: type[BaseModel]) -> dict[str, str]:
    """{field: section} of the fields of `cls` that name another object (declared with :class:`Ref`)."""
    return {name: meta.section for name, field in cls.model_fields.items()
            for meta in field.metadata if isinstance(meta, Ref)}


@cache
def _node_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` that may hold design objects (the others need no walking)."""
    import typing

    def holds_node(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, Node):
            return True
        return any(holds_node(arg) for arg in typing.get_args(annotation))

    return tuple(name for name, field in cls.model_fields.items() if holds_node(field.annotation))


@cache
def section_labels() -> dict[str, str]:
    """What messages call an object of each Design section (and of "routers"); read-only."""
    labels = {"routers": Router.label}
    for section in Design.model_fields:
        item = list_item_class(Design.model_fields[section].annotation)
        if item is not None and issubclass(item, Named):
            labels[section] = item.label
    return labels


def list_item_class(annotation: Any) -> Optional[type]:
    """`X` for a `list[X]` annotation, else None."""
    import typing

    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return item if isinstance(item, type) else None
    return None


class Reference(NamedTuple):
    """One name in a design that refers to another object: ``owner.<field>`` names an object of ``section``."""

    owner: Node
    field: str
    section: str
    name: Optional[str]
    chain: tuple  # (field, index or None, node) from the design down to the owner

    def owner_text(self) -> str:
        """The owner as messages name it: "gateway 'gw1' public_ip", "circuit 'c1' peering
        AzurePrivatePeering primary_link", "VNet 'hub' subnet 'app'", "traffic.circuits entry"."""
        (section, _, top), *inner = self.chain
        if section == "traffic":
            return f"traffic.{inner[0][0]} entry"
        if not inner:
            return f"{top.owner_part(section)} {self.field}"
        return " ".join([top.owner_part(section)] + [node.owner_part(field) for field, _, node in inner])


def references(design: Design) -> list[Reference]:
    """Every reference of the design, depth first in the order of the design's sections and lists."""
    found: list[Reference] = []
    stack: list[tuple[Node, tuple]] = [(design, ())]
    while stack:
        node, chain = stack.pop()
        cls = type(node)
        for field, section in reference_fields(cls).items():
            found.append(Reference(node, field, section, getattr(node, field), chain))
        children: list[tuple[Node, tuple]] = []
        for name in _node_fields(cls):
            value = getattr(node, name)
            if isinstance(value, Node):
                children.append((value, chain + ((name, None, value),)))
            elif isinstance(value, list):
                children.extend((item, chain + ((name, i, item),)) for i, item in enumerate(value)
                                if isinstance(item, Node))
        stack.extend(reversed(children))
    return found


@cache
def object_kinds() -> frozenset[str]:
    """What a rule may apply to: the kinds of object a design holds, named after the fields that hold
    them in the singular ("circuit", "peering", "global_reach"), and nested kinds also with their
    parent's ("router_interface", "circuit_sku")."""
    import typing

    def node_classes(annotation: Any) -> Iterator[type[Node]]:
        if isinstance(annotation, type) and issubclass(annotation, Node):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from node_classes(arg)

    kinds: set[str] = set()
    todo: list[tuple[type[Node], str]] = [(Design, "")]
    seen: set[type[Node]] = set()
    while todo:
        cls, parent = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, field in cls.model_fields.items():
            for child in node_classes(field.annotation):
                plural = typing.get_origin(field.annotation) is list and name.endswith("s")
                kind = name[:-1] if plural else name
                kinds.add(kind)
                if parent:
                    kinds.add(f"{parent}_{kind}")
                todo.append((child, kind))
    return frozenset(kinds)
