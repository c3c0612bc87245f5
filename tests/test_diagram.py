"""`erdesign diagram`: Mermaid and DOT of every example, checked structurally (and with pydot / dot
where installed); findings and cost labels; the committed docs/diagrams sources are in sync."""
from __future__ import annotations

import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import erdesign
from erdesign.diagram import build, to_dot, to_mermaid

from conftest import EXAMPLES, REPO

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
IDS = [p.stem for p in EXAMPLE_FILES]

_MERMAID_NODE = re.compile(r'^\s*([A-Za-z0-9_]+)(\(\["|\[")(.*)("\]\)|"\])$')
_MERMAID_EDGE = re.compile(r'^\s*([A-Za-z0-9_]+) (-->|-\.->)(\|"[^"]*"\|)? ([A-Za-z0-9_]+)$')


def expected_nodes(design) -> set[str]:
    """What must be drawn: routers, virtual circuits, Direct ports, circuits, gateways, VNets."""
    return ({f"rtr_{r.name}" for r in design.routers}
            | {f"vc_{vc.name}" for p in design.providers for vc in p.virtual_circuits}
            | {f"port_{p.name}" for p in design.express_route_ports}
            | {f"ckt_{c.name}" for c in design.circuits}
            | {f"gw_{g.name}" for g in design.gateways}
            | {f"vnet_{v.name}" for v in design.vnets})


def norm_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def norm_ids(ids) -> set[str]:
    return {norm_id(i) for i in ids}


def parse_mermaid(text: str):
    """A strict reading of the subset we write: nodes, edges, subgraphs, class lines."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes, edges, depth, subgraphs = {}, [], 0, set()
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("subgraph "):
            sid = re.match(r'subgraph ([A-Za-z0-9_]+)\["[^"]*"\]$', stripped)
            assert sid, line
            assert sid.group(1) not in subgraphs
            subgraphs.add(sid.group(1))
            depth += 1
        elif stripped == "end":
            depth -= 1
            assert depth >= 0
        elif stripped.startswith(("classDef ", "class ")):
            continue
        elif m := _MERMAID_EDGE.match(line):
            edges.append((m.group(1), m.group(4), m.group(3) or ""))
        elif m := _MERMAID_NODE.match(line):
            assert m.group(1) not in nodes, f"node declared twice: {m.group(1)}"
            assert '"' not in m.group(3)
            nodes[m.group(1)] = m.group(3)
        else:
            raise AssertionError(f"unexpected Mermaid line: {line!r}")
    assert depth == 0
    for a, b, _ in edges:
        assert a in nodes and b in nodes, (a, b)
    return nodes, edges


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_mermaid_of_every_example(path):
    design = erdesign.load(path)
    nodes, edges = parse_mermaid(to_mermaid(build(design)))
    assert set(nodes) == norm_ids(expected_nodes(design))
    connections = [(norm_id(f"ckt_{c.circuit}"), norm_id(f"gw_{c.gateway}")) for c in design.connections if c.circuit]
    for a, b in connections:
        assert (a, b) in [(x, y) for x, y, _ in edges]
    assert sum(1 for _, _, label in edges if "Global Reach" in label) == len(
        {frozenset((c.name, g.peer_circuit)) for c in design.circuits for g in c.global_reach})


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pyparsing API renames, inside pydot
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_dot_of_every_example(path):
    design = erdesign.load(path)
    text = to_dot(build(design))
    assert text.startswith("digraph erdesign {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    declared = set(re.findall(r"^\s*([A-Za-z0-9_]+) \[label=", text, re.M))
    assert declared == norm_ids(expected_nodes(design))
    for a, b in re.findall(r"^\s*([A-Za-z0-9_]+) -> ([A-Za-z0-9_]+)", text, re.M):
        assert a in declared and b in declared
    if importlib.util.find_spec("pydot") is not None:
        import pydot

        (graph,) = pydot.graph_from_dot_data(text)

        def all_nodes(g):
            found = {n.get_name() for n in g.get_nodes()}
            for sub in g.get_subgraphs():
                found |= all_nodes(sub)
            return found

        assert norm_ids(expected_nodes(design)) <= all_nodes(graph)
        assert len(graph.get_edges()) == len(re.findall(r" -> ", text))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_graphviz_renders_every_example(run_cli, path, tmp_path):
    svg = tmp_path / "d.svg"
    assert run_cli("diagram", path, "-f", "svg", "-o", svg, "--findings", "--cost").code == 0
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    png = tmp_path / "d.png"
    assert run_cli("diagram", path, "-f", "png", "-o", png).code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_findings_mark_the_worst_finding():
    design = erdesign.load(EXAMPLES / "seed.yaml")
    graph = build(design, findings=erdesign.lint(design))
    gw = graph.nodes["gw_erspvnetcust1gw1"]
    assert gw.severity == "warning" and gw.lines[-1].startswith("⚠ ") and gw.lines[-1].endswith(" warning")
    text = to_mermaid(graph)
    assert "classDef warning" in text and re.search(r"class [A-Za-z0-9_,]*gw_erspvnetcust1gw1[A-Za-z0-9_,]* warning", text)
    assert 'gw_erspvnetcust1gw1 [label=' in to_dot(graph) and 'color="#e69500"' in to_dot(graph)
    plain = build(design)
    assert all(n.severity is None for n in plain.nodes.values())


def test_cost_labels_say_what_is_unpriced():
    design = erdesign.load(EXAMPLES / "seed.yaml")
    graph = build(design, cost=erdesign.cost(design))
    assert "138.70 USD/month" in graph.nodes["gw_erspvnetcust1gw1"].lines
    assert "cost: UNPRICED" in graph.nodes["ckt_useasterc1cust1"].lines  # the port fee ships unpriced
    assert "900.00 USD/month (estimate)" in graph.nodes["vc_vc_cust1_primary"].lines
    peering = next(e for e in graph.edges if e.source == "vnet_erspvnetcust1")
    assert peering.label == "peering, gateway transit, 140.00 USD/month"


def test_svg_without_graphviz_says_so_in_one_line(run_cli, monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = run_cli("diagram", EXAMPLES / "seed.yaml", "-f", "svg")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and "Graphviz" in result.err
    assert run_cli("diagram", EXAMPLES / "seed.yaml", "-f", "png").code == 2  # png needs -o


def test_cli_mermaid_to_stdout_and_file(run_cli, tmp_path):
    result = run_cli("diagram", EXAMPLES / "minimal.yaml")
    assert result.code == 0 and result.out.startswith("flowchart LR\n")
    out = tmp_path / "m.dot"
    assert run_cli("diagram", EXAMPLES / "minimal.yaml", "-f", "dot", "-o", out).code == 0
    assert out.read_text().startswith("digraph erdesign {")


def test_committed_diagrams_are_in_sync_with_the_examples():
    spec = importlib.util.spec_from_file_location("regenerate", REPO / "docs" / "diagrams" / "regenerate.py")
    regenerate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regenerate)
    folder = REPO / "docs" / "diagrams"
    for example in EXAMPLE_FILES:
        for suffix, text in regenerate.sources(example).items():
            committed = folder / f"{example.stem}{suffix}"
            assert committed.read_text(encoding="utf-8") == text, (
                f"{committed.relative_to(REPO)} is out of date: run python docs/diagrams/regenerate.py")
        assert (folder / f"{example.stem}.svg").exists()
    assert (folder / "README.md").read_text(encoding="utf-8") == regenerate.markdown(EXAMPLE_FILES)
