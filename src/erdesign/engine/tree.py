"""Where a node sits in a design: its ancestors, a readable label and a stable resource id.

Node paths (``circuits[0].peerings[0]``) are per file and index-based; the
resource id (``circuits/er-ams/peerings/AzurePrivatePeering``) uses names, so
it survives reordering and merging files (SARIF fingerprints rely on that).
"""
from __future__ import annotations

from typing import Optional

from ..model import Node, Peering

# A chain is the list of (field, key, node) steps from the design down to a node.
Chain = tuple

_LABELS = {
    "Site": "site", "Router": "router", "RouterInterface": "interface", "Provider": "provider",
    "VirtualCircuit": "virtual circuit", "CrossConnect": "cross-connect", "Circuit": "circuit",
    "Peering": "peering", "ExpressRoutePort": "ExpressRoute Direct port", "VNet": "VNet", "Subnet": "subnet",
    "RouteTable": "route table", "Nsg": "NSG", "PublicIp": "public IP", "RouteFilter": "route filter",
    "Gateway": "gateway", "Connection": "connection", "VNetPeering": "VNet peering",
}


def _key(node: Node, index: int) -> str:
    if isinstance(node, Peering):
        return str(node.type)
    name = getattr(node, "name", None)
    return str(name) if isinstance(name, str) and name else str(index)


def ancestry(root: Node) -> dict[int, Chain]:
    """id(node) -> chain of (field, key, node) from the root, for every node under `root`."""
    out: dict[int, Chain] = {}
    stack: list[tuple[Node, Chain]] = [(root, ())]
    while stack:
        node, chain = stack.pop()
        out[id(node)] = chain
        for field in type(node).model_fields:
            value = getattr(node, field)
            if isinstance(value, Node):
                stack.append((value, chain + ((field, None, value),)))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, Node):
                        stack.append((item, chain + ((field, _key(item, i), item),)))
    return out


def resource_id(chain: Chain) -> str:
    parts = []
    for field, key, _ in chain:
        parts.append(field if key is None else f"{field}/{key}")
    return "/".join(parts)


def describe(node: Node, chain: Optional[Chain] = None) -> str:
    """'circuit 'er-ams'', 'VNet 'hub' subnet 'GatewaySubnet'', 'circuit 'x' peering AzurePrivatePeering'."""
    steps = [n for _, _, n in (chain or ())] or [node]
    words = []
    for step in steps:
        label = _LABELS.get(type(step).__name__)
        if label is None:
            continue
        if label == "peering":
            words.append(f"peering {step.type}")
        else:
            words.append(f"{label} '{getattr(step, 'name', '?')}'")
    # keep the innermost two levels: enough to name it, short enough to read
    return " ".join(words[-2:]) if words else "design"
