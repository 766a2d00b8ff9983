"""The search index in shards: one Pagefind bundle per slice of years, made through Pagefind's
Python API and kept in the cache folder with the fingerprint of its records.

A shard is indexed again only when its records changed (an article added, edited, corrected or
withdrawn in its years), or Pagefind's version or the language did; the others are taken from the
cache as they are. Shards are indexed one after the other, each by a Pagefind service of its own
that is closed before the next starts, so that Pagefind never holds more than one shard in memory.
The service is Pagefind's own child process, which ends when its input closes: with the build,
however the build ends.

The search page (``search.html``) loads the newest bundle and merges the others in the browser
(Pagefind's ``mergeIndex``).
"""

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from pagefind.index import PagefindIndex

from pressroom.build import output, processes
from pressroom.settings import setting

log = logging.getLogger(__name__)  # `invoke build` shows its INFO lines

CACHE_FOLDER = "recherche"  # under CACHE_PATH
BUNDLE, FINGERPRINT = "paquet", "empreinte"
STAGING_PREFIX = "recherche-"  # the records of the shards to index, in the temporary folder
FRESH_PREFIX = "en-cours-"  # a shard's bundle being made, beside the cached ones
ENTRY = "pagefind-entry.json"  # names the bundle's index files, whose names hold their hash


class IndexingFailed(Exception):
    """Pagefind could not make a shard's bundle; the message is French."""


def shard_name(year, years_per_shard):
    """« 2019 », or with slices of five years « 2015-2019 »: slices start at a multiple of their size,
    so that a slice never moves when a year is added."""
    if years_per_shard <= 1:
        return str(year)
    first = year - year % years_per_shard
    return f"{first}-{first + years_per_shard - 1}"


def shard_names(years, years_per_shard):
    """The shards of these years, the newest first (the one the search page loads)."""
    return sorted({shard_name(year, years_per_shard) for year in years}, reverse=True)


@dataclasses.dataclass
class Shard:
    """The search records of a slice of years: ``save_as`` (where the article is written, hence its
    URL) -> the record's HTML."""

    name: str
    records: dict = dataclasses.field(default_factory=dict)

    def fingerprint(self, language):
        digest = hashlib.sha256(f"{pagefind_version()}\0{language}\0".encode())
        for save_as in sorted(self.records):
            digest.update(f"{save_as}\0{len(self.records[save_as])}\0{self.records[save_as]}".encode())
        return digest.hexdigest()

    def write_records(self, folder):
        for save_as, record in self.records.items():
            path = os.path.join(folder, save_as)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as written:
                written.write(record)


def pagefind_version():
    try:
        return package_version("pagefind_bin")
    except PackageNotFoundError:
        return ""


def cache_folder(settings):
    return setting(settings, "SEARCH_CACHE_PATH") or os.path.join(settings["CACHE_PATH"], CACHE_FOLDER)


class ShardCache:
    """The bundles made by earlier builds, one folder per shard: its bundle and its fingerprint."""

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(self.folder, exist_ok=True)
        processes.remove_orphaned_folders(self.folder, FRESH_PREFIX)

    def keep_only(self, names):
        """Forget the bundles of shards that no longer exist (a year whose articles all left)."""
        for entry in os.listdir(self.folder):
            if entry not in names and not entry.startswith(FRESH_PREFIX):
                shutil.rmtree(os.path.join(self.folder, entry), ignore_errors=True)

    def bundle(self, name):
        return os.path.join(self.folder, name, BUNDLE)

    def holds(self, name, fingerprint):
        try:
            with open(os.path.join(self.folder, name, FINGERPRINT), encoding="utf-8") as kept:
                return kept.read() == fingerprint and os.path.isfile(os.path.join(self.bundle(name), ENTRY))
        except OSError:
            return False

    @contextlib.contextmanager
    def fresh(self, name, fingerprint):
        """A folder to make the bundle in; once made, it replaces the shard's cached one."""
        fresh = tempfile.mkdtemp(prefix=processes.owned_folder_prefix(FRESH_PREFIX), dir=self.folder)
        try:
            yield os.path.join(fresh, BUNDLE)
            with open(os.path.join(fresh, FINGERPRINT), "w", encoding="utf-8") as kept:
                kept.write(fingerprint)
            shutil.rmtree(os.path.join(self.folder, name), ignore_errors=True)
            os.rename(fresh, os.path.join(self.folder, name))
        finally:
            shutil.rmtree(fresh, ignore_errors=True)


async def index_folder(records, bundle, language):
    """Pagefind's bundle of the records in the folder ``records``, by a service of its own that the
    context closes. One request for the whole folder: the Python API waits a tenth of a second
    before reading each answer, so a request per record would take minutes."""
    config = {"force_language": language, "output_path": os.path.abspath(bundle)}
    async with PagefindIndex(config) as index:  # which writes the bundle as it closes
        await index.add_directory(os.path.abspath(records))


def index_shard(shard, fingerprint, cache, language):
    """Index one shard's records into the cache; a failure is an IndexingFailed, in French."""
    with tempfile.TemporaryDirectory(prefix=processes.owned_folder_prefix(STAGING_PREFIX)) as records:
        shard.write_records(records)
        try:
            with cache.fresh(shard.name, fingerprint) as bundle:
                asyncio.run(index_folder(records, bundle, language))
        except OSError as error:
            raise IndexingFailed(
                f"Pagefind n'a pas pu être lancé ({error}) — installez les dépendances avec "
                "`make build` (paquet pagefind[bin])"
            ) from error
        except Exception as error:
            raise IndexingFailed(f"l'indexation Pagefind de la tranche {shard.name} a échoué : {error}") from error


@dataclasses.dataclass
class Indexing:
    """The shards of one build: ``run`` indexes those whose records changed (in a process forked by
    plugins/search, while Pelican writes the pages; Pagefind in a process of its own), ``install``
    links every shard's bundle into the output."""

    shards: list
    cache: ShardCache
    language: str
    indexed: list = dataclasses.field(default_factory=list)
    failure: str = ""
    kept: frozenset = frozenset()  # other shards of the site, which a part of a split build does not index

    def run(self, render=None):
        """Index the shards whose records changed. With ``render`` (a shard's name -> its records),
        the records of one shard are made, fingerprinted, indexed if needed and let go before the
        next shard's: at 100,000 articles, all of them at once would be gigabytes."""
        processes.remove_orphaned_folders(tempfile.gettempdir(), STAGING_PREFIX)  # a killed build's records
        try:
            for shard in self.shards:
                if render is not None:
                    shard.records = render(shard.name)
                fingerprint = shard.fingerprint(self.language)
                if not self.cache.holds(shard.name, fingerprint):
                    index_shard(shard, fingerprint, self.cache, self.language)
                    self.indexed.append(shard.name)
                if render is not None:
                    shard.records = {}
            self.cache.keep_only({shard.name for shard in self.shards} | self.kept)
        except IndexingFailed as error:
            self.failure = str(error)

    def install(self, folder, announce=True):
        """Each shard's bundle from the cache into ``folder`` of the output, through the output's
        writer; a bundle already there as it is in the cache is left, one no shard holds is removed."""
        names = {shard.name for shard in self.shards}
        for name in sorted(names):
            target = os.path.join(folder, name)
            if not same_bundle(self.cache.bundle(name), target):
                output.replace_folder(self.cache.bundle(name), target, announce=announce)
            elif announce:
                output.declare_folder(target)
        for gone in sorted(set(os.listdir(folder)) - names if os.path.isdir(folder) else ()):
            remove(os.path.join(folder, gone))

    def summary(self):
        indexed = len(self.indexed)
        kept = len(self.shards) - indexed
        return (
            f"recherche : {counted(indexed, 'tranche indexée', 'tranches indexées')}, "
            f"{counted(kept, 'reprise du cache', 'reprises du cache')}"
        )


def counted(number, one, several):
    """« 1 tranche indexée », « 0 reprise du cache », « 6 reprises du cache » (French: 0 and 1 are singular)."""
    return f"{number} {one if number < 2 else several}"


def remove(path):
    """A shard's bundle that no article needs any more (or a file of an older layout)."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        os.remove(path)


def same_bundle(cached, installed):
    """Whether ``installed`` holds the bundle ``cached``: its entry file names every index file by hash."""
    try:
        with open(os.path.join(cached, ENTRY), "rb") as one, open(os.path.join(installed, ENTRY), "rb") as other:
            return one.read() == other.read()
    except OSError:
        return False
