"""The package's architecture, checked over its import graph so it stays true as the code grows.

The graph is read from the source with ``ast``, not by importing: every ``import`` counts wherever it stands — inside
a function (a lazy import), under ``if TYPE_CHECKING:`` — since a circle hidden by laziness is still a circle a reader
has to untangle. ``from polyleaf.x import y`` imports the module ``polyleaf.x.y`` when there is one, else the package
``polyleaf.x`` (its ``__init__``), and a string that is exactly a module's dotted name (``"polyleaf.pipeline"``, a
module a worker preloads by name for ``importlib``) is an import of it too. The parents Python runs on the way to a
module are not counted: a package's ``__init__`` holds only its docstring (checked here), so running it imports
nothing.

Each rule is a function over a package on disk; the tests run it on ``src/polyleaf`` and on small packages made in
``tmp_path`` that break it, so every rule is shown to catch what it is for.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "polyleaf"

MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60

# The layers, lowest first: a module may import only modules of its own layer or a lower one. A name is a module or
# a package (a package's name covers everything under it); the longest name that matches a module places it. A module
# no name matches fails ``test_every_module_has_a_layer``: a new module must be placed here.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "polyleaf",  # the root package's __init__ (its docstring and version), not what lies under it
        "polyleaf.errors",
        "polyleaf.fsio",
        "polyleaf.jsonio",
        "polyleaf.clock",
        "polyleaf.progress",
        "polyleaf.invisible",
        "polyleaf.locale",
        "polyleaf.terms",
        "polyleaf.cache",
        "polyleaf.glossary",
        "polyleaf.formats",
    ),
    ("polyleaf.config", "polyleaf.project"),
    ("polyleaf.po", "polyleaf.source"),
    ("polyleaf.qa",),
    ("polyleaf.catalog", "polyleaf.mt"),
    ("polyleaf.exchange", "polyleaf.localize", "polyleaf.labels", "polyleaf.clinic"),
    ("polyleaf.render", "polyleaf.execution"),
    ("polyleaf.pipeline",),
    ("polyleaf.console", "polyleaf.cli", "polyleaf.commands", "polyleaf.__main__"),
)

# The root package keeps ``__version__`` (what ``polyleaf --version``, the PO header's X-Generator and the caches'
# digests read): one constant, which imports nothing, so it cannot make a circle.
ROOT_INIT_NAMES = frozenset({"__version__"})


@dataclass(frozen=True)
class Module:
    """One module of the package as read from disk."""

    name: str
    path: Path
    is_package: bool


def modules_of(src: Path, package: str) -> dict[str, Module]:
    """Every module of ``package`` under ``src`` by its dotted name (a package by its own name, for its __init__)."""
    found: dict[str, Module] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = Module(".".join(parts), path, is_package)
    return found


def _parse(module: Module) -> ast.Module:
    return ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The module a ``from … import`` names, its relative dots resolved against the importing module."""
    if node.level == 0:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _names_a_module(value: object, known: Mapping[str, Module]) -> bool:
    """Whether a constant is a dotted module name of the package (the root's bare name is a word, not an import)."""
    return isinstance(value, str) and "." in value and value in known


def _imported(module: Module, tree: ast.Module, known: Mapping[str, Module]) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import in the tree that names a module of the package."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    yield submodule, node.lineno
                elif source in known:
                    yield source, node.lineno
        elif isinstance(node, ast.Constant) and _names_a_module(node.value, known):
            yield str(node.value), node.lineno  # imported by name: importlib.import_module("polyleaf.pipeline")


def import_graph(modules: Mapping[str, Module]) -> dict[str, dict[str, int]]:
    """For each module, the modules of the package it imports, each with the first line that imports it."""
    graph: dict[str, dict[str, int]] = {}
    for name, module in modules.items():
        edges: dict[str, int] = {}
        for target, line in _imported(module, _parse(module), modules):
            if target != name:
                edges.setdefault(target, line)
        graph[name] = dict(sorted(edges.items()))
    return graph


def import_circles(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = lowlink[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = lowlink[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, {}))))
                elif successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
                continue
            work.pop()
            if work:
                lowlink[work[-1][0]] = min(lowlink[work[-1][0]], lowlink[node])
            if lowlink[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return sorted(circles)


def layer_of(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> int | None:
    """The layer (1 = lowest) of the longest name in ``layers`` that is the module or a package holding it.

    The root package's own name places only its ``__init__``; everything under it needs a name of its own.
    """
    best: tuple[int, int] | None = None
    for number, names in enumerate(layers, start=1):
        for name in names:
            covers = module == name or (module.startswith(name + ".") and "." in name)
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), number)
    return None if best is None else best[1]


def unplaced(modules: Mapping[str, Module], layers: tuple[tuple[str, ...], ...] = LAYERS) -> list[str]:
    """Modules no layer lists."""
    return [name for name in modules if layer_of(name, layers) is None]


def imports_up(
    modules: Mapping[str, Module],
    graph: Mapping[str, Mapping[str, int]],
    layers: tuple[tuple[str, ...], ...] = LAYERS,
) -> list[str]:
    """Every import of a module from a higher layer, as ``path:line: importer (layer) imports target (layer)``."""
    found = []
    for name, targets in graph.items():
        own = layer_of(name, layers)
        for target, line in targets.items():
            theirs = layer_of(target, layers)
            if own is not None and theirs is not None and theirs > own:
                found.append(f"{_shown(modules[name].path)}:{line}: {name} ({own}) imports {target} ({theirs})")
    return found


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(SRC.parent))
    except ValueError:
        return str(path)


def long_modules(modules: Mapping[str, Module], limit: int = MAX_MODULE_LINES) -> list[str]:
    """Modules over ``limit`` lines, as ``path: N lines``, longest first."""
    counts = [
        (len(module.path.read_text(encoding="utf-8").splitlines()), _shown(module.path)) for module in modules.values()
    ]
    return [
        f"{shown}: {count} lines"
        for count, shown in sorted(counts, key=lambda item: (-item[0], item[1]))
        if count > limit
    ]


def long_functions(modules: Mapping[str, Module], limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Functions and methods (nested ones too) over ``limit`` lines, from ``def`` to their last line."""
    found = []
    for module in modules.values():
        for node in ast.walk(_parse(module)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append((length, f"{_shown(module.path)}:{node.lineno}: {node.name} is {length} lines"))
    return [text for _, text in sorted(found, key=lambda item: (-item[0], item[1]))]


def _is_command(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a decorator makes the function a click command (``@main.command()``, ``@click.group()``): the name
    is then a command's, and what it binds is a ``click.Command``, not a function anyone calls."""
    return any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in {"command", "group"}
        for decorator in function.decorator_list
    )


def public_functions_sharing_a_name(modules: Mapping[str, Module]) -> list[str]:
    """Public top-level function names defined in more than one module (click commands aside), each with the
    modules defining it."""
    where: dict[str, list[str]] = {}
    for name, module in modules.items():
        for node in _parse(module).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or _is_command(node):
                continue
            if not node.name.startswith("_"):
                where.setdefault(node.name, []).append(name)
    return [f"{function}: {', '.join(sorted(owners))}" for function, owners in sorted(where.items()) if len(owners) > 1]


def _docstring_only(tree: ast.Module, allowed_names: frozenset[str]) -> bool:
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return all(
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and all(isinstance(target, ast.Name) and target.id in allowed_names for target in node.targets)
        for node in body
    )


def busy_package_inits(modules: Mapping[str, Module], root: str = PACKAGE) -> list[str]:
    """Package ``__init__`` files that hold more than their docstring (the root may also hold ``__version__``)."""
    found = []
    for name, module in modules.items():
        allowed = ROOT_INIT_NAMES if name == root else frozenset()
        if module.is_package and not _docstring_only(_parse(module), allowed):
            found.append(_shown(module.path))
    return found


def _listed(problems: list[str]) -> str:
    return "\n".join(["", *problems])


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    return modules_of(SRC, PACKAGE)


@pytest.fixture(scope="module")
def graph(modules: dict[str, Module]) -> dict[str, dict[str, int]]:
    return import_graph(modules)


def test_no_import_circle(graph: dict[str, dict[str, int]]) -> None:
    circles = import_circles(graph)
    assert not circles, "modules that import each other (lazily or not):" + _listed(
        [" ↔ ".join(circle) for circle in circles]
    )


def test_every_module_has_a_layer(modules: dict[str, Module]) -> None:
    assert not unplaced(modules), "modules no layer lists (place them in LAYERS):" + _listed(unplaced(modules))


def test_no_import_up_the_layers(modules: dict[str, Module], graph: dict[str, dict[str, int]]) -> None:
    found = imports_up(modules, graph)
    assert not found, "imports of a higher layer:" + _listed(found)


def test_no_long_module(modules: dict[str, Module]) -> None:
    found = long_modules(modules)
    assert not found, f"modules over {MAX_MODULE_LINES} lines:" + _listed(found)


def test_no_long_function(modules: dict[str, Module]) -> None:
    found = long_functions(modules)
    assert not found, f"functions over {MAX_FUNCTION_LINES} lines:" + _listed(found)


def test_no_two_public_functions_of_one_name(modules: dict[str, Module]) -> None:
    found = public_functions_sharing_a_name(modules)
    assert not found, "public functions of one name in several modules:" + _listed(found)


def test_package_inits_hold_only_their_docstring(modules: dict[str, Module]) -> None:
    found = busy_package_inits(modules)
    assert not found, "package __init__ files holding code (move it to a named module):" + _listed(found)


def test_the_graph_sees_every_import_form(modules: dict[str, Module], graph: dict[str, dict[str, int]]) -> None:
    """The real package's graph holds the imports the rules depend on, so a reader can trust it is not empty."""
    assert len(modules) > 100
    assert "polyleaf.po.pofile" in graph["polyleaf.po.poread"]
    assert "polyleaf.errors" in graph["polyleaf.cli"]


# The rules on synthetic packages: each one catches what it is for, and only that.


def _package(root: Path, files: Mapping[str, str]) -> dict[str, Module]:
    for relative, text in files.items():
        path = root / "pkg" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return modules_of(root, "pkg")


def test_every_import_form_is_an_edge(tmp_path: Path) -> None:
    modules = _package(
        tmp_path,
        {
            "__init__.py": '"""Root."""\n',
            "a.py": "import pkg.b\n",
            "b.py": "from pkg import c\n",
            "c.py": "def f() -> None:\n    from .sub import d\n",
            "sub/__init__.py": '"""Sub."""\n',
            "sub/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..sub.e import E\n",
            "sub/e.py": "from pkg.sub import NAME\nfrom . import f\n",
            "sub/f.py": "import os\nfrom os import path\nPRELOAD = ('pkg.a', 'pkg', 'pkg.a is a module')\n",
        },
    )
    graph = import_graph(modules)
    assert graph == {
        "pkg": {},
        "pkg.a": {"pkg.b": 1},
        "pkg.b": {"pkg.c": 1},
        "pkg.c": {"pkg.sub.d": 2},
        "pkg.sub": {},
        "pkg.sub.d": {"pkg.sub.e": 3},
        "pkg.sub.e": {"pkg.sub": 1, "pkg.sub.f": 2},
        "pkg.sub.f": {"pkg.a": 3},
    }


def test_a_circle_is_found_however_it_is_hidden(tmp_path: Path) -> None:
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
            "b.py": "def load() -> None:\n    from pkg import c\n",
            "c.py": "import pkg.a\n",
            "d.py": "import pkg.a\n",
            "e.py": "from pkg import e\n",
        },
    )
    assert import_circles(import_graph(modules)) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_an_import_up_and_an_unplaced_module_are_found(tmp_path: Path) -> None:
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "def f() -> None:\n    from pkg.high import g\n",
            "high.py": "from pkg import low\n",
            "group/__init__.py": "",
            "group/inner.py": "from pkg import high\n",
            "new.py": "",
        },
    )
    layers = (("pkg", "pkg.low"), ("pkg.group",), ("pkg.high",))
    graph = import_graph(modules)
    assert unplaced(modules, layers) == ["pkg.new"]
    assert [line.split(": ", 1)[1] for line in imports_up(modules, graph, layers)] == [
        "pkg.group.inner (2) imports pkg.high (3)",
        "pkg.low (1) imports pkg.high (3)",
    ]
    assert layer_of("pkg.group.inner", layers) == 2
    assert layer_of("pkg.elsewhere", layers) is None


def test_long_modules_and_functions_are_found(tmp_path: Path) -> None:
    long_body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES - 1))
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "fits.py": f"def fits() -> None:\n{long_body}",
            "long.py": f"def too_long() -> None:\n{long_body}    return None\n"
            + "\n" * (MAX_MODULE_LINES - MAX_FUNCTION_LINES),
            "method.py": f"class C:\n    def m(self) -> None:\n    {long_body.replace(chr(10), chr(10) + '    ')}"
            "    return None\n",
        },
    )
    assert long_modules(modules) == [f"{_shown(modules['pkg.long'].path)}: {MAX_MODULE_LINES + 1} lines"]
    assert [problem.rsplit(": ", 1)[1] for problem in long_functions(modules)] == [
        f"too_long is {MAX_FUNCTION_LINES + 1} lines",
        f"m is {MAX_FUNCTION_LINES + 1} lines",
    ]


def test_public_functions_of_one_name_are_found(tmp_path: Path) -> None:
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "def parse_po() -> None: ...\ndef _private() -> None: ...\nclass K:\n    def method(self): ...\n",
            "b.py": "def parse_po() -> int: ...\ndef _private() -> None: ...\nclass K:\n    def method(self): ...\n",
            "c.py": "def nested() -> None:\n    def parse_po() -> None: ...\n",
            "cli.py": "import click\n@click.group()\ndef main(): ...\n@main.command()\ndef parse_po(): ...\n",
            "d.py": "import functools\n@functools.cache\ndef main() -> None: ...\n",
        },
    )
    assert public_functions_sharing_a_name(modules) == ["parse_po: pkg.a, pkg.b"]


def test_package_inits_with_code_are_found(tmp_path: Path) -> None:
    modules = _package(
        tmp_path,
        {
            "__init__.py": '"""Root."""\n\n__version__ = "1.0"\n',
            "empty/__init__.py": "",
            "documented/__init__.py": '"""What it owns; what it never imports."""\n',
            "reexports/__init__.py": '"""Doc."""\nfrom pkg.reexports.x import y\n',
            "reexports/x.py": "y = 1\n",
            "constant/__init__.py": '"""Doc."""\n__version__ = "1.0"\n',
            "code/__init__.py": "def run() -> None: ...\n",
        },
    )
    shown = sorted(Path(problem).parent.name for problem in busy_package_inits(modules, root="pkg"))
    assert shown == ["code", "constant", "reexports"]
