"""The lite edition on real builds (plugins/lite): every lite page of the default site, of the
showcase (photo, attachments, withdrawal, events) and of a synthetic archive fits in 14,600 bytes
as served (its .gz copy), carries no script, no stylesheet link and no font, links to its full
version and back; a release too long is split between blocks, no word lost; the full pages say
their weight and what the lite version saves, from the files written."""

import gzip
import random
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_SITE, build_site, write_article
from showcase import PHOTO_URL, build_showcase, photo_bytes

from pressroom.content.text import file_size
from pressroom.settings import DEFAULTS
from pressroom.tools import bench

BUDGET = DEFAULTS["LITE_BUDGET_BYTES"]
LITE = DEFAULTS["LITE_URL"]
WEIGHT = re.compile(r"^Version légère\u202f: (\d+)\xa0Ko au lieu de (\d+)\xa0Ko$")


def lite_pages(built):
    pages = sorted((built.output / LITE).rglob("*.html"))
    assert pages, "aucune page légère"
    return pages


def served(path):
    """The bytes the server sends for ``path``: its .gz copy, which must be the page itself."""
    copy = path.with_name(path.name + ".gz")
    assert copy.exists(), f"{path} : pas de copie .gz"
    assert gzip.decompress(copy.read_bytes()) == path.read_bytes(), f"{path} : copie .gz périmée"
    return copy.stat().st_size


def soup_of(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def target(page, href):
    """The output file a relative link of ``page`` leads to."""
    path = (page.parent / href.split("#")[0]).resolve()
    return path / "index.html" if path.is_dir() else path


def check_lite_page(built, page):
    size = served(page)
    assert size <= BUDGET, f"{page.relative_to(built.output)} : {size} octets compressés (budget {BUDGET})"
    soup = soup_of(page)
    assert not soup.find("script"), page
    assert not soup.find("link", rel="stylesheet"), page
    assert not soup.find(attrs={"style": True}), page
    styles = " ".join(style.get_text() for style in soup.find_all("style"))
    assert "@font-face" not in styles and "@import" not in styles and "url(" not in styles, page
    assert not soup.find(["img", "picture", "iframe", "video", "audio", "object", "embed"]), page
    full = target(page, soup.find("link", rel="canonical")["href"])
    assert full.exists() and LITE.strip("/") not in full.relative_to(built.output).parts[:1], page
    assert any(target(page, a["href"]) == full for a in soup.select("footer a")), page
    for link in soup.find_all("a", href=True):
        if not re.match(r"^([a-z]+:|#)", link["href"]):
            assert target(page, link["href"]).exists(), f"{page} : lien mort {link['href']}"
    return full


def check_edition(built):
    """Every lite page within the rules; every full page it names links back to it."""
    for page in lite_pages(built):
        full = check_lite_page(built, page)
        if "suite-" in str(page):
            continue
        back = soup_of(full).select_one(".page-weight a")
        assert back is not None and target(full, back["href"]) == page, f"{full} : pas de lien vers {page}"


@pytest.fixture(scope="module")
def showcase(tmp_path_factory):
    return build_showcase(tmp_path_factory.mktemp("showcase-lite"))


def test_every_lite_page_of_the_default_site_keeps_the_rules(built_site):
    check_edition(built_site)
    articles = [
        p
        for p in built_site.html_files()
        if re.match(r"\d{4}/\d\d/[^/]+/index\.html$", p.relative_to(built_site.output).as_posix())
    ]
    assert articles
    for article in articles:
        assert (built_site.output / LITE / article.relative_to(built_site.output)).exists(), article
    for name in ("index.html", "agenda/index.html", "contacts-presse/index.html", "institutions/inps/index.html"):
        assert (built_site.output / LITE / name).exists(), name


def test_every_lite_page_of_the_showcase_keeps_the_rules(showcase):
    check_edition(showcase)


def test_the_lite_release_has_the_same_facts_and_the_photo_as_a_link(showcase):
    full = showcase.soup(PHOTO_URL)
    lite = showcase.soup(LITE + PHOTO_URL)
    assert lite.h1.get_text() == full.h1.get_text()
    assert full.select_one(".chapo").get_text() in lite.get_text()
    assert full.select_one(".byline time")["datetime"] in [t["datetime"] for t in lite.find_all("time")]
    photo = lite.find("a", string=re.compile("^Voir la photo"))
    variant = target(showcase.output / LITE / PHOTO_URL / "index.html", photo["href"])
    assert variant.name == "360.webp"
    assert photo.get_text() == f"Voir la photo (WebP, {file_size(variant.stat().st_size)})"
    assert full.select_one("figcaption .caption").get_text() in photo.parent.get_text()
    full_files = [li.get_text(" ", strip=True) for li in full.select(".attachments li")]
    lite_files = [li.get_text(" ", strip=True) for li in lite.select(".attachments li")]
    assert lite_files == full_files and full_files
    for institution in full.select("ul.institutions abbr"):
        assert lite.find("a", string=institution.get_text())


def test_full_pages_say_their_weight_and_what_the_lite_page_saves(showcase):
    page = showcase.output / PHOTO_URL / "index.html"
    link = soup_of(page).select_one(".page-weight a")
    lite_kb, full_kb = map(int, WEIGHT.match(link.get_text()).groups())
    lite = target(page, link["href"])
    assert file_size(served(lite)) == f"{lite_kb}\xa0Ko"
    photo = next((showcase.output / "images" / "photos").rglob("360.webp"))
    css = showcase.output / "theme" / "css" / "site.css.gz"
    assert full_kb * 1024 >= served(page) + photo.stat().st_size + css.stat().st_size - 512
    assert lite_kb < full_kb
    archives = soup_of(showcase.output / "archives" / "index.html").select_one(".page-weight")
    assert re.match(r"^Poids de cette page\u202f: \d+\xa0Ko$", archives.get_text())


def varied_paragraphs(count, seed=29):
    """Paragraphs of words drawn at random: text that gzip cannot shrink much, like a real long release."""
    rng = random.Random(seed)
    words = [w for sentence in bench.SENTENCES for w in sentence.split() if "{" not in w]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(40, 90))) + "." for _ in range(count)]


def test_a_long_release_is_split_between_blocks_and_loses_no_word(content_copy, build):
    paragraphs = varied_paragraphs(400)
    text = "\n\n".join(paragraphs[:150] + ["## Deuxième partie"] + paragraphs[150:] + ["Fin : voir l’INPS."])
    write_article(
        content_copy,
        "2025/long.md",
        "Title: Un très long communiqué\nDate: 2025-02-03\nAuthor: Service communication\n"
        "Institutions: INPS\nCategory: Communiqué de presse\nSummary: Un texte très long.\n\n" + text + "\n",
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    url = "2025/02/un-tres-long-communique/"
    full_blocks = [b.get_text() for b in built.soup(url).select_one("div.body").find_all(recursive=False)]
    page, lite_blocks, parts = built.output / LITE / url / "index.html", [], 0
    while page:
        check_lite_page(built, page)
        soup, parts = soup_of(page), parts + 1
        lite_blocks += [b.get_text() for b in soup.select_one("div.texte").find_all(recursive=False)]
        suite = soup.find("a", string=re.compile("^Lire la suite"))
        page = target(page, suite["href"]) if suite else None
    assert parts >= 3
    assert lite_blocks == full_blocks


def check_archive(tmp_path, count):
    content = tmp_path / "content"
    bench.generate_archive(content, count)
    shutil.copytree(FIXTURE_SITE / "pages", content / "pages")  # the accessibility statement every page links to
    built = build_site(content, tmp_path / "output", events_today="2020-01-01")
    assert built.status == 0, built.messages
    check_edition(built)
    assert len([p for p in lite_pages(built) if p.parent.parent.parent.name.isdigit()]) == count


def test_every_lite_page_of_a_synthetic_archive_keeps_the_rules(tmp_path):
    check_archive(tmp_path, 150)


@pytest.mark.large
def test_every_lite_page_of_a_1000_article_archive_keeps_the_rules(tmp_path):
    check_archive(tmp_path, 1000)


def test_links_of_a_lite_body_stay_in_the_lite_edition(built_site):
    page = built_site.output / LITE / "2024/10/cmss-untm-formation-relations-professionnelles/index.html"
    links = [a["href"] for a in soup_of(page).select("div.texte a[href]")]
    assert links
    for href in links:
        assert target(page, href).is_relative_to(built_site.output / LITE), href


@pytest.mark.parametrize(
    "override, name",
    [({"lite_url": "lite"}, "LITE_URL"), ({"lite_budget_bytes": 0}, "LITE_BUDGET_BYTES")],
)
def test_a_wrong_setting_fails_the_build_in_french(content_copy, build, caplog, override, name):
    """Values of the right type that the lite edition cannot use (a wrong type is refused before,
    with every setting: tests/unit/test_settings.py)."""
    built = build(content_copy, **override)
    assert built.status != 0 and "erreur(s) signalée(s)" in built.messages
    assert f"Version légère : {name} : «" in caplog.text
    assert "Traceback" not in built.messages + caplog.text


def test_a_preview_build_marks_drafts_in_the_lite_edition_and_a_build_writes_none(content_copy, build):
    write_article(
        content_copy,
        "2025/brouillon.md",
        "Title: Brouillon léger\nDate: 2025-02-03\nStatus: draft\nAuthor: Service communication\n"
        "Institutions: INPS\nCategory: Communiqué de presse\nSummary: Pas encore publié.\n\nTexte.\n",
    )
    preview, published = build(content_copy, preview=True), build(content_copy)
    assert preview.status == 0 and published.status == 0, preview.messages + published.messages
    pages = [p for p in preview.output.joinpath(LITE).rglob("index.html") if "Brouillon léger" in p.read_text("utf-8")]
    assert pages and all(
        soup_of(p).select_one(".preview-notice") for p in pages if soup_of(p).h1.get_text() == "Brouillon léger"
    )
    assert not [p for p in published.output.joinpath(LITE).rglob("*.html") if "Brouillon léger" in p.read_text("utf-8")]


def test_long_lists_keep_their_newest_entries_within_the_budget(tmp_path):
    content = tmp_path / "content"
    bench.generate_archive(content, 120)
    shutil.copytree(FIXTURE_SITE / "pages", content / "pages")
    budget = 2000  # a small budget: the lists of a small archive overflow it
    built = build_site(
        content, tmp_path / "output", events_today="2012-01-01", lite_list_max=200, lite_budget_bytes=budget
    )
    assert built.status == 0, built.messages
    check_edition(built)
    for listing in ("index.html", "agenda/index.html", "institutions/inps/index.html"):
        assert served(built.output / LITE / listing) <= budget, listing
    agenda = soup_of(built.output / LITE / "agenda/index.html")
    shown = len(agenda.select("main li"))
    assert 1 < shown < len(soup_of(built.output / "agenda/index.html").select("li.event-item"))
    assert agenda.find(string=re.compile(r"^\d+ de plus"))


def test_an_image_of_the_body_becomes_a_link_with_its_real_weight(content_copy, build):
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "guichet.jpg").write_bytes(photo_bytes(size=(900, 600), gps=False))
    write_article(
        content_copy,
        "2025/image.md",
        "Title: Une image dans le texte\nDate: 2025-02-04\nAuthor: Service communication\nInstitutions: INPS\n"
        "Category: Communiqué de presse\nSummary: Avec une image.\n\nAvant.\n\n"
        "![Le guichet de Bamako]({static}/images/guichet.jpg)\n\nAprès.\n",
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    page = built.output / LITE / "2025/02/une-image-dans-le-texte/index.html"
    check_lite_page(built, page)
    link = soup_of(page).find("a", string=re.compile("^Voir l’image"))
    image = target(page, link["href"])
    assert image == built.output / "images" / "guichet.jpg"
    assert link.get_text() == f"Voir l’image : Le guichet de Bamako (JPEG, {file_size(image.stat().st_size)})"


def test_a_published_site_links_both_ways_with_absolute_addresses(published_site):
    site_url = "https://presse.example.org/"
    article = "2024/10/cmss-untm-formation-relations-professionnelles/"
    full = published_site.output / article / "index.html"
    link = soup_of(full).select_one(".page-weight a")
    assert link["href"] == site_url + LITE + article
    lite_kb, full_kb = map(int, WEIGHT.match(link.get_text()).groups())
    lite = published_site.output / LITE / article / "index.html"
    assert file_size(served(lite)) == f"{lite_kb}\xa0Ko" and lite_kb < full_kb
    css = published_site.output / "theme" / "css" / "site.css.gz"
    assert full_kb * 1024 >= served(full) + css.stat().st_size - 512
    page = soup_of(lite)
    assert page.find("link", rel="canonical")["href"] == site_url + article
    assert not page.find("script") and served(lite) <= BUDGET


def test_lite_pages_and_weights_written_in_worker_processes_are_those_written_in_the_build_process(tmp_path):
    content = tmp_path / "content"
    bench.generate_archive(content, 110)  # more full pages than the lite edition weighs in one process
    shutil.copytree(FIXTURE_SITE / "pages", content / "pages")
    outputs = {}
    for processes in (1, 2):
        built = build_site(
            content, tmp_path / f"output-{processes}", events_today="2020-01-01", lite_processes=processes
        )
        assert built.status == 0, built.messages
        written = [*built.output.rglob("*.html*"), built.output / DEFAULTS["OFFLINE_WORKER_SAVE_AS"]]
        outputs[processes] = {p.relative_to(built.output): p.read_bytes() for p in written}
    assert outputs[1] == outputs[2]
    assert sum(b"Version l\xc3\xa9g\xc3\xa8re" in data for data in outputs[2].values()) > 110


def test_without_gzip_copies_the_lite_edition_writes_none_and_still_weighs_what_is_sent(content_copy, build):
    built = build(content_copy, gzip_copies=False)
    assert built.status == 0, built.messages
    assert not list(built.output.rglob("*.gz"))
    pages = lite_pages(built)
    full = target(pages[0], soup_of(pages[0]).find("link", rel="canonical")["href"])
    weight = soup_of(full).select_one(".page-weight").get_text(" ", strip=True)
    assert re.search(r"\d+\xa0Ko", weight), weight
