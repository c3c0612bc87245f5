"""Findings that rest on a value the input leaves to the deployment are held back.

An importer marks each field whose value is known only at deployment (a template parameter with
no value, ``reference()``, Terraform's ``after_unknown``) in ``node._unknown``. A finding about
such a node is held back when it is about that field (``finding.field``) or when its rule needs
the field to judge (``NEEDS``): "no peer ASN" must not fire for a peer ASN that is merely
unknown. Instead, one IMP008 note per object says which checks could not run and why.
"""
from __future__ import annotations

from typing import Iterable

from .finding import Finding

# Rules that report a value as missing or judge an object by a field their finding does not name.
NEEDS: dict[str, tuple[str, ...]] = {
    "BGP005": ("peer_asn",),
    "NET003": ("prefix", "primary_prefix", "secondary_prefix"),
    "RES007": ("provider", "express_route_port"),
    "RES001": ("region",),
    "RES011": ("region",),
    "RES002": ("peering_location",),
    "VLAN001": ("vlan_id",),
    "VLAN005": ("vlan_id",),
    "GW012": ("scale_units",),
    "RES009": ("bfd",),
}


def _blocking(finding: Finding) -> tuple[str, ...]:
    node = finding.node
    if node is None or not hasattr(node, "is_unknown"):
        return ()
    fields = set(NEEDS.get(finding.rule, ()))
    if finding.field and isinstance(finding.field[0], str):
        fields.add(finding.field[0])
    fields.add("type")  # an object whose kind is unknown (gatewayType, peeringType) is judged by no rule
    return tuple(f for f in sorted(fields) if node.is_unknown(f))


def hold_back(findings: Iterable[Finding], design=None) -> tuple[list[Finding], list[Finding]]:
    """(findings to report, one IMP008 note per object whose checks were held back)."""
    from .tree import ancestry, describe

    kept: list[Finding] = []
    held: dict[int, tuple] = {}
    for f in findings:
        blocking = _blocking(f)
        if not blocking:
            kept.append(f)
            continue
        entry = held.setdefault(id(f.node), (f.node, {}, set()))
        entry[1].setdefault(f.rule, set()).update(blocking)
        entry[2].update(blocking)
    notes = []
    chains = ancestry(design) if held and design is not None else {}
    for node, rules, fields in held.values():
        by_value: dict = {}  # fields that one unknown value leaves unset are named together
        for name in sorted(fields):
            value = node.unknown_value(name)
            key = (value.text, getattr(value, "loc", None), getattr(value, "why", ""))
            by_value.setdefault(key, []).append(name.replace("_", " "))
        reasons = []
        for (text, loc, why), names in by_value.items():
            where = f" at {loc}" if loc else ""
            verb = "is" if len(names) == 1 else "are"
            reasons.append(f"{', '.join(names)} {verb} unknown: {text}{where} ({why})")
        what = describe(node, chains.get(id(node))) if id(node) in chains else (getattr(node, "name", None) or node.path)
        notes.append(Finding(
            "IMP008",
            f"{what}: {len(rules)} check{'s' if len(rules) != 1 else ''} could not run "
            f"({', '.join(sorted(rules))}) because {'; '.join(reasons)}",
            node=node,
        ))
    return kept, notes
