"""Gzip copies: a ``.gz`` copy (gzip level 9, no timestamp, so rebuilds give the
same bytes) next to every text file of the output, for servers that send them
as they are (nginx ``gzip_static``, Apache ``MultiViews``…).

Signals: the first ``generator_init`` of a build puts a Compressor in the
context shared by the generators; ``content_written`` sends it the path of
each page Pelican writes, and its worker processes (started with the first
page) compress it on the second core while Pelican renders the next pages.
The granular signal ``compress``, sent after every ``finalized`` receiver
(the search index), compresses the text files written otherwise (feeds,
calendars, sitemap, theme, Pagefind) and waits. A copy that would not be
smaller is not written, nor that of a page which a later step finishes
(``UNFINISHED_MARK``: the lite edition writes its weight, then its copy).
Where processes cannot be forked (Windows), the build process compresses
each batch itself.

Why not pelican-precompress, which we used before: it sends every file's
bytes through a multiprocessing pool at the end, 10 s of a 50 s build of
10,000 articles (``invoke bench``) for 3 s of compression. Threads in the
build process, or one message per page, slowed the rendering as much.
"""

import logging
import multiprocessing
import os
import queue

import blinker
from pelican import signals
from pelican.plugins import granular_signals

from pressroom.build import output
from pressroom.build.compression import UNFINISHED_MARK, write_gzip_copy
from pressroom.build.processes import die_with_parent
from pressroom.settings import setting

__all__ = ["register", "gzip_copy"]

log = logging.getLogger(__name__)


# The Compressor of this build: in the context shared by the generators, which
# Pelican copies for every page it writes, and in the settings for ``finish``.
RUNNING = "_GZIP_COPIES_COMPRESSOR"
BATCH = 200


def gzip_copy(path):
    """Write ``path + ".gz"``, unless it would not be smaller or the page is not finished (its
    finishing step makes the copy); return the error, if any."""
    try:
        with open(path, "rb") as source:
            data = source.read()
    except OSError as error:
        return f"{path} : {error}"
    if UNFINISHED_MARK in data:
        return None
    return write_gzip_copy(path, data)


def compress_paths(batches, errors, parent):
    """A worker process: compress each batch of paths received, until None.
    It dies with the build process (killed build or preview server)."""
    die_with_parent(parent)
    while True:
        try:
            batch = batches.get(timeout=1)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if batch is None:
            return
        for path in batch:
            error = gzip_copy(path)
            if error:
                errors.put(error)


class Compressor:
    """The worker processes of one build, and the queue of paths they compress.
    Only paths go through the queue, in batches (one message per page costs
    more in context switches than the compression itself): the workers read
    the files themselves. The workers start with the first page written, so a
    build that stops on a content error before writing starts none."""

    def __init__(self, settings):
        self.output_path = settings["OUTPUT_PATH"]
        self.output_prefix = os.path.join(os.path.abspath(self.output_path), "")
        self.extensions = setting(settings, "GZIP_COPIES_TEXT_EXTENSIONS")
        self.processes = setting(settings, "GZIP_COPIES_PROCESSES")
        if "fork" not in multiprocessing.get_all_start_methods():
            self.processes = 0
        self.workers, self.batch = [], []
        self.handed = set()  # every path handed over (some twice), whose copy is announced once made

    def __reduce__(self):
        # Pelican pickles the settings with its content cache (each Tag holds them):
        # a running build's workers are not part of what is cached.
        return type(None), ()

    def start_workers(self):
        context = multiprocessing.get_context("fork")
        self.batches, self.errors = context.Queue(), context.Queue()
        self.workers = [
            context.Process(target=compress_paths, daemon=True, args=(self.batches, self.errors, os.getpid()))
            for _ in range(self.processes)
        ]
        for worker in self.workers:
            worker.start()

    def is_text(self, path):
        return os.path.splitext(path)[1] in self.extensions

    def add(self, path):
        # Pages rendered elsewhere (the search records of plugins/search) are not published.
        if self.is_text(path) and os.path.abspath(path).startswith(self.output_prefix):
            self.batch.append(path)
            self.handed.add(path)
            if len(self.batch) == BATCH:
                self.send_batch()

    def send_batch(self):
        if not self.processes:  # no worker processes: compressed here and now
            self.report(filter(None, map(gzip_copy, self.batch)))
        else:
            if not self.workers:
                self.start_workers()
            self.batches.put(self.batch)
        self.batch = []

    @staticmethod
    def report(errors):
        for error in errors:
            log.error("Copie compressée impossible : %s", error)

    def wait_for_workers(self):
        """Let the workers compress every path handed over, then stop them; report failures."""
        if self.batch:
            self.send_batch()
        if not self.workers:
            return
        for _ in self.workers:
            self.batches.put(None)
        for worker in self.workers:
            worker.join()
        errors = []
        while not self.errors.empty():
            errors.append(self.errors.get())
        self.report(errors)
        for queue_ in (self.batches, self.errors):  # their feeder threads end before any later fork
            queue_.close()
            queue_.join_thread()
        for worker in self.workers:
            if worker.exitcode:
                log.error("Copies compressées : un processus s'est arrêté (code %s)", worker.exitcode)
        self.workers = []

    def stale_files(self):
        """Text files of the output with no ``.gz`` copy, or one older than the file."""
        for folder, _, names in os.walk(self.output_path):
            present = set(names)
            for name in names:
                path = os.path.join(folder, name)
                if not self.is_text(name):
                    continue
                if name + ".gz" not in present or os.path.getmtime(path + ".gz") < os.path.getmtime(path):
                    yield path

    def finish(self):
        """Once the pages handed over are compressed, compress the text files written
        otherwise (feeds, calendars, sitemap, theme, Pagefind)."""
        self.wait_for_workers()
        for path in self.stale_files():
            self.add(path)
        self.wait_for_workers()
        self.announce_copies()

    def announce_copies(self):
        """Each copy made, on ``pressroom.build.output.written`` (the manifest of the output lists it)."""
        for path in sorted(self.handed):
            if os.path.exists(path + ".gz"):
                output.written.send(path + ".gz", copy_of=path)


def start(generator):
    settings = generator.settings
    if not setting(settings, "GZIP_COPIES"):
        return
    if RUNNING not in settings:
        settings[RUNNING] = Compressor(settings)
    generator.context[RUNNING] = settings[RUNNING]


def hand_over(path, context):
    compressor = context.get(RUNNING)
    if compressor is not None:
        compressor.add(path)


def finish(pelican):
    compressor = pelican.settings.pop(RUNNING, None)
    if compressor is not None:
        compressor.finish()


def register():
    granular_signals.register()
    signals.generator_init.connect(start)
    signals.content_written.connect(hand_over)
    blinker.signal("compress").connect(finish)
