"""One module owns every use of Pelican's private API (pressroom/build/engine.py): no other module
or plugin names a private Pelican name, the architecture guide lists exactly the engine's table,
and a Pelican of another series is one French line."""

import ast
import pathlib
import re

import pelican

from pressroom.build import engine

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINE = ROOT / "pressroom" / "build" / "engine.py"
GUIDE = ROOT / "docs" / "architecture.md"


def is_private(name):
    return name.startswith("_") and not name.startswith("__") and name != "_"


def names_in(tree):
    """(line, name) of every attribute, function, class, name and import in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node.lineno, node.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pelican":
            yield from ((node.lineno, part) for part in node.module.split("."))
            yield from ((node.lineno, alias.name) for alias in node.names)


def pelican_private_names():
    """Every private name that Pelican's own code defines or uses (its tests left aside)."""
    found = set()
    for source in pathlib.Path(pelican.__file__).parent.rglob("*.py"):
        if "tests" not in source.parts:
            found |= {name for _, name in names_in(ast.parse(source.read_text(encoding="utf-8"))) if is_private(name)}
        found |= {name for name in re.findall(r"\bself\.(_[a-z]\w*)", source.read_text(encoding="utf-8"))}
    return found


def our_sources():
    for folder in ("pressroom", "plugins"):
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "tasks.py"


def test_pelican_private_names_are_found():
    private = pelican_private_names()
    assert {"_content", "_get_writer", "_open_w", "_written_files", "_build_period_archives"} <= private


def test_only_the_engine_uses_pelican_private_names():
    private = pelican_private_names()
    used = [
        f"{source.relative_to(ROOT)}:{line}: {name}"
        for source in our_sources()
        if source != ENGINE
        for line, name in names_in(ast.parse(source.read_text(encoding="utf-8")))
        if name in private
    ]
    assert used == []


def test_the_engine_uses_each_private_name_it_declares():
    before, rest = ENGINE.read_text(encoding="utf-8").split("PRIVATE_API = {", 1)
    code = before + rest.split("\n}\n", 1)[1]  # the module without its table
    for name in engine.PRIVATE_API:
        private = re.findall(r"\b_[a-z]\w*", name)
        assert private or "copied" in name or "replaced" in name, name
        for part in private:
            assert re.search(rf"\b{part}\b", code), name


def test_the_engine_declares_every_private_name_it_uses():
    private = pelican_private_names()
    tree = ast.parse(ENGINE.read_text(encoding="utf-8"))
    own = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    used = {name for _, name in names_in(tree) if name in private and name not in own} - {"_utils"}
    declared = {part for name in engine.PRIVATE_API for part in re.findall(r"\b_[a-z]\w*", name)}
    assert used - declared == set()


def guide_table():
    """The first column of the architecture guide's table of private APIs."""
    section = GUIDE.read_text(encoding="utf-8").split("Private Pelican APIs", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [row.split("|")[1].strip().strip("`") for row in rows]


def test_the_guide_lists_the_engine_table():
    assert guide_table() == list(engine.PRIVATE_API)


def test_another_pelican_is_one_french_line():
    assert engine.version_problem(f"{engine.PELICAN_SERIES}.7") is None
    problem = engine.version_problem("5.0.1")
    assert "Pelican 5.0.1 est installé" in problem and engine.PELICAN_SERIES in problem
    assert "\n" not in problem
    assert engine.version_problem() is None  # requirements.txt pins the series


def test_the_settings_load_says_another_pelican_once(monkeypatch, caplog):
    from pressroom.build import site

    monkeypatch.setattr(pelican, "__version__", "4.99.0")
    engine.warn_if_other_version.cache_clear()
    try:
        site.load_settings()
        site.load_settings()
    finally:
        engine.warn_if_other_version.cache_clear()
    said = [record.getMessage() for record in caplog.records if "Pelican 4.99.0 est installé" in record.getMessage()]
    assert len(said) == 1


# --- Listings that find their members by identity --------------------------------------------


class Dated:
    """An article as the archives see it: a date, equal only to itself (as Pelican's contents)."""

    def __init__(self, date):
        self.date = date


def archive_settings():
    return {
        "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
        "YEAR_ARCHIVE_URL": "{date:%Y}/",
        "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
        "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
        "DAY_ARCHIVE_SAVE_AS": "",
        "DAY_ARCHIVE_URL": "",
    }


def test_period_archives_are_pelicans_own():
    import datetime
    import random

    from pelican.generators import ArticlesGenerator

    rng = random.Random(4)
    articles = [Dated(datetime.datetime(2010 + rng.randrange(5), 1 + rng.randrange(12), 1)) for _ in range(300)]
    dates = sorted(articles, key=lambda article: article.date, reverse=True)
    ours = engine.period_archives(dates, articles, archive_settings())
    pelicans = ArticlesGenerator._build_period_archives(None, dates, articles, archive_settings())
    assert ours == pelicans
    assert len(ours["year"]) == 5 and "day" not in ours


def test_a_listing_finds_its_members_by_identity_even_after_an_append():
    first, second, equal_but_other = Dated(1), Dated(2), Dated(1)
    listing = engine.Listing([first])
    assert first in listing and second not in listing and equal_but_other not in listing
    listing.append(second)
    assert second in listing
    assert [article for article in [second, equal_but_other, first] if article in listing] == [second, first]


class Written:
    """A content as process_translations sees it: a slug, a language, its metadata."""

    def __init__(self, slug, lang, translation="false"):
        self.slug, self.lang, self.in_default_lang = slug, lang, lang == "fr"
        self.metadata = {"translation": translation}
        self.source_path = f"{slug}-{lang}.md"


def test_translations_paired_by_group_are_pelicans_own():
    from pelican.utils import process_translations

    def contents():
        made = [Written(f"communique-{n % 40}", lang) for n, lang in enumerate(["fr", "en", "bm"] * 30)]
        return made + [Written("annonce", "en", "true"), Written("seul", "bm")]

    ours_list, pelicans_list = contents(), contents()
    ours = engine.translations_by_group(ours_list, "slug")
    pelicans = process_translations(pelicans_list, "slug")

    def shown(pair):
        return [[(c.slug, c.lang, [(t.slug, t.lang) for t in c.translations]) for c in part] for part in pair]

    assert shown(ours) == shown(pelicans)
    assert ours[1] and len(ours[0]) + len(ours[1]) == 92  # translations found, none lost
