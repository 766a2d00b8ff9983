"""Files that reach the output, on a real build: only those a published content
names (header or body), only from content/images/ and content/fichiers/, only
of the allowed types; every published photo re-encoded without metadata, body
photos with their responsive variants; a tall infographic scaled to fit WebP.
The refused cases (a file named by an article that may not be published, a
bomb, a truncated or corrupt image) are in the gate's table (test_trust_gate.py)."""

import datetime
import os
import posixpath
import shutil

import hostile_files
import pytest
from conftest import FIXTURE_SITE, build_site, copy_content, lint_and_build, write_article
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

CI = bool(os.environ.get("CI"))

HEADER = "Title: {title}\nDate: {date}\nAuthor: Awa Traoré\nInstitutions: CMSS\nSummary: Résumé.\nSlug: {slug}\n"
LATER = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()

ARTICLES = {
    "2024/corps.md": HEADER.format(title="Photos dans le texte", date="2024-03-04", slug="corps")
    + "Image: images/infographie.png\nImage-Alt: Une longue infographie\n\nTexte.\n\n"
    + "![Les participants]({static}/images/corps-gps.jpg)\n\n"
    + "[La photo en grand](/images/lien-gps.jpg) et [le programme]({static}/fichiers/programme.pdf).\n",
    "2024/cache.md": HEADER.format(title="Article caché", date="2024-03-05", slug="cache")
    + "Status: hidden\n\nTexte.\n\n![Une photo]({static}/images/cache.jpg)\n",
    "2024/embargo.md": HEADER.format(title="Sous embargo", date=LATER, slug="embargo")
    + "Image: images/embargo-une.jpg\nImage-Alt: La une\n\nTexte.\n\n"
    + "![Avant l'heure]({static}/images/embargo.jpg)\n\n[Le communiqué](/fichiers/embargo.pdf)\n",
    "2024/brouillon-casse.md": "Title: Brouillon cassé\nDate: 2024-03-06\nAuthor:\nInstitutions: CMSS\n"
    "Status: draft\nImage: images/brouillon.jpg\nImage-Alt: Pas prête\n"
    "Attachments: fichiers/brouillon.pdf — Projet\n\nTexte.\n",
}
FILES = {
    "images/infographie.png": hostile_files.tall_infographic,
    "images/corps-gps.jpg": hostile_files.photo_with_metadata,
    "images/lien-gps.jpg": hostile_files.photo_with_metadata,
    "images/cache.jpg": hostile_files.photo_with_metadata,
    "fichiers/programme.pdf": hostile_files.pdf,
    "images/embargo-une.jpg": hostile_files.photo_with_metadata,
    "images/embargo.jpg": hostile_files.photo_with_metadata,
    "fichiers/embargo.pdf": hostile_files.pdf,
    "images/brouillon.jpg": hostile_files.photo_with_metadata,
    "fichiers/brouillon.pdf": hostile_files.pdf,
    # Named by no article.
    "images/sans-article.jpg": hostile_files.photo_with_metadata,
    "images/libre.svg": hostile_files.svg,
    "images/page.html": hostile_files.html_page,
    "fichiers/libre.svg": hostile_files.svg,
    "fichiers/page.html": hostile_files.html_page,
    "fichiers/outil.js": hostile_files.script,
    "fichiers/orphelin.pdf": hostile_files.pdf,
}
UNPUBLISHED = {"embargo-une.jpg", "embargo.jpg", "embargo.pdf", "brouillon.jpg", "brouillon.pdf"}
UNNAMED = {"sans-article.jpg", "libre.svg", "page.html", "outil.js", "orphelin.pdf"}


def make_content(destination):
    content = copy_content(destination)
    for relative, text in ARTICLES.items():
        write_article(content, relative, text)
    for relative, maker in FILES.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        maker(content / relative)
    return content


@pytest.fixture(scope="module")
def media_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("media")
    content = make_content(base / "content")
    built = build_site(content, base / "output")
    assert built.status == 0, built.messages
    assert "Traceback" not in built.messages
    return content, built


def published_names(built):
    return {path.name for path in built.output.rglob("*") if path.is_file()}


def test_only_named_files_of_published_contents_reach_the_output(media_site):
    _, built = media_site
    names = published_names(built)
    assert not (UNNAMED | UNPUBLISHED) & names
    assert {"corps-gps.jpg", "lien-gps.jpg", "programme.pdf", "cache.jpg", "infographie.png"} <= names
    static = [p for folder in ("images", "fichiers") for p in (built.output / folder).rglob("*") if p.is_file()]
    assert {p.suffix for p in static} <= {".jpg", ".png", ".webp", ".pdf"}, sorted(p.suffix for p in static)


def test_every_published_image_has_no_metadata(media_site):
    _, built = media_site
    photos = [p for p in (built.output / "images").rglob("*") if p.suffix in (".jpg", ".png", ".webp")]
    assert len(photos) > 20
    for path in photos:
        assert hostile_files.metadata_left(path) == set(), path


def from_page(built, page, url):
    """The output file that ``url``, written on the page at folder ``page``, leads to."""
    return built.output / posixpath.normpath(posixpath.join(page, url))


def test_body_photos_get_the_variants_of_the_lead_photo(media_site):
    _, built = media_site
    picture = built.soup("2024/03/corps").select_one(".body picture")
    source, img = picture.find("source"), picture.find("img")
    assert source["type"] == "image/webp" and img["loading"] == "lazy" and img["alt"] == "Les participants"
    assert (img["width"], img["height"]) == ("900", "600")
    for srcset in (source["srcset"], img["srcset"]):
        entries = [entry.split() for entry in srcset.split(", ")]
        assert [int(width.rstrip("w")) for _, width in entries] == [360, 720, 900]
        for url, width in entries:
            with Image.open(from_page(built, "2024/03/corps", url)) as variant:
                assert variant.width == int(width.rstrip("w"))
    with Image.open(from_page(built, "2024/03/corps", img["src"])) as original:  # at its own address, clean
        assert original.size == (900, 600) and img["src"].endswith("images/corps-gps.jpg")


def test_body_photos_have_absolute_addresses_in_production(media_site, tmp_path):
    site = "https://presse.example.org"
    built = build_site(media_site[0], tmp_path / "output", relative_urls=False, siteurl=site, feed_domain=site)
    assert built.status == 0, built.messages
    picture = built.soup("2024/03/corps").select_one(".body picture")
    urls = [entry.split()[0] for tag in picture.find_all(srcset=True) for entry in tag["srcset"].split(", ")]
    assert urls and all(url.startswith(f"{site}/images/photos/") for url in urls)
    for url in urls + [picture.img["src"]]:
        assert (built.output / url.removeprefix(f"{site}/")).is_file(), url


def test_a_tall_infographic_is_scaled_to_fit_webp(media_site):
    _, built = media_site
    figure = built.soup("2024/03/corps").select_one("figure.lead-photo")
    webp = [entry.split()[0] for entry in figure.find("source")["srcset"].split(", ")]
    for url in webp:
        with Image.open(built.output / url.split("../")[-1]) as variant:
            assert variant.format == "WEBP" and max(variant.size) <= 16383
    largest = figure.find("img")["srcset"].split(", ")[-1].split()[0]
    with Image.open(built.output / largest.split("../")[-1]) as jpeg:
        assert jpeg.size == (1080, 18000)


def test_an_embargoed_articles_files_are_published_with_it(media_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(media_site[0], content)
    article = content / "articles" / "2024" / "embargo.md"
    article.write_text(article.read_text(encoding="utf-8").replace(LATER, "2024-03-07"), encoding="utf-8")
    built = build_site(content, tmp_path / "output")
    assert built.status == 0, built.messages
    names = published_names(built)
    assert {"embargo-une.jpg", "embargo.jpg", "embargo.pdf"} <= names
    assert not {"brouillon.jpg", "brouillon.pdf"} & names
    assert hostile_files.metadata_left(built.output / "images" / "embargo.jpg") == set()


# --- Random trees of files and links (Hypothesis) --------------------------------------

KINDS = {  # extension -> maker
    "jpg": hostile_files.photo_with_metadata,
    "svg": hostile_files.svg,
    "html": hostile_files.html_page,
    "pdf": hostile_files.pdf,
    "js": hostile_files.script,
    "md": hostile_files.draft_source,
}
TREE_FILES = st.lists(
    st.tuples(st.sampled_from(["images", "fichiers", "autre"]), st.sampled_from(sorted(KINDS))),
    min_size=1,
    max_size=6,
    unique=True,
)
STATUSES = {"publié": "", "caché": "Status: hidden\n", "brouillon": "Status: draft\n", "embargo": None}
HOW = st.sampled_from(["entête", "static", "racine"])


def tree_article(number, status, references):
    """An article of ``status`` naming each (path, how) of ``references``."""
    date = LATER if status == "embargo" else f"2024-02-{number + 1:02d}"
    header = HEADER.format(title=f"Article {number}", date=date, slug=f"arbre-{number}")
    header += STATUSES[status] or ""
    body, attachments = [], []
    for path, how in references:
        if how == "entête" and path.startswith("images/") and path.endswith(".jpg") and "Image:" not in header:
            header += f"Image: {path}\nImage-Alt: Une photo\n"
        elif how == "entête" and path.startswith("fichiers/"):
            attachments.append(f"{path} — Document")
        else:
            body.append(f"[lien]({{static}}/{path})" if how != "racine" else f"[lien](/{path})")
    if attachments:
        header += "Attachments: " + "\n    ".join(attachments) + "\n"
    return header + "\nTexte.\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture(scope="module")
def tree_base(tmp_path_factory):
    content = tmp_path_factory.mktemp("arbre") / "content"
    content.mkdir()
    shutil.copy(FIXTURE_SITE / "institutions.yml", content / "institutions.yml")
    return content


@settings(max_examples=8, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=TREE_FILES, data=st.data())
def test_random_trees_publish_only_named_allowed_files(tree_base, tmp_path_factory, files, data):
    content = tmp_path_factory.mktemp("arbre") / "content"
    shutil.copytree(tree_base, content)
    paths = [f"{folder}/fichier-{number}.{kind}" for number, (folder, kind) in enumerate(files)]
    for path, (_, kind) in zip(paths, files, strict=True):
        KINDS[kind](content / path)
    named_by_published = set()
    for number in range(data.draw(st.integers(1, 3))):
        status = data.draw(st.sampled_from(sorted(STATUSES)))
        references = data.draw(st.lists(st.tuples(st.sampled_from(paths), HOW), max_size=3))
        write_article(content, f"2024/arbre-{number}.md", tree_article(number, status, references))
        if status in ("publié", "caché"):
            named_by_published |= {path for path, _ in references}
    lint_status, _, built = lint_and_build(content)
    output = built.output
    event(f"construction : code {built.status}")
    if built.status != 0:
        assert lint_status != 0, built.messages
        return
    site_image = output / "images" / "partage-site.jpg"
    for path in output.rglob("*"):
        relative = path.relative_to(output).as_posix()
        if not path.is_file() or path == site_image or relative.startswith("images/photos/"):
            continue
        if relative.split("/")[0] in ("images", "fichiers", "autre"):
            assert relative in named_by_published and path.suffix in (".jpg", ".pdf"), relative
            if path.suffix == ".jpg":
                assert hostile_files.metadata_left(path) == set(), relative
