"""The package is a picture of its design: each subpackage of pressroom imports only the layers
below it, as its ``__init__`` docstring says."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "pressroom"
MAY_IMPORT = {
    "settings": set(),
    "content": {"settings"},
    "build": {"settings", "content"},
    "preview": {"settings", "content", "build"},
    "publish": {"settings", "content", "build"},
    "reach": {"settings", "content", "build", "publish"},
    "tools": {"settings", "content", "build", "preview", "publish", "reach"},
}


def layer_of(path):
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_layers(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "pressroom" else [f"pressroom.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "pressroom" and len(parts) > 1:
                yield node.lineno, parts[1]


def test_every_module_lives_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "settings.py")]
    assert loose == []
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == set(MAY_IMPORT) - {"settings"}


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_a_layer_imports_only_the_layers_below_it(layer):
    sources = [PACKAGE / "settings.py"] if layer == "settings" else sorted((PACKAGE / layer).rglob("*.py"))
    wrong = [
        f"{source.relative_to(PACKAGE)}:{line}: {imported}"
        for source in sources
        for line, imported in imported_layers(source)
        if imported != layer and imported not in MAY_IMPORT[layer]
    ]
    assert wrong == []


def test_relative_imports_stay_inside_a_subpackage():
    for source in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1, f"{source}:{node.lineno}"
