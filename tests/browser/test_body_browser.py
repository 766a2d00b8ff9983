"""In Chromium, a site built from hostile bodies and served without any Content-Security-Policy
(a plain static server, as any host would be) opens no dialog and goes nowhere: the sanitizer
alone holds, even with the check that refuses such bodies turned off."""

import pytest
from browser_tools import serve
from conftest import write_article
from hostile_bodies import SNIPPETS
from PIL import Image

from pressroom.content import body

pytestmark = pytest.mark.browser

HEADER = "Title: {title}\nDate: 2024-03-04\nAuthor: Awa Traoré\nInstitutions: CMSS\nSummary: Résumé.\nSlug: {slug}\n\n"
PAGES = ("2024/03/hostile/", "2024/03/hostile-en-ligne/", "", "feeds/tout.atom.xml")


def hostile_site(content, build):
    """The content with two hostile articles (one snippet a paragraph; all on one line), built with
    the check of bodies turned off: only the sanitizer stands between them and the pages."""
    visible = [snippet for snippet in SNIPPETS if "\u202e" not in snippet]  # refused with the whole file
    Image.new("RGB", (16, 16), "navy").save(content / "images" / "x.jpg")  # the photo a snippet names
    write_article(content, "2024/hostile.md", HEADER.format(title="Hostile", slug="hostile") + "\n\n".join(visible))
    write_article(
        content,
        "2024/hostile-en-ligne.md",
        HEADER.format(title="Hostile en ligne", slug="hostile-en-ligne") + " ".join(visible),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(body, "check_body", lambda *args: [])
        built = build(content)
    assert built.status == 0, built.messages
    return built


def test_hostile_bodies_fire_no_dialog_and_no_navigation(browser, content_copy, build):
    built = hostile_site(content_copy, build)
    with serve(built.output) as base_url:
        context = browser.new_context()
        context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        try:
            for path in PAGES:
                page = context.new_page()
                dialogs, navigations = [], []
                page.on("dialog", lambda dialog, found=dialogs: (found.append(dialog.message), dialog.dismiss()))
                page.on("framenavigated", lambda frame, found=navigations: found.append(frame.url))
                page.goto(base_url + path, wait_until="load")
                if path.endswith("/"):
                    page.locator("div.body, main").first.hover()
                page.wait_for_timeout(1500)  # time for a refresh, an onload or a timer to fire
                assert dialogs == [], (path, dialogs)
                assert navigations == [base_url + path], (path, navigations)
                page.close()
        finally:
            context.close()
