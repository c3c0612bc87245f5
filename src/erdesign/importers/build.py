"""ARM-shaped resources -> design model objects, with source locations.

Every reader (az CLI dumps, ARM templates, Terraform plans) produces
:class:`RawResource` records whose ``body`` is the resource as ARM shapes it:
either az's flattened layout (``peerAsn`` at the top) or the REST layout
(``properties.peerAsn``); keys are matched case-insensitively, as ARM does.
Values are located (:mod:`jsonloc`) and may be :class:`Unknown`.

:func:`build_design` links resources by ARM ID (case-insensitive, across
subscriptions and resource groups), names them (``name@resource-group`` when
two share a name), creates placeholder VNets for references that leave the
inputs, validates each object through the pydantic model (a bad resource is
dropped with a located error, the rest still load) and records importer notes.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Optional, TypeVar

from pydantic import BaseModel, ValidationError

from .. import model as m
from ..errors import InputError, Loc
from .jsonloc import LocList
from .objectdata import ObjectData
from .resources import (AUTHORIZATION, format_id, CHILDREN, CIRCUIT, CONNECTION, GATEWAY, GR_CONNECTION, LABEL, NSG, NSG_RULE,
                        PEERING, PORT, PUBLIC_IP, ROUTE, ROUTE_FILTER, ROUTE_FILTER_RULE, ROUTE_TABLE, SUBNET,
                        SUPPORTED, TOP_LEVEL, VNET, VNET_PEERING, HUB_CONNECTION, HUB_GATEWAY, VIRTUAL_HUB, ArmId, RawResource, get, id_key, is_placeholder,
                        items, loose_key, parse_id, ref_id)
from . import build_vwan
from .values import Unknown

# --------------------------------------------------------------------------- normalisation

def region_name(value: str) -> str:
    from .. import facts

    try:
        found = facts.region(value)
    except (FileNotFoundError, OSError):
        found = None
    return found["name"] if found else value


def peering_location_name(value: str) -> str:
    """The canonical spelling of a peering location; a Direct port location name (e.g.
    'Equinix-Amsterdam-AM5') is kept as Azure wrote it, since it names the facility too."""
    from .. import facts

    try:
        found = facts.peering_location(value)
    except (FileNotFoundError, OSError):
        found = None
    if not found or found.get("port_location"):
        return value
    return found["name"]


_EXPRESSION_IN_NAME = re.compile(r"\{[^{}]*\([^{}]*\)[^{}]*\}")  # {parameters('x')} left in a name


def has_expression(name: str) -> bool:
    return bool(_EXPRESSION_IN_NAME.search(name))


def readable_name(name: str, noun: str, taken) -> str:
    """'contoso-pip-{uniqueString(...)}' -> 'contoso-pip-unknown'; a name that is all expression -> '<noun>-1';
    a number is added until `taken(candidate)` is false."""
    base = _EXPRESSION_IN_NAME.sub("unknown", name)
    if not base.replace("unknown", "").strip("-_./ "):
        base = noun
    candidate, n = base, 1
    while taken(candidate) or candidate == noun:
        n += 1 if candidate != noun else 0
        candidate = f"{base}-{n}"
    return candidate


def peering_type_name(value) -> Optional[str]:
    """The model's peering type for what an input writes (any case), or None if it is none of them."""
    if not isinstance(value, str):
        return None
    return next((t for t in m.PEERING_TYPES if t.lower() == value.strip().lower()), None)


def _str(value) -> Any:
    if value is None or isinstance(value, (str, Unknown)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _int(value) -> Any:
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return value


def _bool(value) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


# --------------------------------------------------------------------------- the build

ModelT = TypeVar("ModelT", bound=BaseModel)

class Build:
    """Turns RawResources into one Design."""

    def __init__(self, resources: list[RawResource]):
        from ..engine.finding import Finding

        self._Finding = Finding
        self.resources = resources
        self.notes: list = []
        self.errors: list[InputError] = []
        self._unknowns: dict = {}
        self.by_id: dict[str, RawResource] = {}
        self.loose: dict[str, list[RawResource]] = {}
        self.children: dict[str, list[RawResource]] = {}
        self.skipped: dict[tuple, list[RawResource]] = {}
        self.names: dict[str, str] = {}  # id key -> model name
        self.built: dict[str, set] = {k: set() for k in LABEL}  # section -> names that validated
        self.outside_references: dict[str, list[str]] = {}  # circuit name -> what refers to it from outside
        self.stub_vnets: dict[str, dict] = {}  # id key -> {id, loc, prefixes, gateway_subnet, reasons}
        self.sections: dict[str, list] = {k: [] for k in LABEL}
        self.section_unknowns: dict[str, list] = {}
        self.section_locs: dict[str, list] = {k: [] for k in LABEL}

    # ---- notes
    def note(self, rule: str, message: str, loc: Optional[Loc], resource: str = "", evidence=None):
        self.notes.append(self._Finding(rule=rule, message=message, loc=loc, resource=resource,
                                        evidence=evidence or []))

    def unknown(self, value: Unknown, what: str):
        key = (value.rule, value.text, value.loc, value.why)
        self._unknowns.setdefault(key, []).append(what)

    def _unknown_notes(self):
        for (rule, text, loc, why), whats in self._unknowns.items():
            seen = list(dict.fromkeys(whats))
            shown = ", ".join(seen[:6]) + (f" and {len(seen) - 6} more" if len(seen) > 6 else "")
            if rule == "IMP002":
                message = f"{text} was not evaluated ({why}): left unset: {shown}"
            else:
                message = f"{text} is unknown at design time ({why}): left unset: {shown}"
            self.note(rule, message, loc)

    def error(self, message: str, loc: Optional[Loc]):
        self.errors.append(InputError(message, loc))

    # ---- indexing
    def index(self):
        for res in self.resources:
            kind = res.kind
            if kind not in SUPPORTED:
                self.skipped.setdefault((res.file, res.type), []).append(res)
                continue
            key = id_key(res.id)
            if kind in CHILDREN:
                parent = parse_id(res.id)
                parent_id = parent.parent() if parent else None
                if parent_id is None:
                    self.error(f"{res.type} '{res.name}' has no parent in its ID '{res.id}'", res.loc)
                    continue
                self.children.setdefault(id_key(parent_id), []).append(res)
                self.by_id.setdefault(key, res)
                continue
            if key in self.by_id:
                continue  # the same resource from another dump (e.g. vnet list and vnet show)
            self.by_id[key] = res
            aid = parse_id(res.id)
            if aid:
                self.loose.setdefault(loose_key(aid), []).append(res)

    def lookup(self, resource_id: Optional[str]) -> Optional[RawResource]:
        if not isinstance(resource_id, str):
            return None
        found = self.by_id.get(id_key(resource_id))
        if found is not None:
            return found
        aid = parse_id(resource_id)
        if aid is None:
            return None
        candidates = self.loose.get(loose_key(aid), [])
        if len(candidates) == 1:
            other = parse_id(candidates[0].id)
            if is_placeholder(aid.subscription) or is_placeholder(other.subscription if other else None):
                return candidates[0]
        return None

    def kids(self, res: RawResource, kind: str) -> list[RawResource]:
        return [c for c in self.children.get(id_key(res.id), []) if c.kind == kind]

    # ---- naming
    def assign_names(self):
        groups: dict[tuple, list[tuple[str, ArmId, Optional[Loc], str]]] = {}
        for key, res in self.by_id.items():
            section = TOP_LEVEL.get(res.kind)
            if section is None:
                continue
            aid = parse_id(res.id)
            groups.setdefault((section, res.name.lower()), []).append((key, aid, res.name_loc or res.loc, res.name))
        for key, stub in self.stub_vnets.items():
            aid = parse_id(stub["id"])
            groups.setdefault(("vnets", aid.name.lower()), []).append((key, aid, stub["loc"], aid.name))
        taken = {(section, m[3].lower()) for (section, _), members in groups.items() for m in members}
        for (section, _), members in list(groups.items()):
            for i, (key, aid, loc, name) in enumerate(members):
                if has_expression(name):  # known only at deployment: never the expression as a name
                    readable = readable_name(name, LABEL[section].lower().replace(" ", "-"),
                                             lambda n, s=section: (s, n.lower()) in taken)
                    taken.add((section, readable.lower()))
                    self.unknown(Unknown(name, loc, "the name is known only at deployment"),
                                 f"name of {LABEL[section]} '{readable}'")
                    members[i] = (key, aid, loc, readable)
        for (section, _), members in groups.items():
            if len(members) == 1:
                key, aid, loc, name = members[0]
                self.names[key] = name
                continue
            labels = {}
            for key, aid, _loc, name in members:
                labels[key] = f"{name}@{aid.resource_group}" if aid and aid.resource_group else name
            if len({v.lower() for v in labels.values()}) < len(labels):
                for key, aid, _loc, name in members:
                    labels[key] = f"{name}@{aid.subscription}/{aid.resource_group}" if aid else name
            seen: set[str] = set()
            for key in labels:  # still the same (IDs that differ only where a template has expressions): number them
                label, n = labels[key], 1
                while labels[key].lower() in seen:
                    n += 1
                    labels[key] = f"{label}-{n}"
                seen.add(labels[key].lower())
            for key, aid, loc, name in members:
                self.names[key] = labels[key]
                others = len(members) - 1
                self.note("IMP007", f"{LABEL[section]} '{name}' in resource group '{aid.resource_group if aid else '?'}' "
                                    f"is called '{labels[key]}' in the design: {others} other {LABEL[section]}"
                                    f"{'s' if others > 1 else ''} in the inputs share{'' if others > 1 else 's'} its name",
                          loc)

    def name_of(self, resource_id: Optional[str]) -> Optional[str]:
        res = self.lookup(resource_id)
        if res is not None:
            return self.names.get(id_key(res.id))
        if isinstance(resource_id, str):
            return self.names.get(id_key(resource_id))
        return None

    # ---- common fields
    def common(self, obj: ObjectData, res: RawResource, name: str, *, region: bool = True):
        obj.put("name", name, res.name_loc or res.loc)
        if name != res.name:
            obj.put("description", f"Azure name '{res.name}', ID {res.id}", None)
        aid = parse_id(res.id)
        sub, rg = (aid.subscription, aid.resource_group) if aid else (None, None)
        az_rg, az_rg_loc = get(res.body, "resourceGroup")
        if not is_placeholder(sub):
            obj.put("subscription", sub, None)
        if isinstance(az_rg, str) and az_rg:
            obj.put("resource_group", az_rg, az_rg_loc)
        elif not is_placeholder(rg):
            obj.put("resource_group", rg, None)
        if region:
            location, loc = get(res.body, "location")
            if isinstance(location, str):
                location = region_name(location)
            obj.put("region", location, loc)

    def tags(self, obj: ObjectData, res: RawResource):
        tags, loc = get(res.body, "tags")
        if isinstance(tags, dict):
            clean = {str(k): _str(v) for k, v in tags.items() if isinstance(v, (str, int, float, bool))}
            if clean:
                obj.put("tags", clean, loc)

    def linked(self, model: type[m.Node], field: str, resource_id, loc: Optional[Loc], owner: str, what: str,
               *, note: bool = True) -> Optional[str]:
        """Model name of the object `resource_id` names for the reference `model.field` (declared with
        model.Ref), if that object was built, else None (with an IMP004 note)."""
        section = m.reference_fields(model)[field]
        if isinstance(resource_id, Unknown):
            self.unknown(resource_id, f"{what} of {owner}")
            return None
        if not isinstance(resource_id, str) or not resource_id:
            return None
        name = self.name_of(resource_id)
        if name is not None and name in self.built[section]:
            return name
        if note:
            target = self.lookup(resource_id)
            if target is not None and name is not None:
                why = "could not be imported (see the error above)"
            else:
                why = "is not among the inputs"
            aid = parse_id(resource_id)
            shown = aid.name if aid else resource_id
            self.note("IMP004", f"{owner} refers to {LABEL[section]} '{shown}' ({resource_id}), which {why}; "
                                f"the {what} is left out", loc)
        return None

    # ---- validation
    def validate(self, cls: type[ModelT], obj: ObjectData) -> Optional[ModelT]:
        from ..validation import validation_message

        unknown = {path[0] for path in obj.unknown_fields if len(path) == 1}
        try:
            return cls.model_validate(obj.data, context={"unknown_fields": unknown})
        except ValidationError as exc:
            err = exc.errors()[0]
            path = tuple(err["loc"])
            field_text = m.format_path(path)
            if err["type"] == "missing":
                unknown = obj.unknown_fields.get(path)
                if unknown is not None:
                    message = f"{obj.label}: {field_text} is unknown: {unknown.text} ({unknown.why})"
                    where = unknown.loc or _nearest(obj.locs, path)
                else:
                    source = _SOURCE_NAMES.get((cls.__name__, path[-1]), path[-1])
                    message = f"{obj.label}: required property {source} is missing (the design's {field_text})"
                    where = _nearest(obj.locs, path[:-1])
            else:
                message = f"{obj.label}: {field_text}: {validation_message(err)}"
                where = _nearest(obj.locs, path)
            self.error(message, where)
            return None

    def add(self, section: str, instance: Optional[BaseModel], obj: ObjectData):
        if instance is None:
            return
        self.sections[section].append(instance)
        self.section_locs[section].append(obj.locs)
        self.section_unknowns.setdefault(section, []).append(obj.unknown_fields)
        self.built[section].add(instance.name)

    # ---- per type
    def deployment_notes(self):
        """Template resources deployed only under a condition known at deployment, or whose name is known only
        then: imported, and said so (never named after the expression)."""
        for res in self.resources:
            if res.kind not in SUPPORTED:
                continue
            condition = res.extra.get("condition")
            if condition is not None:
                self.note("IMP009", f"{res.type} '{res.name}' is deployed only if {condition.text}, which is known "
                                    f"only at deployment ({condition.why}); it is linted as if deployed",
                          condition.loc or res.loc)
            unknown_name = res.extra.get("unknown_name")
            if unknown_name is not None:
                self.unknown(unknown_name, f"name of {res.type} '{res.name}' (called by its symbolic name here)")

    def build_all(self):
        self.deployment_notes()
        self.index()
        self.collect_stubs()
        self.assign_names()
        order = [PORT, ROUTE_FILTER, CIRCUIT, ROUTE_TABLE, NSG, PUBLIC_IP, VNET, VIRTUAL_HUB]
        tops = [r for r in self.by_id.values() if r.kind in TOP_LEVEL]
        for kind in order:
            for res in tops:
                if res.kind == kind:
                    self.guarded(res, getattr(self, "build_" + TOP_LEVEL[kind]))
        self.build_stub_vnets()
        for kind in (GATEWAY, CONNECTION, HUB_GATEWAY):
            for res in tops:
                if res.kind == kind:
                    self.guarded(res, getattr(self, "build_" + TOP_LEVEL[kind]))
        self.build_vnet_peerings()
        self.find_outside_references()
        self.orphans()
        self.skip_notes()
        self._unknown_notes()

    def guarded(self, res: RawResource, build) -> None:
        """Build one resource; a value of a shape no check here expected is a located error, not a crash."""
        try:
            build(res)
        except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
            self.error(f"{res.type} '{res.name}': a value has an unexpected shape ({type(exc).__name__}: {exc}); "
                       "if this is unedited az/ARM/Terraform output, please report it", res.loc)

    def build_express_route_ports(self, res: RawResource):
        name = self.names[id_key(res.id)]
        obj = ObjectData(self, f"ExpressRoute Direct port '{name}'", res.loc)
        self.common(obj, res, name)
        v, loc = get(res.body, "peeringLocation")
        obj.put("peering_location", peering_location_name(v) if isinstance(v, str) else v, loc)
        v, loc = get(res.body, "bandwidthInGbps")
        obj.put("bandwidth", _gbps(v), loc)
        v, loc = get(res.body, "encapsulation")
        obj.put("encapsulation", v, loc)
        v, loc = get(res.body, "billingType")
        obj.put("billing_type", v, loc)
        for _i, (link, link_loc) in enumerate(items(res.body, "links")):
            child = ObjectData(self, f"{obj.label} link", link_loc)
            for field_name, path in (("name", ("name",)), ("admin_state", ("adminState",)),
                                     ("macsec_cipher", ("macSecConfig", "cipher")),
                                     ("macsec_sci_state", ("macSecConfig", "sciState"))):
                v, vloc = get(link, *path)
                child.put(field_name, v or None, vloc, what=path[-1])
            if child.data.get("name"):
                obj.put_child("links", child, len(obj.data.get("links", [])))
        self.add("express_route_ports", self.validate(m.ExpressRoutePort, obj), obj)

    def build_route_filters(self, res: RawResource):
        name = self.names[id_key(res.id)]
        obj = ObjectData(self, f"route filter '{name}'", res.loc)
        self.common(obj, res, name)
        obj.data.pop("subscription", None)
        obj.data.pop("resource_group", None)
        communities: list = []
        rules = items(res.body, "rules") + [(k.body, k.loc) for k in self.kids(res, ROUTE_FILTER_RULE)]
        for rule, _ in rules:
            for value, loc in items(rule, "communities"):
                communities.append((value, loc))
        obj.put_list("communities", communities)
        self.add("route_filters", self.validate(m.RouteFilter, obj), obj)

    def build_circuits(self, res: RawResource):
        name = self.names[id_key(res.id)]
        label = f"circuit '{name}'"
        obj = ObjectData(self, label, res.loc)
        self.common(obj, res, name)
        port_id, port_loc = ref_id(res.body, "expressRoutePort")
        port = self.linked(m.Circuit, "express_route_port", port_id, port_loc, label, "ExpressRoute Direct port", note=False)
        obj.put("express_route_port", port, port_loc)
        if port is None and isinstance(port_id, str) and port_id:
            # a Direct circuit whose port is not among the inputs: still Direct, on a port we don't know
            obj.put("express_route_port_outside", port_id, port_loc)
            shown = parse_id(port_id).name if parse_id(port_id) else port_id
            self.note("IMP004", f"{label} is on ExpressRoute Direct port '{shown}' ({port_id}), which is not among the "
                                "inputs: it is linted and priced as a Direct circuit on an unknown port", port_loc)
        v, loc = get(res.body, "serviceProviderProperties", "peeringLocation")
        obj.put("peering_location", peering_location_name(v) if isinstance(v, str) else v, loc)
        v, loc = get(res.body, "serviceProviderProperties", "serviceProviderName")
        obj.put("provider", v, loc)
        mbps, mbps_loc = get(res.body, "serviceProviderProperties", "bandwidthInMbps")
        gbps, gbps_loc = get(res.body, "bandwidthInGbps")
        if gbps is not None and (mbps is None or port_id):
            obj.put("bandwidth", _gbps(gbps), gbps_loc)
        else:
            obj.put("bandwidth", _int(mbps), mbps_loc)
        self.circuit_sku(obj, res)
        v, loc = get(res.body, "serviceProviderProvisioningState")
        obj.put("provisioning_state", v, loc)
        v, loc = get(res.body, "stag")
        obj.put("s_tag", _int(v), loc)
        v, loc = get(res.body, "enableDirectPortRateLimit")
        if isinstance(v, bool):
            obj.put("rate_limiting", v, loc)
        self.tags(obj, res)
        if res.extra.get("placeholder"):
            self.outside_references.setdefault(name, []).append("parts of it among the inputs (the circuit itself is not)")
            self.note("IMP004", f"{label}: only part of it is among the inputs (a peering, Global Reach connection or "
                                "authorization); a placeholder circuit is used, its provider, location and bandwidth "
                                "unknown", res.loc)
        for auth, loc in items(res.body, "authorizations") + [(k.body, k.loc) for k in self.kids(res, AUTHORIZATION)]:
            auth_name, name_loc = get(auth, "name")
            if isinstance(auth_name, str) and not any(a.get("name") == auth_name for a in obj.data.get("authorizations", [])):
                child = ObjectData(self, f"{label} authorization", loc)
                child.put("name", auth_name, name_loc)
                obj.put_child("authorizations", child, len(obj.data.get("authorizations", [])))
        # peerings: embedded in the circuit, replaced by standalone dumps of the same peering
        peerings: dict[str, tuple[Any, Optional[Loc], Optional[str]]] = {}
        for body, loc in items(res.body, "peerings"):
            key = _peering_key(body)
            pid, _ = get(body, "id")
            peerings[key] = (body, loc, pid if isinstance(pid, str) else None)
        for kid in self.kids(res, PEERING):
            peerings[_peering_key(kid.body, kid.name)] = (kid.body, kid.loc, kid.id)
        global_reach = []
        for body, loc, pid in peerings.values():
            peering = self.peering(body, loc, label)
            if peering is None:
                continue
            obj.put_child("peerings", peering, len(obj.data.get("peerings", [])))
            gr_conns = items(body, "connections")
            if pid:
                gr_conns += [(k.body, k.loc) for k in self.children.get(id_key(pid), []) if k.kind == GR_CONNECTION]
            for conn, conn_loc in gr_conns:
                link = self.global_reach_link(conn, conn_loc, label)
                if link is not None:
                    global_reach.append(link)
        for link in global_reach:
            obj.put_child("global_reach", link, len(obj.data.get("global_reach", [])))
        self.add("circuits", self.validate(m.Circuit, obj), obj)

    def circuit_sku(self, obj: ObjectData, res: RawResource):
        sku, sku_loc = get(res.body, "sku")
        if not isinstance(sku, dict):
            return
        child = ObjectData(self, f"{obj.label} sku", sku_loc)
        tier, tier_loc = get(sku, "tier")
        family, family_loc = get(sku, "family")
        sku_name, name_loc = get(sku, "name")
        if isinstance(sku_name, str) and "_" in sku_name:  # Standard_MeteredData
            name_tier, name_family = sku_name.split("_", 1)
            if tier is None:
                tier, tier_loc = name_tier, name_loc
            if family is None:
                family, family_loc = name_family, name_loc
        child.put("tier", tier, tier_loc, what="SKU tier")
        child.put("family", family, family_loc, what="SKU family (billing model)")
        if isinstance(sku_name, str) and isinstance(tier, str) and isinstance(family, str) \
                and sku_name.strip().lower() != f"{tier}_{family}".lower():
            child.put("name", sku_name, name_loc, what="SKU name")  # kept only to report the contradiction (SKU011)
        obj.put_child("sku", child)

    def peering(self, body, loc, circuit_label: str) -> Optional[ObjectData]:
        ptype, ptype_loc = get(body, "peeringType")
        pname, pname_loc = get(body, "name")
        if ptype is None and isinstance(pname, str):
            ptype, ptype_loc = pname.split("/")[-1], pname_loc
        if isinstance(ptype, Unknown):
            self.unknown(ptype, f"peering type of a peering of {circuit_label} (the peering is left out)")
            return None
        canonical = peering_type_name(ptype)
        if canonical is None:
            shown_type = f"'{ptype}'" if isinstance(ptype, str) else "missing"
            self.error(f"{circuit_label}: peering type {shown_type} is not one of {', '.join(m.PEERING_TYPES)}; "
                       "the peering is left out", ptype_loc or loc)
            return None
        obj = ObjectData(self, f"{circuit_label} peering {canonical}", loc)
        obj.put("type", canonical, ptype_loc, what="peering type")
        for field_name, key in (("peer_asn", "peerAsn"), ("azure_asn", "azureAsn"), ("vlan_id", "vlanId")):
            v, vloc = get(body, key)
            obj.put(field_name, _int(v), vloc, what=key)
        for field_name, key in (("primary_prefix", "primaryPeerAddressPrefix"),
                                ("secondary_prefix", "secondaryPeerAddressPrefix")):
            v, vloc = get(body, key)
            obj.put(field_name, v or None, vloc, what=key)
        key_value, key_loc = get(body, "sharedKey")
        if isinstance(key_value, str) and key_value:
            obj.put("md5", True, key_loc)
        state, state_loc = get(body, "state")
        obj.put("state", state, state_loc)
        bfd, bfd_loc = get(body, "bfd")  # never in Azure's own output; a placeholder peering marks it unknown
        if isinstance(bfd, Unknown):
            obj.put("bfd", bfd, bfd_loc)
        rf_id, rf_loc = ref_id(body, "routeFilter")
        obj.put("route_filter", self.linked(m.Peering, "route_filter", rf_id, rf_loc, obj.label, "route filter"), rf_loc)
        ms, _ms_loc = get(body, "microsoftPeeringConfig")
        if isinstance(ms, dict):
            obj.put_list("advertised_public_prefixes", items(ms, "advertisedPublicPrefixes"))
            v, vloc = get(ms, "customerASN")
            obj.put("customer_asn", _int(v) or None, vloc, what="customerASN")
            v, vloc = get(ms, "routingRegistryName")
            obj.put("routing_registry", v or None, vloc)
        v6, v6_loc = get(body, "ipv6PeeringConfig")
        if isinstance(v6, dict):
            child = ObjectData(self, f"{obj.label} IPv6", v6_loc)
            for field_name, key in (("primary_prefix", "primaryPeerAddressPrefix"),
                                    ("secondary_prefix", "secondaryPeerAddressPrefix")):
                v, vloc = get(v6, key)
                child.put(field_name, v or None, vloc, what=f"IPv6 {key}")
            # Microsoft peering over IPv6 advertises its own public prefixes (REST: ipv6PeeringConfig.microsoftPeeringConfig)
            child.put_list("advertised_prefixes", items(v6, "microsoftPeeringConfig", "advertisedPublicPrefixes"))
            if child.data:
                obj.put_child("ipv6", child)
        instance = self.validate(m.Peering, obj)
        return obj if instance is not None else None

    def global_reach_link(self, conn, loc, circuit_label: str) -> Optional[ObjectData]:
        peer_id, peer_loc = ref_id(conn, "peerExpressRouteCircuitPeering")
        if not isinstance(peer_id, str):
            return None
        peer = parse_id(peer_id)
        circuit_id = peer.parent() if peer else None
        target = self.lookup(circuit_id) if circuit_id else None
        peer_name = self.names.get(id_key(target.id)) if target is not None else None
        if peer_name is None:
            self.note("IMP004", f"{circuit_label} has a Global Reach link to circuit "
                                f"'{parse_id(circuit_id).name if circuit_id else peer_id}' ({circuit_id or peer_id}), "
                                "which is not among "
                                "the inputs; the link is left out", peer_loc or loc)
            return None
        obj = ObjectData(self, f"{circuit_label} Global Reach link", loc)
        v, vloc = get(conn, "name")
        obj.put("name", v, vloc)
        obj.put("peer_circuit", peer_name, peer_loc)
        v, vloc = get(conn, "addressPrefix")
        obj.put("address_prefix", v or None, vloc)
        v, vloc = get(conn, "ipv6CircuitConnectionConfig", "addressPrefix")
        obj.put("address_prefix_v6", v or None, vloc)
        return obj

    def build_route_tables(self, res: RawResource):
        name = self.names[id_key(res.id)]
        obj = ObjectData(self, f"route table '{name}'", res.loc)
        self.common(obj, res, name)
        v, loc = get(res.body, "disableBgpRoutePropagation")
        v = _bool(v)
        if isinstance(v, bool):
            obj.put("bgp_route_propagation", not v, loc)
        else:
            obj.put("bgp_route_propagation", v, loc)
        routes = items(res.body, "routes") + [(k.body, k.loc) for k in self.kids(res, ROUTE)]
        seen = set()
        for body, loc in routes:
            rname, rname_loc = get(body, "name")
            if str(rname) in seen:
                continue
            seen.add(str(rname))
            child = ObjectData(self, f"{obj.label} route '{rname}'", loc)
            child.put("name", rname, rname_loc)
            v, vloc = get(body, "addressPrefix")
            child.put("prefix", v, vloc)
            v, vloc = get(body, "nextHopType")
            child.put("next_hop_type", v, vloc)
            v, vloc = get(body, "nextHopIpAddress")
            child.put("next_hop_ip", v or None, vloc)
            obj.put_child("routes", child, len(obj.data.get("routes", [])))
        self.add("route_tables", self.validate(m.RouteTable, obj), obj)

    def build_nsgs(self, res: RawResource):
        name = self.names[id_key(res.id)]
        obj = ObjectData(self, f"NSG '{name}'", res.loc)
        self.common(obj, res, name)
        rules = items(res.body, "securityRules") + [(k.body, k.loc) for k in self.kids(res, NSG_RULE)]
        seen = set()
        for body, loc in rules:
            rname, rname_loc = get(body, "name")
            if str(rname) in seen:
                continue
            seen.add(str(rname))
            child = ObjectData(self, f"{obj.label} rule '{rname}'", loc)
            child.put("name", rname, rname_loc)
            for field_name, key in (("direction", "direction"), ("access", "access"), ("protocol", "protocol")):
                v, vloc = get(body, key)
                child.put(field_name, v, vloc)
            v, vloc = get(body, "priority")
            child.put("priority", _int(v), vloc)
            for field_name, single, many in (("source", "sourceAddressPrefix", "sourceAddressPrefixes"),
                                             ("destination", "destinationAddressPrefix", "destinationAddressPrefixes"),
                                             ("destination_ports", "destinationPortRange", "destinationPortRanges")):
                v, vloc = get(body, single)
                if not v:
                    listed, vloc = get(body, many)
                    v = ",".join(str(x) for x in listed) if isinstance(listed, list) and listed else None
                child.put(field_name, _str(v), vloc)
            obj.put_child("rules", child, len(obj.data.get("rules", [])))
        self.add("nsgs", self.validate(m.Nsg, obj), obj)

    def build_public_ips(self, res: RawResource):
        name = self.names[id_key(res.id)]
        obj = ObjectData(self, f"public IP '{name}'", res.loc)
        self.common(obj, res, name)
        allocation, alloc_loc = get(res.body, "publicIpAllocationMethod")
        obj.put("allocation", allocation, alloc_loc)
        sku, sku_loc = get(res.body, "sku", "name")
        if sku is None:
            if isinstance(allocation, str) and allocation.lower() == "dynamic":
                # Standard public IPs are static only, so a Dynamic one is Basic whatever the API default.
                obj.put("sku", "Basic", alloc_loc)
            elif res.source != "terraform":
                obj.put("sku", "Basic", res.loc)
                api = f" (apiVersion {res.api_version})" if res.api_version else ""
                self.note("IMP006", f"public IP '{name}' has no sku: Basic assumed, the ARM default when sku is "
                                    f"omitted{api}; az CLI and azurerm 4.x now default to Standard, so set sku "
                                    "explicitly", res.name_loc or res.loc)
        else:
            obj.put("sku", sku, sku_loc)
        zones, zones_loc = get(res.body, "zones")
        if isinstance(zones, list) and zones:
            obj.put_list("zones", [(_str(z), (zones.value_loc(i) if isinstance(zones, LocList) else zones_loc))
                                   for i, z in enumerate(zones)])
        self.add("public_ips", self.validate(m.PublicIp, obj), obj)

    # ---- VNets, subnets and placeholders
    def collect_stubs(self):
        """VNets referenced (by gateways, subnets, peerings) that are not among the inputs."""

        def want(vnet_id: Optional[str], loc, reason: str, prefixes=(), gateway_subnet=False):
            if not isinstance(vnet_id, str) or self.lookup(vnet_id) is not None:
                return
            if parse_id(vnet_id) is None:
                return
            stub = self.stub_vnets.setdefault(id_key(vnet_id), {"id": vnet_id, "loc": loc, "prefixes": [],
                                                                 "gateway_subnet": False, "reasons": []})
            for p in prefixes:
                if p not in [x for x, _ in stub["prefixes"]]:
                    stub["prefixes"].append(p)
            stub["gateway_subnet"] = stub["gateway_subnet"] or gateway_subnet
            stub["reasons"].append(reason)

        for res in list(self.by_id.values()):
            if res.kind == GATEWAY:
                subnet_id, loc = self.gateway_subnet_id(res)
                if isinstance(subnet_id, Unknown):  # known only at deployment: a placeholder, never "no VNet"
                    want(self.unknown_vnet_id(res), loc or res.loc, f"gateway '{res.name}'", gateway_subnet=True)
                    self.stub_vnets[id_key(self.unknown_vnet_id(res))]["unknown"] = subnet_id
                    continue
                aid = parse_id(subnet_id) if isinstance(subnet_id, str) else None
                if aid and aid.parent():
                    want(aid.parent(), loc, f"gateway '{res.name}'", gateway_subnet=True)
            elif res.kind in (SUBNET, VNET_PEERING):
                aid = parse_id(res.id)
                if aid and aid.parent():
                    want(aid.parent(), res.loc, f"{'subnet' if res.kind == SUBNET else 'VNet peering'} '{res.name}'")
        for res in self._all_vnet_peerings():
            remote, loc = ref_id(res[0], "remoteVirtualNetwork")
            if isinstance(remote, Unknown):
                stub_id = self.unknown_remote_id(res[2], res[3])
                want(stub_id, loc or res[1], f"VNet peering '{res[3]}'")
                self.stub_vnets[id_key(stub_id)]["unknown"] = remote
                continue
            prefixes = [(v, at) for v, at in items(res[0], "remoteAddressSpace", "addressPrefixes")
                        if isinstance(v, str)]
            want(remote, loc, f"VNet peering '{res[3]}'", prefixes=prefixes)

    def _all_vnet_peerings(self) -> list[tuple[Any, Optional[Loc], str, str, Optional[Loc]]]:
        """(body, loc, parent VNet ID, name, name loc) of every VNet peering, embedded or standalone."""
        found: dict[str, tuple] = {}
        for res in self.by_id.values():
            if res.kind == VNET:
                for body, loc in items(res.body, "virtualNetworkPeerings"):
                    pname, pname_loc = get(body, "name")
                    if isinstance(pname, str):
                        found.setdefault(f"{id_key(res.id)}/{pname.lower()}", (body, loc, res.id, pname, pname_loc))
            elif res.kind == VNET_PEERING:
                aid = parse_id(res.id)
                parent = aid.parent() if aid else None
                if parent:
                    found[f"{id_key(parent)}/{res.name.lower()}"] = (res.body, res.loc, parent, res.name,
                                                                     res.name_loc)
        return list(found.values())

    @staticmethod
    def unknown_remote_id(parent_id: str, peering_name: str) -> str:
        aid = parse_id(parent_id)
        label = "remote" if has_expression(peering_name) else f"remote-of-{peering_name}"
        return format_id(aid.subscription if aid else None, aid.resource_group if aid else None,
                         ["Microsoft.Network/virtualNetworks"], [label])

    @staticmethod
    def unknown_vnet_id(res: RawResource) -> str:
        aid = parse_id(res.id)
        return format_id(aid.subscription if aid else None, aid.resource_group if aid else None,
                         ["Microsoft.Network/virtualNetworks"], [f"vnet-of-{res.name}"])

    def gateway_subnet_id(self, res: RawResource):
        confs, confs_loc = get(res.body, "ipConfigurations")
        if isinstance(confs, Unknown):
            return confs, confs_loc
        for conf, _ in items(res.body, "ipConfigurations"):
            sid, sloc = ref_id(conf, "subnet")
            if sid:
                return sid, sloc
        return None, None

    def build_vnets(self, res: RawResource):
        name = self.names[id_key(res.id)]
        obj = ObjectData(self, f"VNet '{name}'", res.loc)
        self.common(obj, res, name)
        obj.put_list("address_space", items(res.body, "addressSpace", "addressPrefixes"),
                     get(res.body, "addressSpace")[1])
        obj.put_list("dns_servers", items(res.body, "dhcpOptions", "dnsServers"))
        self.tags(obj, res)
        subnets: dict[str, tuple] = {}
        for body, loc in items(res.body, "subnets"):
            sname, _ = get(body, "name")
            subnets[str(sname).lower()] = (body, loc)
        for kid in self.kids(res, SUBNET):
            subnets[kid.name.lower()] = (kid.body, kid.loc)
        for body, loc in subnets.values():
            child = self.subnet(body, loc, obj.label)
            if child is not None:
                obj.put_child("subnets", child, len(obj.data.get("subnets", [])))
        self.add("vnets", self.validate(m.VNet, obj), obj)

    def subnet(self, body, loc, vnet_label: str) -> Optional[ObjectData]:
        sname, sname_loc = get(body, "name")
        obj = ObjectData(self, f"{vnet_label} subnet '{sname}'", loc)
        obj.put("name", sname, sname_loc)
        prefix, prefix_loc = get(body, "addressPrefix")
        more = items(body, "addressPrefixes")
        if prefix is None and more:
            (prefix, prefix_loc), more = more[0], more[1:]
        elif more:
            more = [(v, at) for v, at in more if v != prefix]
        obj.put("prefix", prefix, prefix_loc)
        obj.put_list("prefixes", more)
        rt_id, rt_loc = ref_id(body, "routeTable")
        obj.put("route_table", self.linked(m.Subnet, "route_table", rt_id, rt_loc, obj.label, "route table"), rt_loc)
        nsg_id, nsg_loc = ref_id(body, "networkSecurityGroup")
        obj.put("nsg", self.linked(m.Subnet, "nsg", nsg_id, nsg_loc, obj.label, "NSG"), nsg_loc)
        endpoints, ep_loc = get(body, "privateEndpoints")
        if isinstance(endpoints, list) and endpoints:
            obj.put("private_endpoints", len(endpoints), ep_loc)
        policies, pol_loc = get(body, "serviceEndpointPolicies")
        if isinstance(policies, list) and policies:
            obj.put("service_endpoint_policy", True, pol_loc)
        return obj if self.validate(m.Subnet, obj) is not None else None

    def build_stub_vnets(self):
        for key, stub in self.stub_vnets.items():
            aid = parse_id(stub["id"])
            name = self.names[key]
            obj = ObjectData(self, f"VNet '{name}'", stub["loc"])
            obj.put("name", name, stub["loc"])
            obj.put("description", f"placeholder: {stub['id']} is not among the inputs", None)
            if not is_placeholder(aid.subscription):
                obj.put("subscription", aid.subscription, None)
            if not is_placeholder(aid.resource_group):
                obj.put("resource_group", aid.resource_group, None)
            obj.put_list("address_space", stub["prefixes"])
            for kid in self.children.get(key, []):
                if kid.kind == SUBNET:
                    child = self.subnet(kid.body, kid.loc, obj.label)
                    if child is not None:
                        obj.put_child("subnets", child, len(obj.data.get("subnets", [])))
            has_gateway_subnet = any(str(s.get("name", "")).lower() == "gatewaysubnet"
                                     for s in obj.data.get("subnets", []))
            if stub["gateway_subnet"] and not has_gateway_subnet:
                obj.put_child("subnets", _named_only(self, "GatewaySubnet", stub["loc"]),
                              len(obj.data.get("subnets", [])))
            users = ", ".join(dict.fromkeys(stub["reasons"]))
            known = (f"with the address space the peering reports ({', '.join(p for p, _ in stub['prefixes'])})"
                     if stub["prefixes"] else "without address space")
            if stub.get("unknown") is not None:
                self.unknown(stub["unknown"], f"VNet of {users}")
                self.note("IMP004", f"{users}: its VNet is known only at deployment; a placeholder VNet "
                                    f"'{aid.name}' is used without address space, region unknown", stub["loc"])
            else:
                self.note("IMP004", f"{users} refers to VNet '{aid.name}' ({stub['id']}), which is not among the "
                                    f"inputs; a placeholder VNet is used {known}, region unknown", stub["loc"])
            self.add("vnets", self.validate(m.VNet, obj), obj)

    # ---- Virtual WAN (importers/build_vwan.py)
    def build_virtual_hubs(self, res: RawResource):
        build_vwan.build_virtual_hubs(self, res)

    def build_hub_gateways(self, res: RawResource):
        build_vwan.build_hub_gateways(self, res)

    # ---- gateways, connections, VNet peerings
    def build_gateways(self, res: RawResource):
        name = self.names[id_key(res.id)]
        label = f"gateway '{name}'"
        obj = ObjectData(self, label, res.loc)
        self.common(obj, res, name)
        subnet_id, subnet_loc = self.gateway_subnet_id(res)
        if isinstance(subnet_id, Unknown):
            vnet_id = self.unknown_vnet_id(res)
        else:
            aid = parse_id(subnet_id) if subnet_id else None
            vnet_id = aid.parent() if aid else None
        if vnet_id is None:
            self.error(f"{label}: no ipConfigurations entry with a subnet, so its VNet is unknown", res.loc)
            return
        obj.put("vnet", self.linked(m.Gateway, "vnet", vnet_id, subnet_loc, label, "VNet", note=False), subnet_loc)
        gtype, gtype_loc = get(res.body, "gatewayType")
        obj.put("type", gtype, gtype_loc, what="gatewayType")
        sku, sku_loc = get(res.body, "sku", "name")
        if sku is None:
            sku, sku_loc = get(res.body, "sku", "tier")
        if sku is None:
            # Microsoft documents no default for an omitted gateway SKU: keep the gateway, with its SKU unknown
            sku = Unknown("sku", res.name_loc or res.loc, "the input gives no sku.name, and Azure documents no default "
                          "for a virtual network gateway's SKU", "IMP011")
        obj.put("sku", sku, sku_loc, what="SKU")
        lo, lo_loc = get(res.body, "autoScaleConfiguration", "bounds", "min")
        hi, hi_loc = get(res.body, "autoScaleConfiguration", "bounds", "max")
        if lo is not None and hi is not None:
            child = ObjectData(self, f"{label} scale units", lo_loc)
            child.put("min", _int(lo), lo_loc)
            child.put("max", _int(hi), hi_loc)
            obj.put_child("scale_units", child)
        for conf, _ in items(res.body, "ipConfigurations"):
            pip_id, pip_loc = ref_id(conf, "publicIpAddress")
            if pip_id:
                obj.put("public_ip", self.linked(m.Gateway, "public_ip", pip_id, pip_loc, label, "public IP"), pip_loc)
                break
        v, vloc = get(res.body, "vpnType")
        if isinstance(gtype, str) and gtype.lower() == "vpn":
            obj.put("vpn_type", v, vloc)
            asn, asn_loc = get(res.body, "bgpSettings", "asn")
            obj.put("asn", _int(asn), asn_loc)
        active, active_loc = get(res.body, "activeActive")
        if active is None:
            active, active_loc = get(res.body, "active")  # az's flattened name
        obj.put("active_active", _bool(active), active_loc)
        if obj.data.get("vnet") is None:
            self.error(f"{label}: its VNet could not be imported", subnet_loc)
            return
        self.add("gateways", self.validate(m.Gateway, obj), obj)

    def build_connections(self, res: RawResource):
        name = self.names[id_key(res.id)]
        label = f"connection '{name}'"
        obj = ObjectData(self, label, res.loc)
        self.common(obj, res, name, region=False)
        ctype, ctype_loc = get(res.body, "connectionType")
        obj.put("type", ctype, ctype_loc, what="connectionType")
        gw_id, gw_loc = ref_id(res.body, "virtualNetworkGateway1")
        if isinstance(gw_id, Unknown):
            self.unknown(gw_id, f"gateway of {label} (the connection is left out: a connection needs its gateway)")
            peer_id, peer_loc = ref_id(res.body, "peer")
            return
        gateway = self.linked(m.Connection, "gateway", gw_id, gw_loc, label, "gateway", note=False)
        if gateway is None:
            target = self.lookup(gw_id) if isinstance(gw_id, str) else None
            why = ("could not be imported" if target is not None
                   else "is not among the inputs (add its `az network vnet-gateway show` output)")
            shown = parse_id(gw_id).name if isinstance(gw_id, str) and parse_id(gw_id) else gw_id
            self.note("IMP004", f"{label}: its gateway '{shown}' {why}; the connection is left out, so checks "
                                "that count a circuit's or gateway's connections do not see it", gw_loc or res.loc)
            return
        obj.put("gateway", gateway, gw_loc)
        peer_id, peer_loc = ref_id(res.body, "peer")
        if peer_id is not None:
            obj.put("circuit", self.linked(m.Connection, "circuit", peer_id, peer_loc, label, "circuit"), peer_loc)
        v, vloc = get(res.body, "routingWeight")
        obj.put("routing_weight", _int(v), vloc)
        v, vloc = get(res.body, "expressRouteGatewayBypass")
        obj.put("fastpath", _bool(v), vloc, what="expressRouteGatewayBypass (FastPath)")
        key, key_loc = get(res.body, "authorizationKey")
        if isinstance(key, (str, Unknown)) and key:  # the key is a secret: only that one is redeemed is kept
            obj.put("authorization", "authorization key", key_loc)
            peer = parse_id(peer_id) if isinstance(peer_id, str) else None
            own = parse_id(res.id)
            if peer and own and peer.subscription and own.subscription and \
                    peer.subscription.lower() != own.subscription.lower():
                obj.put("description", f"cross-subscription: redeems an authorization of circuit '{peer.name}' in "
                                       f"subscription {peer.subscription}", None)
        self.add("connections", self.validate(m.Connection, obj), obj)

    def build_vnet_peerings(self):
        entries = self._all_vnet_peerings()
        names = self._vnet_peering_names(entries)
        for entry, name in zip(entries, names):
            try:
                self.vnet_peering(entry, name)
            except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
                self.error(f"VNet peering '{entry[3]}': a value has an unexpected shape ({type(exc).__name__}: {exc})",
                           entry[1])

    def vnet_peering(self, entry, name: str):
        body, loc, parent_id, pname, pname_loc = entry
        vnet = self.name_of(parent_id)
        label = f"VNet peering '{name}'"
        obj = ObjectData(self, label, loc)
        obj.put("name", name, pname_loc or loc)
        if name != pname and not has_expression(pname):
            obj.put("description", f"Azure name '{pname}' (on VNet {parse_id(parent_id).name})", None)
            self.note("IMP007", f"VNet peering '{pname}' of VNet '{vnet or parse_id(parent_id).name}' is called "
                                f"'{name}' in the design: another VNet peering in the inputs shares its name",
                      pname_loc or loc)
        if vnet is None or vnet not in self.built["vnets"]:
            self.error(f"{label}: its VNet could not be imported", loc)
            return
        obj.put("vnet", vnet, pname_loc or loc)
        remote_id, remote_loc = ref_id(body, "remoteVirtualNetwork")
        unknown_remote = remote_id if isinstance(remote_id, Unknown) else None
        if unknown_remote is not None:  # known only at deployment: the placeholder made for it
            remote_id = self.unknown_remote_id(parent_id, pname)
        remote = self.linked(m.VNetPeering, "remote_vnet", remote_id, remote_loc, label, "remote VNet")
        obj.put("remote_vnet", remote, remote_loc, what="remoteVirtualNetwork")
        if unknown_remote is not None:
            obj.unknown_fields[("remote_vnet",)] = unknown_remote
        for field_name, key in (("allow_virtual_network_access", "allowVirtualNetworkAccess"),
                                ("allow_forwarded_traffic", "allowForwardedTraffic"),
                                ("allow_gateway_transit", "allowGatewayTransit"),
                                ("use_remote_gateways", "useRemoteGateways")):
            v, vloc = get(body, key)
            obj.put(field_name, _bool(v), vloc, what=key)
        v, vloc = get(body, "peeringState")
        obj.put("state", v, vloc)
        self.add("vnet_peerings", self.validate(m.VNetPeering, obj), obj)

    def _vnet_peering_names(self, entries) -> list[str]:
        """Peering names, made unique with the VNet's resource group, else the VNet's name."""
        names = [e[3] for e in entries]
        for i, name in enumerate(names):
            if has_expression(name):
                names[i] = readable_name(name, "vnet-peering", lambda n: n.lower() in {x.lower() for x in names})
                self.unknown(Unknown(name, entries[i][4] or entries[i][1], "the name is known only at deployment"),
                             f"name of VNet peering '{names[i]}'")
        for suffix in (lambda aid: aid.resource_group, lambda aid: aid.name,
                       lambda aid: f"{aid.resource_group}/{aid.name}"):
            seen = Counter(n.lower() for n in names)
            clashing = {n for n, count in seen.items() if count > 1}
            if not clashing:
                break
            for i, (_body, _loc, parent_id, pname, _pname_loc) in enumerate(entries):
                if names[i].lower() in clashing:
                    names[i] = f"{pname}@{suffix(parse_id(parent_id))}"
        return names

    # ---- leftovers
    def find_outside_references(self):
        """Circuits that resources left out of the design (skipped types, connections whose gateway is not
        among the inputs, Global Reach links of circuits not among the inputs) refer to: not "unused"."""
        circuits = {}
        for key, res in self.by_id.items():
            if res.kind == CIRCUIT and self.names.get(key) in self.built["circuits"]:
                circuits[key] = self.names[key]
        if not circuits:
            return

        def refers(value) -> Optional[str]:
            if isinstance(value, str):
                lowered = value.strip().lower()
                return next((name for key, name in circuits.items()
                             if lowered == key or lowered.startswith(key + "/")), None)
            if isinstance(value, dict):
                return next((found for v in value.values() if (found := refers(v))), None)
            if isinstance(value, list):
                return next((found for v in value if (found := refers(v))), None)
            return None

        def record(circuit: str, what: str, loc):
            if what not in self.outside_references.setdefault(circuit, []):
                self.outside_references[circuit].append(what)
                self.note("IMP010", f"circuit '{circuit}' is referred to by {what}, which the design leaves out; "
                                    "it is not reported as unused", loc)

        for (_, rtype), skipped in self.skipped.items():
            if rtype.lower().startswith(_NOT_USERS):
                continue  # locks, role assignments, diagnostic settings are scoped to a circuit, they don't use it
            for res in skipped:
                body = {k: v for k, v in res.body.items() if k.lower() != "scope"} if isinstance(res.body, dict) else res.body
                if (found := refers(body)):
                    record(found, f"skipped {rtype} '{res.name}'", res.loc)
        built_connections = {c.name for c in self.sections["connections"]}
        for key, res in self.by_id.items():
            if res.kind == CONNECTION and self.names.get(key) not in built_connections:
                peer, peer_loc = ref_id(res.body, "peer")
                if (found := refers(peer)):
                    record(found, f"connection '{res.name}' (its gateway is not among the inputs)", peer_loc or res.loc)
        for parent_key, kids in self.children.items():
            if parent_key in self.by_id:
                continue
            for kid in kids:
                if kid.kind == GR_CONNECTION and (found := refers(get(kid.body, "peerExpressRouteCircuitPeering")[0])):
                    record(found, f"Global Reach connection '{kid.name}' of a circuit not among the inputs", kid.loc)
                elif kid.kind == HUB_CONNECTION and (found := refers(get(kid.body, "expressRouteCircuitPeering")[0])):
                    record(found, f"hub connection '{kid.name}' (its hub gateway is not among the inputs)", kid.loc)

    def orphans(self):
        """Standalone child resources whose parent is not among the inputs."""
        for parent_key, kids in self.children.items():
            if parent_key in self.by_id or parent_key in self.stub_vnets:
                continue
            for kid in kids:
                if kid.kind in (VNET_PEERING, SUBNET, GR_CONNECTION):
                    continue  # VNet peerings / subnets got a placeholder VNet; GR links are on the peering
                aid = parse_id(kid.id)
                parent = aid.parent() if aid else "?"
                self.note("IMP004", f"{kid.type} '{kid.name}' belongs to {parent}, which is not among the inputs; "
                                    "it is left out (add the parent's `show` output)", kid.loc)

    def skip_notes(self):
        from ..engine.finding import Evidence

        for (_file, rtype), skipped in self.skipped.items():
            names = [r.name for r in skipped]
            shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
            self.note("IMP003", f"skipped {len(skipped)} resource{'s' if len(skipped) > 1 else ''} of type {rtype} "
                                f"(erdesign does not model it): {shown}", skipped[0].loc, resource=rtype,
                      evidence=[Evidence("resources skipped", len(skipped))])

    # ---- result
    def drop_dangling_global_reach(self):
        built = self.built["circuits"]
        for circuit, locs in zip(self.sections["circuits"], self.section_locs["circuits"]):
            keep = [i for i, link in enumerate(circuit.global_reach) if link.peer_circuit in built]
            if len(keep) == len(circuit.global_reach):
                continue
            for i, link in enumerate(circuit.global_reach):
                if i not in keep:
                    self.note("IMP004", f"circuit '{circuit.name}' has a Global Reach link to circuit "
                                        f"'{link.peer_circuit}', which could not be imported; the link is left out",
                              locs.get(("global_reach", i)))
            renumber = {old: new for new, old in enumerate(keep)}
            moved = {}
            for path, loc in locs.items():
                if len(path) >= 2 and path[0] == "global_reach":
                    if path[1] in renumber:
                        moved[("global_reach", renumber[path[1]]) + path[2:]] = loc
                else:
                    moved[path] = loc
            locs.clear()
            locs.update(moved)
            circuit.global_reach = [circuit.global_reach[i] for i in keep]

    def design(self) -> m.Design:
        self.drop_dangling_global_reach()
        design = m.Design(**{section: list(objs) for section, objs in self.sections.items()})
        for section in LABEL:
            unknowns = self.section_unknowns.get(section, [])
            for i, (node, locs) in enumerate(zip(getattr(design, section), self.section_locs[section])):
                attach(node, (section, i), locs)
                if i < len(unknowns):
                    attach_unknown(node, unknowns[i])
        design._notes.extend(self.notes)
        design._outside_references.update(self.outside_references)
        return design


# Extension resources that attach to a circuit (by `scope`) without using it.
_NOT_USERS = ("microsoft.authorization/", "microsoft.insights/", "microsoft.resources/tags")


# The input's name for model fields an input must give (for "missing" messages).
_SOURCE_NAMES = {
    ("Circuit", "bandwidth"): "serviceProviderProperties.bandwidthInMbps (or bandwidthInGbps)",
    ("ExpressRoutePort", "bandwidth"): "bandwidthInGbps",
    ("Gateway", "sku"): "sku.name",
    ("Gateway", "vnet"): "ipConfigurations[].subnet.id",
    ("VNetPeering", "remote_vnet"): "remoteVirtualNetwork.id",
    ("Route", "prefix"): "addressPrefix",
    ("GlobalReachLink", "peer_circuit"): "peerExpressRouteCircuitPeering.id",
}


def _named_only(ctx: Build, name: str, loc: Optional[Loc]) -> ObjectData:
    obj = ObjectData(ctx, name, loc)
    obj.put("name", name, loc)
    return obj


def _peering_key(body, fallback: str = "") -> str:
    ptype, _ = get(body, "peeringType")
    if isinstance(ptype, str):
        return ptype.lower()
    pname, _ = get(body, "name")
    return str(pname if pname is not None else fallback).split("/")[-1].lower()


def _gbps(value):
    if isinstance(value, bool) or value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, (int, float)):
        mbps = value * 1000
        return int(mbps) if mbps == int(mbps) else mbps
    return value


def _nearest(locs: dict, path: tuple) -> Optional[Loc]:
    path = tuple(path)
    while path:
        if path in locs:
            return locs[path]
        path = path[:-1]
    return locs.get(())


def attach(node: m.Node, path: tuple, locs: dict) -> None:
    """Give a validated object (and every node inside it) its design path and the field locations."""
    _set_paths(node, path)
    for sub, loc in locs.items():
        if loc is None:
            continue
        current: Any = node
        node.__pydantic_private__["_locs"][sub] = loc  # Node.set_loc, without pydantic's attribute lookup
        for i, part in enumerate(sub):
            if isinstance(part, int):
                if not isinstance(current, list) or part >= len(current):
                    break
                current = current[part]
            else:
                current = getattr(current, part, None) if isinstance(current, BaseModel) else None
            if current is None:
                break
            if isinstance(current, m.Node):
                current.__pydantic_private__["_locs"][sub[i + 1:]] = loc


def attach_unknown(node: m.Node, unknown_fields: dict) -> None:
    """Record on each node which of its fields the input sets to a value known only at deployment."""
    for path, value in unknown_fields.items():
        if len(path) > 1 and isinstance(path[0], str) and isinstance(path[1], str):
            node._unknown.setdefault(path[0], value)  # sku.tier unknown: findings about the sku wait too
        current: Any = node
        for part in path[:-1]:
            if isinstance(part, int):
                current = current[part] if isinstance(current, list) and part < len(current) else None
            else:
                current = getattr(current, part, None) if isinstance(current, BaseModel) else None
            if current is None:
                break
        if isinstance(current, m.Node):
            current._unknown[path[-1]] = value


def _set_paths(node: m.Node, path: tuple) -> None:
    node.__pydantic_private__["_path"] = path
    for name, value in node.__dict__.items():
        if isinstance(value, m.Node):
            _set_paths(value, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, m.Node):
                    _set_paths(item, path + (name, i))


def build_design(resources: Iterable[RawResource]) -> tuple[m.Design, list[InputError]]:
    from .placeholders import add_placeholder_circuits

    b = Build(add_placeholder_circuits(list(resources)))
    b.build_all()
    return b.design(), b.errors
