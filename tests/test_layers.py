"""The layers of the code, read from its imports (every import: also those inside functions and
those under `if TYPE_CHECKING:`, which are a dependency of the code's meaning all the same), as
import-linter's contracts would check them:

- the engine never imports the pack, and its modules import only their own layer or lower
  ones (:data:`ENGINE_LAYERS`), without cycles;
- the pack's modules import each other without cycles, and a rule module never imports
  another rule module (what rules share lives in a family's `_common.py`, in `facts/`, or in
  a pack-wide module such as `_examples.py` or `pyproject_edits.py`)."""

from __future__ import annotations

import ast
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = {"modelw_lint": os.path.join(REPO, "src", "modelw_lint"), "modelw_lint_rules": os.path.join(REPO, "rules")}


def modules() -> dict[str, tuple[str, bool]]:
    """Dotted module name -> (file, is a package) for the engine and the pack."""
    out = {}
    for package, root in PACKAGES.items():
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
            for name in files:
                if not name.endswith(".py"):
                    continue
                rel = os.path.relpath(os.path.join(folder, name), root)[:-3].replace(os.sep, ".")
                dotted = package if rel == "__init__" else f"{package}.{rel.removesuffix('.__init__')}"
                out[dotted] = (os.path.join(folder, name), name == "__init__.py")
    return out


def import_graph() -> dict[str, set[str]]:
    """Which of our modules each module imports (``from pkg import sub`` counts as ``pkg.sub``)."""
    mods = modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in mods.items():
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        package = name if is_package else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = parts[: len(parts) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in mods]
                deps.update(m for m in subs or [target] if m in mods)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name in mods)
        deps.discard(name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(d for d in graph[node] if d in graph):
            if state.get(dep) == 1:
                found.append(stack[stack.index(dep):] + [dep])
            elif not state.get(dep):
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node)
    return found


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "modelw_lint_rules.releases" in graph["modelw_lint_rules.facts.release"]
    assert "modelw_lint_rules.facts.text" in graph["modelw_lint_rules.facts.components"]


def test_the_engine_never_imports_the_pack():
    graph = import_graph()
    wrong = {m: sorted(d for d in deps if d.startswith("modelw_lint_rules"))
             for m, deps in graph.items() if m.startswith("modelw_lint.")}
    assert {m: d for m, d in wrong.items() if d} == {}


def test_the_pack_and_its_facts_have_no_import_cycles():
    graph = import_graph()
    assert cycles({m: d for m, d in graph.items() if m.startswith("modelw_lint_rules")}) == []


def test_a_cycle_is_seen():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def _contract(contract_id: str) -> dict:
    import tomllib

    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        contracts = tomllib.load(fh)["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


# The engine's layers, top to bottom, from the import-linter contract in pyproject.toml (one
# place): a package imports only its own layer and those below ("report | fix": side by side).
# The package itself ("") and __main__ stand apart: the public names, the entry point.
_LAYERS = _contract("engine-layers")
ENGINE_LAYERS = [{"__main__"}] + [
    {name for part in layer.split("|") for name in (part.strip(), part.strip() + ".*")} for layer in _LAYERS["layers"]
] + [{""}]


def _layer(module: str) -> int:
    short = module.removeprefix("modelw_lint").lstrip(".")
    for n, layer in enumerate(ENGINE_LAYERS):
        if short in layer or any(p.endswith(".*") and short.startswith(p[:-1]) for p in layer):
            return n
    raise AssertionError(f"{module} is in no layer of ENGINE_LAYERS: add it where it belongs")


def test_every_engine_module_has_a_layer():
    for module in import_graph():
        if module == "modelw_lint" or module.startswith("modelw_lint."):
            _layer(module)


def test_engine_layers_only_import_downwards():
    graph = import_graph()
    wrong = []
    for module, deps in graph.items():
        if not (module == "modelw_lint" or module.startswith("modelw_lint.")):
            continue
        for dep in deps:
            if dep == "modelw_lint" or module == "modelw_lint":
                continue  # the package itself: its version, and the re-exports of core (below)
            if dep.startswith("modelw_lint.") and _layer(dep) < _layer(module):
                wrong.append(f"{module} (layer {_layer(module)}) imports {dep} (layer {_layer(dep)})")
    assert wrong == []


def test_the_package_itself_only_reexports_core():
    """``modelw_lint`` (what packs import) holds its version and re-exports the core: every
    layer may import it."""
    imported = {d for d in import_graph()["modelw_lint"] if d.startswith("modelw_lint.")}
    assert imported <= {"modelw_lint.core.finding", "modelw_lint.core.rule"}


def test_the_engine_has_no_import_cycles():
    graph = import_graph()
    assert cycles({m: d for m, d in graph.items() if m == "modelw_lint" or m.startswith("modelw_lint.")}) == []


def _rule_modules(registry):
    return {r.__module__ for r in registry.sorted_rules() if r.__module__.startswith("modelw_lint_rules.")}


def sibling_imports(graph: dict[str, set[str]], rules: set[str]) -> dict[str, list[str]]:
    """Rule modules that import other rule modules."""
    return {m: sorted(graph.get(m, set()) & rules) for m in sorted(rules) if graph.get(m, set()) & rules}


def test_rule_modules_never_import_each_other(registry):
    rules = _rule_modules(registry)
    assert len(rules) > 50
    assert sibling_imports(import_graph(), rules) == {}
    # What the check would say (a rule borrowing another's constant):
    fake = {"pack.deploy.a": {"pack.deploy.b", "pack.deploy._common"}, "pack.deploy.b": set()}
    assert sibling_imports(fake, {"pack.deploy.a", "pack.deploy.b"}) == {"pack.deploy.a": ["pack.deploy.b"]}


def test_siblings_of_a_layer_do_not_import_each_other():
    """``report | fix``: two packages side by side, independent of each other."""
    graph = import_graph()
    for layer in _LAYERS["layers"]:
        parts = [p.strip() for p in layer.split("|")]
        for a in parts:
            for b in parts:
                if a == b:
                    continue
                found = [(m, d) for m, deps in graph.items() if m.startswith(f"modelw_lint.{a}") for d in deps
                         if d == f"modelw_lint.{b}" or d.startswith(f"modelw_lint.{b}.")]
                assert found == [], f"{a} imports {b}: {found}"


def test_import_linter_keeps_the_contracts():
    """The same contracts, checked by import-linter itself (installed with the test extras)."""
    import shutil
    import subprocess
    import sys

    tool = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    assert tool, "import-linter is a test dependency"
    proc = subprocess.run([tool, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in proc.stdout


def test_a_layer_violation_is_seen():
    assert _layer("modelw_lint.project.files") > _layer("modelw_lint.engine.linter")
    assert _layer("modelw_lint.report.formats.sarif_format") == _layer("modelw_lint.report.docs")
