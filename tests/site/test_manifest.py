"""What reaches output/: each build lists every file it wrote and what wrote it
(``.manifeste.json``, plugins/manifest); a file that no writer declared, or one
written twice, fails the build in French and leaves the previous site whole;
`invoke publish` sends exactly the files of the manifest, never a link."""

import json
import os
import shutil

import pytest
from conftest import FIXTURE_SITE, build_site, run_lint, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.build import output as output_module
from pressroom.publish import host as publish
from pressroom.settings import DEFAULTS

MANIFEST = DEFAULTS["OUTPUT_MANIFEST"]


def manifest_of(output):
    return json.loads((output / MANIFEST).read_text(encoding="utf-8"))["fichiers"]


def output_files(output):
    return {
        path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file() or path.is_symlink()
    } - {MANIFEST}


def test_the_manifest_lists_every_file_and_what_wrote_it(built_site):
    manifest = manifest_of(built_site.output)
    assert set(manifest) == output_files(built_site.output)
    article = "2024/10/cmss-untm-formation-relations-professionnelles/index.html"
    assert manifest[article] == "articles/2024/cmss-untm-formation-relations-professionnelles.md"
    assert manifest[article + ".gz"] == f"copie compressée de {article}"
    assert manifest["index.html"] == "page générée par le site"
    assert manifest["feeds/tout.atom.xml"] == "flux généré par le site"
    assert manifest["sitemap.xml"] == manifest["images/partage-site.jpg"] == "fichier généré par le site"
    assert manifest["theme/css/site.css"] == "thème du site"
    assert any(path.startswith("pagefind/") for path in manifest)


def undeclared_search_index(monkeypatch):
    """As if Pagefind's bundle were written by a careless plugin, that announces nothing."""
    monkeypatch.setattr(output_module, "declare_folder", lambda folder: None)
    return {}


def sitemap_over_home(monkeypatch):
    """As if a generator wrote, through the declared path, over the home page."""
    return {"seo_sitemap_save_as": "index.html"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (undeclared_search_index, "site/pagefind/2024/pagefind.js: fichier: fichier écrit sans qu'aucune source"),
        (sitemap_over_home, "fichier: écrirait site/index.html, déjà écrit par "),
    ],
)
def test_an_undeclared_or_overwritten_file_fails_the_build(tmp_path, monkeypatch, change, expected):
    output = tmp_path / "output"
    first = build_site(FIXTURE_SITE, output)
    assert first.status == 0, first.messages
    digest = tree_digest(output)
    built = build_site(FIXTURE_SITE, output, **change(monkeypatch))
    assert built.status != 0
    assert expected in built.messages, built.messages
    assert "Traceback" not in built.messages
    assert tree_digest(output) == digest


# --- invoke publish sends exactly the manifest --------------------------------------------------


def staging(tmp_path, files):
    folder = tmp_path / "site"
    folder.mkdir()
    for name in files:
        (folder / name).write_text("x", encoding="utf-8")
    (folder / MANIFEST).write_text(json.dumps({"fichiers": {"index.html": "page générée par le site"}}))
    return folder


def test_publication_sends_the_staging_folder_only_when_it_holds_exactly_the_manifest(tmp_path):
    publish.check_staging(staging(tmp_path, ["index.html", publish.MARKER]), MANIFEST)


def test_an_undeclared_file_in_the_staging_folder_refuses_the_publication(tmp_path):
    with pytest.raises(publish.PublishError, match="1 fichier\\(s\\) absent\\(s\\) du manifeste : cle.pem"):
        publish.check_staging(staging(tmp_path, ["index.html", "cle.pem"]), MANIFEST)


def test_a_link_in_the_staging_folder_refuses_the_publication(tmp_path):
    folder = staging(tmp_path, ["index.html"])
    (folder / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(publish.PublishError, match="lien\\(s\\) symbolique\\(s\\) : passwd"):
        publish.check_staging(folder, MANIFEST)


def test_rsync_never_copies_nor_follows_links_and_keeps_the_manifest_here():
    command = publish.rsync_command("site", "serveur:/var/www/", manifest=MANIFEST)
    assert "--no-links" in command and f"--exclude=/{MANIFEST}" in command
    assert not {"--archive", "-a", "-L", "--copy-links", "--copy-unsafe-links", "--links", "-l"} & set(command)


# --- Property: random trees of files and links never put an unnamed file in output/ --------------

NAMES = st.sampled_from(["a.pdf", "b.txt", "index.html", "partage-site.jpg", "photos", "400.jpg", "x", "sous"])
# Files where static files live (the sources' own readers are another wall's); links anywhere.
FILE_FOLDERS = st.sampled_from(["images", "fichiers", "", "images/photos", "fichiers/sous"])
LINK_FOLDERS = st.sampled_from(["images", "fichiers", "articles/2024", "pages", "", "images/photos"])
LINKS = st.sampled_from(["link-to-file", "link-to-folder", "link-to-secret"])
PLANTS = st.one_of(st.tuples(FILE_FOLDERS, NAMES, st.just("file")), st.tuples(LINK_FOLDERS, NAMES, LINKS))
TREES = st.lists(PLANTS, min_size=1, max_size=4)


def plant(content, secret, folder, name, kind):
    place = content / folder / name
    if os.path.lexists(place) or any(p.exists() and not p.is_dir() for p in place.parents):
        return  # the place, or a folder on its way, is already a file or a link
    place.parent.mkdir(parents=True, exist_ok=True)
    if kind == "file":
        place.write_bytes(b"%PDF-1.4 contenu\n")
    elif kind == "link-to-file":
        place.symlink_to(content / "institutions.yml")
    elif kind == "link-to-folder":
        place.symlink_to(content / "articles")
    else:
        place.symlink_to(secret)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=TREES)
def test_random_trees_of_files_and_links_never_put_an_unnamed_file_in_output(tmp_path_factory, tree):
    base = tmp_path_factory.mktemp("arbre")
    content = base / "content"
    shutil.copytree(FIXTURE_SITE, content)
    secret = base / "secret.txt"
    secret.write_text("SECRET-DE-DEPLOIEMENT", encoding="utf-8")
    for folder, name, kind in tree:
        plant(content, secret, folder, name, kind)
    built = build_site(content, base / "output")
    status, messages = run_lint(content)
    assert "Traceback" not in built.messages + messages
    assert (built.status == 0) == (status == 0), built.messages + messages  # lint and build agree
    if built.status:
        assert not (base / "output").exists()
        return
    output = base / "output"
    manifest = manifest_of(output)
    assert set(manifest) == output_files(output)
    for relative in manifest:
        path = output / relative
        assert not path.is_symlink(), relative
        assert b"SECRET-DE-DEPLOIEMENT" not in path.read_bytes(), relative
