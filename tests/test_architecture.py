"""The architecture stays visible: subpackages in one direction, small modules and functions.

Checked on the source itself (``ast``): no import cycle between modules (imports inside functions count
too), no module over 600 lines, no function over 100 lines, no folder with more than 12 modules, and
the subpackages import each other only downstream of the data flow
text -> geo -> gazetteer -> geoparse -> claims -> store -> ingest -> view -> export -> present -> web -> cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "conflict_map"
#: Subpackages in data-flow order; a module may import from its own layer or any earlier one.
LAYERS = [
    "",
    "text",
    "geo",
    "gazetteer",
    "geoparse",
    "claims",
    "store",
    "ingest",
    "view",
    "export",
    "present",
    "web",
    "cli",
]
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100
MAX_MODULES_PER_FOLDER = 12


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG).with_suffix("")
        parts = ["conflict_map", *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of this package that ``path`` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(pkg.split(".")[: len(pkg.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t.startswith("conflict_map"):
                found.add(t)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {n: imports_of(p, n, known) for n, p in mods.items()}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PKG / parts[1]).is_dir()) else ""


def test_no_import_cycles() -> None:
    g = graph()
    # a package's __init__ importing its own modules is how it re-exports them, not a cycle of the design
    g = {
        n: {t for t in ts if not (n.startswith(t + ".") and (PKG / t.split(".", 1)[-1].replace(".", "/")).is_dir())}
        for n, ts in g.items()
    }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for t in sorted(g.get(n, ())):
            if state.get(t) == 1:
                cycle = stack[stack.index(t) :] + [t]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n)


def test_subpackages_import_only_downstream() -> None:
    bad = []
    for n, targets in graph().items():
        if n == "conflict_map":
            continue  # the package's facade re-exports the public entry points
        src = layer(n)
        for t in targets:
            dst = layer(t)
            if src in LAYERS and dst in LAYERS and LAYERS.index(dst) > LAYERS.index(src):
                bad.append(f"{n} -> {t}")
    assert bad == [], "imports against the data flow:\n" + "\n".join(sorted(bad))


def test_modules_are_small() -> None:
    big = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in modules().items()}
    assert {n: k for n, k in big.items() if k > MAX_MODULE_LINES} == {}


def test_functions_are_small() -> None:
    long = []
    for n, p in modules().items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                k = node.end_lineno - node.lineno + 1
                if k > MAX_FUNCTION_LINES:
                    long.append(f"{n}.{node.name}: {k} lines")
    assert long == []


def test_folders_hold_few_modules() -> None:
    crowded = {}
    for d in [PKG, *[p for p in PKG.rglob("*") if p.is_dir() and p.name != "__pycache__"]]:
        n = len([p for p in d.glob("*.py") if p.name != "__init__.py"])
        if n > MAX_MODULES_PER_FOLDER:
            crowded[str(d.relative_to(PKG.parent))] = n
    assert crowded == {}
