"""Render the router side of a design's ExpressRoute links with the vendor templates in rules/router_templates/.

The templates are data (one Jinja2 file per dialect, citing the Microsoft samples and vendor documents they
follow); this module only prepares their context from erdesign.edge.links.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache
from importlib.resources import files
from typing import Optional

from ..errors import InputError
from ..model import ROUTER_PLATFORMS, Design
from .links import EdgeLink, EdgeRouter, bfd_timers, config_token, edge_routers, edge_table, microsoft_asn

VENDORS = ROUTER_PLATFORMS
LOCAL_ASN_PLACEHOLDER = "LOCAL-ASN"


@lru_cache(maxsize=None)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _template_source(name: str):
    text = (files("erdesign.rules") / "router_templates" / name).read_text(encoding="utf-8")
    return text, None, lambda: True


def _prefix(text: str) -> dict:
    net = ipaddress.ip_network(text, strict=False)
    return {"cidr": str(net), "network": str(net.network_address), "netmask": str(net.netmask),
            "prefixlen": net.prefixlen}


def _comment_text(text: str) -> str:
    """Design text inside a comment or a quoted description: no quotes, comment ends or line breaks."""
    return " ".join(text.replace('"', "'").replace("*/", "* /").split())


def _link_context(link: EdgeLink, router_asn: Optional[int], placeholder_parent: str) -> dict:
    parent = link.parent or f"{placeholder_parent}-{link.role.upper()}"  # two links of one router: two ports
    unit = link.unit or (str(link.c_tag) if link.c_tag is not None else "0")
    ifname = link.interface or f"{parent}.{unit}"
    return {
        "circuit": _comment_text(link.circuit.name),
        "peering": link.peering.type,
        "role": link.role,
        "ifname": ifname,
        "parent": parent,
        "unit": unit,
        "s_tag": link.s_tag,
        "c_tag": link.c_tag if link.c_tag is not None else "VLAN-ID",
        "vrf": link.vrf,
        "customer_ip": str(link.customer_ip),
        "microsoft_ip": str(link.microsoft_ip),
        "netmask": str(link.subnet.netmask),
        "prefixlen": link.subnet.prefixlen,
        "local_as": link.local_asn if link.local_asn is not None and link.local_asn != router_asn else None,
        "md5": link.md5,
        "bfd": link.bfd,
        "max_prefix": link.max_prefix,
        "max_prefix_basis": link.max_prefix_basis,
        "policy": link.policy_name if link.advertised else None,
        "group": f"ER-{config_token(link.circuit.name)}-{link.short_peering}-{link.role.upper()}",
    }


def render_context(design: Design, target: EdgeRouter) -> dict:
    edge = edge_table()
    asn = target.asn
    links = [_link_context(link, asn, edge["parent_placeholder"]) for link in target.links]

    vrfs: list[dict] = []
    for link in links:
        if link["vrf"] and all(v["name"] != link["vrf"] for v in vrfs):
            vrfs.append({"name": link["vrf"], "rd": f"{asn if asn is not None else LOCAL_ASN_PLACEHOLDER}:{link['c_tag']}"})

    groups: list[dict] = []
    for link, ctx in zip(target.links, links):
        group = next((g for g in groups if g["vrf"] == ctx["vrf"]), None)
        if group is None:
            group = {"vrf": ctx["vrf"], "links": [], "networks": []}
            groups.append(group)
        group["links"].append(ctx)
        for text in link.advertised:
            entry = _prefix(text)
            if entry not in group["networks"]:
                group["networks"].append(entry)

    policies: list[dict] = []
    for link in target.links:
        if link.advertised and all(p["name"] != link.policy_name for p in policies):
            policies.append({"name": link.policy_name, "circuit": _comment_text(link.circuit.name),
                             "peering": link.peering.type,
                             "source": _comment_text(link.advertised_from),
                             "prefixes": [_prefix(p) for p in link.advertised]})

    parents: list[dict] = []
    for ctx in links:
        parent = next((p for p in parents if p["name"] == ctx["parent"]), None)
        if parent is None:
            parent = {"name": ctx["parent"], "qinq": False, "units": []}
            parents.append(parent)
        parent["qinq"] = parent["qinq"] or ctx["s_tag"] is not None
        parent["units"].append(ctx)

    return {
        "design_name": _comment_text(design.name or "(unnamed design)"),
        "router": {"name": _comment_text(target.name), "asn": asn,
                   "asn_text": str(asn) if asn is not None else LOCAL_ASN_PLACEHOLDER,
                   "links": links},
        "links": links,
        "vrfs": vrfs,
        "groups": groups,
        "policies": policies,
        "parents": parents,
        "microsoft_asn": microsoft_asn(),
        "bfd": bfd_timers(),
        "md5_placeholder": edge["md5_placeholder"],
    }


def render_router(design: Design, target: EdgeRouter, vendor: str) -> str:
    if vendor not in VENDORS:
        raise InputError(f"unknown vendor '{vendor}' (one of {', '.join(VENDORS)})")
    template = _environment().get_template(f"{vendor}.j2")
    return template.render(**render_context(design, target))


def select_routers(design: Design, name: Optional[str]) -> list[EdgeRouter]:
    """The routers to render: all that terminate links, or the one named (an InputError if it has none)."""
    from ..errors import did_you_mean

    targets = edge_routers(design)
    if name is None:
        return targets
    chosen = [t for t in targets if t.name == name]
    if chosen:
        return chosen
    if design.router(name) is not None:
        raise InputError(f"router '{name}' terminates no ExpressRoute link in the design "
                         "(no peering's primary_link or secondary_link names it)")
    raise InputError(f"no router '{name}' in the design{did_you_mean(name, [t.name for t in targets])}")
