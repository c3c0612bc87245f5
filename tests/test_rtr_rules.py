"""The customer edge: router-config rendering (golden), render -> check round trips, the RTR rules on failing
fixtures (rule and line:col), Microsoft's published samples, both Junos forms, and the CLI."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import erdesign
from erdesign.edge.attach import attach_router_configs, parse_config
from erdesign.edge.junos import statements
from erdesign.edge.render import VENDORS, render_router, select_routers
from erdesign.engine.runner import lint
from erdesign.errors import InputError
from erdesign.loader import load_design_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden" / "router-config"
FIXTURES = Path(__file__).parent / "fixtures" / "router"
CATALOG = ROOT / "rules" / "catalog"
RTR_PAGES = sorted(CATALOG.glob("RTR*.yaml"))

ciscoconfparse2 = pytest.importorskip("ciscoconfparse2", reason="router configuration checks need ciscoconfparse2")


def rtr_findings(design):
    report = lint(design, select=["RTR"])
    assert report.errors == []
    return [f for f in report.active if f.rule.startswith("RTR")]


def render_all(design, vendor):
    return "\n".join(render_router(design, t, vendor) for t in select_routers(design, None))


# --------------------------------------------------------------------------- rendering

@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("example", ["seed", "minimal", "multi-region"])
def test_rendered_configuration_matches_golden(example, vendor):
    design = erdesign.load(str(EXAMPLES / f"{example}.yaml"))
    golden = (GOLDEN / f"{example}.{vendor}.cfg").read_text(encoding="utf-8")
    assert render_all(design, vendor) == golden


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("example", ["seed", "minimal", "multi-region"])
def test_render_then_check_round_trip_has_no_findings(example, vendor, tmp_path):
    design = erdesign.load(str(EXAMPLES / f"{example}.yaml"))
    pairs = []
    for target in select_routers(design, None):
        path = tmp_path / f"{target.name}.cfg"
        path.write_text(render_router(design, target, vendor), encoding="utf-8")
        pairs.append((target.name if target.router is not None else None, str(path)))
    attach_router_configs(design, pairs)
    assert [f"{f.loc} {f.rule} {f.message}" for f in rtr_findings(design)] == []
    # and every link of the design was found in the configurations
    assert sum(len(t.links) for t in select_routers(design, None)) >= 2


@pytest.mark.parametrize("vendor", ["ios-xe", "eos"])
def test_rendered_ios_style_parses_with_ciscoconfparse2(vendor):
    design = erdesign.load(str(EXAMPLES / "multi-region.yaml"))
    text = render_router(design, select_routers(design, "nyc-rtr1")[0], vendor)
    parse = ciscoconfparse2.CiscoConfParse(text.splitlines(), syntax="ios")
    interfaces = parse.find_objects(r"^interface ")
    assert [o.text for o in interfaces] == ["interface Te0/1/0.100", "interface Te0/1/0.101"]
    assert len(parse.find_objects(r"^router bgp 64512$")) == 1
    assert len([o for o in parse.find_objects(r"neighbor \S+ remote-as 12076$")]) == 2


def test_rendered_junos_parses_with_ciscoconfparse2_and_agrees_with_the_reader():
    design = erdesign.load(str(EXAMPLES / "multi-region.yaml"))
    text = render_router(design, select_routers(design, "fra-rtr2")[0], "junos")
    parse = ciscoconfparse2.CiscoConfParse(text.splitlines(), syntax="junos")
    theirs = sorted(o.text.strip() for o in parse.find_objects(r"^\s+neighbor "))
    mine = sorted("neighbor " + [w.text for w in s][-1] for s, in
                  [(s,) for s in statements(text, "x")[0]] if [w.text for w in s][-2:-1] == ["neighbor"])
    assert theirs == mine == ["neighbor 172.31.1.14", "neighbor 172.31.1.6"]


def test_md5_is_a_placeholder_never_a_key():
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    design.circuits[0].peerings[0].md5 = True
    for vendor in VENDORS:
        text = render_all(design, vendor)
        assert "MD5-KEY-PLACEHOLDER" in text


def test_vrf_renders_and_round_trips(tmp_path):
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    for router in design.routers:
        router.vrf = "CUST1"
    for vendor in VENDORS:
        target = select_routers(design, "rtr1")[0]
        text = render_router(design, target, vendor)
        assert "CUST1" in text
        path = tmp_path / f"rtr1.{vendor}"
        path.write_text(text, encoding="utf-8")
        attach_router_configs(design, [("rtr1", str(path))])
        assert rtr_findings(design) == [], vendor


# --------------------------------------------------------------------------- every mismatch kind, at its line

FAILING = [
    ("seed-rtr1-tags.cfg", "RTR001", 8, 22, "S-tag 30"),
    ("seed-rtr1-ctag.conf", "RTR001", 11, 38, "C-tag/VLAN 82"),
    ("seed-rtr1-address.cfg", "RTR002", 9, 13, "192.0.2.97/29"),
    ("seed-rtr1-neighbor-missing.cfg", "RTR003", 6, 11, "no BGP neighbour 192.0.2.98"),
    ("seed-rtr1-neighbor-address.eos", "RTR003", 22, 13, "192.0.2.99 is not Microsoft's address"),
    ("seed-rtr1-remote-as.conf", "RTR004", 46, 21, "remote AS 8075"),
    ("seed-rtr1-local-as.cfg", "RTR005", 20, 12, "AS 65010"),
    ("seed-rtr1-md5.cfg", "RTR006", 26, 22, "has an MD5 key (value not shown)"),
    ("seed-rtr1-bfd.eos", "RTR007", 22, 13, "has no BFD"),
    ("seed-rtr1-max-prefix.conf", "RTR008", 56, 33, "maximum-prefix 20,000 is above the 1,000"),
    ("seed-rtr1-no-max-prefix.cfg", "RTR008", 23, 11, "has no maximum-prefix"),
    ("seed-rtr1-advertised.cfg", "RTR009", 14, 61, "a range (10.0.0.0/8 and longer)"),
    ("seed-rtr1-advertised-missing.conf", "RTR009", 50, 20, "does not advertise 203.0.113.0/24"),
]


@pytest.mark.parametrize("name,rule,line,col,text", FAILING, ids=[f[0] for f in FAILING])
def test_each_mismatch_is_reported_at_its_line(name, rule, line, col, text):
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    attach_router_configs(design, [("rtr1", str(FIXTURES / name))])
    found = [(f.rule, f.loc.line, f.loc.col) for f in rtr_findings(design)]
    assert found == [(rule, line, col)]
    message = rtr_findings(design)[0].message
    assert text in message and message.startswith("router 'rtr1': circuit 'useasterc1cust1'")


def test_one_session_only(tmp_path):
    design = erdesign.load(str(EXAMPLES / "minimal.yaml"))
    primary = select_routers(design, "unnamed-primary-router")[0]
    path = tmp_path / "primary.cfg"
    path.write_text(render_router(design, primary, "ios-xe"), encoding="utf-8")
    attach_router_configs(design, [(None, str(path))])
    found = rtr_findings(design)
    assert [f.rule for f in found] == ["RTR010"]
    assert "secondary session (neighbour 172.16.0.6)" in found[0].message
    assert found[0].loc.file == str(path)


def test_md5_missing_on_the_router_side():
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    design.circuits[0].peerings[0].md5 = True
    attach_router_configs(design, [("rtr1", str(GOLDEN / "seed.ios-xe.cfg"))])
    rules = {f.rule for f in rtr_findings(design)}
    assert rules == {"RTR006"}


def test_secret_values_are_never_printed(run_cli):
    result = run_cli("lint", str(EXAMPLES / "seed.yaml"), "--select", "RTR", "--router-config",
                     f"rtr1={FIXTURES / 'seed-rtr1-md5.cfg'}", "-f", "json")
    assert result.code == 1
    assert "070C285F4D06485744" not in result.out + result.err
    assert "RTR006" in result.out


# --------------------------------------------------------------------------- Microsoft's published samples

def test_microsoft_bfd_article_sample_via_config_file(run_cli):
    """The BFD article's IOS-XE sample has no maximum-prefix; everything else matches its peering."""
    result = run_cli("lint", str(FIXTURES / "ms-bfd-design.yaml"), "--select", "RTR", "-f", "concise")
    assert result.code == 0
    lines = [line for line in result.out.splitlines() if "RTR" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{FIXTURES / 'ms-bfd-iosxe.cfg'}:12:16: RTR008")


@pytest.mark.parametrize("name,line,col", [("ms-samples-junos.conf", 35, 34), ("ms-samples-eos.cfg", 7, 11),
                                           ("ms-samples-iosxe.cfg", 8, 11)])
def test_microsoft_router_configuration_samples(name, line, col):
    """The samples article's QinQ + eBGP + BFD + prefixes, filled in: only the maximum-prefix guard is missing."""
    design = erdesign.load(str(FIXTURES / "ms-samples-design.yaml"))
    attach_router_configs(design, [(None, str(FIXTURES / name))])
    assert [(f.rule, f.loc.line, f.loc.col) for f in rtr_findings(design)] == [("RTR008", line, col)]


# --------------------------------------------------------------------------- Junos forms and bad input

def test_junos_set_form_gives_the_same_findings(tmp_path):
    curly = (FIXTURES / "seed-rtr1-remote-as.conf").read_text(encoding="utf-8")
    set_form = "\n".join("set " + " ".join(w.text for w in s) for s in statements(curly, "x")[0])
    path = tmp_path / "set.conf"
    path.write_text(set_form + "\n", encoding="utf-8")
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    attach_router_configs(design, [("rtr1", str(path))])
    found = rtr_findings(design)
    assert [f.rule for f in found] == ["RTR004"]
    line = set_form.splitlines()[found[0].loc.line - 1]
    assert line[found[0].loc.col - 1:].startswith("8075")


def test_junos_inactive_and_deactivated_statements_are_left_out():
    curly = "protocols { bgp { group g { inactive: neighbor 192.0.2.98 { peer-as 12076; } neighbor 192.0.2.90; } } }"
    cfg = parse_config(curly, "c.conf", "junos")
    assert [n.address for n in cfg.neighbors] == ["192.0.2.90"]
    set_form = ("set protocols bgp group g neighbor 192.0.2.98 peer-as 12076\n"
                "deactivate protocols bgp group g neighbor 192.0.2.98\n")
    assert parse_config(set_form, "s.conf", "junos").neighbors == []


@pytest.mark.parametrize("text,where", [
    ("interfaces {\n  xe-0/0/0 {\n    unit 0;\n", "c.conf:2:12"),
    ("interfaces {\n}\n}\n", "c.conf:3:1"),
    ("system {\n host-name a\n}\n", "c.conf:2:2"),
])
def test_broken_junos_is_a_located_input_error(text, where):
    with pytest.raises(InputError) as err:
        parse_config(text, "c.conf", "junos")
    assert str(err.value).startswith(where)


def test_cli_errors_are_exit_2(run_cli, tmp_path):
    seed = str(EXAMPLES / "seed.yaml")
    assert run_cli("lint", seed, "--router-config", "nope=x.cfg").code == 2
    missing = run_cli("lint", seed, "--router-config", f"rtr1={tmp_path / 'absent.cfg'}")
    assert missing.code == 2 and "router configuration not found" in missing.err
    assert run_cli("router-config", str(EXAMPLES / "minimal.yaml")).code == 2  # no platform: --vendor needed
    several = run_cli("router-config", seed, "-o", str(tmp_path / "one.cfg"))
    assert several.code == 2 and not (tmp_path / "one.cfg").exists()


def test_cli_writes_one_file_per_router_into_a_folder(run_cli, tmp_path):
    result = run_cli("router-config", str(EXAMPLES / "seed.yaml"), "--vendor", "junos", "-o", str(tmp_path))
    assert result.code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rtr1.cfg", "rtr2.cfg"]
    assert (tmp_path / "rtr1.cfg").read_text(encoding="utf-8") == \
        render_router(erdesign.load(str(EXAMPLES / "seed.yaml")),
                      select_routers(erdesign.load(str(EXAMPLES / "seed.yaml")), "rtr1")[0], "junos")


# --------------------------------------------------------------------------- catalog pages

@pytest.mark.parametrize("path", RTR_PAGES, ids=lambda p: p.stem)
def test_catalog_example_bad_triggers_and_good_does_not(path):
    rule = path.stem
    page = yaml.safe_load(path.read_text(encoding="utf-8"))
    fired = {}
    for which in ("bad", "good"):
        example = yaml.safe_load(page["example"][which])
        design = load_design_text(yaml.safe_dump(example["design"]), f"{rule}.{which}.yaml")
        config = parse_config(example["router_config"], f"{rule}.{which}.cfg", "ios-xe")
        from erdesign.edge.attach import AttachedConfig, set_router_configs

        set_router_configs(design, [AttachedConfig("rtr1", config)])
        found = rtr_findings(design)
        fired[which] = [f.rule for f in found]
        for ev in (e for f in found for e in f.evidence):  # every quoted number names its table and a date
            assert re.search(r" ?\[rules/data/\w+\.yaml\]$", ev.source), ev
            assert re.match(r"\d{4}-\d{2}-\d{2}", ev.as_of), ev
        assert all(f.loc.file == f"{rule}.{which}.cfg" and f.severity == page["severity"] for f in found)
    assert fired["bad"] == [rule]
    assert fired["good"] == []


def test_every_rule_has_a_page():
    from erdesign.checks.router import RULES

    assert sorted(p.stem for p in RTR_PAGES) == sorted(RULES)


# --------------------------------------------------------------------------- more shapes of real configurations

def test_vrf_differs_from_the_design():
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    design.routers[0].vrf = "CUST1"
    attach_router_configs(design, [("rtr1", str(FIXTURES / "seed-rtr1.cfg"))])
    found = rtr_findings(design)
    assert [(f.rule, f.loc.line, f.loc.col) for f in found] == [("RTR011", 6, 11)]
    assert "is in the global table; the design puts the link in VRF CUST1" in found[0].message


def test_clean_rendered_configuration_has_no_findings():
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    attach_router_configs(design, [("rtr1", str(FIXTURES / "seed-rtr1.cfg"))])
    assert rtr_findings(design) == []


def _check_text(tmp_path, text, name="rtr1.cfg"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    attach_router_configs(design, [("rtr1", str(path))])
    return [(f.rule, f.loc.line) for f in rtr_findings(design)]


def test_shut_down_neighbour_is_reported(tmp_path):
    text = (FIXTURES / "seed-rtr1.cfg").read_text(encoding="utf-8").replace(
        " neighbor 192.0.2.98 fall-over bfd\n", " neighbor 192.0.2.98 fall-over bfd\n neighbor 192.0.2.98 shutdown\n")
    assert _check_text(tmp_path, text) == [("RTR003", 26)]


def test_peer_groups_nested_neighbours_and_aggregates(tmp_path):
    """Settings inherited from a peer group; the nested `neighbor X` / `remote-as` form; aggregate-address
    originating an advertised prefix."""
    text = """interface TenGigabitEthernet0/0/0.28
 encapsulation dot1Q 29 second-dot1q 28
 ip address 192.0.2.97 255.255.255.252
 bfd interval 300 min_rx 300 multiplier 3
!
router bgp 65001
 neighbor AZURE peer-group
 neighbor AZURE remote-as 12076
 neighbor AZURE fall-over bfd
 neighbor 192.0.2.98 peer-group AZURE
 address-family ipv4
  network 198.51.100.0 mask 255.255.255.128
  aggregate-address 10.0.0.0 255.255.240.0 summary-only
  network 203.0.113.0
  neighbor AZURE route-map OUT out
  neighbor AZURE maximum-prefix 500 80
  neighbor 192.0.2.98 activate
!
ip prefix-list P seq 5 permit 198.51.100.0/25
ip prefix-list P seq 10 permit 10.0.0.0/20
ip prefix-list P seq 15 permit 203.0.113.0/24
route-map OUT permit 10
 match ip address prefix-list P
 match community 10
route-map OUT deny 20
"""
    assert _check_text(tmp_path, text) == []
    nested = text.replace(" neighbor 192.0.2.98 peer-group AZURE\n",
                          " neighbor 192.0.2.98\n  remote-as 12075\n  bfd fast-detect\n")
    assert _check_text(tmp_path, nested) == [("RTR008", 10), ("RTR004", 11)]  # no group: no maximum-prefix


def test_junos_from_conditions_are_anded(tmp_path):
    """Microsoft's Juniper sample matches `from protocol ...` and a route-filter in one term: only the prefix."""
    base = (GOLDEN / "seed.junos.cfg").read_text(encoding="utf-8").split("\n\n")[0]
    text = base.replace("prefix-list ER-useasterc1cust1-PRIVATE-OUT;\n",
                        "protocol static;\n                prefix-list ER-useasterc1cust1-PRIVATE-OUT;\n")
    assert "protocol static" in text
    assert _check_text(tmp_path, text, "rtr1.conf") == []
    open_term = base.replace("prefix-list ER-useasterc1cust1-PRIVATE-OUT;\n", "protocol direct;\n")
    assert [r for r, _ in _check_text(tmp_path, open_term, "rtr1.conf")] == ["RTR009"]


# --------------------------------------------------------------------------- property: render -> check

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def edge_designs(draw):
    vendor = draw(st.sampled_from(VENDORS))
    vlan = draw(st.integers(1, 4094))
    s_tag = draw(st.none() | st.integers(1, 4094))
    asn = draw(st.integers(64512, 65514))
    base = draw(st.integers(0, 2 ** 21 - 1)) * 8  # a /29 inside 10.0.0.0/8
    prefix = f"10.{base >> 16 & 255}.{base >> 8 & 255}.{base & 255}/29"
    advertised = draw(st.lists(st.sampled_from(["172.16.0.0/16", "172.17.4.0/22", "192.168.10.0/24",
                                                "198.51.100.0/25"]), unique=True, max_size=3))
    md5 = draw(st.booleans())
    bfd = draw(st.sampled_from(["true", "false", "null"]))
    vrf = draw(st.sampled_from(["null", "CUST1", "blue-vrf"]))
    layout = draw(st.sampled_from(["two routers", "one router", "unnamed"]))
    named = layout != "unnamed"
    iface = f"{draw(st.sampled_from(['Te0/0/0', 'xe-1/0/0', 'Ethernet3']))}.{vlan}"
    tag = f", s_tag: {s_tag}" if s_tag is not None else ""
    routers = ""
    links = ""
    if named:
        routers = (f"    routers:\n      - {{name: r1, asn: {asn}, vrf: {vrf}, interfaces: [{{name: {iface}{tag}}}]}}\n"
                   f"      - {{name: r2, asn: {asn}, vrf: {vrf}}}\n")
        second = "r2" if layout == "two routers" else "r1"
        links = (f"        primary_link: {{router: r1, interface: {iface}}}\n"
                 f"        secondary_link: {{router: {second}{tag}}}\n")
    elif s_tag is not None:
        links = f"        primary_link: {{s_tag: {s_tag}}}\n        secondary_link: {{s_tag: {s_tag}}}\n"
    text = (f"version: 1\nsites:\n  - name: dc\n{routers}    advertised_prefixes: [{', '.join(advertised)}]\n"
            f"circuits:\n  - name: er1\n    peering_location: Amsterdam\n    provider: Equinix\n    bandwidth: 1Gbps\n"
            f"    peerings:\n      - type: AzurePrivatePeering\n        peer_asn: {asn}\n        prefix: {prefix}\n"
            f"        vlan_id: {vlan}\n        md5: {str(md5).lower()}\n        bfd: {bfd}\n"
            f"        advertised_prefixes: [{', '.join(advertised)}]\n{links}")
    return text, vendor


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=edge_designs())
def test_any_rendered_design_checks_clean(case, tmp_path):
    text, vendor = case
    design = load_design_text(text, "design.yaml")
    pairs = []
    for target in select_routers(design, None):
        path = tmp_path / f"{target.name}.{vendor}"
        path.write_text(render_router(design, target, vendor), encoding="utf-8")
        pairs.append((target.name if target.router is not None else None, str(path)))
    attach_router_configs(design, pairs)
    assert [f"{f.rule} {f.loc} {f.message}" for f in rtr_findings(design)] == [], text


def test_a_router_suppression_covers_its_configuration_findings():
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))
    from erdesign.model import Suppression

    design.routers[0].suppress.append(Suppression(rule="RTR008", reason="limit set by the carrier"))
    attach_router_configs(design, [("rtr1", str(FIXTURES / "seed-rtr1-no-max-prefix.cfg"))])
    report = lint(design, select=["RTR"])
    assert [f.rule for f in report.active] == []
    assert [(f.rule, f.suppression_reason) for f in report.findings] == [("RTR008", "limit set by the carrier")]


def test_config_file_that_is_missing_is_an_input_error(run_cli, tmp_path):
    design = tmp_path / "d.yaml"
    design.write_text((EXAMPLES / "seed.yaml").read_text(encoding="utf-8").replace(
        "        vendor: cisco\n", "        vendor: cisco\n        config_file: configs/rtr.cfg\n", 1), encoding="utf-8")
    result = run_cli("lint", str(design))
    assert result.code == 2
    assert f"{tmp_path / 'configs' / 'rtr.cfg'}: router configuration not found" in result.err


def test_s_tag_known_only_from_the_provider_allows_a_single_tag(tmp_path):
    """The seed's S-tag 29 is on the router interface (checked strictly); with only the provider's virtual-circuit
    S-tag, a single-tagged sub-interface may be right (the provider pushes the S-tag), a wrong outer tag isn't."""
    design_text = (EXAMPLES / "seed.yaml").read_text(encoding="utf-8").replace(", s_tag: 29, vlan_id: 28}", "}")
    single = (FIXTURES / "seed-rtr1.cfg").read_text(encoding="utf-8").replace(
        "encapsulation dot1Q 29 second-dot1q 28", "encapsulation dot1Q 28")
    wrong_outer = single.replace("encapsulation dot1Q 28", "encapsulation dot1Q 31 second-dot1q 28")
    results = []
    for text in (single, wrong_outer):
        path = tmp_path / "rtr1.cfg"
        path.write_text(text, encoding="utf-8")
        design = load_design_text(design_text, "seed.yaml")
        attach_router_configs(design, [("rtr1", str(path))])
        results.append([(f.rule, f.loc.line) for f in rtr_findings(design)])
    assert results == [[], [("RTR001", 8)]]
    design = erdesign.load(str(EXAMPLES / "seed.yaml"))  # the interface's own s_tag: a single tag is wrong
    path.write_text(single, encoding="utf-8")
    attach_router_configs(design, [("rtr1", str(path))])
    assert [(f.rule, f.loc.line) for f in rtr_findings(design)] == [("RTR001", 8)]


def test_microsoft_interoperability_asr1000_listing(run_cli):
    """A full CE listing (OSPF, IKEv2/IPsec, two BGP neighbours in VRF 30, route-map `set` lines): the
    ExpressRoute session lacks BFD and a maximum-prefix; nothing else, and the IKE key is never printed."""
    result = run_cli("lint", str(FIXTURES / "ms-interop-design.yaml"), "--select", "RTR", "--router-config",
                     f"ce1={FIXTURES / 'ms-interop-asr1000.cfg'}", "-f", "json", "--show-evidence")
    assert result.code == 0
    import json

    found = [(f["rule"], f["line"]) for f in json.loads(result.out)["findings"]]
    assert found == [("RTR007", 25), ("RTR008", 25)]
    assert "IamSecure123" not in result.out + result.err


def test_junos_set_form_with_a_prompt_echo(tmp_path):
    text = ("user@mx1> show configuration | display set\n"
            "set interfaces xe-0/0/0 unit 28 vlan-tags outer 29 inner 28\n"
            "set interfaces xe-0/0/0 unit 28 family inet address 192.0.2.97/30\n")
    cfg = parse_config(text, "mx1.set", None)
    assert cfg.dialect == "junos" and [i.name for i in cfg.interfaces] == ["xe-0/0/0.28"]
    assert cfg.interfaces[0].tags == (29, 28) and cfg.interfaces[0].outer_tag.loc.line == 2


def test_schema_describes_the_router_fields(run_cli):
    import json

    result = run_cli("schema")
    defs = json.loads(result.out)["$defs"]
    assert {"platform", "vrf", "config_file"} <= set(defs["Router"]["properties"])
    assert defs["Router"]["properties"]["platform"]["examples"] == ["ios-xe", "junos", "eos"]
    assert {"parent", "vrf", "s_tag", "vlan_id"} <= set(defs["RouterInterface"]["properties"])


def test_notes_on_what_was_not_read_go_to_stderr_with_verbose(run_cli, tmp_path):
    path = tmp_path / "n.conf"
    path.write_text("set interfaces xe-0/0/0 unit 28 family inet address 192.0.2.97/30\nset apply-groups base\n",
                    encoding="utf-8")
    result = run_cli("lint", str(EXAMPLES / "seed.yaml"), "--select", "RTR", "--router-config", f"rtr1={path}", "-v")
    assert "apply-groups: settings inherited from configuration groups are not read (not checked)" in result.err


def _leaf_paths_by_ciscoconfparse2(text: str) -> set:
    parse = ciscoconfparse2.CiscoConfParse(text.splitlines(), syntax="junos")
    out = set()
    for obj in parse.objs:
        line = obj.text.strip()
        if obj.children or not line or line.startswith(("/*", "*", "#")):
            continue
        out.add(" ".join([a.text.strip() for a in obj.all_parents] + [line]).replace('"', ""))
    return out


def _leaf_paths_by_reader(text: str) -> set:
    found = [tuple(w.text for w in s) for s in statements(text, "x")[0]]
    return {" ".join(s) for s in found if not any(len(o) > len(s) and o[:len(s)] == s for o in found)}


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.junos.cfg")) + [FIXTURES / "ms-samples-junos.conf"],
                         ids=lambda p: p.name)
def test_junos_reader_agrees_with_ciscoconfparse2(path):
    """Every statement path of the rendered Junos configurations (and Microsoft's Juniper sample) is read the same
    by erdesign's Junos reader and by ciscoconfparse2's junos syntax."""
    for text in path.read_text(encoding="utf-8").split("\n\n"):  # one router per block
        if text.strip():
            ours = _leaf_paths_by_reader(text)
            assert ours and ours == _leaf_paths_by_ciscoconfparse2(text)
