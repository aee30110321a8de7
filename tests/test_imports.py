"""No module of folio imports, through any chain, a module that imports it back: each import
read from the source (ast, at any depth: an import inside a function counts, it is the same
dependency taken later), the cycles found as strongly connected components."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "folio"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            subs = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules}
            out |= subs
            if len(subs) < len(node.names) and target in modules:
                out.add(target)       # a name defined in the module itself, not a submodule
    out.discard(name)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_no_module_imports_one_that_imports_it_back():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert sum(map(len, graph.values())) > 100, "the import graph is suspiciously small"
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    """The finder itself: a three-module ring and a self-contained pair are found, a chain is not."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(_cycles(graph)) == [["a", "b", "c"], ["d", "e"]]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_layout_imports_nothing_of_the_writers():
    """folio/layout/ (the chunked engine, what folio asks of WeasyPrint, what is read back from
    laid-out pages) is imported by the PDF writer, never the other way round; the chunked
    engine needs nothing of the model either."""
    graph = _graph()
    layout = {name: graph[name] for name in graph if name.startswith("folio.layout")}
    assert "folio.layout.weasy.fetcher" in layout["folio.layout.chunked.worker"]     # the walk sees them
    assert "folio.layout.chunked.route" in graph["folio.writers.pdf.chunked"]
    assert {(name, dep) for name, deps in layout.items() for dep in deps
            if dep.startswith("folio.writers")} == set()
    assert {(name, dep) for name, deps in layout.items() if name.startswith("folio.layout.chunked")
            for dep in deps if dep.startswith("folio.model")} == set()


def test_no_module_of_the_pdf_package_imports_its_route_choice():
    """folio/writers/pdf/__init__.py chooses the route and imports the routes; they import each
    other's helpers (and the editions), never the route choice."""
    graph = _graph()
    package = "folio.writers.pdf"
    members = [name for name in graph if name.startswith(package + ".")]
    assert {"folio.writers.pdf.single", "folio.writers.pdf.chunked", "folio.writers.pdf.editions"} <= set(members)
    assert "folio.writers.pdf.single" in graph[package]
    assert [name for name in members if package in graph[name]] == []
