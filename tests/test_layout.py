"""
The two floors (docs/architecture.md): the ground floor, ``core``, holds the
helpers every app may import and imports no app; the apps import ``core`` and
the apps below them; nothing imports the top floor, ``filmblog`` (settings, root
URLs, the Jinja2 environment, the site-wide pages), which may import anything.
Among the apps, people never imports reviews, and reviews, people and
subscriptions never import search. No module imports itself back through
others, lazy imports included.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUND = "core"
TOP = "filmblog"
# Every package at the top level with an apps.py is an app.
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in {GROUND, TOP})
PACKAGES = [GROUND, TOP, *APPS]


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            modules[module_name(path)] = path
    return modules


def imports_of(path, modules):
    """The project modules a module imports at its top level or in its functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from package import module`` depends on the module, not on the package.
            submodules = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [name for name in submodules if name in modules] or [node.module]
        found.update(name for name in names if name in modules)
    return found


MODULES = project_modules()
# A package's __init__ importing its own modules names the package itself: no edge.
GRAPH = {name: imports_of(path, MODULES) - {name} for name, path in MODULES.items()}


def package(name):
    return name.split(".")[0]


def offending(from_packages, to_packages):
    found = {
        name: sorted(i for i in imported if package(i) in to_packages)
        for name, imported in GRAPH.items()
        if package(name) in from_packages
    }
    return {name: imports for name, imports in found.items() if imports}


def test_there_are_apps_to_check():
    assert {"people", "reviews", "subscriptions"} <= set(APPS)
    assert any(package(name) == GROUND for name in GRAPH)


def test_ground_floor_imports_no_app_and_not_the_top_floor():
    assert offending({GROUND}, {*APPS, TOP}) == {}


def test_no_app_imports_the_top_floor():
    assert offending(set(APPS), {TOP}) == {}


def test_the_apps_search_reads_never_import_it():
    """search reads reviews and people; they, and subscriptions, never import it back."""
    assert "search" in APPS
    assert offending({"reviews", "people", "subscriptions"}, {"search"}) == {}


def test_people_never_imports_reviews():
    assert offending({"people"}, {"reviews"}) == {}


def test_no_import_cycles():
    cycles = []

    def visit(name, path):
        for imported in GRAPH.get(name, ()):
            if imported == path[0]:
                cycles.append(" -> ".join([*path, imported]))
            elif imported not in path and len(path) < 12:
                visit(imported, [*path, imported])

    for name in GRAPH:
        visit(name, [name])
    assert cycles == []
