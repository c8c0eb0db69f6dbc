"""The layering rules, checked on the source (as OpenTripPlanner's RaptorArchitectureTest does).

Rules:

1. The router (``hbeu_transit/router/``) imports only the standard library, numpy, its own
   modules and the compiled timetable's contract ``hbeu_transit.timetable.model``; numba only in
   ``router/backend.py``, the one module that compiles the kernel. No pandas, no files, no CLI.
2. No library module imports ``hbeu_transit.cli``: the CLI sits on top and nothing depends on it
   (``hbeu_transit.__main__``, ``python -m hbeu_transit``, is the CLI's entry point).
3. No import cycle among hbeu_transit modules (counting imports inside functions too, but not
   those under ``if TYPE_CHECKING:``): data flows one way.

Imports are read with ``ast``, nothing is executed. ``python tests/test_architecture.py`` prints
every violation (the test fails on the first rule broken).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx

PKG = Path(__file__).resolve().parents[1] / "hbeu_transit"
ROUTER_MAY_IMPORT = {"numpy", "hbeu_transit.timetable.model"}
ROUTER_NUMBA_MODULES = {"hbeu_transit.router.backend"}


def module_name(path: Path, root: Path = PKG) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks (typing only, never executed)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                lines.update(range(sub.lineno, (sub.end_lineno or sub.lineno) + 1))
    return lines


def imports_of(path: Path, modules: set[str], root: Path = PKG) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, relative ones resolved; ``from X
    import y`` counts as importing ``X.y`` when that is a module of the package, else ``X``."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_lines(tree)
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules]
            out += [(s, node.lineno) for s in subs] or [(target, node.lineno)]
    return out


def import_graph(root: Path = PKG) -> tuple[nx.DiGraph, dict[str, list[tuple[str, int]]]]:
    """Edges module -> imported hbeu_transit module (with the line), and every module's imports."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    modules = set(files)
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    all_imports = {}
    for name, path in files.items():
        all_imports[name] = imports_of(path, modules, root)
        for target, line in all_imports[name]:
            # the imported module itself, or the nearest package of it that is ours
            t = target
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name and target.split(".")[0] == root.name:
                g.add_edge(name, t, line=line)
    return g, all_imports


def violations(root: Path = PKG) -> list[str]:
    """Every broken rule, one line each (empty when the layering holds)."""
    g, imports = import_graph(root)
    std = set(sys.stdlib_module_names) | {"__future__"}
    bad: list[str] = []
    top = root.name
    for mod, imps in sorted(imports.items()):
        rel = mod.split(".")
        if rel[1:2] == ["router"]:
            for target, line in imps:
                first = target.split(".")[0]
                ok = (first in std or target in ROUTER_MAY_IMPORT or first == "numpy"
                      or target.startswith(f"{top}.router") or target == f"{top}.router"
                      or (first == "numba" and mod in ROUTER_NUMBA_MODULES))
                if not ok:
                    bad.append(f"rule 1: {mod} (line {line}) imports {target}; the router may import only the "
                               "standard library, numpy and hbeu_transit.timetable.model (numba in router.backend)")
        if rel[1:2] != ["cli"] and mod != f"{top}.__main__":
            for target, line in imps:
                if target == f"{top}.cli" or target.startswith(f"{top}.cli."):
                    bad.append(f"rule 2: {mod} (line {line}) imports {target}; no library module may import the CLI")
    for cycle in sorted(nx.simple_cycles(g), key=lambda c: (len(c), c))[:20]:
        hops = " -> ".join(f"{a} (line {g.edges[a, b]['line']})" for a, b in zip(cycle, cycle[1:] + cycle[:1]))
        bad.append(f"rule 3: import cycle {hops} -> {cycle[0]}")
    return bad


def test_router_imports_only_numpy_and_the_timetable_model():
    assert [v for v in violations() if v.startswith("rule 1")] == []


def test_no_library_module_imports_the_cli():
    assert [v for v in violations() if v.startswith("rule 2")] == []


def test_no_import_cycles():
    assert [v for v in violations() if v.startswith("rule 3")] == []


def test_the_checker_finds_planted_violations(tmp_path):
    """A copy of the package with one violation of each rule planted: each is reported."""
    import shutil

    root = tmp_path / PKG.name
    shutil.copytree(PKG, root, ignore=shutil.ignore_patterns("__pycache__", "_data", "_spec", "_scenarios"))
    assert violations(root) == []
    with open(root / "router" / "views.py", "a", encoding="utf-8") as fh:
        fh.write("\nimport pandas  # planted\n")
    with open(root / "analysis" / "times.py", "a", encoding="utf-8") as fh:
        fh.write("\ndef _planted():\n    from ..cli import common  # planted\n")
    with open(root / "timetable" / "model.py", "a", encoding="utf-8") as fh:
        fh.write("\nfrom ..router import api  # planted: router -> timetable.model -> router\n")
    found = violations(root)
    assert any(v.startswith("rule 1") and "router.views" in v and "pandas" in v for v in found), found
    assert any(v.startswith("rule 2") and "analysis.times" in v for v in found), found
    assert any(v.startswith("rule 3") and "timetable.model" in v for v in found), found


if __name__ == "__main__":  # pragma: no cover
    found = violations(Path(sys.argv[1]) if len(sys.argv) > 1 else PKG)
    print("\n".join(found) or "no violations")
    sys.exit(1 if found else 0)
