"""Every third-party package the code imports is declared in the requirement sources (requirements*.in), and the
locked files install with hashes."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "var", "artifacts", ".git"}
# Where a file's imports must be declared: the server's code in requirements.in, `make run`'s extra in
# requirements-run.in, tests and benchmarks in requirements-dev.in (each file includes the one before).
LAYERS = {"runtime": ["requirements.in"], "run": ["requirements.in", "requirements-run.in"]}
LAYERS["dev"] = [*LAYERS["run"], "requirements-dev.in"]
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(files: list[str]) -> set[str]:
    names = set()
    for file in files:
        for line in (BASE_DIR / file).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                names.add(_normalize(re.split(r"[\[<>=!~;\s]", line, maxsplit=1)[0]))
    return names


def _python_files() -> list[Path]:
    files = []
    for path in BASE_DIR.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(BASE_DIR).parts):
            continue
        if path.suffix == ".py" or (
            path.parent.name == "bin" and path.read_bytes().startswith(b"#!/usr/bin/env python")
        ):
            files.append(path)
    return files


def _layer(path: Path) -> str:
    top = path.relative_to(BASE_DIR).parts[0]
    return {"tests": "dev", "bench": "dev", "bin": "run"}.get(top, "runtime")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
        elif path.name == "settings.py" and isinstance(node, ast.Constant) and _DOTTED.match(str(node.value)):
            # Settings name classes and apps by dotted path (INSTALLED_APPS, MIDDLEWARE, backends...).
            modules.add(str(node.value).split(".")[0])
    return modules


def _local_modules() -> set[str]:
    return {p.name for p in BASE_DIR.iterdir() if (p / "__init__.py").exists()} | {
        p.stem for p in BASE_DIR.glob("*.py")
    }


def test_every_imported_third_party_package_is_declared_in_the_requirement_sources():
    distributions = packages_distributions()
    local = _local_modules()
    missing = []
    for path in _python_files():
        declared = _declared(LAYERS[_layer(path)])
        for module in sorted(_imported_modules(path)):
            if module in sys.stdlib_module_names or module in local or module in ("__future__", "_typeshed"):
                continue
            if (path.parent / f"{module}.py").exists():
                continue  # a script's sibling module (bench/support.py)
            providers = {_normalize(d) for d in distributions.get(module, [])}
            if not providers:
                if path.name == "settings.py":
                    continue  # a dotted string that is not a module (a setting's value such as an address)
                missing.append(f"{path.relative_to(BASE_DIR)}: {module} (not installed)")
            elif not providers & declared:
                missing.append(f"{path.relative_to(BASE_DIR)}: {module} (from {', '.join(sorted(providers))})")
    assert not missing, "imported but not declared in " + _layer_names() + ":\n" + "\n".join(missing)


def _layer_names() -> str:
    return "requirements.in (server code), requirements-run.in (bin/), requirements-dev.in (tests, bench)"


def test_the_locked_files_pin_every_package_with_hashes():
    for locked in ("requirements.txt", "requirements-run.txt", "requirements-dev.txt"):
        text = (BASE_DIR / locked).read_text()
        entries = re.findall(
            r"^([A-Za-z0-9][A-Za-z0-9._\-\[\]]*)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)",
            text,
            re.MULTILINE,
        )
        requirement_lines = [
            line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith(("#", "-"))
        ]
        assert entries and len(entries) == len(requirement_lines), f"{locked}: every requirement pinned with hashes"


def test_honcho_is_a_development_requirement_only():
    assert "honcho" not in _declared(["requirements.in"])
    assert "honcho" in _declared(["requirements-run.in"])
    assert "honcho" not in (BASE_DIR / "requirements.txt").read_text()
