"""Search: indexes the article bodies of the built site with Pagefind, so that
the search page (``search.html``) can search them without a server.

Signals: ``generator_init`` adds the ``search_filters`` Jinja filter (the
institution and year filters of an article); ``article_writer_finalized`` starts
Pagefind once on the output folder (the article pages are written by then)
and ``finalized`` waits for it. Only elements marked ``data-pagefind-body`` (the article
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


# The running Pagefind process of this build, kept in the build's own settings
# (the one object that both signals receive), never in a module global.
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


def start_indexing(generator, writer):
    """Start Pagefind as soon as the article pages are written: it then runs on the second
    core while Pelican writes the remaining pages. ``finalized`` waits for it."""
    settings = generator.settings
    if not get_setting(settings, "SEARCH_INDEX"):
        return
    try:
        settings[RUNNING] = subprocess.Popen(
            pagefind_command(settings["OUTPUT_PATH"], settings),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as error:
        log.error("Recherche : Pagefind n'a pas pu être lancé (%s) — installez les dépendances "
                  "avec `make build` (paquet pagefind[bin])", error)


def finish_indexing(pelican):
    """Wait for Pagefind; a failure becomes a French error message, which fails the build."""
    indexing = pelican.settings.pop(RUNNING, None)
    if indexing is None:
        return
    output, _ = indexing.communicate()
    if indexing.returncode != 0:
        log.error("Recherche : l'indexation Pagefind a échoué (code %s) : %s — vérifiez que le "
                  "paquet pagefind[bin] est installé", indexing.returncode, output.strip())


def register():
    signals.generator_init.connect(add_template_helpers)
    signals.article_writer_finalized.connect(start_indexing)
    signals.finalized.connect(finish_indexing)
