"""The press room in headless Chromium (issue 28): the release printed to PDF (read back with pypdf)
is one or two pages with what a journalist needs and nothing of the screen's tools; the contacts
page with spokespeople and a release with its media kit pass axe, with screenshots at phone and
desktop widths for a person to look at."""

import io

import pypdf
import pytest
from browser_tools import artifacts_folder, serve, visit
from press_room import SPOKESPERSON, build_press_room
from showcase import PHOTO_URL

pytestmark = pytest.mark.browser

CONTACTS = "contacts-presse/"
SCREENSHOT_WIDTHS = (360, 1280)


@pytest.fixture(scope="module")
def press_room(tmp_path_factory):
    """The press room's build and the base URL it is served at."""
    built = build_press_room(tmp_path_factory.mktemp("press-browser"))
    with serve(built.output) as base_url:
        built.url = base_url
        yield built


def printed_text(browser, base_url, path):
    """The pages of ``path`` printed on A4 by Chromium, as text."""
    with visit(browser, base_url, path) as opened:
        pdf = opened.page.pdf(format="A4", prefer_css_page_size=True)
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_printed_release_is_clean_and_complete(browser, press_room):
    pages = printed_text(browser, press_room.url, PHOTO_URL)
    assert 1 <= len(pages) <= 2
    text = " ".join(" ".join(pages).split())
    soup = press_room.soup(PHOTO_URL)
    permalink = soup.select_one("a.permalink")["href"]
    for expected in (
        "L’INPS publie le barème des cotisations 2025",  # title
        "applicable à partir du deuxième trimestre 2025",  # chapô
        "Publié le lundi 10 mars 2025",  # date
        "INPS",  # institutions
        "Le nouveau barème s’applique aux salaires versés",  # body
        SPOKESPERSON,  # contact
        "+22320000001",
        permalink,  # the permanent link, written out
    ):
        assert expected in text, expected
    for absent in ("Navigation", "Recherche", "Partager sur WhatsApp", "Envoyer par SMS", "Aller au contenu"):
        assert absent not in text, absent
    assert "Télécharger" not in text and "vCard" not in text


@pytest.mark.parametrize("path, name", [(CONTACTS, "contacts-porte-parole"), (PHOTO_URL, "communique-dossier")])
def test_press_room_pages_pass_axe_with_screenshots(browser, press_room, path, name):
    for width in SCREENSHOT_WIDTHS:
        with visit(browser, press_room.url, path, width=width) as opened:
            assert opened.axe_violations() == []
            opened.page.screenshot(path=str(artifacts_folder() / f"{name}-{width}.png"), full_page=True)
