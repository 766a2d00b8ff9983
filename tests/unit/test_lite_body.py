"""The lite body's wall (plugins/lite/body.py): text elements pass as written, images become links
that say their weight, embedded media a link to the full version, anything else is dropped or
unwrapped, attributes outside the allow-list are removed."""

import pytest
from bs4 import BeautifulSoup

from plugins.lite.body import blocks, is_plain_text, lite_body


def label(src):
    return "JPEG, 12\xa0Ko"


def lite(html):
    return BeautifulSoup(lite_body(html, label, "../../2025/01/x/"), "html.parser")


def test_plain_text_passes_as_written():
    html = (
        '<p>Le <strong>barème</strong> <a href="../x/">change</a>.</p>\n'
        '<ul><li><abbr title="Institut">INPS</abbr></li></ul>'
    )
    assert is_plain_text(html)
    assert lite_body(html, label, "") == html


def test_an_image_becomes_a_link_with_its_format_and_weight():
    soup = lite('<p>Avant</p><p><img src="../../images/a.jpg" alt="Le guichet" width="10"></p>')
    assert not soup.find("img")
    link = soup.find("a")
    assert link["href"] == "../../images/a.jpg"
    assert link.get_text() == "Voir l’image : Le guichet (JPEG, 12\xa0Ko)"


def test_a_picture_becomes_one_link():
    soup = lite('<picture><source srcset="a.webp" type="image/webp"><img src="a.jpg" alt=""></picture>')
    assert [a.get_text() for a in soup.find_all("a")] == ["Voir l’image (JPEG, 12\xa0Ko)"]
    assert not soup.find(["source", "picture"])


@pytest.mark.parametrize("tag", ["iframe", "video", "audio", "object", "svg"])
def test_embedded_media_leave_a_link_to_the_full_version(tag):
    soup = lite(f'<p>Texte</p><{tag} src="https://ailleurs.example/x">repli</{tag}><embed src="y.swf">')
    assert not soup.find([tag, "embed"])
    assert [a["href"] for a in soup.find_all("a")] == ["../../2025/01/x/"] * 2
    assert "repli" not in soup.get_text()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<style>body{background:url(https://x.example/t.png)}</style>",
        '<link rel="stylesheet" href="https://x.example/s.css">',
        "<form action='https://x.example'><input name=a><button>Envoyer</button></form>",
        "<!-- commentaire -->",
        "<template><p>caché</p></template>",
    ],
)
def test_active_or_hidden_content_is_dropped(hostile):
    soup = lite(f"<p>Texte</p>{hostile}")
    assert soup.get_text() == "Texte"
    assert len(soup.find_all(True)) == 1


def test_attributes_outside_the_allow_list_are_removed_and_unknown_tags_unwrapped():
    soup = lite(
        '<p style="color:red" onclick="x()" class="a" id="b">Un <marquee>mot</marquee> '
        '<a href="y" target="_blank" onmouseover="z()">lien</a></p>'
    )
    assert soup.p.attrs == {"id": "b"}
    assert soup.a.attrs == {"href": "y"}
    assert soup.get_text() == "Un mot lien"


def test_blocks_are_the_top_level_elements():
    assert blocks("<p>a</p>\n<h2>b</h2>\n<ul><li>c</li></ul>") == ["<p>a</p>", "<h2>b</h2>", "<ul><li>c</li></ul>"]


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
     "data:text/html,x", " vbscript:x"],
)  # fmt: skip
def test_a_link_that_would_run_something_loses_its_address(href):
    soup = lite(f'<p><a href="{href}">lien</a></p>')
    assert soup.a is not None and not soup.a.has_attr("href")
    assert soup.get_text() == "lien"


def test_ordinary_addresses_stay():
    html = '<p><a href="https://x.org/a">a</a> <a href="mailto:p@x.org">b</a> <a href="../y/#z">c</a></p>'
    assert lite_body(html, label, "") == html
