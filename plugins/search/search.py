"""Search: indexes the article bodies of the built site with Pagefind, so that
the search page (``search.html``) can search them without a server.

Signals: ``generator_init`` adds the ``search_filters`` Jinja filter (the
institution and year filters of an article); ``finalized`` runs Pagefind once
on the output folder. Only elements marked ``data-pagefind-body`` (the article
body) are indexed, so listing pages stay out of the results. A Pagefind
failure is logged as an error, which fails the build.
"""

import logging
import re
import subprocess
import sys
import time

from pelican import signals

__all__ = ["register", "search_filters"]

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_OUTPUT_SUBDIR": "pagefind",
    "SEARCH_LANGUAGE": "fr",
}


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


def index_site(pelican):
    """Run Pagefind on the output folder; a failure becomes a French error message."""
    if not get_setting(pelican.settings, "SEARCH_INDEX"):
        return
    started = time.perf_counter()
    try:
        result = subprocess.run(pagefind_command(pelican.output_path, pelican.settings),
                                capture_output=True, text=True, check=False)
    except OSError as error:
        log.error("Recherche : Pagefind n'a pas pu être lancé (%s) — installez les dépendances "
                  "avec `make build` (paquet pagefind[bin])", error)
        return
    if result.returncode != 0:
        log.error("Recherche : l'indexation Pagefind a échoué (code %s) : %s — vérifiez que le "
                  "paquet pagefind[bin] est installé", result.returncode,
                  (result.stderr or result.stdout).strip())
        return
    log.info("Recherche : index Pagefind écrit en %.1f s", time.perf_counter() - started)


def register():
    signals.generator_init.connect(add_template_helpers)
    signals.finalized.connect(index_site)
