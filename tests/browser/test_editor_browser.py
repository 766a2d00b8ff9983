"""The web editor (Decap CMS at /admin/) in headless Chromium, against decap-server
in fs mode on a copy of the content: a seed article shown right, a one-field edit
that changes one line, a new article with an institution, an event and a photo
that passes the content check and builds, an unknown field kept through a save.
Nothing is requested from another host. Screenshots at 1280 px of the list and
the editor go to test-artifacts/."""

import contextlib
import difflib
import io
import re
import shutil
import socket
import struct
import zlib

import pytest
from browser_tools import artifacts_folder, serve
from conftest import FIXTURE_SITE, build_site
from tools import DECAP_JS, require

from pressroom.build import lint
from pressroom.tools.editor import EditorError, local

pytestmark = pytest.mark.browser

SEED = "2024/cmss-untm-formation-relations-professionnelles.md"
SEED_ID = "2024/cmss-untm-formation-relations-professionnelles"
UNKNOWN_SEED = "2019/rma-atelier-national-extension-protection-sociale.md"
NEW_TITLE = "L’atelier de l’INPS à Ségou"
NEW_FILE = "latelier-de-linps-a-segou.md"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def small_png(width=64, height=48, colour=(30, 120, 90)):
    """A valid PNG photo, made here (no image library needed)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Editor:
    """The work tree decap-server writes into, the built preview with /admin/, and their addresses."""

    def __init__(self, work, site_url, server_url):
        self.work, self.site_url, self.server_url = work, site_url, server_url

    def article(self, relative):
        return self.work / "content" / "articles" / relative


@pytest.fixture(scope="module")
def editor(tmp_path_factory, browser):
    require(DECAP_JS.exists() and local.SERVER.exists(), "Decap CMS et decap-server (npm ci)")
    base = tmp_path_factory.mktemp("editeur")
    work = base / "depot"
    shutil.copytree(FIXTURE_SITE, work / "content")
    port = free_port()
    server_url = f"http://127.0.0.1:{port}/api/v1"
    built = build_site(work / "content", base / "output", preview=True, editor_local=True, editor_local_url=server_url)
    assert built.status == 0, built.messages
    try:
        with local.decap_server(work, port), serve(built.output) as site_url:
            yield Editor(work, site_url, f"http://127.0.0.1:{port}/")
    except EditorError as error:
        pytest.fail(str(error))


@contextlib.contextmanager
def logged_in(browser, editor, refused_save=False):
    """A fresh page on /admin/, logged in to decap-server; requests to any other host are blocked and recorded.
    Decap rejects a save it refuses with an unhandled ``undefined``: expected when ``refused_save``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    foreign = []

    def refuse(route):
        foreign.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith((editor.site_url, editor.server_url)), refuse)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(editor.site_url + "admin/")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("Articles").first.wait_for()
        yield page
        assert foreign == [], foreign
        assert errors == (["undefined"] if refused_save else []), errors
    finally:
        context.close()


def field(page, label):
    """The input of a field by its French label (Decap adds « (optionnel) » to optional ones)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(optionnel\))?$"))


def open_article(page, editor, entry_id):
    page.goto(editor.site_url + f"admin/#/collections/articles/entries/{entry_id}")
    field(page, "Titre").wait_for()


def publish(page):
    """Decap's « Publier » writes the file (our Status field decides what the site shows)."""
    page.get_by_role("button", name="Publier").click()
    page.get_by_role("menuitem", name="Publier maintenant").click()
    page.get_by_text("Modifications enregistrées", exact=False).wait_for()


def changed_lines(before, after):
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in diff if line.startswith(("- ", "+ "))]


def test_list_shows_every_seed_article(browser, editor):
    with logged_in(browser, editor) as page:
        page.get_by_text("CMSS : une centaine de syndicalistes de l’UNTM").wait_for()
        titles = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        for path in sorted(FIXTURE_SITE.glob("articles/*/*.md")):
            title = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("Title: ")
            assert title in titles
        assert page.get_by_text("+ article", exact=True).is_visible()  # not Decap's « ＋ », absent from many fonts
        assert page.get_by_text("Médias").is_visible()
        page.screenshot(path=str(artifacts_folder() / "editeur-liste-1280px.png"))


def test_seed_article_fields_are_shown_with_their_accents(browser, editor):
    with logged_in(browser, editor) as page:
        open_article(page, editor, SEED_ID)
        expected = {
            "Titre": "CMSS : une centaine de syndicalistes de l’UNTM formés aux relations professionnelles",
            "Auteur": "Aminata Bocar Sow",
            "Service de l'auteur": "CCOM-RP/CMSS",
            "Adresse": "cmss-untm-formation-relations-professionnelles",
            "Langue": "fr",
            "Événement": "Session de formation syndicale sur les relations professionnelles",
            "Lieu de l'événement": "Direction générale de la CMSS, Bamako",
            "Thèmes": "formation, dialogue social, syndicalisme",
            "Date de publication": "2024-10-08T00:00",
            "Début de l'événement": "2024-10-08T00:00",
            "Fin de l'événement": "2024-10-10",
        }
        for label, value in expected.items():
            assert field(page, label).input_value() == value, label
        assert field(page, "Chapô").input_value().startswith("Le comité syndical UNTM de la CMSS suit, du 8 au 10")
        form = page.inner_text("body")
        assert "CMSS — Caisse Malienne de Sécurité Sociale" in form
        assert "Communiqué de presse" in form  # the release type, a closed list (a select)
        assert "UNTM — Union Nationale des Travailleurs du Mali" in form
        assert "Visibilité sur le site : brouillon / publié".upper() in form.upper()
        assert "publié : visible sur le site" in form  # no Status line: published
        body = page.locator("[data-slate-editor]").first.inner_text()
        assert body.startswith("Une centaine de membres du comité syndical de l’Union Nationale")
        preview = page.frame_locator("iframe").first
        assert preview.locator("h1").inner_text() == expected["Titre"]
        assert preview.locator(".chapo").inner_text().startswith("Le comité syndical UNTM de la CMSS")
        assert "Publié le 8 octobre 2024" in preview.locator("article header").inner_text()
        event = preview.locator("aside.event").inner_text()
        assert "du 8 octobre 2024 au 10 octobre 2024" in event
        assert "Caisse Malienne de Sécurité Sociale, Union Nationale des Travailleurs du Mali" in event
        page.screenshot(path=str(artifacts_folder() / "editeur-article-1280px.png"))


def test_editing_the_summary_changes_only_that_line(browser, editor):
    path = editor.article(SEED)
    before = path.read_text(encoding="utf-8")
    with logged_in(browser, editor) as page:
        open_article(page, editor, SEED_ID)
        field(page, "Chapô").fill("La CMSS forme ses syndicalistes : « relations professionnelles », l’équilibre.")
        publish(page)
    after = path.read_text(encoding="utf-8")
    old_summary = next(line for line in before.splitlines() if line.startswith("Summary: "))
    assert changed_lines(before, after) == [
        f"- {old_summary}",
        "+ Summary: La CMSS forme ses syndicalistes : « relations professionnelles », l’équilibre.",
    ]


def test_new_article_with_institution_event_and_photo_passes_the_check_and_builds(browser, editor, tmp_path):
    photo = tmp_path / "atelier-segou.png"
    photo.write_bytes(small_png())
    with logged_in(browser, editor) as page:
        page.goto(editor.site_url + "admin/#/collections/articles/new")
        field(page, "Titre").fill(NEW_TITLE)
        field(page, "Date de publication").fill("2024-11-20T10:30")
        field(page, "Institutions").click()
        page.keyboard.type("INPS")
        page.keyboard.press("Enter")
        field(page, "Auteur").fill("Fatoumata Diarra")
        field(page, "Chapô").fill("Un atelier régional de l’INPS réunit les mutuelles à Ségou.")
        field(page, "Événement").fill("Atelier régional des mutuelles")
        field(page, "Début de l'événement").fill("2024-11-24T09:00")
        field(page, "Fin de l'événement").fill("2024-11-25")
        field(page, "Lieu de l'événement").fill("Ségou")
        page.get_by_role("button", name="Choisir une image").click()
        page.set_input_files("input[type=file]", str(photo))
        page.get_by_role("button", name="Choisir les éléments sélectionnés").click()
        field(page, "Description de la photo").fill("Les délégués des mutuelles réunis dans la salle de l’atelier")
        page.locator("[data-slate-editor]").first.click()
        page.keyboard.type("Premier paragraphe.\n\n- un point\n- un autre")
        publish(page)
    written = editor.work / "content" / "articles"
    [path] = list(written.glob(f"*/{NEW_FILE}"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        f"Title: {NEW_TITLE}\nDate: 2024-11-20 10:30\nAuthor: Fatoumata Diarra\nInstitutions: INPS\n"
    )
    for line in (
        "Image: images/atelier-segou.png",
        "Image-Alt: Les délégués des mutuelles réunis dans la salle de l’atelier",
        "Event: Atelier régional des mutuelles",
        "Event-Start: 2024-11-24 09:00",
        "Event-End: 2024-11-25",
        "Event-Location: Ségou",
        "Slug: latelier-de-linps-a-segou",
        "Status: draft",
    ):
        assert line in text.splitlines()
    assert text.endswith("\n\nPremier paragraphe.\n\n- un point\n- un autre\n")
    assert (editor.work / "content" / "images" / "atelier-segou.png").read_bytes() == photo.read_bytes()

    # The file as the forge would get it: the seeds, this article and its photo.
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    assert path.parent.name == "2024"  # the year of the article's Date
    shutil.copy(path, content / "articles" / "2024" / path.name)
    shutil.copy(photo, content / "images" / photo.name)
    out = io.StringIO()
    assert lint.run("pelicanconf.py", path=str(content), out=out) == 0, out.getvalue()
    built = build_site(content, tmp_path / "output", preview=True)
    assert built.status == 0, built.messages
    page_html = built.soup("2024/11/latelier-de-linps-a-segou/").get_text()
    assert NEW_TITLE in page_html and "Atelier régional des mutuelles" in page_html


def test_unknown_field_survives_a_save(browser, editor):
    path = editor.article(UNKNOWN_SEED)
    original = path.read_text(encoding="utf-8")
    before = original.replace("\nLang: fr\n", "\nLang: fr\nX-Reference-Interne: RMA/2019/114 — à garder\n", 1)
    path.write_text(before, encoding="utf-8")
    try:
        with logged_in(browser, editor) as page:
            open_article(page, editor, UNKNOWN_SEED.removesuffix(".md"))
            field(page, "Auteur").fill("Y. Doumbia, A. Traoré")
            publish(page)
        after = path.read_text(encoding="utf-8")
        assert "X-Reference-Interne: RMA/2019/114 — à garder" in after.splitlines()
        assert changed_lines(before, after) == ["- Author: Y. Doumbia", "+ Author: Y. Doumbia, A. Traoré"]
    finally:
        path.write_text(original, encoding="utf-8")


def test_an_attachment_is_a_file_and_its_label(browser, editor):
    path = editor.article(UNKNOWN_SEED)
    original = path.read_text(encoding="utf-8")
    line = "Attachments: fichiers/rma-programme.pdf — Programme de l'atelier"
    before = original.replace("\nLang: fr\n", f"\nLang: fr\n{line}\n", 1)
    path.write_text(before, encoding="utf-8")
    try:
        with logged_in(browser, editor) as page:
            open_article(page, editor, UNKNOWN_SEED.removesuffix(".md"))
            label = field(page, "Libellé")
            assert label.input_value() == "Programme de l'atelier"
            label.fill("Programme signé")
            publish(page)
        after = path.read_text(encoding="utf-8")
        signed = "Attachments: fichiers/rma-programme.pdf — Programme signé"
        assert changed_lines(before, after) == [f"- {line}", f"+ {signed}"]
    finally:
        path.write_text(original, encoding="utf-8")


def test_an_invalid_address_is_refused_in_french_before_saving(browser, editor):
    before = sorted(editor.work.rglob("*.md"))
    with logged_in(browser, editor, refused_save=True) as page:
        page.goto(editor.site_url + "admin/#/collections/articles/new")
        field(page, "Titre").fill("Article à l'adresse invalide")
        field(page, "Date de publication").fill("2024-11-21T09:00")
        field(page, "Institutions").click()
        page.keyboard.type("CMSS")
        page.keyboard.press("Enter")
        field(page, "Adresse").fill("Adresse Avec Majuscules")
        page.get_by_role("button", name="Publier").click()
        page.get_by_role("menuitem", name="Publier maintenant").click()
        page.get_by_text("minuscules sans accent, chiffres et tirets : formation-cmss-2024").wait_for()
    assert sorted(editor.work.rglob("*.md")) == before
