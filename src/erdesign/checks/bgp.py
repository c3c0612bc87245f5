"""BGP: peer and customer ASNs, and consistency between the on-prem routers and the peering.

Reserved and private ASN ranges come from rules/data/asns.yaml; the SLA's
two-session requirement from rules/data/addressing.yaml.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional

from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design, Peering, Router
from ._common import ROLES, evidence, link_of, peerings, who

_OWNER_RULE = {"azure": "BGP001", "iana": "BGP002"}
_OWNER_NAME = {"azure": "Azure", "iana": "IANA"}


def _span(entry: dict) -> str:
    start, end = entry["start"], entry["end"]
    return str(start) if start == end else f"{start}–{end}"


@lru_cache(maxsize=1)
def _reserved() -> tuple:
    return tuple(table("asns")["reserved"])


def reserved_entry(asn: int, peering_type: str) -> Optional[dict]:
    """The asns.yaml reserved range holding `asn` that applies to this peering type, or None."""
    for entry in _reserved():
        if entry["start"] <= asn <= entry["end"]:
            scope = entry.get("scope", "all")
            if scope == "all" or (scope == "private_peering" and peering_type == "AzurePrivatePeering"):
                return entry
    return None


def private_range(asn: int) -> Optional[dict]:
    return next((r for r in table("asns")["private_ranges"] if r["start"] <= asn <= r["end"]), None)


def _unreserved_private_range(asn: Optional[int], peering_type: str) -> Optional[dict]:
    """The private range holding `asn`, unless it is unset or reserved (BGP001/BGP002 report those)."""
    if asn is None or reserved_entry(asn, peering_type):
        return None
    return private_range(asn)


def _asn_fields(peering: Peering):
    yield "peer_asn", "peer ASN", peering.peer_asn
    yield "customer_asn", "customer ASN", peering.customer_asn


def _reserved_findings(design: Design, owner: str) -> Iterable[Finding]:
    rule = _OWNER_RULE[owner]
    for circuit, peering in peerings(design):
        for field, label, asn in _asn_fields(peering):
            if asn is None:
                continue
            entry = reserved_entry(asn, peering.type)
            if entry is None or entry["owner"] != owner:
                continue
            span = _span(entry)
            shown = f" ({span})" if entry["start"] != entry["end"] else ""
            yield Finding(
                rule,
                f"{who(circuit, peering)}: {label} {asn} is reserved by {_OWNER_NAME[owner]}{shown}",
                node=peering, field=(field,),
                evidence=[evidence("asns", entry["source"], f"{_OWNER_NAME[owner]}-reserved ASN: {entry['reason']}", span)],
            )


@check("BGP001")
def azure_reserved_asn(design: Design) -> Iterable[Finding]:
    return _reserved_findings(design, "azure")


@check("BGP002")
def iana_reserved_asn(design: Design) -> Iterable[Finding]:
    return _reserved_findings(design, "iana")


@check("BGP003")
def microsoft_peering_private_peer_asn(design: Design) -> Iterable[Finding]:
    rules = table("asns")["microsoft_peering"]
    if not rules.get("private_peer_asn_requires_manual_validation"):
        return
    for circuit, peering in peerings(design):
        asn = peering.peer_asn
        rng = _unreserved_private_range(asn, peering.type) if peering.type == "MicrosoftPeering" else None
        if rng is None:
            continue
        yield Finding(
            "BGP003",
            f"{who(circuit, peering)}: peer ASN {asn} is private; Microsoft peering accepts it only after "
            "manual validation, and Microsoft strips private ASNs from the AS path",
            node=peering, field=("peer_asn",),
            evidence=[evidence("asns", rng["source"], "private ASN range", _span(rng)),
                      evidence("asns", rules["source"], "private peer ASN on Microsoft peering", "needs manual validation")],
        )


@check("BGP004")
def microsoft_peering_customer_asn_public(design: Design) -> Iterable[Finding]:
    rules = table("asns")["microsoft_peering"]
    if not rules.get("customer_asn_must_be_public"):
        return
    for circuit, peering in peerings(design):
        asn = peering.customer_asn
        rng = _unreserved_private_range(asn, peering.type)
        if rng is None:
            continue
        yield Finding(
            "BGP004",
            f"{who(circuit, peering)}: customer ASN {asn} is private; a customer ASN on Microsoft peering must be public",
            node=peering, field=("customer_asn",),
            evidence=[evidence("asns", rng["source"], "private ASN range", _span(rng))],
        )


@check("BGP005")
def missing_peer_asn(design: Design) -> Iterable[Finding]:
    for circuit, peering in peerings(design):
        if peering.peer_asn is None:
            yield Finding(
                "BGP005",
                f"{who(circuit, peering)}: no peer ASN; both BGP sessions need your side's AS number",
                node=peering,
            )


def _linked_routers(design: Design, peering: Peering):
    """(role, link, router) for each link that names a router of the design."""
    for role in ROLES:
        link = link_of(peering, role)
        router = design.router(link.router) if link is not None and link.router else None
        if router is not None:
            yield role, link, router


@check("BGP006")
def router_asn_matches_peer_asn(design: Design) -> Iterable[Finding]:
    for circuit, peering in peerings(design):
        if peering.peer_asn is None:
            continue
        routers: dict[str, Router] = {}
        for _, _, router in _linked_routers(design, peering):
            if router.asn is not None:
                routers.setdefault(router.name, router)
        wrong = [r for r in routers.values() if r.asn != peering.peer_asn]
        if not wrong:
            continue
        if len(wrong) == len(routers) and len({r.asn for r in wrong}) == 1:
            # the routers agree with each other: the peering's peer ASN is the odd one out
            names = " and ".join(f"'{r.name}'" for r in wrong)
            plural = "s" if len(wrong) > 1 else ""
            yield Finding(
                "BGP006",
                f"{who(circuit, peering)}: peer ASN {peering.peer_asn} differs from the ASN of router{plural} {names} "
                f"({wrong[0].asn}); the BGP sessions won't come up",
                node=peering, field=("peer_asn",),
                hint=f"Set peer_asn to {wrong[0].asn}, or correct the routers' asn.",
            )
            continue
        for router in wrong:
            yield Finding(
                "BGP006",
                f"{who(circuit, peering)}: router '{router.name}' has ASN {router.asn} but the peering's peer ASN is "
                f"{peering.peer_asn}; the BGP session won't come up",
                node=router, field=("asn",),
                hint=f"Set router '{router.name}' asn to {peering.peer_asn}, or correct the peering's peer_asn.",
            )


@check("BGP007")
def microsoft_side_asn(design: Design) -> Iterable[Finding]:
    msft = table("asns")["microsoft_asn"]
    for circuit, peering in peerings(design):
        if peering.azure_asn is not None and peering.azure_asn != msft["value"]:
            yield Finding(
                "BGP007",
                f"{who(circuit, peering)}: azure_asn is {peering.azure_asn}, but Microsoft's side of every "
                f"ExpressRoute peering is AS {msft['value']}",
                node=peering, field=("azure_asn",),
                evidence=[evidence("asns", msft["source"], "Microsoft ASN", msft["value"])],
                hint=f"Set azure_asn to {msft['value']} (or leave it out) and peer your routers with AS {msft['value']}.",
            )


@check("BGP008")
def both_sessions(design: Design) -> Iterable[Finding]:
    redundancy = table("addressing")["redundancy"]
    if not redundancy.get("both_bgp_sessions_required_for_sla"):
        return
    ev = evidence("addressing", redundancy["source"], "BGP sessions needed for the availability SLA",
                  "primary and secondary")
    for circuit, peering in peerings(design):
        present = [role for role in ROLES if link_of(peering, role) is not None]
        if len(present) != 1:
            continue
        have = present[0]
        missing = "secondary" if have == "primary" else "primary"
        link = link_of(peering, have)
        if link is None:  # not reached: `have` is a role with a link
            continue
        where = f" (router '{link.router}')" if link.router else ""
        yield Finding(
            "BGP008",
            f"{who(circuit, peering)}: only the {have} BGP session is configured{where}; without the {missing} "
            "session the circuit has no redundancy and the availability SLA doesn't apply",
            node=peering, field=(f"{have}_link",), evidence=[ev],
            hint=f"Add {missing}_link with the router that terminates the {missing} link.",
        )


@check("BGP009")
def sessions_on_distinct_routers(design: Design) -> Iterable[Finding]:
    for circuit, peering in peerings(design):
        primary, secondary = peering.primary_link, peering.secondary_link
        if not (primary and secondary and primary.router and secondary.router):
            continue
        if primary.router != secondary.router:
            continue
        same_port = primary.interface and primary.interface == secondary.interface
        port = f", on the same interface {primary.interface}" if same_port else ""
        yield Finding(
            "BGP009",
            f"{who(circuit, peering)}: primary and secondary links both terminate on router '{primary.router}'{port}; "
            "one device failure takes down both BGP sessions",
            node=secondary, field=("router",),
        )
