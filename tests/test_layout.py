"""The package's layout holds: layers point one way, the domain is pure, views import no view,
and the README's layout section names every package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assess"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Each part of the package may import only the parts on its own layer or below.
LAYERS = [
    {"translation"},
    {"questionnaire"},
    {"scoring"},
    {"store"},
    {"organisation"},
    {"regional"},
    {"assessment"},
    {"report"},
    {"declaration"},
    {"privacy"},
    {"integrity", "demo", "backups"},
    {"web", "config"},
    {"views"},
    {"cli"},
    {"__init__"},
]
LAYER = {part: level for level, parts in enumerate(LAYERS) for part in parts}
PURE = {"questionnaire", "scoring"}  # no Flask, no database
WITHOUT_FLASK = {part for part, level in LAYER.items() if level < LAYER["web"]}
FLASK = ("flask", "flask_babel", "flask_login", "flask_wtf")
DATABASE = ("sqlite3", "sqlite_utils")


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(path: Path) -> list[str]:
    """Every module a file imports (absolute names), at any depth of the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            if node.module == "assess":  # from assess import part
                found += [f"assess.{alias.name}" for alias in node.names]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_part_of_the_package_has_a_layer():
    parts = {part_of(path) for path in MODULES}
    assert parts - set(LAYER) == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_layer_or_below(path):
    own = part_of(path)
    above = [
        name
        for name in imports(path)
        if name.startswith("assess.")
        and name.split(".")[1] != own
        and LAYER.get(name.split(".")[1], -1) > LAYER[own]
    ]
    assert above == [], f"{own} (layer {LAYER[own]}) imports a higher layer"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if part_of(p) in WITHOUT_FLASK],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_use_cases_and_the_domain_import_no_flask(path):
    assert [name for name in imports(path) if name.split(".")[0] in FLASK] == []


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if part_of(p) in PURE],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_the_domain_touches_no_database(path):
    touching = [
        name
        for name in imports(path)
        if name.split(".")[0] in DATABASE or name.startswith(("assess.store", "assess.web"))
    ]
    assert touching == []


VIEWS = sorted(p for p in (PACKAGE / "views").glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_a_view_imports_no_other_view(path):
    assert [name for name in imports(path) if name.startswith("assess.views")] == []


def test_views_open_no_transaction_and_run_no_sql():
    for path in (PACKAGE / "views").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "write_transaction" not in source, path.name
        assert not re.search(r"\.(execute|query|executemany)\(", source), path.name


def test_the_readme_layout_names_every_package():
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    packages = sorted(
        path.parent.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("__init__.py")
        if path.parent != PACKAGE and "__pycache__" not in path.parts
    )
    top = {name.split("/")[0] for name in packages}
    missing = [name for name in top if not re.search(rf"^\s+{re.escape(name)}/\s", section, re.M)]
    assert missing == []
    modules = [p.name for p in PACKAGE.glob("*.py")]
    assert [m for m in modules if not re.search(rf"^\s+{re.escape(m)}\s", section, re.M)] == []
