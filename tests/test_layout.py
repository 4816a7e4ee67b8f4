"""
The dependency rule between the packages (docs/architecture.md): reviews may
import people, people never imports reviews, the shared helpers in filmblog
import no app, and no module imports itself back through others.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["filmblog", "people", "reviews", "subscriptions"]
APPS = ["people", "reviews", "subscriptions"]
# Helpers every app may import; they import no app.
SHARED_HELPERS = [
    "filmblog.fields",
    "filmblog.images",
    "filmblog.links",
    "filmblog.pagecache",
    "filmblog.ratelimit",
    "filmblog.renditions",
    "filmblog.security",
    "filmblog.slugs",
]


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
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


def test_people_never_imports_reviews():
    offending = {
        name: sorted(i for i in imported if i.startswith("reviews"))
        for name, imported in GRAPH.items()
        if name.startswith("people")
    }
    assert {name: found for name, found in offending.items() if found} == {}


@pytest.mark.parametrize("helper", SHARED_HELPERS)
def test_shared_helpers_import_no_app(helper):
    if helper not in GRAPH:
        pytest.skip(f"{helper} does not exist")
    assert sorted(i for i in GRAPH[helper] if i.split(".")[0] in APPS) == []


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
