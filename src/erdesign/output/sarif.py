"""SARIF 2.1.0 for code-scanning tools (GitHub, Azure DevOps).

Rules that have results are described in tool.driver.rules (help from the
catalog; helpUri = the configured ``docs-url`` template, else the rule's page in
the repository docs for erdesign's own rules, else the page's first reference).
Paths are relative to the git work tree (``uriBaseId: %SRCROOT%``, resolved in
``originalUriBaseIds``), so code scanning attaches results to the right file
wherever erdesign ran. Input errors (the design could not be read) make
``executionSuccessful: false`` with located ``toolExecutionNotifications``. Suppressed findings are results with
``suppressions: [{kind: inSource|external, justification}]``; active ones have
an empty list (suppression was evaluated and none applies).
"""
from __future__ import annotations

import json

from ..engine.fingerprint import finding_fingerprint as fingerprint  # re-exported: SARIF's partial fingerprint
from ._util import file_uri, one_line, source_root, value_end
from .explain import page_markdown
from ..links import rule_page_url

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


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
    if docs_url:
        help_uri = docs_url.replace("{id}", page.id)
    elif _is_shipped(page):
        help_uri = rule_page_url(page.id)
    else:
        help_uri = page.references[0] if page.references else None
    if help_uri:
        rule["helpUri"] = help_uri
    if page.aliases:
        rule["properties"]["aliases"] = dict(page.aliases)
    return rule


def _is_shipped(page) -> bool:
    """A rule of erdesign's own catalog (it has a page in docs/rules/)."""
    from ..data import catalog_resources

    return any(resource.name == f"{page.id}.yaml" for resource in catalog_resources())


def _physical(loc, root, sources):
    region = {"startLine": loc.line, "startColumn": loc.col}
    end = value_end(loc, sources)
    if end is not None:
        region["endLine"], region["endColumn"] = loc.line, end
    return {"artifactLocation": {"uri": file_uri(loc.file, root), "uriBaseId": SRCROOT}, "region": region}


def _result(f, index, root, sources):
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
        location = {"physicalLocation": _physical(f.loc, root, sources)}
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


def _notification(error, root, sources) -> dict:
    note = {"level": "error", "message": {"text": error.message}, "descriptor": {"id": "input-error"}}
    if error.loc is not None:
        note["locations"] = [{"physicalLocation": _physical(error.loc, root, sources)}]
    elif error.file:
        note["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": file_uri(error.file, root), "uriBaseId": SRCROOT}}}]
    return note


def to_sarif(report, cwd=None, root=None, sources=None) -> dict:
    """The report as a SARIF log; `root` (default: the git work tree above `cwd`) is %SRCROOT%."""
    from .. import __version__
    from ..links import REPOSITORY_URL

    root = root or source_root(cwd)
    sources = {} if sources is None else sources

    catalog = report.catalog or {}
    rule_ids = sorted({f.rule for f in report.findings if f.rule in catalog})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    driver = {
        "name": "erdesign",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": REPOSITORY_URL,
        "rules": [_rule(catalog[rid], report.docs_url) for rid in rule_ids],
    }
    invocation = {"executionSuccessful": not report.errors and not report.input_errors}
    notifications = [_notification(err, root, sources) for err in report.input_errors]
    notifications += [{"level": "error", "message": {"text": str(err)}} for err in report.errors]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root)}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index.get(f.rule), root, sources) for f in report.findings],
        }],
    }


def _directory_uri(root: str) -> str:
    import os
    from pathlib import Path

    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(report, *, cwd=None, root=None, **_) -> str:
    return json.dumps(to_sarif(report, cwd, root), indent=2, ensure_ascii=False) + "\n"
