"""Published addresses never break: an article whose address changed leaves a redirect
page at its old address (listed in content/adresses-publiees.txt), the sitemap lists
only the new address, and lint refuses a published article's file that disappeared."""

import io
import shutil

import pytest

from pressroom.build import lint

OLD = "2019/11/rma-atelier-national-extension-protection-sociale/"
NEW = "2019/11/rma-atelier-extension-protection-sociale/"
SOURCE = "articles/2019/rma-atelier-national-extension-protection-sociale.md"
GONE = "2021/11/kaolack-reseau-oyofal-paj-atelier-gestion-ressources-humaines/"
GONE_SOURCE = "articles/2021/kaolack-reseau-oyofal-paj-atelier-gestion-ressources-humaines.md"
REPLACEMENT = "articles/2022/journee-porte-ouverte-services-protection-sociale.md"


def published_once(content, build):
    """Build as a publication does, and keep the list of addresses it wrote, as publish does."""
    first = build(content)
    assert first.status == 0, first.messages
    shutil.copy(first.output / "adresses-publiees.txt", content / "adresses-publiees.txt")


def change_slug(content):
    source = content / SOURCE
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(f"Slug: {OLD.split('/')[2]}", f"Slug: {NEW.split('/')[2]}"), encoding="utf-8")


def add_field(path, line):
    text = path.read_text(encoding="utf-8")
    path.write_text(line + "\n" + text, encoding="utf-8")


@pytest.fixture
def moved_site(content_copy, build):
    published_once(content_copy, build)
    change_slug(content_copy)
    built = build(content_copy, siteurl="https://presse.example.org", relative_urls=False)
    assert built.status == 0, built.messages
    return built


def test_old_address_redirects_to_the_new_one(moved_site):
    page = moved_site.soup(OLD)
    target = f"https://presse.example.org/{NEW}"
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert page.find("link", rel="canonical")["href"] == target
    assert page.find("a", href=target)
    assert page.html["lang"] == "fr" and "changé d’adresse" in page.find("h1").get_text()
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert (moved_site.output / NEW / "index.html").exists()


def test_sitemap_lists_only_the_new_address(moved_site):
    sitemap = (moved_site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert NEW in sitemap
    assert OLD not in sitemap


def test_built_list_keeps_the_old_address_and_adds_the_new(moved_site):
    listing = (moved_site.output / "adresses-publiees.txt").read_text(encoding="utf-8")
    assert f"{OLD}\t{SOURCE}" in listing
    assert f"{NEW}\t{SOURCE}" in listing


def test_removing_a_published_file_is_refused_by_lint_unless_redirected(content_copy, build):
    published_once(content_copy, build)
    (content_copy / GONE_SOURCE).unlink()
    messages = io.StringIO()
    assert lint.run(path=str(content_copy), out=messages) == 2
    assert "adresses-publiees.txt:" in messages.getvalue()
    assert f"Adresse: l'article publié à l'adresse {GONE}" in messages.getvalue()
    assert f"« Redirect-From: {GONE} »" in messages.getvalue()

    add_field(content_copy / REPLACEMENT, f"Redirect-From: {GONE}")
    messages = io.StringIO()
    assert lint.run(path=str(content_copy), out=messages) == 0, messages.getvalue()
    built = build(content_copy)
    assert built.status == 0, built.messages
    refresh = built.soup(GONE).find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh.endswith("2022/12/journee-porte-ouverte-services-protection-sociale/")
