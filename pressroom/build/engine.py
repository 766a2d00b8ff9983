"""Every use of Pelican's private API, in one place (the engine under the build and the preview).

Pelican's public face (settings, signals, generators, ``Pelican.run``) is used everywhere; what
it keeps private (a name with a leading underscore, a method copied rather than called) is used
here only, through small functions with plain names. A Pelican upgrade is checked here first:
``PRIVATE_API`` names each one and why (docs/architecture.md shows the same table, a test
compares them), and ``version_problem`` says in French when the installed Pelican is not the
series this module was written for.

A different Pelican is a warning, not a refusal: requirements.txt pins the version, so it only
happens on a machine installed by hand; each use below fails loudly (a missing attribute), and the
site tests run every one of them, so a break shows at the first build rather than in the output.
"""

import calendar
import contextlib
import functools
import itertools
import logging
from collections import defaultdict
from operator import attrgetter

import pelican
import pelican.generators
from pelican import signals, utils
from pelican.generators import ArticlesGenerator
from pelican.plugins._utils import load_plugins as _load_plugins
from pelican.readers import _filter_discardable_metadata
from pelican.utils import order_content
from pelican.writers import Writer as _PelicanWriter

from pressroom.build import parts

PELICAN_SERIES = "4.12"  # the Pelican this module was written for (any 4.12.x)

# name -> (who uses it, why); docs/architecture.md lists the same names (tests/site/test_architecture.py).
PRIVATE_API = {
    "pelican.readers._filter_discardable_metadata": (
        "plugins/parallel_read",
        "a worker's read stored in the reader cache exactly as Pelican stores it",
    ),
    "pelican.plugins._utils.load_plugins": ("pressroom/tools/bench.py", "the benchmark loads the site's plugins"),
    "Content._content": (
        "plugins/content_gate, plugins/media",
        "the body as the reader made it, sanitized and rewritten before any page shows it",
    ),
    "Pelican._get_generator_classes": ("pressroom/preview", "the preview keeps the same generators as a build"),
    "Pelican._get_writer": ("pressroom/preview", "the preview's writer derives from the writer the plugins ask for"),
    "Generator._update_context": (
        "pressroom/preview, pressroom/build/pipeline.py",
        "the re-listed articles put back into the shared context; a build's listings put back as ones that "
        "find their members by identity",
    ),
    "ArticlesGenerator._build_period_archives": (
        "pressroom/preview, pressroom/build/pipeline.py",
        "its behaviour copied (year archives after a save, each period's articles found by identity), "
        "and replaced on each build's generator",
    ),
    "ArticlesGenerator.generate_context (its end, copied)": (
        "pressroom/preview",
        "the listings made again after a save without reading every article again",
    ),
    "pelican.generators.process_translations (replaced in its module)": (
        "pressroom/build/pipeline.py",
        "Pelican's own pairing of translations, run on each group of contents that share a slug "
        "rather than on the whole archive",
    ),
    "Pelican.run (copied)": ("pressroom/preview", "a preview build that does not empty the output folder first"),
    "Writer._open_w": ("pressroom/preview", "the preview records a page instead of writing it, then writes it later"),
    "Writer._written_files": ("pressroom/preview", "forgotten between two saves: the same page is written again"),
    "Writer._overridden_files": ("pressroom/preview", "forgotten between two saves, as ``_written_files``"),
    "Writer._create_new_feed": ("plugins/feeds", "feed titles as text, and the feed's language"),
    "Writer._add_item_to_the_feed": ("plugins/feeds", "feed titles as text (Pelican strips tags from them)"),
}

log = logging.getLogger(__name__)


def version_problem(version=None):
    """One French line when the installed Pelican is not of the series this engine was written for."""
    version = version or pelican.__version__
    if version == PELICAN_SERIES or version.startswith(f"{PELICAN_SERIES}."):
        return None
    return (
        f"Pelican {version} est installé, ce site a été écrit pour Pelican {PELICAN_SERIES}.x : "
        "vérifiez les API internes listées dans docs/architecture.md (pip install -r requirements.txt)"
    )


@functools.cache
def warn_if_other_version():
    """Said once per process, at the start of a build or a preview."""
    problem = version_problem()
    if problem:
        log.warning(problem)


# --- Readers and contents -----------------------------------------------------------------


def cacheable_read(content, metadata):
    """What Pelican's reader cache stores for a read: the metadata without what it discards."""
    return content, _filter_discardable_metadata(metadata)


def body_html(content):
    """The body of a content as its reader made it (before Pelican's link replacement)."""
    return content._content


def replace_body_html(content, html):
    content._content = html


def load_plugins(settings):
    return _load_plugins(settings)


# --- The writer -----------------------------------------------------------------------------


class Writer(_PelicanWriter):
    """Pelican's writer with public hooks in place of its private methods: ``open_page``
    (where a page or a feed is written), ``forget_written`` (a new pass may write the same
    files again), ``new_feed`` and ``feed_item`` (a feed and each of its entries)."""

    def open_page(self, filename, encoding, override=False):
        return super()._open_w(filename, encoding, override)

    def _open_w(self, filename, encoding, override=False):
        return self.open_page(filename, encoding, override)

    def write_file(self, name, template, context, *args, **kwargs):
        """A page, unless this build is a part of the site that does not own it (``parts``)."""
        if parts.skips_page(self.settings, context, name, kwargs.get("article")):
            return None
        return super().write_file(name, template, context, *args, **kwargs)

    def write_feed(self, *args, **kwargs):
        """A feed, unless this build is a years part (the feeds are common)."""
        if not parts.of(self.settings).common:
            return None
        return super().write_feed(*args, **kwargs)

    def forget_written(self):
        self._written_files.clear()
        self._overridden_files.clear()

    def new_feed(self, feed_type, feed_title, context):
        return super()._create_new_feed(feed_type, feed_title, context)

    def _create_new_feed(self, feed_type, feed_title, context):
        return self.new_feed(feed_type, feed_title, context)

    def feed_item(self, feed, item):
        super()._add_item_to_the_feed(feed, item)

    def _add_item_to_the_feed(self, feed, item):
        self.feed_item(feed, item)


def writer_class(pelican_object):
    """The writer class that the plugins ask for (``get_writer``), as ``Pelican.run`` gets it,
    with this module's public hooks."""
    base = type(pelican_object._get_writer())
    return base if issubclass(base, Writer) else type(f"Engine{base.__name__}", (Writer, base), {})


# --- A build kept in memory (the preview) ---------------------------------------------------


def new_context(settings):
    """The context that ``Pelican.run`` shares among the generators and contents."""
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"])
    return context


def make_generators(pelican_object, context):
    """The generators of a build, as ``Pelican.run`` makes them."""
    return [
        cls(
            context=context,
            settings=pelican_object.settings,
            path=pelican_object.path,
            theme=pelican_object.theme,
            output_path=pelican_object.output_path,
        )
        for cls in pelican_object._get_generator_classes()
    ]


def run_generators(pelican_object, generators, writer, before_output=lambda: None):
    """``Pelican.run`` step by step, on the given generators and writer, without emptying the
    output folder first; ``before_output`` is called once the contexts are made."""
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
        if hasattr(generator, "check_disabled_readers"):
            generator.check_disabled_readers()
    signals.all_generators_finalized.send(generators)
    for generator in generators:
        if hasattr(generator, "refresh_metadata_intersite_links"):
            generator.refresh_metadata_intersite_links()
    before_output()
    for generator in generators:
        if hasattr(generator, "generate_output"):
            generator.generate_output(writer)
    signals.finalized.send(pelican_object)


TAXONOMY_KEYS = ("articles", "drafts", "hidden_articles", "dates", "tags", "categories", "authors", "related_posts")


def list_articles(generator, context):
    """What ``ArticlesGenerator.generate_context`` does once the articles are read, with lists
    that find their members at once (Pelican looks every article up in each listing)."""
    settings = generator.settings
    generator.articles = order_content(generator.articles, settings["ARTICLE_ORDER_BY"])
    generator.hidden_articles = order_content(generator.hidden_articles, settings["ARTICLE_ORDER_BY"])
    signals.article_generator_pretaxonomy.send(generator)
    articles = generator.articles
    categories = group_by(articles, lambda a: [a.category] if hasattr(a, "category") else [])
    generator.tags = group_by(articles, lambda a: getattr(a, "tags", []))
    authors = group_by(articles, lambda a: getattr(a, "authors", []))
    generator.dates = sorted(generator.articles, key=attrgetter("date"), reverse=context["NEWEST_FIRST_ARCHIVES"])
    generator.period_archives = period_archives(generator.dates, generator.articles, settings)
    generator.categories = sorted(categories.items(), reverse=settings["REVERSE_CATEGORY_ORDER"])
    generator.authors = sorted(authors.items())
    generator._update_context(TAXONOMY_KEYS)
    context["period_archives"] = generator.period_archives


class Listing(list):
    """A listing's articles, that knows its members by identity at once (Pelican's contents are
    equal only to themselves, so this is what ``in`` means for a plain list, without the search)."""

    def __init__(self, articles):
        super().__init__(articles)
        self.members = set(map(id, self))

    def __contains__(self, article):
        if len(self.members) != len(self):  # appended to since: learn its members again
            self.members = set(map(id, self))
        return id(article) in self.members


def archives_by_identity(generator):
    """At ``article_generator_init``: this generator makes its year, month and day archives with
    ``period_archives`` rather than Pelican's own, which looks every article up in each period's
    list (quadratic: minutes at 100,000 articles). An attribute of this generator only."""
    generator._build_period_archives = period_archives


def translations_by_group(content_list, translation_id=None):
    """Pelican's ``process_translations``, run on each group of contents that share
    ``translation_id`` (the slug): the same originals, translations and ``translations`` of each
    content, in the same order. Run on the whole archive, Pelican's looks every content up in the
    list of all the originals (quadratic: a tenth of a build at 100,000 articles)."""
    if not translation_id:
        return content_list, []
    key = attrgetter(*({translation_id} if isinstance(translation_id, str) else translation_id))
    content_list.sort(key=key)
    index, translations = [], []
    for _, group in itertools.groupby(content_list, key):
        originals, others = utils.process_translations(list(group), translation_id)
        index += originals
        translations += others
    return index, translations


def translations_paired_by_group(generator):
    """At ``article_generator_init``: Pelican's generators pair translations group by group (a
    name of Pelican's generators module, the same function for every build of this process)."""
    pelican.generators.process_translations = translations_by_group


def listings_by_identity(generator):
    """At ``article_generator_finalized``: the tags', categories' and authors' articles as Listings.
    Pelican's ``generate_tags`` (and categories, authors) looks every article of the archive up in
    each of them: with plain lists, a search of the list each time (minutes at 100,000 articles)."""
    tags = defaultdict(list)
    tags.update((tag, Listing(articles)) for tag, articles in generator.tags.items())
    generator.tags = tags
    generator.categories = [(category, Listing(articles)) for category, articles in generator.categories]
    generator.authors = [(author, Listing(articles)) for author, articles in generator.authors]
    generator._update_context(("tags", "categories", "authors"))


def group_by(articles, wrappers_of):
    """{tag (or category, author): its articles}, grouped as Pelican's dict keyed by the
    wrappers groups them (equal by slug, the first one met kept), by slug directly."""
    first, listed = {}, {}
    for article in articles:
        for wrapper in wrappers_of(article):
            slug = wrapper.slug
            if slug not in listed:
                first[slug], listed[slug] = wrapper, []
            listed[slug].append(article)
    return {first[slug]: Listing(items) for slug, items in listed.items()}


PERIODS = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
    "day": attrgetter("date.year", "date.month", "date.day"),
}


def period_archives(dates, articles, settings):
    """What ``ArticlesGenerator._build_period_archives`` makes, each period's articles found by
    identity rather than by a search of the period's list for every article."""
    archives = defaultdict(list)
    for granularity, period_of in PERIODS.items():
        save_as = settings[f"{granularity.upper()}_ARCHIVE_SAVE_AS"]
        url = settings[f"{granularity.upper()}_ARCHIVE_URL"]
        if not save_as:
            continue
        for period, group in itertools.groupby(dates, key=period_of):
            in_period = list(group)
            members = {id(article) for article in in_period}
            first = in_period[0].date
            named = (period,) if granularity == "year" else (period[0], calendar.month_name[period[1]], *period[2:])
            archives[granularity].append(
                {
                    "dates": in_period,
                    "articles": [article for article in articles if id(article) in members],
                    "save_as": save_as.format(date=first),
                    "url": url.format(date=first),
                    "period": named,
                    "period_num": (period,) if granularity == "year" else tuple(period),
                }
            )
    return archives


class _Only:
    """An articles generator that holds only some articles and the tags, categories and authors
    they belong to, for the methods that write their pages."""

    def __init__(self, generator, articles, tags, categories, authors):
        self.whole = generator
        self.translations = self.hidden_translations = []
        self.articles = [article for article in articles if article.status == "published"]
        self.hidden_articles = [article for article in articles if article.status == "hidden"]
        self.tags = {tag: listed for tag, listed in generator.tags.items() if tag in tags}
        self.categories = [(category, listed) for category, listed in generator.categories if category in categories]
        self.authors = [(author, listed) for author, listed in generator.authors if author in authors]

    def __getattr__(self, name):
        return getattr(self.whole, name)


ONLY_WRITES = ("generate_articles", "generate_tags", "generate_categories", "generate_authors")


@contextlib.contextmanager
def only_pages_of(generator, articles, tags, categories, authors):
    """While it lasts, the articles generator writes the pages of these articles, tags, categories
    and authors only: the page of an article depends on nothing but itself, a tag's pages on its
    articles (and, for all, on what changes only with a full rebuild)."""
    view = _Only(generator, articles, tags, categories, authors)
    for name in ONLY_WRITES:
        setattr(generator, name, functools.partial(getattr(ArticlesGenerator, name), view))
    try:
        yield
    finally:
        for name in ONLY_WRITES:
            delattr(generator, name)
