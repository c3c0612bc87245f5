"""One catalog page as Markdown, in the style of `ruff rule`: used by `erdesign rules explain`
and as the SARIF rule help."""
from __future__ import annotations


def _block(text: str) -> str:
    return text.strip("\n").rstrip()


def page_markdown(page) -> str:
    out = [f"# {page.name} ({page.id})", "", f"**{page.title}**", "",
           f"Default severity: {page.severity} · Family: {page.family} · Applies to: {page.applies_to}", "",
           "## What it does", _block(page.what), "",
           "## Why it matters", _block(page.why), "",
           "## Example", "Bad:", "```yaml", _block(page.example.bad), "```", "",
           "Good:", "```yaml", _block(page.example.good), "```", "",
           "## Fix", _block(page.fix), ""]
    if page.references:
        out += ["## References"] + [f"- {ref}" for ref in page.references] + [""]
    if page.aliases:
        out += ["## Aliases"]
        for key, value in page.aliases.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            out.append(f"- {key}: {shown}")
        out.append("")
    return "\n".join(out)


def rule_doc(page) -> str:
    """The reference page docs/rules/<ID>.md: the catalog page as Markdown, marked as generated."""
    return (f"<!-- Generated from rules/catalog/{page.id}.yaml by scripts/gen_rule_docs.py; edit the catalog page, "
            "not this file. -->\n\n" + page_markdown(page))


def rules_index(pages) -> str:
    """docs/rules/README.md: every rule with its severity and title, linked to its page."""
    lines = ["<!-- Generated from rules/catalog/ by scripts/gen_rule_docs.py; do not edit. -->", "",
             "# erdesign rules", "",
             "Each page says what the rule checks, why it matters, a failing and a passing example, the fix, "
             "its references and its aliases (Azure Advisor, APRL, PSRule). `erdesign rules explain ID` "
             "prints the same page; it also accepts an alias.", "",
             "| ID | Severity | Name | Title |", "|---|---|---|---|"]
    for page in pages:
        title = page.title.replace("|", "\\|")
        lines.append(f"| [{page.id}]({page.id}.md) | {page.severity} | {page.name} | {title} |")
    return "\n".join(lines) + "\n"


def expected_rule_docs(catalog) -> dict[str, str]:
    """File name under docs/rules/ -> content, for every page of the catalog."""
    docs = {f"{rule_id}.md": rule_doc(page) for rule_id, page in catalog.items()}
    docs["README.md"] = rules_index(catalog.values())
    return docs
