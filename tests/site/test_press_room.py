"""The press room on the real build (issue 28): spokespeople with their vCards, and an article's
named spokesperson shown first; the registry's and the article's mistakes refused in French."""

import gzip
import io
import re
import subprocess
import sys
import zipfile

import extruct
import pytest
import vobject
from conftest import ROOT, build_site, copy_content, write_article
from PIL import Image
from press_room import (
    EMBARGO_TOKEN,
    EMBARGO_URL,
    LIFTED_PUBLIC_URL,
    LIFTED_URL,
    SPOKESPERSON,
    add_spokespeople,
    build_press_room,
    embargo_date,
)
from showcase import INVITATION_URL, PHOTO_URL

from pressroom.build import lint as content_lint
from pressroom.build import site
from pressroom.content import embargo, images
from pressroom.content.registry import Registry
from pressroom.tools import editor


@pytest.fixture(scope="module")
def press_room(tmp_path_factory):
    return build_press_room(tmp_path_factory.mktemp("press"))


def vcard_of(built, link):
    path = built.output / link["href"].split("../")[-1].lstrip("/")
    return vobject.readOne(path.read_bytes().decode("utf-8"))


def test_contacts_page_lists_spokespeople_with_a_vcard_that_parses_back(press_room):
    soup = press_room.soup("contacts-presse/")
    cards = soup.select("#inps + dd .spokesperson")
    assert [card.strong.get_text() for card in cards] == ["Awa Exemple", "Oumar Fictif"]
    card = vcard_of(press_room, cards[0].select_one("a.vcard"))
    assert card.version.value == "4.0"
    assert card.fn.value == "Awa Exemple"
    assert card.title.value == "Cheffe du service communication"
    assert card.tel.value == "tel:+22320000001"
    assert card.email.value == "awa.exemple@presse.example.org"
    assert card.org.value == ["Institut National de Prévoyance Sociale"]
    assert [lang.value for lang in card.contents["lang"]] == ["fr", "bm"]
    second = vcard_of(press_room, cards[1].select_one("a.vcard"))
    assert second.fn.value == "Oumar Fictif" and "email" not in second.contents
    assert "(langues\u202f: français, bambara)" in cards[0].get_text()


def test_institution_page_shows_its_spokespeople(press_room):
    soup = press_room.soup("institutions/inps/")
    names = [card.strong.get_text() for card in soup.select(".spokesperson")]
    assert names == ["Awa Exemple", "Oumar Fictif"]
    assert soup.select_one('.spokesperson a[href^="tel:+22320000001"]')


def test_institution_without_spokesperson_says_so_and_links_its_site(press_room):
    soup = press_room.soup("contacts-presse/")
    canam = soup.select_one("#canam + dd")
    assert not canam.select(".spokesperson")
    assert "non renseigné" in canam.get_text()
    assert canam.select_one('a[href="https://www.canam.gouv.ml"]')


def test_release_shows_its_spokesperson_first(press_room):
    section = press_room.soup(PHOTO_URL).select_one("section.press-contact")
    first = section.select_one(".spokesperson")
    assert first is not None and first.strong.get_text() == SPOKESPERSON
    assert section.find("h2").find_next(class_="spokesperson") is first
    assert first.select_one("a.vcard")


def test_default_site_has_no_spokesperson(built_site):
    assert not built_site.soup("contacts-presse/").select(".spokesperson")
    assert not list(built_site.output.rglob("*.vcf"))


ARTICLE = """\
Title: Communiqué de l'INPS
Date: 2024-05-02
Author: Rédaction
Institutions: INPS
Summary: Un communiqué.
Spokesperson: {name}

Texte.
"""


def lint(content):
    """What `invoke lint` prints for ``content``, and its exit status."""
    out = io.StringIO()
    status = content_lint.run(str(ROOT / "pelicanconf.py"), out=out, path=str(content))
    return status, out.getvalue()


def test_unknown_spokesperson_is_refused_by_lint_and_build(tmp_path):
    content = copy_content(tmp_path / "content")
    add_spokespeople(content, "INPS")
    path = write_article(content, "2024/inps.md", ARTICLE.format(name="Personne Inconnue"))
    built = build_site(content, tmp_path / "output")
    assert built.status != 0
    expected = "2024/inps.md:6: Spokesperson: porte-parole inconnu « Personne Inconnue » pour INPS"
    assert expected in built.messages and "Traceback" not in built.messages
    assert "choisissez : Awa Exemple, Oumar Fictif" in built.messages
    status, printed = lint(content)
    assert status != 0 and expected in printed
    path.write_text(ARTICLE.format(name="awa exemple"), encoding="utf-8")
    assert build_site(content, tmp_path / "output2").status == 0


@pytest.mark.parametrize(
    "lines, expected",
    [
        (
            '    - nom: A\n      telephone: "76 00 00 00"\n',
            "INPS: porte_parole: telephone: numéro « 76 00 00 00 » refusé",
        ),
        (
            "    - nom: A\n      courriel: a@x.org, b@x.org\n",
            "INPS: porte_parole: courriel: adresse « a@x.org, b@x.org » refusée",
        ),
        ("    - nom: A\n      langues: [zorglub]\n", "INPS: porte_parole: langues: langue inconnue « zorglub »"),
        ("    - fonction: Chef\n", "INPS: porte_parole: nom: champ obligatoire absent ou vide"),
        ("    - nom: A\n      portable: x\n", "INPS: porte_parole: portable: champ inconnu"),
        ("    nom: A\n", "INPS: porte_parole: doit être une liste de personnes"),
    ],
)
def test_malformed_spokesperson_is_refused_with_file_and_line(tmp_path, lines, expected):
    content = copy_content(tmp_path / "content")
    registry = content / "institutions.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("\nINPS:\n", "\nINPS:\n  porte_parole:\n" + lines, 1), encoding="utf-8")
    built = build_site(content, tmp_path / "output")
    assert built.status != 0 and "Traceback" not in built.messages
    assert expected in built.messages, built.messages
    assert "institutions.yml:" in built.messages


# --- Related releases ------------------------------------------------------------------

CARES = "2019/07/cares-mali-seminaire-national-formation-nouveaux-membres/"
RMA = "2019/11/rma-atelier-national-extension-protection-sociale/"
KAOLACK = "2021/11/kaolack-reseau-oyofal-paj-atelier-gestion-ressources-humaines/"
OPEN_DAY = "2022/12/journee-porte-ouverte-services-protection-sociale/"
CMSS_UNTM = "2024/10/cmss-untm-formation-relations-professionnelles/"


def related_urls(built, url):
    return [link["href"].split("../")[-1] for link in built.soup(url).select("section.related li > a")]


def test_related_releases_on_the_seeds(built_site):
    """The CARES-Mali seminar shares with the RMA workshop RMA, UTM and two themes, with the CMSS–UNTM
    training UNTM and two themes, with the open day UTM and a theme: all three, most recent first. The
    Kaolack workshop (ROP, ANACMU, themes of its own) shares nothing: no section."""
    assert related_urls(built_site, CARES) == [CMSS_UNTM, OPEN_DAY, RMA]
    dates = [time["datetime"] for time in built_site.soup(CARES).select("section.related time")]
    assert dates == sorted(dates, reverse=True)
    assert KAOLACK not in related_urls(built_site, CMSS_UNTM)
    assert built_site.soup(KAOLACK).select_one("section.related") is None


# --- Structured data, read with extruct ---------------------------------------------------


def structured(built, url):
    """JSON-LD items by @type, and the Open Graph properties, of a page, as extruct reads them."""
    html = (built.output / url / "index.html").read_text(encoding="utf-8")
    data = extruct.extract(html, base_url="http://127.0.0.1:8000/" + url, syntaxes=["json-ld", "opengraph"])
    by_type = {item["@type"]: item for item in data["json-ld"]}
    graph = dict(data["opengraph"][0]["properties"]) if data["opengraph"] else {}
    return by_type, graph


def test_release_is_a_news_article_with_breadcrumbs(press_room):
    items, graph = structured(press_room, PHOTO_URL)
    article = items["NewsArticle"]
    assert article["headline"] == "L’INPS publie le barème des cotisations 2025"  # typography's apostrophe
    assert article["datePublished"].startswith("2025-03-10T09:00")
    assert article["dateModified"].startswith("2025-03-12T16:00")
    assert article["author"] == [{"@type": "Person", "name": "Aminata Bocar Sow"}]
    assert article["publisher"]["@type"] == "Organization" and article["publisher"]["name"]
    assert article["image"][0].endswith(".jpg") and graph["og:image"] == article["image"][0]
    assert graph["og:type"] == "article" and graph["og:title"] == press_room.soup(PHOTO_URL).h1.get_text()
    trail = items["BreadcrumbList"]["itemListElement"]
    assert [entry["position"] for entry in trail] == [1, 2, 3]
    assert [entry["name"] for entry in trail][:2] == ["Accueil", "Communiqué de presse"]
    assert trail[-1]["item"] == "http://127.0.0.1:8000/" + PHOTO_URL


def test_invitation_is_an_event_with_place_and_organizer(press_room):
    items, _ = structured(press_room, INVITATION_URL)
    event = items["Event"]
    assert event["name"] == "Lancement de la campagne d’immatriculation à l’AMO"
    assert event["startDate"].startswith("2025-05-15T09:00") and event["endDate"].startswith("2025-05-15T12:00")
    assert event["location"]["name"] == "Siège de la CANAM, Bamako"
    assert [organizer["alternateName"] for organizer in event["organizer"]] == ["CANAM"]
    assert "NewsArticle" in items and "BreadcrumbList" in items


def test_institution_page_is_a_government_organization(press_room):
    items, graph = structured(press_room, "institutions/inps/")
    organization = items["GovernmentOrganization"]
    assert organization["name"] == "Institut National de Prévoyance Sociale"
    assert organization["alternateName"] == "INPS" and organization["sameAs"] == ["https://www.inps.ml"]
    assert [point["telephone"] for point in organization["contactPoint"]] == ["+22320000001", "+22376000002"]
    names = [entry["name"] for entry in items["BreadcrumbList"]["itemListElement"]]
    assert names == ["Accueil", "Institutions", "Institut National de Prévoyance Sociale"]


# --- Media kits ---------------------------------------------------------------------------


def kit_of(built, url):
    link = built.soup(url).select_one(".media-kit a")
    return link, built.output / link["href"].split("../")[-1]


def test_release_offers_its_media_kit_with_readme_photo_and_attachments(press_room):
    link, path = kit_of(press_room, PHOTO_URL)
    assert re.fullmatch(r"Télécharger le dossier \(ZIP, \d+\u00a0Ko\)", link.get_text())
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == ["LISEZMOI.txt", "photo-inps-bareme.jpg", "inps-bareme-signe.pdf", "inps-bareme-tableau.pdf"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        readme = archive.read("LISEZMOI.txt").decode("utf-8")
        photo = archive.read("photo-inps-bareme.jpg")
        signed = archive.read("inps-bareme-signe.pdf")
    assert readme.startswith("L’INPS publie le barème des cotisations 2025")
    for expected in (
        "Publié le lundi 10 mars 2025",
        "Légende : Présentation du barème au siège de l’INPS",
        "Crédit : Service communication/INPS",
        "inps-bareme-signe.pdf : Communiqué signé",
        "inps-bareme-tableau.pdf : Tableau des taux",
    ):
        assert expected in readme, expected
    with Image.open(io.BytesIO(photo)) as image:
        assert image.size == (2400, 1600) and not image.getexif()  # the original, without EXIF or GPS
    source = press_room.output.parent / "content" / "fichiers" / "inps-bareme-signe.pdf"
    assert signed == source.read_bytes()


def test_media_kit_bytes_are_the_same_in_another_build(press_room, tmp_path):
    again = build_press_room(tmp_path)  # another folder, another cache
    assert kit_of(again, PHOTO_URL)[1].read_bytes() == kit_of(press_room, PHOTO_URL)[1].read_bytes()


def test_no_kit_for_a_release_without_files_nor_anything_of_a_draft(press_room):
    assert press_room.soup(INVITATION_URL).select_one(".media-kit") is None
    for archive_path in press_room.output.rglob("*.zip"):
        with zipfile.ZipFile(archive_path) as archive:
            assert not [name for name in archive.namelist() if "brouillon" in name]
            assert all(b"confidentiel" not in archive.read(name) for name in archive.namelist())
    assert not list(press_room.output.rglob("*projet-confidentiel*"))


# --- Embargoed preview links ----------------------------------------------------------------

SECRET_WORDS = ("987654", "confidentiels", EMBARGO_TOKEN)


def test_embargoed_release_is_at_its_secret_address_with_banner_and_noindex(press_room):
    soup = press_room.soup(EMBARGO_URL)
    banner = soup.select_one(".embargo strong").get_text()
    assert re.fullmatch(r"Sous embargo jusqu’au \w+ \d+(er)? \w+ \d{4} à 10 h 30", banner), banner
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert "987654" in soup.select_one(".body").get_text()
    assert soup.select_one(".byline").get_text().strip().startswith("Publication prévue le")
    assert soup.find("link", rel="canonical") is None and soup.find("meta", property="og:url") is None
    assert soup.select_one("section.cite") is None and soup.select_one(".media-kit") is None
    assert soup.select_one(".attachments") is None  # its files stay unpublished until the embargo lifts


def test_embargoed_photo_is_served_under_the_secret_address_only(press_room):
    img = press_room.soup(EMBARGO_URL).select_one("figure.lead-photo img")
    assert img["alt"] == "Le siège de l’INPS" or img["alt"] == "Le siège de l'INPS"
    assert img["src"] == "../../" + EMBARGO_URL + "photo.jpg"
    with Image.open(press_room.output / EMBARGO_URL / "photo.jpg") as photo:
        assert photo.size == (800, 600) and not photo.getexif()
    assert [p.relative_to(press_room.output).as_posix() for p in press_room.output.rglob("apercu/*/*.jpg")] == [
        EMBARGO_URL + "photo.jpg"
    ]
    key = images.source_key(press_room.output.parent / "content" / "images" / "embargo-photo.jpg")
    assert not list(press_room.output.rglob(f"*{key}*"))  # none of its variants among the public photos


def every_output_text(built):
    """(path, text) of every file of the output but the secret page and the build's manifest (never
    published, and served by no one: nginx answers 404 for hidden files), Pagefind's chunks opened."""
    for path in sorted(built.output.rglob("*")):
        if not path.is_file() or EMBARGO_URL.rstrip("/") in path.as_posix() or path.name == ".manifeste.json":
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", "replace")


def test_embargoed_release_is_nowhere_else(press_room):
    """Not in the listings, feeds, sitemap, search index, calendars, institution pages or files."""
    for path, text in every_output_text(press_room):
        for word in SECRET_WORDS:
            assert word not in text, f"{word} dans {path.relative_to(press_room.output)}"
    assert not list(press_room.output.rglob("embargo-photo*")) and not list(press_room.output.rglob("embargo-annexe*"))
    assert "/apercu/" not in (press_room.output / "sitemap.xml").read_text(encoding="utf-8")


def test_lifted_embargo_secret_address_redirects_to_the_public_page(press_room):
    soup = press_room.soup(LIFTED_URL)
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh.endswith(LIFTED_PUBLIC_URL)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert press_room.soup(LIFTED_PUBLIC_URL).h1.get_text() == "Résultats 2024 de l’INPS"


def test_invoke_lien_embargo_writes_prints_and_revokes(tmp_path):
    content = copy_content(tmp_path / "content")
    path = write_article(content, "2026/embargo.md", ARTICLE.replace("Spokesperson: {name}\n", ""))
    text = path.read_text(encoding="utf-8").replace("Date: 2024-05-02", f"Date: {embargo_date()}")
    path.write_text(text, encoding="utf-8")
    first = run_embargo(path)
    token = re.search(r"Preview-Token: (\S+)", path.read_text(encoding="utf-8"))[1]
    assert len(token) >= 22 and f"/apercu/{token}/" in first
    assert run_embargo(path).count(token) == 1  # asked again: the same link
    assert path.read_text(encoding="utf-8").count("Preview-Token:") == 1
    revoked = run_embargo(path, revoke=True)
    new = re.search(r"Preview-Token: (\S+)", path.read_text(encoding="utf-8"))[1]
    assert (
        new != token and f"/apercu/{new}/" in revoked and path.read_text(encoding="utf-8").count("Preview-Token:") == 1
    )
    assert path.read_text(encoding="utf-8").endswith("Texte.\n")


def run_embargo(path, revoke=False):
    out, err = io.StringIO(), io.StringIO()
    status = embargo.run(str(path), site.load_settings(), revoke=revoke, out=out, err=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


def test_no_link_for_a_public_article(tmp_path):
    content = copy_content(tmp_path / "content")
    path = write_article(content, "2024/public.md", ARTICLE.replace("Spokesperson: {name}\n", ""))
    err = io.StringIO()
    assert embargo.run(str(path), site.load_settings(), out=io.StringIO(), err=err) == 2
    assert "pas de lien sous embargo : cet article est déjà public" in err.getvalue()
    assert "Preview-Token" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "tokens, expected",
    [
        (["court-jeton"], "2026/a.md:6: Preview-Token: jeton de 11 caractères, 22 au moins"),
        (["avec des espaces mais assez long"], "2026/a.md:6: Preview-Token: jeton illisible"),
        ([EMBARGO_TOKEN, EMBARGO_TOKEN], "2026/b.md:6: Preview-Token: jeton déjà utilisé par articles/2026/a.md"),
    ],
)
def test_lint_and_build_refuse_a_short_odd_or_reused_token(tmp_path, tokens, expected):
    content = copy_content(tmp_path / "content")
    for name, token in zip("ab", tokens):
        header = ARTICLE.replace("Spokesperson: {name}", f"Preview-Token: {token}").replace(
            "Date: 2024-05-02", f"Date: {embargo_date()}"
        )
        write_article(content, f"2026/{name}.md", header.replace("Communiqué de l'INPS", f"Communiqué {name}"))
    status, printed = lint(content)
    assert status != 0 and expected in printed, printed
    built = build_site(content, tmp_path / "output")
    assert built.status != 0 and expected in built.messages and "Traceback" not in built.messages


def test_web_editor_offers_the_spokespeople_and_hides_the_token(tmp_path):
    content = copy_content(tmp_path / "content")
    add_spokespeople(content, "INPS")
    registry = Registry.load(content / "institutions.yml")
    fields = {field["name"]: field for field in editor.articles_collection(site.load_settings(), registry)["fields"]}
    assert fields["preview-token"]["widget"] == "hidden"
    assert fields["spokesperson"]["options"] == [
        {"label": "Awa Exemple (INPS)", "value": "Awa Exemple"},
        {"label": "Oumar Fictif (INPS)", "value": "Oumar Fictif"},
    ]


def test_invoke_lien_embargo_on_the_command_line(tmp_path):
    content = copy_content(tmp_path / "content")
    path = write_article(content, "2026/embargo.md", ARTICLE.replace("Spokesperson: {name}\n", ""))
    path.write_text(path.read_text(encoding="utf-8").replace("2024-05-02", embargo_date()), encoding="utf-8")
    invoke = [sys.executable, "-m", "invoke", "lien-embargo"]
    given = subprocess.run([*invoke, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert given.returncode == 0, given.stderr
    token = re.search(r"Preview-Token: (\S+)", path.read_text(encoding="utf-8"))[1]
    assert f"/apercu/{token}/" in given.stdout
    missing = subprocess.run(
        [*invoke, str(tmp_path / "absent.md")], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 2 and "absent.md: fichier introuvable" in missing.stderr
    assert "Traceback" not in missing.stderr
