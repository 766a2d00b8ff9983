"""Search: indexes the published articles with Pagefind, so that the search
page (``search.html``) can search them without a server.

Each article page written gets a search record (``search_record.html``: its
title, its body and its institution and year filters) at the same path in a
staging folder, and Pagefind indexes that folder into the site's ``pagefind``
folder. The records are written as soon as the articles are known, so
Pagefind runs on the second core while Pelican writes the pages; listing
pages never reach the index.

Signals: ``generator_init`` adds the ``search_filters`` Jinja filter;
the pipeline's ``index`` stage, the last one, writes the records and starts
Pagefind;
``finalized`` waits for it and removes the staging folder. A Pagefind
failure is logged as an error, which fails the build. The preview server
(``SEARCH_AFTER_PAGES``) skips the stage and sends ``pipeline.index_requested``
once its pages are written, then waits for the Indexing in the background.
"""

import contextlib
import logging
import multiprocessing
import os
import subprocess
import sys
import tempfile

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from pressroom.build import output, pipeline, processes
from pressroom.settings import setting

__all__ = ["register", "search_filters"]

log = logging.getLogger(__name__)

# The Indexing of this build, kept in the build's own settings (the object that
# the generators, the articles and the Pelican instance all share), never in a
# module global.
RUNNING = "_SEARCH_INDEXING"

CANNOT_START = (
    "Recherche : Pagefind n'a pas pu être lancé (%s) — installez les dépendances "
    "avec `make build` (paquet pagefind[bin])"
)
STAGING_PREFIX = "recherche-"
RECORDS_FAILED, CANNOT_EXEC = "fiches: ", "lancement: "  # how the child says what failed


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


def pagefind_command(staging, bundle, settings):
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(staging),
        "--output-path",
        str(bundle),
        "--force-language",
        setting(settings, "SEARCH_LANGUAGE"),
        "--quiet",
    ]


def indexed_articles(generators):
    """The articles published for good: never a draft, a hidden article or a preview's draft."""
    return [article for article in pipeline.articles(generators, drafts=False) if pipeline.is_published(article)]


class Indexing:
    """Pagefind for one build, started by ``start`` and awaited by ``finish``.

    Where processes can be forked, a child process writes the records on the
    second core and then becomes Pagefind (exec), so the build process goes on
    with the pages at once; elsewhere (Windows) the build process writes the
    records itself and starts Pagefind."""

    def __init__(self, settings):
        self.settings = settings
        # The folder's name holds this process's id: a build killed by SIGKILL leaves its folder,
        # which the next build removes.
        processes.remove_orphaned_folders(tempfile.gettempdir(), STAGING_PREFIX)
        self.staging = tempfile.TemporaryDirectory(prefix=processes.owned_folder_prefix(STAGING_PREFIX))
        self.process = self.pid = self.output = None

    def command(self):
        bundle = os.path.join(self.settings["OUTPUT_PATH"], setting(self.settings, "SEARCH_OUTPUT_SUBDIR"))
        return pagefind_command(self.staging.name, bundle, self.settings)

    def write_records(self, generator, articles):
        """One record per article page, at the article's own path, rendered as Pelican
        renders the page (same relative URLs), but to the staging folder."""
        settings = self.settings
        writer = Writer(self.staging.name, settings=dict(settings, WRITE_SELECTED=[]))
        template = generator.get_template(setting(settings, "SEARCH_RECORD_TEMPLATE"))
        for article in articles:
            writer.write_file(
                article.save_as,
                template,
                generator.context,
                settings["RELATIVE_URLS"],
                override_output=True,
                article=article,
                url=article.url,
            )

    def start(self, generator, articles):
        if "fork" in multiprocessing.get_all_start_methods():
            self.fork(generator, articles)
            return
        with quiet_writer():
            self.write_records(generator, articles)
        try:
            self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            log.error(CANNOT_START, error)

    def fork(self, generator, articles):
        reading, writing = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: records, then Pagefind in its place; it never returns into the build
            processes.die_with_parent(parent)  # kept across exec: Pagefind dies with the build
            os.close(reading)
            try:
                with quiet_writer():
                    self.write_records(generator, articles)
            except BaseException as error:  # noqa: B036
                os.write(writing, f"{RECORDS_FAILED}{type(error).__name__}: {error}".encode())
                os._exit(1)
            try:
                os.dup2(writing, 1)
                os.dup2(writing, 2)
                command = self.command()
                os.execv(command[0], command)
            except BaseException as error:  # noqa: B036
                os.write(writing, f"{CANNOT_EXEC}{error}".encode())
            os._exit(127)
        os.close(writing)
        self.pid, self.output = pid, os.fdopen(reading, encoding="utf-8", errors="replace")

    def wait(self):
        """Pagefind's exit code and output."""
        if self.pid is not None:
            output = self.output.read()
            self.output.close()
            _, status = os.waitpid(self.pid, 0)
            return os.waitstatus_to_exitcode(status), output
        if self.process is not None:
            output, _ = self.process.communicate()
            return self.process.returncode, output
        return 0, ""

    def finish(self):
        """Wait for Pagefind; a failure becomes a French error message, which fails the build."""
        try:
            code, output = self.wait()
        finally:
            self.staging.cleanup()
        if output.startswith(RECORDS_FAILED):
            log.error(
                "Recherche : les fiches de recherche n'ont pas pu être écrites (%s)",
                output.removeprefix(RECORDS_FAILED),
            )
        elif output.startswith(CANNOT_EXEC):
            log.error(CANNOT_START, output.removeprefix(CANNOT_EXEC))
        elif code != 0:
            log.error(
                "Recherche : l'indexation Pagefind a échoué (code %s) : %s — vérifiez que le "
                "paquet pagefind[bin] est installé",
                code,
                output.strip(),
            )


@contextlib.contextmanager
def quiet_writer():
    """Pelican's writer logs every file it writes; the records are not part of the site."""
    writer_log = logging.getLogger("pelican.writers")
    level = writer_log.level
    writer_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        writer_log.setLevel(level)


def start_indexing(generators):
    for generator in generators:
        if isinstance(generator, ArticlesGenerator) and setting(generator.settings, "SEARCH_AFTER_PAGES"):
            return  # the preview server asks for the index once the pages are written
        if isinstance(generator, ArticlesGenerator) and setting(generator.settings, "SEARCH_INDEX"):
            indexing = generator.settings[RUNNING] = Indexing(generator.settings)
            indexing.start(generator, indexed_articles(generators))


def index_now(generators):
    """The preview's request, once its pages are written: start Pagefind, return the Indexing
    (its ``finish`` waits) or None when search is off."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator) and setting(generator.settings, "SEARCH_INDEX"):
            indexing = Indexing(generator.settings)
            indexing.start(generator, indexed_articles(generators))
            return indexing
    return None


def finish_indexing(pelican):
    indexing = pelican.settings.pop(RUNNING, None)
    if indexing is not None:
        indexing.finish()
        settings = pelican.settings
        output.declare_folder(os.path.join(settings["OUTPUT_PATH"], setting(settings, "SEARCH_OUTPUT_SUBDIR")))


def register():
    signals.generator_init.connect(add_template_helpers)
    pipeline.connect("index", start_indexing)
    signals.finalized.connect(finish_indexing)
    pipeline.index_requested.connect(index_now)
