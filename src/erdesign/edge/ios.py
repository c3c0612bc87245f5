"""Read a Cisco IOS / IOS-XE or Arista EOS configuration with ciscoconfparse2 (its `ios` syntax parses both
dialects' indented blocks) into erdesign.edge.config's shape. Only what ExpressRoute links need is read:
sub-interfaces, BGP, prefix-lists and route-maps."""
from __future__ import annotations

import ipaddress
from typing import Optional

from ..errors import InputError, Loc
from .config import (ConfigInterface, ConfigNeighbor, Item, PolicyClause, PrefixEntry, RouterConfig, parse_asn)


def _parser(lines: list[str], file: str):
    try:
        from ciscoconfparse2 import CiscoConfParse
        from loguru import logger
    except ImportError:  # pragma: no cover - depends on the installation
        raise InputError("reading IOS-XE / EOS configurations needs ciscoconfparse2: "
                         "pip install 'erdesign[router]'", file=file) from None
    logger.disable("ciscoconfparse2")
    try:
        return CiscoConfParse(lines, syntax="ios", loguru=False, ignore_blank_lines=False)
    except Exception as exc:  # the parser's own errors: report, never a traceback (nor the text: it may hold keys)
        raise InputError(f"cannot read the configuration (ciscoconfparse2: {type(exc).__name__})", file=file) from None


class _Reader:
    def __init__(self, file: str, lines: list[str], dialect: str):
        self.file = file
        self.lines = lines
        self.cfg = RouterConfig(file=file, dialect=dialect)
        self.bgp_asn: Optional[Item] = None
        self.sessions: dict[tuple, ConfigNeighbor] = {}
        self.groups: dict[tuple, str] = {}  # (vrf, neighbor) -> peer group name

    # ---- places
    def loc(self, obj, word_index: Optional[int] = None) -> Loc:
        line = obj.linenum + 1
        text = self.lines[obj.linenum] if 0 <= obj.linenum < len(self.lines) else obj.text
        col = len(text) - len(text.lstrip()) + 1
        if word_index is not None:
            words = text.split()
            pos = 0
            for i, word in enumerate(words):
                pos = text.index(word, pos)
                if i == word_index:
                    col = pos + 1
                    break
                pos += len(word)
        return Loc(self.file, line, col)

    # ---- interfaces
    def interface(self, obj) -> None:
        words = obj.text.split()
        iface = ConfigInterface(name=" ".join(words[1:]), loc=self.loc(obj, 1))
        for child in obj.children:
            w = child.text.split()
            low = [x.lower() for x in w]
            if low[:2] == ["encapsulation", "dot1q"]:
                self._tags(iface, child, w, low)
            elif low[:2] == ["vlan", "id"] and len(w) >= 3 and w[2].isdecimal():  # EOS sub-interface form
                iface.outer_tag = Item(int(w[2]), self.loc(child, 2))
                iface.tags_loc = self.loc(child)
            elif low[:2] in (["ip", "address"], ["ipv4", "address"]) and len(w) >= 3:
                self._address(iface, child, w)
            elif low[:3] == ["ip", "vrf", "forwarding"] and len(w) >= 4:
                iface.vrf = Item(w[3], self.loc(child, 3))
            elif low[:2] == ["vrf", "forwarding"] and len(w) >= 3:
                iface.vrf = Item(w[2], self.loc(child, 2))
            elif low[0] == "vrf" and len(w) == 2:  # EOS (and IOS-XR) form
                iface.vrf = Item(w[1], self.loc(child, 1))
            elif low[0] == "bfd" and len(w) > 1 and low[1] == "interval":
                iface.bfd = self.loc(child)
        self.cfg.interfaces.append(iface)

    def _tags(self, iface: ConfigInterface, child, w: list[str], low: list[str]) -> None:
        iface.tags_loc = self.loc(child)
        numbers = [(i, x) for i, x in enumerate(w) if x.isdecimal()]
        if not numbers:
            return
        first_index, first = numbers[0]
        iface.outer_tag = Item(int(first), self.loc(child, first_index))
        for marker in ("second-dot1q", "inner"):
            if marker in low:
                i = low.index(marker)
                if i + 1 < len(w) and w[i + 1].isdecimal():
                    iface.inner_tag = Item(int(w[i + 1]), self.loc(child, i + 1))

    def _address(self, iface: ConfigInterface, child, w: list[str]) -> None:
        try:
            if "/" in w[2]:
                value = ipaddress.ip_interface(w[2])
            elif len(w) >= 4:
                value = ipaddress.ip_interface(f"{w[2]}/{w[3]}")
            else:
                return
        except ValueError:
            self.cfg.notes.append(f"{self.loc(child, 2)}: unreadable address on interface {iface.name}")
            return
        item = Item(value, self.loc(child, 2))
        if len(w) > 3 and w[-1].lower() == "secondary":
            iface.addresses.append(item)
        else:
            iface.addresses.insert(0, item)

    # ---- BGP
    def bgp(self, obj) -> None:
        words = obj.text.split()
        self.cfg.bgp_loc = self.loc(obj)
        asn = parse_asn(words[2]) if len(words) > 2 else None
        if asn is not None:
            self.bgp_asn = Item(asn, self.loc(obj, 2))
        self._bgp_block(obj.children, None)

    def _bgp_block(self, children, vrf: Optional[str]) -> None:
        for child in children:
            w = child.text.split()
            if not w:
                continue
            low = [x.lower() for x in w]
            if low[0] == "neighbor" and len(w) >= 3:
                self._neighbor(child, w, low, vrf)
            elif low[0] == "neighbor" and len(w) == 2 and child.children:  # nested form: neighbor X / remote-as N
                self._nested_neighbor(child, w[1], vrf)
            elif low[0] == "address-family":
                if len(w) > 1 and low[1] != "ipv4":
                    continue
                inner = w[low.index("vrf") + 1] if "vrf" in low and low.index("vrf") + 1 < len(w) else vrf
                self._bgp_block(child.children, inner)
            elif low[0] == "vrf" and len(w) == 2:  # EOS: router bgp / vrf NAME
                self._bgp_block(child.children, w[1])
            elif low[0] in ("network", "aggregate-address") and len(w) >= 2:
                self._network(child, w, low, vrf)
            elif low[0] == "redistribute":
                self.cfg.redistributes.setdefault(vrf, []).append(self.loc(child))

    def _network(self, child, w, low, vrf) -> None:
        try:
            if "/" in w[1]:
                net = ipaddress.ip_network(w[1], strict=False)
            elif "mask" in low and low.index("mask") + 1 < len(w):
                net = ipaddress.ip_network(f"{w[1]}/{w[low.index('mask') + 1]}", strict=False)
            elif low[0] == "aggregate-address" and len(w) > 2:
                net = ipaddress.ip_network(f"{w[1]}/{w[2]}", strict=False)
            else:
                first = int(w[1].split(".")[0])
                length = 8 if first < 128 else 16 if first < 192 else 24  # classful, as IOS reads it
                net = ipaddress.ip_network(f"{w[1]}/{length}", strict=False)
        except (ValueError, IndexError):
            self.cfg.notes.append(f"{self.loc(child, 1)}: unreadable network statement")
            return
        self.cfg.networks.setdefault(vrf, []).append(Item(net, self.loc(child, 1)))

    def _neighbor(self, child, w, low, vrf, offset: int = 0) -> None:
        """`neighbor KEY VERB ARGS`; `offset` maps word positions to the line when KEY was on a parent line."""
        key = w[1]
        session = self.sessions.get((vrf, key))
        if session is None:
            session = ConfigNeighbor(address=key, loc=self.loc(child, 1), vrf=vrf)
            self.sessions[(vrf, key)] = session
        verb, args = low[2], w[3:]

        def at(index: int) -> Loc:
            return self.loc(child, index - offset)

        if verb == "remote-as" and args:
            asn = parse_asn(args[0])
            if asn is not None:
                session.remote_as = Item(asn, at(3))
        elif verb == "local-as" and args:
            asn = parse_asn(args[0])
            if asn is not None:
                session.local_as = Item(asn, at(3))
        elif verb == "password":
            session.password = at(2)
        elif (verb == "fall-over" and args and args[0].lower() == "bfd") or verb == "bfd":
            session.bfd = at(2)
        elif verb in ("maximum-prefix", "maximum-routes") and args and args[0].isdecimal():
            session.max_prefix = Item(int(args[0]), at(3))
        elif verb == "route-map" and len(args) >= 2 and args[1].lower() == "out":
            session.export_policies.append(Item(args[0], at(3)))
        elif verb == "prefix-list" and len(args) >= 2 and args[1].lower() == "out":
            session.export_prefix_lists.append(Item(args[0], at(3)))
        elif verb == "peer-group" and args:
            self.groups[(vrf, key)] = args[0]
        elif verb == "peer" and len(args) >= 2 and args[0].lower() == "group":  # EOS "peer group NAME"
            self.groups[(vrf, key)] = args[1]
        elif verb == "shutdown":
            session.shutdown = at(2)

    def _nested_neighbor(self, obj, key: str, vrf) -> None:
        self._neighbor(obj, ["neighbor", key, "-"], ["neighbor", key.lower(), "-"], vrf)
        for child in obj.children:
            w = child.text.split()
            if not w:
                continue
            low = [x.lower() for x in w]
            if low[0] == "address-family":
                if len(w) < 2 or low[1] == "ipv4":
                    self._nested_neighbor(child, key, vrf)
                continue
            if low[0] == "route-policy":  # IOS-XR: route-policy NAME out
                low = ["route-map"] + low[1:]
            if low[:2] == ["bfd", "fast-detect"]:
                low = ["bfd"]
            self._neighbor(child, ["neighbor", key] + w, ["neighbor", key.lower()] + low, vrf, offset=2)

    def _finish_neighbors(self) -> None:
        for (vrf, key), session in self.sessions.items():
            try:
                ipaddress.ip_address(key)
            except ValueError:
                continue  # a peer group: its settings flow into its members below
            group_name = self.groups.get((vrf, key))
            group = None
            if group_name:
                group = self.sessions.get((vrf, group_name)) or self.sessions.get((None, group_name))
            if group is not None:
                for attr in ("remote_as", "local_as", "password", "bfd", "max_prefix", "shutdown"):
                    if getattr(session, attr) is None and getattr(group, attr) is not None:
                        setattr(session, attr, getattr(group, attr))
                if not session.export_policies:
                    session.export_policies = list(group.export_policies)
                if not session.export_prefix_lists:
                    session.export_prefix_lists = list(group.export_prefix_lists)
            if session.local_as is None and self.bgp_asn is not None:
                session.local_as = self.bgp_asn
            self.cfg.neighbors.append(session)

    # ---- prefix-lists and route-maps
    def prefix_list(self, obj) -> None:
        w = obj.text.split()
        if len(w) < 3:
            return
        name = w[2]
        entries = self.cfg.prefix_lists.setdefault(name, [])
        if len(w) > 3:
            self._prefix_entry(entries, obj, w, 3)
        for child in obj.children:  # EOS block form: "ip prefix-list NAME" / "seq 10 permit P"
            self._prefix_entry(entries, child, child.text.split(), 0)

    def _prefix_entry(self, entries: list, obj, w: list[str], start: int) -> None:
        low = [x.lower() for x in w]
        i = start
        if i < len(w) and low[i] == "seq":
            i += 2
        if i + 1 >= len(w) or low[i] not in ("permit", "deny"):
            return
        try:
            net = ipaddress.ip_network(w[i + 1], strict=False)
        except ValueError:
            self.cfg.notes.append(f"{self.loc(obj, i + 1)}: unreadable prefix-list entry")
            return
        ge = le = None
        for j in range(i + 2, len(w) - 1):
            if low[j] == "ge" and w[j + 1].isdecimal():
                ge = int(w[j + 1])
            elif low[j] == "le" and w[j + 1].isdecimal():
                le = int(w[j + 1])
        entries.append(PrefixEntry(low[i], net, self.loc(obj, i + 1), ge=ge, le=le))

    def route_map(self, obj) -> None:
        w = obj.text.split()
        if len(w) < 2:
            return
        low = [x.lower() for x in w]
        action = low[2] if len(w) > 2 and low[2] in ("permit", "deny") else "permit"
        clause = PolicyClause(action=action, loc=self.loc(obj, 1))
        for child in obj.children:
            cw = child.text.split()
            cl = [x.lower() for x in cw]
            if cl[:1] != ["match"]:
                continue
            if cl[1:4] == ["ip", "address", "prefix-list"]:
                for k, name in enumerate(cw[4:], start=4):
                    clause.prefix_lists.append(Item(name, self.loc(child, k)))
            else:
                clause.other_match = Item(" ".join(cw[1:3]), self.loc(child, 1))
        self.cfg.policies.setdefault(w[1], []).append(clause)

    def read(self, parse) -> RouterConfig:
        for obj in parse.objs:
            if obj.indent != 0:
                continue
            words = obj.text.split()
            if not words:
                continue
            low = [x.lower() for x in words[:3]]
            if low[0] == "interface" and len(words) >= 2:
                self.interface(obj)
            elif low[:2] == ["router", "bgp"]:
                self.bgp(obj)
            elif low[:2] == ["ip", "prefix-list"]:
                self.prefix_list(obj)
            elif low[0] == "route-map":
                self.route_map(obj)
        self._finish_neighbors()
        return self.cfg


def read_ios(text: str, file: str, dialect: str = "ios-xe") -> RouterConfig:
    """Read an IOS / IOS-XE (dialect 'ios-xe') or Arista EOS ('eos') configuration."""
    lines = text.splitlines()
    parse = _parser(lines, file)
    return _Reader(file, lines, dialect).read(parse)
