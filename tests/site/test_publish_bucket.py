"""Publishing to S3-compatible object storage (PUBLISH_BUCKET), against `rclone serve s3` on
127.0.0.1 serving a temporary folder with a key pair made up here: every manifest file becomes an
object with its Content-Type and Cache-Control, a change uploads only the changed objects, the
deletion guard holds, an upload killed half-way leaves a site whose every link resolves, and a
wrong configuration is refused in French with nothing sent."""

import io
import os
import pathlib
import re
import signal
import threading
import time
import urllib.parse

import pytest
from bs4 import BeautifulSoup
from conftest import copy_content, write_article
from s3_store import s3_store
from showcase import photo_bytes
from test_gate import ARTICLE

from pressroom.publish import bucket, changes, host

SITEURL = "https://presse.example.org"


@pytest.fixture
def store(tmp_path):
    with s3_store(tmp_path / "stockage") as running:
        running.environ["SITEURL"] = SITEURL
        yield running


@pytest.fixture
def tree(tmp_path):
    """The fixture content plus a release with a photo (WebP variants), and its build overrides."""
    content = copy_content(tmp_path / "content")
    add_release(content, "photo", "Remise de cartes d'assurés", "2024-10-20")
    folders = {"output_path": str(tmp_path / "output"), "cache_path": str(tmp_path / "cache")}
    return content, {"path": str(content), **folders}


def add_release(content, name, title, date, seed=1):
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / f"{name}.jpg").write_bytes(photo_bytes(size=(800, 500), seed=seed, gps=False))
    extra = f"Image: images/{name}.jpg\nImage-Alt: Une photo de la cérémonie\n"
    write_article(content, f"2024/{name}.md", ARTICLE.format(title=title, date=date, extra=extra))


def publish(store, overrides, environ=None, **options):
    messages = io.StringIO()
    status = host.publish(environ=store.environ if environ is None else environ, out=messages, **options, **overrides)
    return status, messages.getvalue()


def sent_files(monkeypatch):
    """The manifest's files as the publication read them, filled at each publication."""
    files = {}
    check = host.check_staging

    def recording(output, manifest):
        files.clear()
        files.update(check(output, manifest))
        return files

    monkeypatch.setattr(host, "check_staging", recording)
    return files


def counts(messages):
    found = re.search(r"Site publié vers .* : (\d+) nouveaux, (\d+) modifiés, (\d+) supprimés", messages)
    assert found, messages
    return tuple(int(number) for number in found.groups())


def test_first_publication_sends_every_manifest_file_with_its_type_and_cache(store, tree, monkeypatch):
    _, overrides = tree
    status, messages = publish(store, overrides)
    assert status == 2
    assert "Publication refusée : la destination « seau:communiques/site » n'a jamais reçu ce site" in messages
    assert "--init" in messages and store.keys() == set()

    files = sent_files(monkeypatch)
    status, messages = publish(store, overrides, init=True)
    assert status == 0, messages
    sent = bucket.uploaded(files)
    assert any(path.endswith(".gz") for path in files) and len(sent) < len(files)
    assert counts(messages) == (len(sent), 0, 0)
    assert store.keys() == set(sent)  # the manifest, nothing else: no marker, no manifest, no .gz
    assert [key for key in store.keys() if key.endswith(".gz") or "/." in f"/{key}"] == []

    metadata = store.metadata()
    assert set(metadata) == set(sent)
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        "calendrier/tout.ics": ("text/calendar; charset=utf-8", "public, max-age=300"),
        "feeds/tout.atom.xml": ("application/atom+xml; charset=utf-8", "public, max-age=300"),
        "feeds/tout.rss.xml": ("application/rss+xml; charset=utf-8", "public, max-age=300"),
        "sitemap.xml": ("application/xml; charset=utf-8", "public, max-age=300"),
        "theme/css/site.css": ("text/css; charset=utf-8", "public, max-age=3600"),
        "pagefind/2024/pagefind.js": ("application/javascript; charset=utf-8", "public, max-age=3600"),
        "pagefind/2024/pagefind-entry.json": ("application/json; charset=utf-8", "public, max-age=300"),
        "pagefind/2024/wasm.fr.pagefind": ("application/octet-stream", "public, max-age=3600"),
        "sw.js": ("application/javascript; charset=utf-8", "no-cache"),
    }
    for key, (kind, cache) in expected.items():
        assert (metadata[key]["content-type"], metadata[key]["cache-control"]) == (kind, cache), key
    year = "public, max-age=31536000, immutable"
    chunks = [key for key in metadata if re.search(r"\.pf_(meta|index|fragment|filter)$", key)]
    assert {key.rsplit(".", 1)[1] for key in chunks} == {"pf_meta", "pf_index", "pf_fragment", "pf_filter"}
    webp = [key for key in metadata if key.endswith(".webp")]
    assert webp
    for key in chunks:
        assert (metadata[key]["content-type"], metadata[key]["cache-control"]) == ("application/octet-stream", year)
    for key in webp:
        assert (metadata[key]["content-type"], metadata[key]["cache-control"]) == ("image/webp", year)


def test_a_change_uploads_only_the_changed_objects(store, tree, monkeypatch):
    content, overrides = tree
    assert publish(store, overrides, init=True)[0] == 0
    before = store.stamps()
    status, messages = publish(store, overrides)
    assert status == 0, messages
    new, changed, _ = counts(messages)
    rewritten = {key for key, stamp in store.stamps().items() if before.get(key) != stamp}
    assert len(rewritten) == new + changed  # what the publication counted is what the store received

    article = content / "articles" / "2024" / "photo.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    before = store.stamps()
    status, messages = publish(store, overrides)
    assert status == 0, messages
    new, changed, deleted = counts(messages)
    rewritten = {key for key, stamp in store.stamps().items() if before.get(key) != stamp}
    assert len(rewritten) == new + changed
    assert any(key.startswith("2024/10/remise-de-cartes") and key.endswith("/index.html") for key in rewritten)
    assert "theme/css/site.css" not in rewritten and not any(key.endswith(".webp") for key in rewritten)
    assert len(rewritten) < len(before) / 2


def test_deleting_more_than_a_tenth_of_the_bucket_is_refused_unless_forced(store, tree, tmp_path):
    _, overrides = tree
    assert publish(store, overrides, init=True)[0] == 0
    stale = tmp_path / "ancien"
    stale.mkdir()
    for number in range(max(len(store.keys()) // 5, changes.MIN_DELETIONS_GUARDED + 1)):  # a fifth, above the floor
        (stale / f"{number}.html").write_text("ancienne page", encoding="utf-8")
    store.rclone("copy", str(stale), "{}/ancien")
    before = store.keys()

    status, messages = publish(store, overrides)
    assert status == 2
    assert "Publication refusée : la publication supprimerait" in messages and "--force" in messages
    assert store.keys() == before

    status, messages = publish(store, overrides, force=True)
    assert status == 0, messages
    assert not any(key.startswith("ancien/") for key in store.keys())


def test_a_dry_run_counts_what_would_be_sent_and_sends_nothing(store, tree):
    _, overrides = tree
    status, messages = publish(store, overrides, init=True, dry_run=True)
    assert status == 0, messages
    assert re.search(r"Essai à blanc, rien n'a été envoyé : [1-9]\d* nouveaux, 0 modifiés, 0 supprimés\.", messages)
    assert store.keys() == set()


def links(html, page):
    """The site's own addresses a page links to, as object keys (``x/`` → ``x/index.html``)."""
    soup = BeautifulSoup(html, "html.parser")
    base = f"{SITEURL}/{page}"
    for tag in soup.find_all(["a", "link", "script", "img", "source"]):
        sources = [part.split()[0] for part in tag.get("srcset", "").split(",") if part.strip()]
        values = [tag.get("href"), tag.get("src"), *sources]
        for value in filter(None, values):
            address = urllib.parse.urljoin(base, value)
            if address.startswith(SITEURL + "/"):
                path = urllib.parse.urlsplit(address).path.lstrip("/")
                yield path + "index.html" if path.endswith("/") or not path else path


def unresolved_links(store, old_site, known):
    """Links to addresses of the site (``known``: old or new) that the store lacks, from the pages a
    reader can reach: those of the previous site, and those they link to, in turn."""
    keys, missing = store.keys(), set()
    reachable = [key for key in old_site if key.endswith(".html") and key in keys]
    seen = set(reachable)
    while reachable:
        page = reachable.pop()
        for target in links((store.folder / page).read_text(encoding="utf-8"), page):
            if target in known and target not in keys:
                missing.add((page, target))
            elif target in keys and target.endswith(".html") and target not in seen:
                seen.add(target)
                reachable.append(target)
    return missing


def rclone_children(server_pid):
    """The rclone processes this test process started, but the server: those of the publication."""
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name, parent = fields[0].split("(", 1)[1], int(fields[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid = int(stat.parent.name)
        if name == "rclone" and parent == os.getpid() and pid != server_pid:
            found.append(pid)
    return found


NEW_PAGE = "2024/11/nouvelle-campagne-dimmatriculation/index.html"
LIST_PAGE = "institutions/cmss/index.html"


@pytest.mark.parametrize("moment", ["new page up", "a list rewritten"])
def test_an_upload_killed_half_way_leaves_every_link_of_the_site_resolving(store, tree, monkeypatch, moment):
    content, overrides = tree
    files = sent_files(monkeypatch)
    assert publish(store, overrides, init=True)[0] == 0
    old_site, old_home = set(bucket.uploaded(files)), (store.folder / "index.html").read_bytes()
    assert unresolved_links(store, old_site, old_site) == set()
    old_list = (store.folder / LIST_PAGE).stat().st_ino

    def reached():
        if moment == "new page up":  # among the new files, sent first: nothing links to them yet
            return (store.folder / NEW_PAGE).exists()
        try:
            return (store.folder / LIST_PAGE).stat().st_ino != old_list  # changed pages: lists before home
        except FileNotFoundError:  # the server replacing the object at this very moment: not up yet
            return False

    add_release(content, "nouvelle", "Nouvelle campagne d'immatriculation", "2024-11-05", seed=3)
    slow = dict(store.environ, RCLONE_TPSLIMIT="8", RCLONE_TRANSFERS="1")
    result = {}
    publication = threading.Thread(target=lambda: result.update(run=publish(store, overrides, environ=slow)))
    publication.start()
    killed = []
    deadline = time.monotonic() + 300
    while publication.is_alive() and not killed and time.monotonic() < deadline:
        if reached():
            for pid in rclone_children(store.server_pid):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        time.sleep(0.02)
    publication.join(timeout=300)
    status, messages = result["run"]
    assert killed, messages
    assert status == 2 and "Publication refusée : rclone a renvoyé le code" in messages, messages
    assert "Traceback" not in messages

    assert old_site <= store.keys()  # nothing of the previous site was deleted
    assert (store.folder / "index.html").read_bytes() == old_home  # the home page is the previous one
    assert unresolved_links(store, old_site, old_site | set(files)) == set()

    status, messages = publish(store, overrides)
    assert status == 0, messages
    assert store.keys() == set(bucket.uploaded(files))
    assert b"nouvelle-campagne-dimmatriculation" in (store.folder / "index.html").read_bytes()
    assert unresolved_links(store, set(files), set(files)) == set()


def configuration(store_environ, **changes):
    environ = dict(store_environ)
    for name, value in changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"PUBLISH_BUCKET": "seau:"}, "PUBLISH_BUCKET=seau: : attendu distant:seau[/préfixe]"),
        ({"PUBLISH_BUCKET": "s3://communiques/site"}, "PUBLISH_BUCKET=s3://communiques/site : attendu"),
        ({"PUBLISH_BUCKET": "seau:Communiques"}, "PUBLISH_BUCKET=seau:Communiques : attendu"),
        ({"PUBLISH_BUCKET": "seau:communiques/../x"}, "PUBLISH_BUCKET=seau:communiques/../x : préfixe invalide"),
        ({"PUBLISH_BUCKET": "seau:communiques/.cache"}, "préfixe invalide"),
        ({"PUBLISH_BUCKET": "seau:communiques//x"}, "préfixe invalide"),
        ({"RCLONE_CONFIG_SEAU_TYPE": None}, "RCLONE_CONFIG_SEAU_TYPE= : le distant « seau » doit être défini"),
        ({"RCLONE_CONFIG_SEAU_TYPE": "local"}, "RCLONE_CONFIG_SEAU_TYPE=local : le distant « seau »"),
        ({"RCLONE_CONFIG_SEAU_ENDPOINT": "http://stockage.example.org"}, "RCLONE_CONFIG_SEAU_ENDPOINT=http://"),
        ({"RCLONE_CONFIG_SEAU_ENDPOINT": "ftp://127.0.0.1"}, "en https://"),
        ({"RCLONE_CONFIG_SEAU_SECRET_ACCESS_KEY": " "}, "RCLONE_CONFIG_SEAU_SECRET_ACCESS_KEY absente"),
        ({"PUBLISH_DEST": "editeur@serveur:/var/www/site/"}, "PUBLISH_DEST et PUBLISH_BUCKET sont toutes deux"),
        ({"PUBLISH_BUCKET": "seau:absent/site"}, "le seau « absent » n'existe pas"),
        ({"RCLONE_CONFIG_SEAU_SECRET_ACCESS_KEY": "faux"}, "PUBLISH_BUCKET=seau:communiques/site injoignable"),
    ],
)
def test_a_wrong_configuration_is_refused_in_french_and_sends_nothing(store, tree, changes, expected):
    _, overrides = tree
    status, messages = publish(store, overrides, environ=configuration(store.environ, **changes), init=True)
    assert status == 2
    lines = messages.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Publication refusée : ") and expected in lines[0], messages
    assert store.keys() == set() and not (store.folder.parent.parent / "absent").exists()


def test_rclone_never_follows_nor_copies_links_and_never_creates_a_bucket():
    destination = bucket.Bucket("seau", "communiques", "site")
    command = bucket.copy_command("site", destination, "liste.txt", [("Content-Type", "text/html")])
    assert {"--skip-links", "--s3-no-check-bucket", "--checksum", "--files-from-raw"} <= set(command)
    assert not {"-L", "--copy-links", "-l", "--links", "--metadata", "-M"} & set(command)
