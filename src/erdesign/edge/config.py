"""What erdesign reads from a router configuration, in one shape for every dialect, each item with its place
(line and column) in the file. Secrets are never kept: a password or authentication key is recorded as present,
with its place, and nothing else."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import Loc


@dataclass
class Item:
    """A value read from the configuration and where it was written."""

    value: Any  # a number, text or an ipaddress interface, as the field it is in says
    loc: Loc


@dataclass
class ConfigInterface:
    name: str
    loc: Loc
    outer_tag: Optional[Item] = None  # S-tag (or the only tag, see inner_tag)
    inner_tag: Optional[Item] = None  # C-tag of a Q-in-Q sub-interface
    tags_loc: Optional[Loc] = None  # the encapsulation / vlan statement
    addresses: list[Item] = field(default_factory=list)  # ip_interface values
    vrf: Optional[Item] = None
    bfd: Optional[Loc] = None  # interface-level BFD timers

    @property
    def tags(self) -> tuple[Optional[int], Optional[int]]:
        """(S-tag, C-tag); a single-tagged sub-interface has (None, tag)."""
        if self.inner_tag is None:
            return None, (self.outer_tag.value if self.outer_tag else None)
        return self.outer_tag.value if self.outer_tag else None, self.inner_tag.value


@dataclass
class PrefixEntry:
    action: str  # permit | deny
    prefix: ipaddress.IPv4Network | ipaddress.IPv6Network
    loc: Loc
    ge: Optional[int] = None
    le: Optional[int] = None
    exact: bool = True  # Junos route-filter exact / prefix-list; IOS entries without ge/le

    def matches(self, net) -> bool:
        if net.version != self.prefix.version:
            return False
        if self.ge is None and self.le is None:
            if self.exact:
                return net == self.prefix
            return net.subnet_of(self.prefix)  # orlonger
        low = self.ge if self.ge is not None else self.prefix.prefixlen
        high = self.le if self.le is not None else net.max_prefixlen
        return net.subnet_of(self.prefix) and low <= net.prefixlen <= high

    @property
    def is_range(self) -> bool:
        return not self.exact or self.ge is not None or self.le is not None


@dataclass
class PolicyClause:
    """One route-map clause or one policy-statement term."""

    action: str  # permit | deny | other (no accept/reject: falls through)
    loc: Loc
    prefix_lists: list[Item] = field(default_factory=list)  # names
    prefixes: list[PrefixEntry] = field(default_factory=list)  # Junos route-filter
    other_match: Optional[Item] = None  # a match on something else (community, ACL, protocol...)


@dataclass
class ConfigNeighbor:
    address: str
    loc: Loc
    vrf: Optional[str] = None
    remote_as: Optional[Item] = None
    local_as: Optional[Item] = None  # the session's own AS: local-as override, else the BGP process AS
    password: Optional[Loc] = None  # where the MD5 key is set (never the key)
    bfd: Optional[Loc] = None
    max_prefix: Optional[Item] = None
    export_policies: list[Item] = field(default_factory=list)  # route-map out / export policy names
    export_prefix_lists: list[Item] = field(default_factory=list)  # IOS/EOS "prefix-list NAME out"
    shutdown: Optional[Loc] = None


@dataclass
class RouterConfig:
    file: str
    dialect: str  # ios-xe | eos | junos
    interfaces: list[ConfigInterface] = field(default_factory=list)
    neighbors: list[ConfigNeighbor] = field(default_factory=list)
    bgp_loc: Optional[Loc] = None
    networks: dict = field(default_factory=dict)  # vrf (None: global) -> [Item(network)]
    redistributes: dict = field(default_factory=dict)  # vrf -> [Loc]
    prefix_lists: dict = field(default_factory=dict)  # name -> [PrefixEntry]
    policies: dict = field(default_factory=dict)  # name -> [PolicyClause]
    notes: list[str] = field(default_factory=list)  # what was read but not understood

    def addresses(self) -> set:
        """Every interface address and neighbour address, for matching links by their /30."""
        out: set = set()
        for iface in self.interfaces:
            out.update(a.value.ip for a in iface.addresses if a.value.version == 4)
        for nb in self.neighbors:
            try:
                address = ipaddress.ip_address(nb.address)
            except ValueError:
                continue
            if address.version == 4:  # ipaddress would test an IPv6 address's low 32 bits against an IPv4 network
                out.add(address)
        return out

    def start(self) -> Loc:
        return Loc(self.file, 1, 1)


# --------------------------------------------------------------------------- interface names

_ABBREVIATIONS = {
    # Cisco IOS-XE / Arista EOS short forms people write in designs; compared case-insensitively.
    "te": "tengigabitethernet", "gi": "gigabitethernet", "fa": "fastethernet", "hu": "hundredgige",
    "fo": "fortygigabitethernet", "twe": "twentyfivegige", "tw": "twogigabitethernet", "fi": "fivegigabitethernet",
    "et": "ethernet", "eth": "ethernet", "po": "port-channel", "be": "bundle-ether", "ae": "ae",
}
_NAME_RE = re.compile(r"^([A-Za-z][A-Za-z-]*?)\s*([0-9].*)?$")


def canonical_interface(name: str) -> str:
    """'Te0/0/0.28' and 'TenGigabitEthernet0/0/0.28' -> 'tengigabitethernet0/0/0.28'."""
    text = name.strip()
    match = _NAME_RE.match(text)
    if not match:
        return text.lower()
    kind, rest = match.group(1).lower(), match.group(2) or ""
    kind = _ABBREVIATIONS.get(kind, kind)
    return kind + rest.lower()


def same_interface(a: str, b: str) -> bool:
    ca, cb = canonical_interface(a), canonical_interface(b)
    if ca == cb:
        return True
    # 'TenGig0/0/0.28' vs 'TenGigabitEthernet0/0/0.28': one kind a prefix of the other, same numbers
    ma, mb = _NAME_RE.match(a.strip()), _NAME_RE.match(b.strip())
    if not (ma and mb) or (ma.group(2) or "").lower() != (mb.group(2) or "").lower():
        return False
    ka, kb = canonical_interface(ma.group(1)), canonical_interface(mb.group(1))
    return len(min(ka, kb, key=len)) >= 2 and (ka.startswith(kb) or kb.startswith(ka))


def parse_asn(text: str) -> Optional[int]:
    """'65001' -> 65001; asdot '1.10' -> 65546; anything else -> None."""
    text = text.strip().strip(";")
    if text.isdecimal():
        return int(text)
    high, dot, low = text.partition(".")
    if dot and high.isdecimal() and low.isdecimal() and int(high) < 65536 and int(low) < 65536:
        return int(high) * 65536 + int(low)
    return None
