"""Object-by-object, field-by-field comparison of two designs, with locations on both sides.

Objects are matched by kind and name (a rename is a removal plus an addition, as it is in
Azure). Inside an object, lists of named items (peerings by type, subnets, virtual circuits,
routers, interfaces, Global Reach links by peer) are matched by name too, so reordering a
list is not a change; lists of plain values (address spaces, prefixes) compare as a whole.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..errors import Loc
from ..model import Design, Node, format_bandwidth

# design section -> object kind
SECTIONS = {
    "sites": "site", "providers": "provider", "express_route_ports": "express_route_port",
    "circuits": "circuit", "vnets": "vnet", "route_tables": "route_table", "nsgs": "nsg",
    "public_ips": "public_ip", "route_filters": "route_filter", "gateways": "gateway",
    "connections": "connection", "vnet_peerings": "vnet_peering",
}
KIND_LABELS = {
    "site": "site", "provider": "provider", "express_route_port": "ExpressRoute Direct port", "circuit": "circuit",
    "vnet": "VNet", "route_table": "route table", "nsg": "NSG", "public_ip": "public IP",
    "route_filter": "route filter", "gateway": "gateway", "connection": "connection",
    "vnet_peering": "VNet peering", "traffic": "traffic",
}
_TRAFFIC_KEYS = {"circuits": ("circuit",), "vnet_peerings": ("vnet_peering",),
                 "global_reach": ("circuit", "peer_circuit"), "vpn": ("gateway",)}


@dataclass(frozen=True)
class Key:
    """A list item's key inside a field path: peerings[AzurePrivatePeering]."""

    value: str

    def __str__(self) -> str:
        return f"[{self.value}]"


class Keyed(dict):
    """A list of named items, as {key: item}."""


@dataclass
class FieldChange:
    kind: str
    name: str
    path: tuple  # field names (str) and Keys, from the object down
    change: str  # "added", "removed" (a whole object or list item) or "changed"
    old: Any = None
    new: Any = None
    old_loc: Optional[Loc] = None
    new_loc: Optional[Loc] = None

    @property
    def object_label(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.kind)} '{self.name}'"

    @property
    def field(self) -> str:
        """'peerings[AzurePrivatePeering].vlan_id' ('' for a whole object)."""
        out = ""
        for part in self.path:
            out += str(part) if isinstance(part, Key) else ("." if out else "") + part
        return out

    @property
    def safety_field(self) -> str:
        """The field as the change-safety table names it: keys dropped, '(added)' / '(removed)' for items."""
        names = ".".join(p for p in self.path if isinstance(p, str))
        if self.change in ("added", "removed") and (not self.path or isinstance(self.path[-1], Key)):
            return f"{names}({self.change})"
        return names


def flatten_design(design: Design) -> dict[tuple[str, str], tuple[Any, dict]]:
    """(kind, name) -> (nested plain value, {path: Loc}) for every object of the design."""
    out: dict[tuple[str, str], tuple[Any, dict]] = {}
    for section, kind in SECTIONS.items():
        for node in getattr(design, section):
            locs: dict = {(): node.loc()}
            out[(kind, node.name)] = (_dump(node, (), locs), locs)
    for section, keys in _TRAFFIC_KEYS.items():
        for item in getattr(design.traffic, section):
            name = f"{section}/" + ":".join(str(getattr(item, k)) for k in keys)
            locs = {(): item.loc()}
            out[("traffic", name)] = (_dump(item, (), locs), locs)
    return out


def _item_key(node: Node, index: int) -> str:
    if type(node).__name__ == "Peering":
        return str(node.type)
    if type(node).__name__ == "GlobalReachLink":
        return str(node.peer_circuit)
    name = getattr(node, "name", None)
    return str(name) if isinstance(name, str) and name else str(index)


def _dump(node: Node, path: tuple, locs: dict) -> dict:
    out: dict[str, Any] = {}
    for field in type(node).model_fields:
        if field == "name" and path == ():
            continue
        value = getattr(node, field)
        here = path + (field,)
        locs[here] = node.loc(field) or node.loc()
        if isinstance(value, Node):
            out[field] = _dump(value, here, locs)
        elif isinstance(value, list) and value and all(isinstance(v, Node) for v in value):
            keyed = Keyed()
            for i, item in enumerate(value):
                key = Key(_item_key(item, i))
                locs[here + (key,)] = item.loc() or locs[here]
                keyed[key] = _dump(item, here + (key,), locs)
            out[field] = keyed
        else:
            out[field] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def compare_objects(old: Design, new: Design) -> list[FieldChange]:
    """Every added, removed and changed object and field, in the new design's order (removals last)."""
    before, after = flatten_design(old), flatten_design(new)
    changes: list[FieldChange] = []
    for key, (value, locs) in after.items():
        kind, name = key
        if key not in before:
            changes.append(FieldChange(kind, name, (), "added", None, _summary(value), None, locs[()]))
            continue
        old_value, old_locs = before[key]
        _walk(kind, name, (), old_value, value, old_locs, locs, changes)
    for key, (value, locs) in before.items():
        if key not in after:
            changes.append(FieldChange(key[0], key[1], (), "removed", _summary(value), None, locs[()], None))
    return changes


def _walk(kind, name, path, old, new, old_locs, new_locs, out: list[FieldChange]) -> None:
    if isinstance(old, Keyed) or isinstance(new, Keyed):
        old_items = old if isinstance(old, Keyed) else Keyed()
        new_items = new if isinstance(new, Keyed) else Keyed()
        for key, item in new_items.items():
            if key not in old_items:
                out.append(FieldChange(kind, name, path + (key,), "added", None, _summary(item),
                                       _nearest(old_locs, path), new_locs.get(path + (key,))))
            else:
                _walk(kind, name, path + (key,), old_items[key], item, old_locs, new_locs, out)
        for key, item in old_items.items():
            if key not in new_items:
                out.append(FieldChange(kind, name, path + (key,), "removed", _summary(item), None,
                                       old_locs.get(path + (key,)), _nearest(new_locs, path)))
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for field in new:
            _walk(kind, name, path + (field,), old.get(field), new[field], old_locs, new_locs, out)
        return
    if old != new:
        out.append(FieldChange(kind, name, path, "changed", _summary(old), _summary(new),
                               _nearest(old_locs, path), _nearest(new_locs, path)))


def _nearest(locs: dict, path: tuple) -> Optional[Loc]:
    while True:
        if locs.get(path) is not None or not path:
            return locs.get(path)
        path = path[:-1]


def _summary(value: Any) -> Any:
    """A plain value for reports: keyed lists back to lists, nested objects as dicts."""
    if isinstance(value, Keyed):
        return [_summary(v) for v in value.values()]
    if isinstance(value, dict):
        return {k: _summary(v) for k, v in value.items()}
    return value


def show_value(field_path: tuple, value: Any) -> str:
    """How a value reads in a report: bandwidths as 1Gbps, lists comma-separated, objects by name."""
    if value is None:
        return "(none)"
    last = next((p for p in reversed(field_path) if isinstance(p, str)), "")
    if last == "bandwidth" and isinstance(value, int) and not isinstance(value, bool):
        return format_bandwidth(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(show_value((), v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {show_value((k,), v)}" for k, v in value.items()
                          if v not in (None, [], {}, False) and k != "suppress")
        return "{" + inner + "}"
    return str(value)
