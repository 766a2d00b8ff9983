"""A hostile saved page (escaped scripts in its text, a javascript: canonical link, event
handlers, iframes) is imported, then the site is built: the built page holds none of it as markup."""

import re

import pytest
from conftest import FIXTURE_SITE, ROOT

from pressroom.content.registry import Registry
from pressroom.tools.importer import import_file, import_paths

HOSTILE_PAGE = ROOT / "tests" / "fixtures" / "hostile" / "page-piegee.html"


@pytest.fixture(scope="module")
def registry():
    return Registry.load(FIXTURE_SITE / "institutions.yml")


# What a browser reads as a script address: the scheme first, after blanks and control characters.
SCRIPT_ADDRESS = re.compile(r"[\x00-\x20]*(javascript|vbscript|data):", re.I)


def test_hostile_text_is_written_as_text(tmp_path, registry):
    article = import_file(HOSTILE_PAGE, registry)
    markdown = article.markdown()
    header, body = markdown.split("\n\n", 1)
    assert "<" not in body and ">" not in body
    assert (
        "Title: INPS <script>alert('titre')</script> : un atelier à Bamako </script><script>" in header
    )  # theme escapes
    assert "&lt;script&gt;" in body
    assert "&amp;lt;script&amp;gt;" in body  # an escaped entity stays an escaped entity
    assert "\\[cliquez ici\\]\\(javascript:" in body  # Markdown punctuation escaped: no link
    assert "\\{: onclick=" in body  # no attribute list


def test_javascript_canonical_is_dropped_and_reported(registry):
    article = import_file(HOSTILE_PAGE, registry)
    assert article.value("Source") == ""
    assert "Source:" in article.markdown() and "javascript" not in article.markdown().split("\n\n")[0]
    assert "adresse de la page refusée" in article.report()


def test_hostile_page_builds_without_script_link_handler_or_iframe(content_copy, build, registry):
    assert import_paths([HOSTILE_PAGE], content_copy, registry) == 0
    written = next((content_copy / "articles" / "2024").glob("inps-*.md"))
    built = build(content_copy, preview=True)  # imported articles are drafts: shown in the preview
    assert built.status == 0, built.messages
    pages = [path for path in built.html_files() if "atelier" in path.read_text(encoding="utf-8")]
    article_pages = [path for path in pages if written.stem[:30] in str(path)]
    assert article_pages, "the imported article was not built"
    for path in pages:
        soup = built.soup(path.relative_to(built.output))
        assert not soup.find_all(["script", "iframe", "svg", "img"], src=re.compile("^x$|malveillant"))
        texts = " ".join(s.get_text() for s in soup.find_all("script") if not s.get("type", "").endswith("json"))
        assert "alert" not in texts
        assert not soup.find_all("iframe")
        for tag in soup.find_all(True):
            assert not any(name.lower().startswith("on") for name in tag.attrs), (path, tag.name, tag.attrs)
            for value in tag.attrs.values():  # a script address starts the value; a description may quote one
                assert not SCRIPT_ADDRESS.match(str(value)), (path, tag.name, tag.attrs)
    page = built.soup(article_pages[0].relative_to(built.output))
    assert "<script>alert('titre')</script>" in page.find("h1").get_text()
    text = page.get_text()
    assert "<script>alert(’texte’)</script>" in text  # shown to the reader as the source wrote it
    assert "[cliquez ici](javascript:alert(’markdown’))" in text


def test_input_over_20_megabytes_is_refused_in_french(tmp_path, registry, capsys):
    big = tmp_path / "enorme.html"
    with open(big, "wb") as file:
        file.truncate(20 * 1024 * 1024 + 1)
    content = tmp_path / "content"
    content.mkdir()
    assert import_paths([big], content, registry) == 2
    printed = capsys.readouterr().out
    assert "enorme.html: fichier: fichier trop volumineux (20,0 Mo, limite 20,0 Mo)" in printed
    assert "Traceback" not in printed
    assert not list(content.rglob("*.md"))
