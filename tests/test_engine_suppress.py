"""Suppressions: inline comments and suppress: entries, each accountable (reason, expiry, unused)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine_toy as toy
from erdesign.engine.suppress import comment_start, parse_comment
from erdesign.errors import Loc

BASE = """\
version: 1
circuits:
  - name: c1
    description: main circuit
    peering_location: Amsterdam
    provider: Equinix
    bandwidth: 200Mbps
{circuit_extra}    peerings:
      - type: AzurePrivatePeering{peering_comment}
{before_asn}        peer_asn: 65515{asn_comment}
        prefix: 172.16.0.0/29
        vlan_id: 100
vnets:
  - name: hub
    description: hub VNet
    address_space: [10.10.0.0/24]
{vnet_extra}"""


def design(circuit_extra="", peering_comment="", before_asn="", asn_comment="", vnet_extra=""):
    return BASE.format(circuit_extra=circuit_extra, peering_comment=peering_comment, before_asn=before_asn,
                       asn_comment=asn_comment, vnet_extra=vnet_extra)


def run(text, **options):
    options.setdefault("today", dt.date(2026, 6, 1))
    return toy.lint_text(text, **options)


def only(report, rule):
    found = [f for f in report.findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.message) for f in report.findings]
    return found[0]


def test_baseline_has_one_error():
    report = run(design())
    assert [(f.rule, f.loc.line) for f in report.findings] == [("BGP901", 10)]


def test_inline_comment_on_the_finding_line():
    report = run(design(asn_comment="  # erdesign: ignore[BGP901] lab circuit, torn down in June"))
    f = only(report, "BGP901")
    assert f.suppressed and f.suppression_kind == "inSource"
    assert f.suppression_reason == "lab circuit, torn down in June"
    assert report.active == [] and report.exit_code() == 0
    assert report.summary["suppressed"] == 1 and report.summary["error"] == 0
    assert report.summary_line() == "All checks passed (1 suppressed)."


def test_inline_comment_on_the_object_line_covers_its_fields():
    report = run(design(peering_comment='  # erdesign: ignore[BGP] reason="lab" expires=2026-12-31'))
    f = only(report, "BGP901")
    assert f.suppressed and (f.suppression_reason, f.suppression_expires) == ("lab", "2026-12-31")


def test_comment_alone_on_its_line_covers_the_next_content_line():
    report = run(design(before_asn="        # erdesign: ignore[BGP901] accepted in review 42\n\n"))
    assert only(report, "BGP901").suppressed


def test_comment_on_an_unrelated_line_is_unused():
    text = design().replace("vlan_id: 100", "vlan_id: 100  # erdesign: ignore[BGP901] wrong line")
    report = run(text)
    assert not only(report, "BGP901").suppressed
    unused = only(report, "SUP001")
    assert unused.loc == Loc("design.yaml", 12, 23) and unused.severity == "warning"
    assert unused.message == "suppression comment ignore[BGP901] matches no finding; remove it"


def test_suppress_entry_covers_the_object_and_its_children():
    extra = '    suppress:\n      - {rule: BGP901, reason: "carrier lab", expires: 2026-06-01}\n'
    report = run(design(circuit_extra=extra))  # valid through its expiry day
    f = only(report, "BGP901")
    assert f.suppressed and f.suppression_kind == "external" and f.suppression_reason == "carrier lab"
    assert report.to_dict()["findings"][0]["suppression"] == {
        "kind": "external", "reason": "carrier lab", "expires": "2026-06-01"}


def test_expired_suppression_counts_again_and_is_reported():
    extra = '    suppress:\n      - {rule: BGP901, reason: "carrier lab", expires: 2026-05-31}\n'
    report = run(design(circuit_extra=extra))
    assert not only(report, "BGP901").suppressed
    expired = only(report, "SUP002")
    assert expired.loc == Loc("design.yaml", 9, 9)
    assert expired.path == "circuits[0].suppress[0]" and expired.resource == "circuits/c1"
    assert expired.message == ("circuit 'c1': suppress entry for BGP901 expired on 2026-05-31 (reason: carrier lab); "
                               "the findings it covered count again")
    assert report.exit_code() == 1


def test_unused_suppress_entry():
    extra = '    suppress:\n      - {rule: NET901, reason: "big on purpose"}\n'
    report = run(design(vnet_extra=extra))
    unused = only(report, "SUP001")
    assert unused.message == "VNet 'hub': suppress entry for NET901 matches no finding; remove it"
    assert unused.loc.line == 18


def test_suppression_of_a_rule_that_did_not_run_is_not_called_unused():
    extra = '    suppress:\n      - {rule: NET901, reason: "big on purpose"}\n'
    assert [f.rule for f in run(design(vnet_extra=extra), ignore=["NET"]).findings] == ["BGP901"]


def test_sup_rules_can_be_ignored():
    extra = '    suppress:\n      - {rule: NET901, reason: "big on purpose"}\n'
    assert [f.rule for f in run(design(vnet_extra=extra), ignore=["SUP001"]).findings] == ["BGP901"]


@pytest.mark.parametrize("comment", ["  # erdesign: ignore[BGP901]", "  # erdesign: ignore[BGP901]   ",
                                     '  # erdesign: ignore[BGP901] reason=""'])
def test_inline_suppression_without_reason_is_not_applied(comment):
    report = run(design(asn_comment=comment))
    assert not only(report, "BGP901").suppressed
    missing = only(report, "SUP003")
    assert missing.severity == "error" and missing.loc.line == 10
    assert missing.message == "suppression comment ignore[BGP901] has no reason, so it is not applied"


def test_suppress_entry_with_blank_reason_is_not_applied():
    extra = '    suppress:\n      - {rule: BGP901, reason: "  "}\n'
    report = run(design(circuit_extra=extra))
    assert not only(report, "BGP901").suppressed
    assert only(report, "SUP003").message == "circuit 'c1': suppress entry for BGP901 has no reason, so it is not applied"


def test_suppress_entry_without_reason_key_loads_and_is_reported_not_applied():
    extra = "    suppress:\n      - {rule: BGP901}\n"
    report = run(design(circuit_extra=extra))
    assert not only(report, "BGP901").suppressed
    missing = only(report, "SUP003")
    assert missing.severity == "error" and missing.loc.line == 9
    assert missing.message == "circuit 'c1': suppress entry for BGP901 has no reason, so it is not applied"
    assert report.exit_code() == 1


def test_inline_list_with_one_unused_rule_reports_that_rule():
    report = run(design(asn_comment="  # erdesign: ignore[BGP901,NET901] lab circuit"))
    assert only(report, "BGP901").suppressed
    unused = only(report, "SUP001")
    assert unused.loc == Loc("design.yaml", 10, 26) and unused.severity == "warning"
    assert unused.message == ("suppression comment ignore[BGP901,NET901]: NET901 matches no finding (only BGP901 did); "
                              "remove NET901 from it")


def test_entry_list_with_one_unused_rule_reports_that_rule_unless_it_did_not_run():
    extra = '    suppress:\n      - {rule: "BGP901, BGP902", reason: "lab"}\n'
    report = run(design(circuit_extra=extra))
    assert only(report, "BGP901").suppressed
    assert only(report, "SUP001").message == ("circuit 'c1': suppress entry for BGP901,BGP902: BGP902 matches no "
                                              "finding (only BGP901 did); remove BGP902 from it")
    assert [f.rule for f in run(design(circuit_extra=extra), ignore=["BGP902"]).findings] == ["BGP901"]
    both = design(circuit_extra=extra).replace("    description: main circuit\n", "")
    assert [(f.rule, f.suppressed) for f in run(both).findings] == [("BGP902", True), ("BGP901", True)]


@pytest.mark.parametrize("comment, message", [
    ("# erdesign: ignore BGP901 lab", "suppression comment is malformed: write '# erdesign: ignore[RULE,...] reason'"),
    ("# erdesign: ignore[] lab", "suppression comment names no rule: write ignore[BGP001] or ignore[BGP]"),
    ("# erdesign: ignore[BGP91] lab",
     "suppression comment ignore[BGP91] names unknown rule or prefix 'BGP91' (did you mean 'BGP901'?)"),
    ("# erdesign: ignore[BGP901] lab expires=2026-13-01",
     "suppression comment ignore[BGP901] has expires='2026-13-01', which is not a date like 2026-12-31"),
    ("# erdesign: ignore[BGP901] lab expiry=2026-12-01",
     "suppression comment ignore[BGP901] has an unknown option 'expiry=' (did you mean 'expires'?)"),
    ('# erdesign: ignore[BGP901] reason="lab" and more',
     'suppression comment ignore[BGP901] gives a reason both as reason="..." and as free text; keep one'),
])
def test_malformed_suppression_comment(comment, message):
    report = run(design(asn_comment="  " + comment))
    assert not only(report, "BGP901").suppressed
    bad = only(report, "SUP004")
    assert bad.message == message and bad.severity == "error" and bad.loc == Loc("design.yaml", 10, 26)


def test_unknown_rule_in_suppress_entry():
    extra = '    suppress:\n      - {rule: BPG, reason: "x"}\n'
    assert "names unknown rule or prefix 'BPG'" in only(run(design(circuit_extra=extra)), "SUP004").message


def test_text_in_quotes_and_block_scalars_is_not_a_comment():
    text = design().replace("description: main circuit",
                            'description: "see # erdesign: ignore[BGP901] in quotes"')
    text = text.replace("description: hub VNet", "description: |\n      # erdesign: ignore[BGP901] prose\n      more")
    report = run(text)
    assert [f.rule for f in report.findings] == ["BGP901"] and not report.findings[0].suppressed


def test_first_suppression_wins_and_both_count_as_used():
    extra = '    suppress:\n      - {rule: BGP, reason: "entry"}\n'
    report = run(design(circuit_extra=extra, asn_comment="  # erdesign: ignore[BGP901] comment"))
    f = only(report, "BGP901")
    assert (f.suppression_kind, f.suppression_reason) == ("inSource", "comment")
    assert [x.rule for x in report.findings] == ["BGP901"]  # no SUP001 for the entry


# --------------------------------------------------------------------------- grammar

@pytest.mark.parametrize("line, index", [
    ("a: 1  # c", 6), ("a: '#x' # c", 8), ('a: "x \\" # y" # c', 14), ("a: b#c", -1), ("# c", 0),
    ("a: 'it''s # no' # c", 16), ("- it's # c", 7), ("a: [x, '#'] # c", 12),
])
def test_comment_start(line, index):
    assert comment_start(line) == index


def test_parse_comment_forms():
    assert parse_comment(" erdesign: ignore[bgp001, NET] lab only") == (("BGP001", "NET"), "lab only", None, None)
    assert parse_comment("erdesign:ignore[BGP001] reason='a b' expires=2026-12-31") == (
        ("BGP001",), "a b", None, dt.date(2026, 12, 31))
    assert parse_comment(" just a comment") == (None, None, None, None)


_selector = st.from_regex(r"[A-Z]{2,4}[0-9]{0,3}", fullmatch=True)
_reason = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" ,.-()"),
                  min_size=1, max_size=40).filter(lambda s: s.strip() and "=" not in s)


@settings(max_examples=60, deadline=None)
@given(st.lists(_selector, min_size=1, max_size=3), _reason, st.one_of(st.none(), st.dates()), st.booleans())
def test_parse_comment_round_trip(selectors, reason, expires, quoted):
    text = f" erdesign: ignore[{', '.join(selectors)}]"
    text += f' reason="{reason}"' if quoted else f" {reason}"
    if expires:
        text += f" expires={expires.isoformat()}"
    got_selectors, got_reason, error, got_expires = parse_comment(text)
    assert error is None
    assert got_selectors == tuple(selectors)
    assert got_reason == (reason.strip() if quoted else " ".join(reason.split()))
    assert got_expires == expires
