"""Property: for a generated design with exactly one invalid field, the reported
line and column are those of that field's value."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdesign.errors import InputError, InputErrors
from erdesign.loader import load_design_text

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).filter(
    lambda s: s[0].isalpha() and s.lower() not in {"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
VALID_BANDWIDTH = st.sampled_from(["50Mbps", "100Mbps", "1Gbps", "10Gbps", "500", "2 Gbps"])

# (field, invalid value) pairs; each is a schema error on a circuit or its peering
INVALID = [
    ("bandwidth", "300Mbps"),
    ("bandwidth", "fast"),
    ("tier", "Gold"),
    ("family", "Metered"),
    ("peer_asn", "notanumber"),
    ("peer_asn", "-5"),
    ("vlan_id", "[1, 2]"),
    ("primary_prefix", "192.0.2.300/30"),
    ("md5", "maybe"),
]


class Doc:
    """Builds YAML text line by line, remembering where each value starts."""

    def __init__(self):
        self.lines: list[str] = []
        self.where: dict[tuple, tuple[int, int]] = {}

    def put(self, indent: int, key: str, value: str | None, path: tuple, dash: bool = False):
        prefix = " " * indent + ("- " if dash else "")
        text = f"{prefix}{key}:" + (f" {value}" if value is not None else "")
        self.lines.append(text)
        if value is not None:
            self.where[path] = (len(self.lines), len(prefix) + len(key) + 3)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@st.composite
def design_with_one_bad_field(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    names = draw(st.lists(NAMES, min_size=n, max_size=n, unique=True))
    indent = draw(st.sampled_from([2, 4]))
    bad_index = draw(st.integers(min_value=0, max_value=n - 1))
    bad_field, bad_value = draw(st.sampled_from(INVALID))
    doc = Doc()
    doc.lines.append(draw(st.sampled_from(["# generated", "version: 1", "name: gen"])))
    doc.lines.append("circuits:")
    for i, name in enumerate(names):
        def val(field, good):
            return bad_value if (i == bad_index and field == bad_field) else good

        base = indent
        doc.put(base, "name", name, ("circuits", i, "name"), dash=True)
        inner = base + 2
        doc.put(inner, "provider", "Equinix", ("circuits", i, "provider"))
        doc.put(inner, "bandwidth", val("bandwidth", draw(VALID_BANDWIDTH)), ("circuits", i, "bandwidth"))
        doc.put(inner, "sku", None, ("circuits", i, "sku"))
        doc.put(inner + indent, "tier", val("tier", "Standard"), ("circuits", i, "sku", "tier"))
        doc.put(inner + indent, "family", val("family", "MeteredData"), ("circuits", i, "sku", "family"))
        doc.put(inner, "peerings", None, ("circuits", i, "peerings"))
        p = inner + indent
        doc.put(p, "type", "AzurePrivatePeering", ("circuits", i, "peerings", 0, "type"), dash=True)
        doc.put(p + 2, "peer_asn", val("peer_asn", str(64512 + i)), ("circuits", i, "peerings", 0, "peer_asn"))
        doc.put(p + 2, "primary_prefix", val("primary_prefix", f"192.0.2.{8 * i}/30"),
                ("circuits", i, "peerings", 0, "primary_prefix"))
        doc.put(p + 2, "vlan_id", val("vlan_id", str(100 + i)), ("circuits", i, "peerings", 0, "vlan_id"))
        doc.put(p + 2, "md5", val("md5", "false"), ("circuits", i, "peerings", 0, "md5"))
    field_path = {
        "bandwidth": ("circuits", bad_index, "bandwidth"),
        "tier": ("circuits", bad_index, "sku", "tier"),
        "family": ("circuits", bad_index, "sku", "family"),
    }.get(bad_field, ("circuits", bad_index, "peerings", 0, bad_field))
    return doc.text(), doc.where[field_path], field_path


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(design_with_one_bad_field())
def test_reported_location_is_the_invalid_field(case):
    text, (line, col), field_path = case
    with pytest.raises((InputError, InputErrors)) as info:
        load_design_text(text, "gen.yaml")
    exc = info.value
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    assert len(errors) == 1, [str(e) for e in errors]
    err = errors[0]
    assert (err.loc.file, err.loc.line, err.loc.col) == ("gen.yaml", line, col), (str(err), text)
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else p for p in field_path).replace(".[", "[")
    assert err.message.startswith(dotted + ":"), err.message


@settings(max_examples=40, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=6, unique=True))
def test_valid_designs_keep_field_locations(names):
    lines = ["circuits:"]
    for name in names:
        lines += [f"  - name: {name}", "    bandwidth: 1Gbps", "    provider: X"]
    design = load_design_text("\n".join(lines) + "\n", "ok.yaml")
    for i, circuit in enumerate(design.circuits):
        assert circuit.loc("bandwidth") == ("ok.yaml", 3 + 3 * i, 16)
        assert circuit.loc() == ("ok.yaml", 2 + 3 * i, 5)
        assert circuit.path == f"circuits[{i}]"
