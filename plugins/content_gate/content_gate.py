"""Content gate: every article builds or the build says why, and drafts and
embargoed articles never reach the output (except in a preview build).

Signals: ``readers_init`` makes the readers accept French dates and read a
Summary as plain text, and ignores a reader cache made by other code, settings
or registry (``pressroom.build.cache``: ``initialized`` notes what makes this build's
cache, ``finalized`` records it); ``content_object_init`` sanitizes every body
(``pressroom.content.body``, the second wall); ``article_generator_init`` runs every
check of ``pressroom.build.lint`` on the sources (articles and pages; and refuses any
symbolic link under the content folder) and fails the build with all problems of
published articles at once (a draft with problems is reported as a warning and
left out); ``article_generator_pretaxonomy`` shows drafts and embargoed articles
in a preview build (PREVIEW = True), marked « Brouillon » / « Sous embargo … »;
the pipeline's ``addresses`` stage fails the build when two outputs would take
one address (``pressroom.content.addresses``' table: contents, redirects, static files
and the site's own pages, the one `invoke lint` checks), then keeps each one's
URL. What happens to a release once published (corrections, withdrawal) is the
``release`` plugin's; the feeds' titles, the ``feeds`` plugin's.

Contract with the other plugins: drafts and embargoed articles (a future date
with WITH_FUTURE_DATES = False) are only in ``generator.drafts``; whatever is
published (pages, listings, feeds, calendar, search) reads ``generator.articles``.
"""

import datetime
import logging
import os

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import StaticGenerator
from pelican.utils import order_content

from pressroom.build import cache, engine, lint, pipeline
from pressroom.content import addresses, body, frdates, schema
from pressroom.content.problems import ContentError
from pressroom.settings import setting

__all__ = ["register", "preview_notice"]

logger = logging.getLogger(__name__)


def prepare_readers(readers):
    cache.ignore_stale_cache(readers.settings)
    lint.use_french_metadata(readers)


def note_cache_stamp(pelican):
    cache.note_stamp(pelican.settings)


def record_cache_stamp(pelican):
    cache.record_stamp(pelican.settings)


def check_sources(generator):
    """Fail before Pelican reads anything; on success, collisions are checked later on Pelican's own objects."""
    bodies = cache.CheckedBodies.load(generator.settings)
    report = lint.check_sources(generator.settings, generator.readers, bodies=bodies)
    bodies.save()
    if report.problems:
        raise ContentError(report.problems + lint.check_collisions(generator.settings, generator.readers, report))
    for problem in ContentError(report.draft_problems).problems:
        logger.warning("Brouillon laissé de côté : %s", problem)
    leave_out(generator, report.broken_drafts)


def leave_out(generator, relative_paths):
    """Drafts with problems are not read at all: they would not be published anyway."""
    if not relative_paths:
        return
    find_files = generator.get_files

    def get_files(*args, **kwargs):
        return {path for path in find_files(*args, **kwargs) if path not in relative_paths}

    generator.get_files = get_files


def preview_notice(article, now=None):
    """« Brouillon » or « Sous embargo jusqu'au mardi 8 octobre 2024 à 10 h 30 »."""
    if schema.fields_of(article).status == "draft":
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
    if not setting(generator.settings, "PREVIEW"):
        return
    for article in generator.drafts + generator.drafts_translations:
        article.preview_notice = preview_notice(article) or "Brouillon"
        article.status = "published"  # written with ARTICLE_SAVE_AS, not DRAFT_SAVE_AS
    generator.articles = order_content(generator.articles + generator.drafts, generator.settings["ARTICLE_ORDER_BY"])
    generator.translations += generator.drafts_translations
    generator.drafts, generator.drafts_translations = [], []


def sanitize_body(content):
    """The second wall: whatever a reader made of a text, only the allow-list of pressroom.content.body
    reaches the pages and feeds (the check refused the rest already, so nothing is lost)."""
    if isinstance(content, (Article, Page)) and engine.body_html(content):
        engine.replace_body_html(content, body.sanitize(engine.body_html(content)))


def check_addresses(generators):
    """Before any file is written: no two contents, redirects, static files or generated pages at one
    address (pressroom.content.addresses' table, the one `invoke lint` checks)."""
    settings = generators[0].settings
    contents = pipeline.contents(generators, drafts=False)
    published = [a for a in pipeline.listed_articles(generators) + translations(generators) if a.status == "published"]
    problems = addresses.check_table(settings, contents, published, static_outputs(generators))
    if problems:
        raise ContentError(problems)
    keep_urls(contents)


def translations(generators):
    return [article for generator in generators if hasattr(generator, "articles") for article in generator.translations]


def static_outputs(generators):
    """{source path: output path} of the files Pelican would copy as they are (``{static}`` links included)."""
    return {
        os.path.join(generator.path, static.source_path): static.save_as
        for generator in generators
        if isinstance(generator, StaticGenerator)
        for static in generator.context.get("staticfiles", [])
    }


def keep_urls(contents):
    """Pelican formats an article's URL anew at each use (dozens per article: listings, feeds,
    calendars); its addresses are final now, so each keeps the one just checked, through
    Pelican's own URL override. Not save_as: an override there would let the file overwrite others."""
    for content in contents:
        content.override_url = content.url


def register():
    signals.initialized.connect(note_cache_stamp)
    signals.readers_init.connect(prepare_readers)
    signals.content_object_init.connect(sanitize_body)
    signals.finalized.connect(record_cache_stamp)
    signals.article_generator_init.connect(check_sources)
    signals.article_generator_pretaxonomy.connect(show_drafts_in_preview)
    pipeline.connect("addresses", check_addresses)
