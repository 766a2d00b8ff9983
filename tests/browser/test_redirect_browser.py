"""In Chromium, the old address of an article whose slug changed leads to its new address."""

import shutil

import pytest
from browser_tools import serve, visit

pytestmark = pytest.mark.browser

SOURCE = "articles/2019/rma-atelier-national-extension-protection-sociale.md"
OLD = "2019/11/rma-atelier-national-extension-protection-sociale/"
NEW = "2019/11/rma-atelier-extension-protection-sociale/"


def test_old_address_leads_to_the_new_one_in_the_browser(browser, content_copy, build):
    published = build(content_copy)
    assert published.status == 0, published.messages
    shutil.copy(published.output / "adresses-publiees.txt", content_copy / "adresses-publiees.txt")
    source = content_copy / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace(OLD.split("/")[2], NEW.split("/")[2]), "utf-8")
    built = build(content_copy)
    assert built.status == 0, built.messages
    with serve(built.output) as base_url, visit(browser, base_url, OLD) as opened:
        opened.page.wait_for_url(base_url + NEW)
        assert opened.page.locator("h1").inner_text().startswith("Pour une extension")
