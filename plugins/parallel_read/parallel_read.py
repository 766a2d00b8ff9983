"""Parallel read: the article sources are read (Markdown, French dates,
typography) by worker processes, one per core, and what they read goes into
Pelican's reader cache; Pelican's own read, one file after the other, then
finds every file already read. Pelican alone uses a single core.

Signals: the first ``article_generator_preread`` of a build starts the
workers. It works with the reader content cache only (``CACHE_CONTENT`` with
``CONTENT_CACHING_LAYER = "reader"``), which is where Pelican looks for read
files, and only for files whose cache entry is missing or stale. A file whose
read fails or logs a warning is left to Pelican, which reads it again and
reports it as it always does, so no message is lost in a worker. Where
processes cannot be forked (Windows), Pelican reads alone, as usual.
``article_generator_finalized`` reports how many sources were read and how
many came from the cache.
"""

import logging
import multiprocessing
import multiprocessing.pool
import os

from pelican import signals
from pelican.utils import file_suffix

from pressroom.build import cache, engine
from pressroom.build.processes import die_with_parent, worker_pool
from pressroom.build.site import LogRecorder
from pressroom.settings import setting

__all__ = ["register", "read_in_parallel"]


READ_COUNTS = "_parallel_read_counts"  # (sources, sources to read), once the first preread has started the workers


class _Worker:
    """What a worker process reads with: the generator's readers, inherited at the fork."""

    readers = None
    warnings = None

    @classmethod
    def start(cls, readers, parent=None):
        if parent is not None:  # in a forked worker: it dies with the build
            die_with_parent(parent)
        cls.readers, cls.warnings = readers, LogRecorder(logging.WARNING)
        logging.getLogger().addHandler(cls.warnings)

    @classmethod
    def read(cls, path):
        cls.warnings.messages.clear()
        try:
            content, metadata = cls.readers.readers[file_suffix(path)].read(path)
        except Exception:  # Pelican reads it again and reports the error
            return path, None
        if cls.warnings.messages:
            return path, None
        return path, engine.cacheable_read(content, metadata)


def article_sources(generator):
    """Absolute paths of the article sources that a reader reads."""
    settings, readers = generator.settings, generator.readers
    relatives = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    paths = (os.path.abspath(os.path.join(generator.path, relative)) for relative in sorted(relatives))
    return [path for path in paths if file_suffix(path) in readers.readers]


def unread_sources(generator, sources):
    """Those of ``sources`` that the reader cache does not hold (missing or changed)."""
    return [path for path in sources if generator.readers.get_cached_data(path, None) is None]


def read_in_parallel(readers, paths, processes):
    """Read ``paths`` in ``processes`` forked workers; put each result in the readers' cache."""
    chunk = max(1, min(64, len(paths) // (processes * 8)))
    # the workers inherit the readers; paths and reads are pickled
    with worker_pool(processes, _Worker.start, (readers, os.getpid())) as pool:
        results = pool.imap_unordered(_Worker.read, paths, chunksize=chunk)
        while True:
            try:
                path, read = next(results)
            except StopIteration:
                return
            except multiprocessing.pool.MaybeEncodingError:
                continue  # a read that cannot be pickled: Pelican reads those files itself
            if read is not None:
                readers.cache_data(path, read)


def read_sources_ahead(generator):
    settings = generator.settings
    if getattr(generator, READ_COUNTS, None) is not None:
        return
    sources = article_sources(generator)
    if not (settings["CACHE_CONTENT"] and settings["CONTENT_CACHING_LAYER"] == "reader"):
        setattr(generator, READ_COUNTS, (len(sources), len(sources)))
        return
    paths = unread_sources(generator, sources)
    setattr(generator, READ_COUNTS, (len(sources), len(paths)))
    processes = setting(settings, "PARALLEL_READ_PROCESSES")
    if "fork" not in multiprocessing.get_all_start_methods():
        processes = 1
    if processes > 1 and len(paths) >= setting(settings, "PARALLEL_READ_MIN_FILES"):
        read_in_parallel(generator.readers, paths, processes)


def report_reads(generator):
    counts = getattr(generator, READ_COUNTS, None)
    if counts is not None:
        cache.report_reads(*counts)


def register():
    signals.article_generator_preread.connect(read_sources_ahead)
    signals.article_generator_finalized.connect(report_reads)
