"""Which objects of a design a runbook covers: all of them, or the part that serves some circuits.

With ``--only circuit NAME``, a gateway (and its public IP and VNet) is covered only when every
connection it has goes to a selected circuit: a runbook for one circuit never deletes a gateway
another circuit still uses. VNet peerings are covered when they touch a covered VNet.
"""
from __future__ import annotations

from typing import Optional

from ..errors import InputError, did_you_mean
from ..model import Authorization, Circuit, Connection, Design, GlobalReachLink


class Scope:
    def __init__(self, design: Design, only_circuits: Optional[list[str]] = None):
        self.d = design
        self.notes: list[str] = []
        names = {c.name for c in design.circuits}
        if only_circuits:
            for name in only_circuits:
                if name not in names:
                    defined = did_you_mean(name, names) if names else " (the design defines no circuit)"
                    raise InputError(f"--only circuit '{name}': no such circuit in the design{defined}")
            chosen = set(only_circuits)
        else:
            chosen = names
        self.partial = bool(only_circuits)
        self.circuits = [c for c in design.circuits if c.name in chosen]
        self.connections = [c for c in design.connections if c.circuit in chosen or (not self.partial)]
        if self.partial:
            gateways = []
            for gw in design.gateways:
                conns = design.connections_of_gateway(gw.name)
                if conns and all(c.circuit in chosen for c in conns):
                    gateways.append(gw)
                elif any(c.circuit in chosen for c in conns):
                    self.notes.append(f"gateway '{gw.name}' also serves other circuits: it is left alone")
            self.gateways = gateways
            gw_vnets = {g.vnet for g in gateways}
            self.vnets = [v for v in design.vnets if v.name in gw_vnets and
                          all(g in gateways for g in design.gateways if g.vnet == v.name)]
        else:
            self.gateways = list(design.gateways)
            self.vnets = list(design.vnets)
        vnet_names = {v.name for v in self.vnets}
        self.vnet_peerings = [p for p in design.vnet_peerings
                              if not self.partial or p.vnet in vnet_names or p.remote_vnet in vnet_names]
        pip_names = {g.public_ip for g in self.gateways if g.public_ip}
        self.public_ips = [p for p in design.public_ips if p.name in pip_names or not self.partial]
        self.route_filters = []
        for rf in design.route_filters:
            users = [c for c in design.circuits for p in c.peerings if p.route_filter == rf.name]
            if users and all(u.name in chosen for u in users):
                self.route_filters.append((rf, users[0]))
        port_names = {c.express_route_port for c in self.circuits if c.express_route_port}
        self.ports = [p for p in design.express_route_ports if p.name in port_names and
                      all(c.name in chosen for c in design.circuits if c.express_route_port == p.name)]
        self.global_reach_links: list[tuple[Circuit, GlobalReachLink]] = [
            (c, gr) for c in design.circuits for gr in c.global_reach
            if c.name in chosen or gr.peer_circuit in chosen]

    # ---- lookups
    def all_global_reach(self, circuit_name: str) -> list[tuple[Circuit, GlobalReachLink]]:
        """Every Global Reach link on or towards a circuit."""
        return [(c, gr) for c in self.d.circuits for gr in c.global_reach
                if c.name == circuit_name or gr.peer_circuit == circuit_name]

    def virtual_circuits(self, circuit: Circuit):
        return [vc for p in self.d.providers for vc in p.virtual_circuits if vc.circuit == circuit.name]

    def authorization_of(self, conn: Connection) -> Optional[tuple[Circuit, Authorization]]:
        for c in self.d.circuits:
            for a in c.authorizations:
                if a.used_by == conn.name or (conn.authorization and a.name == conn.authorization
                                              and c.name == conn.circuit):
                    return c, a
        return None

    def _objects(self):
        yield from self.circuits
        yield from self.vnets
        yield from self.gateways
        yield from self.public_ips
        yield from self.ports

    def resource_groups(self, places) -> dict[str, tuple[Optional[str], str]]:
        """{resource group: (subscription, region)} of the covered objects, in design order."""
        out: dict[str, tuple[Optional[str], str]] = {}
        for obj in self._objects():
            rg = places.rg(obj)
            if rg in out:
                continue
            out[rg] = (places.sub(obj), self._region(obj, places))
        return out

    def owns_resource_group(self, rg: str, places) -> bool:
        """Whether every object of the design in this group is covered (so the group may go)."""
        covered = {id(o) for o in self._objects()}
        every = [*self.d.circuits, *self.d.vnets, *self.d.gateways, *self.d.public_ips, *self.d.express_route_ports]
        return all(id(o) in covered for o in every if places.rg(o) == rg)

    @staticmethod
    def _region(obj, places) -> str:
        from ..model import Circuit as C, Gateway, PublicIp, VNet

        if isinstance(obj, C):
            return places.circuit_region(obj)
        if isinstance(obj, VNet):
            return places.vnet_region(obj)
        if isinstance(obj, Gateway):
            return places.gateway_region(obj)
        if isinstance(obj, PublicIp):
            return places.public_ip_region(obj)
        return getattr(obj, "region", None) or "<region>"

    @staticmethod
    def outside_needs(steps) -> list[str]:
        """Steps some step needs that this runbook does not hold (partial runbooks): assumed done already."""
        present = {s.id for s in steps}
        missing: list[str] = []
        for step in steps:
            for need in step.needs:
                if need not in present and need not in missing:
                    missing.append(need)
        return missing
