"""The address table (pressroom.content.addresses): which folders and files the site's generators
take, and which of two claims on one address is the one to change."""

import pytest

from pressroom.build import site
from pressroom.content import addresses


@pytest.mark.parametrize(
    ("pattern", "folder"),
    [
        ("categories/{slug}/index.html", "categories/"),
        ("feeds/themes/{slug}.atom.xml", "feeds/themes/"),
        ("agenda/{date:%Y}/{date:%m}/index.html", "agenda/"),
        ("images/photos", "images/photos/"),
        ("pagefind", "pagefind/"),
        ("{slug}/index.html", ""),  # a pattern with no fixed folder takes no folder
        ("", ""),
    ],
)
def test_folder_of_a_pattern(pattern, folder):
    assert addresses.folder_of(pattern) == folder


def test_the_generators_take_their_pages_and_folders_from_the_settings():
    claims = {claim.save_as: claim.owner for claim in addresses.generated_claims(site.load_settings())}
    assert claims["index.html"] == "la page d'accueil"
    assert claims["recherche/index.html"] == "la page de recherche"
    assert claims["images/partage-site.jpg"] == "l'image de partage du site"
    assert claims["404.html"] == "la page 404.html"
    for folder in (
        "institutions/",
        "agenda/",
        "images/photos/",
        "pagefind/",
        "theme/",
        "page/",
        "calendrier/evenements/",
    ):
        assert folder in claims, folder
    assert "" not in claims and "/" not in claims  # never the whole site


def claim(save_as, field, path="articles/a.md", target=None):
    return addresses.Claim(save_as, path, path, field, target=target)


def test_a_claim_in_a_generated_folder_or_on_a_generated_file_is_the_one_to_change():
    generated = addresses.generated_claims(site.load_settings())
    in_folder = claim("institutions/cmss/index.html", "Redirect-From")
    on_file = claim("recherche/index.html", "Title", "pages/r.md")
    outside = claim("2024/03/libre/index.html", "Slug")
    found = addresses.clashes([in_folder, *generated, on_file, outside])
    assert [(c.path, e.owner) for c, e in found] == [
        ("pages/r.md", "la page de recherche"),
        ("articles/a.md", "les pages des institutions (dossier institutions/)"),
    ]


def test_a_published_address_stays_with_its_article_whatever_the_order():
    article, other = object(), object()
    listed = addresses.Claim("2024/03/x/index.html", "l'ancienne adresse de a.md", "liste", "Adresse", 3, article)
    redirect = claim("2024/03/x/index.html", "Redirect-From", "articles/b.md", other)
    own_redirect = claim("2024/03/x/index.html", "Redirect-From", "articles/a.md", article)
    found = addresses.clashes([redirect, own_redirect, listed])
    assert [(c.path, e.path) for c, e in found] == [("articles/b.md", "liste")]
