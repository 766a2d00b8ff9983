"""The preview server (`make serve`, `invoke livereload`): the site kept in
memory, updated in place a second after an officer saves an article.

It builds once (a preview build: drafts and embargoed articles shown, marked),
keeps Pelican's generators and their context, and watches the content folder,
the theme and the settings file. When article sources change it reads only
those (Pelican's readers and their cache), checks each with the content gate
(``pressroom.build.lint``: the file's own header, its tags against the other
articles', its address against theirs), puts the new Article in the
generator's lists, recomputes the listings (tags, categories, authors, year
archives: cheap in memory), runs the enrichment pipeline again, then walks
every generator's output with a writer that renders only what changed.

What changed is found by comparing, for each output file, a fingerprint of
what its template is given (``Fingerprints``): the article objects by
identity (an edited or new article is a new object), the slice of a listing
that a page shows, the values of the plugins' objects (institution pages,
events, month grids). The pages that show a changed article (its own page,
the listing pages where it appears, the home page for a new article) are
written before the update is reported; the other changed outputs (pages of a
listing whose items shifted, feeds, archives, agenda) follow, a few at a time
between two changes. Outputs that no longer exist are removed; the output
folder is never emptied. A change to the settings, the theme, the registry or
any other content (pages, images) rebuilds everything, in place as well.

The search index (Pagefind) has no incremental mode: it is refreshed in the
background once the pages are written (``SEARCH_AFTER_PAGES``), one run at a
time, and ``SEARCH_STATUS_SAVE_AS`` tells the search page when it is under way.

A file with problems is not taken: the page keeps its last good version and
the problems are printed, one French line each, as the build would print them.
"""

import collections
import dataclasses
import fnmatch
import functools
import gc
import http.server
import json
import logging
import os
import queue
import sys
import threading
import time
from operator import attrgetter

import watchfiles
from pelican import Pelican, signals
from pelican.contents import Article, SkipStub
from pelican.generators import ArticlesGenerator, StaticGenerator
from pelican.utils import sanitised_join

from pressroom.build import discovery, engine, lint, output, pipeline, report, site, treelock
from pressroom.content import kinds, schema
from pressroom.content.problems import ContentError, problem_at
from pressroom.content.registry import Registry, normalize
from pressroom.preview.selective import LATER, selective_writer
from pressroom.settings import registry_path, setting

HOST, PORT = "127.0.0.1", 8000
# What the server says (the benchmark waits for these words).
SERVED, ALL_WRITTEN, SEARCH_WHOLE = (
    "Aperçu servi",
    "Aperçu : toutes les pages à jour",
    "Aperçu : index de recherche à jour",
)

# What a preview build changes in the settings: drafts shown, no .gz copies (the preview
# server does not send them), the search index after the pages, nothing deleted up front,
# no lite edition (made from the finished site, it would be redone on every save) and so no
# offline worker keeping preview pages.
PREVIEW_SETTINGS = {
    "PREVIEW": True,
    "GZIP_COPIES": False,
    "LITE_EDITION": False,
    "SEARCH_AFTER_PAGES": True,
    "SEARCH_STATUS_SAVE_AS": "recherche/etat-index.json",
    "DELETE_OUTPUT_DIRECTORY": False,
    "OUTPUT_MANIFEST": "",  # files are replaced one by one, not all written by each build
}
PREVIEW_CACHE = "apercu"  # its own reader cache, beside the build's: each keeps its own

ARTICLE_LISTS = pipeline.ARTICLE_LISTS + pipeline.DRAFT_LISTS
log = logging.getLogger(__name__)


def preview_settings(settings_file="pelicanconf.py", **overrides):
    """The settings of the preview: the project's, with PREVIEW_SETTINGS, and its own reader cache."""
    settings = site.load_settings(settings_file, **{**{k.lower(): v for k, v in PREVIEW_SETTINGS.items()}, **overrides})
    settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], PREVIEW_CACHE)
    return settings


# --- One site in memory -------------------------------------------------------------


class Refused(Exception):
    """A changed file that cannot be taken as it is: its problems, in French."""

    def __init__(self, problems):
        self.problems = ContentError(problems).problems
        super().__init__("\n".join(map(str, self.problems)))


class Site:
    """One full build's Pelican objects, kept to update the site article by article."""

    def __init__(self, settings):
        self.settings = settings
        self.pelican = Pelican(settings)
        self.context = engine.new_context(settings)
        self.generators = engine.make_generators(self.pelican, self.context)
        self.articles_generator = next(g for g in self.generators if isinstance(g, ArticlesGenerator))
        self.writer = selective_writer(self.pelican)
        self.registry = None

    @property
    def output_path(self):
        return os.path.abspath(self.settings["OUTPUT_PATH"])

    def build(self):
        """Pelican.run, step by step, except that the output folder is not emptied first:
        files are replaced, and those the build did not write are removed afterwards."""
        with self.writer.walking():
            engine.run_generators(self.pelican, self.generators, self.writer, lambda: self.writer.start_pass(full=True))
        self.writer.end_pass()
        self.registry = Registry.load(registry_path(self.settings))
        self.remove_others()

    # -- what the output holds

    def kept_paths(self):
        """Outputs written outside the writer: static files, the theme's, the search index."""
        kept = {sanitised_join(self.output_path, static.save_as) for static in self.context.get("staticfiles", [])}
        return {os.path.abspath(path) for path in kept}

    def kept_folders(self):
        folders = [self.settings["THEME_STATIC_DIR"], setting(self.settings, "SEARCH_OUTPUT_SUBDIR")]
        return tuple(os.path.join(self.output_path, folder, "") for folder in folders if folder)

    def status_path(self):
        status = setting(self.settings, "SEARCH_STATUS_SAVE_AS")
        return os.path.join(self.output_path, status) if status else ""

    def remove_others(self):
        """After a full build: remove what an earlier build left that this one did not write."""
        if os.path.commonpath([self.output_path, os.path.abspath(self.settings["PATH"])]) == self.output_path:
            return  # as Pelican: never clean a folder that holds the sources
        keep = self.writer.seen | self.kept_paths() | {self.status_path()}
        folders = self.kept_folders()
        for folder, _, names in os.walk(self.output_path):
            for name in names:
                path = os.path.join(folder, name)
                if path not in keep and not path.startswith(folders):
                    os.remove(path)
        remove_empty_folders(self.output_path)

    # -- articles

    def all_articles(self):
        return [article for name in ARTICLE_LISTS for article in getattr(self.articles_generator, name)]

    def by_source(self):
        return {article.source_path: article for article in self.all_articles()}

    def has_translations(self):
        generator = self.articles_generator
        return any(getattr(generator, name) for name in ("translations", "hidden_translations", "drafts_translations"))

    def is_article_source(self, path):
        return discovery.is_source(self.settings, "ARTICLE", path, self.articles_generator.readers.extensions)

    def read(self, path, old):
        """The new Article of ``path`` (None if it is gone, a skipped file or a draft left out),
        once the gate has passed it; raises Refused otherwise."""
        if not os.path.exists(path):
            return None
        settings, generator = self.settings, self.articles_generator
        header, problems = lint.check_file(settings, generator.readers, path, self.registry, lint.today(settings))
        if header is not None and not problems:
            problems = self.tag_spelling_problems(path, header, old)
        if problems and header is not None and schema.status_of(header) == "draft":
            for problem in ContentError(problems).problems:
                log.warning("Brouillon laissé de côté : %s", problem)
            return None
        if problems:
            raise Refused(problems)
        article = generator.readers.read_file(
            base_path=generator.path,
            path=os.path.relpath(path, generator.path),
            content_class=Article,
            context=generator.context,
            preread_signal=signals.article_generator_preread,
            preread_sender=generator,
            context_signal=signals.article_generator_context,
            context_sender=generator,
        )
        if isinstance(article, SkipStub) or not article.is_valid():
            return None
        self.check_address(article, old)
        return article

    def tag_spelling_problems(self, path, header, old):
        """A tag of ``path`` spelt otherwise (case, accents) in another article, as the gate
        finds it: against the first file, in path order, that uses each spelling."""
        first_use = {}
        for article in sorted(self.all_articles(), key=attrgetter("source_path")):
            if article is not old:
                for tag in getattr(article, "tags", []):
                    first_use.setdefault(tag.name, article.source_path)
        known = {}
        for spelling, source in first_use.items():
            known.setdefault(normalize(spelling), (spelling, source))
        tags = header.first("tags")
        problems = []
        for tag in kinds.split_list(tags.value if tags else ""):
            first, first_path = known.get(normalize(tag), (tag, path))
            if first != tag:
                problems.append(lint.tag_spelling_problem(path, tag, first, first_path, self.settings["PATH"]))
        return problems

    def check_address(self, article, old):
        """Refused if ``article`` would be written where another article or a page is."""
        if not article.save_as:
            return
        path, call = sanitised_join(self.output_path, article.save_as), f"page:{article.save_as}"
        taken = [other for other, other_call in self.writer.article_pages.items() if other_call == call]
        taken += [
            page
            for page in pipeline.pages(self.generators, drafts=False)
            if page.save_as and sanitised_join(self.output_path, page.save_as) == path
        ]
        taken = [other for other in taken if other is not old and other.source_path != article.source_path]
        if taken:
            raise Refused([lint.collision_problem(article, taken[0], self.settings["PATH"])])

    def replace(self, changes):
        """Put each (old, new) article pair in place, list the articles again and run the
        enrichment stages for the new ones (the others keep what the stages gave them)."""
        generator = self.articles_generator
        generated = self.context["generated_content"]
        for old, new in changes:
            if old is not None:
                for name in ARTICLE_LISTS:
                    items = getattr(generator, name)
                    if any(item is old for item in items):
                        setattr(generator, name, [item for item in items if item is not old])
                generated.pop(old.get_relative_source_path(), None)
            if new is not None:
                target = {"published": "articles", "hidden": "hidden_articles", "draft": "drafts"}[new.status]
                getattr(generator, target).append(new)
                generator.add_source_path(new)
                generator.add_static_links(new)
        self.list_articles()
        news = [new for _, new in changes if new is not None]
        pipeline.run(self.generators, changed=news)
        for new in news:
            new.refresh_metadata_intersite_links()

    def list_articles(self):
        engine.list_articles(self.articles_generator, self.context)

    def write_changes(self, olds, news):
        """Walk the generators' outputs, leaving out the static files (a change to them rebuilds
        everything), the pages of unchanged articles and those of the tags, categories and
        authors that none of the changed articles belongs to; return the jobs to do, most
        wanted first, and the outputs that are gone."""
        generator, writer, before = self.articles_generator, self.writer, self.writer.seen
        for old in olds:
            writer.article_pages.pop(old, None)
        tags, categories, authors = taxonomies(olds + news)
        writer.start_pass(full=False, changed=news)
        showing = pipeline.take_changed_pages(generator.articles + generator.hidden_articles)  # related releases
        with engine.only_pages_of(generator, news + showing, tags, categories, authors), writer.walking():
            for each in self.generators:
                if hasattr(each, "generate_output") and not isinstance(each, StaticGenerator):
                    each.generate_output(writer)
        for call in writer.article_pages.values():
            if call not in writer.call_keys:
                writer.carry(call)
        unchanged = [tag for tag in generator.tags if tag not in tags]
        unchanged += [category for category, _ in generator.categories if category not in categories]
        unchanged += [author for author, _ in generator.authors if author not in authors]
        for taxonomy in unchanged:
            writer.carry(f"page:{taxonomy.save_as}")
        writer.end_pass()
        writer.seen |= before & self.kept_paths()
        return sorted(writer.jobs, key=attrgetter("rank")), before - writer.seen


def taxonomies(articles):
    """The tags, categories and authors of these articles."""
    tags, categories, authors = set(), set(), set()
    for article in articles:
        tags.update(getattr(article, "tags", []))
        if hasattr(article, "category"):
            categories.add(article.category)
        authors.update(getattr(article, "authors", []))
    return tags, categories, authors


def expand_folders(paths):
    """The paths, and the files inside those that are folders: a file written at once into a new
    folder (`invoke new` in a new year) may come before the folder is watched."""
    for path in paths:
        yield path
        for folder, _, names in os.walk(path):
            yield from (os.path.join(folder, name) for name in names)


def inside(path, folder):
    return os.path.abspath(path).startswith(os.path.join(os.path.abspath(folder), ""))


def remove_empty_folders(root):
    for folder, subfolders, names in os.walk(root, topdown=False):
        if folder != root and not subfolders and not names:
            try:
                os.rmdir(folder)
            except OSError:
                pass


def remove_outputs(paths, root):
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        folder = os.path.dirname(path)
        while folder != root and folder.startswith(root) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


# --- Search, after the pages ----------------------------------------------------------


class SearchRefresh:
    """Pagefind in the background, one run at a time: a request while one runs waits for it.
    The status file says « en cours » from the request to the end of the run that includes it."""

    def __init__(self):
        self.thread = None
        self.wanted = None

    def request(self, site):
        if not setting(site.settings, "SEARCH_INDEX"):
            return
        if self.thread is not None:
            self.wanted = site
            return
        self.start(site)

    def start(self, site):
        write_status(site.status_path(), updating=True)
        indexings = [value for _, value in pipeline.index_requested.send(site.generators) if value is not None]
        self.thread = threading.Thread(target=wait_for_all, args=(indexings,), daemon=True)
        self.thread.start()
        self.site = site

    def poll(self):
        """Between two changes: once a run is over, start the one waiting or mark the index
        done; True when the index has just become whole."""
        if self.thread is None or self.thread.is_alive():
            return False
        self.thread = None
        wanted, self.wanted = self.wanted, None
        if wanted is not None:
            self.start(wanted)
            return False
        write_status(self.site.status_path(), updating=False)
        return True

    def wait(self):
        while self.thread is not None:
            self.thread.join()
            self.poll()

    @property
    def running(self):
        return self.thread is not None


def wait_for_all(indexings):
    for indexing in indexings:
        indexing.finish()  # a failure is logged, in French, by the search plugin


def write_status(path, updating):
    if path:
        output.replace_output(path, json.dumps({"mise_a_jour_en_cours": updating}))


# --- The preview ------------------------------------------------------------------


@dataclasses.dataclass
class Update:
    """What one change did, for the officer's message and the benchmark."""

    full: bool = False
    articles: list = dataclasses.field(default_factory=list)  # source paths taken
    refused: list = dataclasses.field(default_factory=list)  # Refused errors
    written: int = 0
    pending: int = 0
    seconds: float = 0.0
    status: int = 0


class Preview:
    """The site in memory and what is left to write. ``build`` builds everything; ``update``
    applies changed source paths; ``work`` writes what an update left for later."""

    def __init__(self, settings_file="pelicanconf.py", out=sys.stderr, **overrides):
        self.settings_file, self.overrides, self.out = settings_file, overrides, out
        self.site = None
        self.pending = collections.deque()
        self.search = SearchRefresh()
        self.search_due = False
        self.settings = preview_settings(settings_file, **overrides)

    @property
    def output_path(self):
        return os.path.abspath(self.settings["OUTPUT_PATH"])

    def watched_paths(self):
        settings = self.settings
        return [settings["PATH"], settings["THEME"], os.path.join(site.ROOT, self.settings_file)]

    def build(self):
        """Everything anew, in place; 0 or the exit status of the failure, with French messages."""
        started = time.perf_counter()
        self.pending.clear()
        gc.unfreeze()  # the site in memory is about to be replaced: let it be collected
        recorder = site.LogRecorder()
        logging.getLogger().addHandler(recorder)
        try:
            self.settings = preview_settings(self.settings_file, **self.overrides)
            built = Site(self.settings)
            built.build()
        except Exception as error:  # noqa: BLE001 — every failure becomes a French message
            self.site = None
            return Update(full=True, status=report.failure(error, self.out, "La construction a échoué", self.settings))
        finally:
            logging.getLogger().removeHandler(recorder)
        self.site = built
        gc.collect()
        gc.freeze()  # the site in memory is long-lived: later collections need not walk it
        if recorder.messages:
            print(f"Aperçu construit avec {len(recorder.messages)} erreur(s) signalée(s) ci-dessus.", file=self.out)
        self.search.request(built)
        return Update(full=True, seconds=time.perf_counter() - started, status=1 if recorder.messages else 0)

    def kind_of_change(self, path):
        """ "article" for an article source, "site" for what every page may depend on (settings,
        theme, registry, pages, static files), None for anything else (an editor's temporary
        file, an ignored file)."""
        settings = self.settings
        if path == os.path.abspath(registry_path(settings)) or path == os.path.join(site.ROOT, self.settings_file):
            return "site"
        if inside(path, settings["THEME"]):
            return "site"
        if any(fnmatch.fnmatch(os.path.basename(path), pattern) for pattern in settings.get("IGNORE_FILES", [])):
            return None
        if self.site is not None and self.site.is_article_source(path):
            return "article"
        content = settings["PATH"]
        others = [*settings.get("PAGE_PATHS", []), *settings.get("STATIC_PATHS", [])]
        if any(inside(path, os.path.join(content, folder)) for folder in others):
            return "site"
        if self.site is None and any(inside(path, os.path.join(content, f)) for f in settings["ARTICLE_PATHS"]):
            return "site"  # no site in memory yet (the last build failed): build it
        return None

    def update(self, paths, finish=True):
        """Apply the changes of these source paths. With ``finish``, write every changed output
        before returning; otherwise only the pages that show a changed article, the rest
        being left for ``work``."""
        kinds = {path: self.kind_of_change(path) for path in expand_folders(map(os.path.abspath, paths))}
        paths = {path for path, kind in kinds.items() if kind == "article"}
        if "site" in kinds.values() or (paths and self.site.has_translations()):
            return self.build()  # translations: Pelican pairs them across files; not followed here
        if not paths:
            return Update()
        started = time.perf_counter()
        self.site.writer.forget(self.pending)  # what it would have written is compared again below
        self.pending.clear()
        result = Update()
        changes = self.read_changes(paths, result)
        if not changes:
            return result
        try:
            self.site.replace(changes)
            olds, news = ([pair[i] for pair in changes if pair[i] is not None] for i in (0, 1))
            jobs, gone = self.site.write_changes(olds, news)
        except Exception as error:  # noqa: BLE001 — the site in memory is unsure: build it anew
            log.warning("Mise à jour partielle impossible (%s) : reconstruction complète", error)
            return self.build()
        remove_outputs(gone, self.site.output_path)
        self.site.writer.forget_outputs(gone)
        for job in jobs:
            if finish or job.rank < LATER:
                result.written += self.site.writer.run(job)
            else:
                self.pending.append(job)
        result.pending = len(self.pending)
        result.seconds = time.perf_counter() - started
        self.search_due = True
        self.work(seconds=0)
        return result

    def read_changes(self, paths, result):
        known = self.site.by_source()
        changes = []
        for path in sorted(paths):
            old = known.get(path)
            try:
                new = self.site.read(path, old)
            except Refused as refused:
                result.refused.append((path, refused))
                continue
            except Exception as error:  # noqa: BLE001 — a file Pelican's reader cannot read
                hint = "vérifiez l'encodage (UTF-8) et l'en-tête"
                problem = problem_at(path, "fichier", f"illisible ({error})", hint, root=self.settings["PATH"])
                result.refused.append((path, Refused([problem])))
                continue
            if old is not None or new is not None:
                changes.append((old, new))
                result.articles.append(path)
        return changes

    def work(self, seconds=0.2):
        """Write what the last update left for later, for about ``seconds``; True when done."""
        deadline = time.perf_counter() + seconds
        while self.pending and time.perf_counter() < deadline:
            self.site.writer.run(self.pending.popleft())
        if self.pending:
            return False
        if self.search_due and self.site is not None:
            self.search_due = False
            self.search.request(self.site)
        return True

    def finish(self):
        """Everything written and the search index refreshed (tests, benchmark)."""
        while not self.work(seconds=60):
            pass
        self.search.wait()

    def forget_site(self):
        """After a failure: the next change builds everything anew."""
        self.site = None
        self.pending.clear()

    def close(self):
        """Save the reader cache for the next start, let Pagefind end."""
        self.search.wait()
        if self.site is not None:
            self.site.articles_generator.readers.save_cache()


def describe(update, preview, out):
    """One French line per change, for the officer watching the terminal."""
    for path, refused in update.refused:
        shown = os.path.relpath(path, preview.settings["PATH"])
        print(f"Modification de {shown} non prise en compte : l'aperçu garde la version précédente.", file=out)
        for problem in refused.problems:
            print(problem, file=out)
    if update.full and not update.status:
        print(f"Aperçu reconstruit en entier ({update.seconds:.1f} s).", file=out)
    elif update.articles:
        later = f" ; {update.pending} autre(s) page(s) suivent" if update.pending else ""
        names = ", ".join(os.path.relpath(p, preview.settings["PATH"]) for p in update.articles)
        written = f"{update.written} page(s) écrite(s){later}"
        print(f"Aperçu à jour ({update.seconds:.1f} s) : {names} — {written}.", file=out)


# --- Watching and serving -------------------------------------------------------------


class Watcher(threading.Thread):
    """Changed paths, from watchfiles, into a queue that the main thread reads."""

    def __init__(self, paths):
        super().__init__(daemon=True)
        self.paths, self.changes, self.stop = paths, queue.Queue(), threading.Event()

    def run(self):
        existing = [path for path in self.paths if os.path.exists(path)]
        for changes in watchfiles.watch(*existing, stop_event=self.stop, debounce=400, step=30, raise_interrupt=False):
            self.changes.put({path for _, path in changes})

    def collect(self, timeout):
        """The paths changed since the last call, waiting up to ``timeout`` seconds for one."""
        try:
            paths = set(self.changes.get(timeout=timeout))
        except queue.Empty:
            return set()
        while not self.changes.empty():
            paths |= self.changes.get_nowait()
        return paths


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder, never from the browser's cache (a preview changes)."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 — the officer does not need each request
        pass


def start_server(folder, host, port):
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(settings_file="pelicanconf.py", host=HOST, port=PORT, out=sys.stderr, **overrides):
    """`make serve`: build, serve on host:port, and update the site at each change until Ctrl-C."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    preview = Preview(settings_file, out=out, **overrides)
    try:
        with treelock.tree_lock(preview.output_path, "make serve", out=out):  # no build writes there meanwhile
            return serve_preview(preview, host, port, out)
    except treelock.TreeBusy as error:
        return report.failure(error, out, "Aperçu non lancé")


def serve_preview(preview, host, port, out):
    print("Construction de l'aperçu…", file=out, flush=True)
    describe(preview.build(), preview, out)
    os.makedirs(preview.output_path, exist_ok=True)
    try:
        server = start_server(preview.output_path, host, port)
    except OSError as error:
        print(f"Aperçu impossible à servir sur {host}:{port} ({error}) — ce port est-il déjà pris ?", file=out)
        return 1
    watcher = Watcher(preview.watched_paths())
    watcher.start()
    address = "http://{}:{}/".format(*server.server_address[:2])
    print(f"{SERVED} sur {address} — il se met à jour à chaque enregistrement (Ctrl-C pour arrêter).", file=out)
    try:
        watch(preview, watcher, out)
    except KeyboardInterrupt:
        print("Arrêt de l'aperçu.", file=out)
    finally:
        watcher.stop.set()
        server.shutdown()
        preview.close()
    return 0


def watch(preview, watcher, out):
    """Until interrupted: apply each change, then write what it left for later, a little at
    a time, and refresh the search index once all is written."""
    while True:
        out.flush()
        paths = watcher.collect(timeout=0.02 if preview.pending else 0.5)
        try:
            if paths:
                describe(preview.update(paths, finish=False), preview, out)
            elif preview.pending and preview.work():
                print(f"{ALL_WRITTEN}.", file=out)
        except Exception as error:  # noqa: BLE001 — said in French; the next save rebuilds everything
            report.failure(error, out, "La construction a échoué", preview.settings)
            preview.forget_site()
        if preview.search.poll():
            print(f"{SEARCH_WHOLE}.", file=out)


if __name__ == "__main__":
    sys.exit(serve())
