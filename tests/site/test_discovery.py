"""One file discovery: on random content trees and settings, the articles, pages and static files that
``pressroom.build.discovery`` finds are the sources Pelican itself reads when it builds the tree."""

import json
import os
import subprocess
import sys
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.contents import Article
from pelican.settings import read_settings

from pressroom.build import discovery, lint

FOLDERS = ["articles", "pages", "a", "b", "images", ".#tmp", "GUIDE.md"]
NAMES = ["f.md", "g.markdown", "h.txt", "i.html", "j.rst", ".#k.md", "GUIDE.md", "l.yml", "m.MD"]

# Run in a fresh interpreter: Pelican alone (no plugin, no receiver left by another test), each
# content object it makes recorded with its kind.
PELICAN_RUN = """
import json, sys
from pelican import Pelican, signals
from pelican.contents import Article
from pelican.settings import read_settings
made = {"Article": [], "Page": [], "Static": []}
def record(content):
    made.setdefault(type(content).__name__, []).append(content.source_path)
signals.content_object_init.connect(record)
Pelican(read_settings(override=json.loads(sys.argv[1]))).run()
print(json.dumps(made))
"""

paths = st.lists(st.sampled_from(FOLDERS), max_size=3).map(lambda parts: "/".join(parts))
trees = st.lists(st.tuples(paths, st.sampled_from(NAMES)), min_size=1, max_size=14, unique=True)
choices = {
    "ARTICLE_PATHS": st.lists(st.sampled_from(["", "articles", "a", "a/b"]), min_size=1, max_size=2, unique=True),
    "PAGE_PATHS": st.lists(st.sampled_from(["pages", "b", "a/pages", "articles/pages"]), max_size=2, unique=True),
    "STATIC_PATHS": st.lists(st.sampled_from(["images", "a", "", "b/images"]), max_size=2, unique=True),
    "ARTICLE_EXCLUDES": st.lists(st.sampled_from(["a/b", "articles/a", "b", "pages/"]), max_size=2, unique=True),
    "IGNORE_FILES": st.lists(st.sampled_from([".#*", ".gitkeep", "GUIDE.md", "*.yml"]), max_size=4, unique=True),
    "READERS": st.sampled_from([{}, {"rst": None, "html": None, "htm": None}]),
}


def text_for(name, number):
    """A source that every reader reads as valid, with an address of its own."""
    if name.endswith(".html"):
        return (
            f'<html><head><title>T {number}</title><meta name="date" content="2024-01-01">'
            f'<meta name="slug" content="s{number}"></head><body><p>Texte.</p></body></html>'
        )
    if name.endswith(".rst"):
        return f"T {number}\n####\n\n:date: 2024-01-01\n:slug: s{number}\n\nTexte.\n"
    return f"Title: T {number}\nDate: 2024-01-01\nSlug: s{number}\n\nTexte.\n"


def write_tree(root, tree):
    for number, (folder, name) in enumerate(tree):
        try:
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            with open(os.path.join(root, folder, name), "w", encoding="utf-8") as source:
                source.write(text_for(name, number))
        except (NotADirectoryError, FileExistsError, IsADirectoryError):
            continue  # a file where a folder is wanted, or the reverse: not a tree


def pelican_reads(override):
    done = subprocess.run(
        [sys.executable, "-c", PELICAN_RUN, json.dumps(override)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees, chosen=st.fixed_dictionaries(choices))
def test_discovery_finds_what_pelican_reads(tree, chosen):
    with tempfile.TemporaryDirectory() as folder:
        content, output = os.path.join(folder, "content"), os.path.join(folder, "output")
        os.makedirs(content)
        write_tree(content, tree)
        override = dict(chosen, PATH=content, OUTPUT_PATH=output, PLUGINS=[], LOAD_CONTENT_CACHE=False)
        override.update(SITEURL="", TIMEZONE="UTC", DEFAULT_LANG="fr", CACHE_CONTENT=False)
        made = pelican_reads(override)
        ours = read_settings(override=override)
        for kind, content_class in (("ARTICLE", "Article"), ("PAGE", "Page"), ("STATIC", "Static")):
            assert discovery.sources(ours, kind) == sorted(made[content_class]), kind
        files = [os.path.join(where, name) for where, _, names in os.walk(content) for name in names]
        for kind in ("ARTICLE", "PAGE"):
            found = set(discovery.sources(ours, kind))
            assert {path for path in files if discovery.is_source(ours, kind, path)} == found, kind


def test_the_static_outputs_lint_checks_are_the_static_paths_and_the_static_links(tmp_path):
    for relative in ("images/photo.jpg", "images/.#brouillon.jpg", "docs/note.pdf", "docs/autre.pdf"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"x")
    ours = read_settings(override={"PATH": str(tmp_path), "STATIC_PATHS": ["images"], "IGNORE_FILES": [".#*"]})
    body = '<p><a href="{static}/docs/note.pdf">note</a> <a href="{filename}/docs/autre.pdf">autre</a></p>'
    source = str(tmp_path / "articles" / "a.md")
    article = Article(body, metadata={"title": "A"}, settings=ours, source_path=source)
    assert lint.static_outputs(ours, [article]) == {
        str(tmp_path / "images" / "photo.jpg"): "images/photo.jpg",
        str(tmp_path / "docs" / "note.pdf"): "docs/note.pdf",
    }
