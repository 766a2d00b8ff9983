"""The allow-list of the text (pressroom.content.body): what a press release needs passes as it is,
the rest is removed by the sanitizer and named by the check."""

import unicodedata

import pytest

from pressroom.build import cache
from pressroom.build.site import load_settings
from pressroom.content import body
from pressroom.content.text import INVISIBLE

SETTINGS = load_settings("pelicanconf.py")


def rendered(text):
    return body.render(text, SETTINGS)


RELEASE = """## Les chiffres

Le taux passe à **12 %** (*contre 10 %*), voir [le décret](https://sgg-mali.example.ml/decret.pdf),
[la page de l'INPS]({filename}/articles/2024/inps.md) ou [écrire](mailto:presse@cmss.example.ml).

> Une citation.

1. un
2. deux
    - deux bis

| Région | Assurés |
| :--- | ---: |
| Kayes | 1 200 |

![Remise des cartes]({static}/images/remise.jpg)

Une note[^1], du `code` et H<sub>2</sub>O.

```
<script>reste du texte</script>
```

[^1]: La note.
"""


def test_what_a_press_release_needs_passes_the_check_and_the_sanitizer_unchanged():
    fragment = rendered(RELEASE)
    assert body.refusals(fragment)[0] == []
    cleaned = body.sanitize(fragment)
    assert "<script" not in cleaned
    for kept in (
        "<h2",
        "<strong>12 %</strong>",
        'href="https://sgg-mali.example.ml/decret.pdf"',
        'href="{filename}/articles/2024/inps.md"',
        'href="mailto:presse@cmss.example.ml"',
        "<blockquote>",
        'style="text-align: left;"',
        'src="{static}/images/remise.jpg"',
        'class="footnote-ref"',
        "&lt;script&gt;",  # code, shown as text
        "<sub>2</sub>",
    ):
        assert kept in cleaned, kept


@pytest.mark.parametrize(
    "text, message",
    [
        ("<script>alert(1)</script>", "élément <script> interdit dans le texte"),
        ("# Titre", "élément <h1> interdit dans le texte"),
        ("<img src=x onerror=alert(1)>", "attribut onerror interdit dans <img>"),
        ("[x](javascript:alert(1))", "adresse javascript: interdite dans un lien « javascript:alert(1) »"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "adresse javascript: interdite dans un lien"),
        ("![x](https://traceur.example/p.gif)", "image prise hors des photos du site « https://traceur.example/p"),
        ("![x]({static}/images/../../etc/passwd)", "image prise hors des photos du site"),
        ('<p style="color:red">x</p>', "attribut style interdit dans <p>"),
        ('<table><tr><td style="position:fixed">x</td></tr></table>', "attribut style interdit dans <td>"),
    ],
)
def test_what_the_sanitizer_removes_the_check_names(text, message):
    fragment = rendered(text)
    refused, _ = body.refusals(fragment)
    assert any(refusal.message.startswith(message) for refusal in refused), refused
    assert body.sanitize(fragment) != fragment


def test_nesting_is_measured_and_markdown_too_deep_is_a_french_refusal():
    nested = "\n".join("    " * level + "- niveau" for level in range(300))
    with pytest.raises(body.TooDeep):
        rendered(nested)
    _, depth = body.refusals(rendered("\n".join("    " * level + "- niveau" for level in range(5))))
    assert depth == 10  # ul > li, five times


def test_invisible_characters_are_every_format_character_but_the_soft_hyphen_and_the_joiner():
    format_characters = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert {c for c in format_characters if INVISIBLE.fullmatch(c)} == format_characters - {"\u00ad", "\u200d"}
    assert body.sanitize("<p>Total \u202e0001\u202c FCFA, pré\u00adavis</p>") == "<p>Total 0001 FCFA, pré\u00adavis</p>"


def test_a_body_checked_by_one_build_is_not_rendered_again_until_code_or_settings_change(tmp_path, monkeypatch):
    settings = dict(SETTINGS, CACHE_PATH=str(tmp_path), CACHE_CONTENT=True)
    text = "Title: x\n\nUn texte sans problème.\n"
    first = cache.CheckedBodies.load(settings)
    assert not first.passed(text)
    first.add(text)
    first.save()
    assert cache.CheckedBodies.load(settings).passed(text)
    assert not cache.CheckedBodies.load(dict(settings, BODY_MAX_NESTING=3)).passed(text)  # another verdict maybe
    assert not cache.CheckedBodies.load(dict(settings, CACHE_CONTENT=False)).passed(text)
