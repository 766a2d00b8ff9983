"""What each file of the site becomes in object storage: its Content-Type and Cache-Control (the
values of deploy/nginx.conf), and when it is uploaded (what a page links to goes up first)."""

import pathlib
import re

import pytest

from pressroom.publish import bucket
from pressroom.settings import DEFAULTS, ROOT

NGINX = (pathlib.Path(ROOT) / "deploy" / "nginx.conf").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "kind", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", "public, max-age=300"),
        ("calendrier/tout.ics", "text/calendar; charset=utf-8", "public, max-age=300"),
        ("feeds/tout.atom.xml", "application/atom+xml; charset=utf-8", "public, max-age=300"),
        ("feeds/tout.rss.xml", "application/rss+xml; charset=utf-8", "public, max-age=300"),
        (
            "pagefind/2024/fragment/fr_59fe.pf_fragment",
            "application/octet-stream",
            "public, max-age=31536000, immutable",
        ),
        (
            "pagefind/2024/pagefind.fr_142a5.pf_meta",
            "application/octet-stream",
            "public, max-age=31536000, immutable",
        ),
        ("pagefind/2024/wasm.fr.pagefind", "application/octet-stream", "public, max-age=3600"),
        ("pagefind/2024/pagefind-entry.json", "application/json; charset=utf-8", "public, max-age=300"),
        ("images/photos/0123456789abcdef0123/360.webp", "image/webp", "public, max-age=31536000, immutable"),
        ("images/photos/logos/cmss.jpg", "image/jpeg", "public, max-age=3600"),
        ("sw.js", "application/javascript; charset=utf-8", "no-cache"),
        ("apercu/jeton/index.html", "text/html; charset=utf-8", "private, no-store"),
        ("fichiers/rapport.pdf", "application/octet-stream", "public, max-age=3600"),
    ],
)
def test_each_kind_of_file_gets_its_type_and_cache(path, kind, cache):
    assert (bucket.content_type(path), bucket.cache_control(path)) == (kind, cache)


def test_the_types_are_those_of_the_nginx_configuration():
    types = re.search(r"types \{(.*?)\}", NGINX, re.S).group(1)
    for line in types.splitlines():
        words = line.split("#")[0].replace(";", "").split()
        for extension in words[1:]:
            assert bucket.content_type(f"x.{extension}").split(";")[0] == words[0], extension


def test_what_a_page_links_to_goes_up_before_it():
    files = {
        "pagefind/2024/index/fr_ff12a56.pf_index": "fichier généré par le site",
        "theme/css/site.css": "thème du site",
        "calendrier/evenements/2024/10/communique.ics": "fichier généré par le site",
        "2024/10/communique/index.html": "articles/2024/communique.md",
        "lite/2024/10/communique/index.html": "fichier généré par le site",
        "institutions/cmss/index.html": "page générée par le site",
        "lite/institutions/cmss/index.html": "fichier généré par le site",
        "index.html": "page générée par le site",
        "lite/index.html": "fichier généré par le site",
        "feeds/tout.atom.xml": "flux généré par le site",
        "calendrier/institutions/cmss.ics": "fichier généré par le site",
        "sitemap.xml": "fichier généré par le site",
        "sw.js": "fichier généré par le site",
    }
    rank = bucket.upload_ranks(files, DEFAULTS)
    assert [rank(path) for path in files] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4]
