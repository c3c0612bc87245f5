"""Live views of a running deployment, as az prints them with ``-o json`` (the REST bodies have the same shape).

| kind                  | command                                                        | shape                          |
|-----------------------|----------------------------------------------------------------|--------------------------------|
| route_table           | az network express-route list-route-tables --path P            | {value: [{network, nextHop, path, locPrf, weight}]} |
| route_table_summary   | az network express-route list-route-tables-summary --path P    | {value: [{neighbor, v, as, upDown, statePfxRcd}]} |
| arp_table             | az network express-route list-arp-tables --path P              | {value: [{interface, ipAddress, macAddress, age}]} |
| circuit_stats         | az network express-route get-stats                             | {primarybytesIn, primarybytesOut, secondarybytesIn, secondarybytesOut} |
| bgp_peers             | az network vnet-gateway list-bgp-peer-status                   | {value: [{neighbor, asn, state, localAddress, routesReceived, …}]} |
| learned_routes        | az network vnet-gateway list-learned-routes                    | {value: [{network, origin, sourcePeer, asPath, nextHop, localAddress}]} |
| advertised_routes     | az network vnet-gateway list-advertised-routes --peer IP       | same as learned routes         |

Field names from the azure-cli 2.91.0 aaz output schemas (rules/data/live_state.yaml). A bare array
(as older az versions and the seed note print route tables) is accepted too. Learned and advertised
routes share one shape: the file name decides ("advertis…"), else rows without a sourcePeer are
advertised routes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import Loc

ROUTE_TABLE = "route_table"
ROUTE_TABLE_SUMMARY = "route_table_summary"
ARP_TABLE = "arp_table"
CIRCUIT_STATS = "circuit_stats"
BGP_PEERS = "bgp_peers"
LEARNED_ROUTES = "learned_routes"
ADVERTISED_ROUTES = "advertised_routes"

CIRCUIT_VIEWS = (ROUTE_TABLE, ROUTE_TABLE_SUMMARY, ARP_TABLE, CIRCUIT_STATS)
GATEWAY_VIEWS = (BGP_PEERS, LEARNED_ROUTES, ADVERTISED_ROUTES)

LABELS = {
    ROUTE_TABLE: "route table (list-route-tables)",
    ROUTE_TABLE_SUMMARY: "route table summary (list-route-tables-summary)",
    ARP_TABLE: "ARP table (list-arp-tables)",
    CIRCUIT_STATS: "circuit statistics (get-stats)",
    BGP_PEERS: "BGP peer status (list-bgp-peer-status)",
    LEARNED_ROUTES: "learned routes (list-learned-routes)",
    ADVERTISED_ROUTES: "advertised routes (list-advertised-routes)",
}

_STATS_KEYS = {"primarybytesIn", "primarybytesOut", "secondarybytesIn", "secondarybytesOut"}

# (kind, keys every row has) in the order they are tried
_ROW_SHAPES = [
    (ARP_TABLE, {"interface", "ipAddress", "macAddress"}),
    (ROUTE_TABLE_SUMMARY, {"neighbor", "statePfxRcd"}),
    (BGP_PEERS, {"neighbor", "asn", "state"}),
    (ROUTE_TABLE, {"network", "nextHop", "path"}),
    (LEARNED_ROUTES, {"network", "origin", "asPath"}),
]

# file-name words that say what an empty table is
_NAME_HINTS = [
    (ARP_TABLE, ("arp",)),
    (ROUTE_TABLE_SUMMARY, ("summary",)),
    (BGP_PEERS, ("bgp-peer", "bgp_peer", "peer-status", "peer_status")),
    (ADVERTISED_ROUTES, ("advertis",)),
    (LEARNED_ROUTES, ("learned",)),
    (ROUTE_TABLE, ("route-table", "route_table", "routetable", "route-tables")),
]


@dataclass
class LiveView:
    """One live-state document: what it is, its rows (each a located dict), and where it came from."""

    kind: str
    file: str
    loc: Optional[Loc]
    rows: list = field(default_factory=list)
    root: Any = None

    @property
    def name(self) -> str:
        return os.path.basename(self.file).lower()

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def row_loc(self, index: int, key: Optional[str] = None) -> Optional[Loc]:
        row = self.rows[index]
        if key is not None and hasattr(row, "value_loc") and key in row:
            return row.value_loc(key) or getattr(row, "loc", None)
        return getattr(row, "loc", None) or self.loc


def _rows(root: Any) -> Optional[list]:
    if isinstance(root, list):
        return root
    if isinstance(root, dict) and isinstance(root.get("value"), list):
        extra = set(root) - {"value", "nextLink"}
        return None if extra else root["value"]
    return None


def _hint(file: str) -> Optional[str]:
    name = os.path.basename(file).lower()
    for kind, words in _NAME_HINTS:
        if any(w in name for w in words):
            return kind
    return None


def live_kind(root: Any, file: str = "") -> Optional[str]:
    """What live view a parsed JSON document is, or None if it is none of them."""
    if isinstance(root, dict) and _STATS_KEYS <= set(root):
        return CIRCUIT_STATS
    rows = _rows(root)
    if rows is None:
        return None
    dicts = [r for r in rows if isinstance(r, dict)]
    if not dicts:
        # an empty table: only the file name can say what it is (a bare [] is never one)
        return _hint(file) if isinstance(root, dict) else None
    if len(dicts) != len(rows) or any("type" in r and "id" in r for r in dicts):
        return None
    for kind, keys in _ROW_SHAPES:
        if all(keys <= set(r) for r in dicts):
            if kind == LEARNED_ROUTES:
                hinted = _hint(file)
                if hinted in (LEARNED_ROUTES, ADVERTISED_ROUTES):
                    return hinted
                return ADVERTISED_ROUTES if all(not r.get("sourcePeer") for r in dicts) else LEARNED_ROUTES
            return kind
    return None


def read_view(root: Any, file: str, kind: Optional[str] = None) -> LiveView:
    kind = kind or live_kind(root, file)
    rows = [] if kind == CIRCUIT_STATS else list(_rows(root) or [])
    return LiveView(kind=kind, file=file, loc=getattr(root, "loc", None) or Loc(file, 1, 1), rows=rows, root=root)
