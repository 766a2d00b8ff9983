"""Search: indexes the article bodies of the built site with Pagefind, so that
the search page (``search.html``) can search them without a server.

Signals: ``generator_init`` adds the ``search_filters`` Jinja filter (the
institution and year filters of an article); ``article_generator_finalized``
counts the article pages to be written, ``content_written`` starts Pagefind
once on the output folder when the last one is written, and ``finalized``
waits for it. Only elements marked ``data-pagefind-body`` (the article
body) are indexed, so listing pages stay out of the results. A Pagefind
failure is logged as an error, which fails the build.
"""

import logging
import re
import subprocess
import sys

from pelican import signals

__all__ = ["register", "search_filters"]

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_OUTPUT_SUBDIR": "pagefind",
    "SEARCH_LANGUAGE": "fr",
}


# The Indexing of this build, kept in the build's own settings (the object that
# the generators, the articles and the Pelican instance all share), never in a
# module global.
RUNNING = "_SEARCH_INDEXING_PROCESS"


def get_setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def search_filters(article):
    """Pagefind filters of an article as ``key:value`` strings, one per element since Pagefind
    reads one filter per attribute: an ``Institution`` per institution, and the ``Année``.
    The search page shows these keys to readers, hence French."""
    filters = [f"Institution:{institution.acronym}" for institution in getattr(article, "institutions", [])]
    filters.append(f"Année:{article.date:%Y}")
    return filters


def add_template_helpers(generator):
    """The filter, and the bundle folder that search.html loads Pagefind from."""
    generator.env.filters["search_filters"] = search_filters
    generator.env.globals["SEARCH_OUTPUT_SUBDIR"] = get_setting(generator.settings, "SEARCH_OUTPUT_SUBDIR")


def article_pages_glob(settings):
    """Only article pages hold indexed bodies: "{date:%Y}/{date:%m}/{slug}/index.html" gives
    "*/*/*/index.html", so Pagefind does not even parse the thousands of listing pages."""
    return re.sub(r"\{[^}]*\}", "*", settings["ARTICLE_SAVE_AS"])


def pagefind_command(output_path, settings):
    return [sys.executable, "-m", "pagefind", "--site", str(output_path),
            "--output-subdir", get_setting(settings, "SEARCH_OUTPUT_SUBDIR"),
            "--glob", article_pages_glob(settings),
            "--force-language", get_setting(settings, "SEARCH_LANGUAGE"), "--quiet"]


class Indexing:
    """Pagefind for one build. It starts as soon as the last article page is written
    and runs on the second core while Pelican renders the listing, institution and
    agenda pages; ``finalized`` waits for it."""

    def __init__(self, settings, article_pages):
        self.settings, self.remaining, self.process = settings, article_pages, None

    def page_written(self):
        self.remaining -= 1
        if self.remaining == 0:
            self.start()

    def start(self):
        if self.process is not None:
            return
        try:
            self.process = subprocess.Popen(pagefind_command(self.settings["OUTPUT_PATH"], self.settings),
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            log.error("Recherche : Pagefind n'a pas pu être lancé (%s) — installez les dépendances "
                      "avec `make build` (paquet pagefind[bin])", error)

    def finish(self):
        """Wait for Pagefind; a failure becomes a French error message, which fails the build."""
        self.start()  # not started yet when no article page was written (WRITE_SELECTED)
        if self.process is None:
            return
        output, _ = self.process.communicate()
        if self.process.returncode != 0:
            log.error("Recherche : l'indexation Pagefind a échoué (code %s) : %s — vérifiez que le "
                      "paquet pagefind[bin] est installé", self.process.returncode, output.strip())


def prepare_indexing(generator):
    """Count the article pages Pelican is about to write (as in ``generate_articles``)."""
    settings = generator.settings
    if get_setting(settings, "SEARCH_INDEX"):
        settings[RUNNING] = Indexing(settings, len(generator.articles) + len(generator.translations)
                                     + len(generator.hidden_articles) + len(generator.hidden_translations))


def count_article_page(path, context):
    article = context.get("article")
    indexing = article.settings.get(RUNNING) if article is not None else None
    if indexing is not None:
        indexing.page_written()


def finish_indexing(pelican):
    indexing = pelican.settings.pop(RUNNING, None)
    if indexing is not None:
        indexing.finish()


def register():
    signals.generator_init.connect(add_template_helpers)
    signals.article_generator_finalized.connect(prepare_indexing)
    signals.content_written.connect(count_article_page)
    signals.finalized.connect(finish_indexing)
