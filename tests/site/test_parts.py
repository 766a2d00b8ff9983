"""A build split by years (`invoke build --annees`, `invoke fusion`): the parts put together are
the whole build, file for file; parts that do not fit together are refused in French, and the
site in place is left as it was."""

import io
import json
import os
import pathlib
import shutil

import pytest
from conftest import copy_content, reset_signal_receivers, tree_digest, write_article
from tools import require

from pressroom.build import parts, site
from pressroom.publish import host

PARTS = ("2000-2022", "2023-2099", "communes")
MANIFEST = ".manifeste.json"


def build_part(content, base, part, **overrides):
    """`invoke build --annees part` on ``content``, the output and cache in ``base``."""
    reset_signal_receivers()
    out = io.StringIO()
    status = site.build(
        out=out,
        part=part,
        path=str(content),
        output_path=str(base / "output"),
        cache_path=str(base / "cache"),
        **overrides,
    )
    return status, out.getvalue()


def merge(base):
    out = io.StringIO()
    status = site.merge_parts(out=out, output_path=str(base / "output"))
    return status, out.getvalue()


def files(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in pathlib.Path(folder).rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """The fixture site built whole, then in three parts merged, sharing one cache (Pagefind
    does not give the same bytes twice for one shard: a part takes the whole build's bundles)."""
    base = tmp_path_factory.mktemp("split")
    content = copy_content(base / "content")
    status, messages = build_part(content, base, "")
    assert status == 0, messages
    whole = base / "entier"
    os.rename(base / "output", whole)
    for part in PARTS:
        status, messages = build_part(content, base, part)
        assert status == 0, messages
    status, messages = merge(base)
    assert status == 0, messages
    return base, content, whole


def test_the_merged_parts_are_the_whole_build(split):
    base, _, whole = split
    merged, expected = files(base / "output"), files(whole)
    assert sorted(merged) == sorted(expected)
    different = sorted(name for name in expected if merged[name] != expected[name])
    assert different == []
    assert "Site assemblé dans" in merge(base)[1]


def test_each_part_holds_only_its_own_files(split):
    base, _, whole = split
    root = base / "parties"
    assert sorted(p.name for p in root.iterdir()) == ["annees-2000-2022", "annees-2023-2099", "communes"]
    for folder in root.iterdir():
        listing = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        assert set(listing["fichiers"]) == set(files(folder)) - {MANIFEST}
    old = json.loads((root / "annees-2000-2022" / MANIFEST).read_text(encoding="utf-8"))
    assert old["partie"]["annees_ecrites"] and max(old["partie"]["annees_ecrites"]) <= 2022
    assert all(path.endswith((".html", ".gz")) or path.startswith("pagefind/") for path in old["fichiers"])
    assert not any(path.startswith(("index.html", "feeds/", "sw.js")) for path in old["fichiers"])
    common = json.loads((root / "communes" / MANIFEST).read_text(encoding="utf-8"))
    article_pages = [p for p in files(whole) if p[:4].isdigit() and p.endswith("/index.html")]
    assert article_pages and not set(article_pages) & set(common["fichiers"])
    assert "sw.js" in common["fichiers"] and "index.html" in common["fichiers"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2015-2012", "la dernière année précède la première"),
        ("douze", "une année (2015), deux années (2012-2015) ou « communes » attendu"),
        ("2013-2016", "la recherche groupe les années par 5"),
    ],
)
def test_a_wrong_part_is_refused_before_anything_is_written(tmp_path, value, said):
    content = copy_content(tmp_path / "content")
    status, messages = build_part(content, tmp_path, value, search_shard_years=5)
    assert status == 2
    assert said in messages and "Traceback" not in messages
    assert not (tmp_path / "parties").exists() and not (tmp_path / "output").exists()


@pytest.fixture
def parts_copy(split, tmp_path):
    """A copy of the split build's content, parts and merged output, to spoil."""
    base, _, _ = split
    for name in ("content", "parties", "output", "cache"):
        shutil.copytree(base / name, tmp_path / name, symlinks=True)
    return tmp_path, tmp_path / "content"


def refused(base, said):
    before = tree_digest(base / "output")
    status, messages = merge(base)
    assert status == 2, messages
    assert said in messages and "Fusion impossible" in messages and "Traceback" not in messages
    assert tree_digest(base / "output") == before


def test_a_missing_year_is_refused(parts_copy):
    base, _ = parts_copy
    shutil.rmtree(base / "parties" / "annees-2023-2099")
    refused(base, "années sans partie : 2023")


def test_two_parts_of_one_year_are_refused(parts_copy):
    base, content = parts_copy
    status, messages = build_part(content, base, "2022-2024")
    assert status == 0, messages
    refused(base, "dans deux parties")


def test_parts_of_different_contents_are_refused(parts_copy):
    base, content = parts_copy
    article = next((content / "articles").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    status, messages = build_part(content, base, "communes")
    assert status == 0, messages
    refused(base, "les parties ne viennent pas de la même construction")


def test_a_file_added_to_a_part_is_refused(parts_copy):
    base, _ = parts_copy
    (base / "parties" / "communes" / "intrus.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    refused(base, "parties/communes/intrus.html : fichier que son manifeste ne déclare pas")


def test_a_file_removed_from_a_part_is_refused(parts_copy):
    base, _ = parts_copy
    (base / "parties" / "communes" / "index.html").unlink()
    refused(base, "parties/communes/index.html : fichier déclaré par son manifeste mais absent")


def test_a_link_in_a_part_is_refused(parts_copy):
    base, _ = parts_copy
    (base / "parties" / "communes" / "secret").symlink_to("/etc/passwd")
    refused(base, "lien symbolique dans une partie")


def test_a_part_that_is_a_link_is_refused(parts_copy):
    base, _ = parts_copy
    elsewhere = base / "ailleurs"
    shutil.move(base / "parties" / "communes", elsewhere)
    (base / "parties" / "communes").symlink_to(elsewhere)
    refused(base, "lien symbolique à la place d'une partie")


@pytest.mark.parametrize(
    ("listing", "said"),
    [
        ('{"fichiers": {}}', "ce n'est pas une partie de construction"),
        ("{pas du json", "manifeste .manifeste.json illisible ou absent"),
    ],
)
def test_a_part_whose_manifest_is_not_a_part_s_is_refused(parts_copy, listing, said):
    base, _ = parts_copy
    (base / "parties" / "communes" / MANIFEST).write_text(listing, encoding="utf-8")
    refused(base, said)


def test_no_part_at_all_is_refused(tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("le site en place", encoding="utf-8")
    refused(tmp_path, "aucune partie dans")


def test_after_a_new_release_every_part_is_built_again(parts_copy):
    """A new release may change older years' pages (their related releases): a part built from the
    older content is refused until it is built again."""
    base, content = parts_copy
    write_article(
        content,
        "2025/nouveau.md",
        "Title: Un communiqué de plus\nDate: 2025-06-02\nAuthor: Rédaction\nInstitutions: CMSS\n"
        "Category: Communiqué de presse\nSlug: un-communique-de-plus\nSummary: Un guichet ouvre.\n\n"
        "La caisse annonce l'ouverture d'un guichet.\n",
    )
    for part in ("2023-2099", "communes"):
        status, messages = build_part(content, base, part)
        assert status == 0, messages
    refused(base, "les parties ne viennent pas de la même construction")
    status, messages = build_part(content, base, "2000-2022")
    assert status == 0, messages
    status, messages = merge(base)
    assert status == 0, messages
    assert (base / "output" / "2025" / "06" / "un-communique-de-plus" / "index.html").is_file()


def test_the_parts_folder_is_named_by_the_part():
    assert parts.parse("2012-2015").name == "annees-2012-2015"
    assert parts.parse("2015").name == "annees-2015-2015"
    assert parts.parse("communes").common


def test_production_parts_are_published_as_one_site_and_others_are_not(tmp_path):
    require(shutil.which("rsync"), "rsync (apt-get install rsync)")
    content = copy_content(tmp_path / "content")
    www = tmp_path / "www"
    www.mkdir()
    places = {"path": str(content), "output_path": str(tmp_path / "output"), "cache_path": str(tmp_path / "cache")}
    environ = {"PUBLISH_DEST": f"{www}/", "SITEURL": "https://presse.example.org"}
    status, messages = build_part(content, tmp_path, "communes")  # the preview's settings: not publishable
    assert status == 0, messages
    out = io.StringIO()
    assert host.publish(environ=environ, out=out, init=True, from_parts=True, **places) == 1
    assert "n'a pas été construite pour https://presse.example.org" in out.getvalue()
    assert "Publication annulée : la fusion des parties a échoué, la destination est intacte." in out.getvalue()
    assert list(www.iterdir()) == []
    for part in PARTS:
        reset_signal_receivers()
        out = io.StringIO()
        assert host.build_part(part, environ=environ, out=out, **places) == 0, out.getvalue()
    out = io.StringIO()
    assert host.publish(environ=environ, out=out, init=True, from_parts=True, **places) == 0, out.getvalue()
    assert "Site publié vers" in out.getvalue()
    home = (www / "index.html").read_text(encoding="utf-8")
    assert "https://presse.example.org/" in home and "127.0.0.1" not in home
    assert list(www.glob("20*/*/*/index.html")) and not (www / MANIFEST).exists()
