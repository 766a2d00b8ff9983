"""Publishing: built for production in a private folder, and refused in French when
it could hurt the live site (no SITEURL, the repository as destination, an unmarked
destination, mass deletions); a publication during a preview build ships nothing of it."""

import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, copy_content
from test_gate import EMBARGO_TITLE, write_unpublished
from tools import require

from pressroom.publish import changes
from pressroom.publish import host as publish
from pressroom.settings import DEFAULTS
from pressroom.tools import bench

SITEURL = "https://presse.example.org"


@pytest.fixture
def tree(tmp_path):
    """A working tree (content with a draft and an embargoed article) and an empty web folder."""
    require(shutil.which("rsync"), "rsync (apt-get install rsync)")
    content = copy_content(tmp_path / "content")
    write_unpublished(content)
    www = tmp_path / "www"
    www.mkdir()
    overrides = {"path": str(content), "output_path": str(tmp_path / "output"), "cache_path": str(tmp_path / "cache")}
    return tmp_path, www, overrides


def run(www, overrides, environ=None, **options):
    messages = io.StringIO()
    environ = {"PUBLISH_DEST": f"{www}/", "SITEURL": SITEURL} if environ is None else environ
    status = publish.publish(environ=environ, out=messages, **options, **overrides)
    return status, messages.getvalue()


def files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_first_publication_needs_init_then_marks_the_destination(tree):
    _, www, overrides = tree
    status, messages = run(www, overrides)
    assert status == 2
    assert "Publication refusée : la destination" in messages and "relancez avec --init" in messages
    assert files(www) == []

    status, messages = run(www, overrides, init=True)
    assert status == 0, messages
    assert (www / publish.MARKER).exists()
    assert (www / "index.html").exists()
    new = int(re.search(r"Site publié vers .* : (\d+) nouveaux, 0 modifiés, 0 supprimés", messages).group(1))
    assert new == len(files(www)) - 1  # all but the marker

    status, messages = run(www, overrides)  # marked: no --init needed any more
    assert status == 0, messages
    assert re.search(
        r"recherche : 0 tranche indexée, [1-9]\d* reprises du cache", messages
    )  # kept from the first publication
    assert re.search(r"\d+ nouveaux, \d+ modifiés, \d+ supprimés", messages)  # Pagefind renames a few files


def test_no_siteurl_or_a_local_one_is_refused(tree):
    _, www, overrides = tree
    for environ, expected in (
        ({"PUBLISH_DEST": str(www)}, "variable d'environnement SITEURL absente"),
        ({"PUBLISH_DEST": str(www), "SITEURL": "http://127.0.0.1:8000"}, "n'est pas une adresse publique"),
    ):
        status, messages = run(www, overrides, environ=environ, init=True)
        assert status == 2
        assert expected in messages
    assert files(www) == []


@pytest.mark.parametrize("place", [".", "/", "repository", "parent", "content", "tree", "remote home"])
def test_destinations_that_would_erase_the_repository_are_refused(tree, monkeypatch, place):
    tmp_path, _, overrides = tree
    monkeypatch.chdir(ROOT)
    dest = {
        ".": ".",
        "/": "/",
        "repository": str(ROOT),
        "parent": str(ROOT.parent),
        "content": overrides["path"],
        "tree": str(tmp_path),
        "remote home": "editeur@serveur:",
    }[place]
    before = files(ROOT / "content")
    status, messages = run(None, overrides, environ={"PUBLISH_DEST": dest, "SITEURL": SITEURL}, init=True, force=True)
    assert status == 2
    assert f"Publication refusée : destination « {dest} »" in messages
    assert files(ROOT / "content") == before


def test_deleting_more_than_a_tenth_of_the_destination_is_refused_unless_forced(tree):
    _, www, overrides = tree
    assert run(www, overrides, init=True)[0] == 0
    stale = www / "ancien"
    stale.mkdir()
    for number in range(len(files(www)) // 5):
        (stale / f"{number}.html").write_text("ancienne page", encoding="utf-8")
    before = files(www)

    status, messages = run(www, overrides)
    assert status == 2
    assert "la publication supprimerait" in messages and "--force" in messages
    assert files(www) == before

    status, messages = run(www, overrides, force=True)
    assert status == 0, messages
    assert not stale.exists()


def test_one_withdrawal_on_a_small_site_is_published_without_force(tree):
    _, www, overrides = tree
    articles = sorted((pathlib.Path(overrides["path"]) / "articles").rglob("*.md"))
    withdrawn = next(path for path in articles if "Event:" in path.read_text(encoding="utf-8"))
    kept = next(path for path in articles if path != withdrawn and "Status:" not in path.read_text(encoding="utf-8"))
    for other in set(articles) - {withdrawn, kept}:  # a site of two articles (and the draft, the embargo)
        other.unlink()
    assert run(www, overrides, init=True)[0] == 0
    text = withdrawn.read_text(encoding="utf-8").replace("\nTags:", "\nWithdrawn: 2024-05-02 — reporté\nTags:", 1)
    withdrawn.write_text(text, encoding="utf-8")

    status, messages = run(www, overrides)
    assert status == 0, messages
    deleted, kept = re.search(r"(\d+) supprimés", messages).group(1), len(files(www))
    assert int(deleted) > changes.MAX_DELETED_SHARE * (kept + int(deleted))  # a tenth of this site, and more


KILLED_RSYNC = """#!/bin/sh
# The first sending (not --dry-run, nor --list-only) is killed as soon as its first file waits there.
case " $* " in *" --dry-run "*|*" --list-only "*) exec REAL "$@";; esac
[ -e "$KILL_FLAG" ] || exec REAL "$@"
rm "$KILL_FLAG"
for last; do :; done
REAL --bwlimit=20 "$@" & pid=$!
for _ in $(seq 400); do
    find "$last" -path '*.~tmp~/*' -type f | grep -q . && break
    sleep 0.05
done
kill -9 "$pid"
wait "$pid"
"""


def folders(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir())


def test_a_killed_rsync_leaves_no_new_folder_online(tree, monkeypatch):
    tmp_path, www, overrides = tree
    assert run(www, overrides, init=True)[0] == 0
    articles = pathlib.Path(overrides["path"]) / "articles"
    source = next(t for p in sorted(articles.rglob("*.md")) if "Status:" not in (t := p.read_text(encoding="utf-8")))
    source = re.sub(r"^(Slug|Number|Preview-Token):.*\n", "", source, flags=re.M)
    (articles / "2024" / "nouveau.md").write_text(f"Slug: nouvel-article-envoye\n{source}", encoding="utf-8")
    wrapper = tmp_path / "bin" / "rsync"
    wrapper.parent.mkdir()
    wrapper.write_text(KILLED_RSYNC.replace("REAL", shutil.which("rsync")), encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    monkeypatch.setenv("KILL_FLAG", str(tmp_path / "tuer"))
    (tmp_path / "tuer").touch()
    before_files, before_folders = files(www), folders(www)

    status, messages = run(www, overrides)
    assert status == 2, messages
    assert "rsync a renvoyé le code" in messages and "dossiers vides" not in messages
    assert not (tmp_path / "tuer").exists()  # the run was killed indeed
    assert folders(www) == before_folders  # no empty folder answering 403, no « .~tmp~ » left
    assert files(www) == before_files

    status, messages = run(www, overrides)
    assert status == 0, messages
    assert list(www.rglob("nouvel-article-envoye/index.html"))


@pytest.mark.parametrize(
    ("existing", "deleted", "refused"),
    [(200, 26, False), (200, 150, True), (10_000, 900, False), (10_000, 1_500, True), (40, 40, False)],
)
def test_the_deletion_guard_counts_a_share_above_a_floor(existing, deleted, refused):
    planned = changes.Changes(deleted=deleted, kept=existing - deleted)
    if refused:
        with pytest.raises(changes.PublishError, match="supprimerait"):
            changes.check_deletions(planned, force=False)
    else:
        changes.check_deletions(planned, force=False)
    changes.check_deletions(planned, force=True)


def test_dry_run_prints_a_french_summary_and_sends_nothing(tree):
    _, www, overrides = tree
    status, messages = run(www, overrides, init=True, dry_run=True)
    assert status == 0, messages
    assert re.search(r"Essai à blanc, rien n'a été envoyé : [1-9]\d* nouveaux, 0 modifiés, 0 supprimés\.", messages)
    assert files(www) == []


def test_count_changes_reads_rsync_itemized_lines():
    itemized = "\n".join(
        [
            ">f+++++++++ neuf.html",
            "cd+++++++++ dossier/",
            ">fcs....... change.html",
            ".f..t...... meme-contenu.html",
            ".f          intact.html",
            "*deleting   vieux.html",
            "*deleting   vieux-dossier/",
        ]
    )
    changes = publish.count_changes(itemized)
    assert changes.summary() == "1 nouveaux, 1 modifiés, 1 supprimés"
    assert changes.existing == 4


def test_publication_during_a_preview_build_ships_no_embargoed_page_and_no_local_address(tree, monkeypatch):
    tmp_path, www, overrides = tree
    code = (
        "import sys; from pressroom.build import site; "
        f"sys.exit(site.build(command='invoke build --preview', preview=True, **{overrides!r}))"
    )
    preview = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not list(tmp_path.glob("output.new-*")) and preview.poll() is None:
        pass  # the preview build holds the tree from here on
    monkeypatch.setenv("PRESSROOM_ATTENTE", "300")
    status, messages = run(www, overrides, init=True)
    assert preview.wait() == 0
    assert status == 0, messages
    assert (tmp_path / "output" / "index.html").exists()
    assert EMBARGO_TITLE in (tmp_path / "output" / "index.html").read_text(encoding="utf-8")  # the preview ran
    for relative in files(www):
        data = (www / relative).read_bytes()
        if relative.endswith(".gz"):
            continue
        assert EMBARGO_TITLE.encode() not in data, relative
        assert b"Quetzal" not in data, relative
        assert b"127.0.0.1" not in data, relative
    assert not any("quetzal" in relative for relative in files(www))


def test_publication_sends_exactly_the_files_of_the_manifest_and_not_the_manifest(tree, monkeypatch):
    _, www, overrides = tree
    sent = {}

    def check_staging(output, manifest):
        with open(os.path.join(output, manifest), encoding="utf-8") as listing:
            sent.update(json.load(listing)["fichiers"])
        check(output, manifest)

    check = publish.check_staging
    monkeypatch.setattr(publish, "check_staging", check_staging)
    status, messages = run(www, overrides, init=True)
    assert status == 0, messages
    assert sent and files(www) == sorted([*sent, publish.MARKER])
    assert not (www / DEFAULTS["OUTPUT_MANIFEST"]).exists()


def test_publication_records_the_published_addresses(tree):
    _, www, overrides = tree
    listing = os.path.join(overrides["path"], "adresses-publiees.txt")
    status, messages = run(www, overrides, init=True)
    assert status == 0, messages
    assert "adresse(s) ajoutée(s)" in messages
    with open(listing, encoding="utf-8") as text:
        recorded = text.read()
    assert "2024/10/cmss-untm-formation-relations-professionnelles/\tarticles/2024/" in recorded
    assert "quetzal" not in recorded and "zorglub" not in recorded


def test_a_page_republished_unchanged_keeps_its_date_online_and_a_changed_one_does_not(tree):
    """nginx makes a file's ETag and Last-Modified from its date: a file that a publication sends
    unchanged keeps them, and a reader's browser that asks again receives « 304 Not Modified »."""
    _, www, overrides = tree
    assert run(www, overrides, init=True)[0] == 0
    long_ago, before = 1_600_000_000, {}
    for path in www.rglob("*"):
        if path.is_file():
            os.utime(path, (long_ago, long_ago))
            before[str(path.relative_to(www))] = path.read_bytes()
    articles = sorted((pathlib.Path(overrides["path"]) / "articles").rglob("*.md"))
    model = next(path for path in articles if "Status:" not in path.read_text(encoding="utf-8"))
    release, text, marker = bench.new_article(overrides["path"], 3, model)
    release.write_text(text, encoding="utf-8")

    status, messages = run(www, overrides)
    assert status == 0, messages
    assert marker in (www / "index.html").read_text(encoding="utf-8")
    both = [name for name in before if (www / name).is_file()]
    redated = {name for name in both if (www / name).stat().st_mtime != long_ago}
    rewritten = {name for name in both if (www / name).read_bytes() != before[name]}
    assert "index.html" in rewritten and len(both) > 2 * len(rewritten)
    assert redated == rewritten
