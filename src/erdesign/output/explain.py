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
