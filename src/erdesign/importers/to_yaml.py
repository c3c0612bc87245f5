"""A design -> readable design YAML (what `erdesign import` writes).

Sections and keys come in the model's order (as in examples/seed.yaml),
defaults are left out, bandwidths are written as 1Gbps / 500Mbps, and small
objects of plain values go on one line in flow style.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

import yaml

from .. import model as m

_FLOW_WIDTH = 100
_SECTION = re.compile(r"^[a-z_]+:$")


class _Flow(dict):
    pass


class _FlowList(list):
    pass


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # indent list items under their key
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True


def _represent_flow(dumper, data):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_flow_list(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)

_CDumper = None
if hasattr(yaml, "CSafeDumper"):
    class _CDumper(yaml.CSafeDumper):  # LibYAML's emitter: the same text once lists are indented (below)
        def ignore_aliases(self, data):
            return True

    _CDumper.add_representer(_Flow, _represent_flow)
    _CDumper.add_representer(_FlowList, _represent_flow_list)


def design_data(design: m.Design) -> dict:
    """Plain data of a design: defaults left out, bandwidths as text."""
    data: dict[str, Any] = {"version": m.FORMAT_VERSION}
    dumped = design.model_dump(mode="json", exclude_defaults=True)
    dumped.pop("version", None)
    for key, value in dumped.items():
        data[key] = value
    for circuit_data, circuit in zip(data.get("circuits", []), design.circuits):
        # unknown at design time: written as `unknown` for the user to fill in (see the notes)
        circuit_data["bandwidth"] = m.format_bandwidth(circuit.bandwidth) if circuit.bandwidth is not None else m.UNKNOWN_MARKER
        circuit_data["sku"] = {"tier": circuit.sku.tier, "family": circuit.sku.family}  # always both: they set the price
        if circuit.sku.name:
            circuit_data["sku"]["name"] = circuit.sku.name
        circuit_data = _reorder(circuit_data, m.Circuit)
        peerings = circuit_data.get("peerings", [])
        for i, peering in enumerate(circuit.peerings):  # the type is written even when it is the default
            peerings[i] = {"type": peering.type, **{k: v for k, v in peerings[i].items() if k != "type"}}
    for port_data, port in zip(data.get("express_route_ports", []), design.express_route_ports):
        port_data["bandwidth"] = m.format_bandwidth(port.bandwidth) if port.bandwidth is not None else m.UNKNOWN_MARKER
    for gateway_data, gateway in zip(data.get("gateways", []), design.gateways):
        if gateway.sku is None:
            gateway_data["sku"] = m.UNKNOWN_MARKER
    for provider_data, provider in zip(data.get("providers", []), design.providers):
        for vc_data, vc in zip(provider_data.get("virtual_circuits", []), provider.virtual_circuits):
            if vc.bandwidth:
                vc_data["bandwidth"] = m.format_bandwidth(vc.bandwidth)
    if not data.get("traffic"):
        data.pop("traffic", None)
    return data


def _reorder(data: dict, cls) -> dict:
    """Keys in the model's field order (in place, so the enclosing list keeps the same dict)."""
    ordered = {k: data[k] for k in cls.model_fields if k in data}
    data.clear()
    data.update(ordered)
    return data


def _fits_flow(value: Any) -> bool:
    """Whether `value` written in flow style ({a: 1, b: x} / [a, b]) is at most _FLOW_WIDTH wide.

    Dumping measures it exactly but is slow; quoting only ever adds characters, so a value whose
    bare text is already too wide is decided without dumping.
    """
    items = value.items() if isinstance(value, dict) else ((v, "") for v in value)
    bare = sum(len(str(k)) + len(str(v)) + 2 for k, v in items)
    if bare > _FLOW_WIDTH + 2:
        return False
    width = _plain_flow_width(value)
    if width is not None:
        return width <= _FLOW_WIDTH
    return len(yaml.dump(value, Dumper=yaml.SafeDumper, default_flow_style=True, width=10_000).strip()) <= _FLOW_WIDTH


_SIMPLE_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]*")
_resolver = yaml.resolver.Resolver()


def _plain_text(value: Any) -> Optional[str]:
    """How a scalar is written in flow style when that is plain and certain, else None."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    if type(value) is str and _SIMPLE_TEXT.fullmatch(value) \
            and _resolver.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str":
        return value
    if type(value) is list and not value:
        return "[]"
    return None


def _plain_flow_width(value: Any) -> Optional[int]:
    """The exact width of `value` dumped in flow style when every key and value is written plain."""
    parts = []
    lists = set()  # the same list twice would be dumped as an anchor and an alias
    pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    for key, item in pairs:
        text = _plain_text(item)
        if text is None or (type(item) is list and id(item) in lists):
            return None
        if type(item) is list:
            lists.add(id(item))
        if key is not None:
            key_text = _plain_text(key)
            if key_text is None or key_text == "[]":
                return None
            text = f"{key_text}: {text}"
        parts.append(text)
    return len(", ".join(parts)) + 2


def _styled(value: Any, depth: int) -> Any:
    if isinstance(value, dict):
        plain = all(not isinstance(v, (dict, list)) or (isinstance(v, list) and not v) for v in value.values())
        styled = {k: _styled(v, depth + 1) for k, v in value.items()}
        if depth >= 2 and plain and value and _fits_flow(value):
            return _Flow(styled)
        return styled
    if isinstance(value, list):
        if value and all(not isinstance(v, (dict, list)) for v in value) and _fits_flow(value):
            return _FlowList(value)
        return [_styled(v, depth + 1) for v in value]
    return value


def to_yaml(design: m.Design, sources: Iterable[str] = (), notes: Optional[list] = None) -> str:
    """Design YAML text; `sources` and `notes` go into the header comment."""
    data = design_data(design)
    body = _dump(_styled(data, 0))
    body = _blank_lines_between_sections(body)
    header = ["# Design imported by `erdesign import`."]
    files = list(sources)
    if files:
        header.append("# From: " + ", ".join(files))
    if notes:
        header.append("# Import notes (`erdesign rules explain IMP001` ... IMP007 say more):")
        for note in notes:
            where = f"{note.loc}: " if note.loc else ""
            header.append(f"#   {where}{note.rule} {note.message}".replace("\n", " "))
    return "\n".join(header) + "\n" + body


def _dump(data: dict) -> str:
    options = {"sort_keys": False, "allow_unicode": True, "width": _FLOW_WIDTH + 20, "default_flow_style": False}
    if _CDumper is not None and _simple_text(data):
        fast = _indent_lists(yaml.dump(data, Dumper=_CDumper, **options))
        if fast is not None:
            return fast
    return yaml.dump(data, Dumper=_Dumper, **options)


def _simple_text(value: Any) -> bool:
    """Whether every string in `value` is short, one-line printable ASCII (where both emitters agree)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and (len(item) > 80 or not (item.isascii() and item.isprintable())):
            return False
    return True


def _indent_lists(text: str) -> Optional[str]:
    """LibYAML's output with each block list indented under its key, as the Python emitter writes it
    here; None when the result could differ from the Python emitter's (a line long enough to be
    wrapped, or a list directly inside a list)."""
    out = []
    open_lists: list[int] = []  # indentation of the lists open at this line, as LibYAML wrote them
    limit = _FLOW_WIDTH + 20
    for line in text.split("\n"):
        content = line.lstrip(" ")
        if not content:
            out.append(line)
            continue
        indent = len(line) - len(content)
        item = content.startswith("- ") or content == "-"
        while open_lists and (indent < open_lists[-1] or (indent == open_lists[-1] and not item)):
            open_lists.pop()
        if item and (not open_lists or open_lists[-1] != indent):
            open_lists.append(indent)
        if content.startswith("- - ") or len(line) + 2 * len(open_lists) >= limit:
            return None
        out.append(" " * (2 * len(open_lists)) + line)
    return "\n".join(out)


def _blank_lines_between_sections(text: str) -> str:
    out: list[str] = []
    for line in text.splitlines():
        if out and _SECTION.match(line):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"
