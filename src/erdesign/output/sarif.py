"""SARIF 2.1.0 for code-scanning tools (GitHub, Azure DevOps).

Rules that have results are described in tool.driver.rules (help from the
catalog; helpUri = the page's first reference, else the configured
``docs-url`` template). Suppressed findings are results with
``suppressions: [{kind: inSource|external, justification}]``; active ones have
an empty list (suppression was evaluated and none applies).
"""
from __future__ import annotations

import json

from ..engine.fingerprint import finding_fingerprint as fingerprint  # re-exported: SARIF's partial fingerprint
from ._util import file_uri, one_line
from .explain import page_markdown

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(page, docs_url):
    rule = {
        "id": page.id,
        "name": page.name,
        "shortDescription": {"text": page.title},
        "fullDescription": {"text": one_line(page.what)},
        "help": {"text": f"{one_line(page.why)} Fix: {one_line(page.fix)}", "markdown": page_markdown(page)},
        "defaultConfiguration": {"level": _LEVEL[page.severity]},
        "properties": {"tags": [page.family], "appliesTo": page.applies_to},
    }
    help_uri = page.references[0] if page.references else (docs_url.replace("{id}", page.id) if docs_url else None)
    if help_uri:
        rule["helpUri"] = help_uri
    if page.aliases:
        rule["properties"]["aliases"] = dict(page.aliases)
    return rule


def _result(f, index, cwd):
    result = {
        "ruleId": f.rule,
        "level": _LEVEL.get(f.severity, "warning"),
        "message": {"text": f.message},
        "partialFingerprints": {"erdesign/v1": fingerprint(f)},
        "suppressions": [],
        "properties": {"severity": f.severity},
    }
    if index is not None:
        result["ruleIndex"] = index
    if f.loc is not None:
        location = {"physicalLocation": {
            "artifactLocation": {"uri": file_uri(f.loc.file, cwd)},
            "region": {"startLine": f.loc.line, "startColumn": f.loc.col},
        }}
        if f.resource:
            location["logicalLocations"] = [{"fullyQualifiedName": f.resource, "kind": "resource"}]
        result["locations"] = [location]
    if f.path:
        result["properties"]["path"] = f.path
    if f.hint:
        result["properties"]["fix"] = one_line(f.hint)
    if f.evidence:
        result["properties"]["evidence"] = [
            {"label": e.label, "value": str(e.value), "source": e.source, "as_of": e.as_of, "confidence": e.confidence}
            for e in f.evidence
        ]
    if f.suppressed:
        suppression = {"kind": f.suppression_kind or "external", "status": "accepted",
                       "justification": f.suppression_reason or ""}
        if f.suppression_expires:
            suppression["properties"] = {"expires": f.suppression_expires}
        result["suppressions"] = [suppression]
    return result


def to_sarif(report, cwd=None) -> dict:
    from .. import __version__

    catalog = report.catalog or {}
    rule_ids = sorted({f.rule for f in report.findings if f.rule in catalog})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    driver = {
        "name": "erdesign",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(catalog[rid], report.docs_url) for rid in rule_ids],
    }
    invocation = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": str(err)}} for err in report.errors
        ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index.get(f.rule), cwd) for f in report.findings],
        }],
    }


def render(report, *, cwd=None, **_) -> str:
    return json.dumps(to_sarif(report, cwd), indent=2, ensure_ascii=False) + "\n"
