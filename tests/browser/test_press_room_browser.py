"""The press room in headless Chromium (issue 28): the release printed to PDF (read back with pypdf)
is one or two pages with what a journalist needs and nothing of the screen's tools; the contacts
page with spokespeople, a release with its media kit and an embargoed preview pass axe, with
screenshots at phone and desktop widths for a person to look at; deploy/nginx.conf sends
``X-Robots-Tag`` on the secret addresses only."""

import io

import pypdf
import pytest
from browser_tools import artifacts_folder, serve, visit
from press_room import EMBARGO_URL, LIFTED_PUBLIC_URL, LIFTED_URL, SPOKESPERSON, build_press_room
from showcase import PHOTO_URL
from test_nginx import get, nginx
from tools import validate_html

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


@pytest.mark.parametrize(
    "path, name",
    [(CONTACTS, "contacts-porte-parole"), (PHOTO_URL, "communique-dossier"), (EMBARGO_URL, "apercu-embargo")],
)
def test_press_room_pages_pass_axe_with_screenshots(browser, press_room, path, name):
    for width in SCREENSHOT_WIDTHS:
        with visit(browser, press_room.url, path, width=width) as opened:
            assert opened.axe_violations() == []
            opened.page.screenshot(path=str(artifacts_folder() / f"{name}-{width}.png"), full_page=True)


@pytest.fixture(scope="module")
def press_web_server(press_room, tmp_path_factory):
    with nginx(press_room.output, tmp_path_factory.mktemp("nginx-press")) as address:
        yield address


def test_nginx_tells_robots_to_keep_away_from_secret_addresses(press_web_server):
    response, body = get(press_web_server, "/" + EMBARGO_URL)
    assert response.status == 200 and "Sous embargo jusqu" in body.decode("utf-8")
    assert response.getheader("X-Robots-Tag") == "noindex, nofollow, noarchive"
    assert response.getheader("Cache-Control") == "private, no-store"
    lifted, body = get(press_web_server, "/" + LIFTED_URL)
    assert lifted.getheader("X-Robots-Tag") == "noindex, nofollow, noarchive"
    assert f"{LIFTED_PUBLIC_URL}" in body.decode("utf-8")  # the redirect to the public page
    public, _ = get(press_web_server, "/" + LIFTED_PUBLIC_URL)
    assert public.status == 200 and public.getheader("X-Robots-Tag") is None
    assert public.getheader("Content-Security-Policy")  # the server's other headers are kept


def test_press_room_pages_are_valid_html(press_room):
    pages = [CONTACTS, PHOTO_URL, EMBARGO_URL, LIFTED_URL, "institutions/inps/"]
    assert validate_html([press_room.output / url / "index.html" for url in pages]) == []
