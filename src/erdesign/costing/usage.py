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
    scenario: Optional[str] = None  # None: the base traffic
    # a growing scenario is priced at its average month; these are its first and last months' egress
    egress_first: dict[str, Decimal] = field(default_factory=dict)
    egress_last: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Scenario:
    """The traffic of one scenario: the entries to read and the weight of each (scale × growth)."""

    name: Optional[str]
    circuits: list = field(default_factory=list)
    vnet_peerings: list = field(default_factory=list)
    global_reach: list = field(default_factory=list)
    vpn: list = field(default_factory=list)
    weights: dict[int, Decimal] = field(default_factory=dict)  # id(entry) -> factor on its volume
    growth_average: Decimal = Decimal(1)  # growth: the average month's factor (the first month is 1)
    growth_last: Decimal = Decimal(1)
    description: str = "the traffic as given"

    def weight(self, entry) -> Decimal:
        return self.weights.get(id(entry), Decimal(1))


SCENARIO_KEYS = {
    "circuits": lambda t: t.circuit,
    "vnet_peerings": lambda t: t.vnet_peering,
    "global_reach": lambda t: frozenset((t.circuit, t.peer_circuit)),
    "vpn": lambda t: t.gateway,
}


def scenario_names(design) -> list[str]:
    return [s.name for s in design.traffic.scenarios]


def growth_factors(pct_month: Decimal, months: int) -> tuple[Decimal, Decimal]:
    """(average month, last month) of volumes growing by pct_month % a month from month 1 (factor 1)."""
    from decimal import localcontext

    if pct_month == 0:
        return Decimal(1), Decimal(1)
    with localcontext() as ctx:
        ctx.prec = 40
        rate = 1 + pct_month / 100
        if rate == 0:  # -100 %: everything stops after the first month
            return +(Decimal(1) / months), Decimal(1 if months == 1 else 0)
        last = rate ** (months - 1)
        average = (rate ** months - 1) / ((rate - 1) * months)
    return +average, +last


def scenario(design, name: Optional[str], months: int) -> Scenario:
    """The traffic of scenario ``name`` (None or 'base': the traffic as given)."""
    traffic = design.traffic
    base = Scenario(name=None, circuits=list(traffic.circuits), vnet_peerings=list(traffic.vnet_peerings),
                    global_reach=list(traffic.global_reach), vpn=list(traffic.vpn))
    if name is None or name == "base":
        return base
    found = next((s for s in traffic.scenarios if s.name == name), None)
    if found is None:
        names = ["base"] + scenario_names(design)
        raise InputError(f"--scenario: no scenario '{name}' in the design's traffic.scenarios"
                         f"{did_you_mean(name, names)} (scenarios: {', '.join(names)}, or all)")
    scale = dec(found.scale)
    average, last = growth_factors(dec(found.growth_pct_month), months)
    out = Scenario(name=found.name, growth_average=average, growth_last=last)
    for section, key in SCENARIO_KEYS.items():
        replaced = {key(t) for t in getattr(found, section)}
        kept = [t for t in getattr(base, section) if key(t) not in replaced]
        for t in kept:
            out.weights[id(t)] = scale * average
        for t in getattr(found, section):
            out.weights[id(t)] = average
        setattr(out, section, kept + list(getattr(found, section)))
    parts = []
    if scale != 1:
        parts.append(f"base traffic × {found.scale:g}")
    replaced_n = sum(len(getattr(found, section)) for section in SCENARIO_KEYS)
    if replaced_n:
        parts.append(f"{replaced_n} volume{'s' if replaced_n != 1 else ''} replaced")
    if found.growth_pct_month:
        parts.append(f"growing {found.growth_pct_month:g}%/month, priced at its average month over {months} months "
                     f"(× {fmt_factor(average)}; the last month is × {fmt_factor(last)})")
    out.description = "; ".join(parts) or "the traffic as given"
    return out


def fmt_factor(value: Decimal) -> str:
    from .money import fmt_number

    return fmt_number(value, 3)


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
               vpn: Optional[Mapping[str, Any]] = None, scenario_name: Optional[str] = None,
               months: int = 36) -> Usage:
    """Usage from design.traffic (or one of its scenarios), then the overrides (which replace the
    design's numbers, in every scenario)."""
    usage = Usage()
    circuits = [c.name for c in design.circuits]
    peerings = {p.name: p for p in design.vnet_peerings}
    traffic = scenario(design, scenario_name, months)
    usage.scenario = traffic.name
    _check_scenario_names(design, traffic)

    for t in traffic.circuits:
        gb = _capped(dec(t.egress_gb_month) * traffic.weight(t))
        usage.egress[t.circuit] = usage.egress.get(t.circuit, Decimal(0)) + gb
        if traffic.growth_average != 1:
            first = dec(t.egress_gb_month) * traffic.weight(t) / traffic.growth_average
            usage.egress_first[t.circuit] = usage.egress_first.get(t.circuit, Decimal(0)) + _capped(first)
            usage.egress_last[t.circuit] = (usage.egress_last.get(t.circuit, Decimal(0))
                                            + _capped(first * traffic.growth_last))
    for name, gb in (egress or {}).items():
        _check_name("--egress", name, circuits)
        usage.egress[name] = _volume("--egress", name, gb)
        usage.egress_first.pop(name, None)
        usage.egress_last.pop(name, None)

    # per peering object: (outbound, inbound) as given
    given: dict[str, list[Optional[Decimal]]] = {}
    for t in traffic.vnet_peerings:
        out, inn = given.setdefault(t.vnet_peering, [None, None])
        given[t.vnet_peering] = [(out or Decimal(0)) + _capped(dec(t.outbound_gb_month) * traffic.weight(t)),
                                 (inn or Decimal(0)) + _capped(dec(t.inbound_gb_month) * traffic.weight(t))]
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

    for t in traffic.global_reach:
        key = frozenset((t.circuit, t.peer_circuit))
        usage.global_reach[key] = usage.global_reach.get(key, Decimal(0)) + _capped(dec(t.gb_month) * traffic.weight(t))
    for pair, gb in (global_reach or {}).items():
        a, b = pair if isinstance(pair, tuple) else _split_pair(str(pair))
        _check_name("--global-reach", a, circuits)
        _check_name("--global-reach", b, circuits)
        usage.global_reach[frozenset((a, b))] = _volume("--global-reach", f"{a}:{b}", gb)

    for t in traffic.vpn:
        usage.vpn[t.gateway] = usage.vpn.get(t.gateway, Decimal(0)) + _capped(dec(t.egress_gb_month) * traffic.weight(t))
    for name, gb in (vpn or {}).items():
        _check_name("--vpn-gb", name, [g.name for g in design.gateways])
        usage.vpn[name] = _volume("--vpn-gb", name, gb)
    return usage


def _capped(gb: Decimal) -> Decimal:
    """A scenario's volume stays within the model's sanity bound on a volume (a typo guard)."""
    ceiling = _volume_ceiling()
    return min(gb, ceiling) if ceiling is not None else gb


def _check_scenario_names(design, traffic: Scenario) -> None:
    """The objects a scenario names exist (the loader checks the base traffic's)."""
    if traffic.name is None:
        return
    found = next(s for s in design.traffic.scenarios if s.name == traffic.name)
    known = {
        "circuits": ("circuit", [c.name for c in design.circuits]),
        "vnet_peerings": ("vnet_peering", [p.name for p in design.vnet_peerings]),
        "vpn": ("gateway", [g.name for g in design.gateways]),
    }
    for section, (attr, names) in known.items():
        for t in getattr(found, section):
            if getattr(t, attr) not in names:
                raise InputError(f"traffic.scenarios '{found.name}': no {attr.replace('_', ' ')} "
                                 f"'{getattr(t, attr)}' in the design{did_you_mean(getattr(t, attr), names)}",
                                 t.loc(attr))
    circuits = [c.name for c in design.circuits]
    for t in found.global_reach:
        for attr in ("circuit", "peer_circuit"):
            if getattr(t, attr) not in circuits:
                raise InputError(f"traffic.scenarios '{found.name}': no circuit '{getattr(t, attr)}' in the design"
                                 f"{did_you_mean(getattr(t, attr), circuits)}", t.loc(attr))


def _split_pair(text: str) -> tuple[str, str]:
    for sep in (":", ","):
        if sep in text:
            a, _, b = text.partition(sep)
            if a.strip() and b.strip():
                return a.strip(), b.strip()
    raise InputError(f"--global-reach: {text!r} should name two circuits, like CIRCUIT:PEER=GB")
