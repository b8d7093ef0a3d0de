"""Rules of the code's layout that import-linter cannot see: no module is too long to find one's way in, and views
hold no queries (they reach records through access functions, selectors and services)."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "recovery", "exercises", "journey", "dashboards", "notifications", "interop", "web", "config")
MAX_LINES = 600
# Source a maintainer reads by module: Python (the apps, tests, tools) and the PWA's JavaScript and templates.
SOURCE_SUFFIXES = {".py", ".js", ".mjs", ".html"}
# Not written by hand, or data rather than code: migrations, versioned clinical content, installed packages.
SKIPPED_DIRS = {".git", ".venv", "node_modules", "migrations", "content", "__pycache__"}

# A queryset method called in a view is a query in a view. These names belong to querysets and managers only.
QUERYSET_METHODS = {
    "aggregate", "alias", "all", "annotate", "bulk_create", "bulk_update", "count", "defer", "delete", "distinct",
    "earliest", "exclude", "exists", "extra", "filter", "first", "get_or_create", "in_bulk", "iterator", "last",
    "latest", "none", "only", "order_by", "prefetch_related", "raw", "select_for_update", "select_related", "union",
    "update_or_create", "values_list",
}  # fmt: skip
# These are also dict or str methods, so they count only when called as querysets are: with keyword arguments
# (`.get(pk=...)`, `.update(state=...)`); `count` and `exists` also name methods that take a positional argument.
QUERYSET_METHODS_WITH_KEYWORDS = {"create", "get", "update", "values"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# Views that may query directly, each with its reason: none.
ALLOWED: set[tuple[str, str]] = set()


def _source_files() -> Iterator[Path]:
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
        yield from (Path(folder) / name for name in names if Path(name).suffix in SOURCE_SUFFIXES)


def test_no_source_file_outside_migrations_and_content_is_over_600_lines():
    files = list(_source_files())
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in files
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }

    assert len(files) > 100  # the walk found the repository
    assert too_long == {}


def _api_modules() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT / app)
            if relative.name.endswith("api.py") or "api" in relative.parts[:-1]:
                yield path


def _queries(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    """(line, enclosing top-level class or function, what) for every manager or queryset call."""
    for top in ast.iter_child_nodes(tree):
        owner = getattr(top, "name", "")
        for node in ast.walk(top):
            if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
                yield node.lineno, owner, f".{node.attr}"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                if name in QUERYSET_METHODS and not (name in {"count", "exists"} and node.args):
                    yield node.lineno, owner, f".{name}()"
                elif name in QUERYSET_METHODS_WITH_KEYWORDS and node.keywords and not node.args:
                    yield node.lineno, owner, f".{name}(...=...)"


def test_views_hold_no_queries():
    modules = list(_api_modules())
    found = []
    for path in modules:
        relative = str(path.relative_to(ROOT))
        for line, owner, what in _queries(ast.parse(path.read_text(encoding="utf-8"))):
            if (relative, owner) not in ALLOWED:
                found.append(f"{relative}:{line} {owner}: {what}")

    assert all(p.stem.endswith("api") or p.parent.name == "api" for p in modules)
    assert len(modules) >= 9
    assert found == [], "move these reads to the app's selectors.py and writes to its services.py"


def test_the_query_check_sees_a_query():
    source = """
class ListApi:
    def get(self, request):
        rows = Delivery.objects.filter(recipient=request.user)
        return selectors.deliveries_for(user).order_by("-due_at"), other.get(pk=1), params.get("page", 1)
"""
    whats = [what for _, _, what in _queries(ast.parse(source))]

    assert sorted(whats) == [".filter()", ".get(...=...)", ".objects", ".order_by()"]
