"""Search: indexes the published articles with Pagefind, one bundle per slice of years
(``pressroom.build.searchindex``), so that the search page (``search.html``) can search them
without a server.

Each published article gets a search record (``search_record.html``: its title, its body and its
institution, type and year filters), rendered as soon as the articles are known; listing pages
never reach the index. A process forked from the build renders the records and indexes the shards
whose records changed while Pelican writes the pages, on the second core.

Signals: ``generator_init`` adds the ``search_filters`` Jinja filter; the pipeline's ``index``
stage, the last one, names the shards for the search page (``search_shards``) and starts the
indexing; ``finalized`` waits for it, puts every shard's bundle in the output and
says how many were indexed and how many taken from the cache. A failure is logged as an error,
which fails the build. The preview server (``SEARCH_AFTER_PAGES``) skips the indexing and sends
``pipeline.index_requested`` once its pages are written, then waits for the Indexing in the
background.
"""

import dataclasses
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os

from pelican import signals
from pelican.generators import ArticlesGenerator

from pressroom.build import parts, pipeline, processes, searchindex
from pressroom.settings import setting

__all__ = ["register", "search_filters"]

log = logging.getLogger(__name__)

# The Indexing of this build, kept in the build's own settings (the object that
# the generators, the articles and the Pelican instance all share), never in a
# module global.
RUNNING = "_SEARCH_INDEXING"


def search_filters(article):
    """Pagefind filters of an article as ``key:value`` strings, one per element since Pagefind
    reads one filter per attribute: an ``Institution`` per institution, the release ``Type`` and the
    ``Année``. The search page shows these keys to readers, hence French."""
    filters = [f"Institution:{institution.acronym}" for institution in article.institutions]
    if getattr(article, "category", None):
        filters.append(f"Type:{article.category}")
    filters.append(f"Année:{article.date:%Y}")
    return filters


def add_template_helpers(generator):
    """The filter, and the bundle folder that search.html loads Pagefind from."""
    generator.env.filters["search_filters"] = search_filters
    generator.env.globals["SEARCH_OUTPUT_SUBDIR"] = setting(generator.settings, "SEARCH_OUTPUT_SUBDIR")


def indexed_articles(generators):
    """The articles published for good: never a draft, a hidden article or a preview's draft."""
    return [article for article in pipeline.articles(generators, drafts=False) if pipeline.is_published(article)]


def shard_of(article, settings):
    return searchindex.shard_name(article.date.year, setting(settings, "SEARCH_SHARD_YEARS"))


def by_shard(articles, settings):
    """{shard name: its articles}."""
    shards = {}
    for article in articles:
        shards.setdefault(shard_of(article, settings), []).append(article)
    return shards


def records_renderer(generator, articles):
    """A shard's name -> the search record of each of its articles (``save_as``, hence its URL -> HTML),
    rendered as Pelican renders the article's page; a failure is an IndexingFailed, in French."""
    shards = by_shard(articles, generator.settings)

    def render(name):
        try:
            template = generator.get_template(setting(generator.settings, "SEARCH_RECORD_TEMPLATE"))
            return {a.save_as: template.render(generator.context, article=a, url=a.url) for a in shards[name]}
        except Exception as error:  # a missing or broken record template
            raise searchindex.IndexingFailed(
                f"les fiches de recherche n'ont pas pu être écrites ({type(error).__name__}: {error})"
            ) from error

    return render


@dataclasses.dataclass
class Running:
    """An Indexing under way in its own process, and the output folder its bundles go to."""

    indexing: searchindex.Indexing
    process: multiprocessing.process.BaseProcess
    answer: multiprocessing.connection.Connection
    folder: str
    announce: bool = True  # the preview server keeps the folder itself, from another thread

    def finish(self):
        """Wait for the indexing, then put the bundles in the output; a failure is a French error."""
        try:
            self.indexing.indexed, self.indexing.failure = self.answer.recv()
        except EOFError:  # the process ended without answering: killed, or out of memory
            self.indexing.failure = "l'indexation s'est arrêtée sans terminer (processus interrompu)"
        finally:
            self.answer.close()
            self.process.join()
        if self.indexing.failure:
            log.error("Recherche : %s", self.indexing.failure)
            return
        self.indexing.install(self.folder, announce=self.announce)
        searchindex.log.info(self.indexing.summary())


def index_in_child(generator, articles, indexing, answer, parent):
    """In the forked process: render each shard's records and index it if they changed, then
    answer (the names indexed, the failure in French or "")."""
    processes.die_with_parent(parent)
    indexing.run(records_renderer(generator, articles))
    answer.send((indexing.indexed, indexing.failure))


def start(generator, articles, announce=True, kept=frozenset()):
    """Index the shards that changed in a process of its own, forked here: it renders the records
    and runs Pagefind while this process writes the pages, on the machine's other core. A process
    rather than a thread: the pages' own worker pools are forked later, and a fork made while a
    thread runs may copy a lock that thread holds."""
    settings = generator.settings
    names = sorted(by_shard(articles, settings))
    cache = searchindex.ShardCache(searchindex.cache_folder(settings))
    indexing = searchindex.Indexing(
        [searchindex.Shard(name) for name in names], cache, setting(settings, "SEARCH_LANGUAGE"), kept=kept
    )
    answer, sent = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(
        target=index_in_child, args=(generator, articles, indexing, sent, os.getpid()), name="recherche", daemon=True
    )
    process.start()
    sent.close()
    folder = os.path.join(settings["OUTPUT_PATH"], setting(settings, "SEARCH_OUTPUT_SUBDIR"))
    return Running(indexing, process, answer, folder, announce)


def articles_generator(generators):
    return next((g for g in generators if isinstance(g, ArticlesGenerator)), None)


def start_indexing(generators):
    generator = articles_generator(generators)
    if generator is None:
        return
    settings = generator.settings
    articles = indexed_articles(generators) if setting(settings, "SEARCH_INDEX") else []
    # The listed ones as well: in a preview's update of some articles, ``articles`` holds only those.
    listed = [a for a in pipeline.listed_articles(generators) if pipeline.is_published(a)] if articles else []
    years = {article.date.year for article in articles + listed}
    generator.context["search_shards"] = searchindex.shard_names(years, setting(settings, "SEARCH_SHARD_YEARS"))
    part = parts.of(settings)  # a part of a split build indexes its own years only
    articles = [article for article in articles if part.owns_year(article.date.year)]
    if articles and not setting(settings, "SEARCH_AFTER_PAGES"):  # else the preview asks once its pages are written
        settings[RUNNING] = start(generator, articles, kept=frozenset(generator.context["search_shards"]))


def index_now(generators):
    """The preview's request, once its pages are written: start the indexing, return it (its
    ``finish`` waits) or None when search is off."""
    generator = articles_generator(generators)
    if generator is None or not setting(generator.settings, "SEARCH_INDEX"):
        return None
    return start(generator, indexed_articles(generators), announce=False)


def finish_indexing(pelican):
    running = pelican.settings.pop(RUNNING, None)
    if running is not None:
        running.finish()


def register():
    signals.generator_init.connect(add_template_helpers)
    pipeline.connect("index", start_indexing)
    signals.finalized.connect(finish_indexing)
    pipeline.index_requested.connect(index_now)
