"""Pelican's reader cache, keyed by everything that made it.

Pelican checks only each source file's own stamp. What our readers write into
the cache (typeset bodies, acronym links, French dates) also depends on our
code, the theme, the settings and the institution registry: when any of them
changes, every file is read afresh.

The stamp is computed once per build, when Pelican starts (``note_stamp``), from
the settings as loaded: before Pelican completes ``MARKDOWN`` in making its
Markdown reader, and without the runtime state that plugins keep under keys
starting with ``_``. It waits in the cache folder until the build has saved its
cache (``record_stamp``); each reader compares it with the recorded one.
"""

import hashlib
import logging
import os
import pathlib

import lxml
import markdown
import nh3
from babel.numbers import format_decimal

from pressroom.settings import DEFAULTS, registry_path

log = logging.getLogger(__name__)  # `invoke build` shows its INFO lines

STAMP_FILE = "pressroom.stamp"
PENDING_FILE = "pressroom.stamp.en-cours"
PACKAGE = pathlib.Path(__file__).resolve().parent.parent
# Settings that say where things go, not what a reader makes of a file.
PLACES = {"OUTPUT_PATH", "CACHE_PATH", "LOAD_CONTENT_CACHE", "PATH", "WRITE_SELECTED", "BUILD_PART"}


def stable(value):
    """A representation of a setting that is the same in every process (no object address)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable(k)}:{stable(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable(v) for v in value)) + "}"
    return type(value).__qualname__


def code_files(settings):
    """Our Python code (this package and the plugins) and the theme."""
    roots = [PACKAGE, *(pathlib.Path(p) for p in settings.get("PLUGIN_PATHS", []))]
    if settings.get("THEME"):
        roots.append(pathlib.Path(settings["THEME"]))
    for root in roots:
        yield from sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".css"))


def stamp(settings):
    digest = hashlib.sha256()
    for path in code_files(settings):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    try:
        digest.update(pathlib.Path(registry_path(settings)).read_bytes())
    except OSError:
        pass
    what_reads = {k: v for k, v in settings.items() if k.isupper() and not k.startswith("_") and k not in PLACES}
    digest.update(stable(what_reads).encode())
    return digest.hexdigest()


def stamp_path(settings, name=STAMP_FILE):
    return os.path.join(settings["CACHE_PATH"], name)


def read_stamp(path):
    try:
        return pathlib.Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def note_stamp(settings):
    """When Pelican starts: the stamp of this build, waiting until its cache is saved."""
    if settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE"):
        os.makedirs(settings["CACHE_PATH"], exist_ok=True)
        pathlib.Path(stamp_path(settings, PENDING_FILE)).write_text(stamp(settings), encoding="utf-8")


def ignore_stale_cache(settings):
    """Before Pelican loads its reader cache: read every file afresh if the stamp differs."""
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    current = read_stamp(stamp_path(settings, PENDING_FILE))
    if not current:  # a build that did not start through Pelican's __init__
        note_stamp(settings)
        current = read_stamp(stamp_path(settings, PENDING_FILE))
    if read_stamp(stamp_path(settings)) != current:
        settings["LOAD_CONTENT_CACHE"] = False


def record_stamp(settings):
    """After a build has saved its reader cache: the stamp its readers were made with."""
    pending = stamp_path(settings, PENDING_FILE)
    if settings.get("CACHE_CONTENT") and os.path.exists(pending):
        os.replace(pending, stamp_path(settings))


def report_reads(sources, read):
    """« 10 000 articles : 3 lus, 9 997 depuis le cache »."""

    def number(n):
        return format_decimal(n, locale=DEFAULTS["BABEL_LOCALE"])

    log.info("%s articles : %s lus, %s depuis le cache", number(sources), number(read), number(sources - read))


# --- Bodies already checked, between builds -----------------------------------------


class CheckedBodies:
    """The texts whose body passed ``check_body``, kept between builds in the cache folder so that a
    rebuild renders again only the texts that changed. Keyed by everything that made the verdict:
    our code, the theme, the settings and the registry (``stamp``), and the versions
    of Markdown, nh3 and lxml; any change and every body is checked afresh."""

    FILE = "corps-verifies.txt"

    def __init__(self, path=None, key="", digests=()):
        self.path, self.key, self.digests = path, key, set(digests)
        self.learnt = []  # the digests added, in order (a worker process sends them back)

    @classmethod
    def load(cls, settings):
        """The bodies checked by the last build with the same key; none without a content cache."""
        if not settings.get("CACHE_CONTENT"):
            return cls()
        path = os.path.join(settings["CACHE_PATH"], cls.FILE)
        key = hashlib.sha256(
            f"{stamp(settings)} {markdown.__version__} {nh3.__version__} {lxml.__version__}".encode()
        ).hexdigest()
        try:
            recorded, *digests = pathlib.Path(path).read_text(encoding="utf-8").split()
        except (OSError, ValueError):
            return cls(path, key)
        return cls(path, key, digests if recorded == key else ())

    @staticmethod
    def digest(text):
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def passed(self, text):
        return self.digest(text) in self.digests

    def add(self, text):
        digest = self.digest(text)
        self.digests.add(digest)
        self.learnt.append(digest)

    def save(self):
        if not self.path:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fresh = f"{self.path}.{os.getpid()}"
        pathlib.Path(fresh).write_text("\n".join([self.key, *sorted(self.digests)]) + "\n", encoding="utf-8")
        os.replace(fresh, self.path)  # whole or not at all, even with two builds at once
