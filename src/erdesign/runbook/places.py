"""Where each design object lives (subscription, resource group, region), and how commands name it."""
from __future__ import annotations

import re
from typing import Optional

from ..model import Circuit, Design, Gateway, PublicIp, VNet
from .model import Command, Var, Word

REGION_PLACEHOLDER = "<region>"
_KIND = {"Circuit": "circuit", "VNet": "VNet", "Gateway": "gateway", "PublicIp": "public IP",
         "ExpressRoutePort": "ExpressRoute Direct port", "Connection": "connection"}


def shell_name(*parts: str) -> str:
    """An upper-case shell variable name made of parts: ('er1', 'AzurePrivatePeering') -> ER1_AZUREPRIVATEPEERING."""
    text = "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_") for p in parts if p)
    text = text.upper() or "VALUE"
    return text if not text[0].isdecimal() else "_" + text


class Places:
    """Resource group, subscription and region of every object the runbook touches.

    Objects without a resource group go into `default_rg`; each such guess is listed as an assumption.
    """

    def __init__(self, design: Design, default_rg: Optional[str] = None):
        self.design = design
        self.default_rg = default_rg or f"{design.name or 'erdesign'}-rg"
        self._notes: list[str] = []
        self._noted: set[str] = set()
        self._no_rg: list[str] = []
        self._no_sub: list[str] = []

    @property
    def assumptions(self) -> list[str]:
        out = []
        if self._no_rg:
            out.append(f"no resource group named for {', '.join(self._no_rg)}: using '{self.default_rg}' "
                       "(set resource_group in the design, or pass --resource-group)")
        if self._no_sub:
            out.append(f"no subscription named for {', '.join(self._no_sub)}: their IDs use ${{SUBSCRIPTION_ID}} "
                       "(export it before running the script)")
        return out + self._notes

    def _assume(self, text: str) -> None:
        if text not in self._noted:
            self._noted.add(text)
            self._notes.append(text)

    # ---- resource groups and subscriptions
    def rg(self, obj) -> str:
        own = getattr(obj, "resource_group", None)
        if own:
            return own
        if isinstance(obj, Gateway):
            vnet = self.design.vnet(obj.vnet)
            if vnet is not None and vnet.resource_group:
                return vnet.resource_group
        if isinstance(obj, PublicIp):
            gw = self.gateway_of_public_ip(obj.name)
            if gw is not None:
                return self.rg(gw)
        label = f"{_KIND.get(type(obj).__name__, type(obj).__name__)} '{obj.name}'"
        if label not in self._no_rg:
            self._no_rg.append(label)
        return self.default_rg

    def sub(self, obj) -> Optional[str]:
        own = getattr(obj, "subscription", None)
        if own:
            return own
        if isinstance(obj, Gateway):
            vnet = self.design.vnet(obj.vnet)
            return vnet.subscription if vnet is not None else None
        if isinstance(obj, PublicIp):
            gw = self.gateway_of_public_ip(obj.name)
            return self.sub(gw) if gw is not None else None
        return None

    def gateway_of_public_ip(self, name: str) -> Optional[Gateway]:
        return next((g for g in self.design.gateways if g.public_ip == name), None)

    # ---- regions
    def circuit_region(self, circuit: Circuit) -> str:
        if circuit.region:
            return circuit.region
        for conn in self.design.connections_of_circuit(circuit.name):
            gw = self.design.gateway(conn.gateway)
            region = self.design.gateway_region(gw) if gw is not None else None
            if region:
                self._assume(f"circuit '{circuit.name}' has no region: using '{region}', the region of gateway "
                             f"'{gw.name}' it connects to")
                return region
        self._assume(f"circuit '{circuit.name}' has no region: replace {REGION_PLACEHOLDER} in its commands")
        return REGION_PLACEHOLDER

    def vnet_region(self, vnet: VNet) -> str:
        if vnet.region:
            return vnet.region
        self._assume(f"VNet '{vnet.name}' has no region: replace {REGION_PLACEHOLDER} in its commands")
        return REGION_PLACEHOLDER

    def gateway_region(self, gw: Gateway) -> str:
        region = self.design.gateway_region(gw)
        if region:
            return region
        self._assume(f"gateway '{gw.name}' has no region: replace {REGION_PLACEHOLDER} in its commands")
        return REGION_PLACEHOLDER

    def public_ip_region(self, pip: PublicIp) -> str:
        if pip.region:
            return pip.region
        gw = self.gateway_of_public_ip(pip.name)
        return self.gateway_region(gw) if gw is not None else REGION_PLACEHOLDER

    # ---- names and ids
    def ref(self, target, arm_type: str, *, from_obj, child: str = "") -> Word:
        """How a command run for `from_obj` names `target`: its name when both share subscription and
        resource group (az resolves names there), else its full ARM ID."""
        if self.rg(target) == self.rg(from_obj) and self.sub(target) == self.sub(from_obj):
            return target.name
        return self.arm_id(target, arm_type, child)

    def arm_id(self, target, arm_type: str, child: str = "") -> Word:
        sub = self.sub(target)
        tail = f"/resourceGroups/{self.rg(target)}/providers/Microsoft.Network/{arm_type}/{target.name}{child}"
        if sub:
            return f"/subscriptions/{sub}{tail}"
        label = f"{_KIND.get(type(target).__name__, type(target).__name__)} '{target.name}'"
        if label not in self._no_sub:
            self._no_sub.append(label)
        return Var("/subscriptions/${SUBSCRIPTION_ID}" + tail, raw=True)

    def az(self, obj, *words: Word, capture: Optional[str] = None) -> Command:
        """`az …` for an object, with --subscription when the design says which one."""
        argv: list[Word] = ["az", *words]
        sub = self.sub(obj) if obj is not None else None
        if sub:
            argv += ["--subscription", sub]
        return Command(tuple(argv), capture=capture)
