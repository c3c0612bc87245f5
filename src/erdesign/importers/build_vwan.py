"""Virtual WAN resources -> design objects: virtual hubs, their ExpressRoute gateways and the
gateways' ExpressRoute connections (REST layout or az's flattened one, as :mod:`build` reads them).

ARM shapes (Microsoft.Network REST API, virtualHubs / expressRouteGateways /
expressRouteGateways/expressRouteConnections): the hub carries ``addressPrefix``, ``virtualWan.id``
and ``sku``; the gateway ``virtualHub.id``, ``autoScaleConfiguration.bounds.min/max`` and
``allowNonVirtualWanTraffic``; a connection ``expressRouteCircuitPeering.id``, ``routingWeight``,
``enableInternetSecurity``, ``expressRouteGatewayBypass``, ``authorizationKey`` and
``routingConfiguration`` (associated and propagated route tables).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .. import model as m
from ..errors import Loc
from .objectdata import ObjectData
from .resources import HUB_CONNECTION, RawResource, format_id, get, id_key, is_placeholder, items, parse_id, ref_id
from .values import Unknown

if TYPE_CHECKING:
    from .build import Build


def _int(value):
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return value


def _bool(value):
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value



def build_virtual_hubs(b: Build, res: RawResource):
    name = b.names[id_key(res.id)]
    obj = ObjectData(b, f"virtual hub '{name}'", res.loc)
    b.common(obj, res, name)
    v, loc = get(res.body, "addressPrefix")
    obj.put("address_prefix", v or None, loc)
    wan_id, wan_loc = ref_id(res.body, "virtualWan")
    wan = parse_id(wan_id) if isinstance(wan_id, str) else None
    if wan:
        obj.put("virtual_wan", wan.name, wan_loc)
    v, loc = get(res.body, "sku")
    if isinstance(v, dict):
        v, loc = get(v, "name")
    obj.put("sku", v or None, loc)
    b.tags(obj, res)
    b.add("virtual_hubs", b.validate(m.VirtualHub, obj), obj)

def placeholder_hub(b: Build, hub_id: str, loc: Optional[Loc], user: str, *,
                    known_only_at_deployment: bool = False) -> Optional[str]:
    """A hub the inputs refer to but do not hold: a placeholder, like placeholder VNets."""
    aid = parse_id(hub_id)
    if aid is None:
        return None
    name = aid.name
    if name in b.built["virtual_hubs"]:
        return name
    obj = ObjectData(b, f"virtual hub '{name}'", loc)
    obj.put("name", name, loc)
    obj.put("description", "placeholder: known only at deployment" if known_only_at_deployment
            else f"placeholder: {hub_id} is not among the inputs", None)
    if not is_placeholder(aid.subscription):
        obj.put("subscription", aid.subscription, None)
    if not is_placeholder(aid.resource_group):
        obj.put("resource_group", aid.resource_group, None)
    if known_only_at_deployment:
        b.note("IMP004", f"{user}: its virtual hub is known only at deployment; a placeholder hub '{name}' is "
                            "used, region and address prefix unknown", loc)
    else:
        b.note("IMP004", f"{user} is in virtual hub '{name}' ({hub_id}), which is not among the inputs; a "
                            "placeholder hub is used, region and address prefix unknown", loc)
    b.add("virtual_hubs", b.validate(m.VirtualHub, obj), obj)
    return name if name in b.built["virtual_hubs"] else None

def build_hub_gateways(b: Build, res: RawResource):
    name = b.names[id_key(res.id)]
    label = f"hub ExpressRoute gateway '{name}'"
    obj = ObjectData(b, label, res.loc)
    b.common(obj, res, name)
    hub_id, hub_loc = ref_id(res.body, "virtualHub")
    hub = None
    if isinstance(hub_id, Unknown):
        # known only at deployment (e.g. another module's output): a placeholder hub, never the expression
        b.unknown(hub_id, f"virtual hub of {label}")
        hub = placeholder_hub(b, format_id(None, None, ["Microsoft.Network/virtualHubs"], [f"hub-of-{name}"]),
                                   hub_loc or res.loc, label, known_only_at_deployment=True)
        hub_id = None
    elif hub_id:
        hub = b.linked(m.HubGateway, "hub", hub_id, hub_loc, label, "virtual hub", note=False)
    if hub is None and isinstance(hub_id, str):
        hub = placeholder_hub(b, hub_id, hub_loc or res.loc, label)
    if hub is None:
        b.error(f"{label}: no virtualHub.id, so the hub it belongs to is unknown", hub_loc or res.loc)
        return
    obj.put("hub", hub, hub_loc)
    lo, lo_loc = get(res.body, "autoScaleConfiguration", "bounds", "min")
    hi, hi_loc = get(res.body, "autoScaleConfiguration", "bounds", "max")
    if isinstance(lo, Unknown) or isinstance(hi, Unknown):
        b.unknown(lo if isinstance(lo, Unknown) else hi, f"scale units of {label}")
    elif lo is not None or hi is not None:
        child = ObjectData(b, f"{label} scale units", lo_loc or hi_loc)
        child.put("min", _int(lo if lo is not None else hi), lo_loc or hi_loc)
        child.put("max", _int(hi if hi is not None else lo), hi_loc or lo_loc)
        obj.put_child("scale_units", child)
    v, loc = get(res.body, "allowNonVirtualWanTraffic")
    obj.put("allow_non_virtual_wan_traffic", _bool(v), loc, what="allowNonVirtualWanTraffic")
    instance = b.validate(m.HubGateway, obj)
    b.add("hub_gateways", instance, obj)
    if instance is None:
        return
    found: dict[str, tuple] = {}
    for body, loc in items(res.body, "expressRouteConnections"):
        cname, _ = get(body, "name")
        found[str(cname).lower()] = (body, loc)
    for kid in b.kids(res, HUB_CONNECTION):
        found[kid.name.lower()] = (kid.body, kid.loc)
    for body, loc in found.values():
        hub_connection(b, body, loc, instance.name)

def hub_connection(b: Build, body, loc: Optional[Loc], gateway: str):
    cname, cname_loc = get(body, "name")
    if not isinstance(cname, str) or not cname:
        b.error(f"hub ExpressRoute gateway '{gateway}': an ExpressRoute connection has no name", loc)
        return
    names = {c.name for c in b.sections["hub_connections"]}
    shown = cname if cname not in names else f"{cname}@{gateway}"
    label = f"hub connection '{shown}'"
    obj = ObjectData(b, label, loc)
    obj.put("name", shown, cname_loc or loc)
    obj.put("hub_gateway", gateway, loc)
    peering_id, peering_loc = ref_id(body, "expressRouteCircuitPeering")
    if isinstance(peering_id, Unknown):
        b.unknown(peering_id, f"circuit of {label}")
    elif isinstance(peering_id, str):
        aid = parse_id(peering_id)
        circuit_id = aid.parent() if aid and len(aid.names) > 1 else peering_id
        circuit = b.linked(m.HubConnection, "circuit", circuit_id, peering_loc, label, "circuit", note=False)
        if circuit is not None:
            obj.put("circuit", circuit, peering_loc)
        else:
            obj.put("circuit_outside", circuit_id, peering_loc)
    v, vloc = get(body, "routingWeight")
    obj.put("routing_weight", _int(v), vloc)
    v, vloc = get(body, "enableInternetSecurity")
    obj.put("enable_internet_security", _bool(v), vloc, what="enableInternetSecurity")
    v, vloc = get(body, "expressRouteGatewayBypass")
    obj.put("fastpath", _bool(v), vloc, what="expressRouteGatewayBypass (FastPath)")
    v, vloc = get(body, "authorizationKey")
    if isinstance(v, (str, Unknown)) and v:
        obj.put("authorization", True, vloc)
    assoc, assoc_loc = ref_id(body, "routingConfiguration", "associatedRouteTable")
    assoc_id = parse_id(assoc) if isinstance(assoc, str) else None
    if assoc_id:
        obj.put("associated_route_table", assoc_id.name, assoc_loc)
    tables = []
    for table, tloc in items(body, "routingConfiguration", "propagatedRouteTables", "ids"):
        tid, _ = ref_id(table, "id") if isinstance(table, dict) else (table, tloc)
        table_id = parse_id(tid) if isinstance(tid, str) else None
        if table_id:
            tables.append((table_id.name, tloc))
    obj.put_list("propagated_route_tables", tables)
    obj.put_list("propagated_labels", items(body, "routingConfiguration", "propagatedRouteTables", "labels"))
    b.add("hub_connections", b.validate(m.HubConnection, obj), obj)
