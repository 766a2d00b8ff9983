"""Content gate: every article builds or the build says why, and drafts and
embargoed articles never reach the output (except in a preview build).

Signals: ``readers_init`` makes the readers accept French dates and read a
Summary as plain text; ``article_generator_init`` runs every check of
``pressroom.lint`` on the sources and fails the build with all problems at
once; ``article_generator_pretaxonomy`` shows drafts and embargoed articles in
a preview build (PREVIEW = True), marked « Brouillon » / « Sous embargo … »;
``all_generators_finalized`` fails the build when two contents would be
written to the same file, then keeps each one's URL; ``get_writer`` writes
feed titles as the text they are.

Contract with the other plugins: drafts and embargoed articles (a future date
with WITH_FUTURE_DATES = False) are only in ``generator.drafts``; whatever is
published (pages, listings, feeds, calendar, search) reads ``generator.articles``.
"""

import datetime

from markupsafe import Markup
from pelican import signals
from pelican.utils import order_content
from pelican.writers import Writer

from pressroom import frdates, lint
from pressroom.problems import ContentError

__all__ = ["register", "preview_notice"]

DEFAULTS = {"PREVIEW": False}
PUBLISHED_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "pages", "hidden_pages")


def get_setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def use_french_metadata(readers):
    lint.use_french_metadata(readers)


def check_sources(generator):
    """Fail before Pelican reads anything; on success, collisions are checked later on Pelican's own objects."""
    problems = lint.check_sources(generator.settings, generator.readers)
    if problems:
        raise ContentError(problems + lint.check_collisions(generator.settings, generator.readers, problems))


def preview_notice(article, now=None):
    """« Brouillon » or « Sous embargo jusqu'au mardi 8 octobre 2024 à 10 h 30 »."""
    if str(article.metadata.get("status", "")).lower() == "draft":
        return "Brouillon"
    now = now or datetime.datetime.now(datetime.UTC)
    if article.date <= now:
        return ""
    when = frdates.long_date(article.date)
    if article.date.time() != datetime.time():
        when += f" à {article.date:%H} h {article.date:%M}"
    return f"Sous embargo jusqu'au {when}"


def show_drafts_in_preview(generator):
    """PREVIEW only: drafts and embargoed articles are listed and written, each with its notice."""
    if not get_setting(generator.settings, "PREVIEW"):
        return
    for article in generator.drafts + generator.drafts_translations:
        article.preview_notice = preview_notice(article) or "Brouillon"
        article.status = "published"  # written with ARTICLE_SAVE_AS, not DRAFT_SAVE_AS
    generator.articles = order_content(generator.articles + generator.drafts, generator.settings["ARTICLE_ORDER_BY"])
    generator.translations += generator.drafts_translations
    generator.drafts, generator.drafts_translations = [], []


def check_collisions(generators):
    contents = [
        content for generator in generators for name in PUBLISHED_LISTS for content in getattr(generator, name, [])
    ]
    problems = lint.find_collisions(contents, generators[0].settings["PATH"])
    if problems:
        raise ContentError(problems)
    keep_urls(contents)


def keep_urls(contents):
    """Pelican formats an article's URL anew at each use (dozens per article: listings, feeds,
    calendars); its addresses are final now, so each keeps the one just checked, through
    Pelican's own URL override. Not save_as: an override there would let the file overwrite others."""
    for content in contents:
        content.override_url = content.url


# Markup.striptags() joins words with plain spaces, then unescapes: no-break
# spaces written as character references survive it.
NO_BREAK_SPACES = str.maketrans({"\u202f": "&#8239;", "\u00a0": "&#160;"})


class _TextTitle:
    """An article seen by the feed writer: its title is text, escaped before Pelican strips
    tags, with the no-break spaces of French typography kept."""

    def __init__(self, item):
        self._item = item
        escaped = Markup.escape(item.title)  # a Markup title (already HTML) is kept as it is
        self.title = Markup(str(escaped).translate(NO_BREAK_SPACES))

    def __getattr__(self, name):
        return getattr(self._item, name)


class TextTitleWriter(Writer):
    """Pelican strips tags from feed titles, so « <script> » written in a title would vanish."""

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, _TextTitle(item))


def get_writer(pelican):
    return TextTitleWriter


def register():
    signals.readers_init.connect(use_french_metadata)
    signals.article_generator_init.connect(check_sources)
    signals.article_generator_pretaxonomy.connect(show_drafts_in_preview)
    signals.all_generators_finalized.connect(check_collisions)
    signals.get_writer.connect(get_writer)
