"""Redirects: a published address never breaks. At every address of the list of
published addresses (``pressroom.content.addresses``, ``content/adresses-publiees.txt``)
that its article no longer has (new slug, new date), and at every address an
article names in ``Redirect-From``, a small page sends readers on to the
article's current address (meta refresh, canonical link, visible link). The
sitemap, built from the articles, lists only the current address.

The list, with the addresses of this build's published articles added, is
written to the output; ``invoke publish`` brings it back into ``content/``.

Signal: ``article_writer_finalized``, once the article pages are written.
"""

import logging

from pelican import signals

from pressroom.build.output import write_output
from pressroom.content import addresses
from pressroom.settings import setting

__all__ = ["register"]

log = logging.getLogger(__name__)


def published_articles(generator):
    return [
        article
        for article in list(generator.articles) + list(generator.translations)
        if article.status == "published"  # a preview also lists drafts: never recorded
    ]


def write_redirects(generator, writer):
    settings = generator.settings
    articles = published_articles(generator)
    known = addresses.canonical_entries(settings)
    template = generator.get_template(setting(settings, "REDIRECT_TEMPLATE"))
    # The content gate checked these addresses against every other one (pressroom.content.addresses' table).
    for url, article in sorted(addresses.redirects(settings, articles).items()):
        writer.write_file(
            addresses.save_as(url),
            template,
            generator.context,
            settings["RELATIVE_URLS"],
            url=url,
            target=article,
        )
    root = settings["PATH"]
    current = [addresses.Entry(addresses.normalize_url(a.url), addresses.source_key(a, root)) for a in articles]
    listing = addresses.format_entries(addresses.merged(known, sorted(current, key=lambda e: e.url)))
    write_output(settings["OUTPUT_PATH"], addresses.list_name(settings), listing)


def register():
    signals.article_writer_finalized.connect(write_redirects)
