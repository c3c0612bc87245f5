"""`erdesign rules`: list the rule catalog; `erdesign rules explain ID` prints one rule's page."""
from __future__ import annotations

import json

import click


class _RulesGroup(click.Group):
    """`erdesign rules BGP001` is short for `erdesign rules explain BGP001` (like `ruff rule F401`)."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["explain", *args]
        return super().resolve_command(ctx, args)


@click.group(cls=_RulesGroup, invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", help="Output format.")
@click.option("--select", "select", multiple=True, metavar="RULES", help="Only these IDs or prefixes (e.g. BGP, NET001).")
@click.pass_context
def rules(ctx, fmt, select):
    """List the rule catalog (ID, severity, title), or explain one rule."""
    if ctx.invoked_subcommand is not None:
        return
    from ..engine.catalog import load_catalog
    from ..engine.config import split_selectors
    from ..errors import InputError, did_you_mean

    catalog = load_catalog()
    selectors = split_selectors(select)
    for selector in selectors:
        if not catalog.is_selector(selector):
            raise InputError(f"--select: unknown rule or prefix '{selector}'{did_you_mean(selector, catalog)}")
    pages = [p for rid, p in catalog.items()
             if not selectors or any(s == "ALL" or rid.startswith(s) for s in selectors)]
    if fmt == "json":
        click.echo(json.dumps([p.model_dump() for p in pages], indent=2, ensure_ascii=False))
        return
    from tabulate import tabulate

    rows = [(p.id, p.severity, p.name, p.title) for p in pages]
    click.echo(tabulate(rows, headers=("ID", "Severity", "Name", "Title"), tablefmt="plain"))
    click.echo(f"\n{len(pages)} rule{'' if len(pages) == 1 else 's'}. "
               "Run `erdesign rules explain ID` for one rule's page, "
               "`erdesign rules coverage` for the APRL/PSRule/Advisor recommendations each rule covers.")


@rules.command()
@click.argument("rule_id", metavar="ID|ALIAS")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", help="Output format.")
def explain(rule_id, fmt):
    """Print one rule's page: what it does, why it matters, examples, fix, references.

    ID is a rule ID (BGP001), its name (reserved-asn) or an alias it carries: an APRL ID
    (ERGW-2 or its GUID), a PSRule name (Azure.VNG.ERAvailabilityZoneSKU), an Advisor ID.
    """
    from ..engine.catalog import load_catalog
    from ..errors import InputError, did_you_mean
    from ..output.explain import page_markdown

    from ..links import rule_page_url

    catalog = load_catalog()
    page = catalog.find(rule_id)
    pages = [page] if page is not None else catalog.find_alias(rule_id)
    if not pages:
        names = list(catalog) + [p.name for p in catalog.values()]
        raise InputError(f"unknown rule '{rule_id}'{did_you_mean(rule_id, names)}; `erdesign rules` lists them")
    if page is None:
        ids = ", ".join(p.id for p in pages)
        click.echo(f"erdesign: '{rule_id}' is an alias of {ids}", err=True)
    if fmt == "json":
        docs = [p.model_dump() | {"url": rule_page_url(p.id)} for p in pages]
        click.echo(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(f"{page_markdown(p)}\nPage: {rule_page_url(p.id)}\n" for p in pages), nl=False)



@rules.command()
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", help="Output format.")
def coverage(fmt):
    """Each ExpressRoute recommendation of APRL, PSRule and Advisor, and the rule that covers it."""
    from ..engine.coverage import coverage as compute

    rows = compute()
    if fmt == "json":
        click.echo(json.dumps([{"tool": r.tool, "id": r.id, "title": r.title, "status": r.status, "rules": list(r.rules),
                                "elsewhere": r.elsewhere, "not_applicable": r.not_applicable} for r in rows],
                              indent=2, ensure_ascii=False))
        return
    from tabulate import tabulate

    def covered_by(r) -> str:
        if r.rules:
            return ", ".join(r.rules)
        if r.elsewhere:
            return r.elsewhere
        return "not applicable at design time" if r.not_applicable else "MISSING"

    table_rows = [(r.tool, r.id if len(r.id) <= 40 else r.id[:37] + "...", covered_by(r), r.title) for r in rows]
    click.echo(tabulate(table_rows, headers=("Tool", "ID", "Covered by", "Recommendation"), tablefmt="plain"))
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("covered", "elsewhere", "not applicable", "missing")}
    click.echo(f"\n{len(rows)} recommendations: {counts['covered']} covered, {counts['elsewhere']} by VWAN*/DIR* rules "
               f"(issue 10), {counts['not applicable']} not applicable at design time (README), "
               f"{counts['missing']} missing.")
