"""Monthly usage (GB) from the design's traffic section, with command-line overrides.

Usage that is not given is never guessed: the pricer prices it as 0 GB and the
report says so in its assumptions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Mapping, Optional

from ..errors import InputError, did_you_mean
from .money import dec


@dataclass
class Flow:
    """Data sent from one VNet to another across a peering, GB per month."""

    src: str
    dst: str
    gb: Decimal
    peerings: list[str] = field(default_factory=list)  # the peering objects the number came from


@dataclass
class Usage:
    egress: dict[str, Decimal] = field(default_factory=dict)  # circuit -> GB/month (Azure -> on-prem)
    flows: dict[frozenset, list[Flow]] = field(default_factory=dict)  # VNet link -> flows (given only)
    global_reach: dict[frozenset, Decimal] = field(default_factory=dict)  # circuit pair -> GB/month, both directions
    vpn: dict[str, Decimal] = field(default_factory=dict)  # gateway -> GB/month
    notes: list[str] = field(default_factory=list)  # assumptions made while reading usage


def _check_name(option: str, name: str, known: list[str]) -> None:
    if name not in known:
        raise InputError(f"{option}: no such object '{name}' in the design{did_you_mean(name, known)}")


@lru_cache(maxsize=1)
def _volume_adapter():
    from pydantic import TypeAdapter

    from ..model import Volume

    return TypeAdapter(Volume)


@lru_cache(maxsize=1)
def _volume_ceiling() -> Optional[Decimal]:
    """The model's upper bound on a Volume (exact digits may pass its float check by a hair)."""
    from ..model import Volume

    bounds = [c.le for m in Volume.__metadata__ for c in getattr(m, "metadata", []) if hasattr(c, "le")]
    return dec(bounds[0]) if bounds else None


def _volume(option: str, name: str, value: Any) -> Decimal:
    """A usage value checked exactly like the design's traffic fields (the model's Volume: a number,
    >= 0, <= its sanity bound), worded the same, naming the option. The amount keeps the exact
    digits given (a Decimal or a string), not their float."""
    from pydantic import BaseModel, ValidationError

    from ..loader import located_validation_errors

    try:
        checked = _volume_adapter().validate_python(value)
    except ValidationError as exc:
        problem = located_validation_errors(exc, {}, option, BaseModel).errors[0].message
        raise InputError(f"{option} {name}: {problem}") from None
    try:
        gb = dec(value)
    except (ArithmeticError, TypeError, ValueError):
        gb = dec(checked)
    if not gb.is_finite():
        gb = dec(checked)
    ceiling = _volume_ceiling()
    return abs(max(min(gb, ceiling) if ceiling is not None else gb, Decimal(0)))  # abs: no -0


def read_usage(design, *, egress: Optional[Mapping[str, Any]] = None, peering_out: Optional[Mapping[str, Any]] = None,
               peering_in: Optional[Mapping[str, Any]] = None, global_reach: Optional[Mapping[Any, Any]] = None,
               vpn: Optional[Mapping[str, Any]] = None) -> Usage:
    """Usage from design.traffic, then the overrides (which replace the design's numbers)."""
    usage = Usage()
    circuits = [c.name for c in design.circuits]
    peerings = {p.name: p for p in design.vnet_peerings}

    for t in design.traffic.circuits:
        usage.egress[t.circuit] = usage.egress.get(t.circuit, Decimal(0)) + dec(t.egress_gb_month)
    for name, gb in (egress or {}).items():
        _check_name("--egress", name, circuits)
        usage.egress[name] = _volume("--egress", name, gb)

    # per peering object: (outbound, inbound) as given
    given: dict[str, list[Optional[Decimal]]] = {}
    for t in design.traffic.vnet_peerings:
        out, inn = given.setdefault(t.vnet_peering, [None, None])
        given[t.vnet_peering] = [(out or Decimal(0)) + dec(t.outbound_gb_month),
                                 (inn or Decimal(0)) + dec(t.inbound_gb_month)]
    for option, overrides, index in (("--peering-out", peering_out, 0), ("--peering-in", peering_in, 1)):
        for name, gb in (overrides or {}).items():
            _check_name(option, name, list(peerings))
            pair = given.setdefault(name, [None, None])
            pair[index] = _volume(option, name, gb)
    for name, (out, inn) in given.items():
        peering = peerings.get(name)
        if peering is None:
            continue
        link = frozenset((peering.vnet, peering.remote_vnet))
        for src, dst, gb in ((peering.vnet, peering.remote_vnet, out), (peering.remote_vnet, peering.vnet, inn)):
            if gb is None:
                continue
            flows = usage.flows.setdefault(link, [])
            same = next((f for f in flows if f.src == src and f.dst == dst), None)
            if same is None:
                flows.append(Flow(src, dst, gb, [name]))
            elif same.gb != gb:
                usage.notes.append(
                    f"traffic {src} -> {dst} is given twice ({same.gb} GB by {', '.join(same.peerings)}, {gb} GB by "
                    f"{name}); the larger, {max(same.gb, gb)} GB/month, is priced")
                same.gb = max(same.gb, gb)
                same.peerings.append(name)
            else:
                same.peerings.append(name)

    for t in design.traffic.global_reach:
        key = frozenset((t.circuit, t.peer_circuit))
        usage.global_reach[key] = usage.global_reach.get(key, Decimal(0)) + dec(t.gb_month)
    for pair, gb in (global_reach or {}).items():
        a, b = pair if isinstance(pair, tuple) else _split_pair(str(pair))
        _check_name("--global-reach", a, circuits)
        _check_name("--global-reach", b, circuits)
        usage.global_reach[frozenset((a, b))] = _volume("--global-reach", f"{a}:{b}", gb)

    for t in design.traffic.vpn:
        usage.vpn[t.gateway] = usage.vpn.get(t.gateway, Decimal(0)) + dec(t.egress_gb_month)
    for name, gb in (vpn or {}).items():
        _check_name("--vpn-gb", name, [g.name for g in design.gateways])
        usage.vpn[name] = _volume("--vpn-gb", name, gb)
    return usage


def _split_pair(text: str) -> tuple[str, str]:
    for sep in (":", ","):
        if sep in text:
            a, _, b = text.partition(sep)
            if a.strip() and b.strip():
                return a.strip(), b.strip()
    raise InputError(f"--global-reach: {text!r} should name two circuits, like CIRCUIT:PEER=GB")
