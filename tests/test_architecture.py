"""The import graph of src/erdesign: no cycles and no private names borrowed from other modules.

Every import counts, the ones inside functions included (a function-level import only hides a
cycle from Python, not from the reader); imports under ``if TYPE_CHECKING:`` are left out since
they never run.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "erdesign"


def _module_name(path: Path) -> str:
    parts = ("erdesign",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST):
    """All nodes except those under `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def _imports(module: str):
    """(imported module, imported name or None, line) for each import in `module` that names one of ours."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "erdesign":
                    yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "erdesign":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    yield submodule, None, node.lineno
                else:
                    yield source, alias.name, node.lineno


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, _, _ in _imports(module):
            if target in MODULES and target != module:
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_function_level_imports():
    assert "erdesign.importers.build" in _graph()["erdesign.importers"]  # imported inside import_json_many


def test_no_import_cycle():
    graph = _graph()
    cycles = _cycles(graph)
    described = ["; ".join(f"{m} -> {', '.join(sorted(graph[m] & set(c)))}" for m in c) for c in cycles]
    assert not cycles, "import cycles:\n" + "\n".join(described)


def test_no_private_name_imported_from_another_module():
    borrowed = [f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}: {name} from {source}"
                for module in MODULES for source, name, line in _imports(module)
                if name and name.startswith("_") and not name.startswith("__") and source != module]
    assert not borrowed, "private names imported across modules:\n" + "\n".join(borrowed)


def test_no_private_attribute_of_another_module():
    """`loader._message(...)` after `from .. import loader` borrows a private name just the same."""
    borrowed = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        aliases = {}
        for node in _runtime_nodes(tree):
            if isinstance(node, (ast.ImportFrom, ast.Import)):
                for target, name, _ in _imports_of(node, module):
                    if name is None:
                        aliases[target[1]] = target[0]
        for node in _runtime_nodes(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                borrowed.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: "
                                f"{node.value.id}.{node.attr} ({aliases[node.value.id]})")
    assert not borrowed, "private names used across modules:\n" + "\n".join(borrowed)


def _imports_of(node: ast.Import | ast.ImportFrom, module: str):
    """((module, local alias), name, line) for the modules an import statement binds to a local name."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in MODULES and alias.asname:
                yield (alias.name, alias.asname), None, node.lineno
        return
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        if submodule in MODULES:
            yield (submodule, alias.asname or alias.name), None, node.lineno
