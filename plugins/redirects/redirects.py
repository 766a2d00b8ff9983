"""Redirects: a published address never breaks. At every address of the list of
published addresses (``pressroom.addresses``, ``content/adresses-publiees.txt``)
that its article no longer has (new slug, new date), and at every address an
article names in ``Redirect-From``, a small page sends readers on to the
article's current address (meta refresh, canonical link, visible link). The
sitemap, built from the articles, lists only the current address.

The list, with the addresses of this build's published articles added, is
written to the output; ``invoke publish`` brings it back into ``content/``.

Signal: ``article_writer_finalized``, once the article pages are written.
"""

import logging
import os

from pelican import signals

from pressroom import addresses
from pressroom.output import write_output
from pressroom.settings import setting

__all__ = ["register"]

log = logging.getLogger(__name__)


def published_articles(generator):
    return [
        article
        for article in list(generator.articles) + list(generator.translations)
        if article.status == "published"  # a preview also lists drafts: never recorded
    ]


def source_key(article, settings):
    return os.path.relpath(article.source_path, settings["PATH"]).replace(os.sep, "/")


def written_addresses(generator):
    """Output files that pages of this build already take: a redirect never replaces one."""
    contents = list(generator.articles) + list(generator.translations) + list(generator.hidden_articles)
    contents += list(generator.context.get("pages", [])) + list(generator.context.get("hidden_pages", []))
    return {os.path.normpath(content.save_as) for content in contents if content.save_as}


def redirects(generator, entries, articles):
    """Old address -> article, for the addresses whose article now lives elsewhere."""
    by_source = {source_key(article, generator.settings): article for article in articles}
    targets = {entry.url: by_source[entry.source] for entry in entries if entry.source in by_source}
    targets.update(addresses.redirect_targets(articles))
    taken = written_addresses(generator)
    return {
        url: article
        for url, article in targets.items()
        if addresses.normalize_url(article.url) != url and os.path.normpath(addresses.save_as(url)) not in taken
    }


def write_redirects(generator, writer):
    settings = generator.settings
    articles = published_articles(generator)
    known = addresses.read_entries(addresses.list_path(settings))
    template = generator.get_template(setting(settings, "REDIRECT_TEMPLATE"))
    for url, article in sorted(redirects(generator, known, articles).items()):
        writer.write_file(
            addresses.save_as(url),
            template,
            generator.context,
            settings["RELATIVE_URLS"],
            url=url,
            target=article,
        )
    current = [addresses.Entry(addresses.normalize_url(a.url), source_key(a, settings)) for a in articles]
    listing = addresses.format_entries(addresses.merged(known, sorted(current, key=lambda e: e.url)))
    # Through the build's writer, so that the preview knows the file and keeps it.
    write_output(settings["OUTPUT_PATH"], addresses.list_name(settings), listing, writer, inputs=listing)


def register():
    signals.article_writer_finalized.connect(write_redirects)
