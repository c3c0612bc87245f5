"""Placeholder circuits for inputs that hold only part of a circuit: a peering on its own
(`az network express-route peering show/list`), a standalone Global Reach connection
(`az network express-route peering connection show`, ARM expressRouteCircuits/peerings/connections)
or an authorization. The missing circuit (and, for a Global Reach connection, its private
peering and the peer circuit) is added with every value Unknown - never absent - so the parts the
input holds are linted and nothing is reported missing that the input simply doesn't show.
"""
from __future__ import annotations

from typing import Optional

from .jsonloc import LocDict
from .resources import AUTHORIZATION, CIRCUIT, GR_CONNECTION, PEERING, RawResource, format_id, id_key, parse_id, ref_id
from .values import Unknown


def _unknown(name: str, loc) -> Unknown:
    return Unknown(f"circuit '{name}'", loc, "only part of the circuit is among the inputs")


def _circuit(circuit_id: str, loc, file: str) -> Optional[RawResource]:
    aid = parse_id(circuit_id)
    if aid is None:
        return None
    value = _unknown(aid.name, loc)
    body = LocDict({"name": aid.name, "location": value,
                    "serviceProviderProperties": LocDict({"serviceProviderName": value, "peeringLocation": value,
                                                          "bandwidthInMbps": value}, loc=loc)}, loc=loc)
    return RawResource(type="Microsoft.Network/expressRouteCircuits", id=circuit_id, name=aid.name, body=body,
                       loc=loc, file=file, source="placeholder", name_loc=loc, extra={"placeholder": True})


def _private_peering(peering_id: str, loc, file: str) -> Optional[RawResource]:
    aid = parse_id(peering_id)
    if aid is None or len(aid.names) < 2:
        return None
    value = _unknown(aid.names[0], loc)
    body = LocDict({"name": aid.name, "peeringType": aid.name, "peerAsn": value, "vlanId": value, "bfd": value,
                    "primaryPeerAddressPrefix": value, "secondaryPeerAddressPrefix": value}, loc=loc)
    return RawResource(type="Microsoft.Network/expressRouteCircuits/peerings", id=peering_id, name=aid.name,
                       body=body, loc=loc, file=file, source="placeholder", extra={"placeholder": True})


def add_placeholder_circuits(resources: list[RawResource]) -> list[RawResource]:
    """`resources` plus placeholders for the circuits (and peerings) that parts among them belong to."""
    present = {id_key(r.id) for r in resources}
    added: list[RawResource] = []

    def want_circuit(circuit_id: Optional[str], loc, file):
        if isinstance(circuit_id, str) and id_key(circuit_id) not in present:
            placeholder = _circuit(circuit_id, loc, file)
            if placeholder is not None:
                present.add(id_key(circuit_id))
                added.append(placeholder)

    def want_peering(peering_id: Optional[str], loc, file):
        if isinstance(peering_id, str) and id_key(peering_id) not in present:
            placeholder = _private_peering(peering_id, loc, file)
            if placeholder is not None:
                present.add(id_key(peering_id))
                added.append(placeholder)

    for res in resources:
        if res.kind not in (PEERING, GR_CONNECTION, AUTHORIZATION):
            continue
        aid = parse_id(res.id)
        if aid is None:
            continue
        circuit_id = format_id(aid.subscription, aid.resource_group, aid.types[:1], aid.names[:1])
        want_circuit(circuit_id, res.loc, res.file)
        if res.kind == GR_CONNECTION:
            want_peering(aid.parent(), res.loc, res.file)
            peer, peer_loc = ref_id(res.body, "peerExpressRouteCircuitPeering")
            peer_aid = parse_id(peer) if isinstance(peer, str) else None
            if peer_aid is not None and len(peer_aid.names) >= 2:
                want_circuit(peer_aid.parent(), peer_loc or res.loc, res.file)
                want_peering(peer, peer_loc or res.loc, res.file)
    return resources + added


def is_placeholder_circuit(res: RawResource) -> bool:
    return res.kind == CIRCUIT and bool(res.extra.get("placeholder"))

