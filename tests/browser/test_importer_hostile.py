"""In headless Chromium: the article imported from a hostile page (scripts written as escaped
text, handlers, a javascript: canonical) runs nothing — no alert, even when the events its
handlers would have waited for are fired on every element."""

import pytest
from browser_tools import serve, visit
from conftest import ROOT, build_site, copy_content

from pressroom.content.registry import Registry
from pressroom.tools.importer import import_paths

pytestmark = pytest.mark.browser

HOSTILE_PAGE = ROOT / "tests" / "fixtures" / "hostile" / "page-piegee.html"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    content = copy_content(base / "content")
    registry = Registry.load(content / "institutions.yml")
    assert import_paths([HOSTILE_PAGE], content, registry, progress=False) == 0
    built = build_site(content, base / "output", preview=True)
    assert built.status == 0, built.messages
    written = next((content / "articles" / "2024").glob("inps-*.md"))
    with serve(built.output) as base_url:
        yield base_url, f"2024/10/{written.stem}/"


def test_hostile_article_runs_no_script(browser, hostile_site):
    base_url, path = hostile_site
    with visit(browser, base_url, path) as opened:
        dialogs = []
        opened.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        opened.page.reload(wait_until="load")
        opened.page.evaluate(
            """() => document.querySelectorAll("*").forEach(element =>
                 ["mouseover", "mouseenter", "focus", "error", "load"].forEach(type =>
                   element.dispatchEvent(new Event(type))))"""
        )
        opened.page.hover("h1")
        opened.page.wait_for_timeout(200)
        assert dialogs == []
        assert "<script>alert(" in opened.page.inner_text("body")  # shown as text
