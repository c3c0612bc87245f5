"""The registry of checks. Each check is a pure function ``(design) -> Iterable[Finding]``
registered for the rule IDs it can report (``(design, ctx)`` for the few that need the run's
context - today's date, the catalog, the configuration: engine.runner.CheckContext); the rule's
metadata (title, severity, fix, references) lives in the catalog, rules/catalog/<ID>.yaml."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from .finding import Finding

CheckFn = Callable[..., Iterable[Finding]]

_CHECKS: dict[str, CheckFn] = {}


def check(*rule_ids: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function for one or more rule IDs.

        @check("BGP001", "BGP002")
        def peer_asn(design):
            ...
            yield Finding("BGP001", "circuit 'x' peering ...: peer ASN 65515 is reserved", node=peering, field=("peer_asn",))
    """

    def register(fn: CheckFn) -> CheckFn:
        for rule_id in rule_ids:
            if rule_id in _CHECKS and _CHECKS[rule_id] is not fn:
                raise RuntimeError(f"rule {rule_id} is registered twice ({_CHECKS[rule_id].__name__}, {fn.__name__})")
            _CHECKS[rule_id] = fn
        fn.rule_ids = tuple(rule_ids)  # type: ignore[attr-defined]
        return fn

    return register


def load_all_checks(on_error: Optional[Callable[[str, Exception], None]] = None) -> dict[str, CheckFn]:
    """Import every module of erdesign.checks (one per rule family) and return the registry.

    ``on_error(module name, exception)``: called for a module that cannot be imported, the others
    still load; without it the error propagates."""
    import importlib
    import pkgutil

    from .. import checks

    for mod in pkgutil.iter_modules(checks.__path__):
        name = f"{checks.__name__}.{mod.name}"
        try:
            importlib.import_module(name)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(name, exc)
    return dict(_CHECKS)
