"""A content folder for the press room (issue 28): the showcase, with fictional spokespeople for
the INPS (tests/fixtures/press/porte-parole.yml) and its release naming one of them."""

import pathlib

from showcase import build_showcase, make_showcase

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures" / "press"
SPOKESPERSON = "Awa Exemple"


def add_spokespeople(content, acronym):
    """Insert the fixture's « porte_parole » block under ``acronym`` in the content's registry."""
    registry = pathlib.Path(content) / "institutions.yml"
    block = "".join(line for line in (FIXTURES / "porte-parole.yml").open(encoding="utf-8") if not line.startswith("#"))
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace(f"\n{acronym}:\n", f"\n{acronym}:\n{block}", 1), encoding="utf-8")


def name_spokesperson(content, relative, name):
    article = pathlib.Path(content) / "articles" / relative
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\nSlug:", f"\nSpokesperson: {name}\nSlug:", 1), encoding="utf-8")


def make_press_room(destination):
    content = make_showcase(destination)
    add_spokespeople(content, "INPS")
    name_spokesperson(content, "2025/bareme.md", SPOKESPERSON)
    return content


def build_press_room(base, **overrides):
    return build_showcase(base, make=make_press_room, **overrides)
